"""The contact note: its pane (3), its line on a student's page, its part of a handoff and its form's values.
No Textual here.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from ...desk import Desk
from ...store import contacts as queries
from ...wording import Words
from ..ends import FOLLOW_UP
from ..late import late_label, logged_late
from ..recording import _base, _date, _past_when, _required, _text, _validate, when_text
from ..pane_page import carried_page
from ..rows import (
    DayItem, Look, PaneRows, Row, follow_up_text, in_order, late_time, short, status_text, student_label, time_label, time_text,
)
from ..text_fit import counted
from .registry import BundlePart, Kind, listed, register
from ...models.kinds import CONTACT_NOTE, INCIDENT

if TYPE_CHECKING:
    from ...models.base import Record
    from ...models.contact import ContactNote
    from ...models.handoff import Handoff
    from ...models.incident import Incident
    from ...models import HandoffBundle
    from ..handoff import HandoffReview
    from ..shift_parts import OpenItem, ShiftPart, ShiftReport, ShiftText

__all__ = ["pane_rows", "row"]


def pane_rows(look: Look) -> list[Row]:
    """Today's contact notes, then those logged late, then earlier notes whose follow-up is due (carried over)."""
    desk, today = look.desk, look.day
    # (each record as stored: validated only when its row is opened, see store.stored)
    todays = desk.store.on_day(CONTACT_NOTE, today, stored=True)
    # a note goes into a handoff only when flagged for the coordinator: the others show as late only
    # when logged on a later day than their own (their day's screen is gone)
    late = [n for n in logged_late(desk, CONTACT_NOTE, today, stored=True)[-look.page:][::-1]
            if n.for_coordinator or late_label(desk, n) == "logged late"]
    # the carried ones only to fill the page (those already listed as late left out by the query), only
    # the first of them when the look reads the first rows (the rest counted: PaneRows)
    carried, unread, tally = carried_page(look, CONTACT_NOTE, len(todays) + len(late), [n.id for n in late])
    shown = in_order(todays, late, carried)[:look.page]
    look.names([note.student_id for note, _how in shown])
    return PaneRows([row(look, note, how) for note, how in shown], unread, tally)


def row(look: Look, note: ContactNote, how: str = "today") -> Row:
    """One contact note's row; ``how``: "today", "late" or "carried"."""
    desk, today, roster = look.desk, look.day, look.names([note.student_id])
    is_carried = how == "carried"
    time = late_time(desk, note.at) if how == "late" else time_text(desk, note.at, is_carried)
    return Row(
        key=note.id, kind=note.kind, time=time, time_long=time if how == "late" else time_label(desk, note.at, is_carried), record=note,
        students=student_label(note.student_id, roster),
        students_short=student_label(note.student_id, roster, short=True), what=f"{note.contact_kind.label} · {short(note.note)}",
        status=status_text(follow_up_text(note.follow_up_date, today, note, desk.words),
                           "for coordinator" if note.for_coordinator else "",
                           late_label(desk, note) if how == "late" else "", amended=note.amended),
        carried=is_carried, amended=note.amended, late=how == "late",
    )


def history(desk: Desk, note: ContactNote, student_id: str, role: str | None) -> tuple[str, str, str]:
    """On a student's page: "Note · Check-in", the note, its follow-up."""
    status = status_text(follow_up_text(note.follow_up_date, desk.clock.today(), note, desk.words), amended=note.amended)
    return f"Note · {note.contact_kind.label}", short(note.note, 60), status


# ------------------------------------------------------------------ its form's values
def build_contact(desk: Desk, values: dict[str, Any], record: ContactNote | None = None) -> ContactNote:
    """A ContactNote from the contact form's values."""
    errors: dict[str, str] = {}
    student = _required(values, "student", errors, "is required — type a few letters of the name, then enter")
    when = _past_when(desk, values, "when", errors, record.at if record else None, "a contact note")
    note = _required(values, "note", errors, "can't be empty — one line is enough")
    data = {
        **_base(record), "student_id": student, "at": when, "contact_kind": _text(values, "contact_kind") or "check_in",
        "note": note, "follow_up_date": _date(desk, values, "follow_up", errors),
        "for_coordinator": bool(values.get("for_coordinator")),
    }
    return _validate(CONTACT_NOTE, data, errors)  # type: ignore[return-value]


def values(desk: Desk, record: ContactNote) -> dict[str, Any]:
    """A contact note as its form's values (for an amend)."""
    return {"student": record.student_id, "when": when_text(desk, record.at),
            "contact_kind": record.contact_kind.value, "note": record.note,
            "follow_up": str(record.follow_up_date) if record.follow_up_date else "",
            "for_coordinator": record.for_coordinator}


def follow_up(record: Record) -> dict[str, Any]:
    """A note's values following up another record: its first student; from an incident, a restorative
    conversation about it."""
    ids = record.student_ids()
    out: dict[str, Any] = {"student": ids[0] if ids else ""}
    if isinstance(record, INCIDENT):
        out["contact_kind"] = "restorative_conversation"
        # ends in '. ' so what is typed straight after is a sentence of its own (the note is
        # stripped when saved: left as it is, it ends in '.')
        out["note"] = f"Follow-up: {record.behavior} ({record.location}). "
    return out


# ------------------------------------------------------------------ the handoff
def pick(desk: Desk, day: date, earlier: list[Handoff]) -> list[Record]:
    """Notes flagged for the coordinator, never handed over (whatever their day)."""
    return queries.flagged_not_handed_off(desk.store, day)


def rekey(note: ContactNote, key) -> ContactNote:
    return note.model_copy(update={"student_id": key(note.student_id)})


def contents(desk: Desk, rv: "HandoffReview") -> list[str]:
    return [counted(len(rv.contact_notes), "flagged note")]


def review(desk: Desk, rv: "HandoffReview") -> list[str]:
    return [f"Contact notes flagged for the coordinator ({len(rv.contact_notes)}):",
            *([f"  {rv.when(desk, n.at):>11}  {rv.student_names([n.student_id])}: {n.contact_kind.label} — {n.note}"
               for n in rv.contact_notes] or ["  none"])]


def markdown(bundle: "HandoffBundle", words: Words) -> list[str]:
    from ..markdown import bundle_names, bundle_time, none_or_table

    return [f"## Contact notes for the coordinator ({len(bundle.contact_notes)})", "", *none_or_table(
        words, ["When", "Student", "Kind", "Note"],
        [[bundle_time(bundle, n.at, words), bundle_names(bundle, [n.student_id]), n.contact_kind.label, n.note]
         for n in bundle.contact_notes])]


def day_items(desk: Desk, h: Handoff, school: str) -> list[DayItem]:
    """The handoff's flagged notes for the coordinator, oldest first."""
    return [DayItem(f"{h.id}:{n.id}", "note", school, h, n.at, (n.student_id,), f"{n.contact_kind.label} · {n.note}",
                    f"{n.contact_kind.label} at {desk.clock.label(n.at)}:\n{n.note}", n, label="Note")
            for n in sorted(listed(desk, CONTACT_NOTE, h.contact_note_ids), key=lambda n: n.at)]


# ------------------------------------------------------------------ the end-of-shift report
def _shift_gather(desk: Desk, day: date, next_day: date) -> dict[str, list]:
    from ..shift_parts import open_follow_ups

    return {"contacts": sorted(desk.store.on_day(CONTACT_NOTE, day), key=lambda r: r.at),
            # follow-ups due up to the next school day and not ended, however old
            "open_contact_follow_ups": open_follow_ups(desk, CONTACT_NOTE, next_day)}


def _shift_section(t: ShiftText) -> list[str]:
    contacts = t.report.contacts
    return [f"## Contacts ({len(contacts)})", "", *(t.table(
        ["When", "Student", "Kind", "Note"],
        [[t.hhmm(c.at), t.who([c.student_id]), c.contact_kind.label, c.note] for c in contacts])
        if contacts else ["None.", ""])]


def _shift_open(report: ShiftReport) -> list[OpenItem]:
    from ..shift_parts import OpenItem

    return [OpenItem.follow_up(report, r, "Contact", r.note) for r in report.open_contact_follow_ups]


@cache
def shift() -> ShiftPart:
    """The contact notes' part of the end-of-shift report, made when the report first asks."""
    from ..shift_parts import ShiftPart, unlisted_follow_ups

    return ShiftPart(place=60, gather=_shift_gather, counts=lambda report: {"contacts": len(report.contacts)},
                     headline=lambda t: [counted(len(t.report.contacts), "contact")], section=_shift_section,
                     open_items=_shift_open,
                     unlisted_open=lambda desk, report: unlisted_follow_ups(desk, CONTACT_NOTE, report,
                                                                            report.open_contact_follow_ups, "contact"))


KIND = register(Kind(
    model=CONTACT_NOTE, label="Note", modules=("contact", "contacts", "demo_shift"), links=("incident",),
    pane="contacts", rows=pane_rows, quick_row=row, history=history,
    bundle=BundlePart(section="contact_notes", ids="contact_note_ids", place=10, pick=pick, rekey=rekey,
                      show_place=50, contents=contents, review=review, markdown=markdown, day_items=day_items),
    for_student=lambda sid: {"student": sid},
    form="contact", title="Contact note", build=build_contact, values=values, follow_up=follow_up, ends=FOLLOW_UP, shift=shift,
))
