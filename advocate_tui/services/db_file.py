"""What a database file is, apart from what it holds day to day: the meta keys naming its school and itself (set at
first start, kept by backups and restores) and, read without opening it, its identity; and what an unencrypted
file holds, so a school's data never goes into one (:func:`plain_state`, :func:`encrypt_empty`,
:func:`demo_status`)."""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path

from ..desk import Desk
from ..store import StoreError, file_contents, files
from ..store import engine as _engine
from ..store.schema import LATEST_VERSION


#: meta keys naming the school and this database (set at first start, kept by backups and restores)
SCHOOL_KEY = "school.short_name"
UUID_KEY = "db.uuid"
DEMO_KEY = "demo_seed"


def ensure_identity(desk: Desk) -> tuple[str, str]:
    """The school short name and database uuid in meta, set now if missing; returns them."""
    store = desk.store
    have = store.get_metas(SCHOOL_KEY, UUID_KEY)
    school, ident = have.get(SCHOOL_KEY) or "", have.get(UUID_KEY) or ""
    if not school or not ident:
        with store.transaction():
            if not school:
                school = desk.profile.school.short_name or ""
                store.set_meta(SCHOOL_KEY, school)
            if not ident:
                ident = uuid.uuid4().hex
                store.set_meta(UUID_KEY, ident)
    return school, ident


def file_identity(path: Path, passphrase: str | None) -> dict[str, str]:
    """The identity keys (school, uuid, demo seed) in the meta table of the file at ``path``."""
    return file_contents.meta_values(path, passphrase, [SCHOOL_KEY, UUID_KEY, DEMO_KEY])


def plain_state(path: str | Path) -> str:
    """What the file at ``path`` is, before a school's data goes into it (reads, never writes):

    "missing" (no file, or 0 bytes), "encrypted", "empty" (an unencrypted SQLite file with nothing of a
    school in it: no tables, or ours with no student and no audit entry), "demo" (the demo school,
    marked by ``demo_seed`` in meta), "school" (an unencrypted advocate-tui database with data) or
    "foreign" (not SQLite, another program's, or from a newer version: opening it says which).
    """
    path = Path(path).expanduser()
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return "missing"
        if _engine.is_encrypted(path):
            return "encrypted"
        found = file_contents.plain_contents(path, DEMO_KEY)
    except StoreError:
        return "foreign"
    except OSError:
        return "missing"
    except _engine.DatabaseError:
        return "foreign"
    if not found.tables:
        return "empty" if found.application_id in (0, _engine.APPLICATION_ID) else "foreign"
    if found.application_id != _engine.APPLICATION_ID or found.user_version > LATEST_VERSION:
        return "foreign"
    if found.demo:
        return "demo"
    return "empty" if found.used == 0 else "school"


def encrypt_empty(path: str | Path, passphrase: str) -> None:
    """Encrypt the unencrypted file at ``path`` that holds nothing of a school yet (:func:`plain_state`
    "empty"), so a school's data never goes into it unencrypted. Refuses anything else."""
    from .security import check_passphrase

    check_passphrase(passphrase)
    path = Path(path).expanduser()
    conn = _engine.connect(path, create=False)
    try:
        if plain_state(path) != "empty":
            raise StoreError(f"{path} is not empty; 'advocate rekey' encrypts it")
        files.encrypt_in_place(path, conn, passphrase)
    finally:
        with contextlib.suppress(_engine.DatabaseError):
            conn.close()


def demo_status(path: str | Path) -> str:
    """What ``advocate demo --db PATH`` finds: "demo" (the demo school's database, marked by the
    ``demo_seed`` in meta), "new" (no file, or nothing in it yet: the demo may be built there) or
    "other" (a real school's database, encrypted or not: the demo must not open it)."""
    state = plain_state(path)
    if state in ("encrypted", "school"):
        return "other"
    return "demo" if state == "demo" else "new"  # not a database at all: opening it says so in one line
