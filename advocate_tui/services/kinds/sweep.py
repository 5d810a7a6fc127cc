"""The hall sweep: its line on a student's page and the line above their history (sweeps, this week's).
The sweep itself is :mod:`..sweeps`. No Textual here.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from ...desk import Desk
from ...store import sweeps as queries
from ..rows import short, status_text
from ..sweeps import times_this_week
from ...store import sweeps as sweep_queries
from ..text_fit import counted
from .registry import Kind, on_call, register
from ...models.kinds import CONTACT_NOTE, INCIDENT, REFERRAL, SWEEP

if TYPE_CHECKING:
    from ...models.base import Record
    from ...models.contact import ContactNote
    from ...models.incident import Incident
    from ...models.referral import Referral
    from ...models.sweep import Sweep
    from ..shift_parts import ShiftPart, ShiftText


def history(desk: Desk, sweep: Sweep, student_id: str, role: str | None) -> tuple[str, str, str]:
    """On a student's page: "Sweep", where and their pass, where they were sent."""
    me = next((s for s in sweep.students if s.student_id == student_id), None)
    passed = (f"pass {me.pass_from or '?'} → {me.pass_to or '?'}" if me and me.has_pass else "no pass")
    what = f"{sweep.place} · {passed}" + (f" — {short(sweep.note, 40)}" if sweep.note else "")
    others = len(sweep.students) - 1
    return "Sweep", what, status_text(f"sent: {me.sent_to}" if me else "", f"+{others} more" if others else "",
                                      amended=sweep.amended)


def summary(desk: Desk, student_id: str) -> list[str]:
    """Above a student's history: how often sweeps met them (and this week)."""
    swept = queries.sweeps_of_student(desk.store, student_id)
    if not swept:
        return []
    week = times_this_week(desk, [student_id], desk.clock.today())[student_id]
    return [f"Hall sweeps: {len(swept)} ({week} this week)"]


def linked_to(desk: Desk, sweep: Sweep) -> list[Record]:
    """What a sweep became: an incident, a contact note, a referral."""
    made = ((INCIDENT, sweep.incident_id), (CONTACT_NOTE, sweep.contact_note_id), (REFERRAL, sweep.referral_id))
    return [r for cls, rid in made if rid and (r := desk.store.get(cls, rid)) is not None]


# ------------------------------------------------------------------ the end-of-shift report
def _shift_section(t: ShiftText) -> list[str]:
    swept, n = t.report.sweeps, t.report.counts
    return [f"## Hall sweeps ({n['sweeps']}; {t.words.count(n['students_swept'])})", "", *(t.table(
        ["When", "Where", "Students", "Pass", "Sent to", "Note"],
        [[t.hhmm(s.met_at), s.place, t.who(s.student_ids()),
          "; ".join(f"{x.pass_from or '?'} → {x.pass_to or '?'}" if x.has_pass else "none" for x in s.students),
          ", ".join(sorted({x.sent_to for x in s.students})), s.note] for s in swept]) if swept else ["None.", ""])]


@cache
def shift() -> ShiftPart:
    """The hall sweeps' part of the end-of-shift report, made when the report first asks."""
    from ..shift_parts import ShiftPart

    return ShiftPart(
        place=30, section=_shift_section,
        gather=lambda desk, day, next_day: {"sweeps": sweep_queries.sweeps_between(desk.store, day, day)},
        counts=lambda report: {"sweeps": len(report.sweeps),
                               "students_swept": sum(len(s.students) for s in report.sweeps)},
        headline=lambda t: [f"{counted(len(t.report.sweeps), 'sweep')} "
                            f"({t.words.count(t.report.counts['students_swept'])})"])


KIND = register(Kind(
    model=SWEEP, label="Sweep", modules=("sweep", "sweeps", "demo_day"), links=("incident", "contact_note", "referral",
                                                                    "peace_room_visit"),
    history=history, summary=summary, linked_to=linked_to,
    tables=on_call("day_stats", "sweep_tables"), tables_place=70, shift=shift,
))
