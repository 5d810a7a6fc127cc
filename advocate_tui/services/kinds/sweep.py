"""The hall sweep: its line on a student's page and the line above their history (sweeps, this week's).
The sweep itself is :mod:`..sweeps`. No Textual here.
"""

from __future__ import annotations

from ...desk import Desk
from ...models.sweep import Sweep
from ...store import sweeps as queries
from ..rows import short, status_text
from ..sweeps import times_this_week
from .registry import Kind, register


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


KIND = register(Kind(
    model=Sweep, label="Sweep", modules=("sweep", "sweeps"), links=("incident", "contact_note", "referral",
                                                                    "peace_room_visit"),
    history=history, summary=summary,
))
