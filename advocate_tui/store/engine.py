"""Opening the database file: the sqlcipher3 engine, pragmas, and careful refusals.

The engine is ``sqlcipher3`` (SQLite 3.53 with SQLCipher): the system's SQLite is inside the range
hit by SQLite's WAL-reset corruption bug. An unkeyed file is an ordinary SQLite file.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlcipher3

#: ``PRAGMA application_id`` of an advocate-tui database ("ADVT").
APPLICATION_ID = 0x41445654
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 30.0
#: The oldest engine without the WAL-reset bug.
MIN_SQLITE = (3, 51, 3)

DatabaseError = sqlcipher3.DatabaseError
OperationalError = sqlcipher3.OperationalError
IntegrityError = sqlcipher3.IntegrityError


class StoreError(Exception):
    """A problem with the database that a person can act on; str() is one clear line."""


def sqlite_version(conn) -> tuple[int, ...]:
    """The engine's SQLite version as a tuple."""
    return tuple(int(p) for p in conn.execute("select sqlite_version()").fetchone()[0].split("."))


def make_private_dir(folder: Path) -> None:
    """Create ``folder`` (and missing parents) readable by the owner only."""
    missing = []
    p = folder
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        d.mkdir(mode=0o700)
        os.chmod(d, 0o700)


def create_private_file(path: Path) -> None:
    """Create an empty file readable and writable by the owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def _quote_key(passphrase: str) -> str:
    return "'" + passphrase.replace("'", "''") + "'"


def connect(path: str | Path, *, passphrase: str | None = None, create: bool = True):
    """Open (or create) the database at ``path`` and return a configured connection.

    Refuses, with a :class:`StoreError`, a folder, a file that is not SQLite (or is encrypted and no
    passphrase was given), a wrong passphrase, a read-only file and a locked file. Never writes to a
    file it refuses.
    """
    path = Path(path).expanduser()
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file")
    if not path.exists():
        if not create:
            raise StoreError(f"{path} does not exist")
        try:
            make_private_dir(path.parent)
            create_private_file(path)
        except PermissionError:
            raise StoreError(f"cannot create {path}: permission denied") from None
        except OSError as exc:
            raise StoreError(f"cannot create {path}: {exc.strerror or exc}") from None
    else:
        try:
            with open(path, "rb") as fh:
                head = fh.read(16)
        except PermissionError:
            raise StoreError(f"cannot read {path}: permission denied") from None
        except OSError as exc:
            raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from None
        if head and head != SQLITE_HEADER and passphrase is None:
            raise StoreError(
                f"{path} is not an advocate-tui database (not SQLite, or encrypted: "
                "give its passphrase with ADVOCATE_PASSPHRASE or --passphrase-file)"
            )
        if head == SQLITE_HEADER and passphrase:
            passphrase = None  # an unencrypted file opens as it is
        if not os.access(path, os.W_OK):
            raise StoreError(f"{path} is read-only: advocate-tui needs to write to it")
    try:
        conn = sqlcipher3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    except sqlcipher3.Error as exc:
        raise StoreError(f"cannot open {path}: {exc}") from None
    try:
        if passphrase:
            conn.execute(f"PRAGMA key = {_quote_key(passphrase)}")
        tables = conn.execute("select count(*) from sqlite_master").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        if passphrase:
            raise StoreError(f"{path}: wrong passphrase, or not an advocate-tui database") from None
        raise StoreError(f"{path} is not an advocate-tui database ({exc})") from None
    if app_id != APPLICATION_ID and (app_id != 0 or tables):
        # Refuse another program's database before switching it to WAL (which would rewrite its header).
        conn.close()
        raise StoreError(f"{path} is a SQLite database, but not an advocate-tui one")
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise StoreError(f"{path}: cannot switch to WAL mode (got {mode})")
        # FULL: a commit survives a power cut too, at ~0.3 ms a commit here (see README, Data).
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlcipher3.OperationalError as exc:
        conn.close()
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreError(f"{path} is locked by another program; try again when it is done") from None
        if "readonly" in str(exc) or "read-only" in str(exc):
            raise StoreError(f"{path} is read-only: advocate-tui needs to write to it") from None
        raise StoreError(f"cannot open {path}: {exc}") from None
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path} is damaged or not an advocate-tui database ({exc})") from None
    return conn
