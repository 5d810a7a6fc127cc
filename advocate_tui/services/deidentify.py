"""Taking students out of exported records: pseudonyms for student numbers, ``[name]`` for names in notes.

Which fields hold what is read from the models' own types, so a record kind added later is handled
without a change here: a field typed :data:`~advocate_tui.models.base.StudentId` (alone, in a list, in a
nested model such as an incident's students) gets the student's pseudonym, and a free-text field
(:data:`~advocate_tui.models.base.Text`, ``NonEmptyText``: notes, descriptions, reasons, summaries)
has every word that is a word of a roster name (given, family or preferred, accents and case ignored)
replaced by ``[name]`` (names the roster had before a correction too), and a student number written
in it by that student's pseudonym. A word that is also an everyday word ("Will", "Hope") goes too: in a
de-identified file, too much taken out is the safe side.

The pseudonym is ``anon-`` and the first 20 hex digits (80 bits) of HMAC-SHA256(student number) under
a key of 32 random bytes made for this one export and never written anywhere: stable within the
export (a student's records and audit entries line up), unlinkable to the number or to another export.
No Textual here.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import types
import typing
from collections.abc import Iterable
from functools import cache
from typing import Any, Union

from pydantic import BaseModel, StringConstraints

from ..models import PseudonymousStudent, Student
from ..models.base import FreeLine, FreeLineMark, NonEmptyText, StudentId, Text
from ..models.process import PersonMark
from ..models.records import RECORD_TYPES
from ..store.students import fold

__all__ = ["Deidentifier", "PSEUDONYM_PREFIX", "REDACTED", "plan_of"]

PSEUDONYM_PREFIX = "anon-"
REDACTED = "[name]"
#: a word: letters only, not touching a digit (so "O'Brien" is "O" and "Brien", "Zoë's" is "Zoë" and
#: "s", and the "de" of "3de4" is no word)
_WORD = re.compile(r"(?<![^\W_])[^\W\d_]++(?![^\W_])")
#: an id, a time, a code: one token with a digit in it (no name has one)
_ID = re.compile(r"(?=[^\s]*\d)[A-Za-z0-9_.:+-]+")
#: a token that may be a student number written in a note: letters, digits, '-' and '_', at least one digit
_NUMBER = re.compile(r"(?<![\w-])[\w-]*\d[\w-]*(?![\w-])")
#: the longest free text a record holds (Text's own limit): [name] is longer than a two-letter name
TEXT_MAX = next(m.max_length for m in Text.__metadata__ if isinstance(m, StringConstraints))
#: the longest one-line free text (FreeLine's own limit)
LINE_MAX = next(m.max_length for m in FreeLine.__metadata__ if isinstance(m, StringConstraints))
#: audit entries of these types hold nothing about a student (a trusted desk key, a restore)
NO_STUDENTS = frozenset({"trusted_key", "database"})
# What to do with one value: "sid" a student number, "text" free text, a model class, or ("list", plan).
Plan = Any


def _plan_of_hint(hint: Any) -> Plan:
    if hint == StudentId:
        return "sid"
    if any(isinstance(m, PersonMark) for m in getattr(hint, "__metadata__", ())):
        return "person"  # an adult's name in a restorative process: never in a de-identified line
    if hint in (Text, NonEmptyText):
        return "text"
    if any(isinstance(m, FreeLineMark) for m in getattr(hint, "__metadata__", ())):
        return "line"  # one line typed freely: names out, kept within its field's length
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        plans = [p for p in (_plan_of_hint(a) for a in typing.get_args(hint)) if p is not None]
        return plans[0] if plans else None
    if origin in (list, tuple, set, frozenset):
        args = typing.get_args(hint)
        inner = _plan_of_hint(args[0]) if args else None
        return ("list", inner) if inner is not None else None
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return hint if plan_of(hint) else None
    return None


@cache
def plan_of(model: type[BaseModel]) -> dict[str, Plan]:
    """The fields of ``model`` that hold a student number or free text, and how (recursively)."""
    hints = typing.get_type_hints(model, include_extras=True)
    out = {}
    for name in model.model_fields:
        plan = _plan_of_hint(hints.get(name))
        if plan is not None:
            out[name] = plan
    return out


def _name_words(students: Iterable[Student], former: Iterable[str] = ()) -> frozenset[str]:
    """Every word of every name (and of the ``former`` names), and each name of several words as one
    ('O'Brien' is also 'OBrien', 'Mary-Jane' 'MaryJane', 'De la Cruz' 'DeLaCruz'), as :func:`fold` gives them
    (case, accents and stroked letters folded: 'Łukasz' is 'lukasz')."""
    words = set()
    names = [part for s in students for part in (s.given_name, s.family_name, s.preferred_name or "")]
    for part in [*names, *former]:
        found = [fold(w) for w in _WORD.findall(part)]
        words.update(found)
        if len(found) > 1:
            words.add("".join(found))
    return frozenset(w for w in words if len(w) > 1)


class Deidentifier:
    """Turns exported JSON (records, audit entries, students) into its de-identified form."""

    def __init__(self, students: Iterable[Student], *, key: bytes | None = None, former: Iterable[str] = ()):
        """``former``: names students had before (a roster correction): notes written under them hold them."""
        self._key = key or secrets.token_bytes(32)
        students = list(students)
        self._names = _name_words(students, former)
        # a student number as a note may write it (any case; in a coordinator's database, without its
        # '<school>:'): its student's pseudonym; a number two schools share: [name]
        self._numbers: dict[str, str | None] = {}
        for s in students:
            for written in {s.local_id.casefold(), s.local_id.rpartition(":")[2].casefold()}:
                self._numbers[written] = s.local_id if self._numbers.get(written, s.local_id) == s.local_id else None
        self._seen: dict[str, str] = {}
        self._by_pseudonym: dict[str, str] = {}

    def pseudonym(self, student_id: str) -> str:
        """The student's pseudonym in this export."""
        known = self._seen.get(student_id)
        if known is None:
            digest = hmac.new(self._key, student_id.encode("utf-8"), hashlib.sha256).hexdigest()
            known = PSEUDONYM_PREFIX + digest[:20]
            if self._by_pseudonym.setdefault(known, student_id) != student_id:  # 2^-80: never, but never silently
                raise ValueError("two students got the same pseudonym; export again")
            self._seen[student_id] = known
        return known

    def text(self, value: str, limit: int = TEXT_MAX) -> str:
        """``value`` with every word of a roster name replaced by [name] (cut to ``limit`` characters)."""
        if not value or not (self._names or self._numbers):
            return value
        out = _WORD.sub(lambda m: REDACTED if fold(m.group()) in self._names else m.group(), value)
        out = _NUMBER.sub(self._number, out) if self._numbers else out
        return out if len(out) <= limit else out[:limit - 1].rstrip() + "…"

    def _number(self, match: re.Match) -> str:
        written = match.group()
        if (key := written.casefold()) not in self._numbers:
            return written
        student_id = self._numbers[key]
        return REDACTED if student_id is None else self.pseudonym(student_id)

    def student(self, student: Student) -> dict[str, Any]:
        """The student as a :class:`PseudonymousStudent` line."""
        return PseudonymousStudent(pseudonym=self.pseudonym(student.local_id), grade=student.grade,
                                   active=student.active).model_dump(mode="json")

    def _student_snapshot(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"pseudonym": self.pseudonym(str(data.get("local_id", ""))), "grade": data.get("grade"),
                "active": data.get("active", True)}

    def _apply(self, plan: Plan, value: Any) -> Any:
        if value is None:
            return None
        if plan == "sid":
            return self.pseudonym(value) if isinstance(value, str) else value
        if plan == "person":
            return REDACTED if isinstance(value, str) else value
        if plan == "text":
            return self.text(value) if isinstance(value, str) else value
        if plan == "line":
            return self.text(value, LINE_MAX) if isinstance(value, str) else value
        if isinstance(plan, tuple):
            return [self._apply(plan[1], v) for v in value] if isinstance(value, list) else value
        if isinstance(plan, type) and isinstance(value, dict):
            return self.fields(plan, value)
        return value

    def fields(self, model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
        """A copy of ``data`` (JSON of a ``model``, or an older snapshot of one) de-identified."""
        plan = plan_of(model)
        return {k: self._apply(plan[k], v) if k in plan else v for k, v in data.items()}

    def _anything(self, value: Any, numbers: frozenset[str]) -> Any:
        """An unknown shape: any string that is a student number gets its pseudonym, others lose names."""
        if isinstance(value, dict):
            return {k: self._anything(v, numbers) for k, v in value.items()}
        if isinstance(value, list):
            return [self._anything(v, numbers) for v in value]
        if isinstance(value, str):
            if value in numbers:
                return self.pseudonym(value)
            return value if _ID.fullmatch(value) else self.text(value)  # an id ("4f0a…") is no name
        return value

    def audit(self, entry: dict[str, Any], numbers: frozenset[str]) -> dict[str, Any]:
        """An audit entry's JSON, de-identified: its record's snapshots as that record, a student's as
        a pseudonymous student, the note as free text; ``numbers`` (the roster's student numbers) for
        an entry of a type this module does not know."""
        kind = entry.get("record_type")
        out = dict(entry, note=self.text(entry.get("note") or ""))
        snap = ("before", "after")
        if kind == "student":
            out["record_id"] = self.pseudonym(entry["record_id"])
            for k in snap:
                out[k] = self._student_snapshot(entry[k]) if isinstance(entry.get(k), dict) else entry.get(k)
        elif kind in RECORD_TYPES:
            for k in snap:
                out[k] = self.fields(RECORD_TYPES[kind], entry[k]) if isinstance(entry.get(k), dict) else entry.get(k)
        elif kind not in NO_STUDENTS:
            out["record_id"] = self.pseudonym(entry["record_id"]) if entry["record_id"] in numbers else entry["record_id"]
            for k in snap:
                out[k] = self._anything(entry.get(k), numbers)
        return out
