"""``advocate report``: the de-identified program report."""

from __future__ import annotations

import argparse
import datetime as dt

from .common import CliError, add_db_options, db_path, resolve_profile, warn_guards


def register(sub: argparse._SubParsersAction) -> None:
    report = sub.add_parser(
        "report", help="de-identified program report (Markdown, CSV)",
        description="Write the de-identified program report for a range of days: incidents by behaviour, location, "
                    "time and day, students by number of incidents, referrals, attendance follow-ups, door and "
                    "patrol exceptions. No names or student numbers; counts from 1 to 4 are shown as <5.")
    report.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="first day (default: start of the school year)")
    report.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="last day (default: today)")
    report.add_argument("--out", metavar="DIR", default=".", help="folder to write to (default: the current folder)")
    add_db_options(report)
    report.set_defaults(func=run_report)


def _date(text: str | None, flag: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CliError(f"{flag} {text!r} is not a date like 2026-11-23", 2) from None


def run_report(args: argparse.Namespace) -> int:
    """``advocate report [--from] [--to] [--out] [--db]``: prints the two file paths."""
    from ..desk import Desk
    from ..services.report import write_report
    from ..services.stats import DateRange, school_year
    from .passphrase import startup_passphrase

    start, end = _date(args.start, "--from"), _date(args.end, "--to")
    db = db_path(args)
    if not db.exists():
        raise CliError(f"no database at {db}")
    desk = warn_guards(Desk.open(db, resolve_profile(args), passphrase=startup_passphrase(args, db)))
    try:
        today = desk.clock.today()
        end = end or today
        start = start or school_year(end).start
        if start > end:
            raise CliError(f"--from {start.isoformat()} is after --to {end.isoformat()}", 2)
        try:
            files = write_report(desk, DateRange(start, end), args.out)
        except OSError as exc:
            raise CliError(f"cannot write the report in {args.out}: {exc.strerror or exc}") from None
        print(f"program report {start.isoformat()} to {end.isoformat()}:")
        print(f"  {files.markdown}")
        print(f"  {files.csv}")
    finally:
        desk.close()
    return 0
