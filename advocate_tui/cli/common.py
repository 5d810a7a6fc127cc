"""What every command shares: finding the database, the profile and the passphrase; one-line errors.

Light on purpose: the argument parser is built from this module and the command modules, so nothing
here imports pydantic, the profile or the store at import time (a start parses its arguments, and
starts deriving the file's key, before those are imported; ``advocate --help`` needs none of them).
"""

from __future__ import annotations

import argparse
import codecs
import datetime as dt
import functools
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

if TYPE_CHECKING:
    from ..profile import SchoolProfile

APP_NAME = "advocate-tui"
PASSPHRASE_ENV = "ADVOCATE_PASSPHRASE"
PROFILE_ENV = "ADVOCATE_PROFILE"
#: the most a passphrase file descriptor is read for (a passphrase is at most 1,024 characters)
MAX_PASSPHRASE_BYTES = 4 * 1024 + 2


def warn_guards(desk):
    """One warning line on stderr when opening the database found guard triggers of the audit trail
    removed or changed (and put them back); returns the desk."""
    if desk.store.guard_warning:
        print(f"advocate: warning: {desk.store.guard_warning}; they are back in place now", file=sys.stderr)
    return desk


def refuse_other_school(desk, args: argparse.Namespace):
    """The desk, unless its profile is another school's than the database's (it kept its school at its
    first start): then one line naming both, the database closed, nothing written or made. Without
    this a command took the config folder's profile for any ``--db``: another school's (or the demo's)
    records went out as a report or a signed handoff bundle under this school's name and time zone."""
    from ..services import school

    path = profile_file(args)
    if path is None or desk.profile.school.demo:  # the demo's: the last resort for the time zone, as before
        return desk
    why = school.mismatch(desk.profile, school.stored(desk), desk.store.path, str(path) if path else "")
    if why is not None:
        desk.close()
        raise CliError(why.replace("nothing was opened", "nothing was written"))
    return desk


class CliError(Exception):
    """A problem to report as one line and exit ``code``."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def data_dir() -> Path:
    """The platform's user data folder for advocate-tui."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    """The default database, in the data folder; that folder is the app's own, so it is tightened to
    0700 if it was found open to others (a notice says so)."""
    from ..private import tighten

    folder = data_dir()
    if folder.is_dir():
        tighten(folder)
    return folder / "advocate.db"


def db_path(args: argparse.Namespace) -> Path:
    """--db (``~`` expanded), else the default database."""
    return Path(args.db).expanduser() if getattr(args, "db", None) else default_db_path()


def profile_file(args: argparse.Namespace) -> Path | None:
    """The profile file in use: --profile, else $ADVOCATE_PROFILE, else profile.toml in the config folder
    if there is one; None for the built-in demo school."""
    explicit = getattr(args, "profile", None) or os.environ.get(PROFILE_ENV)
    if explicit:
        return Path(explicit)
    configured = config_dir() / "profile.toml"
    return configured if configured.exists() else None


def resolve_profile(args: argparse.Namespace) -> SchoolProfile:
    """--profile, else $ADVOCATE_PROFILE, else profile.toml in the config folder, else the demo school."""
    from ..profile import demo_profile, load_profile

    path = profile_file(args)
    return load_profile(path) if path is not None else demo_profile()


def read_passphrase_fd(value: str) -> str:
    """``--passphrase-fd N`` (an argparse type): read the passphrase from the open file descriptor N,
    once, and close it. How ``advocate serve`` hands the passphrase to each desk it starts (a pipe):
    it is then in neither the process's environment nor its command line."""
    try:
        fd = int(value)
        if fd < 0:
            raise ValueError
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a file descriptor number") from None
    try:
        with os.fdopen(fd, "rb", closefd=True) as fh:
            data = fh.read(MAX_PASSPHRASE_BYTES + 1)
    except OSError as exc:
        raise argparse.ArgumentTypeError(f"cannot read file descriptor {fd}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        raise argparse.ArgumentTypeError(f"file descriptor {fd} did not give UTF-8 text") from None
    if not text or len(data) > MAX_PASSPHRASE_BYTES:
        raise argparse.ArgumentTypeError(f"file descriptor {fd} gave {'no' if not text else 'too long a'} passphrase")
    return text


def read_passphrase_file(pfile: str, label: str) -> str:
    """The passphrase in the file ``pfile`` (its line end taken off), in one line on error (``label`` before
    the file's name). Read for at most :data:`MAX_PASSPHRASE_BYTES` (``/dev/zero`` or a big file given by
    mistake is refused, never read into memory whole); a byte order mark, which Notepad puts before UTF-8
    and PowerShell's ``>`` before UTF-16, is no part of the passphrase."""
    try:
        with open(pfile, "rb") as fh:
            data = fh.read(MAX_PASSPHRASE_BYTES + 1)
    except OSError as exc:
        raise CliError(f"cannot read {label}{pfile}: {exc.strerror or exc}") from None
    if len(data) > MAX_PASSPHRASE_BYTES:
        raise CliError(f"{label}{pfile} is too long for a passphrase (at most 1,024 characters)")
    boms = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
    bom, encoding = next(((b, e) for b, e in boms if data.startswith(b)), (b"", "utf-8"))
    try:
        return data[len(bom):].decode(encoding).rstrip("\r\n")
    except UnicodeDecodeError:
        raise CliError(f"{label}{pfile} is not UTF-8 text") from None


def resolve_passphrase(args: argparse.Namespace) -> str | None:
    """The passphrase from --passphrase-file, --passphrase-fd or $ADVOCATE_PASSPHRASE (never from an argument).

    The file is read once, whoever asks again (a start asks more than once): it may be a pipe that
    gives the passphrase once, as ``--passphrase-file <(pass show school)`` does."""
    pfile = getattr(args, "passphrase_file", None)
    if pfile:
        if (read := getattr(args, "passphrase_read", None)) is not None:
            return read
        text = read_passphrase_file(pfile, "passphrase file ")
        if not text:
            raise CliError(f"passphrase file {pfile} is empty")
        args.passphrase_read = text
        return text
    return getattr(args, "passphrase_from_fd", None) or os.environ.get(PASSPHRASE_ENV) or None


def add_db_options(parser: argparse.ArgumentParser, *, sub: bool = True) -> None:
    """--db, --profile and --passphrase-file, for every command that opens the database.

    On sub-commands the options default to "not given", so ``advocate --db X demo`` and
    ``advocate demo --db X`` mean the same.
    """
    kw = {"default": argparse.SUPPRESS} if sub else {}
    parser.add_argument("--db", metavar="PATH", help="database file (created, with its folder, if missing)", **kw)
    parser.add_argument("--profile", metavar="TOML", **kw,
                        help="school profile (default: profile.toml in the config folder, else the demo school)")
    parser.add_argument("--passphrase-file", metavar="FILE", **kw,
                        help=f"read the database passphrase from FILE (or set ${PASSPHRASE_ENV})")
    parser.add_argument("--passphrase-fd", metavar="N", dest="passphrase_from_fd", type=read_passphrase_fd, **kw,
                        help="read the database passphrase from the open file descriptor N (for programs that "
                             "start advocate, as advocate serve does)")


@functools.cache
def _controls() -> re.Pattern[str]:
    from ..models.text import CONTROLS

    return re.compile(f"[{CONTROLS}]")


def one_line(message: str) -> str:
    """``message`` safe for one line of a terminal: a control character quoted in it (a path with a
    terminal code or a line break) is written as its escape, ``\\x1b``, never sent raw."""
    return _controls().sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), message)


def add_plain_option(parser: argparse.ArgumentParser, *, sub: bool = True) -> None:
    """--allow-plain, for the commands that write a school's data into the database: without it they
    refuse an unencrypted database (the demo school excepted)."""
    kw = {"default": argparse.SUPPRESS} if sub else {}
    parser.add_argument("--allow-plain", action="store_true", **kw,
                        help="write a school's data into an unencrypted database (refused without it; "
                             "'advocate rekey' encrypts one)")


def say_notices() -> None:
    """Print, once each, the files and folders whose loose modes were just tightened (stderr)."""
    from ..private import take_notices

    for notice in take_notices():
        print(f"advocate: note: {one_line(notice)}", file=sys.stderr)


def parse_day(text: str | None, flag: str) -> dt.date | None:
    """A ``--from``/``--to`` date (None when not given); exit 2 with one line when it isn't one."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CliError(f"{flag} {text!r} is not a date like 2026-11-23", 2) from None


def fail(message: str, code: int = 1) -> int:
    """Print one line to stderr and return the exit code."""
    print(f"advocate: {one_line(message)}", file=sys.stderr)
    return code


__all__ = ["CliError", "profile_file", "resolve_profile", "resolve_passphrase", "add_db_options",
           "fail", "one_line", "default_db_path", "db_path", "data_dir", "config_dir",
           "add_plain_option", "say_notices", "parse_day"]
