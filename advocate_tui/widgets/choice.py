"""A picker for a fixed list: type the start of an option, enter or tab takes it. One rule, any length.

The rule (the same for every list, shown in each form's keys line and in ``?`` help):

- Typing narrows the options to those with a word starting with what was typed ("ad" →
  Administration, and Community agency's "agency"). When one option is left it is chosen and shown
  at once (its value is set); while several are left the highlight is on the first of them.
- Only enter or tab moves on: either takes the highlighted option and goes to the next field.
  Nothing else moves the focus, so a sentence typed into the wrong field never runs on into the next.
- Letters that match nothing stay in the field, with "no match" beside them; nothing is chosen from
  them and enter stays put (backspace fixes them, escape or ctrl+u clears them, ctrl+w drops a word).
- up/down (left/right) move the highlight; backspace on an empty filter clears the choice.
- ``multiple=True`` (a tick list): enter ticks or unticks the highlighted option and stays; enter
  with nothing typed moves on, as does tab.

Each option's shortest unambiguous start is underlined ("Mi"nor · "Ma"jor): type it and it is chosen.
Every option that matches is always on screen, wrapped over lines, never scrolled.

``instant=True`` is for the key menus of the door check and patrol (``KeyChoice``): there an
unambiguous start is picked at once and the typed letters are cleared, and the form acts on the pick
(``s`` saves a secure door); the focus still moves only when the form moves it.
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

from .form_input import forward_if_blurred, move_on_tab
from .literal import literal, plain

Option = tuple[str, str]

#: The rule, in the words of the forms' keys line and ``?`` help.
RULE = "type the start of one · enter or tab takes it and moves on"
RULE_MULTIPLE = "type the start of one · enter ticks it · enter on empty or tab moves on"


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


class Choice(Widget, can_focus=True):
    """Pick one (or several) of a fixed list of options by typing the start of one; enter or tab takes it."""

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
        """The value changed (typing left one option, or a pick)."""

        def __init__(self, choice: "Choice", value: Any) -> None:
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> "Choice":
            return self.choice

    class Picked(Message):
        """An option was taken by enter or a click (a tick list: ticked or unticked)."""

        def __init__(self, choice: "Choice", value: Any) -> None:
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> "Choice":
            return self.choice

    #: what has been typed to filter the options (kept, even when it matches nothing)
    typed: reactive[str] = reactive("")
    #: index (into the matches) of the highlighted option
    cursor: reactive[int] = reactive(0)

    def __init__(self, options: Sequence[Option | str], value: str | list[str] | None = None, *,
                 multiple: bool = False, advance: bool = True, instant: bool = False,
                 placeholder: str = "type to choose", name: str | None = None, id: str | None = None,
                 classes: str | None = None, disabled: bool = False) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.options: list[Option] = [(o, o) if isinstance(o, str) else (o[0], o[1]) for o in options]
        self.multiple = multiple
        #: a key menu (door check, patrol): an unambiguous start is picked at once (see the module doc)
        self.instant = instant
        self.starts = unique_starts([label for _, label in self.options])
        #: enter/tab move to the next field (False: the form moves the focus itself)
        self.advance = advance
        self.placeholder = placeholder
        self._value: str | list[str] = [] if multiple else ""
        #: the value before the letters now typed (typing that leaves no single option goes back to it)
        self._before: str | list[str] = self._value
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
        if not self.typed:
            self._before = self.value
        self.refresh(layout=True)

    def label_of(self, value: str) -> str:
        return next((label for v, label in self.options if v == value), value)

    @property
    def matches(self) -> list[int]:
        """Indexes of the options that match what was typed (all, if nothing was)."""
        return [i for i, (_, label) in enumerate(self.options) if label_matches(label, self.typed)]

    @property
    def refused(self) -> str:
        """What was typed when it matches no option ('' otherwise): shown with "no match"."""
        return self.typed if self.typed and not self.matches else ""

    @property
    def unfinished(self) -> str:
        """Why the form can't be saved past this list ('' when it can): letters it can't take."""
        return f'can\'t take "{self.refused}" (no match) — fix it, or esc clears it' if self.refused else ""

    @property
    def rule(self) -> str:
        """How this list is used, for the form's keys line."""
        return RULE_MULTIPLE if self.multiple else RULE

    # ------------------------------------------------------------------ keys
    async def _on_key(self, event: events.Key) -> None:
        if forward_if_blurred(self, event):
            return
        key = event.key
        if key == "shift+tab":
            self.typed = ""
            move_on_tab(self, event)
        elif key in ("enter", "tab"):
            event.stop()
            event.prevent_default()
            self._enter() if key == "enter" else self._tab()
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
            self._retype("")
        elif key in ("ctrl+u", "ctrl+w") and self.typed:   # as in a text field: the line, the last word
            event.stop()
            event.prevent_default()
            self._retype("" if key == "ctrl+u" else self.typed.rstrip().rpartition(" ")[0])
        elif key == "backspace":
            event.stop()
            if self.typed:
                self._retype(self.typed[:-1])
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
        self._retype(self.typed + char)
        if not self.matches:
            self.app.bell()

    def _retype(self, typed: str) -> None:
        """The filter is now ``typed``: a single option left is chosen; otherwise the value from before."""
        if not self.typed:
            self._before = self.value
        self.typed = typed
        self.cursor = 0
        self._moved = False
        matches = self.matches if typed else []
        if len(matches) == 1 and self.instant:
            self._pick(matches[0])
        elif len(matches) == 1 and not self.multiple:
            self._set(self.options[matches[0]][0])
        elif not self.multiple:
            self._set(self._before)

    def _enter(self) -> None:
        if self.refused:
            self.app.bell()   # letters that match nothing: stay, they are on screen with "no match"
            return
        matches = self.matches
        if matches and (self.typed or self._moved or not self.multiple and not self._value):
            self._pick(matches[min(self.cursor, len(matches) - 1)])
            return
        self._next()

    def _tab(self) -> None:
        """tab: take the highlighted option if letters were typed (a tick list: tick it), then move on."""
        matches = self.matches
        if self.typed and matches:
            value = self.options[matches[min(self.cursor, len(matches) - 1)]][0]
            if self.multiple:
                if value not in self._value:
                    self._set([*self._value, value])
            else:
                self._set(value)
        self.typed = ""
        self.screen.focus_next()

    def _pick(self, index: int) -> None:
        value = self.options[index][0]
        self.typed = ""
        self._moved = False
        if self.multiple:
            chosen = list(self._value)
            chosen.remove(value) if value in chosen else chosen.append(value)
            self._set(chosen, always=True)
        else:
            self._set(value, always=True)
        self.post_message(self.Picked(self, self.value))
        if not self.multiple and not self.instant:
            self._next()

    def _set(self, value: str | list[str], *, always: bool = False) -> None:
        """Set the value; post Changed if it changed (``always``: a pick, even of the same option)."""
        before = self.value
        self.value = value
        if always or self.value != before:
            self.post_message(self.Changed(self, self.value))
        else:
            self.refresh(layout=True)

    def _next(self) -> None:
        if self.advance:
            self.screen.focus_next()

    def on_blur(self) -> None:
        if self.typed and not self.multiple and len(self.matches) != 1:
            self._set(self._before)
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
            return literal(", ".join(self.label_of(v) for v in chosen), style("choice--chosen"))
        text = Text()
        if not self.instant or self.typed:
            text.append("› ", style=style("choice--muted"))
            if self.refused:
                text.append(plain(self.typed), style=style("choice--error"))
                text.append("▏", style=style("choice--muted"))
                text.append(" no match — backspace or esc", style=style("choice--error"))
                text.append("  ")
            else:
                text.append(plain(self.typed), style=style("choice--match"))
                text.append("▏" if self.typed else self.placeholder + "  ", style=style("choice--muted"))
                text.append("  ")
        matches = self.matches or list(range(len(self.options)))
        refused = bool(self.refused)
        for n, i in enumerate(matches):
            value, label = self.options[i]
            if n:
                text.append(" · ", style=style("choice--muted"))
            piece = literal(label)
            if refused:
                piece.stylize(style("choice--muted"))
            start = self.starts[i]
            if start is not None and not self.typed and piece.plain == label:
                piece.stylize(style("choice--key"), start[0], start[0] + start[1])
            if value in chosen:
                piece.stylize(style("choice--chosen"))
                if self.multiple:
                    piece = Text("✓ ") + piece
            if n == min(self.cursor, len(matches) - 1) and not refused:
                piece.stylize(style("choice--highlight"))
            piece.stylize(Style.from_meta({"@click": f"pick_option({i})"}))
            text.append_text(piece)
        return text
