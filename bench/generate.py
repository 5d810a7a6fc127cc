"""Generate a large school's decade of records through advocate-tui's own store (deterministic).

    .venv/bin/python -m bench.generate --out /tmp/advocate-bench/decade.db            # the decade
    .venv/bin/python -m bench.generate --out /tmp/x.db --years 1 --days 5 --students 400 --active 300

By default: 10 full school years (2016-17 … 2025-26) of 180 school days, plus the current year
(2026-27) up to "today" (2026-11-23, the benchmark's frozen clock), 25,000 students over the years
(3,000 enrolled in any year, the current 3,000 active). Each school day: ~25 incidents (1–6 students,
weighted spread over the day's hours, locations and behaviours, some students far more often than
others), 20 door checks (7 doors × 3 shift checks, a few exceptions), 8 patrol rounds of 6
checkpoints, 30 contact notes, 15 attendance follow-ups, 8 referrals, a day's-end handoff that hands
the referrals over (each then accepted and closed days later, all through ``Store.set_status``), a few
amendments and voids. Today is left busy and not yet handed off. A handful of "decade students" are
enrolled the whole time, so a student page with 10 years of history exists.

Everything goes through ``Store.add`` / ``set_status`` / ``amend`` / ``void`` /
``upsert_students`` on ``Store.replay`` (the store's path for a simulated past: the generator's clock,
that year's advocate or the coordinator as the user): the records are validated by the models and
each write has its audit entry. One ``store.transaction()`` per school day keeps it well under 5 minutes on 2 cores
(≈ 0.4 ms a record). Same ``--seed``, same database content (record ids are derived from the seed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import heapq
import itertools
import random
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pendulum

from advocate_tui.models import (
    AttendanceAction,
    AttendanceFollowUp,
    AttendanceKind,
    AuditAction,
    CheckpointStatus,
    CheckpointVisit,
    ContactKind,
    ContactNote,
    DoorCheck,
    DoorStatus,
    FollowUpStatus,
    Handoff,
    Incident,
    IncidentAction,
    IncidentStudent,
    Level,
    Motivation,
    PatrolRound,
    Referral,
    ReferralOutcome,
    ReferralPurpose,
    ReferralStatus,
    Student,
    StudentRole,
    Urgency,
)
from advocate_tui.profile import SchoolProfile, demo_profile
from advocate_tui.store import Store

#: the benchmark's "now": a Monday afternoon at the demo school, end of a busy day
NOW = "2026-11-23 15:00"
TODAY = dt.date(2026, 11, 23)
ADVOCATES = ["Dana Whitfield", "Marcus Oyelaran", "Priya Castellanos", "Tom Reinholt"]
COORDINATOR = "Grace Nakamura-Bell"

try:  # the demo's fictional name pools, when that module is there
    from advocate_tui import demo_names as _names

    CULTURES = _names.CULTURES
    CULTURE_WEIGHTS = _names.CULTURE_WEIGHTS
    CONTACT_TEXT = _names.CONTACT_NOTES
    INCIDENT_TEXT = tuple(t for v in _names.INCIDENT_NOTES.values() for t in v) + _names.GENERIC_INCIDENT_NOTES
    CAUSES = _names.ATTENDANCE_CAUSES
    REASONS = _names.REFERRAL_REASONS
except (ImportError, AttributeError):  # pragma: no cover - a small fallback pool
    CULTURES = {"mixed": (("Ana", "Zoë", "Marcus", "Priya", "Tomás", "Kofi", "Mei", "Lars", "Amira", "Rhys"),
                          ("Garcia", "Okafor", "Lindqvist", "Ramanathan", "Herrera", "Nguyễn", "Kim", "Haddad"))}
    CULTURE_WEIGHTS = {"mixed": 1}
    CONTACT_TEXT = {}
    INCIDENT_TEXT = ("Handled on the spot; follow-up check-in planned.",)
    CAUSES = ("Bus was late.", "Illness, note brought in.")
    REASONS = {}

GRADES = ("09", "10", "11", "12")
#: (start, end, weight) of the school day in minutes after midnight: arrival, periods, passing, lunch
DAY_SHAPE = [(450, 480, 6), (480, 530, 8), (530, 535, 5), (535, 585, 9), (585, 590, 5), (590, 640, 9),
             (640, 645, 5), (645, 695, 8), (695, 730, 18), (735, 785, 9), (785, 790, 5), (790, 840, 9),
             (840, 845, 5), (845, 910, 9), (910, 935, 8)]
LOCATION_WEIGHTS = {"Classroom": 30, "Hallway": 22, "Cafeteria": 14, "Gym": 5, "Locker room": 3, "Restroom": 7,
                    "Stairwell": 4, "Library": 3, "Office": 3, "Bus loading": 4, "Parking lot": 3,
                    "Playground/Field": 2}
BEHAVIOR_WEIGHTS = {"Defiance": 18, "Disrespect": 15, "Disruption": 20, "Inappropriate language": 10,
                    "Physical contact": 8, "Property misuse": 3, "Technology violation": 8, "Tardy": 6,
                    "Dress code": 3, "Skipping class": 5, "Physical aggression": 3, "Fighting": 2,
                    "Harassment/Bullying": 2, "Vandalism": 1, "Drugs/Tobacco-Vaping": 2}


class Sim:
    """The simulated clock the store stamps audit entries with."""

    def __init__(self, tz: str):
        self.tz = tz
        self.at = pendulum.datetime(2016, 8, 1, tz=tz)

    def now(self):
        return self.at


def school_days(start_year: int, count: int, until: dt.date | None = None) -> list[dt.date]:
    """``count`` weekdays from the Monday on or after Aug 22 of ``start_year``, skipping the winter
    and spring breaks (and stopping after ``until``)."""
    day = dt.date(start_year, 8, 22)
    day += dt.timedelta(days=(7 - day.weekday()) % 7)
    out = []
    while len(out) < count:
        winter = (day.month == 12 and day.day >= 21) or (day.month == 1 and day.day <= 3)
        spring = day.month == 3 and 16 <= day.day <= 20
        if day.weekday() < 5 and not winter and not spring:
            if until is not None and day > until:
                break
            out.append(day)
        day += dt.timedelta(days=1)
    return out


class Generator:
    """Writes the school, day by day, through a :class:`Store`."""

    def __init__(self, store: Store, sim: Sim, profile: SchoolProfile, *, seed: int, students: int,
                 active: int, years: int, days: int, current: bool, current_days: int = 0, today: dt.date, log: Callable[[str], None]):
        self.store, self.sim, self.profile = store, sim, profile
        self.coordinator = store.replay(user=COORDINATOR)  # accepts and closes the referrals
        self.rng = random.Random(seed)
        self._ids = random.Random(seed ^ 0x5EED)
        self.n_students, self.n_active, self.years, self.days = students, active, years, days
        self.current, self.current_days, self.today, self.log = current, current_days, today, log
        self.tz = profile.school.timezone
        self.events: list = []  # (when, seq, fn): status changes that happen on a later day
        self._seq = itertools.count()
        self.counts: dict[str, int] = {}
        self.enrolled: list[str] = []
        self.weights: dict[str, float] = {}

    # ------------------------------------------------------------------ helpers
    def new_id(self) -> str:
        return uuid.UUID(int=self._ids.getrandbits(128), version=4).hex

    def at(self, day: dt.date, minute: int):
        return pendulum.datetime(day.year, day.month, day.day, minute // 60, minute % 60,
                                 self.rng.randrange(60), tz=self.tz)

    def minute(self) -> int:
        start, end, _w = self.rng.choices(DAY_SHAPE, weights=[w for *_x, w in DAY_SHAPE])[0]
        return self.rng.randrange(start, end)

    def later(self, when, fn: Callable[[], None]) -> None:
        heapq.heappush(self.events, (when, next(self._seq), fn))

    def run_events(self, until) -> None:
        while self.events and self.events[0][0] <= until:
            when, _s, fn = heapq.heappop(self.events)
            self.sim.at = when
            fn()

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def pick(self, k: int = 1) -> list[str]:
        """``k`` different enrolled students, the frequent ones more often."""
        out: list[str] = []
        while len(out) < k:
            sid = self.rng.choices(self.enrolled, cum_weights=self._cum)[0]
            if sid not in out:
                out.append(sid)
        return out

    # ------------------------------------------------------------------ roster
    def make_students(self) -> dict[int, list[str]]:
        """Every student of the decade, and who is enrolled in each year (index 0..years)."""
        rng = self.rng
        cultures = list(CULTURES)
        cw = [CULTURE_WEIGHTS.get(c, 1) for c in cultures]
        students: list[Student] = []
        for i in range(self.n_students):
            given, family = CULTURES[rng.choices(cultures, weights=cw)[0]]
            g = rng.choice(given)
            students.append(Student(
                local_id=str(200001 + i), sourced_id=f"stu-{uuid.UUID(int=rng.getrandbits(128)).hex[:12]}",
                given_name=g, family_name=rng.choice(family), grade=rng.choice(GRADES),
                homeroom=f"H-{rng.randrange(100, 340)}",
                preferred_name=g.split()[0] if " " in g and rng.random() < 0.5 else None,
            ))
        n_years = self.years + (1 if self.current else 0)
        ids = [s.local_id for s in students]
        per_year = min(self.n_active, len(ids))
        decade = ids[:min(12, per_year)]  # enrolled every year
        turnover = (len(ids) - per_year) // max(n_years - 1, 1)
        enrolled = {0: ids[:per_year]}
        nxt = per_year
        for y in range(1, n_years):
            prev = [s for s in enrolled[y - 1] if s not in decade]
            rng.shuffle(prev)
            join = ids[nxt:nxt + turnover] if y < n_years - 1 else ids[nxt:]
            nxt += len(join)
            stay = prev[len(join):]
            enrolled[y] = decade + stay + join
        active = set(enrolled[n_years - 1])
        students = [s.model_copy(update={"active": s.local_id in active}) for s in students]
        self.sim.at = pendulum.datetime(2016, 8, 15, 8, tz=self.tz)
        t = time.perf_counter()
        result = self.store.upsert_students(students, note="bench generator")
        self.count("students", result["added"])
        self.log(f"  {len(students):,} students ({len(active):,} active) in {time.perf_counter() - t:.1f} s")
        # propensity: a few students show up again and again (decade students most of all)
        self.weights = {sid: rng.lognormvariate(0, 1.0) for sid in ids}
        for sid in decade:
            self.weights[sid] = 40.0
        return enrolled

    def enrol(self, sids: list[str]) -> None:
        self.enrolled = sids
        self._cum = list(itertools.accumulate(self.weights[s] for s in sids))

    # ------------------------------------------------------------------ one day
    def day(self, day: dt.date, advocate: str, *, is_today: bool) -> None:
        rng, store = self.rng, self.store.replay(user=advocate)
        self.run_events(pendulum.datetime(day.year, day.month, day.day, 7, tz=self.tz))
        stamped: list = []

        def add(record, minute_of=None):
            self.sim.at = record.when if isinstance(record.when, dt.datetime) else self.at(day, 450)
            saved = store.add(record)
            self.count(saved.kind)
            stamped.append(saved)
            return saved

        behaviors = list(BEHAVIOR_WEIGHTS)
        level_of = {b.name: b.level for b in self.profile.behaviors}
        locations = [loc for loc in LOCATION_WEIGHTS if loc in self.profile.locations] or list(self.profile.locations)
        records: list[tuple] = []  # (time, kind, builder) so the day is written in time order
        n_inc = max(0, int(rng.gauss(25, 4)))
        for _ in range(n_inc):
            records.append((self.minute(), "incident"))
        for _ in range(int(rng.gauss(30, 4))):
            records.append((self.minute(), "contact"))
        for _ in range(int(rng.gauss(15, 3))):
            records.append((rng.randrange(470, 620), "attendance"))
        for _ in range(int(rng.gauss(8, 2))):
            records.append((self.minute(), "referral"))
        checks = [(c.at.hour * 60 + c.at.minute) for c in self.profile.shift_checks] or [450, 720, 930]
        door_slots = [(m + 2 * i, "door", door) for m in checks for i, door in enumerate(self.profile.doors)][:20]
        records += door_slots
        zones = self.profile.patrol.zones
        for r in range(8):
            records.append((480 + 60 * r + rng.randrange(0, 10), "patrol", zones[r % len(zones)]))
        if is_today:  # the frozen clock says 15:00: nothing after that yet
            now_min = 15 * 60
            records = [r for r in records if r[0] < now_min]
        records.sort(key=lambda r: (r[0], r[1]))

        incidents, referrals, notes, attendance, doors, rounds = [], [], [], [], [], []
        for item in records:
            minute, kind = item[0], item[1]
            when = self.at(day, minute)
            if kind == "incident":
                k = rng.choices((1, 2, 3, 4, 5, 6), weights=(40, 33, 15, 7, 3, 2))[0]
                sids = self.pick(k)
                roles = [StudentRole.RESPONSIBLE] + [rng.choice((StudentRole.HARMED, StudentRole.RESPONSIBLE,
                                                                 StudentRole.WITNESS, StudentRole.INVOLVED))
                                                     for _ in sids[1:]]
                behavior = rng.choices(behaviors, weights=list(BEHAVIOR_WEIGHTS.values()))[0]
                follow = day + dt.timedelta(days=rng.randrange(1, 6)) if rng.random() < 0.2 else None
                inc = add(Incident(
                    id=self.new_id(), occurred_at=when, reported_at=when.add(minutes=rng.randrange(0, 20)),
                    location=rng.choices(locations, weights=[LOCATION_WEIGHTS.get(x, 1) for x in locations])[0],
                    behavior=behavior, level=Level(level_of.get(behavior, "minor")),
                    motivation=rng.choice(list(Motivation)),
                    students=[IncidentStudent(student_id=s, role=r) for s, r in zip(sids, roles)],
                    staff=[rng.choice(ADVOCATES)] if rng.random() < 0.3 else [],
                    description=rng.choice(INCIDENT_TEXT),
                    actions=rng.sample(list(IncidentAction), rng.choice((0, 1, 1, 2))), follow_up_date=follow))
                incidents.append(inc)
            elif kind == "contact":
                ck = rng.choices(list(ContactKind), weights=(30, 18, 6, 12, 18, 10, 6))[0]
                text = rng.choice(CONTACT_TEXT.get(ck.value, ("Talked at the desk; calm, on track.",)))
                notes.append(add(ContactNote(
                    id=self.new_id(), student_id=self.pick()[0], at=when, contact_kind=ck, note=text,
                    follow_up_date=day + dt.timedelta(days=rng.randrange(1, 8)) if rng.random() < 0.15 else None,
                    for_coordinator=rng.random() < 0.1)))
            elif kind == "attendance":
                ak = rng.choices(list(AttendanceKind), weights=(45, 25, 15, 8, 7))[0]
                first = rng.randrange(1, 7)
                f = add(AttendanceFollowUp(
                    id=self.new_id(), student_id=self.pick()[0], date=day, attendance_kind=ak,
                    periods=[f"P{p}" for p in range(first, first + rng.choice((1, 1, 2, 3)))],
                    cause=rng.choice(CAUSES) if rng.random() < 0.5 else "",
                    actions=rng.sample(list(AttendanceAction), rng.choice((0, 1, 1, 2))),
                    due_date=day + dt.timedelta(days=rng.randrange(0, 4))))
                attendance.append(f)
                if rng.random() > 0.004:  # a few are never resolved (they carry over for ever)
                    self.later(when.add(days=rng.randrange(0, 6), hours=rng.randrange(1, 6)),
                               lambda f=f: self._resolve(f))
            elif kind == "referral":
                purpose = rng.choices(list(ReferralPurpose), weights=(10, 25, 25, 8, 20, 7, 5))[0]
                urgent = rng.random() < 0.06
                source = incidents[-1] if incidents and rng.random() < 0.6 else None
                sids = source.student_ids()[:3] if source else self.pick(rng.choice((1, 1, 2)))
                referrals.append(add(Referral(
                    id=self.new_id(), referred_at=when, students=sids,
                    destination=rng.choices(self.profile.referral_destinations, weights=(40, 20, 15, 5, 15, 5))[0],
                    purpose=purpose, urgency=Urgency.URGENT if urgent else rng.choice((Urgency.ROUTINE,
                                                                                        Urgency.ROUTINE, Urgency.SOON)),
                    reason=rng.choice(REASONS.get(purpose.value, ("Repair harm after the incident.",))),
                    incident_id=source.id if source else None)))
            elif kind == "door":
                bad = rng.random() < 0.04
                status = rng.choice((DoorStatus.PROPPED_OPEN, DoorStatus.UNSECURED, DoorStatus.DAMAGED,
                                     DoorStatus.ALARM)) if bad else DoorStatus.SECURE
                doors.append(add(DoorCheck(id=self.new_id(), door=item[2], checked_at=when, status=status,
                                           note="Propped with a chair; closed it." if bad else "",
                                           checked_by=advocate)))
            elif kind == "patrol":
                zone = item[2]
                points = [zone.checkpoints[i % len(zone.checkpoints)] for i in range(6)]
                visits = []
                for i, cp in enumerate(points):
                    issue = rng.random() < 0.05
                    visits.append(CheckpointVisit(checkpoint=cp, reached_at=when.add(minutes=3 * i + 1),
                                                  status=CheckpointStatus.ISSUE if issue else CheckpointStatus.CLEAR,
                                                  note="Two students without passes; walked them back." if issue else ""))
                rounds.append(add(PatrolRound(id=self.new_id(), zone=zone.name, started_at=when,
                                              finished_at=when.add(minutes=20), checkpoints=visits)))

        # a few corrections and removals, as in real use
        for rec in stamped:
            r = rng.random()
            if r < 0.004 and rec.kind in ("incident", "contact_note"):
                self.sim.at = self.sim.at.add(minutes=1)
                field = "description" if rec.kind == "incident" else "note"
                store.amend(rec.model_copy(update={field: getattr(rec, field) + " (corrected)"}), note="typo")
                self.count("amended")
            elif r < 0.006 and rec.kind in ("incident", "contact_note", "attendance_followup"):
                self.sim.at = self.sim.at.add(minutes=1)
                store.void(type(rec), rec.id, "logged on the wrong student")
                self.count("voided")
        if not is_today:
            self._handoff(day, advocate, referrals, incidents, attendance, notes, doors, rounds)

    def _handoff(self, day, advocate, referrals, incidents, attendance, notes, doors, rounds) -> None:
        rng, store = self.rng, self.store.replay(user=advocate)
        signed = self.at(day, 15 * 60 + 35)
        self.sim.at = signed
        open_att = [a for a in attendance if store.get(AttendanceFollowUp, a.id).status is FollowUpStatus.OPEN]
        handoff = store.add(Handoff(
            id=self.new_id(), date=day, sequence=1, signed_by=advocate, signed_at=signed,
            summary=rng.choice(("Quiet afternoon.", "Busy lunch; see incidents.", "Follow-ups carried over.", "")),
            referral_ids=[r.id for r in referrals], incident_ids=[i.id for i in incidents],
            attendance_ids=[a.id for a in open_att], contact_note_ids=[n.id for n in notes if n.for_coordinator],
            door_check_ids=[d.id for d in doors if d.is_exception], patrol_round_ids=[p.id for p in rounds if p.issues],
        ))
        self.count("handoff")
        note = f"handoff {day} #1 signed by {advocate}"
        for ref in referrals:
            current = store.get(Referral, ref.id)
            store.set_status(current.model_copy(update={"status": ReferralStatus.HANDED_OFF, "handoff_id": handoff.id,
                                                        "handed_off_at": signed}),
                             note=note, action=AuditAction.HANDOFF)
            accept = signed.add(days=rng.randrange(1, 3), hours=-rng.randrange(4, 7))
            self.later(accept, lambda rid=ref.id: self._accept(rid))
            self.later(accept.add(days=rng.randrange(2, 15)), lambda rid=ref.id: self._close(rid))

    def _resolve(self, f: AttendanceFollowUp) -> None:
        current = self.store.get(AttendanceFollowUp, f.id)
        if current is None or current.voided or current.status is FollowUpStatus.RESOLVED:
            return
        self.store.set_status(current.model_copy(update={
            "status": FollowUpStatus.RESOLVED, "resolved_at": self.sim.at}), note="resolved: caregiver reached; plan agreed")
        self.count("resolved")

    def _accept(self, rid: str) -> None:
        ref = self.store.get(Referral, rid)
        self.coordinator.set_status(ref.model_copy(update={
            "status": ReferralStatus.ACCEPTED, "accepted_at": self.sim.at, "facilitator": COORDINATOR,
            "scheduled_for": self.sim.at.add(days=1)}), note="accepted")
        self.count("accepted")

    def _close(self, rid: str) -> None:
        ref = self.store.get(Referral, rid)
        if ref.status is not ReferralStatus.ACCEPTED:
            return
        outcome = self.rng.choices(list(ReferralOutcome), weights=(55, 20, 10, 15))[0]
        self.coordinator.set_status(ref.model_copy(update={
            "status": ReferralStatus.CLOSED, "closed_at": self.sim.at, "outcome": outcome,
            "outcome_note": "Closed after the meeting."}), note="closed")
        self.count("closed")

    # ------------------------------------------------------------------ the whole thing
    def run(self) -> dict[str, int]:
        enrolled = self.make_students()
        first_year = self.today.year - self.years if self.today.month >= 8 else self.today.year - self.years - 1
        plan: list[tuple[int, list[dt.date]]] = []
        for y in range(self.years):
            plan.append((y, school_days(first_year + y, self.days)))
        if self.current:
            days = school_days(first_year + self.years, 180, until=self.today)
            plan.append((self.years, days[-self.current_days:] if self.current_days else days))
        t0 = time.perf_counter()
        for y, days in plan:
            self.enrol(enrolled[y])
            advocate = ADVOCATES[y % len(ADVOCATES)]
            ty = time.perf_counter()
            for day in days:
                with self.store.transaction():
                    self.day(day, advocate, is_today=(day == self.today))
            self.log(f"  school year {first_year + y}-{(first_year + y + 1) % 100:02d}: {len(days)} days "
                     f"in {time.perf_counter() - ty:.1f} s")
        end = pendulum.datetime(self.today.year, self.today.month, self.today.day, 15, tz=self.tz)
        with self.store.transaction():
            self.run_events(end)
        self.sim.at = end
        self.counts["days"] = sum(len(d) for _y, d in plan)
        self.counts["seconds"] = round(time.perf_counter() - t0)
        return self.counts


def generate(out: str | Path, *, seed: int = 7, students: int = 25_000, active: int = 3_000, years: int = 10,
             days: int = 180, current: bool = True, current_days: int = 0, today: dt.date = TODAY, quiet: bool = False) -> dict[str, int]:
    """Write the school to a new database at ``out`` (refuses an existing file); return row counts."""
    out = Path(out)
    if out.exists():
        raise SystemExit(f"{out} exists; remove it first (the generator writes a new database)")
    profile = demo_profile()
    sim = Sim(profile.school.timezone)
    store = Store.open(out, tz=profile.school.timezone, now=sim.now, user="advocate")
    # the generator's own bulk load: NORMAL durability while writing (a crash means regenerate)
    store.db.execute("PRAGMA synchronous = NORMAL")
    log = (lambda _m: None) if quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    try:
        gen = Generator(store, sim, profile, seed=seed, students=students, active=active, years=years, days=days,
                        current=current, current_days=current_days, today=today, log=log)
        counts = gen.run()
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        counts.update({f"rows.{k}": v for k, v in store.counts().items()})
        counts["rows.record_students"] = store.db["record_students"].count
        store.set_meta("bench.generator", f"seed={seed} students={students} years={years} days={days}")
    finally:
        store.close()
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="the new database file (e.g. /tmp/advocate-bench/decade.db)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--students", type=int, default=25_000, help="students over the years (default 25,000)")
    ap.add_argument("--active", type=int, default=3_000, help="students enrolled in a year (default 3,000)")
    ap.add_argument("--years", type=int, default=10, help="full school years (default 10)")
    ap.add_argument("--days", type=int, default=180, help="school days in a full year (default 180)")
    ap.add_argument("--no-current", action="store_true", help="leave out the current year up to today")
    ap.add_argument("--current-days", type=int, default=0,
                    help="only the last N school days of the current year (default: all of them up to today)")
    args = ap.parse_args(argv)
    t = time.perf_counter()
    counts = generate(args.out, seed=args.seed, students=args.students, active=args.active, years=args.years,
                      days=args.days, current=not args.no_current, current_days=args.current_days)
    total = sum(v for k, v in counts.items() if k.startswith("rows."))
    print(f"wrote {args.out}: {total:,} rows in {time.perf_counter() - t:.0f} s")
    for k, v in sorted(counts.items()):
        print(f"  {k}: {v:,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
