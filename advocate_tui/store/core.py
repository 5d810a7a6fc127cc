"""The store: one SQLite file through sqlite-utils, every save one immediate transaction with its audit entry.

Only the record methods here (:meth:`Store.add`, :meth:`~Store.amend`, :meth:`~Store.set_status`,
:meth:`~Store.void`, :meth:`~Store.import_record`) and the roster's upserts write records and students,
each writing its audit entry first and then the row; the guard triggers (:mod:`.schema`) make the
database refuse any other write to those tables, even raw SQL on ``store.db``.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pendulum

from ..models.enums import AuditAction
from . import engine, schema
from .engine import StoreError
from .changes import ChangesMixin
from .reads import ReadsMixin
from .filecheck import FileCheck
from .rows import snapshot, snapshot_and_row, table_of
from .keys import KeysMixin
from .lazydb import LazyDatabase
from .schools import SchoolsMixin
from .students import StudentsMixin
from .unaudited import UnauditedMixin

if TYPE_CHECKING:
    from ..models.base import Record

R = TypeVar("R", bound="Record")

#: Between two tries of ``BEGIN IMMEDIATE`` while another desk writes (seconds, random in this range):
#: SQLite's own busy handler backs off to 100 ms sleeps, and the desk that waits longest loses every race.
RETRY_S = (0.0001, 0.0005)
#: After a commit, when another desk has committed since this one's last: a pause (seconds) that lets
#: the waiting desk take its turn, so two busy desks share the file fairly.
TURN_S = 0.002
#: The columns of an audit entry, as :meth:`Store._audit` writes them (the roster's bulk writes too)
AUDIT_COLUMNS = ("at", "by", "action", "record_type", "record_id", "before", "after", "note")
AUDIT_INSERT = f"INSERT INTO audit ({', '.join(AUDIT_COLUMNS)}) VALUES ({','.join('?' * len(AUDIT_COLUMNS))})"


class Store(ReadsMixin, StudentsMixin, KeysMixin, UnauditedMixin, SchoolsMixin, ChangesMixin):
    """The advocate's records in one SQLite file.

    Every save is one transaction (``BEGIN IMMEDIATE`` + sqlite-utils ``atomic``) that writes the
    record's audit entry, then the record. The store decides who (its ``user``, the desk's signed-in
    user) and when (its clock). Records are amended, change status or are voided: never overwritten
    silently and never deleted. :attr:`guard_warning` says when the file's guard triggers were found
    missing or changed at open.
    """

    def __init__(self, db: LazyDatabase, path: Path, *, tz: str = "UTC",
                 now: Callable[[], datetime] | None = None, user: str = "advocate"):
        self.db = db
        self.path = path
        self.tz = tz
        self._now = now or (lambda: pendulum.now(tz))
        self.user = user
        self._lock = threading.RLock()
        self._passphrase: str | None = None
        self._data_version: int | None = None
        #: one line when guard triggers were found missing or changed at open ('' when all were there)
        self.guard_warning = ""
        #: the damaged-file check still to pass before any write (:meth:`check_later`); None: done at open
        self.file_check: FileCheck | None = None
        self._guards_at_open: dict[str, str] | None = None  # trigger problems found by open()

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
        db = LazyDatabase(conn)
        try:  # (not ours, or a newer version's: refused by engine.connect, on this connection)
            store = cls(db, path, tz=tz, now=now, user=user)
            store._passphrase = passphrase
            store._guards_at_open = schema.trigger_problems(db)
            store.guard_warning = guard_warning(store._guards_at_open)
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

    def check_later(self) -> FileCheck:
        """Leave the damaged-file check (``open(verify=False)``) for later: it runs in its own thread
        (:class:`~.filecheck.FileCheck`, started by ``start()`` or by the first write), and every write
        waits until it has passed, or is refused if the file may be damaged."""
        if self.file_check is None:
            self.file_check = FileCheck(self.path, self._passphrase)
        return self.file_check

    def migrate(self, stop_before: str | None = None) -> int:
        """Bring the schema up to date inside one immediate transaction, then put back any guard
        trigger found missing or changed (see :meth:`restore_guards`)."""
        migrating = schema.applied_version(self.db) != schema.LATEST_VERSION or stop_before is not None
        if migrating:
            with self.transaction():
                self.db.execute(f"PRAGMA application_id = {engine.APPLICATION_ID}")
                schema.migrate(self.db, stop_before=stop_before)
        if migrating or self._guards_at_open != {}:  # open() just found them all in place: no second look
            self.restore_guards()
        return self.version if migrating else schema.LATEST_VERSION

    def restore_guards(self) -> list[str]:
        """Re-create guard triggers that are missing or changed, with an audit entry saying which.

        Refusing to open the file would lock the school out of its own records; so the desk opens,
        the guards are put back at once, the audit trail keeps a RESTORE entry naming them
        (``advocate check`` lists it), and :attr:`guard_warning` (shown at start) says so.
        Returns the names put back.
        """
        problems = schema.trigger_problems(self.db)
        if not problems:
            return []
        self.guard_warning = self.guard_warning or guard_warning(problems)
        names = sorted(problems)
        with self.transaction():
            self._audit(AuditAction.RESTORE, "database", self.path.name, None, None,
                        note=f"{schema.GUARDS_PUT_BACK}: " + ", ".join(names))
            schema.restore_triggers(self.db, set(names))
        return names

    @property
    def version(self) -> int:
        return schema.applied_version(self.db)

    def reopen(self) -> "Store":
        """Another connection to the same file, for a worker thread (connections belong to one thread)."""
        conn = engine.connect(self.path, passphrase=self._passphrase, create=False)
        twin = Store(LazyDatabase(conn), self.path, tz=self.tz, now=self._now, user=self.user)
        twin._passphrase = self._passphrase
        twin.file_check = self.file_check
        return twin

    def replay(self, *, now: Callable[[], datetime] | None = None, user: str | None = None) -> "Store":
        """This store's connection seen through another clock and/or user: the one, named way to write
        a simulated past (the demo school's weeks, the benchmark's decade, the coordinator they play).
        A real desk never uses it: its records get the desk's user and the school's clock."""
        twin = Store(self.db, self.path, tz=self.tz, now=now or self._now, user=user or self.user)
        twin._passphrase = self._passphrase
        twin.file_check = self.file_check
        return twin

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.db.close()

    def now(self) -> pendulum.DateTime:
        """The store's clock, in the school's zone."""
        return pendulum.instance(self._now()).in_timezone(self.tz)

    # ------------------------------------------------------------------ transactions
    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Group the store's own writes (its record, roster and meta methods) into one all-or-nothing
        transaction: ``BEGIN IMMEDIATE`` (waiting for another desk's write), nested calls joining the
        outer one as savepoints. It hands out no handle: records change only through the methods.
        While the damaged-file check is pending (:meth:`check_later`) it waits for it first.
        """
        with self._lock:
            conn = self.db.conn
            if conn.in_transaction:
                with self.db.atomic():
                    yield
                return
            if self.file_check is not None:
                self.file_check.wait()  # held until the file is known sound; refused if it may be damaged
            self._begin(conn)
            try:
                with self.db.atomic():
                    yield
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    with contextlib.suppress(engine.DatabaseError):
                        conn.execute("ROLLBACK")
                if isinstance(exc, engine.DatabaseError) and (clear := engine.write_error(exc)):
                    raise clear from None
                raise
        self._take_turns(conn)

    @staticmethod
    def _begin(conn) -> None:
        """``BEGIN IMMEDIATE``, tried again every millisecond or less while another desk writes, for up
        to the busy timeout (SQLite's own busy handler sleeps ever longer, up to 100 ms a time: a desk
        saving in a loop then starves the other)."""
        deadline = time.monotonic() + engine.BUSY_TIMEOUT_S
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    return
                except engine.DatabaseError as exc:
                    if not engine._is_locked(exc) or time.monotonic() >= deadline:
                        raise engine.write_error(exc) or exc from None
                time.sleep(random.uniform(*RETRY_S))
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(engine.BUSY_TIMEOUT_S * 1000)}")

    def _take_turns(self, conn) -> None:
        """After a commit: if another desk committed since this one's last, pause a moment so that desk,
        waiting to write, gets its turn (``PRAGMA data_version`` moves only on other connections' commits)."""
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        others = self._data_version is not None and version != self._data_version
        self._data_version = version
        if others:
            time.sleep(TURN_S)

    def _audit(self, action: AuditAction, record_type: str, record_id: str, before: str | None,
               after: str | None, *, note: str = "", at: str | None = None) -> None:
        """Append an audit entry (who: this store's user; when: its clock, or ``at``). A record's entry
        goes first, then its row: the guard triggers accept the row only when it matches the newest entry."""
        self.db.execute(AUDIT_INSERT, [at or self.now().isoformat(), self.user, action.value, record_type, record_id,
                                       before, after, note])

    def _require_students(self, record: Record) -> None:
        """Refuse, readably, a record on a student who is not on the roster (before a foreign key does)."""
        ids = record.student_ids()
        if not ids:
            return
        found = {r[0] for r in self.db.execute(
            f"SELECT local_id FROM students WHERE local_id IN ({','.join('?' * len(ids))})", ids).fetchall()}
        for sid in ids:
            if sid not in found:
                raise StoreError(f"student {sid} is not on the roster")

    def _link_students(self, record: Record, *, replace: bool) -> None:
        if replace:
            self.db.execute("DELETE FROM record_students WHERE record_type = ? AND record_id = ?", [record.kind, record.id])
        roles = {s.student_id: s.role.value for s in getattr(record, "students", []) if hasattr(s, "role")}
        roles.update({r.student_id: r.role.value for r in getattr(record, "roles", None) or []})
        for sid in record.student_ids():
            self.db.execute(
                "INSERT INTO record_students (record_type, record_id, student_id, role) VALUES (?,?,?,?)",
                [record.kind, record.id, sid, roles.get(sid)],
            )

    def _insert(self, record: Record, action: AuditAction, note: str) -> None:
        """The audit entry, the row, the student links: inside the caller's transaction."""
        self._require_students(record)
        after, row = snapshot_and_row(record, self.tz)
        self._audit(action, record.kind, record.id, None, after, note=note)
        self.db[table_of(record)].insert(row)
        self._link_students(record, replace=False)

    # ------------------------------------------------------------------ records
    def add(self, record: R, *, note: str = "") -> R:
        """Save a new record (and its audit entry) in one transaction; return it as saved.

        The store stamps who (its user) and when (its clock): a record that already names another
        author or a time of saving is refused (:meth:`import_record` keeps another desk's).
        """
        if record.created_at is not None or record.created_by not in ("", self.user):
            raise StoreError("a new record gets its author and time of saving from the desk, not from the caller")
        stamped = _validated(record, created_at=self.now(), created_by=self.user)
        with self.transaction():
            self._insert(stamped, AuditAction.CREATE, note)
        return stamped

    def import_record(self, record: R, *, note: str) -> R:
        """Take in a record saved at another desk (a handoff bundle's), keeping its author and time of
        saving: added when new, else replacing this database's copy (not a voided one: a void is final).
        The audit entry says IMPORT, by this desk's user, with ``note`` naming the source."""
        with self.transaction():
            current = self.get(type(record), record.id)
            if current is None:
                saved = _validated(record, created_at=record.created_at or self.now(),
                                   created_by=record.created_by or self.user)
                self._insert(saved, AuditAction.IMPORT, note)
                return saved
            return self._replace(record, AuditAction.IMPORT, note=note)

    def _replace(self, record: R, action: AuditAction, *, note: str, allowed: frozenset[str] | None = None,
                 **forced: Any) -> R:
        """Save a new version of a record (its author and first save kept; ``forced`` fields set; with
        ``allowed``, refused when any other field changed)."""
        with self.transaction():
            before = self.get(type(record), record.id)
            if before is None:
                raise StoreError(f"no {record.kind.replace('_', ' ')} {record.id}")
            if before.voided:
                raise StoreError("this record was voided and can't be changed")
            after = _validated(record, created_at=before.created_at, created_by=before.created_by, **forced)
            if allowed is not None:
                changed = sorted(f for f in type(after).model_fields if getattr(after, f) != getattr(before, f))
                if refused := [f for f in changed if f not in allowed]:
                    raise StoreError(f"a change of status can't change the {', '.join(refused)} of a "
                                     f"{after.kind.replace('_', ' ')}: that is an amendment")
            self._require_students(after)
            entry, row = snapshot_and_row(after, self.tz)
            self._audit(action, after.kind, after.id, snapshot(before, self.tz), entry, note=note)
            self.db[table_of(after)].update(after.id, row)
            if after.student_ids() != before.student_ids() or action is AuditAction.AMEND:
                self._link_students(after, replace=True)
        return after

    def amend(self, record: R, *, note: str = "") -> R:
        """Save a correction of a record; the earlier version stays in the audit trail. (A correction
        never voids: that is :meth:`void`.)"""
        return self._replace(record, AuditAction.AMEND, note=note, amended=True, voided=False, void_reason=None)

    def set_status(self, record: R, *, note: str = "", action: AuditAction = AuditAction.STATUS) -> R:
        """Save a change of status (referral handed off or accepted, round finished...) with its history.

        Only the type's ``status_fields`` may change (anything else is an amendment: StoreError);
        ``action`` is STATUS or, for the day's-end sign-off, HANDOFF.
        """
        if action not in (AuditAction.STATUS, AuditAction.HANDOFF):
            raise StoreError(f"a change of status is recorded as status or handoff, not {action.value}")
        return self._replace(record, action, note=note, allowed=type(record).status_fields)

    def void(self, record_type: type[R], record_id: str, reason: str) -> R:
        """Void a record with a reason; it stays in the database, marked void."""
        reason = (reason or "").strip()
        if not reason:
            raise StoreError("a void needs a reason")
        with self.transaction():
            current = self.get(record_type, record_id)
            if current is None:
                raise StoreError(f"no {record_type.kind.replace('_', ' ')} {record_id}")
            if current.voided:
                raise StoreError("this record is already void")
            return self._replace(current, AuditAction.VOID, note=reason, voided=True, void_reason=reason)

    def record_restore(self, note: str) -> None:
        """Record in the audit trail that the database was restored from a backup."""
        with self.transaction():
            self._audit(AuditAction.RESTORE, "database", self.path.name, None, None, note=note)


def guard_warning(problems: dict[str, str]) -> str:
    """One line on guard triggers found missing or changed ('' for none)."""
    if not problems:
        return ""
    listed = ", ".join(f"{name} ({how})" for name, how in sorted(problems.items()))
    return (f"the database's guard triggers were removed or changed outside advocate-tui: {listed}; records may "
            "have been changed meanwhile without an audit entry")


def _validated(record: R, **fields: Any) -> R:
    """A validated copy of ``record`` with ``fields`` set."""
    return type(record).model_validate({**record.model_dump(), **fields})
