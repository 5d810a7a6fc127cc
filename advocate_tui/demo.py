"""The demo school: a fictional roster and a few weeks of sample activity (no Textual here).

:func:`build_demo` writes about 600 invented students and what an advocate would have logged over
the last few weeks of school days (by the profile's calendar) and on one busy day: today up to the clock's current
time once the first bell has rung, otherwise the last school day. Past days end with a handoff to the
coordinator, who then accepts, schedules and closes most referrals; the busy day's referrals, one
held back the day before and an urgent one made after yesterday's sign-off stay open, so the queue
is worth a look.

Every write goes through the public API (``Store.add``, ``set_status``, ``amend``, ``upsert_students``,
the handoff and coordinator services), so the audit trail holds each step. The writes run in time order
against a simulated clock set to the moment each would have happened (``Store.replay``: the store's one
path for a simulated past), all in one transaction; nothing is dated after the real clock's now.

Everything is decided by ``random.Random(seed)``: the same seed and clock give the same roster and
the same counts. Record ids stay random, so two demo databases never clash when a handoff bundle
goes from one to the other.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable
from pathlib import Path

import pendulum
import platformdirs

from . import demo_names as names
from .clock import Clock
from .desk import Desk
from .demo_day import plan_day_records
from .demo_names import make_roster
from .demo_processes import plan_processes
from .demo_shift import ShiftPlans
from .models import Student
from .profile import SchoolProfile
from .store import Store
from .wording import Words

__all__ = ["DEMO_SEED", "build_demo", "busy_day", "demo_clock", "demo_db_path", "ensure_demo", "make_roster"]

DEMO_SEED = 7
#: the demo's later areas, each planned on its own random stream (so one more leaves the others as they
#: were): (plan(builder, rng, busy day, until), the stream's number)
PLANS: tuple[tuple[Callable, int], ...] = (
    (lambda builder, rng, busy, until: plan_processes(builder, rng, busy), 12),  # restorative processes (issue 12)
    (plan_day_records, 14),  # sweeps, Peace Room, CICO (issue 14)
)
KINDS = ("incidents", "door_checks", "patrol_rounds", "contact_notes", "attendance_followups", "referrals", "handoffs")


def demo_db_path(uk: bool = False) -> Path:
    """Where ``advocate demo`` keeps its database: the platform's user data folder, ``demo.db``
    (``demo-uk.db`` for ``advocate demo --uk``)."""
    return Path(platformdirs.user_data_dir("advocate-tui", appauthor=False)) / ("demo-uk.db" if uk else "demo.db")


def ensure_demo(path: str | Path, profile: SchoolProfile, clock: Clock) -> Store:
    """Open the demo database at ``path``, building the demo school first if it has no students."""
    store = Store.open(path, tz=profile.school.timezone, now=clock.now)
    try:
        if store.count_students(active_only=False) == 0:
            build_demo(store, profile, clock)
    except BaseException:
        store.close()
        raise
    return store


def build_demo(store: Store, profile: SchoolProfile, clock: Clock, *, seed: int = DEMO_SEED,
               students: int = 600, weeks: int = 4) -> dict[str, int]:
    """Write the demo roster and activity into ``store`` in one transaction; counts per kind."""
    rng = random.Random(seed)
    roster = make_roster(rng, students, Words.of(profile).grades or names.GRADES)
    busy, until = busy_day(profile, clock)
    past = sorted(profile.calendar.shift(busy, -k) for k in range(1, weeks * 5 + 1))
    builder = _Builder(store, profile, clock, rng, roster, ends_rng=random.Random(seed * 7919 + 11))
    with store.transaction():
        builder.sim.set(clock.at(past[0] if past else busy, dt.time(6, 45)))
        builder.desk.store.upsert_students(roster, note="demo roster (fictional students)")
        for day in past:  # the shift's records of each day (demo_shift), on the roster's random stream
            builder.plan_day(day, last_past=day == past[-1])
        builder.plan_day(busy, until, busy=True)
        for plan, stream in PLANS:  # then each later area on a random stream of its own
            plan(builder, random.Random(seed * 31 + stream), busy, until)
        builder.run()
        store.set_meta("demo_seed", str(seed))
    return {"students": len(roster), **{kind: builder.counts.get(kind, 0) for kind in KINDS}}


def busy_day(profile: SchoolProfile, clock: Clock) -> tuple[dt.date, pendulum.DateTime | None]:
    """The demo's busy day and when its activity stops: today up to now once the first bell has
    rung, else (before school, at weekends) the last school day, whole (``None``)."""
    now = clock.now()
    if profile.calendar.is_school_day(now.date()) and now.time().replace(tzinfo=None) >= profile.bell_schedule[0].start:
        return now.date(), now
    return profile.calendar.shift(now.date(), -1), None


def demo_clock(profile: SchoolProfile, now_fn: Callable[[], dt.datetime] | None = None) -> Clock:
    """The demo's clock: the school's real time, moved back to the last school day (same time of day)
    when today has no school, so the demo always shows a working day."""
    real = Clock(profile, now_fn)
    today = real.today()
    last = profile.calendar.nearest(today, -1)
    back = (today - last).days
    if back == 0:
        return real
    return Clock(profile, lambda: real.now().subtract(days=back))


class _Builder(ShiftPlans):
    """Plans each day's records as timed events, then writes them in time order on a simulated clock."""

    def __init__(self, store: Store, profile: SchoolProfile, clock: Clock, rng: random.Random,
                 roster: list[Student], *, ends_rng: random.Random | None = None):
        self.profile, self.clock, self.rng = profile, clock, rng
        #: when and how follow-ups end: its own stream, so the rest of the demo stays as it was
        self.ends_rng = ends_rng or random.Random(0)
        self.now = clock.now()
        self.sim = Clock.frozen(profile, self.now)
        # the weeks before today are written as they happened: the store's explicit replay path
        sim_store = store.replay(now=self.sim.now)
        self.desk = Desk(profile=profile, clock=self.sim, store=sim_store, user=store.user)
        self.coordinator = Desk(profile=profile, clock=self.sim, user="coordinator",
                                store=store.replay(now=self.sim.now, user="coordinator"))
        self.advocate = profile.staff[0] if profile.staff else "Advocate"
        #: the demo's phrases in the school's words ("Pupil says…" in a UK school)
        self.names = names.phrases(Words.of(profile))
        self.events: list[tuple[pendulum.DateTime, int, Callable[[], None]]] = []
        self.counts: dict[str, int] = {}
        self.held: dict[str, dt.date] = {}
        self.minor = [b for b in profile.behaviors if b.level == "minor"]
        self.major = [b for b in profile.behaviors if b.level == "major"]
        # A few students turn up again and again (the ones on Tier 2/3 support).
        self.ids = [s.local_id for s in roster]
        frequent = set(rng.sample(range(len(roster)), min(45, len(roster))))
        self.cum = list(itertools.accumulate(8 if i in frequent else 1 for i in range(len(roster))))

    def at(self, when: pendulum.DateTime, action: Callable[[], None]) -> None:
        self.events.append((when, len(self.events), action))

    def add(self, when: pendulum.DateTime, record) -> None:
        def save() -> None:
            self.desk.store.add(record)
            self.counts[record.kind + "s"] = self.counts.get(record.kind + "s", 0) + 1
        self.at(when, save)

    def run(self) -> None:
        """Write every planned event up to now, oldest first, with the simulated clock at its time."""
        for when, _, action in sorted(self.events, key=lambda e: (e[0], e[1])):
            if when <= self.now:
                self.sim.set(when)
                action()

    def moment(self, start: pendulum.DateTime, end: pendulum.DateTime) -> pendulum.DateTime:
        return start.add(seconds=self.rng.randrange(max(1, int((end - start).total_seconds()))))

    def pick_students(self, n: int) -> list[str]:
        chosen: list[str] = []
        while len(chosen) < min(n, len(self.ids)):
            sid = self.rng.choices(self.ids, cum_weights=self.cum)[0]
            if sid not in chosen:
                chosen.append(sid)
        return chosen

    def location(self, when: pendulum.DateTime) -> str:
        period = self.profile.period_at(when.time())
        key = "passing" if period is None else "lunch" if "lunch" in period.name.casefold() else "class"
        prefs = self.names.LIKELY_LOCATIONS[key]
        return self.rng.choice([p for p in prefs if p in self.profile.locations] or self.profile.locations)
