"""``advocate handoff export`` and ``advocate handoff import``: bundles from the command line.

Prints file paths and counts only, never student data.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import (CliError, add_db_options, add_plain_option, default_db_path, one_line, resolve_passphrase,
                     resolve_profile, warn_guards)


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
                          description="Import a signed handoff bundle (.json) into the coordinator's database; "
                                      "importing the same bundle twice changes nothing. A school's first bundle "
                                      "is taken only once its desk key's fingerprint is confirmed (at the prompt, "
                                      "or with --trust).")
    imp.add_argument("file", metavar="FILE", help="the handoff-….json bundle")
    imp.add_argument("--trust", metavar="FINGERPRINT",
                     help="trust the signing desk key with this fingerprint (compare it with 'advocate check' at "
                          "the school's desk): needed for a school's first bundle without a terminal, and for "
                          "a second desk of a school already served")
    add_db_options(imp)
    add_plain_option(imp)
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
        # $ADVOCATE_PASSPHRASE / --passphrase-file / a prompt, else one clear line and nothing created;
        # an unencrypted one is refused unless --allow-plain.
        from .passphrase import school_passphrase

        return warn_guards(Desk.open(db, profile, passphrase=school_passphrase(args, db)))
    return warn_guards(Desk.open(db, profile, passphrase=resolve_passphrase(args)))


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
    """``advocate handoff import FILE [--trust FINGERPRINT] [--db]``: all checks first, then one transaction."""
    from ..clock import Clock
    from ..services.bundle import BundleError, check_import, check_time, finish_import, load_bundle
    from ..services.signing import normalize_fingerprint
    from ..services.trust import HOW_FLAG, HOW_PROMPT, TrustError, confirmed
    from .passphrase import interactive

    trust = getattr(args, "trust", None)
    try:
        # refuse a bad file before even opening (or creating) the database
        bundle = load_bundle(args.file)
        check_time(Clock(resolve_profile(args)), bundle, Path(args.file).name)
    except BundleError as exc:
        raise CliError(str(exc)) from None
    if trust is not None:
        try:
            confirmed(trust, bundle.signature.fingerprint)  # checked before a new database is created
        except TrustError as exc:
            raise CliError(f"not imported: {exc}", 1 if normalize_fingerprint(trust) else 2) from None
    how = HOW_FLAG
    db = Path(args.db).expanduser() if getattr(args, "db", None) else default_db_path()
    if trust is None and not db.exists():
        # a new database serves no school yet: the key is confirmed before anything is created
        trust, how = _confirm_key(bundle, interactive()), HOW_PROMPT
    desk = _desk(args, create=True)
    try:
        try:
            pending = check_import(desk, args.file)
            if trust is None and pending.needs_confirmation:
                if not interactive():
                    raise CliError(pending.refusal())
                trust, how = _confirm_key(bundle, True), HOW_PROMPT
            result = finish_import(desk, pending, trust=trust, how=how)
        except BundleError as exc:
            raise CliError(str(exc)) from None
        if result.trusted_now:
            print(f"trusted the desk key {pending.fingerprint} for {bundle.school_short}")
        print(("imported " if result.changed else "already imported, nothing changed: ") + result.line())
    finally:
        desk.close()
    return 0


def _confirm_key(bundle, can_ask: bool) -> str:
    """Ask at the terminal whether to trust a new school's desk key; its fingerprint if yes, else one line and exit 1."""
    import sys

    from ..services.trust import new_party_refusal

    # the school's name comes from the file: nothing in it may drive the terminal (the model refuses
    # control characters in names; one_line is the terminal's own guard)
    school = one_line(bundle.school)
    short, fingerprint = bundle.school_short, bundle.signature.fingerprint

    if not can_ask:
        raise CliError(f"not imported: {new_party_refusal(short, fingerprint)}")
    print(f"This database does not serve {school} ({short}) yet.\n"
          f"The bundle is signed by the desk key with the fingerprint\n\n    {fingerprint}\n\n"
          "Compare it with the fingerprint 'advocate check' (or the handoff screen, H) shows at that school's desk.",
          file=sys.stderr)
    sys.stderr.write(f"Trust this key for {short} from now on? [y/N] ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    if answer.strip().lower() not in {"y", "yes"}:
        raise CliError("not imported: the key was not trusted; nothing was written")
    return fingerprint
