"""The main screen's actions, one per key of :data:`advocate_tui.commands.KEYS`: a new record of each kind,
a referral from the selected row, amend, void, end an item, and the screens of the rest of the day
(a mixin of :class:`~.main.MainScreen`, which supplies ``open_form``, ``current_row`` and ``_push``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..services import ends
from ..services.rows import DamagedRecord
from ..services.today import PANES
from .kind_ui import ui_of

if TYPE_CHECKING:
    from ..models.base import Record
    from ..services.rows import Row

__all__ = ["MainActions"]


class MainActions:
    """What each key of the main screen does."""

    # ------------------------------------------------------------------ actions (keys in commands.KEYS)
    def action_new_incident(self) -> None:
        self.open_form("incident")

    def action_new_contact(self) -> None:
        self.open_form("contact_note")

    def action_new_attendance(self) -> None:
        self.open_form("attendance_followup")

    def action_new_referral(self) -> None:
        """A new referral, always empty (``R`` makes one from the selected record)."""
        self.open_form("referral")

    def referral_source(self) -> Record | None:
        """The selected record a referral can be made from (an incident or contact note), or None."""
        row = self.current_row()
        # (asked of what the row holds first: the footer asks at every move and validates no record)
        return self.record_of(row) if row is not None and _referable(row.held) else None

    def record_of(self, row: Row | None) -> Record | None:
        """The row's record, validated now (a pane's row holds it as stored); a record its model refuses
        (damaged, or changed by hand) is not opened: one line says so, and None."""
        if row is None:
            return None
        try:
            return row.record
        except DamagedRecord as exc:
            self.notify(f"Can't open it: {exc}.", title="Damaged record", severity="error", timeout=15)
            return None

    def may_refer(self) -> bool:
        """The selected row is a record a referral can be made from (validating nothing: for the footer)."""
        row = self.current_row()
        return row is not None and _referable(row.held)

    def action_referral_from(self) -> None:
        """A referral from the selected incident or contact note: its students with their roles,
        a reason and the link filled in."""
        row = self.current_row()
        if row is not None and _referable(row.held) and self.record_of(row) is None:
            return  # a damaged record: said so
        source = self.referral_source()
        if source is None:
            self.notify("Select an incident or a contact note to refer from (r makes a new referral)",
                        severity="warning")
            return
        self.open_form("referral", prefill=_referral_prefill(source))

    def action_door_check(self) -> None:
        """The selected door if the checklist is in use and a door is selected, else the next unchecked."""
        row = self.current_row()
        door = row.door if (self.active == "checklist" and row is not None and row.door) else None
        if door is None:
            door = _next_door(self.app.desk)
        self.open_form("door_check", door)

    def action_patrol(self) -> None:
        self.open_form("patrol_round")

    def action_focus_pane(self, number: int) -> None:
        self.focus_pane(PANES[int(number) - 1])

    def action_find_student(self) -> None:
        from .student import StudentSearch

        self.app.push_screen(StudentSearch(), self._student_found)

    def _student_found(self, student_id: str | None) -> None:
        if student_id:
            from .student import StudentScreen

            self.app.push_screen(StudentScreen(student_id), self._saved)

    def action_open(self) -> None:
        self.open_row(self.current_row())

    def _selected_record(self, verb: str) -> Record | None:
        row = self.current_row()
        if row is None or row.held is None:
            self.notify(f"Select a saved item to {verb} first", severity="warning")
            return None
        return self.record_of(row)  # (None, said why, when it is damaged)

    def action_amend(self) -> None:
        record = self._selected_record("amend")
        if record is not None:
            self.open_form(record.kind, **_amend_args(record))

    def action_end_item(self) -> None:
        """o: end the selected item in a line (a follow-up done or dismissed, attendance resolved, a door cleared)."""
        row = self.current_row()
        if row is not None and row.held is not None and (record := self.record_of(row)) is None:
            return  # damaged: said so
        record = row.record if row is not None else None
        kind = ends.end_kind(self.app.desk, record)
        if kind is None:
            self.notify("Nothing to end here: o ends a follow-up that is due, an open attendance follow-up or a "
                        "door exception", severity="warning")
            return
        self._push("screens.forms.end", "EndForm", record, kind)

    def action_void(self) -> None:
        record = self._selected_record("void")
        if record is not None:
            self._push("screens.forms.void", "VoidForm", record)

    def action_handoff(self) -> None:
        self._push("screens.handoff", "HandoffScreen")

    def action_process_board(self) -> None:
        """b: the restorative caseload board, the cursor on the first thing due today."""
        from .processes import ProcessBoard

        self.app.push_screen(ProcessBoard())

    def action_data(self) -> None:
        self._push("screens.data", "DataScreen", refresh=False)

    def action_lock(self) -> None:
        """Lock now (the app's lock when it has one: it keeps any open form under the lock)."""
        if hasattr(self.app, "action_lock"):
            self.app.action_lock()
        else:
            self._push("screens.lock", "LockScreen", refresh=False)

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen())

    async def action_quit_app(self) -> None:
        """Quit; if a form is open somewhere in the stack, the app asks first (and says what is kept)."""
        await self.app.action_quit()

    # ------------------------------------------------------------------ the rest of the day (issue 14)
    def action_sweep(self) -> None:
        self._push("screens.forms.sweep", "SweepForm")

    def action_peace_room(self) -> None:
        self._push("screens.peace_room", "PeaceRoomScreen")

    def action_cico(self) -> None:
        self._push("screens.cico", "CicoScreen")

    def action_shift_report(self) -> None:
        self._push("screens.shift_report", "ShiftReportScreen", refresh=False)


def _amend_args(record: Record) -> dict[str, Any]:
    more = ui_of(record.kind).amend_args
    return {**(more(record) if more is not None else {}), "record": record}


def _referable(record: Record | None) -> bool:
    """True for a saved, not voided record a referral can be made from."""
    from ..services.recording import referable

    return referable(record)


def _referral_prefill(source: Record) -> dict[str, Any]:
    """What a referral made from a record starts with: its students and roles, a reason, the link."""
    from ..services.recording import referral_prefill

    return referral_prefill(source)


def _next_door(desk) -> str | None:
    """The first door not yet checked this shift (None when all are)."""
    from ..services.checklist import next_unchecked_door

    return next_unchecked_door(desk)
