"""A picker for a fixed list: single key or type-ahead, never scrolling.

Typing letters filters the options by the start of any word ("ad" → Administration, Community
agency's "agency" too). A pick happens only on an unambiguous match: in a short list (up to 9
options) a key that starts exactly one option picks it at once and moves to the next field, and its
shortest unambiguous start is underlined ("Mi"nor · "Ma"jor: ``m`` waits, ``ma`` picks Major).
Longer lists (behaviours, locations) highlight the single match; enter picks it and moves on.
Letters that match nothing are refused with "no match" (nothing is picked from unrelated letters);
enter takes the highlighted option; up/down move among the matches. With ``multiple=True`` a pick
toggles an option in and out and enter on an empty filter moves on. Every option that matches is
always on screen, wrapped over lines.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from .form_input import forward_if_blurred
from .literal import literal, plain

Option = tuple[str, str]

#: lists up to this long get single-key hotkeys
HOTKEY_LIMIT = 9


def fold(text: str) -> str:
    """Lower-case without accents, for matching what was typed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def label_words(label: str) -> list[str]:
    """The words of a label, folded, as type-ahead matches them."""
    return fold(label).replace("/", " ").replace("-", " ").replace("(", " ").replace(")", " ").split()


def label_matches(label: str, typed: str) -> bool:
    """True if every typed word starts a word of the label (or the label starts with what was typed)."""
    words = fold(typed).split()
    if not words:
        return True
    lw = label_words(label)
    return all(any(w.startswith(t) for w in lw) for t in words) or fold(label).startswith(fold(typed))


def unique_starts(labels: Sequence[str]) -> list[tuple[int, int] | None]:
    """Per label, (position, length) of its shortest word start that matches no other label, or None."""
    out: list[tuple[int, int] | None] = []
    folded = [fold(label) for label in labels]
    for i, label in enumerate(labels):
        best: tuple[int, int] | None = None
        pos = 0
        for word in label_words(label):
            pos = folded[i].find(word, pos)
            for n in range(1, len(word) + 1):
                if best is not None and n >= best[1]:
                    break
                prefix = word[:n]
                if not any(label_matches(other, prefix) for j, other in enumerate(labels) if j != i):
                    best = (pos, n)
                    break
            pos += len(word)
        out.append(best)
    return out


def assign_hotkeys(labels: Sequence[str]) -> list[str]:
    """The single key of each label: a letter that starts exactly one label ('' if it has none)."""
    keys = []
    for label, start in zip(labels, unique_starts(labels)):
        keys.append(fold(label)[start[0]] if start and start[1] == 1 else "")
    return keys


class Choice(Widget, can_focus=True):
    """Pick one (or several) of a fixed list of options by a single key or a few typed letters."""

    DEFAULT_CSS = """
    Choice { height: auto; min-height: 1; background: $boost; padding: 0 1; }
    Choice:focus { background: $accent 20%; }
    Choice > .choice--key { text-style: bold underline; color: $accent; }
    Choice > .choice--highlight { background: $accent; color: $text; text-style: bold; }
    Choice > .choice--chosen { text-style: bold; color: $success; }
    Choice > .choice--muted { color: $text-muted; }
    Choice > .choice--match { text-style: underline; }
    Choice > .choice--error { color: $error; text-style: bold; }
    """
    COMPONENT_CLASSES = {"choice--key", "choice--highlight", "choice--chosen", "choice--muted", "choice--match",
                         "choice--error"}

    class Changed(Message):
        """The value changed (posted after a pick)."""

        def __init__(self, choice: "Choice", value: Any) -> None:
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> "Choice":
            return self.choice

    #: what has been typed to filter the options
    typed: reactive[str] = reactive("")
    #: index (into the matches) of the highlighted option
    cursor: reactive[int] = reactive(0)

    def __init__(self, options: Sequence[Option | str], value: str | list[str] | None = None, *,
                 multiple: bool = False, hotkeys: bool | None = None, advance: bool = True,
                 placeholder: str = "type to choose", name: str | None = None, id: str | None = None,
                 classes: str | None = None, disabled: bool = False) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.options: list[Option] = [(o, o) if isinstance(o, str) else (o[0], o[1]) for o in options]
        self.multiple = multiple
        self.hotkeys = len(self.options) <= HOTKEY_LIMIT if hotkeys is None else hotkeys
        self.keys = assign_hotkeys([label for _, label in self.options]) if self.hotkeys else []
        self.starts = unique_starts([label for _, label in self.options]) if self.hotkeys else []
        #: letters just refused (shown as "no match"), until the next key
        self.refused = ""
        self.advance = advance
        self.placeholder = placeholder
        self._value: str | list[str] = [] if multiple else ""
        self._moved = False
        if value is not None:
            self.value = value

    # ------------------------------------------------------------------ value
    @property
    def value(self) -> str | list[str]:
        """The chosen option's value ('' if none); a list with ``multiple``."""
        return list(self._value) if self.multiple else self._value

    @value.setter
    def value(self, value: str | list[str] | None) -> None:
        known = {v for v, _ in self.options}
        items = [value] if isinstance(value, str) else list(value or [])
        items = [v for v in items if v in known]  # only the list's own values (a fixed vocabulary)
        if self.multiple:
            self._value = items
        else:
            self._value = items[0] if items else ""
        self.refresh(layout=True)

    def label_of(self, value: str) -> str:
        return next((label for v, label in self.options if v == value), value)

    @property
    def matches(self) -> list[int]:
        """Indexes of the options that match what was typed (all, if nothing was)."""
        return [i for i, (_, label) in enumerate(self.options) if label_matches(label, self.typed)]

    # ------------------------------------------------------------------ keys
    async def _on_key(self, event: events.Key) -> None:
        if forward_if_blurred(self, event):
            return
        key = event.key
        if self.refused and not (event.is_printable and event.character):
            self.refused = ""
            self.refresh(layout=True)
        if key == "enter":
            event.stop()
            event.prevent_default()
            self._enter()
        elif key in ("down", "right"):
            event.stop()
            self._moved = True
            self.cursor = min(self.cursor + 1, max(len(self.matches) - 1, 0))
        elif key in ("up", "left"):
            event.stop()
            self._moved = True
            self.cursor = max(self.cursor - 1, 0)
        elif key == "escape" and self.typed:
            event.stop()
            event.prevent_default()
            self.typed = ""
        elif key == "backspace":
            event.stop()
            if self.typed:
                self.typed = self.typed[:-1]
            elif self.multiple and self._value:
                self._set(self._value[:-1])
            elif not self.multiple and self._value:
                self._set("")
        elif event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            self._type(event.character)

    def _type(self, char: str) -> None:
        if not char.strip() and not self.typed:
            return
        before = self.typed
        self.typed = before + char
        matches = self.matches
        if not matches:
            self.typed = before
            self.refused = char if not before else before + char
            self.refresh(layout=True)
            self.app.bell()
            return
        self.refused = ""
        self.cursor = 0
        self._moved = False
        if len(matches) == 1:
            if self.hotkeys:
                self._pick(matches[0])          # an unambiguous start in a short list picks at once
            elif not self.multiple:
                self._set(self.options[matches[0]][0])

    def _enter(self) -> None:
        matches = self.matches
        if matches and (self.typed or self._moved or not self.multiple and not self._value):
            self._pick(matches[min(self.cursor, len(matches) - 1)])
            return
        self._next()

    def _pick(self, index: int) -> None:
        value = self.options[index][0]
        self.typed = ""
        self._moved = False
        if self.multiple:
            chosen = list(self._value)
            chosen.remove(value) if value in chosen else chosen.append(value)
            self._set(chosen)
        else:
            self._set(value)
            self._next()

    def _set(self, value: str | list[str]) -> None:
        self.value = value
        self.post_message(self.Changed(self, self.value))

    def _next(self) -> None:
        if self.advance:
            self.screen.focus_next()

    def on_blur(self) -> None:
        self.typed = ""
        self.refused = ""
        self._moved = False
        self.refresh(layout=True)

    def on_focus(self) -> None:
        values = [v for v, _ in self.options]
        current = self._value if isinstance(self._value, str) else ""
        self.cursor = values.index(current) if current in values else 0
        self.refresh(layout=True)

    def on_click(self, event: events.Click) -> None:
        self.focus()

    def action_pick_option(self, index: int) -> None:
        """A click on an option picks it (toggles it, with ``multiple``)."""
        if 0 <= index < len(self.options):
            self._pick(index)

    # ------------------------------------------------------------------ drawing
    def watch_typed(self) -> None:
        self.refresh(layout=True)

    def watch_cursor(self) -> None:
        self.refresh()

    def render(self) -> Text:
        style = self.get_component_rich_style
        chosen = self._value if self.multiple else ([self._value] if self._value else [])
        if not self.has_focus:
            if not chosen:
                return Text("—", style=style("choice--muted"))
            return literal(", ".join(self.label_of(v) for v in chosen), style("choice--chosen"))
        text = Text()
        if not self.hotkeys or self.typed or self.refused:
            text.append("› ", style=style("choice--muted"))
            text.append(plain(self.typed), style=style("choice--match"))
            text.append("▏" if self.typed else ("" if self.hotkeys else self.placeholder + "  "),
                        style=style("choice--muted"))
            if self.refused:
                text.append(f" no match for “{plain(self.refused)}”", style=style("choice--error"))
            text.append("  ")
        matches = self.matches
        for n, i in enumerate(matches):
            value, label = self.options[i]
            if n:
                text.append(" · ", style=style("choice--muted"))
            piece = literal(label)
            if self.hotkeys:
                start = self.starts[i]
                if start is not None and not self.typed and piece.plain == label:
                    piece.stylize(style("choice--key"), start[0], start[0] + start[1])
            if value in chosen:
                piece.stylize(style("choice--chosen"))
                if self.multiple:
                    piece = Text("✓ ") + piece
            if n == min(self.cursor, len(matches) - 1):
                piece.stylize(style("choice--highlight"))
            piece.stylize(Style.from_meta({"@click": f"pick_option({i})"}))
            text.append_text(piece)
        return text
