"""The main screen's footer: every key of the shift on one line, or on two on a small terminal.

One widget draws all the keys. Textual's ``Footer`` makes a widget of each key (17 here), and every
start styled, laid out and painted them all before the first frame, and again at every change of
the keys (~0.1 s of a start's 0.75 s of main-thread CPU, bench/). This one looks as Textual's compact
``Footer`` does (the same theme colours, key and words, one cell between keys, the palette's key on
the right behind a thin bar) and does what its keys do: a click presses the key (a key not usable
now rings the bell), the key under the mouse is highlighted and shows its tooltip, a key not usable
now is dim, and the keys follow the screen's bindings (focus moving, a row selected).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region
from textual.widget import Widget

__all__ = ["ShiftFooter", "FooterItem", "NOT_IN_TWO_LINE_FOOTER"]

#: keys the two-line footer leaves out: two rows of 80 columns hold 16 keys and the palette's, not 17
#: (R still works there, and help, the palette and the item view's keys line name it)
NOT_IN_TWO_LINE_FOOTER = frozenset({"referral_from"})


@dataclass(frozen=True)
class FooterItem:
    """One key as the footer shows it."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str
    palette: bool = False


class ShiftFooter(Widget, can_focus=False):
    """The footer's keys, drawn by one widget; on a small terminal (the screen's ``-two-line-footer``
    class, app.tcss gives it two rows) they wrap onto two lines in columns, so every key of the main
    screen but R shows at 80 columns."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description", "footer-key--hover",
                         "footer-key--separator"}
    DEFAULT_CSS = """
    ShiftFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .footer-key--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        .footer-key--description { color: $footer-description-foreground; background: $footer-description-background; }
        .footer-key--hover { color: $footer-key-foreground; background: $block-hover-background; }
        .footer-key--separator { color: $foreground 20%; }
    }
    """

    def __init__(self, *, compact: bool = True, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.compact = compact
        #: what is shown: (two lines?, the keys), and where each key is (x, y, width) in the widget
        self._made: tuple | None = None
        self._placed: list[tuple[int, int, int, FooterItem]] = []
        self._hover: FooterItem | None = None
        #: where the mouse is over the footer (x, y in it), or None: the key under it is found again
        #: whenever the keys are placed again (they move when the keys change under a resting mouse)
        self._mouse: tuple[int, int] | None = None

    # ------------------------------------------------------------------ the keys
    def _two_lines(self) -> bool:
        return self.screen.has_class("-two-line-footer")

    def items(self) -> tuple[FooterItem, ...]:
        """The keys to show now, as Textual's Footer picks them: the first binding of each action
        shown, then the command palette's key."""
        narrow = self._two_lines()
        bindings = self.screen.active_bindings
        seen: set[str] = set()
        items = []
        for _node, binding, enabled, tooltip in bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            if narrow and binding.action in NOT_IN_TWO_LINE_FOOTER:
                continue
            items.append(FooterItem(binding.key, self.app.get_key_display(binding), binding.description,
                                    binding.action, enabled, tooltip))
        if self.app.ENABLE_COMMAND_PALETTE and (entry := bindings.get(self.app.COMMAND_PALETTE_BINDING)):
            _node, binding, enabled, _tooltip = entry
            items.append(FooterItem(binding.key, self.app.get_key_display(binding), binding.description,
                                    binding.action, enabled, binding.tooltip or binding.description, palette=True))
        return tuple(items)

    def _text_of(self, item: FooterItem) -> str:
        """The key and its words as one key of Textual's Footer shows them (compact or not)."""
        if self.compact:
            return f"{item.display} {item.description}" if item.description else item.display
        return f" {item.display} {item.description} " if item.description else item.display

    def _place(self, items: tuple[FooterItem, ...], width: int, two_lines: bool) -> list[tuple[int, int, int, FooterItem]]:
        """Where each key goes (x, y, width): in a row with one cell between keys (compact), or on
        two rows in columns as wide as their widest key (each key followed by one cell); the
        palette's key on the right of the first row, after a one-cell bar."""
        keys = [i for i in items if not i.palette]
        placed = []
        if two_lines:
            columns = max(1, (len(keys) + 1) // 2)
            widths = [0] * columns
            for n, item in enumerate(keys):
                widths[n % columns] = max(widths[n % columns], len(self._text_of(item)) + 1)
            for n, item in enumerate(keys):
                column = n % columns
                placed.append((sum(widths[:column]), n // columns, len(self._text_of(item)) + 1, item))
        else:
            x = 0
            gap = 1 if self.compact else 0
            for item in keys:
                size = len(self._text_of(item))
                placed.append((x, 0, size, item))
                x += size + gap
        for item in items:
            if item.palette:
                # padding on the right in the two-line footer; a margin (footer background) in the row
                size = 1 + len(self._text_of(item)) + (1 if two_lines or not self.compact else 0)
                right = 0 if two_lines else (1 if self.compact else 0)
                placed.append((width - right - size, 0, size, item))
        return placed

    def placed(self) -> list[tuple[Region, FooterItem]]:
        """Each key shown and where it is on the screen (as last drawn)."""
        left, top = self.region.x, self.region.y
        return [(Region(left + x, top + y, size, 1), item) for x, y, size, item in self._placed]

    def _keys_now(self) -> tuple:
        return self._two_lines(), self.items()

    # ------------------------------------------------------------------ drawing
    def render(self) -> Text:
        two_lines, items = self._made = self._keys_now()
        width, height = self.size.width, max(1, self.size.height)
        self._placed = self._place(items, width, two_lines)
        if self._mouse is not None and (hover := self._item_at(*self._mouse)) != self._hover:
            self.call_later(self._hover_on, hover)  # the tooltip too (not set while drawing)
            self._hover = hover
        key_style = self.get_component_rich_style("footer-key--key")
        words_style = self.get_component_rich_style("footer-key--description")
        cells: list[list[tuple[str, Style | None]]] = [[(" ", None)] * width for _ in range(height)]
        for x, y, size, item in self._placed:
            if y >= height:
                continue
            parts: list[tuple[str, Style | None]] = []
            if item.palette:  # the bar before it (Textual's `border-left: vkey $foreground 20%`)
                parts.append(("▏", self.get_component_rich_style("footer-key--separator")))
            if self.compact:
                parts += [(item.display, key_style), (f" {item.description}" if item.description else "", words_style)]
            else:
                parts += [(f" {item.display} ", key_style), (f"{item.description} " if item.description else "", words_style)]
            parts.append((" " * max(0, size - sum(len(t) for t, _s in parts)), None))
            column = x
            for part, style in parts:
                if not item.palette or part != "▏":
                    style = (Style(dim=True) + style if style else Style(dim=True)) if not item.enabled else style
                    if item == self._hover:
                        style = (style or Style()) + self.get_component_rich_style("footer-key--hover")
                for char in part:
                    if 0 <= column < width:
                        cells[y][column] = (char, style)
                    column += 1
        lines = []
        for row in cells:
            line = Text(no_wrap=True, overflow="crop", end="")
            run, run_style = "", None
            for char, style in row:
                if style != run_style and run:
                    line.append(run, run_style)
                    run = ""
                run, run_style = run + char, style
            line.append(run, run_style)
            lines.append(line)
        return lines[0] if height == 1 else Text("\n", no_wrap=True, end="").join(lines)

    # ------------------------------------------------------------------ following the keys
    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        """Draw the keys again when the ones to show have changed (most bindings changes, focus moving
        between panes, change nothing shown)."""
        if self.is_attached and screen is self.screen and self._made != self._keys_now():
            self.refresh()

    # ------------------------------------------------------------------ mouse
    def _item_at(self, x: int, y: int) -> FooterItem | None:
        # the palette's key is drawn last, over any key under it
        for px, py, size, item in reversed(self._placed):
            if py == y and px <= x < px + size:
                return item
        return None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        item = self._item_at(event.x, event.y)
        if item is None:
            return
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._mouse = (event.x, event.y)
        self._hover_on(self._item_at(event.x, event.y))

    def on_leave(self, _event: events.Leave) -> None:
        self._mouse = None
        self._hover_on(None)

    def _hover_on(self, item: FooterItem | None) -> None:
        if item == self._hover and self.tooltip == ((item.tooltip or None) if item is not None else None):
            return
        self._hover = item
        self.tooltip = (item.tooltip or None) if item is not None else None
        self.refresh()
