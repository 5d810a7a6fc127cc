"""Backups, restore and the database check.

- The first start of each school day copies the database with SQLite's online backup API into
  ``backups/`` beside it (``<name>-YYYYMMDD-HHMMSS.db``, school time), keeping this database's last 14
  (recognised by that exact name: another database's backups in the same folder are never touched, and
  the backup just written is never pruned).
- A backup of an encrypted database is encrypted under the same passphrase; every file is 0600 and
  the folder 0700.
- Restore checks the file first (an advocate-tui database, sound, not from a newer version, of this
  school: the ``school.short_name`` and ``db.uuid`` in meta, set when missing), refuses while another
  desk has the database open, keeps the current database as a backup (a damaged one is renamed aside
  instead), then copies the file in and records the restore in the audit trail. A plain file restored
  into an encrypted database is encrypted under the current passphrase (the database never becomes
  plain). :func:`restore_unopenable` does the same for a damaged file that can't be opened at all.
- What an unencrypted file holds, so a school's data never goes into one: :mod:`.db_file`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..desk import Desk
from ..private import adopt_private_dir, create_private_file, make_private_dir, protect, tighten
from ..store import Store, StoreError, files
from ..store import engine as _engine
from ..store.schema import LATEST_VERSION
from .db_file import DEMO_KEY, SCHOOL_KEY, UUID_KEY, ensure_identity, file_identity
# cli/ (being edited by i16-boot now) imports these from here: import them from .db_file when that lands
from .db_file import demo_status, encrypt_empty, plain_state  # noqa: F401

KEEP = 14
FOLDER = files.BACKUP_FOLDER
backup_prefix = files.backup_prefix


@dataclass
class CheckResult:
    """``advocate check``: integrity, schema version, encryption, rows per table, the audit guards."""

    path: Path
    problems: list[str]
    version: int
    encrypted: bool
    counts: dict[str, int]
    #: guard triggers missing or changed (name -> 'missing' / 'changed')
    guards: dict[str, str] = field(default_factory=dict)
    #: when guard triggers were found missing and put back ('<at>: <names>')
    guards_put_back: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def guard_line(self) -> str:
        """What ``advocate check`` says about the audit guards."""
        if self.guards:
            return "audit guards: " + ", ".join(f"{name} {how.upper()}" for name, how in sorted(self.guards.items()))
        if self.guards_put_back:
            return (f"audit guards: ok (found missing and put back {len(self.guards_put_back)} time(s); "
                    f"last {self.guards_put_back[-1]})")
        return "audit guards: ok"

    def lines(self) -> list[str]:
        out = [f"database: {self.path}",
               f"integrity: {'ok' if self.ok else 'DAMAGED: ' + self.problems[0]}",
               f"schema: {self.version} (this advocate-tui: {LATEST_VERSION})",
               f"encrypted: {'yes (SQLCipher)' if self.encrypted else 'no'}"]
        if self.ok:
            out.append(self.guard_line())
        out += [f"{table}: {n}" for table, n in self.counts.items()]
        return out


def backup_dir(desk: Desk) -> Path:
    """The ``backups/`` folder beside the database."""
    return desk.store.path.parent / FOLDER


def _passphrase(desk: Desk) -> str | None:
    return getattr(desk.store, "_passphrase", None)


def _salt(desk: Desk) -> bytes | None:
    """The salt the desk's connections are keyed with (an encrypted file's), for a copy keyed the same."""
    return _engine.file_salt(desk.store.path) if _passphrase(desk) else None


def _stamp(desk: Desk) -> str:
    return desk.clock.now().strftime("%Y%m%d-%H%M%S")


def list_backups(desk: Desk) -> list[Path]:
    """This database's backups, oldest first."""
    return files.backups_of(desk.store.path)


def make_backup(desk: Desk, out: str | Path | None = None, *, label: str = "",
                stop: Callable[[], bool] | None = None) -> Path:
    """Back the database up now; into ``out`` (a folder or a new file) or ``backups/``.

    Returns the new file. This database's own backups in ``backups/`` beyond the last 14 are removed
    (never the one just written, never another database's).
    """
    stem = f"{backup_prefix(desk.store.path)}-{_stamp(desk)}"
    tail = f"-{label}.db" if label else ".db"
    folder = None
    if out is None:
        folder = backup_dir(desk)
        adopt_private_dir(folder)
    else:
        into_folder = str(out).endswith(("/", os.sep))
        out_path = Path(out).expanduser()
        if into_folder or out_path.is_dir():  # "into this folder" (created owner-only if missing)
            folder = out_path
            try:
                make_private_dir(folder)
            except OSError as exc:
                raise StoreError(f"cannot create the folder {folder}: {exc.strerror or exc}") from None
    if out is None:
        _drop_stale_parts(folder, backup_prefix(desk.store.path))
    if folder is None:
        target = Path(out).expanduser()
    else:
        target = _reserve(folder, stem, tail)
    path = files.backup_to(desk.store.db.conn, target, _passphrase(desk), salt=_salt(desk), stop=stop,
                           reserved=folder is not None)
    if out is None:
        prune(desk, written=path)
    return path


def _reserve(folder: Path, stem: str, tail: str) -> Path:
    """The first free name ``stem[-N]tail`` in ``folder``, taken by creating its ``.part`` file (owner-only,
    exclusively): two desks backing up in the same second each get a name of their own, and neither
    writes over nor removes the other's copy in progress."""
    n = 1
    target = folder / f"{stem}{tail}"
    while True:
        if not target.exists():
            try:
                create_private_file(target.with_name(target.name + files.PARTIAL))
                return target
            except FileExistsError:
                pass
            except OSError as exc:
                raise StoreError(f"cannot write the backup {target}: {exc.strerror or exc}") from None
        n += 1
        target = folder / f"{stem}-{n}{tail}"


#: a partial backup (``….db.part``) older than this was cut short (the app killed mid-copy): removed
STALE_PART_S = 3600


def _drop_stale_parts(folder: Path, prefix: str) -> None:
    """Remove this database's backups that were cut short and left as ``.part`` files (an hour old: a
    younger one may be another desk's copy still being written)."""
    import glob
    import time

    for part in folder.glob(f"{glob.escape(prefix)}-*.db{files.PARTIAL}"):
        with contextlib.suppress(OSError):
            if time.time() - part.stat().st_mtime > STALE_PART_S:
                part.unlink()


def prune(desk: Desk, keep: int = KEEP, *, written: Path | None = None) -> list[Path]:
    """Remove all but the newest ``keep`` of this database's backups in ``backups/`` (never ``written``,
    the one just made, even when the clock has gone back); return what was removed."""
    mine = [p for p in list_backups(desk) if p != written]
    room = keep - (written is not None)
    old = mine[:-room] if room > 0 else mine
    for path in old:
        path.unlink(missing_ok=True)
    for path in mine[len(old):]:
        tighten(path)  # a kept backup found open to others (copied in, chmod-ed) is made owner-only
    return old


def backup_due(desk: Desk) -> bool:
    """True on the first start of a school day: no backup of this database made today yet."""
    today = desk.clock.today().strftime("%Y%m%d")
    prefix = backup_prefix(desk.store.path)
    return not any(p.name.startswith(f"{prefix}-{today}-") for p in list_backups(desk))


def daily_backup(desk: Desk, *, stop: Callable[[], bool] | None = None) -> Path | None:
    """The first start of a school day backs up; later starts that day do nothing (None).
    ``stop``: asked between steps of the copy; when it says so, the copy is removed (StoreError)."""
    if not backup_due(desk):
        return None
    return make_backup(desk, stop=stop)


def check(desk: Desk) -> CheckResult:
    """Integrity check, schema version and rows per table of the open database."""
    store = desk.store
    problems = store.integrity_check()
    counts = store.counts() if not problems else {}
    return CheckResult(store.path, problems, store.version, bool(_passphrase(desk)), counts)


def check_file(path: str | Path, passphrase: str | None) -> CheckResult:
    """Check a database file without opening it for writing (for a file that may be damaged)."""
    report = files.inspect(Path(path), passphrase)
    if report.problems and report.encrypted and passphrase:  # which pages, and that the passphrase is right
        from ..store.damage import diagnose

        report.problems[0] = diagnose(Path(path), passphrase) or report.problems[0]
    return CheckResult(report.path, report.problems, report.version, report.encrypted, report.counts,
                       report.guards, report.guards_put_back)


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
    return _why_other(file_identity(source, _passphrase(desk)), school, ident, bool(desk.store.get_meta(DEMO_KEY)))


def _why_other(theirs: dict[str, str], school: str, ident: str, ours_demo: bool) -> str | None:
    if ident and theirs.get(UUID_KEY) == ident:
        return None
    if bool(theirs.get(DEMO_KEY)) != ours_demo:
        return "it is the demo school's database" if not ours_demo else "it is not the demo school's database"
    if theirs.get(SCHOOL_KEY) and school and theirs[SCHOOL_KEY] != school:
        return f"it belongs to the school '{theirs[SCHOOL_KEY]}', not '{school}'"
    if ident and theirs.get(UUID_KEY):
        return "it is a different database (not a backup of this one)"
    return None


def _check_source(source: Path, db: Path, passphrase: str | None) -> None:
    """Refuse a restore source that is the database itself, or not a sound advocate-tui database."""
    if source.resolve() == db.resolve():
        raise StoreError("that is the database itself; choose a backup file")
    try:
        report = files.inspect(source, passphrase)
    except StoreError as exc:
        raise StoreError(f"{exc}; nothing was restored") from None
    if not report.ok:
        raise StoreError(f"{source} is not a sound advocate-tui database ({report.problems[0]}); nothing was restored")


def _refuse_other(source: Path, why: str | None) -> None:
    if why:
        raise StoreError(f"{source} is from another school ({why}); nothing was restored "
                         "(--force-other-school restores it anyway)")


def restore(desk: Desk, source: str | Path, *, force_other_school: bool = False) -> Path:
    """Replace the database's contents with ``source``; return where the database as it was is kept.

    Refuses (StoreError, nothing changed) a file that is not a sound advocate-tui database, is from a
    newer version, is another school's (unless ``force_other_school``), or while another desk has the
    database open. The source must be plain or encrypted under this database's passphrase; a plain one
    restored into an encrypted database is encrypted under the current passphrase. A sound database is
    kept as a backup first; a damaged one is renamed aside (:func:`damaged_aside`) and the restored
    copy put in its place.
    """
    source = Path(source).expanduser()
    _check_source(source, desk.store.path, _passphrase(desk))
    if not force_other_school:
        _refuse_other(source, other_school(desk, source))
    files.take_sole_access(desk.store.db.conn, desk.store.path)  # no other desk may have it open
    try:
        kept = _restore_held(desk, source)
    finally:
        files.release_sole_access(desk.store.db.conn)
    return kept


def restore_unopenable(db: str | Path, source: str | Path, *, passphrase: str | None, profile, clock,
                       user: str = "advocate", force_other_school: bool = False) -> tuple[Store, Path]:
    """Put the sound backup ``source`` in place of the database file ``db`` that can't be opened at all
    (damaged: :class:`~advocate_tui.store.engine.DamagedError`); return the restored store and where the
    damaged file is kept (renamed aside, 0600, with its -wal). Nothing is deleted.

    The damaged file's own identity can't be read, so ``source`` is checked against the profile's
    school (refused when it names another school, or is the demo, unless ``force_other_school``), and
    must open with ``passphrase``. Refused while another desk has the file open.
    """
    db, source = Path(db).expanduser().absolute(), Path(source).expanduser()
    _check_source(source, db, passphrase)
    if not force_other_school:
        _refuse_other(source, _why_other(file_identity(source, passphrase), profile.school.short_name or "", "", False))
    if files.open_elsewhere(db):
        raise StoreError(f"{db} is open on another desk; close the app everywhere and try again")
    aside = damaged_aside(db, clock)
    files.restore_into(None, source, passphrase=passphrase, work_dir=db.parent, live=db, aside=aside)
    store = Store.open(db, tz=profile.school.timezone, passphrase=passphrase, now=clock.now, user=user, create=False)
    _record_restore(store, source, aside)
    return store, aside


def damaged_aside(db: Path, clock) -> Path:
    """Where a damaged database is kept when a backup takes its place: beside it, named with the time
    (``school-damaged-YYYYMMDD-HHMMSS.db`` for ``school.db``); never one of its backups, never pruned."""
    stem = f"{backup_prefix(db)}-damaged-{clock.now().strftime('%Y%m%d-%H%M%S')}"
    target, n = db.with_name(f"{stem}.db"), 1
    while target.exists():
        n += 1
        target = db.with_name(f"{stem}-{n}.db")
    return target


def _restore_held(desk: Desk, source: Path) -> Path:
    """The restore itself, with the database held exclusively: a sound database is backed up first, a
    damaged one (the online backup can't read it) is renamed aside and replaced."""
    store = desk.store
    try:
        kept = make_backup(desk, label="before-restore")
    except StoreError:
        if not _damaged(store):
            raise
        kept = damaged_aside(store.path, desk.clock)
        files.restore_into(store.db.conn, source, passphrase=_passphrase(desk), work_dir=store.path.parent,
                           live=store.path, aside=kept)
        desk.store = type(store).open(store.path, tz=store.tz, passphrase=_passphrase(desk), now=store._now,
                                      user=store.user, create=False)  # the file was replaced
    else:
        files.restore_into(store.db.conn, source, passphrase=_passphrase(desk), work_dir=store.path.parent,
                           salt=_salt(desk))
    _record_restore(desk.store, source, kept)
    return kept


def _damaged(store: Store) -> bool:
    try:
        return bool(store.integrity_check())
    except _engine.DatabaseError:
        return True


def _record_restore(store: Store, source: Path, kept: Path) -> None:
    """Bring the restored schema up to date and record the restore in the audit trail."""
    store.migrate()
    store.record_restore(f"restored from {source.name}; the database before is {kept.name}")


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
        _engine.forget_keys()  # the old passphrase's key is no use any more
    else:
        files.encrypt_in_place(store.path, store.db.conn, new_passphrase)
    protect(store.path)


