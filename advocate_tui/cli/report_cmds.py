"""``advocate report``: the de-identified program report, and ``--combine``: one district report from many."""

from __future__ import annotations

import argparse

from .common import (CliError, add_db_options, db_path, one_line, parse_day, refuse_other_school, resolve_profile,
                     warn_guards)


def register(sub: argparse._SubParsersAction) -> None:
    report = sub.add_parser(
        "report", help="de-identified program report (Markdown, CSV; exact counts in JSON for the district)",
        description="Write the de-identified program report for a range of days: incidents by behaviour, location, "
                    "time and day, students by number of incidents, referrals, attendance follow-ups, door and "
                    "patrol exceptions. No names or student numbers; in the Markdown and CSV, counts from 1 to 4 "
                    "are shown as <5. The .json beside them has the exact counts, for the district only (it is "
                    "what --combine adds up). --combine DIR: one district report from every school's .json report "
                    "in DIR, suppressed after adding up.")
    report.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="first day (default: start of the school year)")
    report.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="last day (default: today)")
    report.add_argument("--out", metavar="DIR", default=".", help="folder to write to (default: the current folder)")
    report.add_argument("--combine", metavar="DIR",
                        help="combine the schools' JSON reports in DIR (every *.json there) into one district report")
    report.add_argument("--school", metavar="SHORT", help="in a coordinator's database: one school's records only, by "
                                                          "its short name (default: every school it serves)")
    add_db_options(report)
    report.set_defaults(func=run_report)


def run_report(args: argparse.Namespace) -> int:
    """``advocate report [--from] [--to] [--out] [--school] [--db]``: prints the file paths."""
    from ..desk import Desk
    from ..services.report import write_report
    from ..services.stats import DateRange, school_year
    from .passphrase import startup_passphrase

    if args.combine:
        return run_combine(args)
    start, end = parse_day(args.start, "--from"), parse_day(args.end, "--to")
    db = db_path(args)
    if not db.exists():
        raise CliError(f"no database at {db}")
    desk = refuse_other_school(warn_guards(Desk.open(db, resolve_profile(args), passphrase=startup_passphrase(args, db))),
                               args)
    try:
        today = desk.clock.today()
        end = end or today
        start = start or school_year(end, desk.profile.calendar).start
        if start > end:
            raise CliError(f"--from {start.isoformat()} is after --to {end.isoformat()}", 2)
        school = getattr(args, "school", None)
        if school is not None:
            from ..services.schools import is_coordinator, served

            shorts = [s.short for s in served(desk)]
            if school not in shorts:
                raise CliError(f"--school {school!r} is not a school this database holds (it holds: "
                               f"{', '.join(shorts)})", 2)
            if not is_coordinator(desk):
                school = None  # a school's own database: everything is that school's
        try:
            files = write_report(desk, DateRange(start, end), args.out, school)
        except OSError as exc:
            raise CliError(f"cannot write the report in {args.out}: {exc.strerror or exc}") from None
        print(f"program report {start.isoformat()} to {end.isoformat()}:")
        print(f"  {one_line(str(files.markdown))}")
        print(f"  {one_line(str(files.csv))}")
        print(f"  {one_line(str(files.json))}  (exact counts: confidential, for the district only)")
    finally:
        desk.close()
    return 0


def run_combine(args: argparse.Namespace) -> int:
    """``advocate report --combine DIR [--out]``: the district report; opens no database."""
    from ..clock import Clock
    from ..services.district import CombineError, load_reports, write_district_report

    if args.start or args.end:
        raise CliError("--combine takes each school's period from its report: no --from or --to", 2)
    try:
        sources = load_reports(args.combine)
    except CombineError as exc:
        raise CliError(str(exc)) from None
    made = Clock(resolve_profile(args)).now().format("YYYY-MM-DD HH:mm")
    try:
        files = write_district_report(sources, args.out, made)
    except OSError as exc:
        raise CliError(f"cannot write the report in {args.out}: {exc.strerror or exc}") from None
    schools = len({s.report.school_short for s in sources})
    print(f"district report from {len(sources)} report(s) of {schools} school(s):")
    print(f"  {one_line(str(files.markdown))}")
    print(f"  {one_line(str(files.csv))}")
    return 0
