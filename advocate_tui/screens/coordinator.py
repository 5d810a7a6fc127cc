"""The coordinator's view: the handed-off referrals and everything else the handoffs carry, per school.

`advocate --coordinator` opens it. Two lists, `1` and `2`: the referrals (urgent first, then oldest) with
the coordinator's actions — accept, facilitator, schedule (time and place), decline (with a reason),
close (asked first), reopen (with a reason), a note for the advocate — and the whole handoff: shift
summaries, contact notes flagged for the coordinator, incidents, open attendance follow-ups, door and
patrol exceptions. Both are filtered by school (`S`), handoff day (`[` `]`) and handoff (`h`); every row
names its school. `R` signs and writes the reply to the school; `i` imports a bundle picked from the
handoff folder. Each change goes through the coordinator service (and so ``store.set_status``), which
keeps it in the referral's history; after it the cursor stays on the row. Another desk's saves to
the same file (the advocate's handoff, on one school's database) show within seconds.
"""

from __future__ import annotations

import dataclasses

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from ..clock import WhenError, parse_date, parse_when
from ..models import Handoff, ReferralOutcome, ReferralStatus
from ..palette import ListedCommands
from ..services import coordinator as svc
from ..services import reply as reply_service
from ..services.bundle import BundleError, check_import, finish_import
from ..services.coordinator import CoordinatorError, Filters
from ..services.referral_word import meeting_when, word
from ..services.schools import is_coordinator, served
from ..services.today import changes_seen
from ..services.trust import HOW_DIALOG
from ..widgets.literal import literal
from .coordinator_dialogs import BundlePicker, CloseConfirm, CoordinatorAsk, CoordinatorHelp, TrustKeyDialog
from .fit_columns import NARROW, Col, cut, set_columns
from .main import OTHER_DESKS_POLL, ShiftFooter

#: The referrals' columns. Where they don't all fit (under ~130 terminal columns): short labels, and "Next
#: step" sums up the status, facilitator, schedule and place (the columns dropped there), so nothing the
#: next step needs is lost; the destination is in the detail.
COLUMNS = [
    Col("urgency", "Urgency", "Urg.", 7, wide=10), Col("school", "School", "School", 12),
    Col("students", "Students", "Students", 12, flex=2, narrow_flex=0), Col("purpose", "Purpose", "For", 10, wide=16),
    Col("status", "Status", "", 20, drop=1, flex=1), Col("facilitator", "Facilitator", "", 10, drop=1),
    Col("scheduled", "Meeting", "", 14, drop=1), Col("next", "", "Next step", 20, flex=3, narrow_only=True),
    Col("to", "To", "", 14, drop=1),
]
#: The whole handoff's columns.
DAY_COLUMNS = [
    Col("school", "School", "School", 12), Col("kind", "Kind", "Kind", 8, wide=10), Col("when", "When", "When", 11),
    Col("students", "Students", "Students", 12, flex=2, narrow_flex=0), Col("what", "What", "What", 20, flex=5),
]
#: the kinds' short labels in a narrow list
_SHORT_KINDS = {"incident": "Incid.", "attendance": "Attend."}
#: narrower than this, the footer's keys take two lines
FOOTER_ONE_LINE_WIDTH = 140
#: the actions on a referral (hidden from the footer in the whole-handoff list)
_REFERRAL_ACTIONS = {"accept", "assign", "schedule", "decline", "close_referral", "reopen", "note"}

__all__ = ["CoordinatorScreen", "CoordinatorAsk", "CoordinatorCommands"]


class CoordinatorScreen(Screen):
    """The coordinator's two lists (referrals; the whole handoff), filters, actions and the reply."""

    CSS_PATH = "coordinator.tcss"
    BINDINGS = [
        Binding("a", "accept", "Accept", id="coordinator.accept"),
        Binding("f", "assign", "Facilitator", id="coordinator.assign", show=False),
        Binding("s", "schedule", "Schedule", id="coordinator.schedule"),
        Binding("d", "decline", "Decline", id="coordinator.decline"),
        Binding("c", "close_referral", "Close", id="coordinator.close"),
        Binding("o", "reopen", "Reopen", id="coordinator.reopen"),
        Binding("n", "note", "Note", id="coordinator.note", show=False),
        Binding("R", "reply", "Reply", id="coordinator.reply", tooltip="Sign and write the reply to the school"),
        Binding("1", "view('referrals')", "Referrals", id="coordinator.referrals"),
        Binding("2", "view('day')", "Handoff", id="coordinator.day", tooltip="Everything the handoffs carry"),
        Binding("S", "next_school", "School", id="coordinator.school"),
        Binding("left_square_bracket", "day(1)", "Day", id="coordinator.earlier",
                tooltip="One handoff day: the latest, then earlier ones (] later, then all days)"),
        Binding("right_square_bracket", "day(-1)", "Later", id="coordinator.later", show=False),
        Binding("h", "next_handoff", "Handoff", id="coordinator.handoff", show=False),
        Binding("0", "all", "All", id="coordinator.all", show=False),
        Binding("v", "toggle_closed", "Show closed", id="coordinator.closed", show=False),
        Binding("i", "import_bundle", "Import", id="coordinator.import", tooltip="Import a handoff bundle (.json)"),
        Binding("escape", "back", "Back", id="coordinator.back"),
        Binding("D", "data", "Data", id="coordinator.data", tooltip="The coordinator's data: PBIS Big 5 and more",
                show=False),
        Binding("b", "process_board", "Processes", id="coordinator.processes",
                tooltip="Restorative processes: the caseload board", show=False),
        Binding("question_mark", "help", "Help", id="coordinator.help"),
        Binding("q", "quit", "Quit", id="coordinator.quit"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.show_closed = False
        self.view = "referrals"
        self.filters = Filters()
        self.referrals: dict = {}
        self.schools: dict[str, str] = {}
        self.items: dict = {}
        self._width = 0
        self._layouts: dict = {}
        self._school_labels: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="coordinator-title", markup=False)
        yield DataTable(id="coordinator-queue", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="coordinator-day", cursor_type="row", zebra_stripes=True)
        yield Static("", id="coordinator-detail", markup=False)
        yield Static("", id="coordinator-message", markup=False)
        yield ShiftFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#coordinator-day").display = False
        self.reload()
        self.query_one("#coordinator-queue", DataTable).focus()
        self._seen = changes_seen(self.app.desk)
        self.set_interval(OTHER_DESKS_POLL, self.poll_other_desks)

    # ------------------------------------------------------------------ showing
    @property
    def district(self) -> bool:
        """True on a coordinator's own database (several schools possible): each row names its school."""
        return is_coordinator(self.app.desk)

    def _table(self) -> DataTable:
        return self.query_one("#coordinator-queue" if self.view == "referrals" else "#coordinator-day", DataTable)

    def _layout(self, table: DataTable, cols: list[Col]) -> list:
        width = self.app.size.width
        # the school column as wide as the longest short name served (at most 15), only where several can be
        # (and not when one school is shown: the title names it); narrow, each school's shortest label
        several = self.district and self.filters.school is None
        self._school_labels = _school_labels([s.short for s in served(self.app.desk)]) if several else {}
        wide = max((len(s) for s in self._school_labels), default=6)
        short = max((len(s) for s in self._school_labels.values()), default=6)
        shown = [dataclasses.replace(c, width=max(6, min(12, short)), wide=max(6, min(15, wide)))
                 if c.key == "school" else c for c in cols if c.key != "school" or several]
        key = (table.id, width, several, wide)
        if self._layouts.get(table.id) != key or not table.columns:
            self._layouts[table.id] = key
            setattr(self, f"_fit_{table.id}", set_columns(table, shown, width, self.app.desk.words))
        else:
            table.clear()
        return getattr(self, f"_fit_{table.id}")

    def reload(self, keep: str | None = None) -> None:
        """Read the list in use (and the title) from the services and show it; the cursor stays on ``keep``."""
        if self.view == "referrals":
            self._fill_referrals()
        else:
            self._fill_day()
        table = self._table()
        rows = self.referrals if self.view == "referrals" else self.items
        if keep and keep in rows:
            table.move_cursor(row=table.get_row_index(keep), animate=False)
        self._show_title()
        self._show_detail()
        self.refresh_bindings()

    def _fill_referrals(self) -> None:
        desk = self.app.desk
        refs = svc.queue(desk, include_closed=self.show_closed, filters=self.filters)
        self.referrals = {r.id: r for r in refs}
        self.schools = svc.school_of_referrals(desk, refs)
        names = svc.students_of(desk, refs)
        table = self.query_one("#coordinator-queue", DataTable)
        layout = self._layout(table, COLUMNS)
        narrow = any(c.key == "next" for c, _, _ in layout)
        room = next((w for c, _, w in layout if c.key == "students"), 20)
        for r in refs:
            cells = self._referral_cells(r, names, narrow, room)
            table.add_row(*[cut(cells[c.key], w) for c, _, w in layout], key=r.id)

    def _referral_cells(self, r, names, narrow: bool, room: int = 20) -> dict[str, str]:
        desk = self.app.desk
        age = f"{svc.age_days(desk, r)}d"
        urgency = "URGENT" if r.urgency.value == "urgent" else r.urgency.label
        if narrow:
            urgency = {"urgent": "URG", "soon": "soon", "routine": ""}[r.urgency.value]
        who = _people(r.students, names, narrow, room)
        status = word(desk.clock, r) if r.status is not ReferralStatus.HANDED_OFF else "Handed off"
        if r.voided:
            status = f"VOIDED: {r.void_reason}"
        meeting = ""
        if r.scheduled_for:
            meeting = meeting_when(desk.clock, r) + (f", {r.place}" if r.place else "")
        school = self.schools.get(r.id, "")
        return {"urgency": f"{urgency} {age}".strip(),
                "school": self._school_labels.get(school, school) if narrow else school,
                "students": who, "purpose": r.purpose.label, "status": status,
                "facilitator": r.facilitator or "", "scheduled": meeting, "to": r.destination,
                "next": self._next_step(r, status)}

    def _next_step(self, r, status: str) -> str:
        """What the narrow list says instead of status, facilitator and meeting: the state, then what's next."""
        if r.voided:
            return status
        if r.status is ReferralStatus.HANDED_OFF:
            return "New → accept / decline"
        if r.status is ReferralStatus.CLOSED:
            return status + " (o reopens)"
        bits = []
        if r.scheduled_for:
            bits.append(meeting_when(self.app.desk.clock, r) + (f" {r.place}" if r.place else ""))
        else:
            bits.append("Accepted → schedule")
        if r.facilitator:  # the family name is enough here (the detail has it in full)
            bits.append(r.facilitator.split()[-1])
        return " · ".join(bits)

    def _fill_day(self) -> None:
        desk = self.app.desk
        items = svc.day_items(desk, self.filters)
        self.items = {i.key: i for i in items}
        roster = desk.store.students_by_id([s for i in items for s in i.students])
        table = self.query_one("#coordinator-day", DataTable)
        layout = self._layout(table, DAY_COLUMNS)
        narrow = self.app.size.width < NARROW
        room = next((w for c, _, w in layout if c.key == "students"), 20)
        for i in items:
            when = i.when if not hasattr(i.when, "hour") else desk.clock.local(i.when)
            kind = (_SHORT_KINDS.get(i.kind) if narrow else None) or svc.KIND_LABELS[i.kind]
            kind += " !" if i.alert else ""
            who = _people(i.students, roster, narrow, room) or "—"
            school = self._school_labels.get(i.school, i.school) if narrow else i.school  # as the referrals say it
            cells = {"school": school, "kind": kind, "when": when.strftime("%m/%d %H:%M") if hasattr(when, "hour")
                     else when.strftime("%m/%d"), "students": who, "what": i.what}
            table.add_row(*[cut(cells[c.key], w) for c, _, w in layout], key=i.key)

    def _scope(self) -> str:
        f = self.filters
        if self.district:
            schools = served(self.app.desk)
            school = f.school or (f"all {len(schools)} schools" if len(schools) != 1 else schools[0].short)
        else:
            school = self.app.desk.profile.school.short_name or "this school"
        day = f.day.isoformat() if f.day else "all days"
        handoff = ""
        if f.handoff_id:
            h = self.app.desk.store.get(Handoff, f.handoff_id)
            handoff = f" · handoff #{h.sequence} {h.signed_by}" if h else ""
        return f"{school} · {day}{handoff}"

    def _show_title(self) -> None:
        if self.view == "referrals":
            refs = list(self.referrals.values())
            open_count = sum(1 for r in refs if r.status is not ReferralStatus.CLOSED and not r.voided)
            closed = sum(1 for r in refs if r.status is ReferralStatus.CLOSED)
            text = (f"1 Referrals — {self._scope()}: {open_count} open"
                    + (f", {closed} closed" + ("" if self.show_closed else " today") if closed else ""))
        else:
            text = f"2 Whole handoff — {self._scope()}: {len(self.items)} item(s)"
        self.query_one("#coordinator-title", Static).update(literal(text, one_line=True))

    def on_resize(self) -> None:
        self.set_class(self.app.size.width < FOOTER_ONE_LINE_WIDTH, "-two-line-footer")
        if self.app.size.width != self._width:
            self._width = self.app.size.width
            if self.is_mounted and self._layouts:
                current = self._current_key()
                self.reload(keep=current)

    def poll_other_desks(self) -> None:
        """Every ~2 s: another desk's save to this file (a new handoff, on a school's database) shows here."""
        seen = changes_seen(self.app.desk)
        if seen is None or seen == self._seen:
            return
        self._seen = seen
        if self.app.screen is self:
            self.reload(keep=self._current_key())

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()
        self.refresh_bindings()

    def _current_key(self) -> str | None:
        table = self._table()
        if table.row_count == 0 or table.cursor_row is None:
            return None
        return table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value

    def _selected(self):
        """The referral under the cursor (None in the whole-handoff list or an empty one)."""
        if self.view != "referrals":
            return None
        key = self._current_key()
        return self.referrals.get(key) if key else None

    def _show_detail(self) -> None:
        detail = self.query_one("#coordinator-detail", Static)
        if self.view == "day":
            key = self._current_key()
            item = self.items.get(key) if key else None
            detail.update(literal(self._item_detail(item) if item else
                                  "Nothing in these handoffs. [ ] change the day, S the school, 0 shows everything."))
            return
        ref = self._selected()
        if ref is None:
            detail.update("Nothing handed off here yet. i imports a bundle from the handoff folder."
                          if not any(self.filters.__dict__.values()) else
                          "No referrals for this school, day or handoff: 0 shows everything.")
            return
        detail.update(literal("\n".join(self._referral_detail(ref))))

    def _item_detail(self, item) -> str:
        desk = self.app.desk
        roster = desk.store.students_by_id(item.students)
        who = "; ".join(roster[s].describe() if s in roster else s for s in item.students)
        return (f"{item.school} · {svc.label_of(desk, item.handoff)}" + (f"\n{who}" if who else "")
                + f"\n{item.detail}")

    def _referral_detail(self, ref) -> list[str]:
        desk = self.app.desk
        clock, words = desk.clock, desk.words
        made = f"Referred {words.stamp(clock.local(ref.referred_at))}"
        if ref.handed_off_at:
            made += f" · handed off {words.stamp(clock.local(ref.handed_off_at))}"
        if ref.handoff_id:
            made += " · from " + svc.handoff_label(desk, ref)
        lines = [f"VOIDED by the advocate: {ref.void_reason}"] if ref.voided else []
        names = svc.students_of(desk, [ref])
        school = self.schools.get(ref.id, "")
        lines.append("; ".join((names[s].describe() if s in names else s)
                               + (f" — {role.label.lower()}" if (role := ref.role_of(s)) else "") for s in ref.students)
                     + (f" · {school}" if school and self.district else ""))
        plan = [f"{ref.urgency.label} · {ref.purpose.label} → {ref.destination}", word(clock, ref)]
        if ref.scheduled_for and ref.status is not ReferralStatus.ACCEPTED:
            plan.append(f"meeting was {clock.local(ref.scheduled_for).format('ddd')} {words.stamp(clock.local(ref.scheduled_for))}"
                        + (f", {ref.place}" if ref.place else ""))
        lines += [" · ".join(plan)]
        if ref.outcome_note and ref.outcome is not ReferralOutcome.DECLINED:
            lines.append(f"Outcome note: {ref.outcome_note}")
        if ref.coordinator_note:
            lines.append(f"Note for the advocate: {ref.coordinator_note}")
        reopened = [e for e in desk.store.history(ref.id) if (e.note or "").startswith("reopened: ")]
        if reopened:
            last = reopened[-1]
            lines.append(f"Reopened {words.date_time(clock.local(last.at), padded=True)} by {last.by}: "
                         f"{last.note.removeprefix('reopened: ')}")
        lines += [f"Reason: {ref.reason}" + (" (amended by the advocate)" if ref.amended else ""), made]
        return lines

    def _message(self, text: str, *, error: bool = False, warning: bool = False) -> None:
        msg = self.query_one("#coordinator-message", Static)
        msg.update(literal(text))
        msg.set_class(error, "-error")
        msg.set_class(warning and not error, "-warning")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer shows a referral's actions in the referral list only (there every key works, and says
        why not when it can't: a voided or closed referral), and 1 or 2, whichever list is not shown; "esc Back"
        (and escape does something) only when there is a screen to go back to."""
        if action == "back":
            return self._can_go_back()
        if action in _REFERRAL_ACTIONS:
            return self.view == "referrals"
        if action == "view":
            return parameters[0] != self.view
        return True

    def _apply(self, ref_id: str, change, done: str) -> None:
        """Run a change; say what happened (or why not) on the message line; the cursor stays on the row."""
        try:
            saved = change()
        except CoordinatorError as exc:
            self._message(str(exc), error=True)
            return
        warning = svc.schedule_warning(self.app.desk, saved.scheduled_for) if done == "Scheduled." else None
        self._message(f"{done} {warning}" if warning else done, warning=bool(warning))
        self.reload(keep=ref_id)

    # ------------------------------------------------------------------ referral actions
    def _ask(self, action: str):
        ref = self._selected()
        if ref is None:
            self._message("Select a referral first (1 shows the referrals).", warning=True)
        return ref

    def action_accept(self) -> None:
        ref = self._ask("accept")
        if ref is not None:
            self._apply(ref.id, lambda: svc.accept(self.app.desk, ref.id), "Accepted.")

    def action_assign(self) -> None:
        ref = self._ask("assign")
        if ref is None:
            return
        ask = CoordinatorAsk(f"Assign a facilitator: {self._who(ref)}",
                             [("facilitator", "Facilitator", "name (the staff list is offered)")],
                             initial={"facilitator": ref.facilitator or ""},
                             staff={"facilitator": list(self.app.desk.profile.staff)})
        ask.check = lambda v: None if v["facilitator"].strip() else "type the facilitator's name"

        def done(values: dict | None) -> None:
            if values:
                self._apply(ref.id, lambda: svc.assign(self.app.desk, ref.id, values["facilitator"]),
                            "Facilitator assigned.")
        self.app.push_screen(ask, done)

    def action_schedule(self) -> None:
        ref = self._ask("schedule")
        if ref is None:
            return
        clock = self.app.desk.clock
        ask = CoordinatorAsk(f"Schedule the meeting: {self._who(ref)}",
                             [("date", "Date", f"today, +3d, fri, {self.app.desk.words.date_example()}"), ("time", "Time", "10:40, 2:15pm or P3"),
                              ("place", "Place (optional)", "Room 114")],
                             initial={"place": ref.place or ""})

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
                self._apply(ref.id, lambda: svc.schedule(self.app.desk, ref.id, when(values), values["place"]),
                            "Scheduled.")
        self.app.push_screen(ask, done)

    def action_decline(self) -> None:
        ref = self._ask("decline")
        if ref is None:
            return
        ask = CoordinatorAsk(f"Decline the referral of {self._who(ref)}",
                             [("reason", "Why (the school's advocate reads it)", "e.g. handled by the school's counselor")],
                             max_length=4000)
        ask.check = lambda v: None if v["reason"].strip() else "say why it is declined (the school reads it)"

        def done(values: dict | None) -> None:
            if values:
                self._apply(ref.id, lambda: svc.decline(self.app.desk, ref.id, values["reason"]),
                            "Declined (o reopens it).")
        self.app.push_screen(ask, done)

    def action_close_referral(self) -> None:
        ref = self._ask("close")
        if ref is None:
            return
        ask = CoordinatorAsk(f"Close the referral of {self._who(ref)} with an outcome",
                             [("note", "Note (declined: the reason)", "what was agreed or done")],
                             outcomes=True, max_length=4000)

        def check(values: dict) -> str | None:
            if not values.get("outcome"):
                return "pick an outcome (1–4)"
            if values["outcome"] is ReferralOutcome.DECLINED and not values["note"].strip():
                return "say why it is declined (the school reads it)"
            return None
        ask.check = check

        def done(values: dict | None) -> None:
            if not values:
                return
            outcome = values["outcome"]

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._apply(ref.id, lambda: svc.close(self.app.desk, ref.id, outcome, values["note"]),
                                f"Closed: {outcome.label} (o reopens it).")
                else:
                    self._message("Not closed: the referral stays open.")
            self.app.push_screen(CloseConfirm(f"Close the referral of {self._who(ref)} as “{outcome.label}”? "
                                              "(o reopens it, with a reason.)",
                                              "y close it", "n, enter or escape keep it open"), confirmed)
        self.app.push_screen(ask, done)

    def _who(self, ref) -> str:
        """'Omar Hassan (Mediation)': whose referral a dialog is about."""
        names = svc.students_of(self.app.desk, [ref])
        who = ", ".join(names[s].display_name if s in names else s for s in ref.students)
        return f"{who} ({ref.purpose.label})"

    def action_reopen(self) -> None:
        ref = self._ask("reopen")
        if ref is None:
            return
        if ref.status is not ReferralStatus.CLOSED:
            self._message("That referral is not closed.", warning=True)
            return
        ask = CoordinatorAsk(f"Reopen the referral of {self._who(ref)}",
                             [("reason", "Why (kept in its history)", "e.g. closed by mistake")], max_length=4000)
        ask.check = lambda v: None if v["reason"].strip() else "say why it is reopened (kept in its history)"

        def done(values: dict | None) -> None:
            if values:
                self._apply(ref.id, lambda: svc.reopen(self.app.desk, ref.id, values["reason"]), "Reopened.")
        self.app.push_screen(ask, done)

    def action_note(self) -> None:
        ref = self._ask("note")
        if ref is None:
            return
        ask = CoordinatorAsk(f"A note for the school's advocate: {self._who(ref)}",
                             [("note", "Note", "e.g. bring the class list")],
                             initial={"note": ref.coordinator_note}, max_length=4000)

        def done(values: dict | None) -> None:
            if values is not None:
                self._apply(ref.id, lambda: svc.note(self.app.desk, ref.id, values["note"]), "Note saved.")
        self.app.push_screen(ask, done)

    # ------------------------------------------------------------------ the reply
    def action_reply(self) -> None:
        """Sign and write the reply to the school shown (or to every school with something new)."""
        desk = self.app.desk
        if not self.district:
            self._message("This is the school's own database: the advocate's desk shows your decisions already, "
                          "no reply is needed.", warning=True)
            return
        school = self.filters.school
        targets = [school] if school else [s.short for s in served(desk) if reply_service.pending(desk, s.short)]
        counts = {s: len(reply_service.pending(desk, s)) for s in targets}
        to = (f"{school} ({counts.get(school, 0)} referral(s) with new word)" if school else
              ", ".join(f"{s} ({n})" for s, n in counts.items()) or "nobody: no school has new word (S picks the "
                                                                     "school a note alone is for)")
        ask = CoordinatorAsk(f"Reply to {to}", [("note", "A note for the advocate (optional)",
                                                 "e.g. two meetings on Tuesday")], max_length=4000)

        def done(values: dict | None) -> None:
            if values is None:
                return
            try:
                written = reply_service.write_replies(desk, school=school, note=values["note"])
            except reply_service.ReplyError as exc:
                self._message(str(exc), error=True)
                return
            folder = written[0].paths[0].parent
            # the files first, the folder after them: at 80 columns the three lines hold it all
            self._message("Signed and written: " + ", ".join(
                f"{w.paths[0].name} ({len(w.reply.referrals)} referral(s))" for w in written)
                + f" in {folder} — the school imports it: advocate handoff import FILE")
        self.app.push_screen(ask, done)

    # ------------------------------------------------------------------ views and filters
    def action_view(self, view: str) -> None:
        if view == self.view:
            return
        self.view = view
        self.query_one("#coordinator-queue").display = view == "referrals"
        self.query_one("#coordinator-day").display = view == "day"
        self.reload()
        self._table().focus()

    def _refilter(self, **changes) -> None:
        self.filters = dataclasses.replace(self.filters, **changes)
        self.reload()

    def action_next_school(self) -> None:
        """`S`: every school, then each school in turn (a coordinator's database)."""
        if not self.district:
            self._message("This database is one school's: everything here is that school's.")
            return
        choices = [None] + [s.short for s in served(self.app.desk)]
        index = choices.index(self.filters.school) if self.filters.school in choices else 0
        self._refilter(school=choices[(index + 1) % len(choices)], handoff_id=None)
        self._message(f"School: {self.filters.school or 'all'}.")

    def action_day(self, step: int) -> None:
        """`[` an earlier handoff day, `]` a later one (past the latest: all days)."""
        days = svc.days(self.app.desk, self.filters.school)
        if not days:
            self._message("No handoffs yet.", warning=True)
            return
        if self.filters.day is None:
            day = days[0] if step > 0 else None
        else:
            index = days.index(self.filters.day) if self.filters.day in days else 0
            index += step
            day = days[index] if 0 <= index < len(days) else (None if index < 0 else days[-1])
        self._refilter(day=day, handoff_id=None)

    def action_next_handoff(self) -> None:
        handoffs = svc.handoffs(self.app.desk, Filters(school=self.filters.school, day=self.filters.day))
        if not handoffs:
            self._message("No handoffs for this school and day.", warning=True)
            return
        ids = [None] + [h.id for h in handoffs]
        index = ids.index(self.filters.handoff_id) if self.filters.handoff_id in ids else 0
        self._refilter(handoff_id=ids[(index + 1) % len(ids)])

    def action_all(self) -> None:
        self._refilter(school=None, day=None, handoff_id=None)

    def action_toggle_closed(self) -> None:
        self.show_closed = not self.show_closed
        self.reload(keep=self._current_key())

    # ------------------------------------------------------------------ importing a bundle
    def action_import_bundle(self) -> None:
        """The bundles waiting in the handoff folder to pick from (or a path to type)."""
        folder, files = svc.inbox(self.app.desk)

        def picked(path: str | None) -> None:
            if path is None:
                return
            if path:
                self._import(path)
                return
            ask = CoordinatorAsk("Import a handoff bundle",
                                 [("path", "Bundle file (.json)", "/path/to/handoff-….json")], max_length=4000)
            ask.check = lambda v: None if v["path"].strip() else "type the bundle's path"
            self.app.push_screen(ask, lambda values: self._import(values["path"].strip()) if values else None)
        self.app.push_screen(BundlePicker(folder, files), picked)

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
        b = pending.bundle
        trusted = f"Trusted the desk key {pending.fingerprint} for {b.school_short}. " if result.trusted_now else ""
        self._message(trusted + ("Imported" if result.changed else "Already imported, nothing changed:")
                      + f" {b.school_short} handoff {b.date} #{b.sequence} ({b.handoff.signed_by}): "
                      + result.short_line())
        self._layouts.clear()  # a first bundle makes this a coordinator's database: the school column appears
        self.reload(keep=self._current_key())

    # ------------------------------------------------------------------ other screens
    def action_data(self) -> None:
        from .data_commands import open_data

        open_data(self.app)

    def action_help(self) -> None:
        self.app.push_screen(CoordinatorHelp())

    def action_process_board(self) -> None:
        """b: the restorative caseload board (issue 12)."""
        from .processes import ProcessBoard

        self.app.push_screen(ProcessBoard())

    async def action_quit(self) -> None:
        """q: quit the app (the app asks first when a dialog or form holds typed text)."""
        await self.app.action_quit()

    def _can_go_back(self) -> bool:
        """Opened over the shift screen (the palette): escape goes back; `advocate --coordinator` has
        nothing behind it."""
        return not getattr(self.app, "coordinator", False) and len(self.app.screen_stack) > 2

    def action_back(self) -> None:
        """Back to the shift screen when opened from it; `advocate --coordinator` stays here."""
        if self._can_go_back():
            self.dismiss()


def _school_labels(shorts: list[str]) -> dict[str, str]:
    """Each school's label in a narrow list: the first part of its short name when no other school's starts
    the same ('cedar' for cedar-hollow-hs beside lincoln-ms), else the whole short name."""
    firsts = [s.split("-")[0] for s in shorts]
    return {s: f if firsts.count(f) == 1 else s for s, f in zip(shorts, firsts)}


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


def _people(ids: list[str], names: dict, narrow: bool, room: int) -> str:
    """The students of a row: full names, or narrow 'Zo O.' ('Zo O. +1' rather than a name cut short)."""
    who = [(names[s].display_name if not narrow else
            f"{names[s].preferred_name or names[s].given_name} {names[s].family_name[:1]}.")
           if s in names else s for s in ids]
    if len(who) > 1 and len(", ".join(who)) > room:
        who = [f"{who[0]} +{len(who) - 1}"]
    return ", ".join(who)
