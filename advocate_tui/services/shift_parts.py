"""What the end-of-shift report is made of (:mod:`.shift_report`): the :class:`ShiftReport` of a day, each
kind's :class:`ShiftPart` (what of the day it holds, its figures, its words in the first line, its section,
its follow-ups left open and its lines of the handover note) and :class:`ShiftText`, the helpers its
Markdown is written with. No Textual here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..desk import Desk
from ..store import follow_ups as follow_up_queries
from .markdown import md_rows, md_table
from .rows import student_label

if TYPE_CHECKING:
    from ..models.base import Record
    from ..models.student import Student

__all__ = ["ShiftReport", "ShiftPart", "ShiftText", "OpenItem", "UnlistedOpen", "LISTED_OPEN", "open_follow_ups",
           "unlisted_follow_ups"]

#: how many of a kind's open follow-ups the report lists: the most recently due (a decade of follow-ups never
#: ended would be thousands of rows, seconds to build and more than a bundle's report holds); the rest are counted
LISTED_OPEN = 100


@dataclass
class ShiftReport:
    """What one school day held, for the report: each kind's lists by name (``report.incidents``,
    ``report.open_attendance``…, every list oldest first) and the report's figures (:attr:`counts`)."""

    school: str
    day: dt.date
    prepared_at: dt.datetime
    next_day: dt.date | None = None
    held: dict[str, list] = field(default_factory=dict)
    #: the report's figures by section (the first line and the tests read these)
    counts: dict[str, int] = field(default_factory=dict)
    #: the day's handoffs (their summaries close the handover note)
    handoffs: list = field(default_factory=list)
    roster: dict[str, Student] = field(default_factory=dict)
    #: the follow-ups left open that are counted but not listed (older than those listed), by kind
    unlisted_open: list["UnlistedOpen"] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        held = self.__dict__.get("held", {})
        if name in held:
            return held[name]
        raise AttributeError(name)


@dataclass(frozen=True)
class OpenItem:
    """A follow-up left open, as the report lists it: when it is due, who, what, a note."""

    due: dt.date | None
    students: list[str]
    what: str
    note: str
    #: counted in the handover note's "Follow-ups due" (due by the next school day)
    due_next: bool = False

    @classmethod
    def follow_up(cls, report: Any, record: Any, what: str, note: str) -> "OpenItem":
        """A record's open follow-up (``follow_up_date``), due next when it falls by the report's next day."""
        due = record.follow_up_date
        return cls(due, record.student_ids(), what, note, bool(due and report.next_day and due <= report.next_day))


@dataclass(frozen=True)
class UnlistedOpen:
    """A kind's follow-ups left open that the report counts but does not list: older than the
    :data:`LISTED_OPEN` it lists, each on its student's page."""

    #: the kind in a sentence ("incident", "contact")
    what: str
    count: int
    #: the earliest due date among them
    earliest: dt.date | None


def open_follow_ups(desk: Desk, record_type: type[Record], next_day: dt.date) -> list[Record]:
    """The open follow-ups of ``record_type`` due by ``next_day`` that the report lists: the
    :data:`LISTED_OPEN` most recently due, earliest first."""
    return follow_up_queries.due_by(desk.store, record_type, next_day, latest=LISTED_OPEN)


def unlisted_follow_ups(desk: Desk, record_type: type[Record], report: ShiftReport, listed: list,
                        what: str) -> UnlistedOpen | None:
    """Those of ``record_type``'s open follow-ups the report does not list (``listed`` are those it does)."""
    if len(listed) < LISTED_OPEN:
        return None
    total, earliest = follow_up_queries.count_due_by(desk.store, record_type, report.next_day)
    return UnlistedOpen(what, total - len(listed), earliest) if total > len(listed) else None


@dataclass
class ShiftText:
    """The helpers of the report's Markdown: times, students, tables (lists on a narrow screen), words."""

    desk: Desk
    report: ShiftReport
    narrow: bool = False

    @property
    def words(self):
        return self.desk.words

    def hhmm(self, moment) -> str:
        return self.desk.clock.local(moment).format("HH:mm") if moment else ""

    def who(self, ids) -> str:
        return ", ".join(student_label(i, self.report.roster) for i in ids)

    def table(self, header: list[str], rows: list[list[object]]) -> list[str]:
        return (md_rows if self.narrow else md_table)(header, rows, self.desk.words)


@dataclass(frozen=True)
class ShiftPart:
    """A kind's part of the end-of-shift report."""

    #: where its section, its words in the first line and its follow-ups go (smaller first)
    place: int
    #: its lists of the day (the day, the next school day): {name: records}
    gather: Callable[[Desk, dt.date, dt.date], dict[str, list]]
    #: its figures ({name: count})
    counts: Callable[[ShiftReport], dict[str, int]] | None = None
    #: its bits of the first line ("6 incidents")
    headline: Callable[[ShiftText], list[str]] | None = None
    #: its section of the Markdown
    section: Callable[[ShiftText], list[str]] | None = None
    #: its follow-ups left open
    open_items: Callable[[ShiftReport], list[OpenItem]] | None = None
    #: its lines of the handover note, each with its place in the note
    handover: Callable[[ShiftText], list[tuple[int, str]]] | None = None
    #: its follow-ups left open and not listed (counted only)
    unlisted_open: Callable[[Desk, ShiftReport], UnlistedOpen | None] | None = None
