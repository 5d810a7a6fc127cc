"""A student field: type a few letters of a name or the number, pick from the roster by enter.

Matches show grade and homeroom to tell namesakes apart. up/down move among the matches, enter
adds the highlighted one. With ``multiple`` several students can be added (backspace on an empty
field removes the last); with ``roles`` each added student is asked for a role by a single key
(enter keeps the default), and up/down on an empty field ask again for any student's role. Enter on an empty field moves to the next field.

``value``: one student number ('' if none); with ``multiple`` a list of numbers; with ``roles``
a list of ``{"student_id": ..., "role": ...}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from ..models import Student
from .form_input import FormInput, forward_if_blurred
from .literal import literal, plain

#: how many matches are shown
MATCHES = 6


class _SearchInput(FormInput):
    """The picker's text box: hands up/down and role keys to the picker."""

    async def _on_key(self, event: events.Key) -> None:
        if forward_if_blurred(self, event):
            return
        picker = self.parent
        if isinstance(picker, StudentPicker) and picker.picker_key(event):
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)


class _MatchList(Static):
    """The matches under the text box; a click picks one."""

    def action_pick_match(self, index: int) -> None:
        picker = self.parent
        if isinstance(picker, StudentPicker):
            picker.pick_match(index)


class StudentPicker(Vertical):
    """Look up the roster as you type; one or several students, optionally each with a role."""

    DEFAULT_CSS = """
    StudentPicker { height: auto; width: 1fr; }
    StudentPicker > Input, StudentPicker > Input:focus { height: 1; border: none; padding: 0 1; background: $boost; }
    StudentPicker > Input:focus { background: $accent 20%; }
    StudentPicker > .picker-chosen { height: auto; color: $success; text-style: bold; padding: 0 1; }
    StudentPicker > .picker-matches { height: auto; padding: 0 1; display: none; }
    StudentPicker:focus-within > .picker-matches.-shown { display: block; }
    StudentPicker > .picker-role { height: auto; padding: 0 1; color: $warning; text-style: bold; display: none; }
    StudentPicker > .picker-role.-shown { display: block; }
    """

    class Changed(Message):
        """The chosen students changed."""

        def __init__(self, picker: "StudentPicker", value: Any) -> None:
            super().__init__()
            self.picker = picker
            self.value = value

        @property
        def control(self) -> "StudentPicker":
            return self.picker

    def __init__(self, value: Any = None, *, multiple: bool = False,
                 roles: Sequence[tuple[str, str]] | None = None, default_role: str | None = None,
                 placeholder: str = "name or number", id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.multiple = multiple or bool(roles)
        self.roles = list(roles or [])
        self.role_keys = {label[0].lower(): value for value, label in self.roles}
        self.default_role = default_role or (self.roles[-1][0] if self.roles else None)
        self._chosen: list[tuple[str, str | None]] = []
        self._students: dict[str, Student] = {}
        self._matches: list[Student] = []
        self._cursor = 0
        self._searched_for = ""
        #: the student whose role is being asked (role mode), or None
        self._asking: str | None = None
        self._input = _SearchInput(placeholder=placeholder, select_on_focus=False)
        self._chosen_line = Static("", classes="picker-chosen")
        self._match_list = _MatchList("", classes="picker-matches")
        self._role_line = Static("", classes="picker-role")
        self._pending_value = value

    def compose(self) -> ComposeResult:
        yield self._chosen_line
        yield self._input
        yield self._role_line
        yield self._match_list

    def on_mount(self) -> None:
        if self._pending_value is not None:
            self.value = self._pending_value
        self._draw()

    def focus_input(self) -> None:
        self._input.focus()

    # ------------------------------------------------------------------ value
    @property
    def value(self) -> Any:
        if self.roles:
            return [{"student_id": sid, "role": role} for sid, role in self._chosen]
        if self.multiple:
            return [sid for sid, _ in self._chosen]
        return self._chosen[0][0] if self._chosen else ""

    @value.setter
    def value(self, value: Any) -> None:
        items: list = value if isinstance(value, list) else ([value] if value else [])
        chosen: list[tuple[str, str | None]] = []
        for item in items:
            if isinstance(item, dict):
                chosen.append((str(item.get("student_id", "")), item.get("role") or self.default_role))
            elif item:
                chosen.append((str(item), self.default_role))
        self._chosen = [c for c in chosen if c[0]]
        if not self.multiple:
            self._chosen = self._chosen[:1]
        if self.is_mounted:
            self._lookup([sid for sid, _ in self._chosen])
            self._draw()
        else:
            self._pending_value = self.value

    @property
    def typed(self) -> str:
        """Letters typed in the search box and not yet picked."""
        return self._input.value

    def _lookup(self, ids: list[str]) -> None:
        missing = [i for i in ids if i not in self._students]
        if missing:
            self._students.update(self.app.desk.store.students_by_id(missing))

    # ------------------------------------------------------------------ keys
    def picker_key(self, event: events.Key) -> bool:
        """Keys the picker takes before the text box: up/down, roles, enter, backspace on empty."""
        key = event.key
        if key in ("up", "down") and self.roles and self._chosen and not self._input.value:
            ids = [sid for sid, _ in self._chosen]
            at = ids.index(self._asking) if self._asking in ids else len(ids)
            at = at - 1 if key == "up" else at + 1
            self._asking = ids[at] if 0 <= at < len(ids) else None
            self._draw()
            return True
        if self._asking is not None:
            char = (event.character or "").lower()
            if char in self.role_keys:
                self._set_role(self._asking, self.role_keys[char])
                return True
            if key in ("enter", "escape"):
                self._asking = None
                self._draw()
                return True
            self._asking = None
            self._draw()
        if key in ("down", "up"):
            self._refresh_matches()
        if key in ("down", "up") and self._matches:
            step = 1 if key == "down" else -1
            self._cursor = max(0, min(len(self._matches) - 1, self._cursor + step))
            self._draw()
            return True
        if key == "enter":
            self._enter()
            return True
        if key == "backspace" and not self._input.value and self._chosen and self.multiple:
            self._chosen.pop()
            self._changed()
            return True
        return False

    def _refresh_matches(self) -> None:
        """Look up what is typed now (keys can arrive faster than Input.Changed)."""
        text = self._input.value.strip()
        if text != self._searched_for:
            self._searched_for = text
            self._matches = self.app.desk.store.find_students(text, limit=MATCHES) if text else []
            self._cursor = 0

    def _enter(self) -> None:
        self._refresh_matches()
        if self._input.value.strip():
            if self._matches:
                self.add(self._matches[self._cursor])
            else:
                self.app.bell()
            return
        self.screen.focus_next()

    def add(self, student: Student) -> None:
        """Add (or, for a single-student field, set) a student; ask their role if roles are used."""
        self._students[student.local_id] = student
        ids = [sid for sid, _ in self._chosen]
        if student.local_id not in ids:
            if self.multiple:
                self._chosen.append((student.local_id, self.default_role))
            else:
                self._chosen = [(student.local_id, None)]
        self._input.value = ""
        self._matches = []
        self._searched_for = ""
        self._changed()
        if self.roles:
            self._asking = student.local_id
            self._draw()
        elif not self.multiple:
            self.screen.focus_next()

    def pick_match(self, index: int) -> None:
        """Add the index-th match (a click on it)."""
        if 0 <= index < len(self._matches):
            self._cursor = index
            self.add(self._matches[index])

    def _set_role(self, student_id: str, role: str) -> None:
        self._chosen = [(sid, role if sid == student_id else r) for sid, r in self._chosen]
        self._asking = None
        self._changed()

    def _changed(self) -> None:
        self._draw()
        self.post_message(self.Changed(self, self.value))

    @on(Input.Changed)
    def _search(self, event: Input.Changed) -> None:
        if event.input is not self._input:
            return
        self._refresh_matches()
        self._draw()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()

    # ------------------------------------------------------------------ drawing
    def describe(self, student_id: str) -> str:
        student = self._students.get(student_id)
        return self.app.desk.words.describe(student) if student else f"{student_id} (not on the roster)"

    def _role_label(self, role: str | None) -> str:
        return next((label for value, label in self.roles if value == role), role or "")

    def _draw(self) -> None:
        parts = []
        for sid, role in self._chosen:
            parts.append(self.describe(sid) + (f" — {self._role_label(role)}" if self.roles else ""))
        self._chosen_line.update(literal("; ".join(parts)))
        self._chosen_line.display = bool(parts)
        if self._asking is not None:
            student = self._students.get(self._asking)
            who = student.display_name if student else self._asking
            keys = " · ".join(f"{label[0].lower()} {label.lower()}" for _, label in self.roles)
            self._role_line.update(literal(f"Role of {who}? {keys} (enter: {self._role_label(self.default_role).lower()})"))
        self._role_line.set_class(self._asking is not None, "-shown")
        text = Text()
        typed = self._input.value.strip()
        if typed and not self._matches:
            text.append(f'No {self.app.desk.words.student} matches "{plain(typed)}" (try a given, family or preferred name, or the number)')
        for n, student in enumerate(self._matches):
            if n:
                text.append("\n")
            line = f"{'▸' if n == self._cursor else ' '} {plain(self.app.desk.words.describe(student), one_line=True)}"
            click = Style.from_meta({"@click": f"pick_match({n})"})
            text.append(line, style=(Style(reverse=True) if n == self._cursor else Style()) + click)
        self._match_list.update(text)
        self._match_list.set_class(bool(typed), "-shown")
