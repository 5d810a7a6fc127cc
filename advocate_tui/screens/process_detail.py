"""One restorative process: its parties, meetings, agreement items and check-ins, one row each, and the
keys for each step (they act on the selected row where one is needed).

Parties: ``r`` role · ``w`` willing · ``k`` acknowledges · ``c`` consent to share · ``y`` safety · ``h`` wishes · ``p`` preparation ·
``Q`` questionnaire · ``P`` add a party. Meetings: ``m`` schedule · ``M`` hold (asks a reason when
something is missing for a face-to-face meeting). Agreement: ``i`` add an item · ``d`` done ·
``n`` not done · ``v`` waived. ``K`` a check-in (``d`` on a check-in marks it done) · ``t`` the
harmed party told · ``x`` close. Everything a person typed is shown through ``literal``.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ..clock import WhenError, parse_date
from ..models.process import (
    ClosingReason,
    ItemKind,
    ItemStatus,
    Process,
)
from ..services import process_lists
from ..services import processes as svc
from ..widgets.literal import literal
from ..wording import words_of
from .fit_columns import Col, cut, set_columns
from .ask_dialog import date_and_time
from .process_dialogs import ProcessAsk
from .process_party_steps import PartySteps

__all__ = ["ProcessDetail"]

COLUMNS = [Col("what", "", "", 9), Col("text", "Who / what", "Who / what", 24, flex=3),
           Col("state", "State", "State", 18, flex=2)]


class ProcessDetail(PartySteps, Screen):
    """A process: a summary, then its parties, meetings, agreement items and check-ins."""

    CSS_PATH = "processes.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="detail.back"),
        Binding("w", "willing", "Willing", id="detail.willing"),
        Binding("k", "acknowledges", "Ack.", id="detail.ack"),
        Binding("r", "role", "Role", id="detail.role", show=False),
        Binding("c", "consent", "Consent", id="detail.consent", show=False),
        Binding("p", "prepare", "Prep", id="detail.prep"),
        Binding("m", "schedule", "Meeting", id="detail.schedule"),
        Binding("M", "hold", "Held", id="detail.hold"),
        Binding("i", "add_item", "Item", id="detail.item"),
        Binding("d", "mark('done')", "Done", id="detail.done"),
        Binding("n", "mark('not_done')", "Not done", id="detail.not_done"),
        Binding("v", "mark('waived')", "Waived", id="detail.waived", show=False),
        Binding("t", "told", "Told", id="detail.told"),
        Binding("x", "close_process", "Close", id="detail.close"),
        Binding("y", "safety", "Safety", id="detail.safety", show=False),
        Binding("h", "wishes", "Wishes", id="detail.wishes", show=False),
        Binding("Q", "questionnaire", "Questionnaire", id="detail.questionnaire", show=False),
        Binding("P", "add_party", "Add party", id="detail.add_party", show=False),
        Binding("K", "add_check_in", "Check-in", id="detail.check_in", show=False),
    ]

    def __init__(self, process_id: str) -> None:
        super().__init__()
        self.process_id = process_id
        self.process: Process | None = None
        self._width = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="detail-top"):
            yield Static("", id="detail-summary")
        yield DataTable(id="detail-rows", cursor_type="row", zebra_stripes=True)
        yield Static("", id="detail-keys")
        yield Static("", id="detail-message")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#detail-rows").focus()

    def reload(self, keep: str | None = None) -> None:
        desk = self.app.desk
        self.process = p = desk.store.get(Process, self.process_id)
        if p is None:
            return
        table = self.query_one("#detail-rows", DataTable)
        keep = keep or self._key()
        width = self.app.size.width
        if width != self._width or not table.columns:
            self._layout = set_columns(table, COLUMNS, width)
            self._width = width
        else:
            table.clear()
        roster = desk.store.students_by_id(p.student_ids())
        clock = desk.clock
        words = words_of(desk.profile)
        for party in p.parties:
            bits = [f"willing {party.willing.label.lower()}"]
            if party.role.responsible:
                bits.append(f"acknowledges {party.acknowledges.label.lower() if party.acknowledges else '?'}")
            if party.preparation:
                bits.append(f"prepared ×{len(party.preparation)}")
            if party.unresolved_safety:
                bits.append("KEEP APART" if party.keep_apart else "SAFETY")
            if party.consents_to_share is not None:
                bits.append("shares" if party.consents_to_share else "no sharing")
            self._row(table, f"party:{party.id}", "Party",
                      f"{process_lists.party_label(desk, party, roster)} · {party.role.label}", ", ".join(bits))
        for m in sorted(p.meetings, key=lambda m: m.at):
            state = ("held" + (", agreement" if m.agreement_reached else "") + (f", {m.minutes} min" if m.minutes else "")
                     + (f", {m.participants} took part" if m.participants is not None else "")
                     + (" (reason recorded)" if m.unsuitable_reason else "")) if m.held else "planned"
            self._row(table, f"meeting:{m.id}", "Meeting",
                      words.date_time(clock.local(m.at), weekday=True) + (f" · {m.place}" if m.place else ""), state)
        today = clock.today()
        for item in p.items:
            owner = p.party(item.owner)
            state = item.status.label + (f" {words.date(clock.local(item.checked_at).date())}" if item.checked_at else "")
            if item.done_late:
                state += " (late)"
            elif item.status is ItemStatus.OPEN and item.due < today:
                state = "OVERDUE"
            extra = f" · {item.hours:g} h at {item.site or item.partner}" if item.item_kind is ItemKind.REPARATION \
                and item.hours is not None else ""
            self._row(table, f"item:{item.id}", "Item",
                      f"{item.what} · {process_lists.party_label(desk, owner, roster) if owner else '?'} · due "
                      f"{words.date(item.due)}{extra}", state)
        for c in p.check_ins:
            self._row(table, f"check:{c.id}", "Check-in", f"due {words.day(c.due)}" + (f" · {c.note}" if c.note else ""),
                      f"done {words.date(clock.local(c.done_at).date())}" if c.done_at else ("OVERDUE" if c.due < today else "due"))
        if keep:
            try:
                table.move_cursor(row=table.get_row_index(keep))
            except Exception:  # the row is gone (never for these rows: nothing is removed)
                pass
        self._summary()

    def _row(self, table: DataTable, key: str, what: str, text: str, state: str) -> None:
        cells = {"what": what, "text": text, "state": state}
        table.add_row(*[cut(cells[c.key], w) for c, _, w in self._layout], key=key)

    def _summary(self) -> None:
        desk, p = self.app.desk, self.process
        words = words_of(desk.profile)
        origin = "from a referral" if p.referral_id else "from an incident" if p.incident_id else "no referral"
        lines = [f"{process_lists.kind_name(desk, p.process_kind)} · Tier {p.tier} · {p.stage.label} · {origin}"
                 + (f" · facilitator {p.facilitator}" if p.facilitator else "")
                 + (" · indirect" if p.indirect else "")]
        if p.group_name or p.topic:
            lines.append(f"Class {p.group_name}" + (f" · topic: {p.topic}" if p.topic else ""))
        if p.closed_at is None and not p.held_meetings:
            missing = process_lists.missing_for_meeting(desk, p)
            lines.append("Ready for a face-to-face meeting." if not missing else "Missing before a meeting: "
                         + "; ".join(missing))
        for party in p.parties:
            if party.wishes:
                lines.append(f"{process_lists.party_label(desk, party)} wishes: {party.wishes}")
            if party.safety_concern:
                lines.append(f"Safety ({process_lists.party_label(desk, party)}): {party.safety_concern}"
                             + (" — resolved" if party.safety_resolved else ""))
        for m in p.meetings:
            if m.unsuitable_reason:
                lines.append(f"Held {words.date(desk.clock.local(m.at).date())} anyway because: {m.unsuitable_reason}")
        if p.harmed_told_at:
            lines.append(f"Harmed party told {words.date(desk.clock.local(p.harmed_told_at).date())} ({p.harmed_told_how}): "
                         f"agreement {'completed' if p.harmed_told_completed else 'not completed'}")
        if p.closed_at:
            lines.append(f"Closed {words.date(desk.clock.local(p.closed_at).date())}: {p.closing_reason.label}"
                         + (f" — {p.closing_note}" if p.closing_note else ""))
        self.query_one("#detail-summary", Static).update(literal("\n".join(lines)))
        self.query_one("#detail-keys", Static).update(literal(
            "party: r role · w willing · k ack. · c consent · y safety · h wishes · p prep · Q questions · P add │ m meeting · M held │ "
            "i item · d done · n not done · v waived │ K check-in · t told · x close"))

    # ------------------------------------------------------------------ helpers
    def _key(self) -> str | None:
        table = self.query_one("#detail-rows", DataTable)
        if table.row_count == 0 or table.cursor_row is None:
            return None
        return table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value

    def _selected(self, kind: str) -> str | None:
        key = self._key()
        if key and key.startswith(kind + ":"):
            return key.split(":", 1)[1]
        self.message({"party": "Pick a party first (arrows).", "item": "Pick an agreement item first (arrows).",
                      "meeting": "Pick a meeting first."}.get(kind, "Pick a row first."), error=True)
        return None

    def message(self, text: str, *, error: bool = False) -> None:
        msg = self.query_one("#detail-message", Static)
        msg.update(literal(text))
        msg.set_class(error, "-error")

    def _do(self, step, done: str, keep: str | None = None) -> bool:
        try:
            step()
        except svc.ProcessError as exc:
            self.message(str(exc), error=True)
            return False
        self.message(done)
        self.reload(keep=keep)
        return True

    def _ask(self, dialog: ProcessAsk, then) -> None:
        self.app.push_screen(dialog, lambda values: then(values) if values else None)

    def _date(self, text: str):
        return parse_date(text, self.app.desk.clock)

    # ------------------------------------------------------------------ meetings
    def action_schedule(self) -> None:
        when, check = date_and_time(self.app.desk.clock)
        self._ask(ProcessAsk("Schedule a meeting", [("date", "Date", "today, +3d, fri, 11/30", ""),
                                                     ("time", "Time", "10:40, 2:15pm or P3", ""),
                                                     ("place", "Place", "Room 12", "")], check=check),
                  lambda v: self._do(lambda: svc.schedule_meeting(self.app.desk, self.process_id, when(v),
                                                                  place=v["place"].strip()), "Meeting scheduled."))

    def action_hold(self) -> None:
        p = self.process
        key = self._key() or ""
        planned = [m for m in p.planned_meetings]
        meeting_id = key.split(":", 1)[1] if key.startswith("meeting:") and any(
            m.id == key.split(":", 1)[1] for m in planned) else (planned[0].id if planned else None)
        missing = process_lists.missing_for_meeting(self.app.desk, p)
        fields = [("minutes", "How long (minutes)", "45", "")]
        if missing:
            fields.append(("reason", "Missing: " + "; ".join(missing) + ". Why hold it anyway?", "reason", ""))

        def check(v: dict) -> str | None:
            if v["minutes"].strip() and not v["minutes"].strip().isdigit():
                return "how long: minutes, a whole number"
            if missing and not v.get("reason", "").strip():
                return "something is missing for a face-to-face meeting: give a reason to hold it anyway"
            return None

        def save(v: dict) -> None:
            minutes = int(v["minutes"]) if v["minutes"].strip() else None
            self._do(lambda: svc.hold_meeting(self.app.desk, self.process_id, meeting_id=meeting_id, minutes=minutes,
                                              agreement_reached=v["choice"], reason=v.get("reason", "")),
                     "Meeting held." + (" Add the agreement's items with i." if v["choice"] else ""))
        self._ask(ProcessAsk("The meeting was held", fields, choices=[(True, "Agreement reached"),
                                                                      (False, "No agreement")], check=check), save)

    # ------------------------------------------------------------------ agreement
    def action_add_item(self) -> None:
        desk, p = self.app.desk, self.process
        if not p.parties:
            self.message("Add a party first (P): an item has an owner.", error=True)
            return
        owners = [(x.id, process_lists.party_label(desk, x)) for x in p.parties]
        first_responsible = next((i for i, x in enumerate(p.parties) if x.role.responsible), 0)

        def check(v: dict) -> str | None:
            if not v["what"].strip():
                return "say what will be done"
            try:
                self._date(v["due"])
            except WhenError as exc:
                return f"due {exc}"
            if v["hours"].strip():
                try:
                    float(v["hours"])
                except ValueError:
                    return "hours: a number"
            return None

        def save(v: dict) -> None:
            reparation = any(v[k].strip() for k in ("partner", "site", "hours"))
            self._do(lambda: svc.add_item(desk, self.process_id, what=v["what"], owner=v["choice"],
                                          due=self._date(v["due"]),
                                          item_kind=ItemKind.REPARATION if reparation else ItemKind.ACTION,
                                          partner=v["partner"].strip(), site=v["site"].strip(),
                                          hours=float(v["hours"]) if v["hours"].strip() else None,
                                          risk_assessed_on=desk.clock.today() if reparation else None),
                     "Agreement item added.")
        self._ask(ProcessAsk("Agreement item", [
            ("what", "What will be done", "apologise in person", ""), ("due", "Due", "fri, +7d, 12/04", ""),
            ("partner", "Reparation: partner (optional)", "", ""), ("site", "Site", "", ""),
            ("hours", "Hours", "", "")], choices=owners, choice_label="Who owns it:", check=check,
            chosen=first_responsible), save)

    def action_mark(self, status: str) -> None:
        key = self._key() or ""
        if key.startswith("check:") and status == "done":
            cid = key.split(":", 1)[1]
            self._do(lambda: svc.mark_check_in(self.app.desk, self.process_id, cid), "Check-in done.", key)
            return
        if (iid := self._selected("item")) is None:
            return
        self._do(lambda: svc.mark_item(self.app.desk, self.process_id, iid, ItemStatus(status)),
                 f"Item {ItemStatus(status).label.lower()}.", f"item:{iid}")

    def action_add_check_in(self) -> None:
        def check(v: dict) -> str | None:
            try:
                self._date(v["due"])
            except WhenError as exc:
                return f"due {exc}"
            return None
        self._ask(ProcessAsk("Check-in", [("due", "Due", "+14d, 12/07", "")], check=check),
                  lambda v: self._do(lambda: svc.add_check_in(self.app.desk, self.process_id, self._date(v["due"])),
                                     "Check-in planned."))

    def action_told(self) -> None:
        self._ask(ProcessAsk("The harmed party was told the agreement was…", [("how", "How", "in person, phone…", "")],
                             choices=[(True, "Completed"), (False, "Not completed")],
                             check=lambda v: None if v["how"].strip() else "say how they were told"),
                  lambda v: self._do(lambda: svc.tell_harmed(self.app.desk, self.process_id, completed=v["choice"],
                                                             how=v["how"].strip()), "Harmed party told."))

    def action_close_process(self) -> None:
        reasons = [(r, r.label) for r in ClosingReason]
        self._ask(ProcessAsk("Close the process", [("note", "Note (optional)", "", "")], choices=reasons,
                             choice_label="Why (1–9):"),
                  lambda v: self._do(lambda: svc.close(self.app.desk, self.process_id, v["choice"], v["note"]),
                                     f"Closed: {v['choice'].label}."))

    def action_back(self) -> None:
        self.dismiss()
