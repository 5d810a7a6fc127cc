"""The rest of the day on the data screen and in ``advocate report``: hall sweeps, Peace Room visits and
CICO, as :class:`~.stats.StatTable` s (tables that name students are marked ``identifying`` and never go
into the de-identified report). No Textual here.
"""

from __future__ import annotations

from collections import Counter

from ..desk import Desk
from ..store import sweeps as sweep_queries
from . import cico, peace_room
from .schools import of_school

__all__ = ["day_tables"]


def day_tables(desk: Desk, rng, school: str | None = None) -> list:
    """Sweeps by place, where students were sent and passes; Peace Room visits by reason, bell period and
    whether the student went back to class, minutes out of class per student; the CICO students with
    their last two weeks' average and flags. In a coordinator's database ``school`` (a short name) counts
    that school's students only (None: every school)."""
    from .stats import StatTable  # (stats imports this module)

    swept = [sweep for sweep in sweep_queries.sweeps_between(desk.store, rng.start, rng.end)
             if any(of_school(s.student_id, school) for s in sweep.students)]
    met = [s for sweep in swept for s in sweep.students if of_school(s.student_id, school)]
    fig = peace_room.figures(desk, rng.start, rng.end, school)
    order = {p.name: i for i, p in enumerate(desk.profile.bell_schedule)}
    periods = sorted(fig.by_period.items(), key=lambda kv: order.get(kv[0], len(order)))
    went = [("Back to class", fig.returned), ("Elsewhere", fig.not_returned), ("Still in the room", fig.in_room)]
    minutes_by = fig.minutes_by_student
    known = desk.store.students_by_id(list(minutes_by))
    rows = [r for r in cico.roster(desk, min(rng.end, desk.clock.today())) if of_school(r.enrolment.student_id, school)]
    on_cico = desk.store.students_by_id([r.enrolment.student_id for r in rows])
    label = lambda sid, found: found[sid].describe() if sid in found else sid  # noqa: E731
    return [
        StatTable("sweep_place", "Hall sweeps by place", Counter(s.place for s in swept).most_common(), "place"),
        StatTable("sweep_sent", "Students met on sweeps, by where they were sent",
                  Counter(s.sent_to for s in met).most_common(), "sent to"),
        StatTable("sweep_pass", "Students met on sweeps, with a pass or not",
                  [(k, n) for k, n in (("With a pass", sum(s.has_pass for s in met)),
                                       ("No pass", sum(not s.has_pass for s in met))) if n], "pass"),
        StatTable("peace_reason", "Peace Room visits by reason", list(fig.by_reason.items()), "reason"),
        StatTable("peace_period", "Peace Room visits by bell period", periods, "period", ordered=True),
        StatTable("peace_returned", "Peace Room visits: back to class?", [(k, n) for k, n in went if n], "went",
                  ordered=True),
        StatTable("peace_minutes", "Minutes out of class in the Peace Room, by student",
                  [(label(sid, known), n) for sid, n in minutes_by.items()], "student", identifying=True,
                  value="minutes", keys=list(minutes_by)),
        StatTable("cico", "CICO students: last two weeks' average (flags)",
                  [(label(r.enrolment.student_id, on_cico) + (f" — ⚑ {'; '.join(r.flags)}" if r.flags else ""),
                    round(r.average, 1) if r.average is not None else 0) for r in rows],
                  "student", identifying=True, value="% average", keys=[r.enrolment.student_id for r in rows]),
    ]
