"""The shapes of the programme's figures: a :class:`DateRange` of school days, a :class:`StatTable` of counts,
and :class:`Figures`, what each kind's tables are computed from (the desk, the range, the school). Each kind
makes its own tables (:mod:`.kinds`: ``tables``); :mod:`.stats` gathers them. No Textual here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["DateRange", "StatTable", "Figures", "relabel"]


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of school days with a name for people ("this week")."""

    start: dt.date
    end: dt.date
    name: str = ""

    @property
    def label(self) -> str:
        span = self.start.isoformat() if self.start == self.end else f"{self.start.isoformat()} – {self.end.isoformat()}"
        return f"{self.name} ({span})" if self.name else span


@dataclass
class StatTable:
    """One table of counts: a key, a title, (label, count) rows and what the label column is."""

    key: str
    title: str
    rows: list[tuple[str, int | float]]
    column: str = "what"
    #: rows name students (never in the de-identified report)
    identifying: bool = False
    big5: bool = False
    #: for a table of rates: the count behind each row (the report hides rates of small counts)
    basis: dict[str, int] | None = None
    #: the name of the value column
    value: str = "count"
    #: what each row is about, when it can be opened (student numbers for the students table)
    keys: list[str] | None = None
    #: for a table of rates: the school days each rate is over (rate = basis ÷ days)
    days: dict[str, int] | None = None
    #: rows in a natural order (hours, months, bell periods), not largest first
    ordered: bool = False
    #: a table of averages: a row is hidden in the report when fewer than 5 answers (``days``) are behind it
    suppress_by_days: bool = False
    #: a table of measures, not the parts of one total: each row that counts some of another row (label
    #: -> that row's label) is suppressed with it as a pair, never the table as a whole
    parts: dict[str, str] | None = None

    @property
    def total(self) -> int | float:
        return round(sum(n for _, n in self.rows), 2) if self.basis is None else sum(self.basis.values())


@dataclass
class Figures:
    """What a kind's tables are counted over: the desk, the range, the school (a coordinator's database;
    None: every school); and whatever is worked out once for several tables and the headline (:meth:`once`)."""

    desk: Any
    range: DateRange
    school: str | None = None
    _made: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def span(self) -> tuple[str, str]:
        """The range's first and last day as ISO text (what the store's queries take)."""
        return self.range.start.isoformat(), self.range.end.isoformat()

    def once(self, key: str, make: Callable[[], Any]) -> Any:
        """``make()`` the first time ``key`` is asked for, the same value after."""
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]


def _label(enum, value: str) -> str:
    try:
        return enum(value).label
    except ValueError:
        return value


def relabel(rows, enum) -> list[tuple[str, int]]:
    """(label, count) rows with each value in its enum's words ('handed_off' -> 'Handed off')."""
    return [(_label(enum, k), n) for k, n in rows]


