"""A command-palette provider over a fixed list of commands (name, callback, help)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from textual.command import DiscoveryHit, Hit, Hits, Provider

Command = tuple[str, Callable[[], object], str]


class ListedCommands(Provider):
    """A palette provider whose subclasses only say which commands they offer, in ``commands()``."""

    def commands(self) -> Iterator[Command]:
        """(name shown, callback, help line) for each command."""
        raise NotImplementedError

    async def discover(self) -> Hits:
        for name, run, help_text in self.commands():
            yield DiscoveryHit(name, run, help=_help_line(name, help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, run, help_text in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=_help_line(name, help_text))


def _help_line(name: str, help_text: str) -> str | None:
    """The help line under a command, unless it only repeats the name ("New contact note (c)" over
    "New contact note" took a second line for nothing: half as many commands showed)."""
    return help_text if help_text and not name.startswith(help_text) else None
