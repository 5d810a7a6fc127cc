"""``advocate roster import FILE [--partial | --deactivate-missing] [--map] [--encoding] [--db]``: the school's roster.

Prints the summary (the layout recognised, how the file was read, the columns used) and each rejected row
by line number and field name: never a student's name or number. A ``--map`` that was used is remembered
in the school profile file (``[roster.map]``), so the next file in that layout needs none.
A file it can't read at all is one line and exit 1, and the database is not touched. The good rows of a
file with rejected rows are imported (one transaction) and the command exits 3 (:data:`INCOMPLETE`), as
it does when the deactivation of students missing from a full roster was held back.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import (CliError, add_db_options, add_plain_option, default_db_path, profile_file, resolve_profile,
                     warn_guards)

#: Rows from which a progress bar is drawn (on a terminal only).
PROGRESS_FROM = 10_000
#: Exit code when the good rows were imported but some were rejected, or deactivation was held back.
INCOMPLETE = 3


def register(sub: argparse._SubParsersAction) -> None:
    roster = sub.add_parser("roster",
                            help="import the school's roster (OneRoster, a student-list export or a CSV)",
                            description="The school's roster: students from OneRoster, a school system's student "
                                        "list or a simple CSV.")
    rsub = roster.add_subparsers(dest="roster_command", metavar="ACTION", parser_class=type(roster))
    roster.set_defaults(func=_usage)
    imp = rsub.add_parser(
        "import", help="students from OneRoster (users.csv, folder or zip), a school system's student list or a CSV",
        description="Import students from a OneRoster 1.1 users.csv, a OneRoster 1.2 folder or zip (roles in "
                    "roles.csv), the student-list export of PowerSchool, Infinite Campus, Clever (students.csv), "
                    "Skyward, Aeries or Synergy, or a CSV with "
                    "student_id,given_name,family_name,grade[,homeroom][,preferred_name]; any other layout once with "
                    "--map (remembered in the school profile). Commas, tabs, semicolons or pipes; UTF-8, UTF-16 or "
                    "Windows-1252 (found from the bytes). Other roles are skipped and counted. Grades must be "
                    "OneRoster/Ed-Fi levels (IT, PR, PK, TK, KG, 01-13, PS, UG, Other) or 1-13. Running it twice "
                    "changes nothing. A full roster marks students missing from it inactive (their records stay), but"
                    " only when no row was rejected and fewer than half of the active students are missing "
                    "(--deactivate-missing overrides both); --partial never deactivates. Rows marked tobedeleted "
                    "deactivate their student. The good rows are imported even when some are rejected (one "
                    "transaction). Exit 0: all done; 3: imported, but rows were rejected or missing students were "
                    "left active (see the summary); 1: nothing imported; 2: a malformed --map.")

    imp.add_argument("file", metavar="FILE",
                     help="users.csv, a OneRoster folder or .zip, a student-list export or a CSV")
    scope = imp.add_mutually_exclusive_group()
    scope.add_argument("--partial", action="store_true",
                       help="a partial roster (one grade, new arrivals): don't deactivate students missing from it")
    scope.add_argument("--deactivate-missing", action="store_true",
                       help="deactivate students missing from this full roster even if rows were rejected or half "
                            "or more of the active students are missing")
    imp.add_argument("--map", metavar="FIELD=COLUMN,...", action="append",
                     help="which column holds each field, for a layout not recognised (or to change one column of "
                          "it): student_id, given_name and family_name are needed, grade, homeroom and "
                          "preferred_name optional, e.g. --map 'student_id=Pupil No,given_name=Forename,"
                          "family_name=Surname,grade=Year'; remembered in the school profile ([roster.map])")
    imp.add_argument("--encoding", metavar="NAME",
                     help="the file's encoding when it is not UTF-8, UTF-16 or Windows-1252 (for example cp437); "
                          "overrides the one found")
    imp.add_argument("--org", metavar="SOURCEDID",
                     help="a district-wide OneRoster export: only students of this school (its org sourcedId)")
    add_db_options(imp)
    add_plain_option(imp)
    imp.set_defaults(func=run_import)


def _usage(args: argparse.Namespace) -> int:
    raise CliError("say what to do: 'advocate roster import FILE'", 2)


class _Bar:
    """A one-line progress bar on stderr, redrawn in place."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        self.stream.write(f"\rimporting [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


def run_import(args: argparse.Namespace) -> int:
    """Read the whole file first (refusing before the database is opened), then import in one transaction;
    then remember a --map that was used in the profile file."""
    from ..desk import Desk
    from ..services.roster import RosterError, apply_roster, read_roster
    from ..services.roster_layouts import parse_map
    from ..wording import Words

    try:
        column_map = parse_map(args.map, option="--map") if args.map else None
    except RosterError as exc:
        raise CliError(str(exc), 2) from None
    profile = resolve_profile(args)
    try:
        parsed = read_roster(args.file, encoding=args.encoding, org=args.org, column_map=column_map,
                             saved_map=profile.roster.map, words=Words.of(profile))
    except RosterError as exc:
        raise CliError(str(exc)) from None
    db = Path(args.db).expanduser() if getattr(args, "db", None) else default_db_path()
    from .passphrase import school_passphrase

    desk = warn_guards(Desk.open(db, profile, passphrase=school_passphrase(args, db)))
    bar = _Bar() if parsed.rows >= PROGRESS_FROM and sys.stderr.isatty() else None
    try:
        try:
            summary = apply_roster(desk.store, parsed, partial=args.partial,
                                   deactivate_missing=args.deactivate_missing, progress=bar)
        except RosterError as exc:
            for rejected in parsed.rejected:
                print(f"rejected {rejected}")
            raise CliError(str(exc)) from None
        finally:
            if bar is not None:
                bar.close()
        for line in summary.lines():
            print(line)
    finally:
        desk.close()
    if column_map and column_map != profile.roster.map:
        _remember(args, column_map)
    return 0 if summary.complete else INCOMPLETE


def _remember(args: argparse.Namespace, column_map: dict[str, str]) -> None:
    """Keep the --map in the profile file: a line saying where, or why not (the import stands either way)."""
    from ..profile import ProfileError
    from ..services.roster_memory import remember_map
    from .common import one_line

    where = profile_file(args)
    if where is None:
        print("advocate: the column map was used but not remembered: the built-in demo profile is in use "
              "(give the school's --profile FILE to keep it there)", file=sys.stderr)
        return
    try:
        remember_map(where, column_map)
    except ProfileError as exc:
        print(f"advocate: the column map was used but not remembered: {one_line(str(exc))}", file=sys.stderr)
        return
    print(f"column map remembered in {one_line(str(where))} [roster.map]: the next file with these columns needs "
          "no --map")
