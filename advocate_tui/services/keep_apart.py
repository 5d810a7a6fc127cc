"""Which students are to be kept apart, and why: read from every source that can say so.

An incident whose actions include "keep apart" keeps its students apart (each pair of them, witnesses
left out). A restorative process's keep-apart flag on a student party, not marked resolved, keeps that
student apart from the students on the other side of the process (issue 12). Each kind that can say so
adds its source (a function of the store and the students asked about, returning :class:`KeepApart`
pairs) to :data:`SOURCES` with :func:`register`, in its own module (:mod:`.kinds`). Voided records keep
nobody apart. No Textual here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..store import Store


@dataclass(frozen=True)
class KeepApart:
    """Two students to be kept apart (ids in sorted order) and why ('incident on 2026-11-20: Fighting')."""

    a: str
    b: str
    why: str


Source = Callable[[Store, list[str]], list[KeepApart]]


#: every source of keep-apart flags: each kind that can say so adds its own with :func:`register` (incidents,
#: then restorative processes: the first reason found for a pair is the one given)
SOURCES: list[Source] = []


def register(source: Source) -> Source:
    """Add a source of keep-apart pairs (usable as a decorator); a source is added once."""
    if source not in SOURCES:
        SOURCES.append(source)
    return source


def pairs_among(store: Store, student_ids: list[str]) -> list[KeepApart]:
    """Every pair among ``student_ids`` that a source says to keep apart, once per pair (the first reason)."""
    from . import kinds  # noqa: F401  (the kinds' modules register their sources)

    ids = sorted(set(student_ids))
    seen: dict[tuple[str, str], KeepApart] = {}
    for source in SOURCES:
        for pair in source(store, ids):
            seen.setdefault((pair.a, pair.b), pair)
    return list(seen.values())
