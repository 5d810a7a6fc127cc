"""``advocate backup`` · ``restore FILE`` · ``check`` · ``export --plain OUT.db | --json DIR`` · ``rekey`` · ``pin``.

Prints paths, counts and one-line errors only; never student data, never a passphrase.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .common import (CliError, add_db_options, default_db_path, one_line, parse_day, refuse_other_school,
                     resolve_profile, say_notices, warn_guards)
from .passphrase import NEW_PASSPHRASE_ENV, interactive, new_passphrase

PIN_ENV = "ADVOCATE_PIN"


def register(sub: argparse._SubParsersAction) -> None:
    backup = sub.add_parser("backup", help="back the database up now (online, encrypted like the database)",
                            description="Copy the database with SQLite's online backup API into backups/ beside "
                                        "it (the last 14 are kept), or into --out.")
    backup.add_argument("--out", metavar="PATH", help="a folder, or a new file name, for the backup")
    add_db_options(backup)
    backup.set_defaults(func=run_backup)

    restore = sub.add_parser("restore", help="replace the database with a backup (the current one is kept first)",
                             description="Check FILE (an advocate-tui database, sound, not newer than this "
                                         "version, this school's), back up the current database, then restore FILE "
                                         "into it. A damaged database (even one that can't be opened) is renamed "
                                         "aside as NAME-damaged-TIME.db beside it and FILE put in its place; when it "
                                         "can't be opened, that is asked first (--yes for scripts).")
    restore.add_argument("file", metavar="FILE", help="the backup to restore")
    restore.add_argument("--force-other-school", action="store_true",
                         help="restore a file from another school's (or the demo's) database anyway")
    restore.add_argument("--yes", action="store_true",
                         help="when the database can't be opened (damaged), put FILE in its place without asking "
                              "(the damaged file is kept beside it)")
    add_db_options(restore)
    restore.set_defaults(func=run_restore)

    check = sub.add_parser("check", help="integrity check, schema version and counts",
                           description="Check the database without changing it: integrity, schema version, "
                                       "encryption and rows per table. Exit 1 if it is damaged.")
    add_db_options(check)
    check.set_defaults(func=run_check)

    export = sub.add_parser("export", help="every record as JSON Lines, or a decrypted copy of the database",
                            description="--json DIR: every record with its history (audit trail) as JSON Lines, "
                                        "one file per kind, each line valid against its schema in schemas/, with "
                                        "the students and a manifest.json; without --with-names no names and no "
                                        "student numbers (a pseudonym per student, new in each export). "
                                        "--plain OUT.db: a decrypted (plain SQLite) copy for tools such as "
                                        "Datasette. Anyone who can read either sees the records: delete them when "
                                        "done.")
    what = export.add_mutually_exclusive_group(required=True)
    what.add_argument("--json", metavar="DIR", help="a new (or empty) folder to write the JSON Lines files into")
    what.add_argument("--plain", metavar="OUT.db", help="the new, unencrypted file to write")
    export.add_argument("--from", dest="start", metavar="YYYY-MM-DD",
                        help="--json: only records of this school day and after (default: from the first)")
    export.add_argument("--to", dest="end", metavar="YYYY-MM-DD",
                        help="--json: only records of this school day and before (default: to the last)")
    export.add_argument("--with-names", action="store_true",
                        help="--json: keep students' names and numbers (default: pseudonyms, no names)")
    add_db_options(export)
    export.set_defaults(func=run_export)

    rekey = sub.add_parser("rekey", help="change the database passphrase (or encrypt a plain database)",
                           description=f"Change the passphrase. The new one comes from ${NEW_PASSPHRASE_ENV}, "
                                       "--new-passphrase-file or a prompt, never from an argument. Close the app "
                                       "on every desk first; older backups keep the old passphrase.")
    rekey.add_argument("--new-passphrase-file", metavar="FILE", help="read the new passphrase from FILE")
    add_db_options(rekey)
    rekey.set_defaults(func=run_rekey)

    pin = sub.add_parser("pin", help="set or clear the PIN that unlocks the idle lock",
                         description=f"Set the idle-lock PIN (at least 4 characters) from ${PIN_ENV} or a prompt; "
                                     "--clear removes it (the passphrase unlocks). Only a salted hash is stored.")
    pin.add_argument("--clear", action="store_true", help="remove the PIN")
    add_db_options(pin)
    pin.set_defaults(func=run_pin)


def _db(args: argparse.Namespace) -> Path:
    db = Path(args.db).expanduser() if getattr(args, "db", None) else default_db_path()
    if not db.exists():
        raise CliError(f"no database at {db}")
    return db


def _passphrase(args: argparse.Namespace, db: Path) -> str | None:
    from .passphrase import startup_passphrase

    return startup_passphrase(args, db)


def _open(args: argparse.Namespace, *, verify: bool = True, passphrase: str | None = None):
    from ..clock import Clock
    from ..desk import Desk
    from ..store import Store

    db = _db(args)
    profile = resolve_profile(args)
    clock = Clock(profile)
    if passphrase is None:
        passphrase = _passphrase(args, db)
    store = Store.open(db, tz=profile.school.timezone, passphrase=passphrase, now=clock.now,
                       create=False, verify=verify)
    desk = warn_guards(Desk(profile=profile, clock=clock, store=store))
    return refuse_other_school(desk, args) if verify else desk  # (a restore has its own school checks)


def run_backup(args: argparse.Namespace) -> int:
    from ..services.backup import make_backup

    desk = _open(args)
    try:
        path = make_backup(desk, getattr(args, "out", None))
    finally:
        desk.close()
    print(f"backup written: {one_line(str(path))}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from ..services.backup import restore
    from ..services.security import is_encrypted
    from ..store import StoreError
    from ..store.engine import DamagedError
    from ..store.engine import is_encrypted as file_encrypted

    source = Path(args.file).expanduser()
    if not source.is_file():
        raise CliError(f"{source} is not a file")
    db = _db(args)
    passphrase = _passphrase(args, db)
    try:
        desk = _open(args, verify=False, passphrase=passphrase)  # a damaged database is what a restore repairs
    except DamagedError as exc:
        return _restore_unopenable(args, db, source, passphrase, exc)
    try:
        encrypted = is_encrypted(desk)
        try:
            kept = restore(desk, source, force_other_school=getattr(args, "force_other_school", False))
        except StoreError as exc:
            raise CliError(str(exc)) from None
        counts = desk.store.counts()
    finally:
        desk.close()
    print(one_line(f"restored {desk.store.path} from {source}"))
    if encrypted and not file_encrypted(source):
        print(f"{one_line(str(source))} was not encrypted: the restored database is encrypted under the current passphrase")
    if "-damaged-" in kept.name:
        print(one_line(f"the damaged database is kept in {kept}"))
    else:
        print(one_line(f"the database as it was before is kept in {kept}"))
    print(", ".join(f"{t}: {n}" for t, n in counts.items()))
    return 0


def _restore_unopenable(args: argparse.Namespace, db: Path, source: Path, passphrase: str | None, why) -> int:
    """``restore`` onto a database that can't be opened (damaged): after a confirmation (a prompt, or
    ``--yes``), the damaged file is renamed aside and the sound backup put in its place."""
    from ..clock import Clock
    from ..services.backup import restore_unopenable
    from ..store import StoreError

    if not getattr(args, "yes", False):
        if not interactive():
            raise CliError(f"{why.short}; to put {source} in its place (the damaged file is kept beside it), "
                           "run again with --yes")
        print(f"advocate: {one_line(why.short)}", file=sys.stderr)
        try:
            answer = input(one_line(f"Put {source} in place of {db.name}, keeping the damaged file beside it? [y/N] "))
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            raise CliError("nothing was restored")
    profile = resolve_profile(args)
    try:
        store, aside = restore_unopenable(db, source, passphrase=passphrase, profile=profile, clock=Clock(profile),
                                          force_other_school=getattr(args, "force_other_school", False))
    except StoreError as exc:
        raise CliError(str(exc)) from None
    try:
        counts = store.counts()
    finally:
        store.close()
    print(one_line(f"restored {db} from {source}"))
    print(one_line(f"the damaged database is kept in {aside}"))
    print(", ".join(f"{t}: {n}" for t, n in counts.items()))
    return 0


def run_check(args: argparse.Namespace) -> int:
    from ..private import tighten
    from ..services.backup import check_file

    from .passphrase import existing_nonempty

    db = _db(args)
    # nothing to open (no file, a folder, a device, an empty file): the check says what is there, without
    # the rules of a new database's passphrase ("... nothing was created" said nothing of the path)
    passphrase = _passphrase(args, db) if existing_nonempty(db) else None
    try:
        result = check_file(db, passphrase)
    finally:  # SQLite gives the -wal and -shm it makes the database's mode
        for side in (f"{db}-wal", f"{db}-shm"):
            tighten(Path(side), quiet=True)
    if result.ok:  # the check writes nothing into it, but an advocate-tui database open to other users is made
        tighten(db)  # owner-only (said on stderr); a file that is not one (or is damaged) is left as it was
    if not result.ok:
        from ..store.engine import damaged

        more = f"; {len(result.problems)} problems" if len(result.problems) > 1 else ""
        raise CliError(str(damaged(db, f"{result.problems[0]}{more}")))
    for line in result.lines():
        print(line)
    from ..services.trust import key_lines

    for line in key_lines(db, passphrase):
        print(line)
    if result.guards:
        raise CliError(f"{db}: {len(result.guards)} guard trigger(s) of the audit trail were removed or changed "
                       "outside advocate-tui, so records may have been changed without an audit entry; "
                       "opening the database with advocate-tui puts them back")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from ..services.backup import export_plain

    if args.json:
        return run_json_export(args)
    if args.start or args.end or args.with_names:
        raise CliError("--from, --to and --with-names go with --json, not --plain", 2)
    out = Path(args.plain).expanduser()
    if out.exists():
        raise CliError(f"{out} already exists; choose another name")
    desk = _open(args)
    try:
        path = export_plain(desk, out)
    finally:
        desk.close()
    print(f"advocate: warning: {one_line(str(path))} is NOT encrypted: anyone who can read it sees every student record. "
          "Keep it on this computer and delete it when done.", file=sys.stderr)
    print(f"plain copy written: {one_line(str(path))}")
    return 0


def run_json_export(args: argparse.Namespace) -> int:
    """``advocate export --json DIR [--from] [--to] [--with-names]``: prints the folder and lines per file."""
    from ..services.json_export import ExportError, export_json

    start, end = parse_day(args.start, "--from"), parse_day(args.end, "--to")
    if start and end and start > end:
        raise CliError(f"--from {start.isoformat()} is after --to {end.isoformat()}", 2)
    out = Path(args.json).expanduser()
    desk = _open(args)
    try:
        try:
            manifest = export_json(desk, out, start=start, end=end, with_names=args.with_names)
        except ExportError as exc:
            raise CliError(str(exc)) from None
        except OSError as exc:
            raise CliError(f"cannot write the export in {out}: {exc.strerror or exc}; nothing was kept") from None
    finally:
        desk.close()
    if args.with_names:
        print(f"advocate: warning: {one_line(str(out))} holds students' names and numbers: move it only as you "
              "would any student record, and delete it when done.", file=sys.stderr)
    span = f"{start.isoformat() if start else 'the first day'} to {end.isoformat() if end else 'the last'}"
    who = "with names" if args.with_names else "no names or student numbers (pseudonyms)"
    print(f"JSON export written to {one_line(str(out))} ({span}; {who}):")
    for f in manifest.files:
        print(f"  {f.file}: {f.lines} line(s), each valid against schemas/{f.schema_file}")
    print("  manifest.json")
    return 0


def run_rekey(args: argparse.Namespace) -> int:
    from ..services.backup import change_passphrase
    from ..services.security import SecretError

    desk = _open(args)
    was_encrypted = bool(getattr(desk.store, "_passphrase", None))
    try:
        new = new_passphrase(args)
        try:
            change_passphrase(desk, new)
        except SecretError as exc:
            raise CliError(str(exc)) from None
    finally:
        desk.close()
    print("passphrase changed" if was_encrypted else f"{desk.store.path} is now encrypted")
    print("backups made before keep the passphrase they were made with")
    return 0


def run_pin(args: argparse.Namespace) -> int:
    from ..services.security import SecretError, clear_pin, set_pin

    desk = _open(args)
    try:
        if args.clear:
            clear_pin(desk)
            print("idle-lock PIN removed: the passphrase unlocks")
            return 0
        pin = os.environ.get(PIN_ENV)
        if not pin:
            if not interactive():
                raise CliError(f"give the PIN with ${PIN_ENV} or run this at a terminal")
            import getpass

            pin = getpass.getpass("New PIN (at least 4 characters): ", stream=sys.stderr)
            if getpass.getpass("Type the PIN again: ", stream=sys.stderr) != pin:
                raise CliError("the two entries differ; the PIN was not changed")
        try:
            set_pin(desk, pin)
        except SecretError as exc:
            raise CliError(str(exc)) from None
    finally:
        desk.close()
    print("idle-lock PIN set")
    return 0


def start_of_day(desk, args: argparse.Namespace, *, quiet: bool = False, backup: bool = True) -> None:
    """Before the app starts: store a PIN chosen at first start; make the school day's first backup
    (``backup=False``: the app makes it in the background, :mod:`advocate_tui.services.after_start`).

    A failed backup does not stop the app: one warning line (the app shows the same in its status).
    ``quiet``: called from inside the running app (the first-start walkthrough), so nothing is printed
    and the terminal is left alone; warnings go to ``desk.extras`` for the app to show.
    """
    from ..services.backup import daily_backup
    from ..services.security import set_pin
    from ..store import StoreError

    from ..services.backup import ensure_identity

    from .passphrase import release_echo

    warn_guards(desk)  # found at open, put back by the migration step (the app shows it too)
    pin = getattr(args, "new_pin", None)
    if pin:
        set_pin(desk, pin)
        args.new_pin = None
    try:
        ensure_identity(desk)  # the school and database identity a restore checks
        if not desk.store.has_desk_key():  # the desk's signing key pair, made at first start
            from ..services.signing import desk_signer  # (cryptography: imported only then)

            desk_signer(desk)
    except StoreError:
        pass
    try:
        if backup:
            daily_backup(desk)
    except (StoreError, OSError) as exc:
        desk.extras["backup_warning"] = f"today's backup failed: {exc}"
        if not quiet:
            print(f"advocate: warning: today's backup failed ({exc})", file=sys.stderr)
    if quiet:
        return
    from ..services.security import is_encrypted

    if not desk.demo and not is_encrypted(desk):
        print(f"advocate: warning: {desk.store.path} is NOT encrypted; 'advocate rekey' encrypts it",
              file=sys.stderr)
    say_notices()  # before the app takes the terminal
    release_echo()  # the app takes the terminal next: drop keys typed since the prompt
