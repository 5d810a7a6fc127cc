"""The shift checklist's two kinds, door checks and patrol rounds: their pane (2), their header counts and
their part of a handoff (the exceptions). The checks and rounds themselves are :mod:`..checklist`.
No Textual here.
"""

from __future__ import annotations

from typing import Any

import pendulum

from ...models.door_check import DoorCheck
from ...models.patrol import PatrolRound
from ..checklist import DoorState, PatrolState, current_shift, patrol_state
from ..checklist import door_status as door_states
from ..rows import Look, Row, hhmm, short, status_text, time_label, time_text
from .registry import HeaderBit, Kind, register

__all__ = ["pane_rows"]


def doors_of(look: Look) -> list[DoorState]:
    """Each door's state, worked out once a look (the pane and the header both need them)."""
    return look.once("doors", lambda: door_states(look.desk))


def patrol_of(look: Look) -> PatrolState:
    """The patrol's state, worked out once a look."""
    return look.once("patrol", lambda: patrol_state(look.desk))


def pane_rows(look: Look) -> list[Row]:
    """The patrol line, doors (exceptions, then unchecked, then checked newest first), today's rounds."""
    desk, doors, patrol = look.desk, doors_of(look), patrol_of(look)
    rows = []
    due = hhmm(desk, patrol.due_at) if patrol.due_at else ""
    if patrol.open_round is None:
        rows.append(Row(key="patrol:due", kind="patrol_due", time=due, students="", what="Patrol round",
                        time_long=time_label(desk, patrol.due_at, False) if patrol.due_at else "",
                        status=patrol.text(), alert=patrol.status == "overdue"))
    order = sorted(doors, key=lambda d: (not d.is_exception, d.checked_this_shift,
                                         -(d.latest.checked_at.timestamp() if d.latest else 0)))
    today = look.day
    off = patrol.day_off
    for d in order:
        last = d.latest
        earlier = last is not None and desk.clock.local(last.checked_at).date() != today
        if last is None:
            status = "no check due" if off else "not checked"
        else:
            unchecked = " · no check due today" if off else " · not checked this shift"
            status = last.status.label + ("" if d.checked_this_shift else unchecked)
            if last.note:  # what was found, or how an exception was cleared
                status += f" · {short(last.note, 40)}"
        rows.append(Row(key=f"door:{d.door}", kind="door", door=d.door, record=last, students="",
                        time=time_text(desk, last.checked_at, earlier) if last else "—", what=f"Door · {d.door}",
                        time_long=time_label(desk, last.checked_at, earlier) if last else "",
                        status=status_text(status, amended=bool(last and last.amended)), alert=d.is_exception,
                        amended=bool(last and last.amended), carried=earlier))
    rounds = desk.store.on_day(PatrolRound, today)
    # the round under way goes first (where the "patrol due" line would be), then the rest, newest first
    rounds.sort(key=lambda r: (r.finished_at is not None, -pendulum.instance(r.started_at).timestamp()))
    for position, rnd in enumerate(rounds):
        zone = desk.profile.zone_named(rnd.zone)
        total = len(zone.checkpoints) if zone else len(rnd.checkpoints)
        state = "in progress" if rnd.finished_at is None else "done"
        issues = len(rnd.issues)
        row = Row(key=rnd.id, kind=rnd.kind, time=hhmm(desk, rnd.started_at), students="",
                  time_long=time_label(desk, rnd.started_at, False),
                  what=f"Patrol · {rnd.zone}", record=rnd, amended=rnd.amended, alert=issues > 0,
                  status=status_text(f"{state} {len(rnd.checkpoints)}/{total}",
                                     f"{issues} issue{'s' * (issues != 1)}" if issues else "", amended=rnd.amended))
        if rnd.finished_at is None and position == 0:
            rows.insert(0, row)
        else:
            rows.append(row)
    return rows[:look.page]


def door_counts(look: Look) -> dict[str, Any]:
    """Doors not yet checked this shift (none on a day without school), doors, standing exceptions, the shift."""
    doors = doors_of(look)
    off = look.desk.clock.day_off(look.day)
    return {"doors_unchecked": 0 if off else sum(not d.checked_this_shift for d in doors), "doors_total": len(doors),
            "door_exceptions": sum(d.is_exception for d in doors), "shift": current_shift(look.desk).name}


def door_header(counts: dict[str, Any], day_off: str | None) -> list[HeaderBit]:
    bits = []
    doors = counts["doors_unchecked"]
    if day_off:  # no door check or patrol expected: say why instead
        bits.append(HeaderBit(10, f"no school today ({day_off})", f"no school ({day_off})"))
    else:
        bits.append(HeaderBit(10, f"{doors} door{'s' * (doors != 1)} to check", f"{doors} door{'s' * (doors != 1)}",
                              "warning" if doors else ""))
    if counts["door_exceptions"]:
        n = counts["door_exceptions"]
        bits.append(HeaderBit(20, f"{n} door exception{'s' * (n != 1)}", f"{n} alert", "error"))
    return bits


def patrol_counts(look: Look) -> dict[str, Any]:
    """The patrol's state (due, overdue, a round under way)."""
    return {"patrol": patrol_of(look)}


def patrol_header(counts: dict[str, Any], day_off: str | None) -> list[HeaderBit]:
    patrol = counts["patrol"]
    if day_off and not patrol.in_progress:
        return []
    if patrol.status == "overdue":
        return [HeaderBit(30, "patrol overdue", "patrol overdue", "error")]
    if patrol.status == "due":
        return [HeaderBit(30, "patrol due", "patrol due", "warning")]
    if patrol.in_progress:
        return [HeaderBit(30, "patrol in progress", "patrol on")]
    return []


DOOR_CHECK = register(Kind(
    model=DoorCheck, label="Door check", modules=("door", "door_check", "checklist"), links=("incident",),
    pane="checklist", rows=pane_rows, counts=door_counts, header=door_header,
))
PATROL_ROUND = register(Kind(
    model=PatrolRound, label="Patrol round", modules=("patrol", "checklist"), links=("incident",),
    pane="checklist", counts=patrol_counts, header=patrol_header,
))
