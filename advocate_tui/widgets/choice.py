"""A picker for a fixed list: single key or type-ahead, never scrolling.

Short lists (up to 9 options) get a hotkey per option: one key picks it and moves to the next
field. Longer lists (behaviours, locations) filter as you type a few letters of any word of an
option; the first match is highlighted, up/down move among the matches, enter picks and moves on.
With ``multiple=True`` enter (or the hotkey) toggles an option in and out and enter on an empty
filter moves on. Every option that matches is always on screen, wrapped over lines.
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

Option = tuple[str, str]

#: lists up to this long get single-key hotkeys
HOTKEY_LIMIT = 9


def fold(text: str) -> str:
    """Lower-case without accents, for matching what was typed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def assign_hotkeys(labels: Sequence[str]) -> list[str]:
    """One distinct letter per label: a word's first letter if free, else any free letter of it."""
    used: set[str] = set()
    keys: list[str] = []
    for label in labels:
        words = fold(label).replace("/", " ").replace("-", " ").split()
        candidates = [w[0] for w in words if w and w[0].isalnum()] + [c for c in fold(label) if c.isalnum()]
        key = next((c for c in candidates if c not in used), "")
        if key:
            used.add(key)
        keys.append(key)
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
    """
    COMPONENT_CLASSES = {"choice--key", "choice--highlight", "choice--chosen", "choice--muted", "choice--match"}

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
        words = fold(self.typed).split()
        if not words:
            return list(range(len(self.options)))
        out = []
        for i, (_, label) in enumerate(self.options):
            label_words = fold(label).replace("/", " ").replace("-", " ").split()
            whole = fold(label)
            if all(any(lw.startswith(w) for lw in label_words) for w in words) or whole.startswith(fold(self.typed)):
                out.append(i)
        return out

    # ------------------------------------------------------------------ keys
    async def _on_key(self, event: events.Key) -> None:
        if forward_if_blurred(self, event):
            return
        key = event.key
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
        if self.hotkeys and char.strip():
            low = fold(char)
            if low in self.keys:
                self._pick(self.keys.index(low))
                return
            self.app.bell()
            return
        if self.hotkeys:
            return
        before = self.typed
        self.typed = before + char
        if not self.matches:
            self.typed = before
            self.app.bell()
            return
        self.cursor = 0
        self._moved = False
        if len(self.matches) == 1 and not self.multiple:
            self._set(self.options[self.matches[0]][0])

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
            return Text(", ".join(self.label_of(v) for v in chosen), style=style("choice--chosen"))
        text = Text()
        if not self.hotkeys:
            text.append("› ", style=style("choice--muted"))
            text.append(self.typed or "", style=style("choice--match"))
            text.append("▏" if self.typed else self.placeholder + "  ", style=style("choice--muted"))
            text.append("  ")
        matches = self.matches
        for n, i in enumerate(matches):
            value, label = self.options[i]
            if n:
                text.append(" · ", style=style("choice--muted"))
            if self.hotkeys:
                key = self.keys[i]
                pos = fold(label).find(key) if key else -1
                piece = Text(label)
                if pos >= 0:
                    piece.stylize(style("choice--key"), pos, pos + 1)
            else:
                piece = Text(label)
            if value in chosen:
                piece.stylize(style("choice--chosen"))
                if self.multiple:
                    piece = Text("✓ ") + piece
            if n == min(self.cursor, len(matches) - 1):
                piece.stylize(style("choice--highlight"))
            piece.stylize(Style.from_meta({"@click": f"pick_option({i})"}))
            text.append_text(piece)
        return text
