"""The shift checklist: exterior doors checked each shift, and patrol rounds zone by zone.

Doors come from the profile. The profile's shift checks (opening, midday, closing) split the day
into shifts; a door counts as unchecked until it is checked in the current shift. A check with any
status but secure is an *exception*: it stands (red on screen) until a later check of that door
clears it — even across shifts and days.

A patrol round walks one zone's checkpoints in order. Each checkpoint reached is saved at once (a
status change of the round, with its history), so a crash mid-round keeps what was walked. The next
round is due ``patrol.interval_minutes`` after the last one started (after the start of the school
day if none yet); "due" in the last ten minutes before that, "overdue" after it.

On a day without school (the profile's calendar: a weekend, a holiday or break, between school
years) no door check and no patrol is expected: nothing counts as unchecked or due, and the
patrol line says "no school today (Thanksgiving break)". A standing door exception still shows.

Takes a :class:`~advocate_tui.desk.Desk`; no Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pendulum

from ..desk import Desk
from ..models.enums import CheckpointStatus, DoorStatus
from ..store import door_checks as door_queries
from .recording import Invalid
from ..models.kinds import DOOR_CHECK, PATROL_ROUND

if TYPE_CHECKING:
    from ..models.door_check import DoorCheck
    from ..models.patrol import PatrolRound

__all__ = [
    "DUE_SOON", "DoorState", "Invalid", "PatrolState", "Shift", "current_shift", "door_state", "door_status", "doors_unchecked", "finish_round",
    "link_checkpoint_incident", "link_door_incident", "next_checkpoint", "next_door",
    "next_unchecked_door", "next_zone", "no_school_text", "open_round",
    "patrol_state", "reach_checkpoint", "record_door_check", "save_door_check", "start_round",
    "unchecked_count", "zones_in_order",
]

#: a patrol round is "due" this long before its due time (then "overdue")
DUE_SOON = pendulum.duration(minutes=10)

NOTE_NEEDED = "is required — say what you found (e.g. propped with a wedge)"


# ------------------------------------------------------------------ shifts


@dataclass(frozen=True)
class Shift:
    """One shift check's window of the school day: from its time (the day's start for the first) to the next."""

    name: str
    starts: pendulum.DateTime
    ends: pendulum.DateTime


def current_shift(desk: Desk, at: datetime | None = None) -> Shift:
    """The shift running at ``at`` (default now). Before the first check, the first shift is running."""
    now = desk.clock.now() if at is None else desk.clock.local(at)
    day_start, day_end = desk.clock.day_bounds(now.date())
    checks = list(desk.profile.shift_checks)
    if not checks:
        return Shift("today", day_start, day_end)
    times = [desk.clock.at(now.date(), c.at) for c in checks]
    index = max((i for i, t in enumerate(times) if t <= now), default=0)
    starts = day_start if index == 0 else times[index]
    ends = times[index + 1] if index + 1 < len(times) else day_end
    return Shift(checks[index].name, starts, ends)


# ------------------------------------------------------------------ doors


@dataclass(frozen=True)
class DoorState:
    """One exterior door: its check this shift, its latest check ever, a standing exception."""

    door: str
    #: the latest check in the current shift, or None (unchecked this shift)
    last: DoorCheck | None
    #: the latest check ever (any shift, any day), or None
    latest: DoorCheck | None

    @property
    def checked_this_shift(self) -> bool:
        return self.last is not None

    @property
    def exception(self) -> DoorCheck | None:
        """The check that found this door not secure, while no later check has cleared it."""
        # (the status's own rule: a door's check as stored answers it unvalidated, see store.stored)
        return self.latest if self.latest is not None and self.latest.status.is_exception else None

    @property
    def is_exception(self) -> bool:
        """True while an exception stands (shown in red)."""
        return self.exception is not None


def door_status(desk: Desk, *, stored: bool = False) -> list[DoorState]:
    """Every door of the profile, in profile order, with this shift's check and any standing exception
    (``stored``: the checks as stored, see ``Store.select``: the main screen's)."""
    shift = current_shift(desk)
    today = desk.store.on_day(DOOR_CHECK, desk.clock.today(), stored=stored)  # newest first
    today.sort(key=lambda c: pendulum.instance(c.checked_at), reverse=True)
    latest_today: dict[str, DoorCheck] = {}
    for check in today:
        latest_today.setdefault(check.door, check)
    before_today = door_queries.latest_checks(desk.store, [d for d in desk.profile.doors if d not in latest_today],
                                              stored=stored)
    out = []
    for door in desk.profile.doors:
        latest = latest_today.get(door) or before_today.get(door)
        this_shift = next((c for c in today if c.door == door and shift.starts <= pendulum.instance(c.checked_at)), None)
        out.append(DoorState(door=door, last=this_shift, latest=latest))
    return out


def door_state(desk: Desk, door: str) -> DoorState | None:
    """One door's state (None for a door not in the profile)."""
    return next((d for d in door_status(desk) if d.door == door), None)


def next_unchecked_door(desk: Desk, after: str | None = None) -> str | None:
    """The first door not checked this shift — a door left with an exception (unsecured since yesterday,
    or since an earlier shift) before the others, then profile order — or the next one after ``after``
    (profile order, wrapping).

    None when every door has been checked this shift (or the only unchecked one is ``after``).
    """
    states = [d for d in door_status(desk) if not d.checked_this_shift]
    unchecked = [d.door for d in states]
    if after is None or after not in desk.profile.doors:
        first = sorted(states, key=lambda d: not d.is_exception)  # (a stable sort keeps profile order)
        return first[0].door if first else None
    doors = list(desk.profile.doors)
    start = doors.index(after)
    for door in doors[start + 1:] + doors[:start]:
        if door in unchecked:
            return door
    return None


def unchecked_count(desk: Desk) -> int:
    """How many doors are due a check this shift and not yet checked (none on a day without school)."""
    if desk.clock.day_off() is not None:
        return 0
    return sum(not d.checked_this_shift for d in door_status(desk))


def no_school_text(reason: str) -> str:
    """'no school today (Thanksgiving break)' — the header and checklist line on a day without school."""
    return f"no school today ({reason})"


#: names the main screen's fallback (services/shift.py) looks for
next_door = next_unchecked_door
doors_unchecked = unchecked_count


def _door_status(value: Any, errors: dict[str, str]) -> DoorStatus | None:
    try:
        return DoorStatus(value.value if isinstance(value, DoorStatus) else str(value or "").strip())
    except ValueError:
        errors["status"] = "is required — s secure, u unsecured, p propped open, d damaged, a alarm"
        return None


def _build_door_check(desk: Desk, door: str, status: Any, note: str, record: DoorCheck | None = None) -> DoorCheck:
    errors: dict[str, str] = {}
    door = (door or "").strip()
    if door not in desk.profile.doors:
        errors["door"] = "is required — pick one of the school's doors" if not door else f'"{door}" is not one of the school\'s doors'
    found = _door_status(status, errors)
    note = (note or "").strip()
    if found is not None and found is not DoorStatus.SECURE and not note:
        errors["note"] = NOTE_NEEDED
    if errors:
        raise Invalid(errors)
    base = record.model_dump() if record is not None else {"checked_at": desk.clock.now(), "checked_by": desk.user}
    return DOOR_CHECK.model_validate({**base, "door": door, "status": found, "note": note})


def record_door_check(desk: Desk, door: str, status: DoorStatus | str, note: str = "") -> DoorCheck:
    """Save a check of ``door`` now. Any status but secure needs a note (raises :class:`Invalid`)."""
    return desk.store.add(_build_door_check(desk, door, status, note))


def save_door_check(desk: Desk, values: dict[str, Any], record: DoorCheck | None = None) -> DoorCheck:
    """The door form's values (door, status, note) saved: a new check, or an amend of ``record``."""
    built = _build_door_check(desk, values.get("door") or "", values.get("status"), values.get("note") or "", record)
    if record is None:
        return desk.store.add(built)
    if built.status == record.status and built.note == record.note and built.door == record.door:
        return record
    return desk.store.amend(built)


# ------------------------------------------------------------------ patrol


@dataclass(frozen=True)
class PatrolState:
    """Where the patrol stands: the round under way, when the next is due, which zone is next."""

    #: "ok" (not due yet), "due" (within DUE_SOON of its time), "overdue", or "off" (no school today)
    status: str
    #: when the next round is due (None after the school day)
    due_at: pendulum.DateTime | None
    #: when the last round today started (None if none yet)
    last_start: pendulum.DateTime | None
    #: a round started today and not finished
    open_round: PatrolRound | None
    #: the zone whose turn it is
    next_zone: str
    rounds_today: int = 0
    #: why there is no school today ("Thanksgiving break", "weekend"), or None on a school day
    day_off: str | None = None

    @property
    def in_progress(self) -> bool:
        return self.open_round is not None

    @property
    def needs_attention(self) -> bool:
        return self.status in ("due", "overdue")

    def text(self) -> str:
        """A short phrase for the header: 'patrol overdue since 09:30', 'patrol in progress (Grounds)'..."""
        due = self.due_at.format("HH:mm") if self.due_at else ""
        lead = f"patrol in progress ({self.open_round.zone})" if self.open_round is not None else ""
        if self.status == "off":
            tail = no_school_text(self.day_off or "")
        elif self.status == "overdue":
            tail = f"next round overdue since {due}" if lead else f"patrol overdue since {due}"
        elif self.status == "due":
            tail = f"next round due {due}" if lead else f"patrol due {due} ({self.next_zone})"
        else:
            tail = "" if lead else (f"next patrol by {due}" if due else "no patrol due")
        return " · ".join(b for b in (lead, tail) if b)


def _rounds_today(desk: Desk, stored: bool = False) -> list[PatrolRound]:
    rounds = desk.store.on_day(PATROL_ROUND, desk.clock.today(), stored=stored)
    rounds.sort(key=lambda r: pendulum.instance(r.started_at), reverse=True)
    return rounds


def open_round(desk: Desk) -> PatrolRound | None:
    """The newest round started today and not finished, or None."""
    return next((r for r in _rounds_today(desk) if r.finished_at is None), None)


def _day_window(desk: Desk) -> tuple[pendulum.DateTime, pendulum.DateTime]:
    """The school day: from the first shift check or bell to the last shift check or bell."""
    profile, today = desk.profile, desk.clock.today()
    starts = [c.at for c in profile.shift_checks] + [p.start for p in profile.bell_schedule]
    ends = [c.at for c in profile.shift_checks] + [p.end for p in profile.bell_schedule]
    return desk.clock.at(today, min(starts)), desk.clock.at(today, max(ends))


def zones_in_order(desk: Desk, rounds: list[PatrolRound] | None = None) -> list[str]:
    """The profile's zones, the one whose turn it is first (the zone after the last round's)."""
    zones = [z.name for z in desk.profile.patrol.zones]
    rounds = _rounds_today(desk) if rounds is None else rounds
    if not rounds or rounds[0].zone not in zones:
        return zones
    start = zones.index(rounds[0].zone) + 1
    return zones[start:] + zones[:start]


def next_zone(desk: Desk) -> str:
    """The zone whose turn it is."""
    return zones_in_order(desk)[0]


def patrol_state(desk: Desk, *, stored: bool = False) -> PatrolState:
    """Patrol: last start, next due time, ok / due / overdue, the open round and the next zone (``stored``:
    the rounds as stored, see ``Store.select``: the main screen's)."""
    now = desk.clock.now()
    rounds = _rounds_today(desk, stored)
    interval = pendulum.duration(minutes=desk.profile.patrol.interval_minutes)
    day_start, day_end = _day_window(desk)
    last_start = pendulum.instance(rounds[0].started_at).in_timezone(desk.clock.tz) if rounds else None
    due_at: pendulum.DateTime | None = (last_start or day_start) + interval
    day_off = desk.clock.day_off(now.date())
    if day_off is not None:
        status, due_at = "off", None
    elif now >= day_end:
        status, due_at = "ok", None
    elif now > due_at:
        status = "overdue"
    elif now >= due_at - DUE_SOON:
        status = "due"
    else:
        status = "ok"
    return PatrolState(status=status, due_at=due_at, last_start=last_start,
                       open_round=next((r for r in rounds if r.finished_at is None), None),
                       next_zone=zones_in_order(desk, rounds)[0], rounds_today=len(rounds), day_off=day_off)


def start_round(desk: Desk, zone: str) -> PatrolRound:
    """Start a round of ``zone`` now (refused while another round is under way)."""
    found = desk.profile.zone_named(zone or "")
    if found is None:
        raise Invalid({"zone": "is required — pick a zone" if not zone else f'"{zone}" is not a patrol zone'})
    with desk.store.transaction():
        under_way = open_round(desk)
        if under_way is not None:
            raise Invalid({"": f"a round of {under_way.zone} is under way — continue it or finish it first"})
        return desk.store.add(PATROL_ROUND(zone=found.name, started_at=desk.clock.now()))


def _current(desk: Desk, round_or_id: PatrolRound | str) -> PatrolRound:
    round_id = round_or_id if isinstance(round_or_id, str) else round_or_id.id
    current = desk.store.get(PATROL_ROUND, round_id)
    if current is None or current.voided:
        raise Invalid({"": "this patrol round is no longer on file"})
    return current


def next_checkpoint(desk: Desk, rnd: PatrolRound) -> str | None:
    """The zone's first checkpoint not yet reached in this round, or None when all are."""
    zone = desk.profile.zone_named(rnd.zone)
    reached = {v.checkpoint for v in rnd.checkpoints}
    return next((c for c in (zone.checkpoints if zone else []) if c not in reached), None)


def reach_checkpoint(desk: Desk, rnd: PatrolRound | str, checkpoint: str, status: CheckpointStatus | str = "clear",
                     note: str = "") -> PatrolRound:
    """Save a checkpoint reached now (clear, or an issue with a note) on the round; returns the round."""
    try:
        found = CheckpointStatus(status.value if isinstance(status, CheckpointStatus) else str(status))
    except ValueError:
        raise Invalid({"status": "is required — c clear or i issue"}) from None
    note = (note or "").strip()
    if found is CheckpointStatus.ISSUE and not note:
        raise Invalid({"note": "is required — say in a line what the issue is"})
    if not (checkpoint or "").strip():
        raise Invalid({"checkpoint": "is required"})
    with desk.store.transaction():
        current = _current(desk, rnd)
        if current.finished_at is not None:
            raise Invalid({"": "this round is finished — start a new one"})
        from ..models.patrol import CheckpointVisit

        visit = CheckpointVisit(checkpoint=checkpoint, reached_at=desk.clock.now(), status=found, note=note)
        updated = current.model_copy(update={"checkpoints": [*current.checkpoints, visit]})
        return desk.store.set_status(updated, note=f"reached {visit.checkpoint} ({found.value})")


def finish_round(desk: Desk, rnd: PatrolRound | str) -> PatrolRound:
    """Mark the round finished now (a finished round is returned as it is)."""
    with desk.store.transaction():
        current = _current(desk, rnd)
        if current.finished_at is not None:
            return current
        updated = current.model_copy(update={"finished_at": desk.clock.now()})
        return desk.store.set_status(updated, note="round finished")


def link_checkpoint_incident(desk: Desk, round_id: str, checkpoint: str, incident_id: str) -> PatrolRound:
    """Record that the issue at ``checkpoint`` became incident ``incident_id``; returns the round."""
    with desk.store.transaction():
        current = _current(desk, round_id)
        issues = [i for i, v in enumerate(current.checkpoints)
                  if v.checkpoint == checkpoint and v.status is CheckpointStatus.ISSUE]
        if not issues:
            raise Invalid({"": f"no issue at {checkpoint} on this round"})
        unlinked = [i for i in issues if not current.checkpoints[i].incident_id]
        index = (unlinked or issues)[-1]
        visits = list(current.checkpoints)
        visits[index] = visits[index].model_copy(update={"incident_id": incident_id})
        updated = current.model_copy(update={"checkpoints": visits})
        return desk.store.set_status(updated, note=f"issue at {checkpoint} became incident {incident_id}")


def link_door_incident(desk: Desk, check_id: str, incident_id: str) -> DoorCheck:
    """Record that the exception found by door check ``check_id`` became incident ``incident_id``."""
    with desk.store.transaction():
        current = desk.store.get(DOOR_CHECK, check_id)
        if current is None or current.voided:
            raise Invalid({"": "this door check is no longer on file"})
        if not current.is_exception:
            raise Invalid({"": f"the check of {current.door} found it secure: there is no exception to link"})
        updated = current.model_copy(update={"incident_id": incident_id})
        return desk.store.set_status(updated, note=f"exception at {current.door} became incident {incident_id}")


