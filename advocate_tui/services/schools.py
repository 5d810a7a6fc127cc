"""The schools a database serves: one (a school's own database) or several (a district coordinator's).

A coordinator's database takes handoff bundles from several schools, which may use the same student
numbers. Its students are kept apart by school: a bundle's students and every student a record names
are stored under ``<school short name>:<number>`` (:func:`namespaced`, on import), the student row
carrying its school; :func:`number_of` gives the school's own number back (a reply, or a later
section of it, speaks the school's numbers). Each imported record remembers the school whose handoff
brought it (``record_schools``): the coordinator's view, data screen and report filter by it.

At a school's own database (one school, perhaps two desks on the file) everything is that school's.
No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..desk import Desk
from .desk_role import COORDINATOR, ROLE_KEY

if TYPE_CHECKING:
    from ..models.base import Record
    from ..models.student import Student

if TYPE_CHECKING:  # (the bundle's models: imported where a bundle is made or read, not by a start)
    from ..models import HandoffBundle

__all__ = ["SchoolInfo", "is_coordinator", "served", "school_name", "schools_of", "namespaced", "number_of",
           "own_school"]


@dataclass(frozen=True)
class SchoolInfo:
    """A school this database serves: its short name (what records are filtered by) and its name."""

    short: str
    name: str
    demo: bool = False

    @property
    def label(self) -> str:
        """'cedar-hollow-hs' — short enough for a column; the name is in the detail."""
        return self.short


def is_coordinator(desk: Desk) -> bool:
    """True for a coordinator's own database (it has taken handoff bundles)."""
    return desk.store.get_meta(ROLE_KEY) == COORDINATOR


def own_school(desk: Desk) -> SchoolInfo:
    """This desk's own school, from its profile."""
    school = desk.profile.school
    return SchoolInfo(school.short_name or "school", school.name, desk.demo)


def served(desk: Desk) -> list[SchoolInfo]:
    """The schools whose records are in this database, by short name: for a coordinator's database the
    schools whose desk keys it trusts (and any school records came from), else this desk's own school."""
    if not is_coordinator(desk):
        return [own_school(desk)]
    found: dict[str, SchoolInfo] = {}
    for key in desk.store.trusted_keys("handoff"):
        found.setdefault(key.party, SchoolInfo(key.party, key.party_name or key.party, key.demo))
    for short in desk.store.schools_on_record():
        found.setdefault(short, SchoolInfo(short, short))
    return sorted(found.values(), key=lambda s: s.short)


def school_name(desk: Desk, short: str) -> str:
    """The school's name for a short name (the short name itself when unknown)."""
    return next((s.name for s in served(desk) if s.short == short), short)


def schools_of(desk: Desk, record_type: str, ids: list[str]) -> dict[str, str]:
    """The school (short name) of each record: where its handoff came from, or this desk's own school."""
    if not is_coordinator(desk):
        own = own_school(desk).short
        return {i: own for i in ids}
    return desk.store.record_schools(record_type, ids)


def of_school(student_id: str, school: str | None) -> bool:
    """True when the student is one of ``school``'s in a coordinator's database (keyed ``<school>:<number>``);
    always True for no school (every school, or a school's own database)."""
    return school is None or student_id.startswith(f"{school}:")


def number_of(student_id: str, school: str | None) -> str:
    """A school's own student number for a coordinator's key ``<school>:<number>`` (unchanged otherwise)."""
    prefix = f"{school}:" if school else None
    return student_id[len(prefix):] if prefix and student_id.startswith(prefix) else student_id


def _rekey_student(student: Student, school: str) -> Student:
    from ..models.student import student_key

    return student.model_copy(update={"local_id": student_key(school, student.local_id), "school": school})


def _rekey(record: Record, key) -> Record:
    """The record with every student it names under the coordinator's key (its kind says how)."""
    from .kinds import kind_of  # (the kinds' modules read this module's schools)

    kind = kind_of(record)
    rekey = kind.bundle.rekey if kind is not None and kind.bundle is not None else None
    if rekey is not None:
        return rekey(record, key)
    if record.student_ids():
        raise ValueError(f"no coordinator's key for the students of a {record.kind}")
    return record


def namespaced(bundle: HandoffBundle) -> HandoffBundle:
    """The bundle as a coordinator's database keeps it: its students and the students its records name
    under ``<school>:<number>``, each student marked with the school (nothing else changes)."""
    from ..models.student import student_key

    school = bundle.school_short

    def key(sid: str) -> str:
        return student_key(school, sid)

    from .kinds import bundle_parts

    sections = {part.section: [_rekey(r, key) for r in getattr(bundle, part.section)] for _kind, part in bundle_parts()}
    return bundle.model_copy(update={"students": [_rekey_student(s, school) for s in bundle.students], **sections})
