"""A student field: type a few letters of a name or the number, pick from the roster by enter.

Matches show grade and homeroom to tell namesakes apart. up/down move among the matches, enter
adds the highlighted one; enter on an empty field moves to the next field. With ``multiple``
several students can be added, each on its own line; up/down on an empty field move onto the added
students, and there del (or backspace) removes the one under the cursor — any of them, not only
the last. With ``roles`` each student has a role: a single key sets the role of the student under
the cursor, and (``ask_role``, the incident form) a newly added student is asked at once (enter
keeps the default).

``value``: one student number ('' if none); with ``multiple`` a list of numbers; with ``roles``
a list of ``{"student_id": ..., "role": ...}`` (role None: not given).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
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


    def watch_value(self, value: str) -> None:
        """The matches follow each key in the same turn as the key, so they are drawn in the same
        frame as the letter (through Input.Changed, which bubbles up to the picker, a frame later)."""
        picker = self.parent
        if isinstance(picker, StudentPicker) and picker.is_mounted:
            picker.search_now()

    def _on_blur(self, event: events.Blur) -> None:
        super()._on_blur(event)
        picker = self.parent
        if isinstance(picker, StudentPicker) and picker._at is not None:
            picker._at = None  # leaving the field puts the cursor back in the box
            picker._draw()


class _MatchList(Static):
    """The matches under the text box; a click picks one."""

    #: the lines of the text shown now, one string each
    _lines: list[str] | None = None

    def new_height(self, text: Text) -> bool:
        """True when ``text`` may take another number of lines than the list shows now (the form is
        laid out again); False when it has as many lines as the text shown, each of both fitting the
        width: the list is only drawn again (a key that changes the matches redraws the list, not the
        whole form, bench/). The text shown is judged at the width it has now: the first matches of a
        field are drawn before the list has a width (it was hidden), and the next key's are not laid
        out again when they take as many lines."""
        width = self.content_region.width
        lines = text.plain.split("\n") if text.plain else []
        shown, self._lines = self._lines, lines
        fits = width > 0 and all(cell_len(line) <= width for line in lines)
        return not (fits and shown is not None and len(shown) == len(lines)
                    and all(cell_len(line) <= width for line in shown))

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
                 ask_role: bool = True, placeholder: str = "name or number", id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.multiple = multiple or bool(roles)
        self.roles = list(roles or [])
        self.role_keys = {label[0].lower(): value for value, label in self.roles}
        #: the role of a student added without one (None: no role)
        self.default_role = default_role
        #: ask the role of each student as they are added
        self.ask_role = ask_role and bool(self.roles)
        self._chosen: list[tuple[str, str | None]] = []
        self._students: dict[str, Student] = {}
        self._matches: list[Student] = []
        self._cursor = 0
        self._searched_for = ""
        #: the added student under the cursor (up/down on an empty field, or just added and asked
        #: for a role): del removes them, a role key sets their role; None when the cursor is in the box
        self._at: str | None = None
        self._input = _SearchInput(placeholder=placeholder, select_on_focus=False)
        self._chosen_line = Static("", classes="picker-chosen")
        self._match_list = _MatchList("", classes="picker-matches")
        self._role_line = Static("", classes="picker-role")
        self._pending_value = value

    @property
    def rule(self) -> str:
        """How this field is used, for the form's keys line."""
        if not self.multiple:
            return "a few letters of a name or the number · enter picks"
        role = " or a role key" if self.roles else ""
        return f"letters, enter adds · ↑ onto an added student: del removes{role} · enter on empty: next field"

    def compose(self) -> ComposeResult:
        yield self._chosen_line
        yield self._input
        yield self._role_line
        yield self._match_list

    def on_mount(self) -> None:
        if self._pending_value is not None:
            self.value = self._pending_value
        self._draw()
        self.call_after_refresh(self.app.desk.store.prepare_look_up)  # (after the form is painted)

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

    @property
    def unfinished(self) -> str:
        """Why the form can't be saved past this field ('' when it can): letters typed and not added
        (a sentence meant for the next field, or a name without its enter) would be lost."""
        typed = self.typed.strip()
        if not typed:
            return ""
        self._refresh_matches()
        if self._matches:
            return f'still has "{typed}" — enter adds {self._matches[self._cursor].display_name}, or ctrl+u clears it'
        return f'still has "{typed}": no {self.app.desk.words.student} matches it — fix it, or ctrl+u clears it'

    def _lookup(self, ids: list[str]) -> None:
        missing = [i for i in ids if i not in self._students]
        if missing:
            self._students.update(self.app.desk.store.students_by_id(missing))

    # ------------------------------------------------------------------ keys
    def picker_key(self, event: events.Key) -> bool:
        """Keys the picker takes before the text box: up/down, roles, del, enter, backspace on empty."""
        key = event.key
        ids = [sid for sid, _ in self._chosen]
        if key in ("up", "down") and self.multiple and ids and not self._input.value:
            at = ids.index(self._at) if self._at in ids else len(ids)
            at = at - 1 if key == "up" else at + 1
            self._at = ids[at] if 0 <= at < len(ids) else None
            self._draw()
            return True
        if self._at is not None:
            char = (event.character or "").lower()
            if char in self.role_keys:
                self._set_role(self._at, self.role_keys[char])
                return True
            if key in ("delete", "backspace"):
                self.remove(self._at)
                return True
            if key in ("enter", "escape"):
                self._at = None
                self._draw()
                return True
            self._at = None
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
            self.remove(self._chosen[-1][0])
            return True
        return False

    def remove(self, student_id: str) -> None:
        """Take a student out of the field; the cursor goes to the next one (or back to the box)."""
        ids = [sid for sid, _ in self._chosen]
        if student_id not in ids:
            return
        at = ids.index(student_id)
        self._chosen = [c for c in self._chosen if c[0] != student_id]
        if self._at == student_id:
            rest = [sid for sid, _ in self._chosen]
            self._at = rest[min(at, len(rest) - 1)] if rest else None
        self._changed()

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
        if self.ask_role:
            self._at = student.local_id
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
        self._at = None
        self._changed()

    def _changed(self) -> None:
        self._draw()
        self.post_message(self.Changed(self, self.value))

    def search_now(self) -> None:
        """Look up what is typed and draw the matches (the text box calls this as its value changes)."""
        self._refresh_matches()
        self._draw_matches()

    @on(Input.Changed)
    def _search(self, event: Input.Changed) -> None:
        if event.input is not self._input or self._input.value.strip() == self._searched_for:
            return  # (looked up already, in the key's own turn: search_now)
        self.search_now()

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
        chosen = Text()
        for n, (sid, role) in enumerate(self._chosen):
            if n:
                chosen.append("\n" if self.multiple else "; ")
            line = self.describe(sid) + (f" — {self._role_label(role)}" if self.roles and role else "")
            chosen.append_text(literal(line, Style(reverse=True) if sid == self._at else ""))
        self._chosen_line.update(chosen)
        self._chosen_line.display = bool(self._chosen)
        if self._at is not None:
            student = self._students.get(self._at)
            who = student.display_name if student else self._at
            if self.roles:
                keys = " · ".join(f"{label[0].lower()} {label.lower()}" for _, label in self.roles)
                role = dict(self._chosen).get(self._at)
                now = self._role_label(role).lower() if role else "none"
                self._role_line.update(literal(f"Role of {who}? {keys} (enter keeps {now}) · del removes"))
            else:
                self._role_line.update(literal(f"{who}: del removes · ↑↓ another student · enter: back to the box"))
        self._role_line.set_class(self._at is not None, "-shown")
        self._drawn = None
        self._draw_matches()

    #: what the match list shows now (typed when nothing matches, the students, the cursor)
    _drawn: tuple | None = None

    def _draw_matches(self) -> None:
        """The match list under the box; left as it is when the same students show (typing on
        into one name), so a key redraws the letter alone."""
        typed = self._input.value.strip()
        drawn = (bool(typed), typed if not self._matches else "", tuple(s.local_id for s in self._matches),
                 self._cursor)
        if drawn == self._drawn:
            return
        self._drawn = drawn
        text = Text()
        if typed and not self._matches:
            text.append(f'No {self.app.desk.words.student} matches "{plain(typed)}" (try a given, family or preferred name, or the number)')
        for n, student in enumerate(self._matches):
            if n:
                text.append("\n")
            line = f"{'▸' if n == self._cursor else ' '} {plain(self.app.desk.words.describe(student), one_line=True)}"
            click = Style.from_meta({"@click": f"pick_match({n})"})
            text.append(line, style=(Style(reverse=True) if n == self._cursor else Style()) + click)
        self._match_list.update(text, layout=self._match_list.new_height(text))
        self._match_list.set_class(bool(typed), "-shown")
