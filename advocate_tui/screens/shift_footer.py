"""The main screen's footer: every key of the shift on one line, or on two on a small terminal."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

__all__ = ["ShiftFooter", "NOT_IN_TWO_LINE_FOOTER"]

#: keys the two-line footer leaves out: two rows of 80 columns hold 16 keys and the palette's, not 17
#: (R still works there, and help, the palette and the item view's keys line name it)
NOT_IN_TWO_LINE_FOOTER = frozenset({"referral_from"})


class ShiftFooter(Footer):
    """The footer; on a small terminal (the screen's ``-compact`` class) its keys wrap onto two lines
    (app.tcss makes it a two-row grid), so every key of the main screen but R shows at 80 columns."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # the keys are made with the screen, so its first frame shows them (a Footer makes them only
        # after the first bindings change, a frame later)
        self.set_reactive(Footer._bindings_ready, True)
        self._made: tuple | None = None

    def _keys_now(self) -> tuple:
        """What the footer would show now: each shown key, its words and whether it is enabled."""
        return (self.screen.has_class("-two-line-footer"), tuple(
            (key, binding.action, binding.description, binding.key_display, enabled, tooltip,
             binding.group.description if binding.group else None)
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items() if binding.show))

    def compose(self) -> ComposeResult:
        self._made = self._keys_now()
        narrow = self.screen.has_class("-two-line-footer")
        shown = 0
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                if narrow and widget.action in NOT_IN_TWO_LINE_FOOTER:
                    continue
                shown += 1
            yield widget
        self.styles.grid_size_columns = max(1, (shown + 1) // 2)

    async def recompose(self) -> None:
        """Make the keys again (when the bindings change), and let the old ones go: each key is bound
        to the footer's ``compact`` (Textual's ``data_bind``), a watcher Textual drops only when
        ``compact`` changes, so every key ever made stayed alive (2,068 after a day's use, bench/).
        The same keys as shown (most bindings changes: focus moving between panes) are not made again."""
        if self.is_attached and self._made == self._keys_now():
            return
        await super().recompose()
        for watchers in getattr(self, "__watchers", {}).values():
            watchers[:] = [(node, callback) for node, callback in watchers if node.is_attached]
