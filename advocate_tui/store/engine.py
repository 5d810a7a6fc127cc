"""Opening the database file: the sqlcipher3 engine, pragmas, and careful refusals.

The engine is ``sqlcipher3`` (SQLite 3.53 with SQLCipher): the system's SQLite is inside the range
hit by SQLite's WAL-reset corruption bug. An unkeyed file is an ordinary SQLite file.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import sqlcipher3

from ..private import create_private_file, make_private_dir, tighten
from .held import (SALT_BYTES, SQLITE_HEADER, HeldConnection, file_salt, held_connection, hold,  # noqa: F401
                   is_encrypted, read_head, release)

#: ``PRAGMA application_id`` of an advocate-tui database ("ADVT").
APPLICATION_ID = 0x41445654
#: How long a write waits for another desk's write before giving up (``ADVOCATE_BUSY_TIMEOUT`` seconds
#: overrides it, e.g. for a scheduler that would rather fail fast).
BUSY_TIMEOUT_S = float(os.environ.get("ADVOCATE_BUSY_TIMEOUT") or 30.0)
#: SQLCipher's key derivation must be at least this slow (PBKDF2-HMAC-SHA512 iterations).
MIN_KDF_ITER = 256_000
#: SQLCipher 4's key derivation, which every encrypted file of this app uses: PBKDF2-HMAC-SHA512 of the
#: passphrase with the file's salt (its first 16 bytes), 256,000 iterations, a 32-byte key.
KDF_ITER, KEY_BYTES = 256_000, 32  # (and SALT_BYTES: the salt, the file's first 16 bytes)
#: The oldest engine without the WAL-reset bug.
MIN_SQLITE = (3, 51, 3)

DatabaseError = sqlcipher3.DatabaseError
OperationalError = sqlcipher3.OperationalError
IntegrityError = sqlcipher3.IntegrityError


class StoreError(Exception):
    """A problem with the database that a person can act on; str() is one clear line."""


class BusyError(StoreError):
    """Another desk or program held the database longer than the busy timeout: nothing was written,
    and the same write can simply be tried again."""


class DamagedError(StoreError):
    """The file may be damaged (not a wrong passphrase): ``advocate restore BACKUP`` can replace it.

    ``short`` is the first half of the line: the file and why it may be damaged."""

    def __init__(self, message: str, short: str):
        super().__init__(message)
        self.short = short


def damaged(path: Path, reason: str) -> DamagedError:
    """The one line for a database that may be damaged, naming its newest backup when there is one."""
    from .files import backups_of

    short = f"{path} may be damaged ({one_line(reason, 200)})"
    line = f"{short}; 'advocate restore BACKUP' puts a sound backup in its place"
    try:
        newest = backups_of(path)
    except OSError:
        newest = []
    return DamagedError(f"{line}, the newest being {newest[-1]}" if newest else line, short)


def sqlite_version(conn) -> tuple[int, ...]:
    """The engine's SQLite version as a tuple."""
    return tuple(int(p) for p in conn.execute("select sqlite_version()").fetchone()[0].split("."))


def _quote_key(passphrase: str) -> str:
    return "'" + passphrase.replace("'", "''") + "'"


def _is_locked(exc: Exception) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def write_error(exc: Exception) -> StoreError | None:
    """A failed save as one clear line (busy, disk full, read-only, disk error), or None."""
    text = str(exc).lower()
    if _is_locked(exc):
        return BusyError(f"the database is busy: another program has held it for over {BUSY_TIMEOUT_S:g} s; "
                          "nothing was saved, try again")
    if "full" in text:
        return StoreError("the disk is full: nothing was saved; free some space and save again")
    if "readonly" in text or "read-only" in text:
        return StoreError("the database file has become read-only: nothing was saved")
    if "disk i/o" in text:
        return StoreError("a disk error stopped the save: nothing was saved; check the disk and try again")
    return None


def _quiet(conn) -> None:
    """Keep SQLCipher from logging to stderr (a wrong passphrase must be one clear line)."""
    conn.execute("PRAGMA cipher_log_level = NONE")


_derived: dict[tuple[str, bytes], bytes] = {}
_derived_lock = threading.Lock()
#: the keys :func:`derive_ahead` has started deriving
_ahead: set[tuple[str, bytes]] = set()


def _pbkdf2(passphrase: str, salt: bytes) -> bytes:
    """One key derivation (~0.16 s of CPU here): what SQLCipher itself does when keyed by passphrase."""
    return hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITER, KEY_BYTES)


def derived_key(passphrase: str, salt: bytes) -> bytes:
    """The file key for ``passphrase`` and ``salt``, derived once per process: every later connection
    to that file (the check's, a worker's, the backup's) is keyed with it raw, with no derivation."""
    with _derived_lock:  # two threads asking at once derive once
        key = _derived.get((passphrase, salt))
        if key is None:
            key = _derived[(passphrase, salt)] = _pbkdf2(passphrase, salt)
        return key


def derive_ahead(path: str | Path, passphrase: str | None) -> None:
    """Start deriving the key of the encrypted file at ``path`` in a thread (PBKDF2 leaves the GIL), so
    the start's imports run meanwhile; the first connection then finds it derived (or waits for it)."""
    salt = file_salt(path) if passphrase else None
    if salt is not None and (passphrase, salt) not in _ahead:  # (once: a start may ask twice)
        _ahead.add((passphrase, salt))
        threading.Thread(target=derived_key, args=(passphrase, salt), name="advocate-key", daemon=True).start()


def forget_keys() -> None:
    """Drop the derived keys (after a passphrase change)."""
    with _derived_lock:
        _derived.clear()
        _ahead.clear()


def apply_key(conn, passphrase: str | None, salt: bytes | None = None) -> None:
    """Key a fresh connection. With the file's ``salt``, the key derived once (:func:`derived_key`) is
    given raw (SQLCipher's ``x'key salt'``: no derivation); without, SQLCipher derives it on first use."""
    _quiet(conn)
    if passphrase and salt is not None:
        conn.execute(f"PRAGMA key = \"x'{derived_key(passphrase, salt).hex()}{salt.hex()}'\"")
    elif passphrase:
        conn.execute(f"PRAGMA key = {_quote_key(passphrase)}")


def _keyed(make, passphrase: str | None, salt: bytes | None):
    """A connection from ``make()``, keyed, that has read the schema; or ``(exc, conn)`` when it could not
    read (``conn`` still open, keyed by passphrase, for the refusal's diagnosis). A file keyed with
    other settings than SQLCipher 4's defaults does not open with the raw key: SQLCipher derives then."""
    conn = make()
    try:
        apply_key(conn, passphrase, salt)
        conn.execute("select count(*) from sqlite_master").fetchone()
        return conn
    except sqlcipher3.DatabaseError as exc:
        if not passphrase or salt is None or _is_locked(exc):
            return exc, conn
    conn.close()
    conn = make()
    try:
        apply_key(conn, passphrase)
        conn.execute("select count(*) from sqlite_master").fetchone()
        return conn
    except sqlcipher3.DatabaseError as exc:
        return exc, conn


#: the file's application id, schema version and number of tables, in one statement
IDENTITY_SQL = ("SELECT (SELECT application_id FROM pragma_application_id), (SELECT user_version FROM pragma_user_version), "
                "(SELECT count(*) FROM sqlite_master WHERE type = 'table')")


def _check_identity(conn, path: Path) -> None:
    """Refuse, before anything is written, a file that is not ours or is from a newer version."""
    from .schema import LATEST_VERSION

    app_id, version, tables = conn.execute(IDENTITY_SQL).fetchone()
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables):
        raise StoreError(f"{path} is a SQLite database, but not an advocate-tui one")
    if version > LATEST_VERSION:
        raise StoreError(
            f"{path} was made by a newer advocate-tui (schema {version}; this version knows up to "
            f"{LATEST_VERSION}): update advocate-tui"
        )


def connect_readonly(path: str | Path, *, passphrase: str | None = None, diagnose: bool = True):
    """Open an existing database read-only (to inspect a file before trusting it); never writes to it.

    ``diagnose``: when an encrypted file does not open, tell a damaged file from a wrong passphrase
    (:mod:`.damage`; reads the whole file) instead of saying "wrong passphrase" at once."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise StoreError(f"{path} is not a file")
    if path.stat().st_size == 0:
        raise StoreError(f"{path} is empty, not an advocate-tui database")
    encrypted = is_encrypted(path)
    if encrypted and not passphrase:
        raise StoreError(f"{path} is not an advocate-tui database (not SQLite, or encrypted with no passphrase given)")
    uri = f"{path.resolve().as_uri()}?mode=ro"
    box = [hold(path)]
    try:
        conn = _keyed(lambda: sqlcipher3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                                 check_same_thread=False, factory=HeldConnection),
                      passphrase if encrypted else None, file_salt(path) if encrypted else None)
        conn = held_connection(box, conn)
    except sqlcipher3.Error as exc:
        raise StoreError(f"cannot open {path}: {exc}") from None
    finally:
        release(box[0])  # (None once the connection owns it)
    if isinstance(conn, tuple):
        exc, conn = conn
        try:
            raise _refusal(path, exc, keyed=encrypted, conn=conn, passphrase=passphrase if diagnose else None) from None
        finally:
            conn.close()
    try:
        _check_identity(conn, path)
    except StoreError:
        conn.close()
        raise
    except sqlcipher3.DatabaseError as exc:
        try:
            raise _refusal(path, exc, keyed=encrypted, conn=conn, passphrase=passphrase if diagnose else None) from None
        finally:
            conn.close()
    return conn


def _refusal(path: Path, exc: Exception, *, keyed: bool, conn=None, passphrase: str | None = None) -> StoreError:
    """Why a file could not be opened, in one line: locked, damaged, wrong passphrase, or not ours.

    With ``passphrase`` (a keyed open that failed), the file's pages and backups are asked whether the
    passphrase is right: if it is, the file is damaged (:func:`damaged`), not the passphrase wrong.
    """
    if _is_locked(exc):
        return StoreError(f"{path} is locked by another program; try again when it is done")
    if keyed:
        if passphrase:
            from .damage import diagnose

            reason = diagnose(path, passphrase, conn)
            if reason:
                return damaged(path, reason)
        return StoreError(f"{path}: wrong passphrase, or not an advocate-tui database")
    if "malformed" in str(exc).lower():
        return damaged(path, str(exc))
    return StoreError(f"{path} is not an advocate-tui database ({exc})")


def one_line(text: str, limit: int = 160) -> str:
    """SQLite's multi-line messages (integrity check) as one short line."""
    text = " ".join(str(text).replace("***", " ").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _verify(conn, path: Path, passphrase: str | None = None) -> None:
    """A quick structural check (``PRAGMA quick_check``): refuse a truncated or corrupt file (naming
    the damaged pages of an encrypted one)."""
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlcipher3.DatabaseError as exc:
        if _is_locked(exc):
            raise
        rows = [str(exc)]
    if rows != ["ok"]:
        reason = None
        if passphrase:
            from .damage import diagnose

            reason = diagnose(path, passphrase, conn)
        raise damaged(path, reason or rows[0])


def verify_readonly(path: str | Path, *, passphrase: str | None = None) -> None:
    """Open ``path`` read-only and run the quick structural check; :class:`StoreError` if it fails."""
    conn = connect_readonly(path, passphrase=passphrase)
    try:
        _verify(conn, Path(path), passphrase)
    finally:
        conn.close()


def connect(path: str | Path, *, passphrase: str | None = None, create: bool = True, verify: bool = False):
    """Open (or create) the database at ``path`` and return a configured connection.

    Refuses, with a :class:`StoreError`, a folder, a file that is not SQLite (or is encrypted and no
    passphrase was given), a wrong passphrase, a read-only file, a locked file and (with ``verify``)
    a damaged one. Never writes to a file it refuses.
    """
    path = Path(path).expanduser()
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file")
    salt = None
    if not path.exists():
        salt = os.urandom(SALT_BYTES)  # a new file: its salt chosen here, so its key is derived once
        if not create:
            raise StoreError(f"{path} does not exist")
        try:
            make_private_dir(path.parent)
            create_private_file(path)
        except PermissionError:
            raise StoreError(f"cannot create {path}: permission denied") from None
        except OSError as exc:
            raise StoreError(f"cannot create {path}: {exc.strerror or exc}") from None
    box = [hold(path)]  # before any read of its bytes (see .held); the connection made takes it over
    try:
        return _connect_held(path, box, passphrase, salt, create=create, verify=verify)
    finally:
        release(box[0])  # (None once a connection owns it)


def _connect_held(path: Path, box: list, passphrase: str | None, salt: bytes | None, *, create: bool,
                  verify: bool):
    """:func:`connect` once the file exists and is held (the hold in ``box``: the connection takes it)."""
    if salt is None:
        try:
            head = read_head(path, 16)
        except PermissionError:
            raise StoreError(f"cannot read {path}: permission denied") from None
        except OSError as exc:
            raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from None
        if head and head != SQLITE_HEADER and passphrase is None:
            # Asking for ADVOCATE_PASSPHRASE when it is set would mislead: this open was given none.
            hint = ("this command opens it without a passphrase" if os.environ.get("ADVOCATE_PASSPHRASE")
                    else "give its passphrase with ADVOCATE_PASSPHRASE or --passphrase-file")
            raise StoreError(f"{path} is not an advocate-tui database (not SQLite, or encrypted: {hint})")
        if head == SQLITE_HEADER and passphrase:
            passphrase = None  # an unencrypted file opens as it is
        if not os.access(path, os.W_OK):
            raise StoreError(f"{path} is read-only: advocate-tui needs to write to it")
        salt = file_salt(path)  # None for an empty file: SQLCipher picks its salt and derives
    try:
        conn = _keyed(lambda: sqlcipher3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                                 check_same_thread=False, factory=HeldConnection), passphrase, salt)
    except sqlcipher3.Error as exc:
        raise StoreError(f"cannot open {path}: {exc}") from None
    conn = held_connection(box, conn)
    if isinstance(conn, tuple):
        exc, conn = conn
        try:
            raise _refusal(path, exc, keyed=bool(passphrase), conn=conn, passphrase=passphrase) from None
        finally:
            conn.close()
    try:
        # Refuse another program's database, or a newer version's, before switching it to WAL
        # (which would rewrite its header).
        _check_identity(conn, path)
        if verify:
            from .damage import cut_short

            if why := cut_short(path):
                raise damaged(path, why)
            _verify(conn, path, passphrase)
        if passphrase:
            kdf_iter = int(conn.execute("PRAGMA kdf_iter").fetchone()[0])
            if kdf_iter < MIN_KDF_ITER:
                raise StoreError(f"{path}: the encryption key derivation is too weak ({kdf_iter} iterations)")
        tighten(path)  # ours from here on: owner-only, whatever mode it came with
    except StoreError:
        conn.close()
        raise
    except sqlcipher3.DatabaseError as exc:
        try:
            raise _refusal(path, exc, keyed=bool(passphrase), conn=conn, passphrase=passphrase) from None
        finally:
            conn.close()
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise StoreError(f"{path}: cannot switch to WAL mode (got {mode})")
        # FULL: a commit survives a power cut too, at ~0.3 ms a commit here (see README, Data).
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        # REPLACE deletes the row it replaces: with recursive triggers that delete meets the
        # never-deleted triggers (without, SQLite skips delete triggers for REPLACE).
        conn.execute("PRAGMA recursive_triggers = ON")
    except sqlcipher3.OperationalError as exc:
        conn.close()
        if _is_locked(exc):
            raise StoreError(f"{path} is locked by another program; try again when it is done") from None
        if "readonly" in str(exc) or "read-only" in str(exc):
            raise StoreError(f"{path} is read-only: advocate-tui needs to write to it") from None
        raise StoreError(f"cannot open {path}: {exc}") from None
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path} is damaged or not an advocate-tui database ({exc})") from None
    for side in (f"{path}-wal", f"{path}-shm"):  # SQLite gives them the database's mode when it makes them
        tighten(Path(side), quiet=True)
    return conn
