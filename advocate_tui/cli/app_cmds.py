"""Commands that start the app (``advocate``, ``advocate demo``) and ``advocate schemas``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import start_gc
from .common import PASSPHRASE_ENV, CliError, add_db_options, default_db_path, resolve_passphrase, resolve_profile

#: a database file up to this size is checked for damage before the app starts (a few milliseconds,
#: encrypted); a larger one after the first screen is up, every write held until it passes
CHECK_AT_START_BYTES = 2 * 1024 * 1024


def register(sub: argparse._SubParsersAction) -> None:
    demo = sub.add_parser("demo", help="the app on a demo school with a fictional roster and a day of sample activity",
                          description="Run the app on the built-in demo school (fictional students, unencrypted).")
    add_db_options(demo)
    demo.add_argument("--uk", action="store_true",
                      help="a UK secondary school instead (pupils, Year 7-13, day-first dates, terms with half-terms; "
                           "its own database, demo-uk.db)")
    # (SUPPRESS: `advocate --coordinator demo` keeps the top-level flag; a default here would undo it)
    demo.add_argument("--coordinator", action="store_true", default=argparse.SUPPRESS,
                      help="the coordinator's view of the demo school's handed-off referrals")
    demo.set_defaults(func=run_demo)
    schemas = sub.add_parser("schemas", help="write the JSON Schemas of every record, bundle, export and report",
                             description="Write the JSON Schemas of every record, of the handoff bundle, of the JSON "
                                         "export's lines and manifest, and of the JSON report.")
    schemas.add_argument("--out", metavar="DIR", default="schemas", help="folder to write to (default: ./schemas)")
    schemas.set_defaults(func=run_schemas)


def _launch(desk, *, coordinator: bool = False, locked: bool = False, first_start=None) -> int:
    from ..app import AdvocateApp

    app = AdvocateApp(desk, coordinator=coordinator, locked=locked, first_start=first_start)
    if app.keys_problem:  # one line, also shown on the desk when it opens
        print(f"advocate: {app.keys_problem}", file=sys.stderr)
    start_gc.resume(enable=False)  # what the start made is frozen out of later collections; the collector
    try:                           # is back on once the first screen is painted (advocate_tui/start_gc.py)
        app.run()
    finally:
        start_gc.after_first_screen()  # (the app ended before its first screen: on again all the same)
        if app.desk is not None:
            app.desk.close()
    if app.desk is None:  # the first-start walkthrough was left before the end
        raise CliError("the school was not set up; nothing was created (start again, or give --profile FILE)")
    return _after_start_finished(app.desk) or app.return_code or 0


def _after_start_finished(desk) -> int:
    """Once the app has closed: finish the day's backup if it is still being made, and say on stderr
    what went wrong after the start (the app said it too); 1 when the file may be damaged."""
    jobs = desk.extras.get("after_start")
    if jobs is None:
        return 0
    if jobs.backup_due:
        if jobs.running:
            print("advocate: finishing today's backup…", file=sys.stderr)
        jobs.finish()
    if jobs.damaged is not None:
        print(f"advocate: {jobs.damaged}", file=sys.stderr)
        return 1
    if jobs.backup_warning:
        print(f"advocate: warning: {jobs.backup_warning}", file=sys.stderr)
    return 0


def _refuse_unusable_path(db: Path) -> None:
    """A folder, or a file that can't be created: the store's own line, before anything is asked."""
    from ..store import StoreError
    from .passphrase import _creatable

    if db.is_dir():
        raise StoreError(f"{db} is a folder, not a database file")
    if not db.exists() and not _creatable(db):
        raise StoreError(f"cannot create {db}: its folder cannot be made or written")


def _derive_early(args: argparse.Namespace, db: Path) -> None:
    """A passphrase given to an existing encrypted file (not typed at a prompt): its key (~0.2 s of
    PBKDF2) starts being derived in a thread now, while pydantic, the profile and Textual are imported.
    Nothing is said or refused here: :func:`run_app` checks the file and the passphrase in its order."""
    from ..store import engine
    from .passphrase import existing_nonempty

    try:
        given = resolve_passphrase(args)
    except CliError:
        return  # (said where the passphrase is read)
    if given is not None and not db.is_dir() and existing_nonempty(db):
        engine.derive_ahead(db, given)


def run_app(args: argparse.Namespace) -> int:
    """``advocate [--db PATH] [--coordinator]``: the app on the school's database.

    The profile is --profile, $ADVOCATE_PROFILE or the saved profile.toml, never the demo school's.
    With none, a database of no school yet starts the first-start walkthrough (at a terminal) after
    the passphrase prompts; otherwise one line says how to give it. A profile of another school than
    the database's is refused before anything is written.
    """
    from ..store import engine
    from .passphrase import existing_nonempty, interactive, release_echo

    db = Path(args.db).expanduser() if args.db else default_db_path()
    _derive_early(args, db)
    from ..desk import Desk
    from ..services import school
    from .first_start import (FirstStart, ProfileChoice, choose_profile, configured_profile_path, keep_profile_copy,
                              no_profile_error)

    choice = choose_profile(args)
    _refuse_unusable_path(db)
    new_file = not existing_nonempty(db)
    if choice.profile is None and new_file and not interactive():  # a script: before any passphrase is read
        if resolve_passphrase(args) is None:
            raise CliError(f"{db} is a new school database: give its profile with --profile FILE and a passphrase "
                           f"of at least 8 characters with {PASSPHRASE_ENV} or --passphrase-file (nothing was created)")
        raise no_profile_error(db, school.Identity())
    from .data_cmds import start_of_day
    from .passphrase import school_passphrase

    args.school_setup = choice.profile is None  # the passphrase prompt says what comes after it
    passphrase = school_passphrase(args, db)
    if not new_file:  # the file's key (~0.16 s of PBKDF2) is derived in a thread while Textual is imported
        engine.derive_ahead(db, passphrase)
        from ..app import AdvocateApp  # noqa: F401
    ours = school.Identity() if new_file else school.file_identity(db, passphrase)
    if choice.profile is None and ours.demo:  # the demo's own database (e.g. a desk of `advocate serve`)
        from ..profile import demo_profile_named

        choice = ProfileChoice(demo_profile_named(ours.short_name), "the demo school's", from_file=False)
    if choice.profile is None:
        if not new_file:
            # read-only, locked, damaged: that line first (the file check reads it all, only on this path)
            engine.connect(db, passphrase=passphrase, create=False, verify=True).close()
        if ours.settled or ours.demo or not interactive():
            raise no_profile_error(db, ours)
        print(f"advocate: first start: now the school's profile, on screen (saved to {configured_profile_path()})",
              file=sys.stderr)
        release_echo()  # the app takes the terminal next
        return _launch(None, coordinator=getattr(args, "coordinator", False),
                       first_start=FirstStart(db, passphrase, args))
    if (why := school.mismatch(choice.profile, ours, db, choice.path)) is not None:
        raise CliError(why)
    desk = Desk.open(db, choice.profile, passphrase=passphrase, verify=False, migrate=False, demo=ours.demo)
    desk.extras["profile_path"] = choice.file  # where the roster import screen remembers a column map
    try:
        # The damaged-file check reads the whole file (~4 s for a decade, encrypted): it runs in its own
        # thread once the first screen is up, and every write waits for it (store/filecheck.py). A small
        # file's takes milliseconds: it is done here, so a damaged one is refused in one line.
        check = desk.store.check_later()
        if db.stat().st_size <= CHECK_AT_START_BYTES:
            check.wait()
        _migrate(desk.store, db)  # writes only when the schema is behind: after the check, then
        notes = school.claim(desk, choice.path)
    except school.OtherSchool as exc:
        desk.close()
        raise CliError(str(exc)) from None
    except BaseException:
        desk.close()
        raise
    if not ours.settled and (kept := keep_profile_copy(choice)):
        notes.append(kept)
    for note in notes:
        print(f"advocate: {note}", file=sys.stderr)
    start_of_day(desk, args, backup=False)  # the PIN chosen at first start
    from ..services.after_start import AfterStart
    from ..services.backup import backup_due

    # the check, then the school day's first backup: in the background once the first screen is up
    desk.extras["after_start"] = AfterStart(desk, backup=backup_due(desk))
    return _launch(desk, coordinator=getattr(args, "coordinator", False), locked=getattr(args, "locked", False))


def _migrate(store, db: Path) -> None:
    """Bring the schema up to date, a failure being one clear line (as ``Store.open`` says it)."""
    from ..store import LATEST_VERSION, StoreError

    try:
        store.migrate()
    except StoreError:
        raise
    except Exception as exc:  # a failing migration is rolled back: the file is as it was
        raise StoreError(f"{db} could not be updated to schema {LATEST_VERSION} ({exc}); it was left unchanged") from None


def run_demo(args: argparse.Namespace) -> int:
    """``advocate demo [--db PATH]``: build the demo school on first use, then run the app on it.

    On a day without school the demo's clock is moved back to the last school day, so it shows a
    working day (its title says DEMO, and a notice says which day it shows)."""
    from ..clock import Clock
    from ..demo import demo_clock, demo_db_path, ensure_demo
    from ..desk import Desk
    from ..profile import demo_profile

    uk = getattr(args, "uk", False)
    profile = demo_profile(uk=uk) if not args.profile else resolve_profile(args)
    clock = demo_clock(profile)
    db = Path(args.db) if args.db else demo_db_path(uk=uk)
    from ..services.backup import DEMO_KEY, demo_status

    if demo_status(db) == "other":  # a real school's database (encrypted or not) is never the demo
        raise CliError(f"{db} is not the demo school's database; open it with advocate --db {db}")
    store = ensure_demo(db, profile, clock)
    desk = Desk(profile=profile, clock=clock, store=store, demo=bool(store.get_meta(DEMO_KEY)))
    desk.extras["profile_path"] = Path(args.profile) if args.profile else None
    if (off := profile.calendar.day_off(Clock(profile).today())) is not None:
        desk.extras["start_notice"] = (f"No school today ({off}): the demo shows "
                                       f"{desk.words.spelled(clock.today())}, its last school day.")
    return _launch(desk, coordinator=getattr(args, "coordinator", False), locked=getattr(args, "locked", False))


def run_schemas(args: argparse.Namespace) -> int:
    """``advocate schemas [--out DIR]``."""
    from ..schemas import write_schemas

    try:
        written = write_schemas(Path(args.out))
    except OSError as exc:  # --out a file, or a folder that can't be made or written
        raise CliError(f"cannot write the schemas in {args.out}: {exc.strerror or exc}") from None
    for path in written:
        print(path)
    return 0
