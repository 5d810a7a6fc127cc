"""What the main screen shows: today's items per pane, carried-over open items, the header's counts.

Each pane gets a list of :class:`Row` (newest first, at most :data:`PAGE` rows), made by the kind that
fills it (:mod:`advocate_tui.services.kinds`): today's records, then records of earlier days saved after
the last handoff (marked ``late``: "logged late"; they go into the next handoff), then the open ones
carried over from earlier days, marked ``carried``. Voided records are left out; amended ones are
marked. :func:`load` reads the first :data:`FIRST_PAGE` rows of a pane (what the first screen shows, and
some): a pane with more gets a :class:`PaneRows` that counts the rest, read with :func:`pane_rows` as the
cursor comes near them. :func:`load` returns every pane and the :class:`Counts` in one go, so a worker thread can call
it with its own store (``desk_for_thread``). No Textual here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ..desk import Desk
from .kinds import HeaderBit, kind_of, kinds, panes
from .rows import FIRST_PAGE, PAGE, Look, PaneRows, Row, names, student_label

if TYPE_CHECKING:
    from ..models.base import Record

__all__ = ["PAGE", "FIRST_PAGE", "PANES", "PaneRows", "Row", "Counts", "TodayView", "load", "counts", "desk_for_thread",
           "pane_rows", "new_row", "student_label", "names", "student_history", "changes_seen"]

#: the panes in key order (1-5)
PANES = panes()

@dataclass(frozen=True)
class Counts:
    """The header's live counts: each kind's by name (``counts.open_referrals``, ``counts.patrol``…), why
    there is no school today, and the header's words for them in the order they show."""

    values: Mapping[str, Any] = field(default_factory=dict)
    #: why there is no school today ("Thanksgiving break"): no door check or patrol is expected
    day_off: str | None = None
    bits: tuple[HeaderBit, ...] = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None

@dataclass
class TodayView:
    """Everything the main screen shows at one moment."""

    day: date
    panes: dict[str, list[Row]] = field(default_factory=dict)
    counts: Counts | None = None

def desk_for_thread(desk: Desk) -> Desk:
    """A copy of the desk with its own connection, for a worker thread (close its store after)."""
    return dataclasses.replace(desk, store=desk.store.reopen())

def counts(desk: Desk, look: Look | None = None) -> Counts:
    """Every kind's counts for the header (doors not yet checked this shift, patrol, referrals open,
    attendance due…) and the header's words for them."""
    look = look or Look.of(desk)
    values: dict[str, Any] = {}
    for kind in kinds():
        if kind.counts is not None:
            values.update(kind.counts(look))
    off = desk.clock.day_off(look.day)
    bits = [bit for kind in kinds() if kind.header is not None for bit in kind.header(values, off)]
    return Counts(values=values, day_off=off, bits=tuple(sorted(bits, key=lambda b: b.place)))

def changes_seen(desk: Desk) -> int | None:
    """A number that changes when another desk (connection) saves to this database — poll it every
    few seconds and read the panes again when it changes. None when the database can't be asked
    (busy, closed): try again at the next poll."""
    try:
        return desk.store.data_version()
    except Exception:  # a locked or closing database: the next poll asks again
        return None

def mark(desk: Desk) -> int | None:
    """A moment on this desk (the newest audit entry) to ask :func:`only_this_saved` about later; None
    when the database can't be asked."""
    try:
        return desk.store.audit_mark()
    except Exception:  # a locked or closing database: the caller reads everything, as without a mark
        return None


def only_this_saved(desk: Desk, since: int | None, record: Record) -> bool:
    """True when ``record`` is the only record saved since the mark ``since`` (a quick log: nothing else
    to read again once its row is on screen); False when anything else changed or it can't be told."""
    if since is None:
        return False
    try:
        changed = desk.store.changed_since(since)
    except Exception:
        return False
    return bool(changed) and all(kind == record.kind and rid == record.id for kind, rid in changed)


def _filler(pane: str):
    return next(k for k in kinds() if k.pane == pane and k.rows is not None)

def pane_rows(desk: Desk, pane: str, roster: dict | None = None, *, first: int | None = None) -> list[Row]:
    """The rows of one pane by name (one of :data:`PANES`): its whole page, or with ``first`` the first
    rows of it (at least; a :class:`PaneRows` when the page holds more)."""
    return _paged(desk, pane, _filler(pane).rows(Look.of(desk, roster, first)))


def _paged(desk: Desk, pane: str, rows: list[Row]) -> list[Row]:
    """The rows; a first part of a page learns how to read on (:attr:`PaneRows.read`)."""
    if isinstance(rows, PaneRows) and rows.unread:
        rows.read = lambda first: pane_rows(desk, pane, first=first)
    return rows

def new_row(desk: Desk, record: Record) -> tuple[str, Row] | None:
    """The pane and row of a record of today just saved, where one row more is all that changes on the
    screen (its kind says how: an incident or a contact note, neither of which moves a header count), not
    voided, of today. None for anything else (the pane must be read again)."""
    kind = kind_of(record)
    if kind is None or kind.quick_row is None or record.voided or desk.clock.local(record.when).date() != desk.clock.today():
        return None
    return kind.pane, kind.quick_row(Look.of(desk), record)

def load(desk: Desk) -> TodayView:
    """Every pane (its first :data:`FIRST_PAGE` rows) and the header counts, read in one pass."""
    look = Look.of(desk, first=FIRST_PAGE)
    view = TodayView(day=look.day)
    view.panes = {pane: _paged(desk, pane, _filler(pane).rows(look)) for pane in PANES}
    view.counts = counts(desk, look)
    return view

def student_history(desk: Desk, student_id: str) -> list[Row]:
    """Everything on file for one student (see :mod:`advocate_tui.services.student_history`)."""
    from .student_history import student_history as history

    return history(desk, student_id)
