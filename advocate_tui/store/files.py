"""Whole-file operations on the database: online backup, inspection, plain export, restore, rekey.

Every file written here is created owner-only (0600) before anything goes into it, and a backup of an
encrypted database is encrypted under the same passphrase. Services call these through
:mod:`advocate_tui.services.backup`; the UI never does.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlcipher3

from .. import portable
from ..private import create_private_file, make_private_dir, protect
from . import damage, engine, guards, schema
from .engine import StoreError
from .lazydb import LazyDatabase

#: the folder beside the database that holds its daily backups
BACKUP_FOLDER = "backups"


@dataclass
class FileReport:
    """What ``advocate check`` (and restore's refusal) knows about one database file."""

    path: Path
    encrypted: bool
    version: int
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    #: guard triggers missing or changed now (name -> 'missing' / 'changed')
    guards: dict[str, str] = field(default_factory=dict)
    #: when guard triggers were found missing and put back ('<at>: <names>')
    guards_put_back: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _new_private_file(path: Path) -> None:
    if path.exists():
        raise StoreError(f"{path} already exists; choose another name")
    try:
        make_private_dir(path.parent)
        create_private_file(path)
    except OSError as exc:
        raise StoreError(f"cannot create {path}: {exc.strerror or exc}") from None


def backup_prefix(db: Path) -> str:
    """What this database's backups are named after: ``school`` for ``school.db`` (the whole name for
    a file not ending in ``.db``, so ``school.sqlite`` and ``school.db`` never share backups)."""
    db = Path(db)
    return db.stem if db.suffix == ".db" else db.name


def _backup_name(db: Path) -> re.Pattern:
    """A backup of ``db`` exactly: ``PREFIX-YYYYMMDD-HHMMSS[-N][-before-restore].db``, nothing looser
    (``school-old-….db`` is another database's backup, not one of ``school.db``'s)."""
    return re.compile(re.escape(backup_prefix(db)) + r"-(\d{8}-\d{6})(?:-(\d{1,4}))?(?:-before-restore)?\.db")


def backups_of(db: Path) -> list[Path]:
    """The backups of the database file ``db`` in ``backups/`` beside it, oldest first."""
    folder = Path(db).parent / BACKUP_FOLDER
    if not folder.is_dir():
        return []
    pattern = _backup_name(Path(db))
    found = []
    for path in folder.iterdir():
        match = pattern.fullmatch(path.name)
        if not match or not path.is_file():
            continue
        stamp = match[1]  # YYYYMMDD-HHMMSS, all digits (the pattern's): read without strptime (~5M instructions)
        try:
            when = dt.datetime(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:8]),
                               int(stamp[9:11]), int(stamp[11:13]), int(stamp[13:15]))
        except ValueError:
            continue  # not a real date and time: not a name this app wrote
        found.append((when, int(match[2] or 1), path.name, path))
    return [path for *_, path in sorted(found)]


def _discard(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with contextlib.suppress(OSError):
            p.unlink()


def _fresh_connection(path: Path, passphrase: str | None, salt: bytes | None = None):
    """A connection to ``path`` keyed with ``passphrase``; with ``salt`` (the live file's), keyed exactly as
    the live database's connections are (the backup API copies only between identically keyed files)."""
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False,
                              timeout=engine.BUSY_TIMEOUT_S)
    engine.apply_key(conn, passphrase, salt)
    return conn


def _stamp(conn, version: int, schema_name: str = "main") -> None:
    conn.execute(f"PRAGMA {schema_name}.application_id = {engine.APPLICATION_ID}")
    conn.execute(f"PRAGMA {schema_name}.user_version = {int(version)}")


#: a backup being written is named this until it is whole and checked (then renamed to its own name)
PARTIAL = ".part"


def backup_to(conn, target: Path, passphrase: str | None, *, salt: bytes | None = None,
              stop: Callable[[], bool] | None = None, reserved: bool = False) -> Path:
    """Copy the open database ``conn`` into the new file ``target`` with SQLite's online backup API.

    The copy is encrypted with ``passphrase`` when given, keyed as the source is (``salt``: the
    source file's, when its connections are keyed raw; the backup API copies only between identically
    keyed databases, and then no key is derived for the copy). Other desks may keep writing meanwhile.
    The copy is written as ``target`` + ``.part`` and renamed once whole and checked, so a backup cut
    short (``stop()`` became true, the app quit, the power went) never passes for the day's backup.
    ``reserved``: that ``.part`` file was made (empty, owner-only) by the caller to take the name.
    """
    target = Path(target)
    if target.exists():
        raise StoreError(f"{target} already exists; choose another name")
    partial = target.with_name(target.name + PARTIAL)
    if not reserved:
        _discard(partial)
        _new_private_file(partial)

    def progress(_status, _remaining, _total) -> None:
        if stop is not None and stop():
            raise _Stopped()

    dest = None
    try:
        dest = _fresh_connection(partial, passphrase, salt)
        if stop is None:
            conn.backup(dest)
        else:  # steps of ~4 MiB, a look at stop() between them; one read transaction keeps them one snapshot
            conn.execute("BEGIN")
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                conn.backup(dest, pages=1024, progress=progress)
            finally:
                conn.execute("COMMIT")
        dest.execute("PRAGMA journal_mode = DELETE")
        problems = [r[0] for r in dest.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:
            raise StoreError(f"the backup {target} did not check out; it was removed")
        dest.close()
        dest = None
        os.replace(partial, target)
    except StoreError:
        _discard(partial)
        raise
    except _Stopped:
        _discard(partial)
        raise StoreError(f"the backup {target} was stopped before it was whole; it was removed") from None
    except sqlcipher3.Error as exc:
        _discard(partial)
        raise StoreError(f"cannot write the backup {target}: {exc}") from None
    except OSError as exc:
        _discard(partial)
        raise StoreError(f"cannot write the backup {target}: {exc.strerror or exc}") from None
    finally:
        if dest is not None:
            dest.close()
    protect(target)
    return target


class _Stopped(Exception):
    """A backup asked to stop between two steps."""


def inspect(path: Path, passphrase: str | None) -> FileReport:
    """Open ``path`` read-only and report what it is; raise :class:`StoreError` if it isn't ours."""
    conn = engine.connect_readonly(path, passphrase=passphrase)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        except sqlcipher3.DatabaseError as exc:
            rows = [str(exc)]
        report = FileReport(Path(path), engine.is_encrypted(path), version,
                            problems=[] if rows == ["ok"] else [engine.one_line(r) for r in rows])
        if report.ok and (why := damage.cut_short(Path(path))):
            report.problems.append(why)
        if version == 0 and not report.problems:
            report.problems.append("it holds no advocate-tui tables")
        if report.ok:
            names = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
            for table in ("students", *schema.RECORD_TABLES, "audit"):
                if table in names:
                    report.counts[table] = conn.execute(f"select count(*) from [{table}]").fetchone()[0]
                elif table in ("students", *schema.V1_TABLES, "audit"):  # a later kind's table: made by its migration
                    report.problems.append(f"table {table} is missing")
        if report.ok:
            db = LazyDatabase(conn)
            report.guards = guards.trigger_problems(db)
            report.guards_put_back = guards.guards_put_back(db)
        return report
    except sqlcipher3.DatabaseError as exc:
        raise StoreError(f"{path} is damaged ({exc})") from None
    finally:
        conn.close()


def export_copy(conn, target: Path, *, source_encrypted: bool, passphrase: str | None) -> Path:
    """Write the open database into the new file ``target``, keyed with ``passphrase`` ('' = plain).

    Used for ``advocate export --plain`` and to re-key a file. ``sqlcipher_export`` copies every table,
    index and trigger; the application id and schema version are stamped after it.
    """
    target = Path(target)
    _new_private_file(target)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    try:
        if source_encrypted or passphrase:
            conn.execute("ATTACH DATABASE ? AS export_target KEY ?", [str(target), passphrase or ""])
            try:
                conn.execute("SELECT sqlcipher_export('export_target')")
                _stamp(conn, version, "export_target")
            finally:
                conn.execute("DETACH DATABASE export_target")
        else:
            dest = _fresh_connection(target, None)
            try:
                conn.backup(dest)
            finally:
                dest.close()
    except sqlcipher3.Error as exc:
        _discard(target)
        raise StoreError(f"cannot write {target}: {exc}") from None
    protect(target)
    return target


def restore_into(conn, source: Path, *, passphrase: str | None, work_dir: Path,
                 live: Path | None = None, aside: Path | None = None, salt: bytes | None = None) -> int:
    """Replace the contents of the open database ``conn`` with the checked file ``source``.

    The source (plain, or encrypted under ``passphrase``) is first copied into a scratch file keyed
    like the live database, then copied into it with the online backup API, so other connections see
    the restored data (they wait meanwhile). Returns the restored schema version.

    ``live`` and ``aside``, for a damaged live file (the backup API can't write into a corrupt file, and
    a file that can't be opened has no ``conn``): ``conn`` (if any) is closed, the damaged file is
    renamed to ``aside`` (with its -wal and -shm; 0600) and the scratch copy renamed into its place.
    """
    report = inspect(source, passphrase)
    if not report.ok:
        raise StoreError(f"{source} is damaged ({report.problems[0]}); nothing was restored")
    scratch = work_dir / f".restore-{os.getpid()}.db"
    _discard(scratch)
    _new_private_file(scratch)
    tmp = None
    try:
        tmp = _fresh_connection(scratch, passphrase, salt)  # keyed as the live database (``salt``: its file's)
        key = passphrase if report.encrypted else ""
        tmp.execute("ATTACH DATABASE ? AS restore_source KEY ?", [str(source), key])
        try:
            tmp.execute("SELECT sqlcipher_export('main', 'restore_source')")
        finally:
            tmp.execute("DETACH DATABASE restore_source")
        _stamp(tmp, report.version)
        if aside is None:
            tmp.backup(conn)
        else:
            tmp.execute("PRAGMA journal_mode = DELETE")
            tmp.close()
            tmp = None
            if conn is not None:
                with contextlib.suppress(sqlcipher3.Error):
                    conn.close()
            set_aside(live, aside)
            os.replace(scratch, live)
    except sqlcipher3.Error as exc:
        if engine._is_locked(exc):
            raise StoreError("the database is busy (another desk is writing); nothing was restored, try again") from None
        raise StoreError(f"cannot restore from {source}: {exc}") from None
    except OSError as exc:
        raise StoreError(f"cannot restore from {source}: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            tmp.close()
        _discard(scratch)
    return report.version


def set_aside(path: Path, aside: Path) -> None:
    """Rename the file at ``path`` (and its -wal and -shm, if any) to ``aside``, owner-only."""
    if Path(aside).exists():
        raise StoreError(f"{aside} already exists; nothing was moved")
    for suffix in ("", "-wal", "-shm"):
        src, dst = Path(f"{path}{suffix}"), Path(f"{aside}{suffix}")
        if src.exists():
            os.replace(src, dst)
            protect(dst)


def open_elsewhere(path: Path) -> bool:
    """True when another process has the database at ``path`` open (:func:`advocate_tui.portable.open_elsewhere`;
    always False where that can't be told, on Windows)."""
    return portable.open_elsewhere(path)


def take_sole_access(conn, path: Path) -> None:
    """Hold the file exclusively from now on, or refuse if another desk has it open.

    In WAL mode every open connection that has read holds a shared lock, so an exclusive lock is
    only granted when no other desk (app or command) is using the file.
    """
    conn.execute("PRAGMA busy_timeout = 2000")
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    try:
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
    except sqlcipher3.Error:
        conn.execute("PRAGMA locking_mode = NORMAL")
        raise StoreError(f"{path} is open on another desk; close the app everywhere and try again") from None


def release_sole_access(conn) -> None:
    """Give up the exclusive hold :func:`take_sole_access` took (other desks may open the file again)."""
    try:
        conn.execute("PRAGMA locking_mode = NORMAL")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError:
        pass


def rekey(conn, new_passphrase: str, path: Path) -> None:
    """Change the passphrase of the open, encrypted database (``PRAGMA rekey``), with no other desk on it."""
    take_sole_access(conn, path)
    try:
        conn.execute(f"PRAGMA rekey = {engine._quote_key(new_passphrase)}")
    except sqlcipher3.Error as exc:
        if engine._is_locked(exc):
            raise StoreError("the database is busy (another desk is using it); close the app and try again") from None
        raise StoreError(f"cannot change the passphrase: {exc}") from None


def encrypt_in_place(path: Path, conn, new_passphrase: str) -> None:
    """Turn the plain database at ``path`` (open as ``conn``) into an encrypted one; ``conn`` is closed.

    The encrypted copy is written beside it and then renamed over it: nothing else may have the file
    open (the caller checks by holding an exclusive lock until the copy is made).
    """
    scratch = path.with_name(f".{path.name}.encrypting")
    _discard(scratch)
    # Hold the file from here to the rename: no other desk can have it open meanwhile.
    take_sole_access(conn, path)
    export_copy(conn, scratch, source_encrypted=False, passphrase=new_passphrase)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink()
    os.replace(scratch, path)
