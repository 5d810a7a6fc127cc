"""Commands that start the app (``advocate``, ``advocate demo``) and ``advocate schemas``."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import add_db_options, default_db_path, profile_file, resolve_passphrase, resolve_profile


def register(sub: argparse._SubParsersAction) -> None:
    demo = sub.add_parser("demo", help="the app on a demo school with a fictional roster and a day of sample activity",
                          description="Run the app on the built-in demo school (fictional students, unencrypted).")
    add_db_options(demo)
    demo.set_defaults(func=run_demo)
    schemas = sub.add_parser("schemas", help="write the JSON Schemas of every record, bundle, export and report",
                             description="Write the JSON Schemas of every record, of the handoff bundle, of the JSON "
                                         "export's lines and manifest, and of the JSON report.")
    schemas.add_argument("--out", metavar="DIR", default="schemas", help="folder to write to (default: ./schemas)")
    schemas.set_defaults(func=run_schemas)


def _launch(desk, *, coordinator: bool = False, locked: bool = False) -> int:
    from ..app import AdvocateApp

    app = AdvocateApp(desk, coordinator=coordinator, locked=locked)
    try:
        app.run()
    finally:
        desk.close()
    return app.return_code or 0


def run_app(args: argparse.Namespace) -> int:
    """``advocate [--db PATH] [--coordinator]``: the app on the school's database."""
    from ..desk import Desk

    profile = resolve_profile(args)
    db = Path(args.db) if args.db else default_db_path()
    from .data_cmds import start_of_day
    from .passphrase import school_passphrase

    passphrase = school_passphrase(args, db)
    desk = Desk.open(db, profile, passphrase=passphrase, verify=False, migrate=False)
    desk.extras["profile_path"] = profile_file(args)  # where the roster import screen remembers a column map
    try:
        # The damaged-file check reads the whole file (~1 s for a decade): it runs on its own connection
        # while Textual is imported (SQLite leaves the GIL), and must pass before anything is written.
        check = _verify_in_background(db, passphrase)
        from ..app import AdvocateApp  # noqa: F401

        check()
        _migrate(desk.store, db)
    except BaseException:
        desk.close()
        raise
    start_of_day(desk, args)  # the PIN chosen at first start; the school day's first backup
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


def _verify_in_background(db: Path, passphrase: str | None):
    """Start ``PRAGMA quick_check`` of ``db`` in a thread; return a function that waits for it and
    raises its :class:`StoreError` (a damaged file) if any."""
    import threading

    from ..store import engine

    outcome: list[BaseException] = []

    def check() -> None:
        try:
            engine.connect(db, passphrase=passphrase, create=False, verify=True).close()
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            outcome.append(exc)

    thread = threading.Thread(target=check, name="advocate-verify", daemon=True)
    thread.start()

    def wait() -> None:
        thread.join()
        if outcome:
            raise outcome[0]

    return wait


def run_demo(args: argparse.Namespace) -> int:
    """``advocate demo [--db PATH]``: build the demo school on first use, then run the app on it."""
    from ..clock import Clock
    from ..demo import demo_db_path, ensure_demo
    from ..desk import Desk
    from ..profile import demo_profile

    profile = demo_profile() if not args.profile else resolve_profile(args)
    clock = Clock(profile)
    db = Path(args.db) if args.db else demo_db_path()
    from ..services.backup import DEMO_KEY, demo_status
    from .common import CliError

    if demo_status(db) == "other":  # a real school's database (encrypted or not) is never the demo
        raise CliError(f"{db} is not the demo school's database; open it with advocate --db {db}")
    store = ensure_demo(db, profile, clock)
    desk = Desk(profile=profile, clock=clock, store=store, demo=bool(store.get_meta(DEMO_KEY)))
    desk.extras["profile_path"] = Path(args.profile) if args.profile else None
    return _launch(desk, coordinator=getattr(args, "coordinator", False), locked=getattr(args, "locked", False))


def run_schemas(args: argparse.Namespace) -> int:
    """``advocate schemas [--out DIR]``."""
    from ..schemas import write_schemas

    for path in write_schemas(Path(args.out)):
        print(path)
    return 0
