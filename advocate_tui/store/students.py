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
    if text.isascii():  # (nothing to decompose: most names, and every number; a roster folds ~100,000)
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


#: markers in a search key: the given, family and preferred names each follow their own
#: (a control character never typed, so a typed word never matches one)
GIVEN, FAMILY, PREFERRED = "\x1fg", "\x1ff", "\x1fp"


def name_words(text: str) -> list[str]:
    """The words of a name or of what was typed, folded ('Nakamura-Bell' → ['nakamura', 'bell'])."""
    return [fold(w) for w in text.replace("-", " ").split() if w]


def search_key(student: Student) -> str:
    """' s1001 ␟g ana maria ␟f garcia ␟p  ': every word of the number and the names folded and
    preceded by a space, the given, family and preferred names each after their marker."""
    parts = [*name_words(student.number), GIVEN, *name_words(student.given_name),
             FAMILY, *name_words(student.family_name), PREFERRED, *name_words(student.preferred_name or "")]
    return " " + " ".join(parts) + " "


#: a typed word this long also matches inside a name word ('vanov' → Ivanova); shorter ones only
#: match the start of a word
INSIDE_FROM = 3


def _like(word: str) -> str:
    """A typed word made safe inside a LIKE pattern (escape character: backslash)."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _ranks(words: list[str]) -> list[tuple[str, list[str]]]:
    """How well a student matches the typed words, best first: (SQL condition, its parameters).

    Ranks (the row falls into the first that holds): the number itself; a given name then
    family-name starts, in that order ('ivan m' → Iván Martínez; a whole given name, then a whole
    name the student goes by, before one that only starts with the word), or one word that is a
    whole name; a family name then a given name; every word starting a word of the names; last, a
    word found inside a name ('vanov' → Ivanova)."""
    w = [" " + _like(x) for x in words]
    if len(words) == 1:
        best = [("instr(search_key, ?) > 0", [f" {words[0]} "])]
    else:
        family = "%".join(w[1:])
        # a whole given name before one that only starts so ('maria g': María García, then Mariana)
        best = [(r"search_key LIKE ? ESCAPE '\'", [f"%{GIVEN}%{w[0]} %{FAMILY}%{family}%{PREFERRED}%"]),
                # the name the student goes by, whole ('ben wil': Benjamin 'Ben' Wilson before
                # Benjamin 'Sky' Wilson)
                (r"search_key LIKE ? ESCAPE '\'", [f"%{FAMILY}%{family}%{PREFERRED}%{w[0]} %"]),
                (r"search_key LIKE ? ESCAPE '\'", [f"%{GIVEN}%{w[0]}%{FAMILY}%{family}%{PREFERRED}%"]),
                (r"search_key LIKE ? ESCAPE '\'", [f"%{FAMILY}%{family}%{PREFERRED}%{w[0]}%"])]
        if len(words) == 2:
            best.append((r"search_key LIKE ? ESCAPE '\'", [f"%{GIVEN}%{w[1]}%{FAMILY}%{w[0]}%{PREFERRED}%"]))
    starts = (" AND ".join("instr(search_key, ?) > 0" for _ in words), [" " + x for x in words])
    return best + [starts]


class StudentsMixin:
    """Roster operations of :class:`Store`."""

    def student(self: "Store", local_id: str) -> Student | None:
        """The student with this student number, or None."""
        rows = list(self.db.query("SELECT * FROM students WHERE local_id = ?", [local_id]))
        return student_of_row(rows[0]) if rows else None

    def students_by_id(self: "Store", ids: Iterable[str]) -> dict[str, Student]:
        """Students for several numbers at once."""
        ids = list(dict.fromkeys(ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {r["local_id"]: student_of_row(r) for r in self.db.query(f"SELECT * FROM students WHERE local_id IN ({marks})", ids)}

    def find_students(self: "Store", text: str, *, limit: int = 8, include_inactive: bool = False) -> list[Student]:
        """Students whose names or number match each typed word ('ana ga', '1042', 'ivan m'), best first.

        A word matches the start of a name word, or (ranked last; from 3 letters) inside one; accents and
        case are folded both ways ('ivan' finds Iván, 'iván' finds Ivan). One pass over the roster's
        search keys: no index helps ``instr``, and 25,000 keys take a few milliseconds (bench/)."""
        words = name_words(text)
        if not words:
            return []
        where = ["instr(search_key, ?) > 0" for _ in words]
        # inside a word only from 3 letters on: 'an' inside names is everyone (and costs a sort of them all)
        params: list = [w if len(w) >= INSIDE_FROM else " " + w for w in words]
        if not include_inactive:
            where.append("active = 1")
        ranks = _ranks(words)
        rank = "CASE WHEN local_id = ? THEN 0 " + " ".join(
            f"WHEN {cond} THEN {n}" for n, (cond, _p) in enumerate(ranks, 1)) + f" ELSE {len(ranks) + 1} END"
        sql = (
            "SELECT * FROM students WHERE " + " AND ".join(where) +
            f" ORDER BY {rank}, family_name COLLATE NOCASE, given_name COLLATE NOCASE LIMIT ?"
        )
        rank_params = [text.strip()] + [p for _c, ps in ranks for p in ps]
        return [student_of_row(r) for r in self.db.query(sql, [*params, *rank_params, limit])]

    def count_students(self: "Store", *, active_only: bool = True) -> int:
        sql = "SELECT count(*) FROM students" + (" WHERE active = 1" if active_only else "")
        return self.db.execute(sql).fetchone()[0]

    def upsert_student(self: "Store", student: Student, *, note: str = "", as_of: datetime | None = None) -> str:
        """Add or update one student; return 'added', 'updated' or 'unchanged'. Audited (action ROSTER,
        by the store's user; the entry goes first, then the row, as the guard triggers require).

        ``as_of`` (an imported bundle's time) is kept as the student's ``updated_at`` instead of now,
        also when nothing else changed (still 'unchanged', but audited like any change of the row), so a
        bundle older than it is recognised as older."""
        with self.transaction():
            return _Upserts(self, note, as_of).put(student, self.student(student.local_id))

    def upsert_students(self: "Store", students: Iterable[Student], *, note: str = "") -> dict[str, int]:
        """Add or update many students in one transaction; counts of added/updated/unchanged.

        The same as :meth:`upsert_student` for each in turn, made for a roster of tens of thousands:
        the students on file are read a batch at a time, the time is read once, and each entry and row
        goes in through one prepared statement (no per-row table look-up)."""
        counts = {"added": 0, "updated": 0, "unchanged": 0}
        with self.transaction():
            upserts = _Upserts(self, note, None)
            batch: list[Student] = []
            for s in students:
                batch.append(s)
                if len(batch) == _BATCH:
                    upserts.put_all(batch, counts)
                    batch = []
            upserts.put_all(batch, counts)
        return counts


#: students read from the file at once by :meth:`StudentsMixin.upsert_students`
_BATCH = 500


class _Upserts:
    """Writes of students (each its audit entry, then its row) inside the caller's transaction, all
    stamped with one time: now, or ``as_of``."""

    def __init__(self, store: "Store", note: str, as_of: datetime | None) -> None:
        self.store, self.note, self.as_of = store, note, as_of
        self.stamp = as_of or store.now()
        self.stamp_text = plain(self.stamp, store.tz)
        self.at = store.now().isoformat()
        self.columns = sorted(field_names(Student))
        #: a file not yet updated to m009 has no school column (a school's own student: nothing lost)
        self.no_school = "school" not in store.db["students"].columns_dict
        self.sql: dict[tuple[str, ...], tuple[str, str]] = {}

    def _statements(self, names: tuple[str, ...]) -> tuple[str, str]:
        """The INSERT and UPDATE of a row with these columns (made once)."""
        if names not in self.sql:
            self.sql[names] = (
                f"INSERT INTO students ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                f"UPDATE students SET {', '.join(f'{c} = ?' for c in names)} WHERE local_id = ?")
        return self.sql[names]

    def put_all(self, students: list[Student], counts: dict[str, int]) -> None:
        currents = self.store.students_by_id(s.local_id for s in students)
        written: dict[str, Student] = {}
        for s in students:
            current = currents.get(s.local_id)
            if s.local_id in written:  # the same student again in this batch finds the row just written
                current = written.pop(s.local_id).model_copy(update={"updated_at": self.stamp})
                currents[s.local_id] = current
            counts[self.put(s, current, written)] += 1

    def put(self, student: Student, current: Student | None, written: dict[str, Student] | None = None) -> str:
        outcome = "added" if current is None else "updated"
        if current is not None:
            same = current.model_dump(exclude={"updated_at"}) == student.model_dump(exclude={"updated_at"})
            if same:
                if self.as_of is None or (current.updated_at is not None and current.updated_at >= self.as_of):
                    return "unchanged"
                outcome = "unchanged"
        row = {c: getattr(student, c) for c in self.columns}
        row["updated_at"] = self.stamp_text
        if self.no_school and row.get("school") is None:
            row.pop("school", None)
        after = json.dumps(row, ensure_ascii=False, sort_keys=True)  # as plain() of the stamped student
        values = [int(v) if isinstance(v, bool) else v for v in row.values()]
        values.append(search_key(student))
        insert_sql, update_sql = self._statements((*row, "search_key"))
        store = self.store
        store._audit(AuditAction.ROSTER, "student", student.local_id,
                     None if current is None else _json(current, store.tz), after, note=self.note, at=self.at)
        if current is None:
            store.db.execute(insert_sql, values)
        else:
            store.db.execute(update_sql, [*values, student.local_id])
        if written is not None:  # (stamped only if the same student comes again: put_all)
            written[student.local_id] = student
        return outcome


def _json(student: Student, tz: str) -> str:
    return json.dumps(plain(student, tz), ensure_ascii=False, sort_keys=True)


def student_of_row(row: dict) -> Student:
    """The Student stored in a ``students`` row."""
    fields = field_names(Student)
    data = {k: v for k, v in row.items() if k in fields}
    return Student.model_validate(data, context=STORED)
