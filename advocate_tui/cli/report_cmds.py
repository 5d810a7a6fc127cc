"""``advocate report`` (the de-identified program report) and ``advocate serve`` (a second desk in a browser).

``serve`` runs textual-serve: one ``advocate --db PATH`` process per browser connection, all writing the
same database (every write is ``BEGIN IMMEDIATE``). It binds to loopback unless told otherwise, and warns
on stderr when bound to another address (plain HTTP, no login). The passphrase reaches the app processes
through the environment, never their command line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import os
import shlex
import sys
from pathlib import Path

from .common import PASSPHRASE_ENV, CliError, add_db_options, default_db_path, resolve_profile


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

    serve = sub.add_parser(
        "serve", help="the app in a web browser, for a second desk",
        description="Serve the app to a web browser (textual-serve) for a second desk. Plain HTTP with no login: "
                    "it listens on 127.0.0.1 unless --host says otherwise.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--public-url", metavar="URL", help="the address browsers use, when it differs (a proxy, 0.0.0.0)")
    add_db_options(serve)
    serve.set_defaults(func=run_serve)


def _date(text: str | None, flag: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CliError(f"{flag} {text!r} is not a date like 2026-11-23", 2) from None


def _db(args: argparse.Namespace) -> Path:
    return Path(args.db).expanduser() if getattr(args, "db", None) else default_db_path()


def run_report(args: argparse.Namespace) -> int:
    """``advocate report [--from] [--to] [--out] [--db]``: prints the two file paths."""
    from ..desk import Desk
    from ..services.report import write_report
    from ..services.stats import DateRange, school_year
    from .passphrase import startup_passphrase

    start, end = _date(args.start, "--from"), _date(args.end, "--to")
    db = _db(args)
    if not db.exists():
        raise CliError(f"no database at {db}")
    desk = Desk.open(db, resolve_profile(args), passphrase=startup_passphrase(args, db))
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


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def served_command(db: Path, args: argparse.Namespace) -> str:
    """The command textual-serve runs per browser: this Python, ``-m advocate_tui --db PATH`` (no secrets)."""
    parts = [sys.executable, "-m", "advocate_tui", "--db", str(db)]
    if getattr(args, "profile", None):
        parts += ["--profile", str(Path(args.profile).expanduser().resolve())]
    if getattr(args, "coordinator", False):
        parts.append("--coordinator")
    return " ".join(shlex.quote(p) for p in parts)


def run_serve(args: argparse.Namespace) -> int:
    """``advocate serve [--host] [--port] [--db]``: check the database opens, then serve it until Ctrl+C."""
    from ..desk import Desk
    from .passphrase import startup_passphrase

    if not 0 < args.port < 65536:
        raise CliError(f"--port {args.port} is not a port number (1-65535)", 2)
    db = _db(args).resolve()
    passphrase = startup_passphrase(args, db)
    Desk.open(db, resolve_profile(args), passphrase=passphrase).close()  # a wrong passphrase fails here, once
    if passphrase:
        os.environ[PASSPHRASE_ENV] = passphrase  # inherited by each app process; never on its command line
    os.environ.pop("ADVOCATE_PASSPHRASE_FILE", None)
    if not is_loopback(args.host):
        print(f"advocate: WARNING: serving on {args.host}: anyone who can reach this address can open the app "
              "and its student records (plain HTTP, no login). Use 127.0.0.1 unless the network is trusted.",
              file=sys.stderr)
    from textual_serve.server import Server

    public = args.public_url or f"http://{'localhost' if args.host in ('0.0.0.0', '::') else args.host}:{args.port}"
    server = Server(served_command(db, args), host=args.host, port=args.port, title="advocate-tui",
                    public_url=public.rstrip("/"))
    try:
        server.serve()
    except OSError as exc:
        raise CliError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return 0
