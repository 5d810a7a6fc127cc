"""``advocate handoff export`` and ``advocate handoff import``: bundles from the command line.

Prints file paths and counts only, never student data.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import CliError, add_db_options, default_db_path, resolve_passphrase, resolve_profile


def register(sub: argparse._SubParsersAction) -> None:
    handoff = sub.add_parser("handoff", help="write or import a day's handoff bundle",
                             description="Handoff bundles: export a past day's handoffs, import one as the coordinator.")
    hsub = handoff.add_subparsers(dest="handoff_command", metavar="ACTION", parser_class=type(handoff))
    handoff.set_defaults(func=lambda args: _usage(handoff))

    export = hsub.add_parser("export", help="the day's handoff bundle (JSON, Markdown, CSV)",
                             description="Write the bundle of every handoff signed on a day, without signing anything new.")
    export.add_argument("--date", metavar="YYYY-MM-DD", help="the school day (default: today)")
    export.add_argument("--out", metavar="DIR", help="folder to write to (default: the profile's handoff folder)")
    add_db_options(export)
    export.set_defaults(func=run_export)

    imp = hsub.add_parser("import", help="a bundle into the coordinator's database; idempotent",
                          description="Import a handoff bundle (.json); importing the same bundle twice changes nothing.")
    imp.add_argument("file", metavar="FILE", help="the handoff-….json bundle")
    add_db_options(imp)
    imp.set_defaults(func=run_import)


def _usage(parser: argparse.ArgumentParser) -> int:
    raise CliError("say what to do: 'advocate handoff export' or 'advocate handoff import FILE'", 2)


def _desk(args: argparse.Namespace, *, create: bool):
    from ..desk import Desk

    profile = resolve_profile(args)
    db = Path(args.db).expanduser() if args.db else default_db_path()
    if not create and not db.exists():
        raise CliError(f"no database at {db}")
    if create:
        # A new coordinator database is encrypted like any school database: the passphrase from
        # $ADVOCATE_PASSPHRASE / --passphrase-file / a prompt, else one clear line and nothing created.
        from .passphrase import startup_passphrase

        return Desk.open(db, profile, passphrase=startup_passphrase(args, db))
    return Desk.open(db, profile, passphrase=resolve_passphrase(args))


def run_export(args: argparse.Namespace) -> int:
    """``advocate handoff export [--date] [--out] [--db]``."""
    import datetime as dt

    from ..services.bundle import BundleError, write_bundle
    from ..services.handoff import handoffs_on

    desk = _desk(args, create=False)
    try:
        if args.date:
            try:
                day = dt.date.fromisoformat(args.date)
            except ValueError:
                raise CliError(f"--date {args.date!r} is not a date like 2026-11-23", 2) from None
        else:
            day = desk.clock.today()
        handoffs = handoffs_on(desk, day)
        if not handoffs:
            raise CliError(f"no handoff was signed on {day.isoformat()}")
        for h in handoffs:
            try:
                paths = write_bundle(desk, h, args.out)
            except BundleError as exc:
                raise CliError(str(exc)) from None
            print(f"handoff {day.isoformat()} #{h.sequence}: {len(h.referral_ids)} referral(s)")
            for p in paths:
                print(f"  {p}")
    finally:
        desk.close()
    return 0


def run_import(args: argparse.Namespace) -> int:
    """``advocate handoff import FILE [--db]``: all checks first, then one transaction."""
    from ..services.bundle import BundleError, import_bundle, load_bundle

    try:
        load_bundle(args.file)  # refuse a bad file before even opening (or creating) the database
    except BundleError as exc:
        raise CliError(str(exc)) from None
    desk = _desk(args, create=True)
    try:
        try:
            result = import_bundle(desk, args.file)
        except BundleError as exc:
            raise CliError(str(exc)) from None
        print(("imported " if result.changed else "already imported, nothing changed: ") + result.line())
    finally:
        desk.close()
    return 0
