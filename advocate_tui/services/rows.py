"""The lines the screens show of records, and the words in them: :class:`Row`, :class:`Look` and the helpers
every kind's rows use (a student's label, a time, a follow-up's state, a status line). No Textual here.

A kind's module (:mod:`advocate_tui.services.kinds`) builds its rows with these; the main screen's panes,
the student page and the item view show them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pendulum

from ..desk import Desk
from ..store.stored import DamagedRecord, Stored
from ..wording import US, Words
from .text_fit import cut_words

if TYPE_CHECKING:
    from ..models.base import Record
    from ..models.student import Student

__all__ = ["PAGE", "FIRST_PAGE", "PaneRows", "Row", "DamagedRecord", "Look", "DayItem", "names", "student_label", "people", "hhmm", "day_label", "near_label",
           "time_text", "time_label", "short", "late_time", "follow_up_text", "status_text", "in_order", "PEOPLE_SHOWN",
           "ROLE_MARK"]

#: the most rows a pane shows (a screenful or two; the rest is on the student page and in reports)
PAGE = 300
#: the rows of a pane read at first: at 160x48 the incidents pane shows 26 rows, the others 12-13 (a
#: taller pane reads on until it is full); the rest of the page is read as the cursor comes near them
#: (:class:`PaneRows`)
FIRST_PAGE = 50

ROLE_MARK = {"responsible": "R", "harmed": "H", "witness": "W", "involved": "I"}


class _Record:
    """A row's record: a :class:`~advocate_tui.store.stored.Stored` (a pane's row, built from the stored
    columns) is validated through its model the first time ``row.record`` is read, and kept; ``row.held``
    is what the row holds, unvalidated."""

    def __get__(self, row: "Row | None", owner: type | None = None) -> Any:
        if row is None:
            return None  # (the dataclass field's default)
        held = row.__dict__["held"]
        return held.record if isinstance(held, Stored) else held

    def __set__(self, row: "Row", value: Any) -> None:
        row.__dict__["held"] = value


@dataclass(frozen=True)
class Row:
    """One line of a pane: time, student(s), what, status, and what it points to."""

    key: str
    kind: str
    time: str
    students: str
    what: str
    status: str
    carried: bool = False
    amended: bool = False
    #: stands out in red: a door exception, an overdue patrol, an urgent referral
    alert: bool = False
    record: Record | None = _Record()  # type: ignore[assignment]
    #: for checklist rows about a door (open = check that door)
    door: str | None = None
    #: the students with family initials ("Marcus L. (R)"), for a narrow column
    students_short: str = ""
    #: the time with its bell period ("P3 · 10:42") for today's timed items, for a wide screen
    time_long: str = ""
    #: an earlier day's record saved after the last handoff ("logged late"): in the next handoff
    late: bool = False

    @property
    def held(self) -> Any:
        """The row's record as held: a :class:`~advocate_tui.store.stored.Stored` not validated yet, or the
        record (a quick look that must not validate: the keys a row allows)."""
        return self.__dict__["held"]


class PaneRows(list):
    """The first rows of a pane's page (a list of :class:`Row`), and what the rows not read yet hold:
    how many (``unread``) and how many of them count for each part of the pane's summary (``tally``:
    "carried", "alert", "due"), so the summary tells the whole page while only its first rows are read.
    The next rows are read with a look whose ``first`` is larger (each kind reads its page in the same
    order, so a larger first page starts with the same rows): :attr:`read`, set by whoever read these."""

    def __init__(self, rows: list[Row], unread: int = 0, tally: dict[str, int] | None = None) -> None:
        super().__init__(rows)
        self.unread = unread
        self.tally = tally or {}
        #: the pane's rows read again, the first ``first`` of them at least (None: the whole page)
        self.read: Callable[[int | None], list[Row]] | None = None


@dataclass(frozen=True)
class DayItem:
    """One thing a handoff carried besides its referrals, in the coordinator's view of the handoff: the
    shift summary, a flagged contact note, an incident, an open attendance follow-up, a door or patrol
    exception."""

    key: str  # "<handoff id>:<record id>": a record carried by two handoffs (a follow-up still open) shows twice
    kind: str  # "summary", "note", "incident", "attendance", "door", "patrol"
    school: str
    handoff: Any
    when: datetime | date
    students: tuple[str, ...]
    what: str
    detail: str
    record: Record | None = None
    alert: bool = False
    #: what the list calls it ("Incident"), and in a narrow list ("Incid."; "" for the same)
    label: str = ""
    short: str = ""


@dataclass
class Look:
    """One look at the day (the main screen reads all its panes and counts in one): the desk, its today,
    the students named so far (each asked for once, with only what a row shows of them: names and
    homeroom, see :meth:`names`) and whatever a kind works out once for several
    panes or counts (:meth:`once`)."""

    desk: Desk
    day: date
    roster: dict[str, Student] = field(default_factory=dict)
    #: the most rows a pane shows (:data:`PAGE`)
    page: int = PAGE
    #: the rows to read now (None: the whole page); a kind that reads fewer says what the rest holds
    #: (:class:`PaneRows`)
    first: int | None = None
    _made: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, desk: Desk, roster: dict[str, Student] | None = None, first: int | None = None) -> "Look":
        """A look at ``desk``'s today (``roster``: a cache of students' labels to share; ``first``: the
        rows of a pane to read now, None for the whole page)."""
        return cls(desk, desk.clock.today(), roster if roster is not None else {}, PAGE, first)

    def once(self, key: str, make: Callable[[], Any]) -> Any:
        """``make()`` the first time ``key`` is asked for in this look, the same value after."""
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]

    def names(self, ids: list[str]) -> dict[str, Student]:
        """The students of these ids, each asked for once a look, with only what a row shows of them
        (names, homeroom: ``Store.student_labels``)."""
        missing = [i for i in ids if i not in self.roster]
        if missing:
            self.roster.update(self.desk.store.student_labels(missing))
        return self.roster


# ------------------------------------------------------------------ students
def names(desk: Desk, ids: list[str], cache: dict[str, Student] | None = None) -> dict[str, Student]:
    """Students for these ids (a shared cache avoids asking twice)."""
    cache = cache if cache is not None else {}
    missing = [i for i in ids if i not in cache]
    if missing:
        cache.update(desk.store.students_by_id(missing))
    return cache


def student_label(sid: str, roster: dict[str, Student], role: str | None = None, *, short: bool = False) -> str:
    """"Ana Garcia" (or the number if not on the roster), with a role mark "(R)" for incidents;
    ``short``: "Ana G." for a narrow column."""
    student = roster.get(sid)
    if student is None:
        name = sid
    elif short:
        name = f"{student.preferred_name or student.given_name} {student.family_name[:1]}."
    else:
        name = student.display_name
    return f"{name} ({ROLE_MARK.get(role, role[:1].upper())})" if role else name


#: students named in a row before the rest are counted ("+2"); a cell wraps onto a second line
PEOPLE_SHOWN = 3


def people(labels: list[str]) -> str:
    """Up to :data:`PEOPLE_SHOWN` labels, then how many more ("Ana Garcia, Zo Okafor +2")."""
    if len(labels) <= PEOPLE_SHOWN:
        return ", ".join(labels)
    return f"{', '.join(labels[:PEOPLE_SHOWN - 1])} +{len(labels) - PEOPLE_SHOWN + 1}"


# ------------------------------------------------------------------ times
def hhmm(desk: Desk, when: datetime) -> str:
    """"10:42" in the school's zone."""
    return desk.clock.local(when).format("HH:mm")


def day_label(day: date, words: Words = US) -> str:
    """The day in the school's words."""
    return words.day(day)


def near_label(day: date, today: date, words: Words = US) -> str:
    """"Thu" for a day of this week (Monday to Sunday), else the date: "Thu 11/19" — so "due Fri" and
    "overdue Fri" never mean different weeks."""
    same_week = day.isocalendar()[:2] == today.isocalendar()[:2]
    return pendulum.date(day.year, day.month, day.day).format("ddd") if same_week else words.day(day)


def time_text(desk: Desk, when: datetime | date, carried: bool) -> str:
    """A row's time: "10:42" today ("today" for a date), the date for a row carried over from another day."""
    if carried:
        day = desk.clock.local(when).date() if isinstance(when, datetime) else when
        return desk.words.date(day)
    return hhmm(desk, when) if isinstance(when, datetime) else "today"


def time_label(desk: Desk, when: datetime | date | None, carried: bool) -> str:
    """"P3 · 10:42" for a time today (the bell period, when inside one); "" for a carried-over day."""
    if carried or not isinstance(when, datetime):
        return ""
    return desk.clock.label(when)


def late_time(desk: Desk, when: datetime | date) -> str:
    """"11/22 14:10" for a record of an earlier day (a date-only record: "11/22")."""
    if isinstance(when, datetime):
        return desk.words.date_time(desk.clock.local(when))
    return desk.words.date(when)


# ------------------------------------------------------------------ words
def short(text: str, width: int = 48) -> str:
    """The text on one line, cut at a word's edge to ``width``."""
    return cut_words(text, width)


def follow_up_text(due: date | None, today: date, record: Record | None = None, words: Words = US) -> str:
    """"follow-up due today", "follow-up overdue Thu", "follow-up done" … ("" without a follow-up date)."""
    end = getattr(record, "follow_up_end", None)
    if due is None:
        return ""
    if end is not None:
        return f"follow-up {end.value}"
    if due == today:
        return "follow-up due today"
    if due < today:
        return f"follow-up overdue {near_label(due, today, words)}"
    return f"follow-up {near_label(due, today, words)}"


def status_text(*bits: str, amended: bool = False) -> str:
    """The bits that say something, joined with " · " (and "amended" last for an amended record)."""
    parts = [b for b in bits if b]
    if amended:
        parts.append("amended")
    return " · ".join(parts)


def in_order(todays: list, late: list, carried: list) -> list[tuple[Record, str]]:
    """Today's records, then those logged late, then those carried over: (record, "today" | "late" | "carried")."""
    return [(r, "today") for r in todays] + [(r, "late") for r in late] + [(r, "carried") for r in carried]
