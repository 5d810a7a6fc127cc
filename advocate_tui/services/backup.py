"""Backups, restore and the database check.

- The first start of each school day copies the database with SQLite's online backup API into
  ``backups/`` beside it (``<name>-YYYYMMDD-HHMMSS.db``, school time), keeping the last 14.
- A backup of an encrypted database is encrypted under the same passphrase; every file is 0600 and
  the folder 0700.
- Restore checks the file first (an advocate-tui database, sound, not from a newer version, of this
  school: the ``school.short_name`` and ``db.uuid`` in meta, set when missing), refuses while another
  desk has the database open, keeps the current database as a backup, then copies the file in and
  records the restore in the audit trail. A plain file restored into an encrypted database is
  encrypted under the current passphrase (the database never becomes plain).
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..desk import Desk
from ..models import AuditAction
from ..store import StoreError, files
from ..store import engine as _engine
from ..store.schema import LATEST_VERSION

KEEP = 14
FOLDER = "backups"
#: meta keys naming the school and this database (set at first start, kept by backups and restores)
SCHOOL_KEY = "school.short_name"
UUID_KEY = "db.uuid"
DEMO_KEY = "demo_seed"


@dataclass
class CheckResult:
    """``advocate check``: integrity, schema version, encryption, rows per table."""

    path: Path
    problems: list[str]
    version: int
    encrypted: bool
    counts: dict[str, int]

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        out = [f"database: {self.path}",
               f"integrity: {'ok' if self.ok else 'DAMAGED: ' + self.problems[0]}",
               f"schema: {self.version} (this advocate-tui: {LATEST_VERSION})",
               f"encrypted: {'yes (SQLCipher)' if self.encrypted else 'no'}"]
        out += [f"{table}: {n}" for table, n in self.counts.items()]
        return out


def backup_dir(desk: Desk) -> Path:
    """The ``backups/`` folder beside the database."""
    return desk.store.path.parent / FOLDER


def _passphrase(desk: Desk) -> str | None:
    return getattr(desk.store, "_passphrase", None)


def _stamp(desk: Desk) -> str:
    return desk.clock.now().strftime("%Y%m%d-%H%M%S")


def list_backups(desk: Desk) -> list[Path]:
    """This database's backups, oldest first."""
    folder = backup_dir(desk)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{desk.store.path.stem}-*.db"))


def make_backup(desk: Desk, out: str | Path | None = None, *, label: str = "") -> Path:
    """Back the database up now; into ``out`` (a folder or a new file) or ``backups/``.

    Returns the new file. Backups in ``backups/`` beyond the last 14 are removed.
    """
    name = f"{desk.store.path.stem}-{_stamp(desk)}{'-' + label if label else ''}.db"
    folder = None
    if out is None:
        folder = backup_dir(desk)
        _engine.make_private_dir(folder)
    else:
        into_folder = str(out).endswith(("/", os.sep))
        out_path = Path(out).expanduser()
        if into_folder or out_path.is_dir():  # "into this folder" (created owner-only if missing)
            folder = out_path
            try:
                _engine.make_private_dir(folder)
            except OSError as exc:
                raise StoreError(f"cannot create the folder {folder}: {exc.strerror or exc}") from None
    if folder is None:
        target = Path(out).expanduser()
    else:
        target = folder / name
        n = 1
        while target.exists():
            n += 1
            target = folder / name.replace(".db", f"-{n}.db")
    path = files.backup_to(desk.store.db.conn, target, _passphrase(desk))
    if out is None:
        prune(desk)
    return path


def prune(desk: Desk, keep: int = KEEP) -> list[Path]:
    """Remove all but the newest ``keep`` backups in ``backups/``; return what was removed."""
    old = list_backups(desk)[:-keep] if keep > 0 else list_backups(desk)
    for path in old:
        path.unlink(missing_ok=True)
    return old


def daily_backup(desk: Desk) -> Path | None:
    """The first start of a school day backs up; later starts that day do nothing (None)."""
    today = desk.clock.today().strftime("%Y%m%d")
    stem = desk.store.path.stem
    if any(p.name.startswith(f"{stem}-{today}-") for p in list_backups(desk)):
        return None
    return make_backup(desk)


def check(desk: Desk) -> CheckResult:
    """Integrity check, schema version and rows per table of the open database."""
    store = desk.store
    problems = store.integrity_check()
    counts = store.counts() if not problems else {}
    return CheckResult(store.path, problems, store.version, bool(_passphrase(desk)), counts)


def check_file(path: str | Path, passphrase: str | None) -> CheckResult:
    """Check a database file without opening it for writing (for a file that may be damaged)."""
    report = files.inspect(Path(path), passphrase)
    return CheckResult(report.path, report.problems, report.version, report.encrypted, report.counts)


def ensure_identity(desk: Desk) -> tuple[str, str]:
    """The school short name and database uuid in meta, set now if missing; returns them."""
    store = desk.store
    school = store.get_meta(SCHOOL_KEY) or ""
    ident = store.get_meta(UUID_KEY) or ""
    if not school or not ident:
        with store.write():
            if not school:
                school = desk.profile.school.short_name or ""
                store.set_meta(SCHOOL_KEY, school)
            if not ident:
                ident = uuid.uuid4().hex
                store.set_meta(UUID_KEY, ident)
    return school, ident


def file_identity(path: Path, passphrase: str | None) -> dict[str, str]:
    """The identity keys (school, uuid, demo seed) in the meta table of the file at ``path``."""
    conn = _engine.connect_readonly(path, passphrase=passphrase)
    try:
        rows = conn.execute("SELECT key, value FROM meta WHERE key IN (?, ?, ?)",
                            [SCHOOL_KEY, UUID_KEY, DEMO_KEY]).fetchall()
    except _engine.DatabaseError:
        rows = []
    finally:
        conn.close()
    return {k: v for k, v in rows if v}


def other_school(desk: Desk, source: Path) -> str | None:
    """Why ``source`` looks like another school's database (None when it is, or may be, this one's).

    The same database uuid is the same school; otherwise a different school short name, or a demo
    database against a real one (or the reverse), is another school. A file with no identity at all
    (made before identities were stored) can't be told apart and is accepted.
    """
    try:
        school, ident = ensure_identity(desk)
    except (StoreError, _engine.DatabaseError):  # a damaged database: what it still says
        school, ident = "", ""
    theirs = file_identity(source, _passphrase(desk))
    if theirs.get(UUID_KEY) == ident:
        return None
    ours_demo = bool(desk.store.get_meta(DEMO_KEY))
    if bool(theirs.get(DEMO_KEY)) != ours_demo:
        return "it is the demo school's database" if not ours_demo else "it is not the demo school's database"
    if theirs.get(SCHOOL_KEY) and school and theirs[SCHOOL_KEY] != school:
        return f"it belongs to the school '{theirs[SCHOOL_KEY]}', not '{school}'"
    if theirs.get(UUID_KEY):
        return "it is a different database (not a backup of this one)"
    return None


def restore(desk: Desk, source: str | Path, *, force_other_school: bool = False) -> Path:
    """Replace the database's contents with ``source``; return the backup of what was there.

    Refuses (StoreError, nothing changed) a file that is not a sound advocate-tui database, is from a
    newer version, is another school's (unless ``force_other_school``), or while another desk has the
    database open. The source must be plain or encrypted under this database's passphrase; a plain one
    restored into an encrypted database is encrypted under the current passphrase.
    """
    source = Path(source).expanduser()
    if source.resolve() == desk.store.path.resolve():
        raise StoreError("that is the database itself; choose a backup file")
    report = files.inspect(source, _passphrase(desk))
    if not report.ok:
        raise StoreError(f"{source} is not a sound advocate-tui database ({report.problems[0]}); nothing was restored")
    if not force_other_school and (why := other_school(desk, source)):
        raise StoreError(f"{source} is from another school ({why}); nothing was restored "
                         "(--force-other-school restores it anyway)")
    files.take_sole_access(desk.store.db.conn, desk.store.path)  # no other desk may have it open
    try:
        kept = _restore_held(desk, source)
    finally:
        _release(desk.store.db.conn)
    return kept


def _release(conn) -> None:
    """Give up the exclusive hold taken for a restore (other desks may open the file again)."""
    try:
        conn.execute("PRAGMA locking_mode = NORMAL")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except _engine.DatabaseError:
        pass


def _restore_held(desk: Desk, source: Path) -> Path:
    """The restore itself, with the database held exclusively."""
    kept = _keep_current(desk)
    damaged = kept.name.endswith("-damaged.db")
    store = desk.store
    files.restore_into(store.db.conn, source, passphrase=_passphrase(desk), work_dir=store.path.parent,
                       replace_damaged=store.path if damaged else None)
    if damaged:  # the file was replaced: a fresh connection to it
        desk.store = type(store).open(store.path, tz=store.tz, passphrase=_passphrase(desk), now=store._now,
                                      user=store.user, create=False)
    desk.store.migrate()
    with desk.store.write():
        desk.store._audit(AuditAction.RESTORE, "database", desk.store.path.name, None, None,
                          note=f"restored from {source.name}; the database before is {kept.name}")
    return kept

def _keep_current(desk: Desk) -> Path:
    """Back up the database about to be replaced; a damaged one is copied byte for byte instead."""
    try:
        return make_backup(desk, label="before-restore")
    except StoreError:
        try:
            damaged = bool(desk.store.integrity_check())
        except _engine.DatabaseError:
            damaged = True
        if not damaged:
            raise
    folder = backup_dir(desk)
    _engine.make_private_dir(folder)
    target = folder / f"{desk.store.path.stem}-{_stamp(desk)}-before-restore-damaged.db"
    _engine.create_private_file(target)
    with open(desk.store.path, "rb") as src, open(target, "wb") as dst:
        shutil.copyfileobj(src, dst)
    return target


def export_plain(desk: Desk, out: str | Path) -> Path:
    """A decrypted copy of the database for other tools (0600; the caller warns the user)."""
    out = Path(out).expanduser()
    if out.is_dir():
        raise StoreError(f"{out} is a folder; give a file name such as {out / 'advocate-plain.db'}")
    path = files.export_copy(desk.store.db.conn, out, source_encrypted=bool(_passphrase(desk)), passphrase=None)
    from ..store.keys import forget_private_key

    forget_private_key(path)  # the signing key never leaves the encrypted database
    return path


def change_passphrase(desk: Desk, new_passphrase: str) -> None:
    """Re-key the database (an unencrypted one becomes encrypted). The desk must be reopened after."""
    from .security import check_passphrase

    check_passphrase(new_passphrase)
    store = desk.store
    if _passphrase(desk):
        files.rekey(store.db.conn, new_passphrase, store.path)
        store._passphrase = new_passphrase
    else:
        files.encrypt_in_place(store.path, store.db.conn, new_passphrase)
    os.chmod(store.path, 0o600)


def demo_status(path: str | Path) -> str:
    """What ``advocate demo --db PATH`` finds: "demo" (the demo school's database, marked by the
    ``demo_seed`` in meta), "new" (no file, or nothing in it yet: the demo may be built there) or
    "other" (a real school's database, encrypted or not: the demo must not open it)."""
    path = Path(path).expanduser()
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return "new"
        if _engine.is_encrypted(path):
            return "other"  # the demo is never encrypted
        conn = _engine.connect_readonly(path)
    except (StoreError, OSError):
        return "new"  # not a database at all: opening it says so in one line
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "meta" in names and conn.execute("SELECT value FROM meta WHERE key = ?", [DEMO_KEY]).fetchone():
            return "demo"
        used = sum(conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0]
                   for t in ("students", "audit") if t in names)
        return "new" if used == 0 else "other"
    except _engine.DatabaseError:
        return "new"
    finally:
        conn.close()
