"""The end-of-shift report: the day as it was logged, built without typing, printable as Markdown.

Each kind holds its part (:mod:`.kinds`: ``shift``, a :class:`~.shift_parts.ShiftPart`): incidents; door
checks and patrol rounds with their exceptions; hall sweeps; Peace Room visits; CICO check-ins and
check-outs; contacts; the follow-ups left open; and its lines of a handover note for whoever is on the desk
tomorrow (who is still in the Peace Room, standing door exceptions, the CICO students to check in), which
ends with what is due and the summary the advocate signed the handoff with. Text from a person is escaped
in the Markdown (:func:`~.markdown.md_text`). No Textual here.
"""

from __future__ import annotations

import datetime as dt

from ..desk import Desk
from ..models import Record
from ..store import handoffs as handoff_queries
from .kinds import kinds
from .markdown import md_text
from .rows import names
from .shift_parts import ShiftPart, ShiftReport, ShiftText

__all__ = ["ShiftReport", "build", "cut_to", "markdown", "text"]


def _parts() -> list[ShiftPart]:
    return sorted((k.shift() for k in kinds() if k.shift is not None), key=lambda part: part.place)


def build(desk: Desk, day: dt.date | None = None) -> ShiftReport:
    """The report of ``day`` (default today) from what is on file."""
    day = day or desk.clock.today()
    next_day = desk.profile.calendar.shift(day, 1)
    report = ShiftReport(school=desk.profile.school.name, day=day, prepared_at=desk.clock.now(), next_day=next_day,
                         handoffs=handoff_queries.of_day(desk.store, day))
    for part in _parts():
        report.held.update(part.gather(desk, day, next_day))
    for part in _parts():
        report.counts.update(part.counts(report) if part.counts else {})
    report.unlisted_open = [u for part in _parts() if part.unlisted_open and (u := part.unlisted_open(desk, report))]
    report.counts["open_follow_ups"] = len(_open_items(report)) + sum(u.count for u in report.unlisted_open)
    ids = {sid for items in report.held.values() for item in items if isinstance(item, Record) for sid in item.student_ids()}
    report.roster = names(desk, sorted(ids))
    return report


def _open_items(report: ShiftReport) -> list:
    return [item for part in _parts() if part.open_items for item in part.open_items(report)]


# ------------------------------------------------------------------ Markdown
def markdown(desk: Desk, report: ShiftReport, *, narrow: bool = False) -> str:
    """The report as Markdown (headings, tables; person-typed text escaped); ``narrow`` (a screen under
    ~120 columns, where a table of six or more columns cuts every cell) has each table as a list instead."""
    t = ShiftText(desk, report, narrow)
    words = desk.words  # headers and dates in the school's own words and date order
    parts = _parts()
    bits = [bit for part in parts if part.headline for bit in part.headline(t)]
    out = [f"# End-of-shift report — {md_text(report.school)} — {words.full_date(report.day)}", "",
           f"Prepared {words.stamp(desk.clock.local(report.prepared_at))}: {', '.join(bits)}.", ""]
    for part in parts:
        out += part.section(t) if part.section else []

    open_items = _open_items(report)
    unlisted = sum(u.count for u in report.unlisted_open)
    out += [f"## Follow-ups left open ({len(open_items) + unlisted:,})", ""]
    rows = [[words.full_date(i.due) if i.due else "", t.who(i.students), i.what, i.note] for i in open_items]
    out += t.table(["Due", "Students", "What", "Note"], rows) if rows else ["None.", ""]
    for u in report.unlisted_open:
        one = u.count == 1
        since = f", due from {words.full_date(u.earliest)}" if u.earliest else ""
        out += [f"{u.count:,} older {u.what} follow-up{'' if one else 's'} left open{since}, "
                f"{'is' if one else 'are'} not listed here: each is on its student's page.", ""]

    out += ["## Handover for tomorrow's desk", ""]
    if report.next_day:
        out += [f"Next school day: {words.full_date(report.next_day)}.", ""]
    notes = sorted((line for part in parts if part.handover for line in part.handover(t)), key=lambda pl: pl[0])
    notes = [line for _place, line in notes]
    due = sum(1 for i in open_items if i.due_next) + unlisted  # the unlisted are older: all due
    if due:
        notes.append(f"Follow-ups due: {due:,}.")
    for line in notes:  # paragraphs, not a list: the handoff's Markdown has no lists
        out += [line, ""]
    if not notes:
        out += ["Nothing carried over.", ""]
    for h in report.handoffs:
        if h.summary:
            out += [f"Handoff {h.sequence}, signed by {md_text(h.signed_by)}:", "",
                    *[f"> {md_text(line)}" if line.strip() else ">" for line in h.summary.splitlines()], ""]
    return "\n".join(out)


def text(desk: Desk, day: dt.date | None = None, *, narrow: bool = False) -> str:
    """The Markdown of ``day``'s report (default today); ``narrow``: tables as lists."""
    return markdown(desk, build(desk, day), narrow=narrow)


def cut_to(markdown_text: str, limit: int) -> str:
    """``markdown_text`` whole when it has at most ``limit`` characters; else cut at a line's end before the
    limit, with a last line saying so (the day's records themselves are whole in the bundle)."""
    if len(markdown_text) <= limit:
        return markdown_text
    note = ("\n\n*The report is cut here: the day was longer than a bundle's report can hold "
            f"({len(markdown_text):,} characters). Every record of the day is in the bundle itself.*\n")
    head = markdown_text[:max(limit - len(note), 0)]
    return head[:head.rfind("\n") + 1 or len(head)] + note
