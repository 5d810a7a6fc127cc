"""What the coordinator does to a handed-off referral, each change through the coordinator service and said on
the message line; and the reply that carries the changes back to the school."""

from __future__ import annotations

from ..models import ReferralOutcome, ReferralStatus
from ..services import coordinator as svc
from ..services import reply as reply_service
from ..services.reply_pending import pending
from ..services.coordinator import CoordinatorError
from ..services.schools import served
from .ask_dialog import date_and_time
from .coordinator_dialogs import CloseConfirm, CoordinatorAsk


class ReferralActions:
    """The coordinator's actions on the referral under the cursor (accept, facilitator, schedule, decline,
    close, reopen, note) and the signed reply to the school."""

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

    def _ask_then_apply(self, ref, ask: CoordinatorAsk, change, done: str) -> None:
        """Show ``ask``; with its values (not when cancelled) make ``change(values)`` and say ``done``."""
        self.app.push_screen(ask, lambda values: self._apply(ref.id, lambda: change(values), done)
                             if values is not None else None)

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

        self._ask_then_apply(ref, ask, lambda v: svc.assign(self.app.desk, ref.id, v["facilitator"]),
                             "Facilitator assigned.")

    def action_schedule(self) -> None:
        ref = self._ask("schedule")
        if ref is None:
            return
        ask = CoordinatorAsk(f"Schedule the meeting: {self._who(ref)}",
                             [("date", "Date", f"today, +3d, fri, {self.app.desk.words.date_example()}"), ("time", "Time", "10:40, 2:15pm or P3"),
                              ("place", "Place (optional)", "Room 114")],
                             initial={"place": ref.place or ""})
        when, ask.check = date_and_time(self.app.desk.clock)
        self._ask_then_apply(ref, ask, lambda v: svc.schedule(self.app.desk, ref.id, when(v), v["place"]),
                             "Scheduled.")

    def action_decline(self) -> None:
        ref = self._ask("decline")
        if ref is None:
            return
        ask = CoordinatorAsk(f"Decline the referral of {self._who(ref)}",
                             [("reason", "Why (the school's advocate reads it)", "e.g. handled by the school's counselor")],
                             max_length=4000)
        ask.check = lambda v: None if v["reason"].strip() else "say why it is declined (the school reads it)"

        self._ask_then_apply(ref, ask, lambda v: svc.decline(self.app.desk, ref.id, v["reason"]),
                             "Declined (o reopens it).")

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

        self._ask_then_apply(ref, ask, lambda v: svc.reopen(self.app.desk, ref.id, v["reason"]), "Reopened.")

    def action_note(self) -> None:
        ref = self._ask("note")
        if ref is None:
            return
        ask = CoordinatorAsk(f"A note for the school's advocate: {self._who(ref)}",
                             [("note", "Note", "e.g. bring the class list")],
                             initial={"note": ref.coordinator_note}, max_length=4000)

        self._ask_then_apply(ref, ask, lambda v: svc.note(self.app.desk, ref.id, v["note"]), "Note saved.")

    # ------------------------------------------------------------------ the reply
    def action_reply(self) -> None:
        """Sign and write the reply to the school shown (or to every school with something new)."""
        desk = self.app.desk
        if not self.district:
            self._message("This is the school's own database: the advocate's desk shows your decisions already, "
                          "no reply is needed.", warning=True)
            return
        school = self.filters.school
        targets = [school] if school else [s.short for s in served(desk) if pending(desk, s.short)]
        counts = {s: len(pending(desk, s)) for s in targets}
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
