"""A text field for staff names that suggests the school profile's staff list as you type.

Type a few letters of a first or last name: the first staff member they start is shown greyed after
the text ("da  → Dana Whitfield"); enter or tab takes it and moves on, like a list; up/down show the
other matches; a comma takes it and starts the next name (``multiple``). A name that is not on the
list is kept as typed (a substitute, a visitor): with no suggestion shown, enter simply moves on; a
space after the letters keeps them as typed even when they start a staff name ("Dan " is not Dana).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events

from .choice import label_matches
from .form_input import FormInput

#: what the keys line says while a staff field has the focus
RULE = "a few letters of a staff name · enter or tab takes the one shown · any other name as typed"


class StaffInput(FormInput):
    """A :class:`FormInput` that offers the staff list; with ``multiple``, names separated by commas."""

    rule = RULE

    def __init__(self, names: Sequence[str], *args, multiple: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.names = list(dict.fromkeys(n for n in names if n))
        self.multiple = multiple
        #: which of the matches is offered (up/down)
        self._pick = 0

    # ------------------------------------------------------------------ matching
    def _split(self) -> tuple[str, str]:
        """(the names before the one being typed, the one being typed)."""
        if not self.multiple or "," not in self.value:
            return "", self.value
        head, _, part = self.value.rpartition(",")
        return head + ", ", part

    def matches(self) -> list[str]:
        """Staff names the part being typed starts (none if it is empty or already a full name)."""
        typed = self._split()[1]
        part = typed.strip()
        if not part or part in self.names or typed.endswith(" "):
            return []
        return [n for n in self.names if label_matches(n, part)]

    def offered(self) -> str | None:
        """The staff name enter or tab would take now, or None."""
        found = self.matches()
        return found[self._pick % len(found)] if found else None

    def take(self) -> bool:
        """Put the offered name in place of the letters typed; True if there was one."""
        name = self.offered()
        if name is None:
            return False
        head, _part = self._split()
        self.value = head + name
        self.cursor_position = len(self.value)
        return True

    def _offer(self) -> None:
        name = self.offered()
        count = len(self.matches())
        more = f"  (↓ {count - 1} more)" if count > 1 else ""
        self._suggestion = f"{self.value}  → {name}{more}" if name else ""

    # ------------------------------------------------------------------ keys and drawing
    def watch_value(self) -> None:
        self._pick = 0
        self._offer()

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        self._offer()

    async def _on_key(self, event: events.Key) -> None:
        offered = self.offered() is not None and self.cursor_at_end and self.screen.focused is self
        if offered and event.key in ("down", "up"):
            event.stop()
            event.prevent_default()
            self._pick += 1 if event.key == "down" else -1
            self._offer()
            return
        if offered and event.key in ("enter", "tab"):
            self.take()      # then enter or tab moves on as usual
        elif offered and event.key == "comma" and self.multiple:
            event.stop()
            event.prevent_default()
            self.take()
            self.insert_text_at_cursor(", ")
            return
        await super()._on_key(event)

    def action_cursor_right(self, select: bool = False) -> None:
        if not select and self.cursor_at_end and self.take():
            return
        super().action_cursor_right(select)
