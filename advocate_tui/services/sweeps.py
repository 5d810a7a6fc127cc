"""Hall sweeps: log students met out of class in one entry, say who is out for the third time this week,
warn of students to be kept apart who are out at once, and turn an entry into an incident, a contact note
or a referral with its fields filled.

Form values (``log(desk, values)``): when (text, now by default), place, students [ids], has_pass (bool),
pass_from, pass_to, sent_to, note; ``per_student`` {id: {has_pass, pass_from, pass_to, sent_to}} overrides
the entry's values for one student. Students sent to the Peace Room get an open visit. No Textual here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..desk import Desk
from ..store import sweeps as queries
from ..store.peace_room import in_room
from . import keep_apart
from .recording import Invalid, _past_when, _required, _text, _validate, when_text
from ..models.kinds import PEACE_ROOM_VISIT, SWEEP

if TYPE_CHECKING:
    from ..models.base import Record
    from ..models.contact import ContactNote
    from ..models.incident import Incident
    from ..models.peace_room import PeaceRoomVisit
    from ..models.referral import Referral
    from ..models.sweep import Sweep

#: the count of sweeps in a week that the entry calls out
WARN_TIMES = 3
#: the Peace Room's name as a sent-to place (matched ignoring case)
PEACE_ROOM = "peace room"


@dataclass
class SweepSaved:
    """A saved sweep with what the advocate is told: each student's count this week, keep-apart pairs out
    at once, the Peace Room visits it opened."""

    sweep: Sweep
    times: dict[str, int] = field(default_factory=dict)
    keep_apart: list[keep_apart.KeepApart] = field(default_factory=list)
    visits: list[PeaceRoomVisit] = field(default_factory=list)

    @property
    def third_time(self) -> list[str]:
        """Students met for the third time (or more) this week."""
        return [sid for sid, n in self.times.items() if n >= WARN_TIMES]


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week holding ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def times_this_week(desk: Desk, student_ids: list[str], day: dt.date) -> dict[str, int]:
    """How many (not voided) sweeps met each student in the week of ``day``, up to and including ``day``."""
    monday, _ = week_of(day)
    return {sid: len(ids) for sid, ids in queries.sweep_days(desk.store, student_ids, monday, day).items()}


def is_peace_room(place: str) -> bool:
    return place.strip().casefold() == PEACE_ROOM


def build(desk: Desk, values: dict[str, Any], record: Sweep | None = None) -> Sweep:
    """A Sweep from the form's values (raises :class:`~.recording.Invalid`, keyed by field)."""
    errors: dict[str, str] = {}
    if not _text(values, "when"):
        values = {**values, "when": "now"}
    when = _past_when(desk, values, "when", errors, record.met_at if record else None, "a sweep")
    place = _required(values, "place", errors)
    sent_to = _text(values, "sent_to") or (desk.profile.sweeps.sent_to[0] if desk.profile.sweeps.sent_to else "")
    ids = [s["student_id"] if isinstance(s, dict) else str(s) for s in values.get("students") or []]
    if not ids:
        errors["students"] = "needs at least one student — type a few letters of a name, then enter"
    per = values.get("per_student") or {}
    has_pass = bool(values.get("has_pass"))
    students = []
    for sid in ids:
        own = per.get(sid, {})
        passed = bool(own.get("has_pass", has_pass))
        students.append({
            "student_id": sid, "has_pass": passed, "sent_to": own.get("sent_to") or sent_to,
            "pass_from": (own.get("pass_from", _text(values, "pass_from")) or "").strip() if passed else "",
            "pass_to": (own.get("pass_to", _text(values, "pass_to")) or "").strip() if passed else "",
        })
    base = record.model_dump() if record is not None else {}
    data = {**base, "met_at": when, "place": place, "students": students, "note": _text(values, "note")}
    return _validate(SWEEP, data, errors)  # type: ignore[return-value]


def out_now(desk: Desk, student_ids: list[str], met_at: dt.datetime, *, skip: str | None = None) -> list[str]:
    """Students out of class at ``met_at``: these, those in the Peace Room, and those met by other sweeps of
    the same bell period that day (outside periods: of the hour before)."""
    ids = set(student_ids) | {v.student_id for v in in_room(desk.store)}
    local = desk.clock.local(met_at)
    period = desk.clock.period_at(local)
    if period is not None:
        start, end = desk.clock.at(local.date(), period.start), desk.clock.at(local.date(), period.end)
    else:
        start, end = local.subtract(hours=1), local.add(minutes=1)
    for other in queries.sweeps_between(desk.store, local.date(), local.date()):
        if other.id != skip and start <= desk.clock.local(other.met_at) < end:
            ids.update(other.student_ids())
    return sorted(ids)


def warnings_for(desk: Desk, student_ids: list[str], met_at: dt.datetime, *,
                 skip: str | None = None) -> list[keep_apart.KeepApart]:
    """Keep-apart pairs out at once with at least one of them among ``student_ids``."""
    mine = set(student_ids)
    pairs = keep_apart.pairs_among(desk.store, out_now(desk, student_ids, met_at, skip=skip))
    return [p for p in pairs if p.a in mine or p.b in mine]


def preview(desk: Desk, student_ids: list[str], met_at: dt.datetime | None = None
            ) -> tuple[dict[str, int], list[keep_apart.KeepApart]]:
    """Before saving: each student's count this week with this entry, and the keep-apart warnings."""
    met_at = met_at or desk.clock.now()
    day = desk.clock.local(met_at).date()
    counts = {sid: n + 1 for sid, n in times_this_week(desk, student_ids, day).items()}
    return counts, warnings_for(desk, student_ids, met_at)


def log(desk: Desk, values: dict[str, Any]) -> SweepSaved:
    """Save a sweep (and a Peace Room visit for each student sent there) in one transaction."""
    sweep = build(desk, values)
    reasons = desk.profile.peace_room.reasons
    reason = next((r for r in reasons if "sweep" in r.casefold()), reasons[0])
    with desk.store.transaction():
        saved = desk.store.add(sweep)
        visits = [desk.store.add(PEACE_ROOM_VISIT(
            student_id=s.student_id, time_in=saved.met_at, sent_by="Hall sweep", reason=reason, sweep_id=saved.id,
            period=_period(desk, saved.met_at), note=f"Met in {saved.place}"))
            for s in saved.students if is_peace_room(s.sent_to)]
    day = desk.clock.local(saved.met_at).date()
    return SweepSaved(saved, times_this_week(desk, saved.student_ids(), day),
                      warnings_for(desk, saved.student_ids(), saved.met_at, skip=saved.id), visits)


def _period(desk: Desk, when: dt.datetime) -> str:
    period = desk.clock.period_at(when)
    return period.name if period else ""


# ------------------------------------------------------------------ becoming another record
def prefill(desk: Desk, sweep: Sweep, kind: str) -> dict[str, Any]:
    """Form values of an incident ('incident'), contact note ('contact') or referral ('referral') from a sweep,
    with ``sweep_id`` so :func:`link` can tie the saved record back to it."""
    passes = [f"pass {s.pass_from or '?'} → {s.pass_to or '?'}" if s.has_pass else "no pass" for s in sweep.students]
    what = f"Met out of class in {sweep.place} ({', '.join(sorted(set(passes)))})"
    if sweep.note:
        what += f": {sweep.note}"
    when = when_text(desk, sweep.met_at)
    if kind == "incident":
        behavior = next((b.name for b in desk.profile.behaviors if "skip" in b.name.casefold()), "")
        location = next((loc for loc in desk.profile.locations if loc.casefold() == sweep.place.casefold()),
                        sweep.place)
        return {"when": when, "students": [{"student_id": sid, "role": "involved"} for sid in sweep.student_ids()],
                "behavior": behavior, "location": location, "description": what, "sweep_id": sweep.id}
    if kind == "contact":
        return {"student": sweep.student_ids()[0], "when": when, "contact_kind": "coaching_warning", "note": what,
                "sweep_id": sweep.id}
    if kind == "referral":
        return {"students": sweep.student_ids(), "when": when, "reason": what, "sweep_id": sweep.id}
    raise ValueError(f"a sweep can't become a {kind}")


#: the kind of record made from a sweep -> the sweep's field naming it
_LINK_FIELD = {"incident": "incident_id", "contact_note": "contact_note_id", "referral": "referral_id"}


def link(desk: Desk, sweep_id: str, record: Record) -> Sweep:
    """Tie the incident, contact note or referral made from a sweep back to it (a change of status)."""
    sweep = desk.store.get(SWEEP, sweep_id)
    if sweep is None:
        raise Invalid({"": "that sweep is no longer on file"})
    name = _LINK_FIELD[record.kind]
    return desk.store.set_status(sweep.model_copy(update={name: record.id}), note=f"became {record.kind} {record.id}")



def _nth(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def notes(desk: Desk, counts: dict[str, int], pairs: list[keep_apart.KeepApart]) -> list[str]:
    """What the entry says: 'Ana Garcia: 3rd time this week', 'Keep apart: Ana Garcia and Zo Okafor (…)'."""
    from .rows import names, student_label

    roster = names(desk, sorted(set(counts) | {p.a for p in pairs} | {p.b for p in pairs}))
    out = [f"{student_label(sid, roster)}: {_nth(n)} time this week" for sid, n in counts.items() if n >= WARN_TIMES]
    out += [f"Keep apart: {student_label(p.a, roster)} and {student_label(p.b, roster)} are both out ({p.why})"
            for p in pairs]
    return out
