"""The roster in the store: upserts, look-up by a few letters, deactivation (a student is never deleted)."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from ..models import AuditAction, Student
from ..models.base import STORED
from .rows import field_names, plain

if TYPE_CHECKING:
    from .core import Store


def fold(text: str) -> str:
    """Lower-case, accents removed: how names are matched ('Zoë' matches 'zoe')."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_key(student: Student) -> str:
    """Every word of a student's names and number, folded, each preceded by a space."""
    words = [student.number, student.given_name, student.family_name, student.preferred_name or ""]
    return " " + " ".join(fold(w) for part in words for w in part.replace("-", " ").split() if w) + " "


class StudentsMixin:
    """Roster operations of :class:`Store`."""

    def student(self: "Store", local_id: str) -> Student | None:
        """The student with this student number, or None."""
        rows = list(self.db.query("SELECT * FROM students WHERE local_id = ?", [local_id]))
        return _student(rows[0]) if rows else None

    def students_by_id(self: "Store", ids: Iterable[str]) -> dict[str, Student]:
        """Students for several numbers at once."""
        ids = list(dict.fromkeys(ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {r["local_id"]: _student(r) for r in self.db.query(f"SELECT * FROM students WHERE local_id IN ({marks})", ids)}

    def find_students(self: "Store", text: str, *, limit: int = 8, include_inactive: bool = False) -> list[Student]:
        """Students whose name words or number start with each typed word ('ana ga', '1042')."""
        words = [fold(w) for w in text.replace("-", " ").split() if w]
        if not words:
            return []
        where = ["instr(search_key, ?) > 0" for _ in words]
        params: list = [" " + w for w in words]
        if not include_inactive:
            where.append("active = 1")
        sql = (
            "SELECT * FROM students WHERE " + " AND ".join(where) +
            " ORDER BY (local_id = ?) DESC, family_name COLLATE NOCASE, given_name COLLATE NOCASE LIMIT ?"
        )
        return [_student(r) for r in self.db.query(sql, [*params, text.strip(), limit])]

    def count_students(self: "Store", *, active_only: bool = True) -> int:
        sql = "SELECT count(*) FROM students" + (" WHERE active = 1" if active_only else "")
        return self.db.execute(sql).fetchone()[0]

    def upsert_student(self: "Store", student: Student, *, note: str = "", as_of: datetime | None = None) -> str:
        """Add or update one student; return 'added', 'updated' or 'unchanged'. Audited (action ROSTER,
        by the store's user; the entry goes first, then the row, as the guard triggers require).

        ``as_of`` (an imported bundle's time) is kept as the student's ``updated_at`` instead of now,
        also when nothing else changed (still 'unchanged', but audited like any change of the row), so a
        bundle older than it is recognised as older."""
        current = self.student(student.local_id)
        stamped = student.model_copy(update={"updated_at": as_of or self.now()})
        row = plain(stamped, self.tz)
        if row.get("school") is None and "school" not in self.db["students"].columns_dict:
            row.pop("school", None)  # a file not yet updated to m009 (a school's own student: nothing lost)
        after = json.dumps(row, ensure_ascii=False, sort_keys=True)  # as the audit entry has it
        row["active"] = int(row["active"])
        row["search_key"] = search_key(stamped)
        outcome = "added" if current is None else "updated"
        if current is not None:
            same = current.model_dump(exclude={"updated_at"}) == student.model_dump(exclude={"updated_at"})
            if same:
                if as_of is None or (current.updated_at is not None and current.updated_at >= as_of):
                    return "unchanged"
                outcome = "unchanged"
        with self.transaction():
            self._audit(AuditAction.ROSTER, "student", student.local_id,
                        None if current is None else _json(current, self.tz), after, note=note)
            if current is None:
                self.db["students"].insert(row)
            else:
                self.db["students"].update(student.local_id, row)
        return outcome

    def upsert_students(self: "Store", students: Iterable[Student], *, note: str = "") -> dict[str, int]:
        """Add or update many students in one transaction; counts of added/updated/unchanged."""
        counts = {"added": 0, "updated": 0, "unchanged": 0}
        with self.transaction():
            for s in students:
                counts[self.upsert_student(s, note=note)] += 1
        return counts


def _json(student: Student, tz: str) -> str:
    return json.dumps(plain(student, tz), ensure_ascii=False, sort_keys=True)


def _student(row: dict) -> Student:
    fields = field_names(Student)
    data = {k: v for k, v in row.items() if k in fields}
    return Student.model_validate(data, context=STORED)
