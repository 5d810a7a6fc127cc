"""Check-In/Check-Out: enrol a student, the morning check-in, the afternoon check-out with a score of 0, 1
or 2 per expectation per period, the day's status, plan changes (goal, expectations, periods, phase:
self-monitoring, graduated), the daily percentage against the goal, the last 20 school days and the flags
(three days in a row below the goal, an incident while on CICO). No Textual here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..desk import Desk
from ..models.cico_words import CicoDayStatus, CicoPhase
from ..store import StoreError
from ..store import cico as queries
from .recording import Invalid
from ..models.kinds import CICO_DAY, CICO_ENROLMENT

if TYPE_CHECKING:
    from ..models.cico import CicoDay, CicoEnrolment

#: school days on the student page's chart
SERIES_DAYS = 20
#: school days of the data screen's average ("the last two weeks")
AVERAGE_DAYS = 10
#: days in a row below the goal that raise a flag
BELOW_IN_A_ROW = 3


def _today(desk: Desk, day: dt.date | None) -> dt.date:
    return day or desk.clock.today()


def _school_days_back(desk: Desk, end: dt.date, n: int) -> list[dt.date]:
    """The ``n`` school days up to ``end`` (``end`` itself when it is one), oldest first."""
    calendar = desk.profile.calendar
    days: list[dt.date] = []
    probe = calendar.nearest(end, -1)
    while len(days) < n:
        days.append(probe)
        probe = calendar.shift(probe, -1)
    return days[::-1]


# ------------------------------------------------------------------ enrolment and the plan
def enrol(desk: Desk, student_id: str, *, goal_percent: int | None = None, expectations: list[str] | None = None,
          periods: list[str] | None = None, mentor: str = "", note: str = "", on: dt.date | None = None) -> CicoEnrolment:
    """Enrol a student (the profile's expectations and every bell period unless given; the profile's goal)."""
    if not student_id:
        raise Invalid({"student": "is required — type a few letters of the name, then enter"})
    if (current := queries.active_enrolment_of(desk.store, student_id)) is not None:
        raise Invalid({"student": f"is already on CICO (since {current.enrolled_on.isoformat()})"})
    unknown = [p for p in periods or [] if desk.profile.period_named(p) is None]
    if unknown:
        raise Invalid({"periods": f"has no period \"{unknown[0]}\" — periods are "
                                  + ", ".join(p.name for p in desk.profile.bell_schedule)})
    try:
        enrolment = CICO_ENROLMENT(
            student_id=student_id, enrolled_on=_today(desk, on),
            expectations=list(expectations or desk.profile.cico.expectations),
            periods=[desk.profile.period_named(p).name for p in periods] if periods  # type: ignore[union-attr]
            else [p.name for p in desk.profile.bell_schedule],
            goal_percent=goal_percent or desk.profile.cico.goal_percent, mentor=mentor, note=note)
    except ValueError as exc:
        raise Invalid({"": _first_error(exc)}) from None
    return desk.store.add(enrolment)


def _first_error(exc: ValueError) -> str:
    from pydantic import ValidationError

    from ..models import friendly_errors

    if isinstance(exc, ValidationError):
        return "; ".join(f"{k} {v}".strip() for k, v in friendly_errors(exc).items())
    return str(exc)


def change_plan(desk: Desk, enrolment: CicoEnrolment, *, goal_percent: int | None = None,
                expectations: list[str] | None = None, periods: list[str] | None = None,
                phase: CicoPhase | None = None, on: dt.date | None = None, what: str = "") -> CicoEnrolment:
    """Change the plan from ``on`` (default today), recorded with its date: a new goal, expectations or
    periods, or a new phase (self-monitoring; graduated or ended closes the enrolment)."""
    current = desk.store.get(CICO_ENROLMENT, enrolment.id)
    if current is None or current.voided:
        raise Invalid({"": "this enrolment is no longer on file"})
    day = _today(desk, on)
    words = []
    update: dict = {}
    if goal_percent is not None and goal_percent != current.goal_percent:
        words.append(f"goal {current.goal_percent}% → {goal_percent}%")
        update["goal_percent"] = goal_percent
    if expectations is not None and expectations != current.expectations:
        words.append("expectations: " + ", ".join(expectations))
        update["expectations"] = expectations
    if periods is not None and periods != current.periods:
        words.append("periods: " + " ".join(periods))
        update["periods"] = periods
    if phase is not None and phase is not current.phase:
        words.append(phase.label.lower())
        update["phase"] = phase
        if phase in (CicoPhase.GRADUATED, CicoPhase.ENDED):
            update["ended_on"] = day
    if not update:
        raise Invalid({"": "nothing in the plan changed"})
    from ..models.cico import PlanChange

    change = PlanChange(on=day, what=what.strip() or "; ".join(words), goal_percent=update.get("goal_percent"),
                        phase=update.get("phase"))
    data = {**current.model_dump(), **update, "changes": [*current.changes, change]}
    try:
        changed = CICO_ENROLMENT.model_validate(data)
    except ValueError as exc:
        raise Invalid({"": _first_error(exc)}) from None
    return desk.store.set_status(changed, note=change.what)


# ------------------------------------------------------------------ the day's card
def card(desk: Desk, enrolment: CicoEnrolment, day: dt.date | None = None) -> CicoDay | None:
    """The enrolment's card of ``day`` (default today), if one was started."""
    return queries.card_of(desk.store, enrolment.id, _today(desk, day))


def _new_card(desk: Desk, enrolment: CicoEnrolment, day: dt.date, **fields) -> CicoDay:
    return CICO_DAY(enrolment_id=enrolment.id, student_id=enrolment.student_id, date=day,
                   goal_percent=enrolment.goal_percent, expectations=list(enrolment.expectations),
                   periods=list(enrolment.periods), **fields)


def _save_card(desk: Desk, enrolment: CicoEnrolment, day: dt.date, note: str, **fields) -> CicoDay:
    """Start the day's card with ``fields``, or change the one there (a change of status), in one transaction."""
    with desk.store.transaction():
        current = queries.card_of(desk.store, enrolment.id, day)
        if current is None:
            return desk.store.add(_new_card(desk, enrolment, day, **fields), note=note)
        try:
            changed = CICO_DAY.model_validate({**current.model_dump(), **fields})
        except ValueError as exc:
            raise Invalid({"": _first_error(exc)}) from None
        return desk.store.set_status(changed, note=note)


def check_in(desk: Desk, enrolment: CicoEnrolment, *, has_card: bool = True, day: dt.date | None = None) -> CicoDay:
    """The morning check-in: the student is here and has (or is given) the card."""
    return _save_card(desk, enrolment, _today(desk, day), "check-in", status=CicoDayStatus.PRESENT,
                      checked_in_at=desk.clock.now(), has_card=has_card)


def check_out(desk: Desk, enrolment: CicoEnrolment, scores: dict[tuple[str, str], int | None], *,
              parent_signed: bool | None = None, comment: str = "", day: dt.date | None = None) -> CicoDay:
    """The afternoon check-out: a score of 0, 1 or 2 per (period, expectation) cell (None: left blank), the
    parent's signature (of yesterday's card) and a comment."""
    from ..models.cico import CicoScore

    day = _today(desk, day)
    current = queries.card_of(desk.store, enrolment.id, day)
    base = current or _new_card(desk, enrolment, day)
    cells = []
    for (period, expectation), points in scores.items():
        if points is None:
            continue
        if points not in (0, 1, 2):
            raise Invalid({"scores": f"{expectation} in {period}: a score is 0, 1 or 2"})
        cells.append(CicoScore(period=period, expectation=expectation, points=points))
    order = {(p.casefold(), e.casefold()): i for i, (p, e) in
             enumerate((p, e) for p in base.periods for e in base.expectations)}
    cells.sort(key=lambda c: order.get((c.period.casefold(), c.expectation.casefold()), len(order)))
    return _save_card(desk, enrolment, day, "check-out", status=CicoDayStatus.PRESENT, scores=cells,
                      checked_out_at=desk.clock.now(), parent_signed=parent_signed, comment=comment.strip())


def set_day_status(desk: Desk, enrolment: CicoEnrolment, status: CicoDayStatus, *, day: dt.date | None = None,
                   comment: str | None = None) -> CicoDay:
    """Mark the day present, absent, no data or no school (absent and no school clear the scores)."""
    fields: dict = {"status": status}
    if status in (CicoDayStatus.ABSENT, CicoDayStatus.NO_SCHOOL):
        fields["scores"] = []
    if comment is not None:
        fields["comment"] = comment.strip()
    return _save_card(desk, enrolment, _today(desk, day), f"day: {status.label.lower()}", **fields)


# ------------------------------------------------------------------ the series, flags and figures
@dataclass(frozen=True)
class SeriesPoint:
    """One school day on the chart: the percentage (None without scores), the goal, the day's status
    (None: no card) and the plan change that day, if any."""

    day: dt.date
    percent: float | None
    goal: int
    status: CicoDayStatus | None
    change: str = ""
    enrolled: bool = True


def series(desk: Desk, enrolment: CicoEnrolment, *, days: int = SERIES_DAYS,
           end: dt.date | None = None) -> list[SeriesPoint]:
    """The last ``days`` school days up to ``end`` (default today), oldest first."""
    school_days = _school_days_back(desk, _today(desk, end), days)
    cards = {c.date: c for c in queries.cards_between(desk.store, enrolment.id, school_days[0], school_days[-1])}
    changes: dict[dt.date, list[str]] = {}
    for change in enrolment.changes:
        changes.setdefault(change.on, []).append(change.what)
    out = []
    for day in school_days:
        c = cards.get(day)  # a card keeps the goal of its day; a day without one shows the plan's goal now
        out.append(SeriesPoint(day=day, percent=c.percent if c else None,
                               goal=c.goal_percent if c else enrolment.goal_percent,
                               status=c.status if c else None, change="; ".join(changes.get(day, [])),
                               enrolled=enrolment.enrolled_on <= day and (enrolment.ended_on is None
                                                                          or day <= enrolment.ended_on)))
    return out


def below_goal_run(desk: Desk, enrolment: CicoEnrolment, end: dt.date | None = None) -> int:
    """How many of the latest scored days in a row were below their goal (absent/no-school days skipped)."""
    run = 0
    for point in reversed(series(desk, enrolment, days=SERIES_DAYS, end=end)):
        if point.percent is None:
            continue
        if point.percent >= point.goal:
            break
        run += 1
    return run


def flags(desk: Desk, enrolment: CicoEnrolment, end: dt.date | None = None) -> list[str]:
    """What needs a look: three days in a row below the goal; an incident while on CICO."""
    out = []
    run = below_goal_run(desk, enrolment, end)
    if run >= BELOW_IN_A_ROW:
        out.append(f"{run} days in a row below goal")
    incidents = queries.incident_days(desk.store, enrolment.student_id, enrolment.enrolled_on, enrolment.ended_on)
    if incidents:
        last = incidents[-1][0]
        out.append(f"incident while on CICO ({len(incidents)}, last {last})")
    return out


def average(desk: Desk, enrolment: CicoEnrolment, *, days: int = AVERAGE_DAYS,
            end: dt.date | None = None) -> float | None:
    """The mean of the daily percentages over the last ``days`` school days (None without scores)."""
    from statistics import mean  # (with fractions and decimal: not for a start, whose header needs no mean)

    values = [p.percent for p in series(desk, enrolment, days=days, end=end) if p.percent is not None]
    return mean(values) if values else None


@dataclass
class CicoRow:
    """One enrolled student on the CICO screen and the data screen."""

    enrolment: CicoEnrolment
    card: CicoDay | None
    average: float | None
    flags: list[str]


def roster(desk: Desk, day: dt.date | None = None) -> list[CicoRow]:
    """Every running enrolment with its card of ``day`` (default today), two weeks' average and flags."""
    day = _today(desk, day)
    return [CicoRow(e, queries.card_of(desk.store, e.id, day), average(desk, e, end=day), flags(desk, e, day))
            for e in queries.active_enrolments(desk.store)]


def enrolment_of(desk: Desk, student_id: str) -> CicoEnrolment | None:
    """The student's running enrolment, if any."""
    return queries.active_enrolment_of(desk.store, student_id)


__all__ = ["enrol", "change_plan", "card", "check_in", "check_out", "set_day_status", "series", "flags", "average",
           "roster", "enrolment_of", "SeriesPoint", "CicoRow", "StoreError"]


def to_check_in_count(desk: Desk, day: dt.date | None = None) -> int:
    """Running enrolments with no card yet on ``day`` (default today; none on a day without school)."""
    day = _today(desk, day)
    if desk.clock.day_off(day) is not None:
        return 0
    return queries.to_check_in_count(desk.store, day)
