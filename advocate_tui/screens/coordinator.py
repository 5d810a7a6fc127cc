"""The coordinator's view: handed-off referrals by urgency and age; accept, assign, schedule, close.

`advocate --coordinator` opens it. Each change goes through the coordinator service (and so
``store.set_status``), which keeps it in the referral's history.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ..clock import WhenError, parse_date, parse_when
from ..models import ReferralStatus
from ..palette import ListedCommands
from ..services import coordinator as svc
from ..services.bundle import BundleError, check_import, finish_import
from ..services.trust import HOW_DIALOG
from ..services.coordinator import CoordinatorError
from .coordinator_dialogs import CoordinatorAsk, CoordinatorHelp, TrustKeyDialog
from ..widgets.literal import literal
from .fit_columns import Col, cut, set_columns

#: The list's columns; under 100 terminal columns short labels, facilitator and schedule only in the detail.
COLUMNS = [
    Col("urgency", "Urgency", "Urg.", 7), Col("age", "Age", "Age", 4), Col("status", "Status", "Status", 12),
    Col("students", "Students", "Students", 14, flex=3), Col("purpose", "Purpose", "Purpose", 14, wide=16),
    Col("facilitator", "Facilitator", "Fac.", 12, drop=2), Col("scheduled", "Scheduled", "When", 15, drop=1),
    Col("to", "To", "To", 14),
]

__all__ = ["CoordinatorScreen", "CoordinatorAsk", "CoordinatorCommands"]


class CoordinatorScreen(Screen):
    """Handed-off referrals, urgent first then oldest, with the coordinator's four actions."""

    CSS_PATH = "coordinator.tcss"
    BINDINGS = [
        Binding("a", "accept", "Accept", id="coordinator.accept"),
        Binding("f", "assign", "Facilitator", id="coordinator.assign"),
        Binding("s", "schedule", "Schedule", id="coordinator.schedule"),
        Binding("c", "close_referral", "Close", id="coordinator.close"),
        Binding("v", "toggle_closed", "Show closed", id="coordinator.closed"),
        Binding("i", "import_bundle", "Import", id="coordinator.import", tooltip="Import a handoff bundle (.json)"),
        Binding("escape", "back", "Back", id="coordinator.back"),
        Binding("D", "data", "Data", id="coordinator.data", tooltip="The coordinator's data: PBIS Big 5 and more"),
        Binding("question_mark", "help", "Help", id="coordinator.help"),
        Binding("q", "quit", "Quit", id="coordinator.quit"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.show_closed = False
        self.referrals: dict = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="coordinator-title", markup=False)
        yield DataTable(id="coordinator-queue", cursor_type="row", zebra_stripes=True)
        yield Static("", id="coordinator-detail", markup=False)
        yield Static("", id="coordinator-message", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self._width = 0
        self.reload()
        table.focus()

    def reload(self, keep: str | None = None) -> None:
        """Read the queue from the service and show it."""
        desk = self.app.desk
        refs = svc.queue(desk, include_closed=self.show_closed)
        self.referrals = {r.id: r for r in refs}
        names = svc.students_of(desk, refs)
        table = self.query_one(DataTable)
        width = self.app.size.width
        if width != self._width or not table.columns:
            self._layout = set_columns(table, COLUMNS, width, desk.words)
            self._width = width
        else:
            table.clear()
        for r in refs:
            who = ", ".join(f"{names[s].display_name} ({s})" if s in names else s for s in r.students)
            when = desk.words.date_time(desk.clock.local(r.scheduled_for), weekday=True, padded=True) if r.scheduled_for else ""
            status = r.status.label + (f": {r.outcome.label}" if r.outcome else "")
            if r.voided:
                status = f"VOIDED: {r.void_reason}"
            cells = {"urgency": r.urgency.label.upper() if r.urgency.value == "urgent" else r.urgency.label,
                     "age": f"{svc.age_days(desk, r)}d", "status": status, "students": who,
                     "purpose": r.purpose.label, "facilitator": r.facilitator or "", "scheduled": when,
                     "to": r.destination}
            table.add_row(*[cut(cells[c.key], w) for c, _, w in self._layout], key=r.id)
        open_count = sum(1 for r in refs if r.status is not ReferralStatus.CLOSED and not r.voided)
        self.query_one("#coordinator-title", Static).update(literal(
            f"Coordinator — {desk.profile.school.name}: {open_count} open referral(s)"
            + (" (closed shown)" if self.show_closed else "")))
        if keep and keep in self.referrals:
            table.move_cursor(row=table.get_row_index(keep))
        self._show_detail()

    def on_resize(self) -> None:
        if getattr(self, "_width", None) is not None and self.app.size.width != self._width:
            ref = self._selected()
            self.reload(keep=ref.id if ref else None)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    def _selected(self):
        table = self.query_one(DataTable)
        if not self.referrals or table.cursor_row is None or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        return self.referrals.get(key)

    def _show_detail(self) -> None:
        ref = self._selected()
        detail = self.query_one("#coordinator-detail", Static)
        if ref is None:
            detail.update("Nothing handed off yet. Import a bundle with: advocate handoff import FILE")
            return
        clock, words = self.app.desk.clock, self.app.desk.words
        made = f"Referred {words.stamp(clock.local(ref.referred_at))}"
        if ref.handed_off_at:
            made += f" · handed off {words.stamp(clock.local(ref.handed_off_at))}"
        plan = [f"to {ref.destination}", f"facilitator {ref.facilitator or '—'}"]
        if ref.scheduled_for:
            plan.append(f"scheduled {clock.local(ref.scheduled_for).format('ddd')} {words.stamp(clock.local(ref.scheduled_for))}")
        lines = [f"VOIDED by the advocate: {ref.void_reason}"] if ref.voided else []
        names = svc.students_of(self.app.desk, [ref])
        lines += [", ".join(f"{names[s].display_name} ({s})" if s in names else s for s in ref.students)
                  + f" · {ref.urgency.label} · {ref.status.label}" + (f": {ref.outcome.label}" if ref.outcome else ""),
                  f"Reason: {ref.reason}" + (" (amended by the advocate)" if ref.amended else ""), made, f"{ref.purpose.label} · " + " · ".join(plan)]
        if ref.handoff_id:
            lines.append("From " + svc.handoff_label(self.app.desk, ref))
        if ref.outcome_note:
            lines.append(f"Outcome note: {ref.outcome_note}")
        detail.update(literal("\n".join(lines)))

    def _message(self, text: str, *, error: bool = False, warning: bool = False) -> None:
        msg = self.query_one("#coordinator-message", Static)
        msg.update(literal(text))
        msg.set_class(error, "-error")
        msg.set_class(warning and not error, "-warning")

    def _apply(self, ref_id: str, change, done: str) -> None:
        try:
            saved = change()
        except CoordinatorError as exc:
            self._message(str(exc), error=True)
            return
        warning = svc.schedule_warning(self.app.desk, saved.scheduled_for) if done == "Scheduled." else None
        self._message(f"{done} {warning}" if warning else done, warning=bool(warning))
        self.reload(keep=ref_id)

    # ------------------------------------------------------------------ actions
    def action_accept(self) -> None:
        ref = self._selected()
        if ref is not None:
            self._apply(ref.id, lambda: svc.accept(self.app.desk, ref.id), "Accepted.")

    def action_assign(self) -> None:
        ref = self._selected()
        if ref is None:
            return
        ask = CoordinatorAsk("Assign a facilitator", [("facilitator", "Facilitator", "name")])
        ask.check = lambda v: None if v["facilitator"].strip() else "type the facilitator's name"

        def done(values: dict | None) -> None:
            if values:
                self._apply(ref.id, lambda: svc.assign(self.app.desk, ref.id, values["facilitator"]),
                            "Facilitator assigned.")
        self.app.push_screen(ask, done)

    def action_schedule(self) -> None:
        ref = self._selected()
        if ref is None:
            return
        clock = self.app.desk.clock
        ask = CoordinatorAsk("Schedule the meeting", [("date", "Date", f"today, +3d, fri, {self.app.desk.words.date_example()}"),
                                                      ("time", "Time", "10:40, 2:15pm or P3")])

        def when(values: dict):
            day = parse_date(values["date"], clock)
            return clock.at(day, parse_when(values["time"], clock).time())

        def check(values: dict) -> str | None:
            if not values["time"].strip():
                return "type a time (10:40, 2:15pm or P3)"
            try:
                when(values)
            except WhenError as exc:
                return str(exc)
            return None
        ask.check = check

        def done(values: dict | None) -> None:
            if values:
                self._apply(ref.id, lambda: svc.schedule(self.app.desk, ref.id, when(values)), "Scheduled.")
        self.app.push_screen(ask, done)

    def action_close_referral(self) -> None:
        ref = self._selected()
        if ref is None:
            return
        ask = CoordinatorAsk("Close with an outcome", [("note", "Note (optional)", "what was agreed or done")],
                             outcomes=True)
        ask.check = lambda v: None if v.get("outcome") else "pick an outcome (1–4)"

        def done(values: dict | None) -> None:
            if values:
                self._apply(ref.id, lambda: svc.close(self.app.desk, ref.id, values["outcome"], values["note"]),
                            f"Closed: {values['outcome'].label}.")
        self.app.push_screen(ask, done)

    def action_import_bundle(self) -> None:
        ask = CoordinatorAsk("Import a handoff bundle", [("path", "Bundle file (.json)", "/path/to/handoff-….json")])
        ask.check = lambda v: None if v["path"].strip() else "type the bundle's path"

        def done(values: dict | None) -> None:
            if values:
                self._import(values["path"].strip())
        self.app.push_screen(ask, done)

    def _import(self, path: str) -> None:
        """Every check first; a new school's key is trusted only when the dialog's answer is yes."""
        desk = self.app.desk
        try:
            pending = check_import(desk, path)
        except BundleError as exc:
            self._message(_not_imported(exc), error=True)
            return
        if pending.needs_flag:
            self._message(_not_imported(pending.refusal()), error=True)
            return
        if not pending.needs_confirmation:
            self._finish_import(pending, None)
            return
        bundle = pending.bundle

        def answered(yes: bool | None) -> None:
            if yes:
                self._finish_import(pending, pending.fingerprint)
            else:
                self._message("Not imported: the key was not trusted; nothing was written.", error=True)
        self.app.push_screen(TrustKeyDialog(bundle.school, bundle.school_short, pending.fingerprint), answered)

    def _finish_import(self, pending, trust: str | None) -> None:
        try:
            result = finish_import(self.app.desk, pending, trust=trust, how=HOW_DIALOG)
        except BundleError as exc:
            self._message(_not_imported(exc), error=True)
            return
        trusted = f"Trusted the desk key {pending.fingerprint} for {pending.bundle.school_short}. " \
            if result.trusted_now else ""
        self._message(trusted + ("Imported " if result.changed else "Already imported, nothing changed: ") + result.line())
        self.reload()

    def action_toggle_closed(self) -> None:
        self.show_closed = not self.show_closed
        self.reload()

    def action_data(self) -> None:
        from .data_commands import open_data

        open_data(self.app)

    def action_help(self) -> None:
        self.app.push_screen(CoordinatorHelp())

    async def action_quit(self) -> None:
        """q: quit the app (the app asks first when a dialog or form holds typed text)."""
        await self.app.action_quit()

    def _can_go_back(self) -> bool:
        """Opened over the shift screen (the palette): escape goes back; `advocate --coordinator` has
        nothing behind it."""
        return not getattr(self.app, "coordinator", False) and len(self.app.screen_stack) > 2

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """"esc Back" is in the footer (and escape does something) only when there is a screen to go back to."""
        if action == "back":
            return self._can_go_back()
        return True

    def action_back(self) -> None:
        """Back to the shift screen when opened from it; `advocate --coordinator` stays here."""
        if self._can_go_back():
            self.dismiss()


def _not_imported(problem: object) -> str:
    """'Not imported: …' once, whether or not the refusal already says so."""
    text = str(problem)
    return "Not" + text[3:] if text.startswith("not imported") else f"Not imported: {text}"


class CoordinatorCommands(ListedCommands):
    """Command palette: open the coordinator's view."""

    NAME = "Coordinator view: handed-off referrals to accept, assign, schedule, close"

    def _open(self) -> None:
        if not isinstance(self.app.screen, CoordinatorScreen):
            self.app.push_screen(CoordinatorScreen())

    def commands(self):
        yield self.NAME, self._open, "The coordinator's queue"
