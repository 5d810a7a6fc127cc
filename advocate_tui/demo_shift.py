"""The demo school's shift, day by day: door checks and patrol rounds, incidents (some referred), contact
notes, attendance follow-ups, referrals, the day's handoff and the coordinator's next steps on each
referral (a mixin of the demo's builder, :class:`advocate_tui.demo._Builder`, which supplies the random
stream, the simulated clock and the timed steps). No Textual here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pendulum

from .models import (
    AttendanceAction, AttendanceFollowUp, AttendanceKind, CheckpointStatus, CheckpointVisit, ContactKind, ContactNote,
    DoorCheck, DoorStatus, FollowUpStatus, Incident, IncidentAction, IncidentStudent, Level, Motivation, PatrolRound,
    Referral, ReferralOutcome, ReferralPurpose, StudentRole, Urgency,
)
from .profile import SchoolProfile
from .services import coordinator
from .services.ends import Invalid, end_item
from .services.handoff import HandoffError, open_referrals, sign_off

__all__ = ["ShiftPlans"]

_HARM_WORDS = ("aggression", "harass", "contact", "disrespect", "language")


def _day_hours(profile: SchoolProfile) -> tuple[dt.time, dt.time]:
    """When the advocate's day opens (first shift check, or 30 min before P1) and closes."""
    checks = [c.at for c in profile.shift_checks]
    first_bell = dt.datetime.combine(dt.date(2000, 1, 3), profile.bell_schedule[0].start)
    opening = min([*checks, (first_bell - dt.timedelta(minutes=30)).time()])
    closing = max([*checks, profile.bell_schedule[-1].end])
    return opening, closing


class ShiftPlans:
    """Each school day of the shift as timed steps (the builder's ``at``, ``add``, ``rng``, ``moment``…)."""

    def plan_day(self, day: dt.date, until: pendulum.DateTime | None = None, *, busy: bool = False,
                 last_past: bool = False) -> None:
        opening, closing = _day_hours(self.profile)
        start, close = self.clock.at(day, opening), self.clock.at(day, closing)
        end = min(close, until) if until else close
        share = max(0.0, (end - start).total_seconds() / (close - start).total_seconds())

        def n(lo: int, hi: int) -> int:
            return round(self.rng.randint(lo, hi) * share)

        self.plan_doors(day, busy)
        self.plan_patrols(day)
        if end <= start:
            return
        incidents = [self.plan_incident(start, end, busy) for _ in range(n(12, 16) if busy else n(3, 7))]
        notes = [self.plan_contact(start, end, incidents, busy) for _ in range(n(9, 13) if busy else n(3, 7))]
        for _ in range(n(5, 8) if busy else n(2, 5)):
            self.plan_attendance(day, start, end, busy)
        for note in notes:
            if note.contact_kind is ContactKind.SERVICE_REFERRAL and note.at.add(minutes=15) <= end:
                self.plan_referral(note.at.add(minutes=self.rng.randint(5, 15)), [note.student_id],
                                   ReferralPurpose.SERVICES, contact_note_id=note.id, past=not busy)
        for k in range(n(4, 6) if busy else n(0, 2)):
            purpose = self.rng.choices(list(self.names.PURPOSE_WEIGHTS), list(self.names.PURPOSE_WEIGHTS.values()))[0]
            count = 2 if purpose is ReferralPurpose.MEDIATION else self.rng.choices((1, 2, 3), (70, 20, 10))[0]
            self.plan_referral(self.moment(start, end), self.pick_students(count), purpose,
                               urgency=Urgency.URGENT if busy and k == 0 else None, past=not busy)
        if busy:
            return
        if last_past:  # one kept back to hand over later (carried over to the busy day)
            self.plan_referral(self.moment(start, end), self.pick_students(1), ReferralPurpose.CONFERENCE,
                               urgency=Urgency.ROUTINE, hold=True)
        signed = self.plan_handoff(day, close)
        if last_past:  # came in after the sign-off: waiting at the top of the queue next morning
            self.plan_referral(signed.add(minutes=self.rng.randint(10, 25)), self.pick_students(1),
                               ReferralPurpose.SAFETY_REVIEW, urgency=Urgency.URGENT, hold=True)

    def plan_doors(self, day: dt.date, busy: bool) -> None:
        rng, doors = self.rng, self.profile.doors
        exceptions = [s for s in DoorStatus if s is not DoorStatus.SECURE]
        for n, check in enumerate(self.profile.shift_checks):
            t = self.clock.at(day, check.at).add(minutes=rng.randint(0, 4))
            forced = rng.randrange(len(doors)) if busy and n == 0 else -1
            for i, door in enumerate(doors):
                t = t.add(seconds=rng.randint(50, 200))
                if i != forced and rng.random() >= 0.04:
                    self.add(t, DoorCheck(door=door, checked_at=t, checked_by=self.advocate))
                    continue
                status = rng.choices(exceptions, (35, 45, 12, 8))[0]
                self.add(t, DoorCheck(door=door, checked_at=t, status=status, checked_by=self.advocate,
                                      note=rng.choice(self.names.DOOR_NOTES[status.value])))
                if rng.random() < 0.6:
                    again = t.add(minutes=rng.randint(8, 25))
                    self.add(again, DoorCheck(door=door, checked_at=again, note=self.names.RECHECK_NOTE,
                                              checked_by=self.advocate))

    def plan_patrols(self, day: dt.date) -> None:
        rng, patrol = self.rng, self.profile.patrol
        t = self.clock.at(day, self.profile.bell_schedule[0].start).add(minutes=rng.randint(5, 20))
        stop = self.clock.at(day, self.profile.bell_schedule[-1].end)
        k = day.toordinal()
        while t < stop:
            zone = patrol.zones[k % len(patrol.zones)]
            k += 1
            visits, cur = [], t
            for checkpoint in zone.checkpoints:
                cur = cur.add(seconds=rng.randint(60, 240))
                issue = rng.random() < 0.06
                visits.append(CheckpointVisit(
                    checkpoint=checkpoint, reached_at=cur,
                    status=CheckpointStatus.ISSUE if issue else CheckpointStatus.CLEAR,
                    note=rng.choice(self.names.CHECKPOINT_NOTES) if issue else ""))
            done = cur.add(seconds=rng.randint(30, 120))
            self.add(done, PatrolRound(zone=zone.name, started_at=t, finished_at=done, checkpoints=visits))
            t = t.add(minutes=patrol.interval_minutes + rng.randint(-8, 10))

    def plan_incident(self, start: pendulum.DateTime, end: pendulum.DateTime, busy: bool) -> Incident:
        rng = self.rng
        logged = self.moment(start, end)
        occurred = max(start, logged.subtract(minutes=rng.randint(3, 25)))
        major = bool(self.major) and (not self.minor or rng.random() < (0.2 if busy else 0.12))
        behavior = rng.choice(self.major if major else self.minor)
        count = rng.choices((1, 2, 3), (55, 35, 10))[0]
        word = behavior.name.casefold()
        if count == 1:
            roles = [StudentRole.RESPONSIBLE]
        elif "fight" in word:
            roles = [StudentRole.INVOLVED, StudentRole.INVOLVED, StudentRole.WITNESS]
        elif any(w in word for w in _HARM_WORDS):
            roles = [StudentRole.RESPONSIBLE, StudentRole.HARMED, StudentRole.WITNESS]
        else:
            roles = [StudentRole.RESPONSIBLE, StudentRole.RESPONSIBLE, StudentRole.WITNESS]
        students = [IncidentStudent(student_id=s, role=r) for s, r in zip(self.pick_students(count), roles)]
        if major:
            extra = [IncidentAction.CONFERENCE, IncidentAction.MEDIATION, IncidentAction.REMOVAL_FROM_CLASS]
            actions = [IncidentAction.ADMIN_NOTIFIED, IncidentAction.PARENT_CONTACTED,
                       *rng.sample(extra, rng.randint(0, 1))]
        else:
            actions = rng.sample([IncidentAction.RESTORATIVE_CONVERSATION, IncidentAction.COACHING_WARNING,
                                  IncidentAction.PARENT_CONTACTED], rng.randint(1, 2))
        refer_at = logged.add(minutes=rng.randint(10, 60))
        refer = major and rng.random() < 0.55 and refer_at <= end
        if refer:
            actions.append(IncidentAction.REFERRAL_MADE)
        notes = next((v for k, v in self.names.INCIDENT_NOTES.items() if k in word), self.names.GENERIC_INCIDENT_NOTES)
        incident = Incident(
            occurred_at=occurred, reported_at=logged, location=self.location(occurred), behavior=behavior.name,
            level=Level(behavior.level), motivation=rng.choice(list(Motivation)), students=students,
            staff=[rng.choice(self.profile.staff)] if self.profile.staff else [], description=rng.choice(notes),
            actions=actions, follow_up_date=self.profile.calendar.shift(occurred.date(), rng.randint(1, 4))
            if major and rng.random() < 0.6 else None)
        self.add(logged, incident)
        self.plan_end(incident)
        if refer:
            purpose = rng.choice([ReferralPurpose.CONFERENCE, ReferralPurpose.MEDIATION, ReferralPurpose.SAFETY_REVIEW])
            self.plan_referral(refer_at, [s.student_id for s in students if s.role is not StudentRole.WITNESS],
                               purpose, incident_id=incident.id, past=not busy)
        return incident

    def plan_contact(self, start: pendulum.DateTime, end: pendulum.DateTime, incidents: list[Incident],
                     busy: bool) -> ContactNote:
        rng = self.rng
        at = self.moment(start, end)
        kind = rng.choices(list(self.names.CONTACT_WEIGHTS), list(self.names.CONTACT_WEIGHTS.values()))[0]
        earlier = [s.student_id for i in incidents if i.reported_at and i.reported_at <= at for s in i.students]
        sid = rng.choice(earlier) if earlier and rng.random() < 0.45 else self.pick_students(1)[0]
        follow_up = self.profile.calendar.shift(at.date(), rng.randint(1, 5)) if rng.random() < 0.2 else None
        flagged = kind is ContactKind.SERVICE_REFERRAL or rng.random() < (0.2 if busy else 0.1)
        note = ContactNote(student_id=sid, at=at, contact_kind=kind, note=rng.choice(self.names.CONTACT_NOTES[kind.value]),
                           follow_up_date=follow_up, for_coordinator=flagged)
        self.add(at, note)
        self.plan_end(note)
        return note

    def plan_end(self, record) -> None:
        """Most follow-ups end on their day or a school day after (done, a few dismissed); some stay
        open, overdue, on the main screen."""
        rng, due = self.ends_rng, getattr(record, "follow_up_date", None)
        if due is None or rng.random() >= 0.85:
            return
        when = self.clock.at(self.profile.calendar.shift(due, rng.choice((0, 0, 1))),
                             dt.time(rng.randint(9, 14), rng.randint(0, 59)))
        dismissed = rng.random() < 0.12
        text = rng.choice(self.names.FOLLOW_UP_DISMISSALS if dismissed else self.names.FOLLOW_UP_OUTCOMES)
        self.at(when, lambda: self.end(record, text, dismissed))

    def end(self, record, text: str, dismissed: bool) -> None:
        try:
            end_item(self.desk, record, text, dismissed=dismissed)
        except Invalid:
            pass  # voided or ended meanwhile: nothing left to end

    def plan_attendance(self, day: dt.date, start: pendulum.DateTime, end: pendulum.DateTime, busy: bool) -> None:
        rng = self.rng
        periods = [p for p in self.profile.bell_schedule if "lunch" not in p.name.casefold()]
        begin = max(start, self.clock.at(day, self.profile.bell_schedule[0].end))
        if begin >= end:
            return
        logged = self.moment(begin, end)
        kind = rng.choices(list(AttendanceKind), (35, 30, 10, 10, 15))[0]
        started = [p.name for p in periods if self.clock.at(day, p.start) < logged]
        if kind is AttendanceKind.TARDY:
            missed = [rng.choice(started)] if started else []
        elif kind is AttendanceKind.CUTTING_CLASS:
            missed = sorted(rng.sample(started, min(len(started), rng.randint(1, 2))), key=started.index)
        elif kind is AttendanceKind.EARLY_DEPARTURE:
            missed = [p.name for p in periods if p.name not in started]
        else:
            missed = []
        record = AttendanceFollowUp(
            student_id=self.pick_students(1)[0], date=day, attendance_kind=kind, periods=missed,
            actions=[AttendanceAction.CALL_HOME] if rng.random() < 0.5 else [],
            note=rng.choice(self.names.ATTENDANCE_NOTES), due_date=self.profile.calendar.shift(day, rng.randint(2, 5)))
        self.add(logged, record)
        if not busy and rng.random() < 0.85:
            when = self.clock.at(self.profile.calendar.shift(day, rng.randint(1, 4)),
                                 dt.time(rng.randint(9, 14), rng.randint(0, 59)))
            cause, action = rng.choice(self.names.ATTENDANCE_CAUSES), rng.choice(list(AttendanceAction))
            self.at(when, lambda: self.resolve(record.id, cause, action))

    def resolve(self, record_id: str, cause: str, action: AttendanceAction) -> None:
        store = self.desk.store
        current = store.get(AttendanceFollowUp, record_id)
        if current is None or current.status is FollowUpStatus.RESOLVED:
            return
        actions = current.actions if action in current.actions else [*current.actions, action]
        # the advocate resolves it in the follow-up's form, writing down the cause found: an amendment
        store.amend(current.model_copy(update={
            "status": FollowUpStatus.RESOLVED, "cause": cause, "actions": actions, "resolved_at": self.sim.now()}),
            note="resolved")

    def plan_referral(self, when: pendulum.DateTime, students: list[str], purpose: ReferralPurpose, *,
                      urgency: Urgency | None = None, incident_id: str | None = None,
                      contact_note_id: str | None = None, past: bool = False, hold: bool = False) -> None:
        rng, dests = self.rng, self.profile.referral_destinations
        words = {"services": ("counsel", "social", "agency", "nurse"), "safety_review": ("admin",),
                 "other": ("counsel", "admin")}.get(purpose.value, ("coordinator", "rj"))
        destination = rng.choice([d for d in dests if any(w in d.casefold() for w in words)] or dests)
        urgency = urgency or rng.choices([Urgency.ROUTINE, Urgency.SOON, Urgency.URGENT], (60, 28, 12))[0]
        reasons = self.names.URGENT_REASONS if urgency is Urgency.URGENT else self.names.REFERRAL_REASONS[purpose.value]
        referral = Referral(referred_at=when, students=students, destination=destination, purpose=purpose,
                            urgency=urgency, reason=rng.choice(reasons), incident_id=incident_id,
                            contact_note_id=contact_note_id)
        self.add(when, referral)
        if hold:
            self.held[referral.id] = when.date()
        elif past:
            self.plan_coordinator(referral.id, when.date())

    def plan_handoff(self, day: dt.date, close: pendulum.DateTime) -> pendulum.DateTime:
        when = close.add(minutes=self.rng.randint(25, 40))
        summary = self.rng.choice(self.names.HANDOFF_SUMMARIES)

        def sign() -> None:
            ids = [r.id for r in open_referrals(self.desk, day) if self.held.get(r.id) != day]
            try:
                sign_off(self.desk, self.advocate, summary, reviewed=ids)
            except HandoffError:
                return
            self.counts["handoffs"] = self.counts.get("handoffs", 0) + 1
        self.at(when, sign)
        return when

    def plan_coordinator(self, referral_id: str, day: dt.date) -> None:
        """The coordinator's next steps on a handed-off referral: accept, assign, schedule, close."""
        rng = self.rng
        if rng.random() >= 0.9:
            return
        accepted = self.clock.at(self.profile.calendar.shift(day, 1), dt.time(8, rng.randint(5, 59)))
        self.at(accepted, lambda: self.coordinate(coordinator.accept, referral_id))
        if rng.random() >= 0.85:
            return
        assigned = accepted.add(minutes=rng.randint(2, 30))
        facilitator = rng.choice(self.profile.staff) if self.profile.staff else "Coordinator"
        meeting = self.clock.at(self.profile.calendar.shift(day, rng.randint(2, 4)),
                                dt.time(rng.randint(9, 14), rng.choice((0, 15, 30, 45))))
        self.at(assigned, lambda: self.coordinate(coordinator.assign, referral_id, facilitator))
        self.at(assigned.add(minutes=1), lambda: self.coordinate(coordinator.schedule, referral_id, meeting))
        if rng.random() < 0.85:
            outcome = rng.choices(list(ReferralOutcome), (50, 25, 10, 15))[0]
            note = rng.choice(self.names.REFERRAL_OUTCOME_NOTES[outcome.value])
            self.at(meeting.add(minutes=rng.randint(40, 90)),
                    lambda: self.coordinate(coordinator.close, referral_id, outcome, note))

    def coordinate(self, step: Callable, *args) -> None:
        try:
            step(self.coordinator, *args)
        except coordinator.CoordinatorError:
            pass  # not handed off (kept back) or already closed: the coordinator can't act yet
