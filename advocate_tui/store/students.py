"""The roster in the store: upserts, look-up by a few letters, deactivation (a student is never deleted)."""

from __future__ import annotations

import contextlib
import json
import operator
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from ..models.enums import AuditAction
from ..models.kinds import STORED
from .roster_search import FAMILY, GIVEN, PREFERRED, Roster, rank_tests
from .rows import field_names, plain

if TYPE_CHECKING:
    from sqlite_utils import Database

    from ..models.student import Student

    from .core import Store


#: letters Unicode gives no decomposition (a stroke, a dotless i, a ligature), as their plain ones: typed
#: on a US keyboard 'Łukasz', 'Søren', 'Işık', 'Đorđe', 'Ægir', 'Þór' are 'lukasz', 'soren', 'isik',
#: 'dorde', 'aegir', 'thor' (:func:`fold` applies it; the de-identified export matches names with it too)
PLAIN_LETTERS = str.maketrans({"ł": "l", "ø": "o", "ı": "i", "đ": "d", "ð": "d", "ħ": "h", "ŧ": "t", "ŀ": "l",
                               "æ": "ae", "œ": "oe", "þ": "th", "ĸ": "q", "ŋ": "n"})


def fold(text: str) -> str:
    """Lower-case, accents removed, stroked letters as their plain ones: how names are matched ('Zoë'
    matches 'zoe', 'Łukasz' 'lukasz')."""
    if text.isascii():  # (nothing to decompose: most names, and every number; a roster folds ~100,000)
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return folded if folded.isascii() else folded.translate(PLAIN_LETTERS)


def name_words(text: str) -> list[str]:
    """The words of a name or of what was typed, folded ('Nakamura-Bell' → ['nakamura', 'bell'])."""
    if text.isascii():  # (fold() of an ASCII word is its lower case: the whole text at once; a roster has 100,000)
        return text.replace("-", " ").lower().split()
    return [fold(w) for w in text.replace("-", " ").split() if w]


def _key_words(text: str) -> list[str]:
    """A name's words as its search key holds them: each folded, and after a word with punctuation in
    it the same word without (O'Connor → ["o'connor", 'oconnor']: found by 'oconnor' as by "o'c")."""
    words = name_words(text)
    if "".join(words).isalnum() or not words:  # (most names: nothing to add)
        return words
    out = []
    for w in words:
        out.append(w)
        if not w.isalnum():
            bare = "".join(ch for ch in w if ch.isalnum())
            if bare:
                out.append(bare)
    return out


def search_key(student: Student) -> str:
    """' s1001 ␟g ana maria ␟f o'connor oconnor ␟p  ': every word of the number and the names folded and
    preceded by a space (a name word with punctuation also without it), the given, family and preferred
    names each after their marker."""
    parts = [*name_words(student.number), GIVEN, *_key_words(student.given_name),
             FAMILY, *_key_words(student.family_name), PREFERRED, *_key_words(student.preferred_name or "")]
    return " " + " ".join(parts) + " "


def rewrite_search_keys(db: "Database") -> None:
    """Every student's search key made again as :func:`search_key` makes it now (a migration's, inside its
    transaction). The key is derived (not in the audit entries): the students' update guard is lifted for
    the rewrite and made again."""
    from .guards import install_guards

    rows = [(search_key(student_of_row(row)), row["local_id"]) for row in db.query("SELECT * FROM students")]
    db.execute("DROP TRIGGER IF EXISTS students_update_audited")
    db.conn.executemany("UPDATE students SET search_key = ? WHERE local_id = ?", rows)
    install_guards(db)


#: a typed word this long also matches inside a name word ('vanov' → Ivanova); shorter ones only
#: match the start of a word
INSIDE_FROM = 3


#: what a row of a pane shows of a student (:meth:`StudentsMixin.student_labels`): the number, the names a
#: label is made of, the homeroom (a meeting's row: where to collect them) and the school (the number's check)
LABEL_COLUMNS = ("local_id", "given_name", "family_name", "preferred_name", "homeroom", "school")


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

    def student_labels(self: "Store", ids: Iterable[str]) -> dict[str, Student]:
        """Students for several numbers at once, with only what a row of a pane shows of them read: their
        names, homeroom and school (:data:`LABEL_COLUMNS`), validated as a whole student's are (a stored
        name with a control character comes back cleaned, a damaged one is refused); every other field
        keeps its default. For labels (``services.rows.student_label``), never for a student's page or a
        save: ~40 % of reading and validating the whole row, ~760 students at a decade's first screen."""
        ids = list(dict.fromkeys(ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(f"SELECT {', '.join(LABEL_COLUMNS)} FROM students WHERE local_id IN ({marks})", ids)
        return {row[0]: _label(row) for row in rows}

    def find_students(self: "Store", text: str, *, limit: int = 8, include_inactive: bool = False) -> list[Student]:
        """Students whose names or number match each typed word ('ana ga', '1042', 'ivan m'), best first.

        A word matches the start of a name word, or (ranked last; from 3 letters, or any word with
        punctuation in it: "[/", "'n") inside one; accents and
        case are folded both ways ('ivan' finds Iván, 'iván' finds Ivan). The active students' search
        keys are held in memory between look-ups (:class:`~.roster_search.Roster`: ~1 ms a key on the
        decade's roster, 3–6 ms for SQLCipher's scan of every row); with ``include_inactive`` one SQL
        pass over every row, ranked by the same tests."""
        words = name_words(text)
        if not words:
            return []
        where = ["instr(search_key, ?) > 0" for _ in words]
        # inside a word only from 3 letters on: 'an' inside names is everyone (and costs a sort of them all);
        # a word with punctuation in it ("[/", "'n") anywhere, as it stands in the name ("Crash[/x]", "O'Neil")
        params: list = [w if len(w) >= INSIDE_FROM or not w.isalnum() else " " + w for w in words]
        ranks = rank_tests(words)
        if not include_inactive:
            ids = self._active_roster().find(text.strip(), params, ranks, limit)
            found = self.students_by_id(ids)
            return [found[i] for i in ids if i in found]
        rank = "CASE WHEN local_id = ? THEN 0 " + " ".join(
            f"WHEN {cond} THEN {n}" for n, (cond, _p, _t) in enumerate(ranks, 1)) + f" ELSE {len(ranks) + 1} END"
        sql = (
            "SELECT * FROM students WHERE " + " AND ".join(where) +
            f" ORDER BY {rank}, family_name COLLATE NOCASE, given_name COLLATE NOCASE LIMIT ?"
        )
        rank_params = [text.strip()] + [p for _c, ps, _t in ranks for p in ps]
        return [student_of_row(r) for r in self.db.query(sql, [*params, *rank_params, limit])]

    #: the active students' search keys (:class:`Roster`), None until the first look-up or after a write
    _roster: "Roster | None" = None

    def _active_roster(self: "Store") -> Roster:
        conn = self.db.conn
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        roster = self._roster
        if roster is None or roster.version != version:
            roster = Roster(self, version)
            # (inside a transaction the roster read may hold writes not yet committed: not kept)
            self._roster = None if conn.in_transaction else roster
        return roster

    def prepare_look_up(self: "Store") -> None:
        """Read the active students' search keys now (a field that looks students up is shown), so
        the first key typed into it does not wait for them (~10 ms on the decade)."""
        self._active_roster()

    def _roster_written(self: "Store") -> None:
        """This desk wrote students: the next look-up reads the roster again."""
        self._roster = None

    def count_students(self: "Store", *, active_only: bool = True) -> int:
        sql = "SELECT count(*) FROM students" + (" WHERE active = 1" if active_only else "")
        return self.db.execute(sql).fetchone()[0]

    def upsert_student(self: "Store", student: Student, *, note: str = "", as_of: datetime | None = None) -> str:
        """Add or update one student; return 'added', 'updated' or 'unchanged'. Audited (action ROSTER,
        by the store's user; the entry goes first, then the row, as the guard triggers require).

        ``as_of`` (an imported bundle's time) is kept as the student's ``updated_at`` instead of now,
        also when nothing else changed (still 'unchanged', but audited like any change of the row), so a
        bundle older than it is recognised as older."""
        try:
            with self.transaction():
                return _Upserts(self, note, as_of).put(student, self.student(student.local_id))
        finally:
            self._roster_written()

    def upsert_students(self: "Store", students: Iterable[Student], *, note: str = "",
                        on_file: Mapping[str, Student] | None = None) -> dict[str, int]:
        """Add or update many students in one transaction; counts of added/updated/unchanged.

        The same as :meth:`upsert_student` for each in turn, made for a roster of tens of thousands:
        the students on file are read a batch at a time, the time is read once, and the entries and rows
        go in a batch at a time (:meth:`_Upserts.in_bulk`). ``on_file``: every student on file by number,
        as the caller read them inside its own transaction around this call (the roster import's plan
        does): used instead of reading them again."""
        counts = {"added": 0, "updated": 0, "unchanged": 0}
        try:
            with self.transaction():
                upserts = _Upserts(self, note, None)
                if on_file is not None:
                    upserts.on_file = dict(on_file)
                with upserts.in_bulk():
                    batch: list[Student] = []
                    for s in students:
                        batch.append(s)
                        if len(batch) == _BATCH:
                            upserts.put_all(batch, counts)
                            batch = []
                    upserts.put_all(batch, counts)
        finally:
            self._roster_written()
        return counts


#: students read from the file at once by :meth:`StudentsMixin.upsert_students`
_BATCH = 500
#: :meth:`_Upserts.in_bulk`'s view (a TEMP one: on this connection only, never in the file)
_VIEW = "advocate_roster_writes"


class _Upserts:
    """Writes of students (each its audit entry, then its row) inside the caller's transaction, all
    stamped with one time: now, or ``as_of``."""

    def __init__(self, store: "Store", note: str, as_of: datetime | None) -> None:
        store._roster_written()
        self.store, self.note, self.as_of = store, note, as_of
        self.stamp = as_of or store.now()
        self.stamp_text = plain(self.stamp, store.tz)
        self.at = store.now().isoformat()
        self.columns = sorted(field_names(student_model()))
        #: a student's field values but ``updated_at``, to tell whether a row changes (``model_dump`` of
        #: both costs more; a roster compares 25,000)
        self.compared = operator.itemgetter(*(c for c in self.columns if c != "updated_at"))
        #: a file not yet updated to m009 has no school column (a school's own student: nothing lost)
        self.no_school = "school" not in store.db["students"].columns_dict
        self.sql: dict[tuple[str, ...], tuple[str, str]] = {}
        from .core import AUDIT_COLUMNS, AUDIT_INSERT  # (core imports this module)

        #: the entry's statement and its fixed values; both go through the connection itself (the
        #: statement cached by sqlite3; sqlite-utils' ``execute`` adds nothing to a write but time)
        self.audit_sql, self.audit_columns, self.execute = AUDIT_INSERT, AUDIT_COLUMNS, store.db.conn.execute
        self.entry = (self.at, store.user, AuditAction.ROSTER.value, "student")
        #: while :meth:`in_bulk`: (the columns it writes, its statement, the writes held)
        self.bulk: tuple[tuple[str, ...], str, list[tuple]] | None = None
        #: every student on file by number, when the caller has read them (:meth:`put_all` reads none)
        self.on_file: dict[str, Student] | None = None
        #: the students :meth:`put_all` wrote, while a later batch may come back to them (with ``on_file``)
        self.written: dict[str, Student] = {}

    @contextlib.contextmanager
    def in_bulk(self) -> Iterator[None]:
        """Write the entries and rows of :meth:`put` a batch at a time, each entry and its row still one
        after the other and checked by the guard triggers as always (the newest entry, then its row).

        Through an ``executemany`` on a TEMP view (this connection's only, dropped at the end) whose
        INSTEAD OF triggers insert the entry, then insert or update the row: 50,000 statements of a
        roster, each through Python's ``execute``, cost three times the SQL they run (bench/)."""
        names = self._names(None)
        entry, row = [f"e_{c}" for c in self.audit_columns], [f"r_{c}" for c in names]
        conn = self.store.db.conn
        conn.execute(f"CREATE TEMP VIEW {_VIEW} AS SELECT "
                     + ", ".join(f"NULL AS {c}" for c in ("is_update", *entry, *row)))
        add = (f"INSERT INTO audit ({', '.join(self.audit_columns)}) VALUES ({', '.join(f'NEW.{c}' for c in entry)})")
        conn.execute(f"CREATE TEMP TRIGGER {_VIEW}_insert INSTEAD OF INSERT ON {_VIEW} WHEN NOT NEW.is_update "
                     f"BEGIN {add}; INSERT INTO students ({', '.join(names)}) "
                     f"VALUES ({', '.join(f'NEW.{c}' for c in row)}); END")
        conn.execute(f"CREATE TEMP TRIGGER {_VIEW}_update INSTEAD OF INSERT ON {_VIEW} WHEN NEW.is_update "
                     f"BEGIN {add}; UPDATE students SET {', '.join(f'{n} = NEW.{c}' for n, c in zip(names, row))} "
                     f"WHERE local_id = NEW.r_local_id; END")
        self.bulk = (names, f"INSERT INTO {_VIEW} VALUES ({', '.join('?' * (1 + len(entry) + len(row)))})", [])
        try:
            yield
            self.flush()
        finally:
            self.bulk = None
            conn.execute(f"DROP VIEW IF EXISTS temp.{_VIEW}")  # (its triggers with it)

    def flush(self) -> None:
        """Write what :meth:`put` held for :meth:`in_bulk`."""
        if self.bulk is not None and self.bulk[2]:
            self.store.db.conn.executemany(self.bulk[1], self.bulk[2])
            self.bulk[2].clear()

    def _names(self, row: dict | None) -> tuple[str, ...]:
        """The students columns written for ``row`` (or, without one, for a student without a school)."""
        if row is None:
            return tuple(c for c in self.columns if not (self.no_school and c == "school")) + ("search_key",)
        return (*row, "search_key")

    def _statements(self, names: tuple[str, ...]) -> tuple[str, str]:
        """The INSERT and UPDATE of a row with these columns (made once)."""
        if names not in self.sql:
            self.sql[names] = (
                f"INSERT INTO students ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                f"UPDATE students SET {', '.join(f'{c} = ?' for c in names)} WHERE local_id = ?")
        return self.sql[names]

    def put_all(self, students: list[Student], counts: dict[str, int]) -> None:
        if self.on_file is None:
            currents, written = self.store.students_by_id(s.local_id for s in students), {}
        else:
            currents, written = self.on_file, self.written
        for s in students:
            current = currents.get(s.local_id)
            if s.local_id in written:  # the same student again in this batch finds the row just written
                current = written.pop(s.local_id).model_copy(update={"updated_at": self.stamp})
                currents[s.local_id] = current
            counts[self.put(s, current, written)] += 1
        self.flush()  # (the next batch reads the students on file)

    def put(self, student: Student, current: Student | None, written: dict[str, Student] | None = None) -> str:
        outcome = "added" if current is None else "updated"
        if current is not None:
            if self.compared(current.__dict__) == self.compared(student.__dict__):
                if self.as_of is None or (current.updated_at is not None and current.updated_at >= self.as_of):
                    return "unchanged"
                outcome = "unchanged"
        fields = student.__dict__  # (a model's field values: getattr() costs more, 10 fields of 25,000 rows)
        row = {c: fields[c] for c in self.columns}
        row["updated_at"] = self.stamp_text
        if self.no_school and row["school"] is None:
            del row["school"]
        after = _encode(row)  # as plain() of the stamped student
        values = [int(v) if isinstance(v, bool) else v for v in row.values()]
        values.append(search_key(student))
        names = self._names(row)
        entry = (*self.entry, student.local_id, None if current is None else _json(current, self.store.tz), after,
                 self.note)
        if self.bulk is not None and names == self.bulk[0]:
            self.bulk[2].append((current is not None, *entry, *values))
        else:
            self._write(names, entry, values, current is None)
        if written is not None:  # (stamped only if the same student comes again: put_all)
            written[student.local_id] = student
        return outcome

    def _write(self, names: tuple[str, ...], entry: tuple, values: list, new: bool) -> None:
        """The entry, then the row, now (after what is held for :meth:`in_bulk`)."""
        self.flush()
        insert_sql, update_sql = self._statements(names)
        self.execute(self.audit_sql, entry)
        if new:
            self.execute(insert_sql, values)
        else:
            values.append(values[names.index("local_id")])
            self.execute(update_sql, values)


#: ``json.dumps(value, ensure_ascii=False, sort_keys=True)``, its encoder made once (dumps makes one a call)
_encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def _json(student: Student, tz: str) -> str:
    return _encode(plain(student, tz))


@cache
def _label(row: tuple) -> Any:
    """A student's label columns as a row names them: cleaned without building the model
    (:class:`~.stored.StoredStudent`); a value the model would refuse goes through the model (refused)."""
    from .stored import StoredStudent

    try:
        return StoredStudent(*row)
    except Exception:  # noqa: BLE001 - the model says what is wrong
        return student_model().model_validate(dict(zip(LABEL_COLUMNS, row)), context=STORED)


def student_model() -> type[Student]:
    """The Student model, imported (so built) when a student is first read or written: a start that shows
    no student never builds it."""
    from ..models.student import Student

    return Student


def student_of_row(row: dict) -> Student:
    """The Student stored in a ``students`` row."""
    Student = student_model()
    fields = field_names(Student)
    data = {k: v for k, v in row.items() if k in fields}
    return Student.model_validate(data, context=STORED)
