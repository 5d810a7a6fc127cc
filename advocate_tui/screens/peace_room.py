"""The Peace Room screen (``P`` on the main screen): who is in the room now, and today's visits.

Keys: n a student comes in; b back to class now (the selected student); o out, elsewhere or at another
time (asks where); escape back. The line on top counts the students in now, today's visits and the
minutes out of class.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ..models.peace_room import PeaceRoomVisit
from ..services import peace_room
from ..services.recording import Invalid
from ..services.rows import names, student_label
from ..services.text_fit import counted
from ..store import StoreError
from ..widgets.literal import literal, plain

__all__ = ["PeaceRoomScreen"]


class PeaceRoomScreen(Screen):
    """In the room now (time in, who sent them, why) and today's visits (out, back to class, minutes)."""

    CSS_PATH = "day.tcss"
    BINDINGS = [
        Binding("n", "come_in", "In", tooltip="A student comes into the Peace Room"),
        Binding("b", "back_to_class", "Back to class", tooltip="The selected student goes back to class now"),
        Binding("o", "out", "Out…", tooltip="The selected student leaves: where to, when"),
        Binding("escape", "back", "Back"),
        Binding("ctrl+l", "lock", "Lock", priority=True),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.in_now: list[PeaceRoomVisit] = []

    def compose(self) -> ComposeResult:
        yield Static(id="room-title", classes="day-title")
        yield Static("In the room now", classes="day-heading")
        yield DataTable(id="room-now", cursor_type="row", zebra_stripes=True)
        yield Static("Today's visits", classes="day-heading")
        yield DataTable(id="room-today", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # two counts of minutes, named apart: time in the room so far, and class time missed (periods only)
        self.query_one("#room-now", DataTable).add_columns("Student", "In", "In room (min)", "Sent by", "Why")
        self.query_one("#room-today", DataTable).add_columns("In", "Out", "Student", "Went", "Out of class (min)", "Why")
        self.reload()
        self.query_one("#room-now", DataTable).focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.reload()

    def reload(self) -> None:
        desk = self.app.desk
        today = desk.clock.today()
        self.in_now = peace_room.in_room(desk)
        figures = peace_room.figures(desk, today, today)
        visits = sorted(peace_room.visits_between(desk, today, today), key=lambda v: v.time_in,
                        reverse=True)
        roster = names(desk, sorted({v.student_id for v in [*self.in_now, *visits]}))
        hhmm = lambda t: desk.clock.local(t).format("HH:mm") if t else ""  # noqa: E731
        self.query_one("#room-title", Static).update(literal(
            f"Peace Room · {len(self.in_now)} in now · {counted(figures.visits, 'visit')} today · "
            f"{figures.minutes_total} min out of class · {figures.returned} back to class"))  # (wraps at 80 columns)
        now = self.query_one("#room-now", DataTable)
        now.clear()
        for v in self.in_now:
            now.add_row(literal(student_label(v.student_id, roster), one_line=True), hhmm(v.time_in),
                        str(peace_room.minutes_in(desk, v)), literal(v.sent_by, one_line=True),
                        literal(v.reason, one_line=True), key=v.id)
        done = self.query_one("#room-today", DataTable)
        done.clear()
        for v in visits:
            went = "in the room" if v.in_room else ("back to class" if v.returned_to_class else v.went_to)
            done.add_row(hhmm(v.time_in), hhmm(v.time_out), literal(student_label(v.student_id, roster), one_line=True),
                         literal(went, one_line=True), str(peace_room.minutes_out(desk, v)),
                         literal(v.reason, one_line=True), key=v.id)

    def _selected(self) -> PeaceRoomVisit | None:
        table = self.query_one("#room-now", DataTable)
        if not self.in_now or table.cursor_row is None or table.cursor_row >= len(self.in_now):
            self.notify("Nobody is in the room", severity="warning")
            return None
        return self.in_now[table.cursor_row]

    def action_come_in(self) -> None:
        from .forms.peace_room import PeaceRoomInForm

        self.app.push_screen(PeaceRoomInForm(), lambda _saved: self.reload())

    def action_back_to_class(self) -> None:
        visit = self._selected()
        if visit is None:
            return
        try:
            peace_room.check_out(self.app.desk, visit, returned_to_class=True)
        except (Invalid, StoreError) as exc:
            message = exc.summary() if isinstance(exc, Invalid) else str(exc)
            self.notify(plain(message), severity="error", markup=False)
            return
        self.notify("Back to class", markup=False)
        self.reload()

    def action_out(self) -> None:
        visit = self._selected()
        if visit is not None:
            from .forms.peace_room import PeaceRoomOutForm

            self.app.push_screen(PeaceRoomOutForm(visit), lambda _saved: self.reload())

    def action_back(self) -> None:
        self.dismiss()

    def action_lock(self) -> None:
        if hasattr(self.app, "action_lock"):
            self.app.action_lock()
