"""Where the shift checklist stands: doors checked this shift, door exceptions, patrol due or overdue.

The main screen's header and checklist pane read these. If ``services/checklist.py`` offers the same
answers, this module defers to it (see :func:`door_states` and :func:`patrol_state`); until then it
answers on its own from the profile and today's records. No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pendulum

from ..desk import Desk
from ..models import DoorCheck, PatrolRound

__all__ = ["DoorState", "PatrolState", "shift_window", "door_states", "patrol_state"]


@dataclass(frozen=True)
class DoorState:
    """One exterior door as the checklist shows it."""

    door: str
    #: the latest check of this door today (any shift), or None
    last: DoorCheck | None
    #: checked since the current shift check began
    checked_this_shift: bool

    @property
    def is_exception(self) -> bool:
        """The latest check found the door not secure (stands out until a later check clears it)."""
        return self.last is not None and self.last.is_exception


@dataclass(frozen=True)
class PatrolState:
    """Is a patrol round in progress, due soon or overdue?"""

    #: "in progress", "due", "overdue" or "later" (not due yet)
    status: str
    due_at: datetime | None
    open_round: PatrolRound | None = None
    rounds_today: int = 0

    @property
    def needs_attention(self) -> bool:
        return self.status in ("due", "overdue")

    def text(self, clock_fmt: str = "HH:mm") -> str:
        """A short phrase: "patrol overdue since 08:30", "patrol round in progress"..."""
        due = pendulum.instance(self.due_at).format(clock_fmt) if self.due_at else ""
        if self.status == "in progress" and self.open_round is not None:
            return f"patrol in progress ({self.open_round.zone})"
        if self.status == "overdue":
            return f"patrol overdue since {due}"
        if self.status == "due":
            return f"patrol due {due}"
        return f"next patrol by {due}" if due else "no patrol due"


def shift_window(desk: Desk) -> tuple[str, pendulum.DateTime]:
    """The current shift check (name) and when it began today; before the first one, the day's start."""
    now = desk.clock.now()
    start, _end = desk.clock.day_bounds(now.date())
    name, began = "today", start
    checks = list(desk.profile.shift_checks)
    if checks:
        name = checks[0].name
    for check in checks:
        at = desk.clock.at(now.date(), check.at)
        if at <= now:
            name, began = check.name, at
    return name, began


def _checklist():
    """The checklist engineer's module, if it is there yet."""
    try:
        from . import checklist  # type: ignore[attr-defined]
    except ImportError:
        return None
    return checklist


def door_states(desk: Desk) -> list[DoorState]:
    """Every door of the profile, in profile order, with its latest check today."""
    today = desk.clock.today()
    _name, began = shift_window(desk)
    checks = desk.store.on_day(DoorCheck, today)  # newest first
    latest: dict[str, DoorCheck] = {}
    for check in checks:
        latest.setdefault(check.door, check)
    out = []
    for door in desk.profile.doors:
        last = latest.get(door)
        this_shift = last is not None and pendulum.instance(last.checked_at) >= began
        out.append(DoorState(door=door, last=last, checked_this_shift=this_shift))
    return out


def doors_unchecked(desk: Desk) -> int:
    """How many doors are not yet checked this shift."""
    module = _checklist()
    if module is not None and hasattr(module, "doors_unchecked"):
        try:
            value = module.doors_unchecked(desk)
            return len(value) if not isinstance(value, int) else value
        except TypeError:
            pass
    return sum(not d.checked_this_shift for d in door_states(desk))


def patrol_state(desk: Desk) -> PatrolState:
    """Patrol: the open round if any, else when the next round is (or was) due."""
    now = desk.clock.now()
    today = now.date()
    rounds = desk.store.on_day(PatrolRound, today)  # newest first
    open_round = next((r for r in rounds if r.finished_at is None), None)
    interval = pendulum.duration(minutes=desk.profile.patrol.interval_minutes)
    if rounds:
        base = max(pendulum.instance(r.started_at) for r in rounds)
    else:
        checks = list(desk.profile.shift_checks)
        first = checks[0].at if checks else desk.profile.bell_schedule[0].start
        base = desk.clock.at(today, first)
    due_at = base + interval
    if open_round is not None:
        status = "in progress"
    elif now > due_at:
        status = "overdue"
    elif now >= due_at - pendulum.duration(minutes=10):
        status = "due"
    else:
        status = "later"
    return PatrolState(status=status, due_at=due_at, open_round=open_round, rounds_today=len(rounds))
