"""One student's page: everything on file for them, newest first, as rows (no Textual here).

Incidents carry the student's role; notes, attendance follow-ups and referrals their status (a
referral the coordinator has answered: their word, with their note for the advocate).
Voided records are left out (the store's ``student_records`` does that).
"""

from __future__ import annotations

from datetime import datetime

from ..desk import Desk
from ..models import AttendanceFollowUp, ContactNote, Incident, Process, Referral
from .day_history import day_row
from .processes import process_row
from .referral_word import has_word, word
from .today import Row, _day_label, _follow_up, _short, _status

__all__ = ["KIND_LABEL", "student_history"]

KIND_LABEL = {"incident": "Incident", "contact_note": "Note", "attendance_followup": "Attendance",
              "referral": "Referral", "process": "Process"}


def student_history(desk: Desk, student_id: str) -> list[Row]:
    """Everything on file for one student, newest first: incidents with their role, notes, attendance,
    referrals (voided records left out). ``Row.students`` holds the kind and role ("Incident · harmed")."""
    today, words = desk.clock.today(), desk.words
    rows = []
    for record, role in desk.store.student_records(student_id):
        when = record.when
        if isinstance(when, datetime):
            local = desk.clock.local(when)
            time = words.date_time(local, weekday=True) if local.date() != today else f"today {local.format('HH:mm')}"
        else:
            time = _day_label(when, words) if when != today else "today"
        kind = KIND_LABEL.get(record.kind, record.kind)
        if isinstance(record, Incident):
            what = f"{record.behavior} · {record.location}" + (f" — {_short(record.description, 40)}"
                                                               if record.description else "")
            status = _status(record.level.label, _follow_up(record.follow_up_date, today, words=words), amended=record.amended)
            kind += f" · {role}" if role else ""
        elif isinstance(record, ContactNote):
            what, kind = _short(record.note, 60), f"{kind} · {record.contact_kind.label}"
            status = _status(_follow_up(record.follow_up_date, today, words=words), amended=record.amended)
        elif isinstance(record, AttendanceFollowUp):
            what = record.attendance_kind.label + (f" {', '.join(record.periods)}" if record.periods else "") + (
                f" · {_short(record.cause, 40)}" if record.cause else "")
            status = _status(record.status.label, amended=record.amended)
        elif isinstance(record, Referral):
            what = f"{record.destination} · {record.purpose.label} — {_short(record.reason, 40)}"
            state = word(desk.clock, record, note=True) if has_word(record) else record.status.label
            status = _status(state, amended=record.amended)
        elif isinstance(record, Process):  # (issue 12) their role, the kind, their open agreement items
            what, status, role_label = process_row(desk, record, student_id)
            kind += f" · {role_label}"
        else:  # the rest of the day (issue 14): sweeps, Peace Room visits, CICO
            kind, what, status = day_row(desk, record, kind, student_id)
        rows.append(Row(key=record.id, kind=record.kind, time=time, students=kind, what=what, status=status,
                        record=record, amended=record.amended))
    return rows
