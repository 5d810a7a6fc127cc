"""The Check-In/Check-Out screen (``C`` on the main screen): the school's CICO students and today's cards.

Keys: n enrol a student; i morning check-in (has the card), I check-in without the card; o afternoon
check-out (the card's grid: one key per cell); a absent, z no school, u no data; g change the plan
(goal, self-monitoring, graduate); escape back.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Checkbox, DataTable, Footer, Input, Static

from ..models.cico import CicoDay, CicoDayStatus, CicoEnrolment, CicoPhase
from ..services import cico
from ..services.recording import Invalid
from ..services.rows import names, student_label
from ..store import StoreError
from ..widgets.literal import literal, plain
from .forms.base import FormScreen
from .forms.confirm import ConfirmScreen
from ..widgets.choice import Choice
from ..widgets.form_input import FormInput
from ..widgets.staff_input import StaffInput
from ..widgets.student_picker import StudentPicker

__all__ = ["CicoScreen", "CicoCardScreen", "CicoEnrolForm", "CicoPlanForm", "percent_text"]


def percent_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def _error(screen: Screen, exc: Exception) -> None:
    message = exc.summary() if isinstance(exc, Invalid) else str(exc)
    screen.notify(plain(message), severity="error", markup=False)


class CicoScreen(Screen):
    """Every running enrolment: today's check-in and check-out, the day's percentage, two weeks' average, flags."""

    CSS_PATH = "day.tcss"
    BINDINGS = [
        Binding("n", "enrol", "Enrol"),
        Binding("i", "check_in(True)", "Check in"),
        Binding("I", "check_in(False)", "In, no card", show=False),
        Binding("o", "check_out", "Check out"),
        Binding("a", "status('absent')", "Absent"),
        Binding("z", "status('no_school')", "No school", show=False),
        Binding("u", "status('no_data')", "No data", show=False),
        Binding("g", "plan", "Plan"),
        Binding("escape", "back", "Back"),
        Binding("ctrl+l", "lock", "Lock", priority=True),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rows: list[cico.CicoRow] = []

    def compose(self) -> ComposeResult:
        yield Static(id="cico-title", classes="day-title")
        yield DataTable(id="cico-table", cursor_type="row", zebra_stripes=True)
        yield Static("i check in · o check out (0 1 2 per cell) · a absent · g goal, self-monitoring, graduate",
                     classes="day-hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Student", "Phase", "Goal", "In", "Out", "Today", "2 weeks", "Flags")
        self.reload()
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.reload()

    def reload(self) -> None:
        desk = self.app.desk
        self.rows = cico.roster(desk)
        roster = names(desk, sorted({r.enrolment.student_id for r in self.rows}))
        hhmm = lambda t: desk.clock.local(t).format("HH:mm") if t else ""  # noqa: E731
        checked_in = sum(1 for r in self.rows if r.card and r.card.checked_in_at)
        checked_out = sum(1 for r in self.rows if r.card and r.card.checked_out_at)
        self.query_one("#cico-title", Static).update(literal(
            f"Check-In/Check-Out · {desk.words.count(len(self.rows))} · {checked_in} checked in · {checked_out} checked out",
            one_line=True))
        table = self.query_one(DataTable)
        row_at = table.cursor_row
        table.clear()
        for r in self.rows:
            card = r.card
            status = card.status if card else None
            inn = (hhmm(card.checked_in_at) + ("" if card.has_card else " no card")) if card and card.checked_in_at \
                else (status.label if status and status is not CicoDayStatus.PRESENT else "")
            table.add_row(literal(student_label(r.enrolment.student_id, roster), one_line=True),
                          r.enrolment.phase.label, f"{r.enrolment.goal_percent}%", inn,
                          hhmm(card.checked_out_at) if card else "", percent_text(card.percent if card else None),
                          percent_text(r.average), literal("; ".join(r.flags), one_line=True), key=r.enrolment.id)
        if row_at is not None and self.rows:
            table.move_cursor(row=min(row_at, len(self.rows) - 1))

    def _selected(self) -> CicoEnrolment | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            self.notify("No CICO student selected — n enrols one", severity="warning")
            return None
        return self.rows[table.cursor_row].enrolment

    def action_enrol(self) -> None:
        self.app.push_screen(CicoEnrolForm(), lambda _saved: self.reload())

    def action_check_in(self, has_card: bool = True) -> None:
        enrolment = self._selected()
        if enrolment is None:
            return
        try:
            cico.check_in(self.app.desk, enrolment, has_card=has_card)
        except (Invalid, StoreError) as exc:
            _error(self, exc)
            return
        self.notify("Checked in" + ("" if has_card else " (no card)"), markup=False)
        self.reload()

    def action_check_out(self) -> None:
        enrolment = self._selected()
        if enrolment is not None:
            self.app.push_screen(CicoCardScreen(enrolment), lambda _saved: self.reload())

    def action_status(self, status: str) -> None:
        enrolment = self._selected()
        if enrolment is None:
            return
        try:
            cico.set_day_status(self.app.desk, enrolment, CicoDayStatus(status))
        except (Invalid, StoreError) as exc:
            _error(self, exc)
            return
        self.reload()

    def action_plan(self) -> None:
        enrolment = self._selected()
        if enrolment is not None:
            self.app.push_screen(CicoPlanForm(enrolment), lambda _saved: self.reload())

    def action_back(self) -> None:
        self.dismiss()

    def action_lock(self) -> None:
        if hasattr(self.app, "action_lock"):
            self.app.action_lock()


class CicoCardScreen(ModalScreen[CicoDay | None]):
    """The afternoon check-out: the card's grid (a row per period, a column per expectation), one key per
    cell — 0, 1 or 2 scores it and moves on, space or - clears it — then the parent's signature and a
    comment; ctrl+s saves, escape goes back without saving (asking first when something was typed, as a form
    does; quitting the app asks too: :meth:`is_dirty`)."""

    CSS_PATH = "day.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, enrolment: CicoEnrolment, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.enrolment = enrolment
        self.scores: dict[tuple[str, str], int | None] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="card"):
            yield Static(id="card-title", classes="day-title")
            yield DataTable(id="card-grid", cursor_type="cell")
            yield Static(id="card-total")
            with Vertical(id="card-options"):
                yield Checkbox("Parent signature returned", id="card-signed", compact=True)
                yield FormInput(placeholder="comment (optional)", id="card-comment", next_on_enter=False)
            yield Static("0 1 2 score the cell · space clears · arrows move · ctrl+s save · esc cancel",
                         classes="day-hint")

    def on_mount(self) -> None:
        desk = self.app.desk
        card = cico.card(desk, self.enrolment)
        self.periods = list(card.periods if card else self.enrolment.periods)
        self.expectations = list(card.expectations if card else self.enrolment.expectations)
        for p in self.periods:
            for e in self.expectations:
                self.scores[(p, e)] = card.score(p, e) if card else None
        student = names(desk, [self.enrolment.student_id])
        self.query_one("#card-title", Static).update(literal(
            f"Check-out · {student_label(self.enrolment.student_id, student)} · goal {self.enrolment.goal_percent}%",
            one_line=True))
        grid = self.query_one("#card-grid", DataTable)
        grid.add_column("Period", key="period")
        for e in self.expectations:
            grid.add_column(literal(e, one_line=True), key=e)
        for p in self.periods:
            grid.add_row(literal(p, one_line=True), *[self._cell(p, e) for e in self.expectations], key=p)
        if card is not None:
            self.query_one("#card-signed", Checkbox).value = bool(card.parent_signed)
            self.query_one("#card-comment", Input).value = card.comment
        grid.move_cursor(row=0, column=1)
        grid.focus()
        self._total()
        self._baseline = self._typed()

    def _typed(self) -> tuple:
        """What the card holds now: its scores, the signature and the comment."""
        return (dict(self.scores), self.query_one("#card-signed", Checkbox).value,
                self.query_one("#card-comment", Input).value)

    def is_dirty(self) -> bool:
        """True once anything differs from how the card opened (escape and quit then ask first)."""
        return hasattr(self, "_baseline") and self._typed() != self._baseline

    def _cell(self, period: str, expectation: str) -> str:
        value = self.scores.get((period, expectation))
        return "·" if value is None else str(value)

    def _total(self) -> None:
        scored = [v for v in self.scores.values() if v is not None]
        pct = 100 * sum(scored) / (2 * len(scored)) if scored else None
        left = sum(1 for v in self.scores.values() if v is None)
        goal = self.enrolment.goal_percent
        met = "" if pct is None else (" · goal met" if pct >= goal else " · below goal")
        self.query_one("#card-total", Static).update(literal(
            f"{sum(scored)} of {2 * len(scored)} points · {percent_text(pct)}{met} · {left} cells blank", one_line=True))

    def on_key(self, event) -> None:
        grid = self.query_one("#card-grid", DataTable)
        if self.focused is not grid or event.key not in ("0", "1", "2", "space", "minus"):
            return
        event.stop()
        event.prevent_default()
        row, column = grid.cursor_coordinate.row, grid.cursor_coordinate.column
        if column == 0:
            column = 1
        period, expectation = self.periods[row], self.expectations[column - 1]
        self.scores[(period, expectation)] = int(event.key) if event.key in ("0", "1", "2") else None
        grid.update_cell(period, expectation, self._cell(period, expectation))
        self._total()
        if event.key in ("0", "1", "2"):  # on to the next cell: along the period, then the next period
            if column < len(self.expectations):
                grid.move_cursor(row=row, column=column + 1)
            elif row + 1 < len(self.periods):
                grid.move_cursor(row=row + 1, column=1)

    def action_save(self) -> None:
        try:
            saved = cico.check_out(self.app.desk, self.enrolment, self.scores,
                                   parent_signed=self.query_one("#card-signed", Checkbox).value,
                                   comment=self.query_one("#card-comment", Input).value)
        except (Invalid, StoreError) as exc:
            _error(self, exc)
            return
        self.notify(f"Checked out: {percent_text(saved.percent)}", markup=False)
        self.dismiss(saved)

    def action_cancel(self) -> None:
        if not self.is_dirty():
            self.dismiss(None)
            return
        self.app.push_screen(ConfirmScreen("Discard this check-out card? The scores you typed will be lost."),
                             lambda discard: self.dismiss(None) if discard else None)


class CicoEnrolForm(FormScreen):
    """Enrol a student in CICO: the profile's expectations, the periods (all by default), the goal."""

    FORM = "cico_enrol"
    FORM_TITLE = "CICO enrolment"
    DRAFTS = False

    def compose_fields(self):
        yield self.field("student", StudentPicker(), "Student")
        yield self.field("goal", FormInput(placeholder="per cent, e.g. 80"), "Goal %")
        yield self.field("periods", FormInput(placeholder="e.g. P1 P2 P3 (all when empty)"), "Periods")
        yield self.field("mentor", StaffInput(self.app.desk.profile.staff, placeholder="optional: who checks them in and out"),
                         "Mentor")

    def initial_values(self) -> dict[str, Any]:
        return {"goal": str(self.app.desk.profile.cico.goal_percent)}

    def save_values(self, values: dict[str, Any]):
        goal_text = (values.get("goal") or "").strip().rstrip("%")
        if goal_text and not goal_text.isdigit():
            raise Invalid({"goal": "is a whole number of per cent, like 80"})
        return cico.enrol(self.app.desk, values.get("student") or "", goal_percent=int(goal_text) if goal_text else None,
                          periods=(values.get("periods") or "").replace(",", " ").split() or None,
                          mentor=values.get("mentor") or "")


PHASES = [(p.value, p.label) for p in CicoPhase]


class CicoPlanForm(FormScreen):
    """Change a student's CICO plan (recorded with today's date): the goal and the phase."""

    FORM = "cico_plan"
    FORM_TITLE = "CICO plan"
    DRAFTS = False

    def __init__(self, enrolment: CicoEnrolment, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.enrolment = enrolment

    def compose_fields(self):
        yield self.field("goal", FormInput(placeholder="per cent"), "Goal %")
        yield self.field("phase", Choice(PHASES), "Phase")
        yield self.field("what", FormInput(placeholder="optional: why, in a line"), "Note")

    def initial_values(self) -> dict[str, Any]:
        return {"goal": str(self.enrolment.goal_percent), "phase": self.enrolment.phase.value}

    def save_values(self, values: dict[str, Any]):
        goal_text = (values.get("goal") or "").strip().rstrip("%")
        if not goal_text.isdigit():
            raise Invalid({"goal": "is a whole number of per cent, like 80"})
        return cico.change_plan(self.app.desk, self.enrolment, goal_percent=int(goal_text),
                                phase=CicoPhase(values.get("phase") or self.enrolment.phase.value),
                                what=values.get("what") or "")
