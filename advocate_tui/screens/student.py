"""`/`: find a student by a few letters of a name or number, then their page — everything on file.

:class:`StudentSearch` is a small type-ahead box (dismisses with the student number or None);
:class:`StudentScreen` is a full screen (nothing shows behind it) listing the student's incidents
with their role, notes, attendance follow-ups and referrals, newest first, with keys to add to any
of it (the forms open pre-filled with the student).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..services.kinds import kind_named
from ..services.rows import Row
from ..services.student_history import StudentRows, student_history
from ..widgets.form_input import FormInput, forward_if_blurred
from ..widgets.literal import literal, update_text
from ..widgets.pane import Pane
from .kind_ui import add_keys, form_of, screen_class_or_say, ui_of
from .shift_footer import ShiftFooter

__all__ = ["StudentSearch", "StudentScreen", "student_prefill"]


class _QueryInput(FormInput):
    """The search box: the matches follow each key in the same turn as the key, so they are drawn in
    the same frame as the letter (through Input.Changed, which bubbles up to the screen a hop at a
    time, they came a frame later: ~17 ms a key, bench/). A form's field (enter submits as usual): its
    editing keys act in the order typed, so "okax", backspace, "f" typed fast searches "okaf"; and the
    arrows choose here too, in the order typed (as the screen's keys they would act after an enter typed
    behind them had opened the first match)."""

    async def _on_key(self, event: events.Key) -> None:
        if forward_if_blurred(self, event):
            return
        if event.key in ("down", "up") and isinstance(self.screen, StudentSearch):
            event.stop()
            event.prevent_default()
            self.screen.action_move(1 if event.key == "down" else -1)
            return
        await super()._on_key(event)

    def watch_value(self, value: str) -> None:
        if isinstance(self.screen, StudentSearch):
            self.screen.show_matches(value)


#: the `/` search's line under its matches
SEARCH_KEYS = "↑↓ choose · enter open · escape cancel"


class _Matches(OptionList):
    """The search's matches. New matches as many as those shown, each of both on one line, are drawn
    again without laying the screen out (OptionList lays out its screen on every change when its
    height is ``auto``; the list keeps its height here, and a key costs ~5 ms less on the decade, bench/)."""

    #: while :meth:`set_options` swaps options that keep the list's height
    _steady = False

    def refresh(self, *regions, repaint: bool = True, layout: bool = False, recompose: bool = False):
        return super().refresh(*regions, repaint=repaint, layout=layout and not self._steady, recompose=recompose)

    def set_options(self, options):
        options = list(options)
        self._steady = self._keeps_height(options)
        try:
            return super().set_options(options)
        finally:
            self._steady = False

    def _keeps_height(self, options: list[Option]) -> bool:
        if not self.is_mounted or self.styles.width.is_auto or len(options) != self.option_count:
            return False
        padding = self.get_component_styles("option-list--option").padding.width
        width = self.scrollable_content_region.width - padding
        return width > 0 and all(
            cell_len(getattr(option.prompt, "plain", str(option.prompt))) <= width
            for option in (*self.options, *options))


class StudentSearch(ModalScreen[str | None]):
    """Type a few letters of a name (given, family, preferred) or the student number; enter opens."""

    DEFAULT_CSS = """
    StudentSearch { align: center top; }
    StudentSearch > Vertical { width: 90%; max-width: 80; height: auto; margin-top: 2;
                               border: thick $accent; background: $panel; padding: 0 1; }
    StudentSearch OptionList { height: auto; max-height: 12; border: none; }
    StudentSearch .search-hint { color: $text-muted; }
    StudentSearch .search-hint.-none { color: $warning; }
    """
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
    ]

    def compose(self) -> ComposeResult:
        words = self.app.desk.words
        with Vertical() as box:
            box.border_title = f"Find a {words.student}"
            yield _QueryInput(placeholder=f"a few letters of a name, or the {words.student} number", id="student-query",
                              next_on_enter=False)
            yield _Matches(id="student-matches")
            yield Static(SEARCH_KEYS, classes="search-hint", id="student-search-hint")

    #: the students listed now (by number)
    _shown: list[str] = []

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.call_after_refresh(self.app.desk.store.prepare_look_up)  # (after the box is painted)

    def show_matches(self, value: str) -> None:
        """The students matching what is typed, the first highlighted."""
        matches = self.query_one(OptionList)
        text = value.strip()
        found = self.app.desk.store.find_students(text, limit=10) if text else []
        self._say_none(text if text and not found else "")
        shown = [s.local_id for s in found]
        if shown == self._shown:
            return  # the same students (typing on into one name): the list stays as it is
        self._shown = shown
        matches.set_options([Option(literal(self.app.desk.words.describe(s)), id=s.local_id) for s in found])
        if found:
            matches.highlighted = 0

    def _say_none(self, typed: str) -> None:
        """Under the box: the keys, or (``typed`` matching no one) that no one matches it and what to try."""
        hint = self.query_one("#student-search-hint", Static)
        words = self.app.desk.words
        if not typed:
            text = SEARCH_KEYS
        elif any(ch.isalnum() for ch in typed):
            text = f'No {words.student} matches "{typed}" — try fewer letters or the {words.student} number'
        else:  # only punctuation: fewer of it can't help
            text = (f'No {words.student}\'s name has "{typed}" in it — type letters of a name or the '
                    f'{words.student} number')
        update_text(hint, literal(text))
        hint.set_class(bool(typed), "-none")

    def action_move(self, step: int) -> None:
        matches = self.query_one(OptionList)
        if matches.option_count:
            current = matches.highlighted if matches.highlighted is not None else -step
            matches.highlighted = max(0, min(matches.option_count - 1, current + step))

    @on(Input.Submitted, "#student-query")
    def _submitted(self) -> None:
        matches = self.query_one(OptionList)
        if matches.highlighted is None:
            words = self.app.desk.words
            self.notify(f"No {words.student} matches — try fewer letters or the {words.student} number",
                        severity="warning")
            return
        self.dismiss(matches.get_option_at_index(matches.highlighted).id)

    @on(OptionList.OptionSelected, "#student-matches")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


def student_prefill(kind: str, student_id: str) -> dict[str, Any]:
    """The form values that put this student into a new record of ``kind`` (its kind says which)."""
    found = kind_named(kind)
    return found.for_student(student_id) if found is not None and found.for_student else {"student": student_id}


class HistoryPane(Pane):
    """A student's records, newest first: when, kind (and role), what, status — fitted to the width."""

    PANE = "student-history"
    TITLE = "On file"
    #: a screenful and some (48 lines show ~40 rows); more come as the cursor nears the last
    CHUNK = 50
    COLUMNS = (("When", "time", 0), ("Kind", "students", 3), ("What", "what", 5), ("Status", "status", 2))
    @property
    def EMPTY(self) -> str:  # noqa: N802 - the pane's EMPTY, in the school's words
        keys = [add.key for _kind, add in add_keys()]
        either = ", ".join(keys[:-1]) + f" or {keys[-1]}" if len(keys) > 1 else "".join(keys)
        return f"Nothing on file for this {self.app.desk.words.student} yet — {either} adds something."

    def __init__(self) -> None:
        super().__init__()
        self.border_title = "On file, newest first"

    def _hold(self, rows: Sequence[Row]) -> Sequence[Row]:
        return rows if isinstance(rows, StudentRows) else list(rows)  # (lazy: built as the table shows them)

    def _fit_rows(self) -> Sequence[Row]:
        """The rows built so far (the first 100: later rows wrap or are cut to these widths)."""
        return self.rows.built if isinstance(self.rows, StudentRows) else self.rows

    def _index_of(self, key: str) -> int | None:
        return self.rows.index_of(key) if isinstance(self.rows, StudentRows) else super()._index_of(key)

    def set_rows(self, rows: Sequence[Row], select: str | None = None) -> None:
        """As a pane's, but before the first layout the table is filled at the width it will have (the
        screen's, less the borders): the page's first frame shows the rows. (A pane waits for its
        first layout and fills at on_resize: the page was painted once without its rows, then again.
        A wrong guess only costs a second fill there, at the real width.)"""
        super().set_rows(rows, select=select)
        if self.rows and not self.table.size.width and (width := self._width_to_come()) > 0:
            self._fill(width)

    def _width_to_come(self) -> int:
        """The table's width once laid out: the whole screen's, less the pane's and the table's
        borders, padding and margins."""
        pane, table = self.styles, self.table.styles
        return self.app.size.width - pane.gutter.width - pane.margin.width - table.gutter.width - table.margin.width

    def summary(self, rows: Sequence[Row]) -> str:
        """Every record counted by kind (from the heads of a lazy page: no row built for it)."""
        counts: dict[str, int] = {}
        if isinstance(rows, StudentRows):
            counts = rows.counts()
        else:
            for row in rows:
                kind = row.students.split(" · ")[0]
                counts[kind] = counts.get(kind, 0) + 1
        return " · ".join(f"{n} {k.lower()}{'s' * (n != 1)}" for k, n in counts.items()) or "nothing on file"


class StudentScreen(Screen):
    """One student's page: who they are, then everything on file for them, newest first."""

    DEFAULT_CSS = """
    StudentScreen #student-who { height: auto; padding: 0 1; background: $panel; text-style: bold; }
    StudentScreen #student-summary { height: auto; padding: 0 1; color: $text-muted; }
    StudentScreen #student-day { height: auto; padding: 0 1; }
    StudentScreen HistoryPane { height: 1fr; border: heavy $accent; }
    StudentScreen HistoryPane > .pane-summary { display: none; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back"),
        # a key for each kind a student's page adds (screens.kind_ui), then the page's own
        *[Binding(add.key, f"add({kind!r})", add.label, id=add.id, tooltip=add.tooltip) for kind, add in add_keys()],
        Binding("enter", "open", "Open", priority=True, show=False, id="open"),  # ids: the profile's [keys] too
        Binding("e", "amend", "Amend", id="amend"),
        Binding("x", "void", "Void", id="void"),
        Binding("slash", "find", "Find", key_display="/"),
        Binding("ctrl+l", "lock", "Lock", priority=True),
    ]

    def __init__(self, student_id: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.student_id = student_id
        self.rows: Sequence[Row] = []

    def compose(self) -> ComposeResult:
        yield Static(id="student-who")
        yield Static(id="student-summary")
        yield Static(id="student-day", classes="student-day")
        yield HistoryPane()
        yield ShiftFooter(compact=True)  # one widget for all the keys (Textual's Footer: one per key)

    def on_mount(self) -> None:
        self.reload()
        self._fresh = True  # the first ScreenResume follows at once: nothing to read again (bench/)
        self.query_one(HistoryPane).focus_table()

    def on_screen_resume(self) -> None:
        if getattr(self, "_fresh", False):
            self._fresh = False
            return
        if self.is_mounted:
            self.reload()

    def reload(self, select: str | None = None) -> None:
        """Read the student and their records again."""
        desk = self.app.desk
        student = desk.store.student(self.student_id)
        who = (desk.words.describe(student) if student
               else f"{desk.words.Student} {self.student_id} (not on the roster)")
        self.query_one("#student-who", Static).update(literal(who))
        pane = self.query_one(HistoryPane)
        self.rows = student_history(desk, self.student_id)
        pane.set_rows(self.rows, select=select)
        self.query_one("#student-summary", Static).update(literal(pane.summary(self.rows)))
        self._show_day(desk)

    def _show_day(self, desk) -> None:
        """Peace Room visits, sweeps and the CICO chart of the last 20 school days (issue 14)."""
        from ..services.student_history import summary_lines

        lines = summary_lines(desk, self.student_id)
        day = self.query_one("#student-day", Static)
        day.update(literal("\n".join(lines)))
        day.display = bool(lines)

    def current(self) -> Row | None:
        return self.query_one(HistoryPane).current_row()

    @on(Pane.Chosen)
    def _chosen(self) -> None:
        self.action_open()

    # ------------------------------------------------------------------ actions
    def _push(self, where: tuple[str, str], *args: Any, **kwargs: Any) -> None:
        cls = screen_class_or_say(self, where)
        if cls is None:
            return
        self.app.push_screen(cls(*args, **kwargs), self._saved)

    def _saved(self, record: Any = None) -> None:
        self.reload(select=getattr(record, "id", None))

    def action_add(self, kind: str) -> None:
        self._push(form_of(kind), prefill=student_prefill(kind, self.student_id))

    def action_open(self) -> None:
        row = self.current()
        if row is None or row.record is None:
            return
        detail = ui_of(row.record.kind).detail  # (a process opens its own screen)
        if detail is not None:
            self._push(detail, row.record.id)
        else:
            self._push(("screens.forms.item", "ItemScreen"), row.record)

    def action_amend(self) -> None:
        row = self.current()
        if row is None or row.record is None:
            return
        form = form_of(row.record.kind)
        if form is None:
            label = kind.label.lower() if (kind := kind_named(row.record.kind)) is not None else row.record.kind
            self.notify(f"A {label} changes step by step: enter opens it", severity="warning")
        else:
            more = ui_of(row.record.kind).amend_args
            self._push(form, record=row.record, **(more(row.record) if more is not None else {}))

    def action_void(self) -> None:
        row = self.current()
        if row is not None and row.record is not None:
            self._push(("screens.forms.void", "VoidForm"), row.record)

    def action_find(self) -> None:
        self.app.push_screen(StudentSearch(), self._found)

    def _found(self, student_id: str | None) -> None:
        if student_id:
            self.student_id = student_id
            self.query_one(HistoryPane).rows = []
            self.reload()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_lock(self) -> None:
        if hasattr(self.app, "action_lock"):
            self.app.action_lock()
