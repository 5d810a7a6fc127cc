"""The rest of the demo school's day (issue 14's records): hall sweeps, Peace Room visits and CICO.

Over the last school days: a few hall sweeps a day (most students sent back to class, one now and then
to the Peace Room, checked out a little later); Peace Room visits on the demo's last day, one student
still in the room when the day is not over; three students on Check-In/Check-Out for three weeks,
their cards checked in every morning and scored every afternoon (one doing well, one near the goal,
one slipping). Planned as timed steps on the demo's simulated clock and written through the services
(:mod:`advocate_tui.services.sweeps`, ``peace_room``, ``cico``). No Textual here.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from .models.peace_room import PeaceRoomVisit
from .services import cico, peace_room, sweeps
from .services.recording import Invalid
from .store import StoreError

__all__ = ["plan_day_records"]

#: school days of sweeps before the demo's last day, and of CICO
SWEEP_DAYS, CICO_DAYS = 4, 15
#: each CICO student's chance of a 2 (else mostly a 1) in a cell on the first day, and its change a day:
#: doing well, near the goal, slipping these last weeks
CICO_FORM = ((0.85, 0.0), (0.66, 0.0), (0.85, -0.035))


def plan_day_records(builder, rng: random.Random, busy: dt.date, until) -> None:
    """Plan sweeps, Peace Room visits and CICO cards on ``builder`` up to ``until`` (None: the whole
    ``busy`` day, the demo's last)."""
    _Day(builder, rng, busy, until).all()


class _Day:
    def __init__(self, builder, rng: random.Random, busy: dt.date, until) -> None:
        self.b, self.rng, self.busy, self.until = builder, rng, busy, until
        self.profile = builder.profile
        self.calendar = self.profile.calendar
        self.staff = list(self.profile.staff) or ["Advocate"]
        self.taken: set[str] = set()

    def at(self, day: dt.date, time: dt.time, minutes: int = 0):
        return self.b.clock.at(day, time).add(minutes=minutes)

    def step(self, when, action: Callable[[], object]) -> None:
        def run() -> None:
            try:
                action()
            except (Invalid, StoreError):
                pass  # a step the records of that moment refuse (the student already in the room): left out
        self.b.at(when, run)

    def pick(self) -> str:
        sid = self.rng.choice([s for s in self.b.ids if s not in self.taken])
        self.taken.add(sid)
        return sid

    def periods_started(self, day: dt.date, margin: int = 0) -> list:
        """The bell periods of ``day`` that had started ``margin`` minutes before the demo stops."""
        out = []
        for period in self.profile.bell_schedule:
            start = self.at(day, period.start, margin)
            if day != self.busy or self.until is None or start <= self.until:
                out.append(period)
        return out

    def all(self) -> None:
        self.sweeps()
        self.peace_room()
        self.cico()

    # ------------------------------------------------------------------ hall sweeps
    def sweeps(self) -> None:
        places, sent_to = self.profile.sweeps.places, self.profile.sweeps.sent_to
        back = sent_to[0]
        peace = next((s for s in sent_to if sweeps.is_peace_room(s)), None)
        for k in range(SWEEP_DAYS, -1, -1):
            day = self.calendar.shift(self.busy, -k)
            periods = self.periods_started(day, 40)
            for period in self.rng.sample(periods, min(len(periods), self.rng.randint(2, 3))):
                when = self.at(day, period.start, self.rng.randint(12, 35))
                students = [self.rng.choice(self.b.ids) for _ in range(self.rng.choices((1, 2, 3), (60, 30, 10))[0])]
                students = list(dict.fromkeys(students))
                to_peace = peace is not None and self.rng.random() < 0.3
                per = {sid: {"sent_to": peace if to_peace and n == 0 else back} for n, sid in enumerate(students)}
                values = {"place": self.rng.choice(places), "students": students, "sent_to": back, "per_student": per,
                          "has_pass": self.rng.random() < 0.25, "note": ""}
                visits: list[PeaceRoomVisit] = []
                self.step(when, lambda values=values, visits=visits: visits.extend(
                    sweeps.log(self.b.desk, values).visits))
                # sent to the Peace Room: back to class after a while
                self.step(when.add(minutes=self.rng.randint(10, 20)), lambda visits=visits: self._back(visits))

    def _back(self, visits: list[PeaceRoomVisit], *, returned: bool = True) -> None:
        for visit in visits:
            peace_room.check_out(self.b.desk, visit, returned_to_class=returned, went_to="" if returned else "Office")

    # ------------------------------------------------------------------ the Peace Room
    def peace_room(self) -> None:
        reasons = [r for r in self.profile.peace_room.reasons if "sweep" not in r.casefold()] or \
            self.profile.peace_room.reasons
        periods = self.periods_started(self.busy, 25)[-5:]  # the last five periods that had started
        for n, period in enumerate(periods):
            when = self.at(self.busy, period.start, self.rng.randint(5, 20))
            sid, reason, by = self.pick(), self.rng.choice(reasons), self.rng.choice(self.staff)
            still_in = n == len(periods) - 1 and self.until is not None
            visits: list[PeaceRoomVisit] = []
            self.step(when, lambda sid=sid, reason=reason, by=by, visits=visits: visits.append(
                peace_room.check_in(self.b.desk, {"student": sid, "reason": reason, "sent_by": by})))
            if not still_in:  # (the last one is still in the room while the day goes on)
                self.step(when.add(minutes=self.rng.randint(12, 25)),
                          lambda visits=visits, n=n: self._back(visits, returned=n != 2))

    # ------------------------------------------------------------------ CICO
    def cico(self) -> None:
        first = self.calendar.shift(self.busy, -CICO_DAYS)
        expectations = self.profile.cico.expectations
        for form, drift in CICO_FORM:
            sid, mentor = self.pick(), self.rng.choice(self.staff)
            holder: dict = {}
            self.step(self.at(first, dt.time(7, 0)),
                      lambda sid=sid, mentor=mentor, holder=holder: holder.update(
                          e=cico.enrol(self.b.desk, sid, mentor=mentor)))
            for k in range(CICO_DAYS, -1, -1):
                day = self.calendar.shift(self.busy, -k)
                morning = self.at(day, self.profile.bell_schedule[0].start, -self.rng.randint(8, 20))
                self.step(morning, lambda holder=holder: holder.get("e") and cico.check_in(self.b.desk, holder["e"]))
                closing = self.at(day, self.profile.bell_schedule[-1].end, self.rng.randint(3, 15))
                if day == self.busy and self.until is not None and closing > self.until:
                    continue  # the day is not over: checked in, not yet out
                form_today = max(0.1, min(0.95, form + drift * (CICO_DAYS - k) + self.rng.uniform(-0.1, 0.1)))
                scores = {(p.name, e): (2 if self.rng.random() < form_today else self.rng.choice((0, 1, 1)))
                          for p in self.profile.bell_schedule for e in expectations}
                self.step(closing, lambda holder=holder, scores=scores: holder.get("e") and cico.check_out(
                    self.b.desk, holder["e"], scores, parent_signed=self.rng.random() < 0.7))
