"""Check-In/Check-Out's two kinds, the enrolment (the plan) and the day's card: the header count (students
to check in), their lines on a student's page and the CICO chart above their history. CICO itself is
:mod:`..cico`. No Textual here.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from ...desk import Desk
from ...models.cico_words import CicoDayStatus
from ...store import cico as queries
from .. import cico
from ..rows import Look, short, status_text
from ..text_fit import counted
from .registry import HeaderBit, Kind, on_call, register
from ...models.kinds import CICO_DAY, CICO_ENROLMENT

if TYPE_CHECKING:
    from ...models.cico import CicoDay, CicoEnrolment
    from ..shift_parts import ShiftPart, ShiftText

__all__ = ["SPARK", "chart_lines"]

#: bar heights of the chart, 0 % to 100 %
SPARK = "▁▂▃▄▅▆▇█"
#: a day without a percentage on the chart: no card, absent, no data, no school, before enrolment
NO_BAR = {None: "·", CicoDayStatus.ABSENT: "a", CicoDayStatus.NO_DATA: "?", CicoDayStatus.NO_SCHOOL: "-"}


def counts(look: Look) -> dict[str, Any]:
    return {"cico_to_check_in": cico.to_check_in_count(look.desk)}


def header(counts: dict[str, Any], day_off: str | None) -> list[HeaderBit]:
    n = counts["cico_to_check_in"]
    return [HeaderBit(100, f"{n} CICO to check in", f"{n} CICO in", "warning")] if n else []


def enrolment_history(desk: Desk, record: CicoEnrolment, student_id: str, role: str | None) -> tuple[str, str, str]:
    """On a student's page: "CICO plan", the goal and expectations, the phase."""
    what = f"goal {record.goal_percent}% · {', '.join(record.expectations)}"
    return "CICO plan", what, status_text(record.phase.label, amended=record.amended)


def day_history(desk: Desk, record: CicoDay, student_id: str, role: str | None) -> tuple[str, str, str]:
    """On a student's page: "CICO day", the card's state and percentage, signed, the comment."""
    pct = "—" if record.percent is None else f"{record.percent:.0f}% of {record.goal_percent}%"
    return "CICO day", f"{record.status.label} · {pct}", status_text(
        "signed" if record.parent_signed else "", short(record.comment, 30), amended=record.amended)


def chart_lines(desk: Desk, student_id: str) -> list[str]:
    """The student's CICO chart of the last 20 school days as text (empty when never enrolled): a heading
    with the goal, the two weeks' average and the flags; a bar a day (· no card, a absent, ? no data,
    - no school, blank before enrolment) with ▲ under a day that met its goal; the plan changes by date."""
    enrolments = queries.enrolments_of_student(desk.store, student_id)
    if not enrolments:
        return []
    enrolment = enrolments[0]
    points = cico.series(desk, enrolment)
    avg = cico.average(desk, enrolment)
    flags = cico.flags(desk, enrolment)
    head = (f"CICO · {enrolment.phase.label} · goal {enrolment.goal_percent}% · last 2 weeks "
            f"{'—' if avg is None else f'{avg:.0f}%'}" + (f" · ⚑ {'; '.join(flags)}" if flags else ""))
    bars, marks = [], []
    for p in points:
        if not p.enrolled:
            bars.append(" ")
        elif p.percent is None:
            bars.append(NO_BAR.get(p.status, "·"))
        else:
            bars.append(SPARK[min(len(SPARK) - 1, int(p.percent / 100 * (len(SPARK) - 1) + 0.5))])
        marks.append("▲" if p.percent is not None and p.percent >= p.goal else ("|" if p.change else " "))
    first, last = points[0].day, points[-1].day
    out = [head, f"{first:%m/%d} {''.join(bars)} {last:%m/%d}", f"      {''.join(marks)}  ▲ goal met · | plan change"]
    out += [f"  {c.on:%m/%d}: {c.what}" for c in enrolment.changes if first <= c.on <= last]
    return out


# ------------------------------------------------------------------ the end-of-shift report
def _shift_section(t: ShiftText) -> list[str]:
    cards, n = t.report.cards, t.report.counts
    return [f"## Check-In/Check-Out ({counted(n['cico_check_ins'], 'check-in')}, "
            f"{counted(n['cico_check_outs'], 'check-out')})", "", *(t.table(
                ["Student", "Day", "In", "Card", "Out", "Points", "Goal", "Signed", "Comment"],
                [[t.who([c.student_id]), c.status.label, t.hhmm(c.checked_in_at),
                  "—" if c.has_card is None else ("yes" if c.has_card else "no"), t.hhmm(c.checked_out_at),
                  f"{c.percent:.0f}%" if c.percent is not None else "—", f"{c.goal_percent}%",
                  "—" if c.parent_signed is None else ("yes" if c.parent_signed else "no"), c.comment]
                 for c in cards]) if cards else ["None.", ""])]


def _to_check_in(t: ShiftText) -> list[tuple[int, str]]:
    from ..markdown import md_text

    expected = [e.student_id for e in t.report.cico_expected]
    return [(30, f"CICO check-ins ({len(expected)}): " + md_text(t.who(expected)) + ".")] if expected else []


def _cards(desk: Desk, day) -> list[CicoDay]:
    return sorted(queries.cards_on(desk.store, day), key=lambda c: c.checked_in_at or c.checked_out_at or desk.clock.now())


@cache
def shift() -> ShiftPart:
    """CICO's part of the end-of-shift report, made when the report first asks."""
    from ..shift_parts import ShiftPart

    return ShiftPart(
        place=50, section=_shift_section, handover=_to_check_in,
        gather=lambda desk, day, next_day: {"cards": _cards(desk, day),
                                            "cico_expected": queries.active_enrolments(desk.store)},
        counts=lambda report: {"cico_check_ins": sum(1 for c in report.cards if c.checked_in_at is not None),
                               "cico_check_outs": sum(1 for c in report.cards if c.checked_out_at is not None)},
        headline=lambda t: [f"{counted(t.report.counts['cico_check_ins'], 'CICO check-in')} and "
                            f"{counted(t.report.counts['cico_check_outs'], 'check-out')}"])


ENROLMENT = register(Kind(
    model=CICO_ENROLMENT, label="CICO plan", modules=("cico", "demo_day"),
    counts=counts, header=header, history=enrolment_history, summary=chart_lines,
    tables=on_call("day_stats", "cico_tables"), tables_place=90, shift=shift,
))
DAY = register(Kind(model=CICO_DAY, label="CICO day", modules=("cico", "demo_day"), history=day_history))
