"""The store: one SQLite file through sqlite-utils, every save one immediate transaction with its audit entry."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

import pendulum
from sqlite_utils import Database

from ..models import AuditAction, AuditEntry, Record
from ..models.base import STORED
from ..models.records import RECORD_TYPES
from . import engine, schema
from .engine import StoreError
from .rows import from_row, snapshot, table_of, to_row
from .keys import KeysMixin
from .students import StudentsMixin

R = TypeVar("R", bound=Record)


class Store(StudentsMixin, KeysMixin):
    """The advocate's records in one SQLite file.

    Every write goes through :meth:`write` (``BEGIN IMMEDIATE`` + sqlite-utils ``atomic``) and writes
    its audit entry in the same transaction. Records are amended or voided, never overwritten silently
    and never deleted.
    """

    def __init__(self, db: Database, path: Path, *, tz: str = "UTC",
                 now: Callable[[], datetime] | None = None, user: str = "advocate"):
        self.db = db
        self.path = path
        self.tz = tz
        self._now = now or (lambda: pendulum.now(tz))
        self.user = user
        self._lock = threading.RLock()
        self._passphrase: str | None = None

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: str | Path, *, tz: str = "UTC", passphrase: str | None = None,
             now: Callable[[], datetime] | None = None, user: str = "advocate", create: bool = True,
             migrate: bool = True, verify: bool = True) -> "Store":
        """Open (creating and migrating if needed) the database at ``path``.

        Raises :class:`StoreError` with one clear line for a file it must not touch (``verify``: also
        for a damaged one; ``advocate restore`` opens with ``verify=False`` to repair it).
        """
        path = Path(path).expanduser().absolute()
        if passphrase and path.is_file() and path.stat().st_size and not engine.is_encrypted(path):
            passphrase = None  # a plain file opens as it is (and its copies stay plain)
        conn = engine.connect(path, passphrase=passphrase, create=create, verify=verify)
        db = Database(conn)
        try:
            cls._check_identity(db, path)
            store = cls(db, path, tz=tz, now=now, user=user)
            store._passphrase = passphrase
            if migrate:
                try:
                    store.migrate()
                except StoreError:
                    raise
                except Exception as exc:  # a failing migration: rolled back, the file is as it was
                    raise StoreError(f"{path} could not be updated to schema {schema.LATEST_VERSION} "
                                     f"({exc}); it was left unchanged") from None
            return store
        except StoreError:
            conn.close()
            raise
        except engine.DatabaseError as exc:
            conn.close()
            raise StoreError(f"{path} is damaged or unreadable ({exc})") from None

    @staticmethod
    def _check_identity(db: Database, path: Path) -> None:
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = schema.applied_version(db)
        tables = db.table_names()
        if app_id not in (0, engine.APPLICATION_ID) or (app_id == 0 and tables):
            raise StoreError(f"{path} is a SQLite database, but not an advocate-tui one")
        if version > schema.LATEST_VERSION:
            raise StoreError(
                f"{path} was made by a newer advocate-tui (schema {version}; this version knows up to "
                f"{schema.LATEST_VERSION}): update advocate-tui"
            )

    def migrate(self, stop_before: str | None = None) -> int:
        """Bring the schema up to date inside one immediate transaction."""
        if schema.applied_version(self.db) == schema.LATEST_VERSION and stop_before is None:
            return schema.LATEST_VERSION
        with self.write():
            self.db.execute(f"PRAGMA application_id = {engine.APPLICATION_ID}")
            return schema.migrate(self.db, stop_before=stop_before)

    @property
    def version(self) -> int:
        return schema.applied_version(self.db)

    def reopen(self) -> "Store":
        """Another connection to the same file, for a worker thread (connections belong to one thread)."""
        conn = engine.connect(self.path, passphrase=self._passphrase, create=False)
        twin = Store(Database(conn), self.path, tz=self.tz, now=self._now, user=self.user)
        twin._passphrase = self._passphrase
        return twin

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.db.close()

    def now(self) -> pendulum.DateTime:
        """The store's clock, in the school's zone."""
        return pendulum.instance(self._now()).in_timezone(self.tz)

    # ------------------------------------------------------------------ transactions
    @contextlib.contextmanager
    def write(self) -> Iterator[Database]:
        """One write transaction: ``BEGIN IMMEDIATE`` (waits for another writer), all or nothing.

        Nested calls join the outer transaction (as savepoints).
        """
        with self._lock:
            conn = self.db.conn
            if conn.in_transaction:
                with self.db.atomic():
                    yield self.db
                return
            try:
                conn.execute("BEGIN IMMEDIATE")
            except engine.DatabaseError as exc:
                raise engine.write_error(exc) or exc from None
            try:
                with self.db.atomic():
                    yield self.db
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    with contextlib.suppress(engine.DatabaseError):
                        conn.execute("ROLLBACK")
                if isinstance(exc, engine.DatabaseError) and (clear := engine.write_error(exc)):
                    raise clear from None
                raise

    def _audit(self, action: AuditAction, record_type: str, record_id: str, before: str | None,
               after: str | None, *, by: str | None = None, note: str = "") -> None:
        self.db.execute(
            "INSERT INTO audit (at, by, action, record_type, record_id, before, after, note) VALUES (?,?,?,?,?,?,?,?)",
            [self.now().isoformat(), by or self.user, action.value, record_type, record_id, before, after, note],
        )

    def _require_students(self, record: Record) -> None:
        """Refuse, readably, a record on a student who is not on the roster (before a foreign key does)."""
        for sid in record.student_ids():
            if self.student(sid) is None:
                raise StoreError(f"student {sid} is not on the roster")

    def _link_students(self, record: Record, *, replace: bool) -> None:
        if replace:
            self.db.execute("DELETE FROM record_students WHERE record_type = ? AND record_id = ?", [record.kind, record.id])
        roles = {s.student_id: s.role.value for s in getattr(record, "students", []) if hasattr(s, "role")}
        for sid in record.student_ids():
            if self.student(sid) is None:
                raise StoreError(f"student {sid} is not on the roster")
            self.db.execute(
                "INSERT INTO record_students (record_type, record_id, student_id, role) VALUES (?,?,?,?)",
                [record.kind, record.id, sid, roles.get(sid)],
            )

    # ------------------------------------------------------------------ records
    def add(self, record: R, *, by: str | None = None, action: AuditAction = AuditAction.CREATE,
            note: str = "") -> R:
        """Save a new record (and its audit entry) in one transaction; return it as saved."""
        stamped = record.model_copy(update={
            "created_at": record.created_at or self.now(),
            "created_by": record.created_by or by or self.user,
        })
        stamped = type(record).model_validate(stamped.model_dump())
        with self.write():
            self._require_students(stamped)
            self.db[table_of(stamped)].insert(to_row(stamped, self.tz))
            self._link_students(stamped, replace=False)
            self._audit(action, stamped.kind, stamped.id, None, snapshot(stamped, self.tz), by=by, note=note)
        return stamped

    def _replace(self, record: R, action: AuditAction, *, by: str | None, note: str, **changes: Any) -> R:
        with self.write():
            before = self.get(type(record), record.id)
            if before is None:
                raise StoreError(f"no {record.kind.replace('_', ' ')} {record.id}")
            if before.voided and action is not AuditAction.VOID:
                raise StoreError("this record was voided and can't be changed")
            keep = {"created_at": before.created_at, "created_by": before.created_by, **changes}
            after = type(record).model_validate({**record.model_dump(), **keep})
            self._require_students(after)
            self.db[table_of(after)].update(after.id, to_row(after, self.tz))
            if after.student_ids() != before.student_ids() or action is AuditAction.AMEND:
                self._link_students(after, replace=True)
            self._audit(action, after.kind, after.id, snapshot(before, self.tz), snapshot(after, self.tz), by=by, note=note)
        return after

    def amend(self, record: R, *, by: str | None = None, note: str = "") -> R:
        """Save a correction of a record; the earlier version stays in the audit trail."""
        return self._replace(record, AuditAction.AMEND, by=by, note=note, amended=True)

    def set_status(self, record: R, *, by: str | None = None, note: str = "",
                   action: AuditAction = AuditAction.STATUS) -> R:
        """Save a change of status (referral accepted, follow-up resolved...) with its history."""
        return self._replace(record, action, by=by, note=note)

    def void(self, record_type: type[R], record_id: str, reason: str, *, by: str | None = None) -> R:
        """Void a record with a reason; it stays in the database, marked void."""
        if not (reason or "").strip():
            raise StoreError("a void needs a reason")
        current = self.get(record_type, record_id)
        if current is None:
            raise StoreError(f"no {record_type.kind.replace('_', ' ')} {record_id}")
        if current.voided:
            raise StoreError("this record is already void")
        voided = current.model_copy(update={"voided": True, "void_reason": reason.strip()})
        return self._replace(voided, AuditAction.VOID, by=by, note=reason.strip(), voided=True)

    def get(self, record_type: type[R], record_id: str) -> R | None:
        """The record with this id, or None."""
        rows = list(self.db.query(f"SELECT * FROM {table_of(record_type)} WHERE id = ?", [record_id]))
        return from_row(record_type, rows[0]) if rows else None  # type: ignore[return-value]

    def select(self, record_type: type[R], where: str = "", params: list | dict | None = None, *,
               order_by: str | None = None, limit: int | None = None, include_voided: bool = False) -> list[R]:
        """Records matching a SQL condition (for services; the UI never calls this with SQL)."""
        clauses = [f"({where})"] if where else []
        if not include_voided:
            clauses.append("voided = 0")
        sql = f"SELECT * FROM {table_of(record_type)}"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += f" ORDER BY {order_by or record_type.time_field + ' DESC'}"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [from_row(record_type, row) for row in self.db.query(sql, params or [])]  # type: ignore[misc]

    def on_day(self, record_type: type[R], day: date | str, *, include_voided: bool = False) -> list[R]:
        """Records of one school day, newest first."""
        return self.select(record_type, "day = ?", [str(day)], include_voided=include_voided)

    def history(self, record_id: str) -> list[AuditEntry]:
        """Every audit entry of one record, oldest first."""
        rows = self.db.query("SELECT * FROM audit WHERE record_id = ? ORDER BY seq", [record_id])
        return [_entry(r) for r in rows]

    def audit_trail(self, *, since_seq: int = 0, limit: int = 1000) -> list[AuditEntry]:
        """Audit entries after ``since_seq``, oldest first."""
        rows = self.db.query("SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?", [since_seq, limit])
        return [_entry(r) for r in rows]

    def student_records(self, student_id: str) -> list[tuple[Record, str | None]]:
        """Everything on file for a student, newest first, each with the student's role (incidents)."""
        links = list(self.db.query(
            "SELECT record_type, record_id, role FROM record_students WHERE student_id = ?", [student_id]))
        by_type: dict[str, dict[str, str | None]] = {}
        for link in links:
            by_type.setdefault(link["record_type"], {})[link["record_id"]] = link["role"]
        out: list[tuple[Record, str | None]] = []
        for kind, roles in by_type.items():  # one query per kind (a decade is ~1,500 records), not one each
            ids = list(roles)
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                rows = self.db.query(f"SELECT * FROM {table_of(RECORD_TYPES[kind])} WHERE voided = 0 AND id IN "
                                     f"({','.join('?' * len(chunk))})", chunk)
                out.extend((from_row(RECORD_TYPES[kind], row), roles[row["id"]]) for row in rows)
        out.sort(key=lambda pair: _sort_key(pair[0], self.tz), reverse=True)
        return out

    def counts(self) -> dict[str, int]:
        """Rows per table (for ``advocate check``)."""
        return {t: self.db[t].count for t in ("students", *schema.RECORD_TABLES, "audit")}

    def data_version(self) -> int:
        """SQLite's ``PRAGMA data_version``: changes when another connection (a second desk) commits.

        Cheap (no table is read): poll it to notice other desks' saves; this connection's own
        commits do not change it."""
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    def integrity_check(self) -> list[str]:
        """Problems SQLite finds in the file ([] when it is sound)."""
        rows = [r[0] for r in self.db.execute("PRAGMA integrity_check").fetchall()]
        return [] if rows == ["ok"] else rows

    # ------------------------------------------------------------------ meta
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        rows = list(self.db.query("SELECT value FROM meta WHERE key = ?", [key]))
        return rows[0]["value"] if rows else default

    def set_meta(self, key: str, value: str) -> None:
        with self.write():
            self.db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                            [key, value])


def _entry(row: dict[str, Any]) -> AuditEntry:
    return AuditEntry.model_validate(dict(
        seq=row["seq"], at=row["at"], by=row["by"], action=row["action"], record_type=row["record_type"],
        record_id=row["record_id"], before=json.loads(row["before"]) if row["before"] else None,
        after=json.loads(row["after"]) if row["after"] else None, note=row["note"],
    ), context=STORED)


def _sort_key(record: Record, tz: str) -> float:
    """The record's moment (seconds); a date-only record sorts after every moment of that (UTC) date.
    Plain timestamps: pendulum conversions cost ~0.1 ms a record on a decade-long history (bench/)."""
    when = record.when
    if isinstance(when, datetime):
        return when.timestamp()
    return datetime(when.year, when.month, when.day, tzinfo=timezone.utc).timestamp() + 86_399.5
