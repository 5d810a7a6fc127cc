"""Which school a database belongs to, and the school's profile file.

The database keeps the school's identity in its ``meta`` table: the short name (``school.short_name``,
the key backups and restores already compare), the name and a school uuid. The first start records
them from the profile; every later start compares. A profile of another school — another short name,
or another uuid when both have one — is refused with one line naming both schools, before anything
is written. The same school under a new name (same short name and uuid) is renamed, and says so.

A database that was opened before identities were kept whole (a short name but no school uuid) is
taken over by the first profile that has the same short name, or by any real profile when it was
running on the demo school's profile (the old fallback when no profile was configured).

:func:`save_profile` writes a profile file owner-only (0600, its folder 0700). No Textual here.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..desk import Desk
from ..profile import SchoolProfile, demo_profile
from ..private import open_private, protect
from ..store import file_contents
from .db_file import DEMO_KEY, SCHOOL_KEY

__all__ = ["NAME_KEY", "SCHOOL_KEY", "SCHOOL_UUID_KEY", "Identity", "OtherSchool", "check", "claim", "file_identity",
           "mismatch", "save_profile", "stored"]

NAME_KEY = "school.name"
SCHOOL_UUID_KEY = "school.uuid"


class OtherSchool(Exception):
    """The profile is for another school than the database's; str() is one line naming both."""


@dataclass(frozen=True)
class Identity:
    """The school a database belongs to, as kept in its meta table (empty strings when not kept)."""

    short_name: str = ""
    name: str = ""
    uuid: str = ""
    #: the demo school's database (built by ``advocate demo``)
    demo: bool = False

    @property
    def known(self) -> bool:
        return bool(self.short_name)

    @property
    def settled(self) -> bool:
        """A school's database for good: known, and not a real database that only ran on the demo
        school's profile before identities were kept whole (no school uuid then)."""
        demo_fallback = not self.uuid and not self.demo and self.short_name == demo_profile().school.short_name
        return self.known and not demo_fallback

    def describe(self) -> str:
        """'Lincoln High School (lincoln-hs)', or the short name alone when the name was not kept."""
        return f"{self.name} ({self.short_name})" if self.name else self.short_name


def stored(desk: Desk) -> Identity:
    """The identity in the desk's database."""
    get = desk.store.get_metas(SCHOOL_KEY, NAME_KEY, SCHOOL_UUID_KEY, DEMO_KEY).get
    return Identity(get(SCHOOL_KEY) or "", get(NAME_KEY) or "", get(SCHOOL_UUID_KEY) or "", bool(get(DEMO_KEY)))


def file_identity(path: Path, passphrase: str | None) -> Identity:
    """The identity in the database file at ``path``, read without writing (empty for a new, empty or
    damaged file). A file that can't be opened at all raises :class:`StoreError` with one line."""
    path = Path(path).expanduser()
    if not path.is_file() or path.stat().st_size == 0:
        return Identity()
    # a damaged file reads as empty: opening it says so in one line, before anything is written
    rows = file_contents.meta_values(path, passphrase, [SCHOOL_KEY, NAME_KEY, SCHOOL_UUID_KEY, DEMO_KEY])
    return Identity(rows.get(SCHOOL_KEY) or "", rows.get(NAME_KEY) or "", rows.get(SCHOOL_UUID_KEY) or "",
                    bool(rows.get(DEMO_KEY)))


def _profile_label(profile: SchoolProfile) -> str:
    return f"{profile.school.name} ({profile.school.short_name})"


def _demo_short_names() -> set[str]:
    """The short names of the built-in demo schools (US and UK)."""
    return {demo_profile(uk=uk).school.short_name or "" for uk in (False, True)}


def mismatch(profile: SchoolProfile, ours: Identity, db: Path | str, source: str = "") -> str | None:
    """Why ``profile`` is not the school of the database at ``db`` (kept as ``ours``), in one line;
    None when it is (or may become it)."""
    school = profile.school
    where = f" ({source})" if source else ""
    if school.demo and not ours.demo:
        return (f"the profile{where} is the demo school's: it opens only the demo's own database "
                f"(advocate demo [--db PATH]), not {db}; nothing was opened")
    if ours.demo and not ours.known and not school.demo and school.short_name not in _demo_short_names():
        # the demo's own database keeps no school of its own: a real school's profile never takes it
        return (f"{db} is the demo school's database (fictional students), but the profile{where} is for "
                f"{_profile_label(profile)}: open it with advocate demo --db {db}; nothing was opened")
    if not ours.settled:
        return None  # no school yet (or it ran on the demo fallback): this profile takes it
    if ours.short_name == school.short_name and not (ours.uuid and school.uuid and ours.uuid != school.uuid):
        return None
    return (f"{db} belongs to {ours.describe()}, but the profile{where} is for "
            f"{_profile_label(profile)}; nothing was opened")


def check(desk: Desk, source: str = "") -> None:
    """Refuse (:class:`OtherSchool`) a profile of another school than the database's. Writes nothing."""
    if (why := mismatch(desk.profile, stored(desk), desk.store.path, source)) is not None:
        raise OtherSchool(why)


def claim(desk: Desk, source: str = "") -> list[str]:
    """Check the profile against the database (:func:`check`), then record the school's identity
    where it is missing or was renamed. Returns lines to tell the user (a rename), else []."""
    ours = stored(desk)
    if (why := mismatch(desk.profile, ours, desk.store.path, source)) is not None:
        raise OtherSchool(why)
    school = desk.profile.school
    wanted = {SCHOOL_KEY: school.short_name or "", NAME_KEY: school.name,
              SCHOOL_UUID_KEY: ours.uuid or school.uuid or str(uuid.uuid4())}
    have = {SCHOOL_KEY: ours.short_name, NAME_KEY: ours.name, SCHOOL_UUID_KEY: ours.uuid}
    if wanted == have:
        return []
    with desk.store.transaction():
        for key, value in wanted.items():
            if have[key] != value:
                desk.store.set_meta(key, value)
    notes = []
    if ours.known and ours.short_name != school.short_name:
        notes.append(f"{desk.store.path} ran on the demo school's profile until now; it is now "
                     f"{_profile_label(desk.profile)}'s database")
    elif ours.name and ours.name != school.name:
        notes.append(f"the school's name is now '{school.name}' (it was '{ours.name}')")
    return notes


def save_profile(text: str, path: Path) -> Path:
    """Write profile TOML ``text`` to ``path`` owner-only (0600; missing folders 0700); a file already
    there is replaced only as a whole (written beside it, then renamed over it)."""
    path = Path(path).expanduser()
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    partial.unlink(missing_ok=True)
    try:
        with open_private(partial, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    protect(path)
    return path
