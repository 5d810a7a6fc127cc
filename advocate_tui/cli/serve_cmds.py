"""``advocate serve``: the app in a web browser for a second desk (textual-serve, behind a door).

One desk process per browser connection (``advocate --db PATH --locked``), all writing the same
database (every write is ``BEGIN IMMEDIATE``). Every desk starts at the lock screen and opens only
with the PIN or the passphrase; the server answers only pages of its own address; it listens on
loopback unless ``--allow-remote`` says otherwise; the passphrase reaches each desk through a pipe,
never its environment or command line (:mod:`advocate_tui.web.server`).
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from .common import CliError, add_db_options, add_plain_option, db_path, warn_guards


def register(sub: argparse._SubParsersAction) -> None:
    serve = sub.add_parser(
        "serve", help="the app in a web browser, for a second desk",
        description="Serve the app to a web browser (textual-serve) for a second desk. Every browser's desk starts "
                    "at the lock screen and opens with the PIN or the passphrase; only pages from the server's own "
                    "address may connect. Plain HTTP: it listens on 127.0.0.1 (reach it from another machine "
                    "through SSH port forwarding or a TLS proxy) unless --allow-remote.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--public-url", metavar="URL",
                       help="the address browsers use, when it differs (a TLS proxy: https://desk.school.example); "
                            "pages from it may connect too")
    serve.add_argument("--allow-remote", action="store_true",
                       help="allow a --host other machines can reach (plain HTTP: put a TLS proxy in front)")
    add_db_options(serve)
    add_plain_option(serve)
    serve.set_defaults(func=run_serve)


def served_argv(db: Path, args: argparse.Namespace) -> list[str]:
    """What the server runs per browser: this Python, ``-m advocate_tui --db PATH --locked`` (no secrets;
    the server adds ``--passphrase-fd N``)."""
    argv = [sys.executable, "-m", "advocate_tui", "--db", str(db), "--locked"]
    if getattr(args, "profile", None):
        argv += ["--profile", str(Path(args.profile).expanduser().resolve())]
    if getattr(args, "coordinator", False):
        argv.append("--coordinator")
    if getattr(args, "allow_plain", False):
        argv.append("--allow-plain")
    return argv


def _check_address(args: argparse.Namespace) -> tuple[str, str]:
    """The host to listen on and the public URL, or one clear line about what is wrong."""
    from ..web.door import is_loopback, is_wildcard, origin_of, url_for

    if not 0 < args.port < 65536:
        raise CliError(f"--port {args.port} is not a port number (1-65535)", 2)
    host = args.host.strip()
    if not is_loopback(host) and not args.allow_remote:
        raise CliError(f"--host {host} would let other machines reach the desk over plain HTTP; keep 127.0.0.1 and "
                       "use SSH port forwarding or a TLS proxy (or add --allow-remote)", 2)
    if args.public_url and origin_of(args.public_url) is None:
        raise CliError(f"--public-url {args.public_url!r} is not an http:// or https:// address", 2)
    if is_wildcard(host) and not args.public_url:
        raise CliError(f"--host {host} listens on every address: give --public-url, the address browsers use", 2)
    return host, (args.public_url or url_for(host, args.port)).rstrip("/")


def _school_profile(args: argparse.Namespace, db: Path, passphrase: str | None):
    """The profile each browser's desk will start with (as ``advocate --db`` finds it), refused in one
    line when there is none or it is another school's."""
    from ..profile import demo_profile_named
    from ..services import school
    from .first_start import choose_profile, no_profile_error

    ours = school.file_identity(db, passphrase)
    choice = choose_profile(args)
    if choice.profile is None and ours.demo:
        return demo_profile_named(ours.short_name)
    if choice.profile is None:
        raise no_profile_error(db, ours)
    if (why := school.mismatch(choice.profile, ours, db, choice.path)) is not None:
        raise CliError(why)
    return choice.profile


def run_serve(args: argparse.Namespace) -> int:
    """``advocate serve [--host] [--port] [--public-url] [--allow-remote] [--db]``: check the address and
    the database (it opens; it has a PIN or a passphrase), then serve it until Ctrl+C. Not on Windows:
    one line says so before anything is opened."""
    from ..portable import serve_supported

    if not serve_supported():
        raise CliError("advocate serve is not supported on Windows (it hands each browser's desk the passphrase "
                       "on an inherited pipe, which Windows lacks); a second desk runs 'advocate' in its own "
                       "terminal (or over SSH) instead")
    from ..desk import Desk
    from ..services.security import lock_needs_secret
    from ..web.door import is_loopback
    from ..web.server import SECRET_ENV, DeskServer
    from .passphrase import school_passphrase

    host, public_url = _check_address(args)
    db = db_path(args).resolve()
    if not db.is_file():
        raise CliError(f"no database at {db}; start the app on it once first (advocate --db {shlex.quote(str(db))})")
    passphrase = school_passphrase(args, db)  # an unencrypted school database only with --allow-plain
    profile = _school_profile(args, db, passphrase)
    desk = warn_guards(Desk.open(db, profile, passphrase=passphrase))  # a wrong passphrase fails here, once
    try:
        lockable = lock_needs_secret(desk)
    finally:
        desk.close()
    if not lockable:
        raise CliError(f"{db.name} has no passphrase and no PIN, so a browser's desk would open for anyone; "
                       f"set a PIN first: advocate pin --db {shlex.quote(str(db))}")
    for name in SECRET_ENV:
        os.environ.pop(name, None)  # nothing secret is inherited; each desk gets the passphrase on a pipe
    if not is_loopback(host):
        print(f"advocate: serving on {host}:{args.port} to other machines over plain HTTP: put it behind SSH port "
              "forwarding or a TLS proxy", file=sys.stderr)
    server = DeskServer(served_argv(db, args), passphrase=passphrase, host=host, port=args.port,
                        public_url=public_url)
    try:
        server.serve()
    except OSError as exc:
        raise CliError(f"cannot listen on {host}:{args.port}: {exc.strerror or exc}") from None
    return 0
