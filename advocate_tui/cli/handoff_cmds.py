"""``advocate handoff export``, ``import`` and ``reply``: bundles and the coordinator's replies from the command line.

Prints file paths and counts only, never student data.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import (CliError, add_db_options, add_plain_option, default_db_path, one_line, resolve_passphrase,
                     refuse_other_school, resolve_profile, warn_guards)

#: the longest note for the advocate a reply carries (characters; the note file is read no further)
NOTE_MAX = 4000


def register(sub: argparse._SubParsersAction) -> None:
    handoff = sub.add_parser("handoff", help="write or import a day's handoff bundle, or the coordinator's reply",
                             description="Handoff bundles: export a past day's handoffs, import one as the coordinator; "
                                         "the coordinator's reply to a school, and its import at the school.")
    hsub = handoff.add_subparsers(dest="handoff_command", metavar="ACTION", parser_class=type(handoff))
    handoff.set_defaults(func=lambda args: _usage(handoff))

    export = hsub.add_parser("export", help="the day's handoff bundle (JSON, Markdown, CSV)",
                             description="Write the bundle of every handoff signed on a day, without signing anything new.")
    export.add_argument("--date", metavar="YYYY-MM-DD", help="the school day (default: today)")
    export.add_argument("--out", metavar="DIR", help="folder to write to (default: the profile's handoff folder)")
    add_db_options(export)
    export.set_defaults(func=run_export)

    imp = hsub.add_parser("import", help="a bundle into the coordinator's database, or a reply into the school's; "
                                         "idempotent",
                          description="Import a signed handoff bundle (.json) into the coordinator's database, or "
                                      "the coordinator's signed reply (reply-….json) into the school's database; "
                                      "importing the same file twice changes nothing. A school's first bundle "
                                      "(a coordinator's first reply) is taken only once its desk key's fingerprint "
                                      "is confirmed (at the prompt, or with --trust).")
    imp.add_argument("file", metavar="FILE", help="the handoff-….json bundle or reply-….json reply")
    imp.add_argument("--trust", metavar="FINGERPRINT",
                     help="trust the signing desk key with this fingerprint (compare it with 'advocate check' at "
                          "the desk that wrote the file): needed for a school's first bundle (a coordinator's first "
                          "reply) without a terminal, and for a second desk of one already trusted")
    add_db_options(imp)
    add_plain_option(imp)
    imp.set_defaults(func=run_import)

    rep = hsub.add_parser("reply", help="the coordinator's signed reply to a school (decisions, schedules, a note)",
                          description="Write the coordinator's signed reply to each school with something new since "
                                      "the last reply to it: every referral accepted, scheduled (time and place), "
                                      "declined (with the reason) or closed (with the outcome), and the "
                                      "coordinator's notes. The school imports it with 'advocate handoff import FILE'.")
    rep.add_argument("--school", metavar="SHORT", help="only this school (its short name; default: every school "
                                                       "with something new)")
    rep.add_argument("--note-file", metavar="FILE", help="a note for the advocate, read from FILE ('-': standard "
                                                         "input), so no note shows in the process list")
    rep.add_argument("--all", dest="everything", action="store_true",
                     help="every referral the coordinator has answered, not only what changed since the last reply")
    rep.add_argument("--out", metavar="DIR", help="folder to write to (default: the profile's handoff folder)")
    add_db_options(rep)
    rep.set_defaults(func=run_reply)


def _usage(parser: argparse.ArgumentParser) -> int:
    raise CliError("say what to do: 'advocate handoff export', 'advocate handoff import FILE' or "
                   "'advocate handoff reply'", 2)


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

    desk = refuse_other_school(_desk(args, create=False), args)  # (the school's own bundles, under its name)
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
                print(f"  {one_line(str(p))}")
    finally:
        desk.close()
    return 0


def run_import(args: argparse.Namespace) -> int:
    """``advocate handoff import FILE [--trust FINGERPRINT] [--db]``: all checks first, then one transaction."""
    from ..clock import Clock
    from ..services.bundle import BundleError, check_import, check_time, file_format, finish_import, load_bundle
    from ..services.reply import REPLY_FORMAT
    from ..services.signing import normalize_fingerprint
    from ..services.trust import HOW_FLAG, HOW_PROMPT, TrustError, confirmed
    from .passphrase import interactive

    if file_format(args.file) == REPLY_FORMAT:
        return run_reply_import(args)
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


def run_reply_import(args: argparse.Namespace) -> int:
    """``advocate handoff import REPLY.json [--trust FINGERPRINT] [--db]``: the coordinator's reply into the
    school's own database; every check first, then one transaction; nothing is created."""
    from ..services.bundle import BundleError
    from ..services.reply import check_reply_import, finish_reply_import, load_reply
    from ..services.signing import normalize_fingerprint
    from ..services.trust import HOW_FLAG, HOW_PROMPT, TrustError, confirmed
    from .passphrase import interactive, school_passphrase

    trust = getattr(args, "trust", None)
    try:
        reply = load_reply(args.file)  # a bad file is refused before the database is opened
    except BundleError as exc:
        raise CliError(str(exc)) from None
    if trust is not None:
        try:
            confirmed(trust, reply.signature.fingerprint)
        except TrustError as exc:
            raise CliError(f"not imported: {exc}", 1 if normalize_fingerprint(trust) else 2) from None
    db = Path(args.db).expanduser() if getattr(args, "db", None) else default_db_path()
    if not db.exists():
        raise CliError(f"not imported: no database at {db}; a reply is imported into the database of the school "
                       "it answers (--db SCHOOL.db)")
    from ..desk import Desk

    desk = Desk.open(db, resolve_profile(args), passphrase=school_passphrase(args, db))
    how = HOW_FLAG
    try:
        try:
            pending = check_reply_import(desk, args.file)
            if pending.needs_flag and trust is None:
                raise CliError(pending.refusal())
            if trust is None and pending.needs_confirmation:
                if not interactive():
                    raise CliError(pending.refusal())
                trust, how = _confirm_reply_key(reply), HOW_PROMPT
            result = finish_reply_import(desk, pending, trust=trust, how=how)
        except BundleError as exc:
            raise CliError(str(exc)) from None
        if result.trusted_now:
            print(f"trusted the coordinator's desk key {pending.fingerprint} for {reply.coordinator_short}")
        print(("imported " if result.changed else "already imported, nothing changed: ") + result.line())
    finally:
        desk.close()
    return 0


def _confirm_reply_key(reply) -> str:
    """Ask at the terminal whether to trust a coordinator's desk key; its fingerprint if yes, else exit 1."""
    return _ask_trust(f"This database has not taken a reply from {one_line(reply.coordinator)} "
                      f"({reply.coordinator_short}) yet.\nThe reply is signed by the desk key with the fingerprint",
                      reply.signature.fingerprint, "the coordinator's desk", reply.coordinator_short)


def run_reply(args: argparse.Namespace) -> int:
    """``advocate handoff reply [--school] [--note-file] [--all] [--out] [--db]``: prints paths and counts only."""
    import sys

    from ..services.reply import ReplyError, write_replies

    note = ""
    if getattr(args, "note_file", None):
        try:
            # (no more than a note can be: /dev/zero or a big file by mistake is refused, not read whole)
            if args.note_file == "-":
                note = sys.stdin.read(NOTE_MAX + 1)
            else:
                with open(args.note_file, encoding="utf-8") as fh:
                    note = fh.read(NOTE_MAX + 1)
        except OSError as exc:
            raise CliError(f"cannot read the note file {args.note_file}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise CliError(f"the note file {args.note_file} is not UTF-8 text") from None
        if len(note) > NOTE_MAX:
            raise CliError("the note for the advocate is too long (at most 4,000 characters)")
    desk = _desk(args, create=False)
    try:
        try:
            written = write_replies(desk, school=getattr(args, "school", None), note=note,
                                    out_dir=getattr(args, "out", None), everything=getattr(args, "everything", False))
        except ReplyError as exc:
            raise CliError(str(exc)) from None
        for w in written:
            print(w.line())
            for p in w.paths:
                print(f"  {one_line(str(p))}")
            print(f"  signed with the desk key {w.reply.signature.fingerprint}")
    finally:
        desk.close()
    return 0


def _confirm_key(bundle, can_ask: bool) -> str:
    """Ask at the terminal whether to trust a new school's desk key; its fingerprint if yes, else one line and exit 1."""
    from ..services.trust import new_party_refusal

    # the school's name comes from the file: nothing in it may drive the terminal (the model refuses
    # control characters in names; one_line is the terminal's own guard)
    school = one_line(bundle.school)
    short, fingerprint = bundle.school_short, bundle.signature.fingerprint

    if not can_ask:
        raise CliError(f"not imported: {new_party_refusal(short, fingerprint)}")
    return _ask_trust(f"This database does not serve {school} ({short}) yet.\n"
                      "The bundle is signed by the desk key with the fingerprint", fingerprint,
                      "that school's desk", short)


def _ask_trust(intro: str, fingerprint: str, where: str, party: str) -> str:
    """The trust question at the terminal (stderr): the fingerprint to compare, then [y/N]."""
    import sys

    print(f"{intro}\n\n    {fingerprint}\n\n"
          f"Compare it with the fingerprint 'advocate check' (or the handoff screen, H) shows at {where}.",
          file=sys.stderr)
    sys.stderr.write(f"Trust this key for {party} from now on? [y/N] ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    if answer.strip().lower() not in {"y", "yes"}:
        raise CliError("not imported: the key was not trusted; nothing was written")
    return fingerprint
