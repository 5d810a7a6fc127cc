"""The demo school's restorative processes (issue 12): a caseload a coordinator would recognise.

A conference held last week whose agreement is being followed (an item done, one due today, one
overdue), a peer mediation planned for today (the advocate's due line says whom to collect), a harm
circle being assessed, a re-entry being prepared, a referral just taken up, a conference closed with
its agreement completed and the harmed student told, and a Tier 1 class circle. Each is planned as
timed steps on the demo's simulated clock (:meth:`advocate_tui.demo._Builder.at`) and written through
:mod:`advocate_tui.services.processes`, like a person at the board would. No Textual here.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from .models import Incident, IncidentStudent, Level, Motivation, Referral, ReferralPurpose, StudentRole, Urgency
from .models.process import Acknowledgment, ClosingReason, ItemKind, ItemStatus, Party, Process, Relation, Willingness
from . import demo_names as names
from .services import coordinator
from .services import processes as svc
from .services.processes import ProcessError

__all__ = ["plan_processes"]


def plan_processes(builder, rng: random.Random, busy: dt.date) -> None:
    """Plan the demo's processes on ``builder`` (run with the rest of the demo's events): their incidents
    and referrals in the weeks before ``busy`` (the demo's last day), each step at its own time."""
    _Plan(builder, rng, busy).all()


class _Plan:
    """The steps of each demo process, as timed events on the builder."""

    def __init__(self, builder, rng: random.Random, busy: dt.date) -> None:
        self.b, self.rng, self.busy = builder, rng, busy
        self.profile, self.calendar = builder.profile, builder.profile.calendar
        self.today = builder.clock.today()
        self.words = builder.desk.words
        self.staff = list(self.profile.staff) or ["Coordinator"]
        dests = self.profile.referral_destinations
        self.destination = next((d for d in dests if "coordinator" in d.casefold() or "rj" in d.casefold().split()),
                                dests[0])
        self.used: set[str] = set()
        self.ids: dict[str, str] = {}

    # ------------------------------------------------------------------ helpers
    def say(self, text: str) -> str:
        """One of the demo's phrases in the school's words (pupil, canteen… in a UK school)."""
        return names.phrase(self.words, text)

    def day(self, back: int) -> dt.date:
        """The school day ``back`` school days before the busy day."""
        return self.calendar.shift(self.busy, -back)

    def when(self, back: int, hhmm: str):
        hour, minute = map(int, hhmm.split(":"))
        return self.b.clock.at(self.day(back), dt.time(hour, minute))

    def step(self, back: int, hhmm: str, action: Callable[[], object]) -> None:
        def run() -> None:
            try:
                action()
            except (ProcessError, KeyError):
                pass  # a step whose process did not start (the demo's roster too small): left out
        self.b.at(self.when(back, hhmm), run)

    def students(self, n: int) -> list[str]:
        free = [s for s in self.b.ids if s not in self.used]
        chosen = self.rng.sample(free, min(n, len(free)))
        self.used.update(chosen)
        return chosen

    def harm(self, key: str, back: int, hhmm: str, roles: list[StudentRole], purpose: ReferralPurpose,
             reason: str, *, behavior_level: str = "major", incident: bool = True) -> list[str]:
        """An incident (when ``incident``) and the referral for a process, ``back`` school days ago."""
        sids = self.students(len(roles))
        occurred = self.when(back, hhmm)
        incident_id = None
        if incident:
            kinds = [b for b in self.profile.behaviors if b.level == behavior_level] or list(self.profile.behaviors)
            behavior = next((b for b in kinds if any(w in b.name.casefold() for w in ("aggress", "fight", "harass"))),
                            kinds[0])
            record = Incident(occurred_at=occurred, reported_at=occurred.add(minutes=10),
                              location=self.rng.choice(self.profile.locations), behavior=behavior.name,
                              level=Level(behavior.level), motivation=self.rng.choice(list(Motivation)),
                              students=[IncidentStudent(student_id=s, role=r) for s, r in zip(sids, roles)],
                              description=self.say(reason))
            self.b.add(occurred.add(minutes=10), record)
            incident_id = record.id
        referral = Referral(referred_at=occurred.add(minutes=40), students=[s for s, r in zip(sids, roles)
                                                                            if r is not StudentRole.WITNESS],
                            destination=self.destination, purpose=purpose, urgency=Urgency.SOON,
                            reason=self.say(reason), incident_id=incident_id)
        self.b.add(occurred.add(minutes=40), referral)
        self.ids[f"{key}:referral"] = referral.id
        return sids

    def start(self, key: str, back: int, hhmm: str, facilitator: str) -> None:
        def run() -> None:
            referral_id = self.ids[f"{key}:referral"]
            self.b.coordinate(coordinator.accept, referral_id)  # (handed off the day before)
            p = svc.start_from_referral(self.b.desk, referral_id, facilitator=facilitator)
            self.ids[key] = p.id
            for party in p.parties:
                if party.student_id:
                    self.ids[f"{key}:{party.student_id}"] = party.id
        self.step(back, hhmm, run)

    def party(self, key: str, sid: str) -> str:
        return self.ids[f"{key}:{sid}"]

    def ready(self, key: str, sid: str, *, responsible: bool = False, wishes: str = "") -> None:
        """What a prepared party said: willing, consents to share; a responsible one acknowledges the harm."""
        fields = {"willing": Willingness.YES, "consents_to_share": True}
        if responsible:
            fields["acknowledges"] = Acknowledgment.YES
        if wishes:
            fields["wishes"] = self.say(wishes)
        svc.update_party(self.b.desk, self.ids[key], self.party(key, sid), **fields)

    def prepare(self, key: str, sid: str, note: str, by: str) -> None:
        svc.add_preparation(self.b.desk, self.ids[key], self.party(key, sid), by=by, note=self.say(note))

    # ------------------------------------------------------------------ the caseload
    def all(self) -> None:
        self.following()
        self.mediation_today()
        self.assessing()
        self.preparing_reentry()
        self.just_referred()
        self.closed()
        self.class_circle()

    def following(self) -> None:
        """A conference held five school days ago; its agreement: one item done, one due today, one overdue."""
        key, facilitator = "conference", self.staff[0]
        a, b, _witness = self.harm(key, 9, "12:20", [StudentRole.RESPONSIBLE, StudentRole.HARMED, StudentRole.WITNESS],
                                  ReferralPurpose.CONFERENCE, "Pushed a student into the lockers after a name was "
                                  "called; the harmed student does not want to come to lunch.")
        self.start(key, 8, "08:20", facilitator)
        self.step(8, "10:05", lambda: self.prepare(key, a, "Went through the script; ready to say what happened.",
                                                   facilitator))
        self.step(8, "10:40", lambda: self.ready(key, a, responsible=True))
        self.step(7, "09:15", lambda: self.prepare(key, b, "Wants to be heard; a friend will come as a supporter.",
                                                   facilitator))
        self.step(7, "09:30", lambda: self.ready(key, b, wishes="An apology in person and to feel safe at lunch."))
        self.step(6, "14:00", lambda: svc.schedule_meeting(self.b.desk, self.ids[key], self.when(5, "13:00"),
                                                           place="Room 12"))

        def held() -> None:
            p = self.b.desk.store.get(Process, self.ids[key])
            svc.hold_meeting(self.b.desk, p.id, meeting_id=p.meetings[0].id, minutes=50, agreement_reached=True)
            owner = self.party(key, a)
            svc.add_item(self.b.desk, p.id, what="Apologise in person", owner=owner, due=self.day(4))
            svc.add_item(self.b.desk, p.id, what=self.say("Help the cafeteria staff at lunch (3 sessions)"),
                         owner=owner, due=self.today, item_kind=ItemKind.REPARATION,
                         partner=self.say("Cafeteria staff"), site=self.say("Cafeteria"),
                         hours=3, risk_assessed_on=self.day(5))
            svc.add_item(self.b.desk, p.id, what=self.say("Meet the counselor about handling anger"),
                         owner=owner, due=self.calendar.shift(self.today, -2))
            svc.add_item(self.b.desk, p.id, what="Check in with the advocate on Friday", owner=owner,
                         due=self.calendar.shift(self.today, 3))
        self.step(5, "13:55", held)

        def apology_done() -> None:
            p = self.b.desk.store.get(Process, self.ids[key])
            svc.mark_item(self.b.desk, p.id, p.items[0].id, ItemStatus.DONE)
        self.step(4, "11:30", apology_done)

    def mediation_today(self) -> None:
        """A peer mediation planned for today: the due line says whom to collect from which class."""
        key, facilitator = "mediation", self.staff[1 % len(self.staff)]
        a, b = self.harm(key, 3, "10:10", [StudentRole.INVOLVED, StudentRole.INVOLVED], ReferralPurpose.MEDIATION,
                         "Conflict between two students that keeps coming back; both agree to try mediation.",
                         incident=False)
        self.start(key, 2, "08:40", facilitator)
        self.step(2, "11:00", lambda: self.prepare(key, a, "Ready to listen if the other side does too.", facilitator))
        self.step(2, "11:20", lambda: self.prepare(key, b, "Wants the rumours to stop.", facilitator))
        self.step(2, "11:25", lambda: self.ready(key, a, responsible=True))
        self.step(2, "11:26", lambda: self.ready(key, b, responsible=True))
        # at the start of the first period from 13:00 on (13:30 without one)
        start = min((p.start for p in self.profile.bell_schedule if p.start >= dt.time(13, 0)), default=dt.time(13, 30))
        at = self.b.clock.at(self.today, start)
        self.step(1, "15:10", lambda: svc.schedule_meeting(self.b.desk, self.ids[key], at, place="Peace Room"))

    def assessing(self) -> None:
        """A harm circle being assessed: one side willing, the others not asked yet."""
        key, facilitator = "circle", self.staff[0]
        a, b, c = self.harm(key, 2, "13:40", [StudentRole.RESPONSIBLE, StudentRole.RESPONSIBLE, StudentRole.HARMED],
                            ReferralPurpose.CIRCLE, "Group chat messages about a classmate spread around the year.",
                            behavior_level="minor")
        self.start(key, 1, "09:05", facilitator)
        self.step(1, "10:30", lambda: self.ready(key, c, wishes="For the messages to come down and an apology."))

    def preparing_reentry(self) -> None:
        """A re-entry meeting after an exclusion, being prepared with the student and a parent."""
        key, facilitator = "reentry", self.staff[0]
        [a] = self.harm(key, 4, "09:00", [StudentRole.RESPONSIBLE], ReferralPurpose.REENTRY_MEETING,
                        "Returning after a three-day exclusion for fighting; needs a re-entry meeting.")
        self.start(key, 3, "08:30", facilitator)

        def parent() -> None:
            student = self.b.desk.store.student(a)
            name = f"Sam {student.family_name}" if student is not None else "Sam Parker"
            svc.add_party(self.b.desk, self.ids[key], Party(name=name, relation=Relation.PARENT_CAREGIVER,
                                                            role="supporter"))
        self.step(3, "08:35", parent)
        self.step(3, "12:15", lambda: self.prepare(key, a, "Talked about coming back and who to go to if it starts "
                                                           "again.", facilitator))

    def just_referred(self) -> None:
        """A referral taken up this morning: nothing done yet."""
        key = "referred"
        self.harm(key, 1, "14:15", [StudentRole.RESPONSIBLE, StudentRole.HARMED], ReferralPurpose.CONFERENCE,
                  "Took a phone from a bag in the changing room; the phone was returned.", behavior_level="minor")
        self.start(key, 0, "08:05", self.staff[-1])

    def closed(self) -> None:
        """A conference three weeks ago, its agreement completed, the harmed student told, closed."""
        key, facilitator = "closed", self.staff[-1]
        a, b = self.harm(key, 16, "11:45", [StudentRole.RESPONSIBLE, StudentRole.HARMED], ReferralPurpose.CONFERENCE,
                         "Damaged a student's artwork in the art room.")
        self.start(key, 15, "08:30", facilitator)
        self.step(15, "10:00", lambda: self.ready(key, a, responsible=True))
        self.step(15, "10:30", lambda: self.ready(key, b, wishes="The work repaired or remade, and an apology."))

        def held() -> None:
            p = svc.hold_meeting(self.b.desk, self.ids[key], minutes=40, agreement_reached=True)
            owner = self.party(key, a)
            svc.add_item(self.b.desk, p.id, what="Apologise in person", owner=owner, due=self.day(12))
            svc.add_item(self.b.desk, p.id, what="Help remake the artwork after school", owner=owner, due=self.day(8),
                         item_kind=ItemKind.REPARATION, partner="Art department", site="Art room", hours=2,
                         risk_assessed_on=self.day(13))
        self.step(13, "14:00", held)

        def done(index: int) -> Callable[[], None]:
            def run() -> None:
                p = self.b.desk.store.get(Process, self.ids[key])
                svc.mark_item(self.b.desk, p.id, p.items[index].id, ItemStatus.DONE)
            return run
        self.step(12, "12:40", done(0))
        self.step(9, "15:20", done(1))

        def told_and_closed() -> None:
            svc.tell_harmed(self.b.desk, self.ids[key], completed=True, how="In person")
            for sid, answers in ((a, {"felt_heard": 4, "fair": 5, "repaired": 4, "again": True}),
                                 (b, {"felt_heard": 5, "fair": 4, "repaired": 4, "again": True})):
                svc.update_party(self.b.desk, self.ids[key], self.party(key, sid), questionnaire=answers)
            svc.close(self.b.desk, self.ids[key], ClosingReason.COMPLETED, "Both items done; the artwork remade.")
        self.step(8, "09:10", told_and_closed)

    def class_circle(self) -> None:
        """A Tier 1 class circle earlier this week (no names)."""
        sid, taking_part = self.rng.choice(self.b.ids), self.rng.randint(21, 28)

        def circle() -> None:  # a class by its grade (a homeroom's name would point at its students in an export)
            student = self.b.desk.store.student(sid)
            grade = student.grade.split(",")[0].lstrip("0") if student and student.grade else ""
            svc.log_circle(self.b.desk, group_name=f"{self.words.Grade} {grade} advisory".replace("  ", " "),
                           facilitator=self.staff[0], topic="Respect in the corridors and at lunch",
                           participants=taking_part)
        self.step(2, "08:15", circle)
