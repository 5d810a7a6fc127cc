"""The rest of the day on the data screen and in ``advocate report``: hall sweeps, Peace Room visits and
CICO, each kind's :class:`~.stat_table.StatTable` s (tables that name students are marked ``identifying``
and never go into the de-identified report). No Textual here.
"""

from __future__ import annotations

from collections import Counter

from ..store import sweeps as sweep_queries
from . import cico, peace_room
from .schools import of_school
from .stat_table import Figures, StatTable

__all__ = ["sweep_tables", "peace_room_tables", "cico_tables"]


def sweep_tables(fig: Figures) -> list[StatTable]:
    """Sweeps by place, where the students met were sent, and whether they had a pass."""
    desk, rng, school = fig.desk, fig.range, fig.school
    swept = [sweep for sweep in sweep_queries.sweeps_between(desk.store, rng.start, rng.end)
             if any(of_school(s.student_id, school) for s in sweep.students)]
    met = [s for sweep in swept for s in sweep.students if of_school(s.student_id, school)]
    return [
        StatTable("sweep_place", "Hall sweeps by place", Counter(s.place for s in swept).most_common(), "place"),
        StatTable("sweep_sent", "Students met on sweeps, by where they were sent",
                  Counter(s.sent_to for s in met).most_common(), "sent to"),
        StatTable("sweep_pass", "Students met on sweeps, with a pass or not",
                  [(k, n) for k, n in (("With a pass", sum(s.has_pass for s in met)),
                                       ("No pass", sum(not s.has_pass for s in met))) if n], "pass"),
    ]


def _label(sid: str, found: dict) -> str:
    return found[sid].describe() if sid in found else sid


def peace_room_tables(fig: Figures) -> list[StatTable]:
    """Peace Room visits by reason, bell period and whether the student went back to class; minutes out of
    class per student."""
    desk, rng = fig.desk, fig.range
    found = peace_room.figures(desk, rng.start, rng.end, fig.school)
    order = {p.name: i for i, p in enumerate(desk.profile.bell_schedule)}
    periods = sorted(found.by_period.items(), key=lambda kv: order.get(kv[0], len(order)))
    went = [("Back to class", found.returned), ("Elsewhere", found.not_returned), ("Still in the room", found.in_room)]
    minutes_by = found.minutes_by_student
    known = desk.store.students_by_id(list(minutes_by))
    return [
        StatTable("peace_reason", "Peace Room visits by reason", list(found.by_reason.items()), "reason"),
        StatTable("peace_period", "Peace Room visits by bell period", periods, "period", ordered=True),
        StatTable("peace_returned", "Peace Room visits: back to class?", [(k, n) for k, n in went if n], "went",
                  ordered=True),
        StatTable("peace_minutes", "Minutes out of class in the Peace Room, by student",
                  [(_label(sid, known), n) for sid, n in minutes_by.items()], "student", identifying=True,
                  value="minutes", keys=list(minutes_by)),
    ]


def cico_tables(fig: Figures) -> list[StatTable]:
    """The CICO students with their last two weeks' average and flags."""
    desk = fig.desk
    rows = [r for r in cico.roster(desk, min(fig.range.end, desk.clock.today()))
            if of_school(r.enrolment.student_id, fig.school)]
    on_cico = desk.store.students_by_id([r.enrolment.student_id for r in rows])
    return [
        StatTable("cico", "CICO students: last two weeks' average (flags)",
                  [(_label(r.enrolment.student_id, on_cico) + (f" — ⚑ {'; '.join(r.flags)}" if r.flags else ""),
                    round(r.average, 1) if r.average is not None else 0) for r in rows],
                  "student", identifying=True, value="% average", keys=[r.enrolment.student_id for r in rows]),
    ]
