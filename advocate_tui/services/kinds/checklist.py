"""The shift checklist's two kinds, door checks and patrol rounds: their pane (2), their header counts and
their part of a handoff (the exceptions). The checks and rounds themselves are :mod:`..checklist`.
No Textual here.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import pendulum

from ...desk import Desk
from ...store import door_checks as door_queries
from ...wording import Words
from ..checklist import DoorState, PatrolState, current_shift, patrol_state
from ..checklist import door_status as door_states
from ..ends import DOOR
from ..late import logged_late
from ..rows import DayItem, Look, Row, hhmm, short, status_text, time_label, time_text
from ..text_fit import counted
from ...models.enums import CheckpointStatus, DoorStatus
from ...store import stored
from .registry import BundlePart, HeaderBit, Kind, carried_by, listed, register
from ...models.kinds import DOOR_CHECK, INCIDENT, PATROL_ROUND

if TYPE_CHECKING:
    from ...models.base import Record
    from ...models.door_check import DoorCheck
    from ...models.handoff import Handoff
    from ...models.incident import Incident
    from ...models.patrol import PatrolRound
    from ...models import HandoffBundle
    from ..handoff import HandoffReview
    from ..shift_parts import ShiftPart, ShiftText
    from ..stat_table import Figures, StatTable

__all__ = ["pane_rows"]


def doors_of(look: Look) -> list[DoorState]:
    """Each door's state, worked out once a look (the pane and the header both need them)."""
    return look.once("doors", lambda: door_states(look.desk, stored=True))


def patrol_of(look: Look) -> PatrolState:
    """The patrol's state, worked out once a look."""
    return look.once("patrol", lambda: patrol_state(look.desk, stored=True))


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
    rounds = desk.store.on_day(PATROL_ROUND, today, stored=True)
    # the round under way goes first (where the "patrol due" line would be), then the rest, newest first
    rounds.sort(key=lambda r: (r.finished_at is not None, -pendulum.instance(r.started_at).timestamp()))
    for position, rnd in enumerate(rounds):
        zone = desk.profile.zone_named(rnd.zone)
        total = len(zone.checkpoints) if zone else len(rnd.checkpoints)
        state = "in progress" if rnd.finished_at is None else "done"
        issues = sum(c.status.is_issue for c in rnd.checkpoints)  # (its issues: asked of a round as stored)
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


# ------------------------------------------------------------------ the handoff: exceptions
def pick_doors(desk: Desk, day: date, earlier: list[Handoff]) -> list[Record]:
    """The day's door exceptions (and those of earlier days saved since the last handoff), in time order."""
    seen = carried_by(earlier, "door_check_ids")
    doors = [d for d in desk.store.on_day(DOOR_CHECK, day) + logged_late(desk, DOOR_CHECK, day)
             if d.is_exception and d.id not in seen]
    return sorted(doors, key=lambda d: d.checked_at)


def pick_rounds(desk: Desk, day: date, earlier: list[Handoff]) -> list[Record]:
    """The day's patrol rounds with an issue (and those of earlier days saved since the last handoff)."""
    seen = carried_by(earlier, "patrol_round_ids")
    rounds = [p for p in desk.store.on_day(PATROL_ROUND, day) + logged_late(desk, PATROL_ROUND, day)
              if p.issues and p.id not in seen]
    return sorted(rounds, key=lambda p: p.started_at)


def contents(desk: Desk, rv: "HandoffReview") -> list[str]:
    """Door and patrol exceptions in one count (the patrol part adds none of its own)."""
    return [counted(len(rv.door_checks) + sum(len(p.issues) for p in rv.patrol_rounds), "door or patrol exception",
                    "door and patrol exceptions")]


def review(desk: Desk, rv: "HandoffReview") -> list[str]:
    exceptions = [f"  {rv.when(desk, d.checked_at):>11}  door {d.door}: {d.status.label} — {d.note}"
                  for d in rv.door_checks]
    exceptions += [f"  {rv.when(desk, c.reached_at):>11}  patrol {p.zone}, {c.checkpoint}: {c.note}"
                   for p in rv.patrol_rounds for c in p.issues]
    return [f"Door and patrol exceptions ({len(exceptions)}):", *(exceptions or ["  none"])]


def markdown(bundle: "HandoffBundle", words: Words) -> list[str]:
    from ..markdown import bundle_time, none_or_table

    found = [(d.checked_at, f"Door: {d.door}", d.status.label, d.note) for d in bundle.door_checks]
    for p in bundle.patrol_rounds:
        found += [(c.reached_at, f"Patrol {p.zone}: {c.checkpoint}", c.status.label, c.note) for c in p.issues]
    exceptions = [[bundle_time(bundle, when, words), *rest] for when, *rest in sorted(found)]  # in time order
    return [f"## Door and patrol exceptions ({len(exceptions)})", "",
            *none_or_table(words, ["When", "Where", "Found", "Note"], sorted(exceptions))]


def door_items(desk: Desk, h: Handoff, school: str) -> list[DayItem]:
    clock = desk.clock
    return [DayItem(f"{h.id}:{d.id}", "door", school, h, d.checked_at, (), f"{d.door}: {d.status.label} · {d.note}",
                    f"Door {d.door} found {d.status.label.lower()} at {clock.label(d.checked_at)}:\n{d.note}", d, True,
                    label="Door")
            for d in sorted(listed(desk, DOOR_CHECK, h.door_check_ids), key=lambda d: d.checked_at)]


def patrol_items(desk: Desk, h: Handoff, school: str) -> list[DayItem]:
    clock, out = desk.clock, []
    for p in sorted(listed(desk, PATROL_ROUND, h.patrol_round_ids), key=lambda p: p.started_at):
        for n, c in enumerate(p.issues):
            out.append(DayItem(f"{h.id}:{p.id}:{n}", "patrol", school, h, c.reached_at, (),
                               f"{p.zone}, {c.checkpoint} · {c.note}",
                               f"Patrol {p.zone}, {c.checkpoint} at {clock.label(c.reached_at)}:\n{c.note}", p, True,
                               label="Patrol"))
    return out


# ------------------------------------------------------------------ links
def door_linked_to(desk: Desk, record: DoorCheck) -> list[Record]:
    """The incident a door exception became."""
    made = desk.store.get(INCIDENT, record.incident_id) if record.incident_id else None
    return [made] if made is not None else []


def doors_linking(desk: Desk, record: Record) -> list[Record]:
    """The door checks whose exception became this incident."""
    return door_queries.of_incident(desk.store, record.id) if isinstance(record, INCIDENT) else []


# ------------------------------------------------------------------ figures
def door_tables(fig: Figures) -> list[StatTable]:
    """Door exceptions by door and by what was found."""
    from ...store import stats_queries as stat_queries
    from ..stat_table import StatTable, relabel

    store, (s, e), sc = fig.desk.store, fig.span, fig.school
    doors = fig.once("door_exceptions", lambda: stat_queries.door_exceptions(store, s, e, sc))
    return [StatTable("doors", "Door exceptions by door", doors, "door"),
            StatTable("door_status", "Door exceptions by what was found",
                      relabel(stat_queries.door_exceptions_by_status(store, s, e, sc), DoorStatus), "found")]


def patrol_tables(fig: Figures) -> list[StatTable]:
    """Patrol exceptions by zone."""
    from ...store import stats_queries as stat_queries
    from ..stat_table import StatTable

    store, (s, e), sc = fig.desk.store, fig.span, fig.school
    return [StatTable("patrol", "Patrol exceptions by zone",
                      fig.once("patrol_exceptions", lambda: stat_queries.patrol_exceptions(store, s, e, sc)), "zone")]


# ------------------------------------------------------------------ the end-of-shift report
def _door_section(t: ShiftText) -> list[str]:
    """Doors and patrol: the day's rounds, then every door and patrol exception in time order."""
    from ..markdown import md_text

    report, n = t.report, t.report.counts
    out = [f"## Doors and patrol ({n['door_checks']} door checks, {n['door_exceptions']} exceptions; "
           f"{n['patrol_rounds']} rounds, {n['patrol_issues']} issues)", ""]
    exceptions = [[t.hhmm(d.checked_at), f"Door: {d.door}", d.status.label, d.note]
                  for d in report.door_checks if d.is_exception]
    for p in report.patrol_rounds:
        exceptions += [[t.hhmm(c.reached_at), f"Patrol {p.zone}: {c.checkpoint}", c.status.label, c.note]
                       for c in p.issues]
    rounds = [f"{md_text(p.zone)} {t.hhmm(p.started_at)}–{t.hhmm(p.finished_at) or 'not finished'} "
              f"({len(p.checkpoints)} checkpoints)" for p in report.patrol_rounds]
    out += ["Rounds: " + "; ".join(rounds) + ".", ""] if rounds else []
    return out + (t.table(["When", "Where", "Found", "Note"], sorted(exceptions)) if exceptions
                  else ["No exceptions.", ""])


def _standing(t: ShiftText) -> list[tuple[int, str]]:
    from ..markdown import md_text

    doors = t.report.standing_doors
    return [(20, "Door exceptions standing: " + "; ".join(md_text(d) for d in doors) + ".")] if doors else []


@cache
def door_shift() -> ShiftPart:
    """The door checks' part of the end-of-shift report, made when the report first asks."""
    from ..shift_parts import ShiftPart

    return ShiftPart(
        place=20, section=_door_section, handover=_standing,
        gather=lambda desk, day, next_day: {
            "door_checks": sorted(desk.store.on_day(DOOR_CHECK, day), key=lambda r: r.checked_at),
            "standing_doors": [f"{d.door}: {d.exception.status.label}" for d in door_states(desk) if d.exception]},
        counts=lambda report: {"door_checks": len(report.door_checks),
                               "door_exceptions": sum(d.is_exception for d in report.door_checks)})


@cache
def patrol_shift() -> ShiftPart:
    """The patrol rounds' part of the end-of-shift report, made when the report first asks."""
    from ..shift_parts import ShiftPart

    return ShiftPart(
        place=21, gather=lambda desk, day, next_day: {
            "patrol_rounds": sorted(desk.store.on_day(PATROL_ROUND, day), key=lambda r: r.started_at)},
        counts=lambda report: {"patrol_rounds": len(report.patrol_rounds),
                               "patrol_issues": sum(len(p.issues) for p in report.patrol_rounds)})


DOOR_KIND = register(Kind(
    model=DOOR_CHECK, label="Door check", modules=("door", "door_check", "door_checks", "checklist", "incident_prefill", "demo_shift"), links=("incident",),
    pane="checklist", rows=pane_rows, counts=door_counts, header=door_header, ends=DOOR,
    form="door_check", title="Door check", linked_to=door_linked_to, linking=doors_linking,
    tables=door_tables, tables_place=40,
    bundle=BundlePart(section="door_checks", ids="door_check_ids", place=40, pick=pick_doors, show_place=40,
                      contents=contents, review=review, markdown=markdown, day_items=door_items), shift=door_shift,
))
PATROL_KIND = register(Kind(
    model=PATROL_ROUND, label="Patrol round", modules=("patrol", "checklist", "incident_prefill", "demo_shift"), links=("incident",),
    pane="checklist", counts=patrol_counts, header=patrol_header, form="patrol", title="Patrol round",
    tables=patrol_tables, tables_place=50,
    bundle=BundlePart(section="patrol_rounds", ids="patrol_round_ids", place=50, pick=pick_rounds, show_place=45,
                      day_items=patrol_items), shift=patrol_shift,
))


def _checkpoints(value: str) -> list[SimpleNamespace]:
    return [SimpleNamespace(checkpoint=stored.name(c["checkpoint"]), reached_at=stored.moment(c["reached_at"]),
                            status=CheckpointStatus(c.get("status", "clear")), note=stored.text(c.get("note", "")))
            for c in json.loads(value)]


# what a patrol round's row and the patrol's state read, from its columns (see store.stored)
stored.columns(PATROL_ROUND, {"zone": stored.name, "started_at": stored.moment, "finished_at": stored.moment,
                              "checkpoints": _checkpoints})
