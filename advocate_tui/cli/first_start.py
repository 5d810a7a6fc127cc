"""Which school profile a start uses, and the first start of a new school.

``advocate [--db PATH]`` on a database that belongs to no school yet, with no profile given
(``--profile``, ``$ADVOCATE_PROFILE``) or saved (``profile.toml`` in the user config folder), opens
the walkthrough (:class:`~advocate_tui.screens.school_setup.SchoolSetupScreen`) after the passphrase
and PIN prompts: the answers become ``profile.toml`` (0600, its folder 0700), the database is
created and keeps the school's identity, and the desk opens. Without a terminal it is one line
asking for ``--profile``, and nothing is created. A profile given with ``--profile`` at a first
start is copied to ``profile.toml`` when none is there, so later starts need no option.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..clock import Clock
from ..profile import SchoolProfile, load_profile
from .common import PROFILE_ENV, CliError, config_dir

__all__ = ["FirstStart", "ProfileChoice", "choose_profile", "configured_profile_path", "keep_profile_copy",
           "no_profile_error"]


def configured_profile_path() -> Path:
    """``profile.toml`` in the user config folder (where the first start writes it)."""
    return config_dir() / "profile.toml"


@dataclass
class ProfileChoice:
    """The profile a start uses and where it came from ("" path: none found)."""

    profile: SchoolProfile | None
    path: str = ""
    #: given for this start (--profile or $ADVOCATE_PROFILE), not the saved profile.toml
    given: bool = False
    #: read from a file (not the built-in demo school's)
    from_file: bool = True

    @property
    def file(self) -> Path | None:
        """The profile file in use (where a roster column map is remembered), None for the built-in one."""
        return Path(self.path) if self.path and self.from_file else None


def choose_profile(args: argparse.Namespace) -> ProfileChoice:
    """--profile, else $ADVOCATE_PROFILE, else the saved profile.toml, else none (never the demo)."""
    explicit = getattr(args, "profile", None) or os.environ.get(PROFILE_ENV)
    if explicit:
        return ProfileChoice(load_profile(explicit), str(explicit), given=True)
    saved = configured_profile_path()
    if saved.exists():
        return ProfileChoice(load_profile(saved), str(saved))
    return ProfileChoice(None, from_file=False)


def no_profile_error(db: Path, identity) -> CliError:
    """The one line for a start with no profile: whose database it is, and how to give one."""
    saved = configured_profile_path()
    if identity.demo:
        return CliError(f"{db} is the demo school's database: open it with advocate demo --db {db}")
    if identity.settled:
        return CliError(f"{db} belongs to {identity.describe()}, and no profile was given: use --profile FILE "
                        f"(that school's profile.toml) or copy it to {saved}")
    return CliError(f"{db} has no school yet: give its profile with --profile FILE (see examples/profile-us.toml), "
                    "or start advocate at a terminal to set the school up; nothing was created")


def keep_profile_copy(choice: ProfileChoice) -> str | None:
    """At a first start with --profile: copy it to profile.toml (0600) when none is saved. The line to
    tell the user, or None."""
    target = configured_profile_path()
    if not choice.given or target.exists():
        return None
    from ..services.school import save_profile

    try:
        save_profile(Path(choice.path).read_text(encoding="utf-8"), target)
    except OSError as exc:
        return f"the profile could not be kept in {target} ({exc.strerror or exc}); give --profile next time too"
    return f"school profile kept in {target} (used when --profile is not given)"


@dataclass
class FirstStart:
    """A new school's first start: the walkthrough's answers become profile.toml, then the database
    is opened (created) with them and records the school. The screen calls :meth:`finish`."""

    db: Path
    passphrase: str | None
    args: argparse.Namespace
    profile_path: Path = field(default_factory=configured_profile_path)
    #: makes the school's clock from the new profile (tests pass a frozen one)
    clock_for: Callable[[SchoolProfile], Clock] = Clock
    today: dt.date = field(default_factory=dt.date.today)
    timezone: str = ""
    uuid: str = field(default_factory=lambda: str(uuid.uuid4()))

    def defaults(self) -> dict[str, str]:
        from ..services.school_setup import defaults, local_timezone

        return defaults(self.today, self.timezone or local_timezone())

    def finish(self, profile: SchoolProfile):
        """Write profile.toml, open the database, record the school, do the start of the day; the desk."""
        from ..desk import Desk
        from ..profile_toml import profile_to_toml
        from ..services import school
        from .data_cmds import start_of_day

        header = (f"School profile of {profile.school.name}, written by advocate-tui's first start on "
                  f"{self.today.isoformat()}.\nEdit it and restart the app; the format is in the README "
                  "(examples/profile-us.toml).")
        school.save_profile(profile_to_toml(profile, header), self.profile_path)
        desk = Desk.open(self.db, profile, clock=self.clock_for(profile), passphrase=self.passphrase)
        desk.extras["profile_path"] = self.profile_path  # where the roster import screen remembers a column map
        try:
            school.claim(desk, str(self.profile_path))
            start_of_day(desk, self.args, quiet=True)
        except BaseException:
            desk.close()
            raise
        return desk

