"""Which students are to be kept apart, and why: read from every source that can say so.

An incident whose actions include "keep apart" keeps its students apart (each pair of them, witnesses
left out). A restorative process's keep-apart flag on a student party, not marked resolved, keeps that
student apart from the students on the other side of the process (issue 12). Another source adds a
function to :data:`SOURCES` with :func:`register` (a function of the store and the students asked
about, returning :class:`KeepApart` pairs). Voided records keep nobody apart. No Textual here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations

from ..models import IncidentAction, StudentRole
from ..models.process import Party
from ..store import Store
from ..store.incidents import with_action_naming
from ..store.processes import processes_of_students


@dataclass(frozen=True)
class KeepApart:
    """Two students to be kept apart (ids in sorted order) and why ('incident on 2026-11-20: Fighting')."""

    a: str
    b: str
    why: str


Source = Callable[[Store, list[str]], list[KeepApart]]


def from_incidents(store: Store, student_ids: list[str]) -> list[KeepApart]:
    """Pairs among ``student_ids`` named together in a (not voided) incident marked keep apart."""
    if len(student_ids) < 2:
        return []
    incidents = with_action_naming(store, IncidentAction.KEEP_APART, student_ids)
    asked = set(student_ids)
    out = []
    for incident in incidents:
        named = sorted({s.student_id for s in incident.students if s.role is not StudentRole.WITNESS} & asked)
        for a, b in combinations(named, 2):
            out.append(KeepApart(a, b, f"incident on {incident.occurred_at.date().isoformat()}: {incident.behavior}"))
    return out


def _other_side(flagged: Party, party: Party) -> bool:
    """Whether ``party`` is on the other side from ``flagged`` (harmed against responsible; a flagged
    party on neither side, a supporter say, is kept apart from both sides)."""
    if not (flagged.role.harmed or flagged.role.responsible):
        return party.role.harmed or party.role.responsible
    return (flagged.role.harmed and party.role.responsible) or (flagged.role.responsible and party.role.harmed)


def from_processes(store: Store, student_ids: list[str]) -> list[KeepApart]:
    """Pairs among ``student_ids`` in a (not voided) restorative process where one of them is flagged keep
    apart, the flag not marked resolved, and the other is on the other side (open or closed: the flag
    stands until someone marks it resolved)."""
    if len(student_ids) < 2:
        return []
    asked = set(student_ids)
    out = []
    for process in processes_of_students(store, student_ids):
        students = [p for p in process.parties if p.student_id in asked]
        for flagged in students:
            if not (flagged.keep_apart and not flagged.safety_resolved):
                continue
            for other in students:
                if other.student_id != flagged.student_id and _other_side(flagged, other):
                    a, b = sorted((flagged.student_id, other.student_id))
                    out.append(KeepApart(a, b, f"restorative process ({process.process_kind.replace('_', ' ')}) "
                                               f"started {process.started_at.date().isoformat()}: keep apart"))
    return out


#: every source of keep-apart flags (another adds its own with :func:`register`)
SOURCES: list[Source] = [from_incidents, from_processes]


def register(source: Source) -> Source:
    """Add a source of keep-apart pairs (usable as a decorator); a source is added once."""
    if source not in SOURCES:
        SOURCES.append(source)
    return source


def pairs_among(store: Store, student_ids: list[str]) -> list[KeepApart]:
    """Every pair among ``student_ids`` that a source says to keep apart, once per pair (the first reason)."""
    ids = sorted(set(student_ids))
    seen: dict[tuple[str, str], KeepApart] = {}
    for source in SOURCES:
        for pair in source(store, ids):
            seen.setdefault((pair.a, pair.b), pair)
    return list(seen.values())
