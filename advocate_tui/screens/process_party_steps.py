"""What the advocate records about each party of a restorative process on its page: willingness, role, consent to
share, acknowledgment, safety, wishes, preparation meetings and questionnaires, and new parties."""

from __future__ import annotations

from ..clock import WhenError
from ..models.process import (
    Acknowledgment,
    Party,
    PartyRole,
    Relation,
    Willingness,
)
from ..services import processes as svc
from .process_dialogs import ProcessAsk


_YES_NO = [(True, "Yes"), (False, "No")]


class PartySteps:
    """The process page's steps on the party under the cursor: willing, role, consent, acknowledges, safety,
    wishes, preparation and questionnaire, and adding a party."""

    # ------------------------------------------------------------------ party steps
    def action_willing(self) -> None:
        if (pid := self._selected("party")) is None:
            return
        party = self.process.party(pid)
        opts = [(w, w.label) for w in Willingness]
        self._ask(ProcessAsk("Willing to take part?", choices=opts, chosen=[o for o, _ in opts].index(party.willing)),
                  lambda v: self._do(lambda: svc.update_party(self.app.desk, self.process_id, pid, willing=v["choice"]),
                                     f"Willing: {v['choice'].label}.", f"party:{pid}"))

    def action_role(self) -> None:
        if (pid := self._selected("party")) is None:
            return
        party = self.process.party(pid)
        opts = [(r, r.label) for r in PartyRole]
        changes = lambda v: {"role": v["choice"]} | ({} if v["choice"].responsible else {"acknowledges": None})
        self._ask(ProcessAsk("Their part in the process", choices=opts, chosen=list(PartyRole).index(party.role)),
                  lambda v: self._do(lambda: svc.update_party(self.app.desk, self.process_id, pid, **changes(v)),
                                     f"Role: {v['choice'].label}.", f"party:{pid}"))

    def action_consent(self) -> None:
        if (pid := self._selected("party")) is None:
            return
        self._ask(ProcessAsk("Agrees to their information being shared?", choices=_YES_NO),
                  lambda v: self._do(lambda: svc.update_party(self.app.desk, self.process_id, pid,
                                                              consents_to_share=v["choice"]),
                                     "Consent to share: " + ("yes." if v["choice"] else "no."), f"party:{pid}"))

    def action_acknowledges(self) -> None:
        if (pid := self._selected("party")) is None:
            return
        self._ask(ProcessAsk("Acknowledges the harm?", choices=[(a, a.label) for a in Acknowledgment]),
                  lambda v: self._do(lambda: svc.update_party(self.app.desk, self.process_id, pid,
                                                              acknowledges=v["choice"]),
                                     f"Acknowledges: {v['choice'].label}.", f"party:{pid}"))

    def action_safety(self) -> None:
        if (pid := self._selected("party")) is None:
            return
        party = self.process.party(pid)
        opts = [("none", "No concern"), ("concern", "A safety concern"), ("apart", "Keep apart"),
                ("resolved", "Concern resolved")]

        def save(v: dict) -> None:
            choice = v["choice"]
            changes = {"keep_apart": choice == "apart" or (party.keep_apart and choice == "resolved"),
                       "safety_resolved": choice == "resolved", "safety_concern": v["concern"].strip()}
            if choice == "none":
                changes = {"keep_apart": False, "safety_resolved": False, "safety_concern": ""}
            self._do(lambda: svc.update_party(self.app.desk, self.process_id, pid, **changes), "Safety recorded.",
                     f"party:{pid}")
        self._ask(ProcessAsk("Safety", [("concern", "What is the concern", "", party.safety_concern)], choices=opts),
                  save)

    def action_wishes(self) -> None:
        if (pid := self._selected("party")) is None:
            return
        party = self.process.party(pid)
        self._ask(ProcessAsk("What needs to happen (their wishes)", [("wishes", "Wishes", "", party.wishes)]),
                  lambda v: self._do(lambda: svc.update_party(self.app.desk, self.process_id, pid,
                                                              wishes=v["wishes"]), "Wishes recorded.", f"party:{pid}"))

    def action_prepare(self) -> None:
        if (pid := self._selected("party")) is None:
            return

        def check(v: dict) -> str | None:
            """A date that can't be read, said in the dialog (the note typed stays there)."""
            try:
                if v["on"].strip():
                    self._date(v["on"])
            except WhenError as exc:
                return f"date {exc}"
            return None

        def save(v: dict) -> None:
            on = self._date(v["on"]) if v["on"].strip() else None
            self._do(lambda: svc.add_preparation(self.app.desk, self.process_id, pid, on=on, by=v["by"].strip(),
                                                 note=v["note"]), "Preparation recorded.", f"party:{pid}")
        self._ask(ProcessAsk("Preparation meeting", [("note", "Note", "what was talked through", ""),
                                                      ("on", "Date (empty: today)", "today, mon, 11/30", ""),
                                                      ("by", "By", "name", self.app.desk.user)], check=check), save)

    def action_questionnaire(self) -> None:
        if (pid := self._selected("party")) is None:
            return

        def check(v: dict) -> str | None:
            for k in ("felt_heard", "fair", "repaired"):
                if v[k].strip() and v[k].strip() not in {"1", "2", "3", "4", "5"}:
                    return "answers are 1 (not at all) to 5 (completely)"
            if v["again"].strip().lower() not in {"", "y", "n", "yes", "no"}:
                return "would take part again: y or n"
            return None

        def save(v: dict) -> None:
            answers = {k: int(v[k]) for k in ("felt_heard", "fair", "repaired") if v[k].strip()}
            if v["again"].strip():
                answers["again"] = v["again"].strip().lower().startswith("y")
            answers["answered_on"] = self.app.desk.clock.today()
            self._do(lambda: svc.update_party(self.app.desk, self.process_id, pid, questionnaire=answers),
                     "Questionnaire recorded.", f"party:{pid}")
        self._ask(ProcessAsk("Questionnaire (1 not at all – 5 completely)", [
            ("felt_heard", "Felt heard", "1–5", ""), ("fair", "The process was fair", "1–5", ""),
            ("repaired", "The harm was repaired", "1–5", ""), ("again", "Would take part again (y/n)", "y", "")],
            check=check), save)

    def action_add_party(self) -> None:
        roles = [(r, r.label) for r in PartyRole]

        def save(v: dict) -> None:
            desk = self.app.desk
            who = v["who"].strip()
            student = desk.store.student(who) if who else None
            if student is None and who:
                found = desk.store.find_students(who, limit=2)
                student = found[0] if len(found) == 1 else None
            try:
                if student is not None:
                    party = Party(student_id=student.local_id, role=v["choice"])
                else:
                    relation = next((r for r in Relation if r.value.startswith(v["relation"].strip().lower()[:4])
                                     or r.label.lower().startswith(v["relation"].strip().lower())), None) \
                        if v["relation"].strip() else None
                    party = Party(name=who or None, relation=relation, role=v["choice"])
            except ValueError as exc:
                self.message(_first_line(exc), error=True)
                return
            self._do(lambda: svc.add_party(desk, self.process_id, party), "Party added.", f"party:{party.id}")
        self._ask(ProcessAsk("Add a party", [
            ("who", "Student (number or name) or an adult's name", "S1004, Marcus L, Mr. Lee", ""),
            ("relation", "An adult's relation", "parent, teacher, staff, community", "")],
            choices=roles, choice_label="Role (1–8):"), save)


def _first_line(exc: Exception) -> str:
    text = str(exc)
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        from ..models import describe

        return describe(exc)
    return text.splitlines()[0] if text else "not valid"
