"""One student's page: everything on file for them, newest first, as rows, and the lines above them (no
Textual here).

Each record's line is its kind's (:mod:`advocate_tui.services.kinds`): incidents carry the student's role;
notes, attendance follow-ups and referrals their status (a referral the coordinator has answered: their
word, with their note for the advocate); a process the student's part and open agreement items. Voided
records are left out (the store's heads leave them out).

The page is lazy (:class:`StudentRows`): the heads of all the student's records (kind, id, role, time:
enough for the summary and the order) are read at once, the rows themselves a chunk at a time, as
the table shows them (a decade's busiest student has ~1,600 records; building them all took ~0.3 s).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, overload

from ..desk import Desk
from ..models import Record
from ..store.history import Head, records_of, student_heads
from .kinds import kind_named, kind_of, kinds
from .rows import Row, day_label

__all__ = ["StudentRows", "student_history", "summary_lines"]


def _label(kind: str) -> str:
    """The first word of ``Row.students`` for a record of ``kind`` (the page's summary counts every record
    by it without building the rows)."""
    found = kind_named(kind)
    return found.label if found is not None else kind


def student_history(desk: Desk, student_id: str) -> "StudentRows":
    """Everything on file for one student, newest first: incidents with their role, notes, attendance,
    referrals (voided records left out). ``Row.students`` holds the kind and role ("Incident · harmed").
    A sequence of rows built as they are asked for (the first chunk at once)."""
    return StudentRows(desk, student_id, student_heads(desk.store, student_id))


class StudentRows(Sequence[Row]):
    """A student's rows, newest first, built :attr:`CHUNK` at a time from the heads of their records
    (``len``, :meth:`counts` and :meth:`index_of` need no row built)."""

    #: rows built at a time (the page's table shows 50 first: a screenful and some)
    CHUNK = 50

    def __init__(self, desk: Desk, student_id: str, heads: list[Head]) -> None:
        self.desk, self.student_id, self.heads = desk, student_id, heads
        self.built: list[Row] = []
        self._counts: dict[str, int] | None = None
        self._build(min(self.CHUNK, len(heads)))

    def _build(self, upto: int) -> None:
        while len(self.built) < min(upto, len(self.heads)):
            heads = self.heads[len(self.built):len(self.built) + self.CHUNK]
            rows = _rows(self.desk, self.student_id, records_of(self.desk.store, heads))
            if len(rows) < len(heads):  # (a record gone since: never, records are not deleted)
                got = {r.key for r in rows}
                gone = {h.id for h in heads if h.id not in got}
                self.heads = [h for h in self.heads if h.id not in gone]
                self._counts = None
            self.built.extend(rows)

    def __len__(self) -> int:
        return len(self.heads)

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            stop = len(self) if index.stop is None or index.step is not None or index.stop < 0 else index.stop
            self._build(stop if index.start is None or index.start >= 0 else len(self))
            return self.built[:len(self)][index]
        position = index + len(self) if index < 0 else index
        if not 0 <= position < len(self):
            raise IndexError(index)
        self._build(position + 1)
        return self.built[position]

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, (list, StudentRows)) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def counts(self) -> dict[str, int]:
        """Records by kind label ("Incident", "Note"…), in the order they first come, newest first (counted
        once: the page's summary lines ask several times as it opens)."""
        if self._counts is None:
            by_kind: dict[str, int] = {}
            for head in self.heads:
                by_kind[head.kind] = by_kind.get(head.kind, 0) + 1
            self._counts = {}
            for kind, n in by_kind.items():
                label = _label(kind)
                self._counts[label] = self._counts.get(label, 0) + n
        return dict(self._counts)

    def index_of(self, key: str) -> int | None:
        """Where the record ``key`` is (None: not on the page)."""
        return next((i for i, head in enumerate(self.heads) if head.id == key), None)


def _rows(desk: Desk, student_id: str, records: list[tuple[Record, str | None]]) -> list[Row]:
    """The rows of these records of the student."""
    today, words = desk.clock.today(), desk.words
    rows = []
    for record, role in records:
        when = record.when
        if isinstance(when, datetime):
            local = desk.clock.local(when)
            time = words.date_time(local, weekday=True) if local.date() != today else f"today {local.format('HH:mm')}"
        else:
            time = day_label(when, words) if when != today else "today"
        kind = kind_of(record)
        if kind is not None and kind.history is not None:
            label, what, status = kind.history(desk, record, student_id, role)
        else:
            label, what, status = _label(record.kind), "", ""
        rows.append(Row(key=record.id, kind=record.kind, time=time, students=label, what=what, status=status,
                        record=record, amended=record.amended))
    return rows


def summary_lines(desk: Desk, student_id: str) -> list[str]:
    """What sits above the history, kind by kind: Peace Room visits and minutes, sweeps (this week), the
    CICO chart of the last 20 school days."""
    return [line for kind in kinds() if kind.summary is not None for line in kind.summary(desk, student_id)]
