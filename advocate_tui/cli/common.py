"""What every command shares: finding the database, the profile and the passphrase; one-line errors."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import platformdirs

from ..profile import ProfileError, SchoolProfile, demo_profile, load_profile

APP_NAME = "advocate-tui"
PASSPHRASE_ENV = "ADVOCATE_PASSPHRASE"
PROFILE_ENV = "ADVOCATE_PROFILE"


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
    return data_dir() / "advocate.db"


def resolve_profile(args: argparse.Namespace) -> SchoolProfile:
    """--profile, else $ADVOCATE_PROFILE, else profile.toml in the config folder, else the demo school."""
    explicit = getattr(args, "profile", None) or os.environ.get(PROFILE_ENV)
    if explicit:
        return load_profile(explicit)
    configured = config_dir() / "profile.toml"
    if configured.exists():
        return load_profile(configured)
    return demo_profile()


def resolve_passphrase(args: argparse.Namespace) -> str | None:
    """The passphrase from --passphrase-file or $ADVOCATE_PASSPHRASE (never from an argument)."""
    pfile = getattr(args, "passphrase_file", None)
    if pfile:
        try:
            text = Path(pfile).read_text(encoding="utf-8")
        except OSError as exc:
            raise CliError(f"cannot read passphrase file {pfile}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise CliError(f"passphrase file {pfile} is not UTF-8 text") from None
        text = text.rstrip("\r\n")
        if not text:
            raise CliError(f"passphrase file {pfile} is empty")
        return text
    return os.environ.get(PASSPHRASE_ENV) or None


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


def fail(message: str, code: int = 1) -> int:
    """Print one line to stderr and return the exit code."""
    print(f"advocate: {message}", file=sys.stderr)
    return code


__all__ = ["CliError", "ProfileError", "resolve_profile", "resolve_passphrase", "add_db_options", "fail",
           "default_db_path", "data_dir", "config_dir", "demo_profile"]
