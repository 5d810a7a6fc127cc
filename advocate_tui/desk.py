"""The desk: one school profile, one clock and one store, handed from the command line to the app.

Services take a :class:`Desk`; nothing below the UI reads the wall clock on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .clock import Clock
from .profile import SchoolProfile
from .store import Store
from .wording import Words


@dataclass
class Desk:
    """What a running advocate-tui works with: the school, its clock and its database."""

    profile: SchoolProfile
    clock: Clock
    store: Store
    #: who is signed in at this desk (recorded as created_by and in the audit trail)
    user: str = "advocate"
    #: the demo school (unencrypted, fictional)
    demo: bool = False
    extras: dict = field(default_factory=dict)

    @classmethod
    def open(cls, db_path: str | Path, profile: SchoolProfile, *, clock: Clock | None = None,
             passphrase: str | None = None, user: str = "advocate", demo: bool = False,
             verify: bool = True, migrate: bool = True) -> "Desk":
        """Open the database for this school (creating it if missing); ``verify=False``/``migrate=False``
        leave the file's structural check and the schema update to the caller (start-up runs the
        check in the background, then migrates: see ``cli.app_cmds.run_app``)."""
        clock = clock or Clock(profile)
        store = Store.open(db_path, tz=profile.school.timezone, passphrase=passphrase, now=clock.now, user=user,
                           verify=verify, migrate=migrate)
        return cls(profile=profile, clock=clock, store=store, user=user, demo=demo)

    @property
    def words(self) -> Words:
        """The school's words and date formats (the profile's ``[terms]``), made once for each profile the
        desk is given (~5 µs each time: every row of a pane asks, ~1,500 a decade's first read)."""
        made = self.__dict__.get("_words")
        if made is None or made[0] is not self.profile:
            made = self.__dict__["_words"] = (self.profile, Words.of(self.profile))
        return made[1]

    def close(self) -> None:
        self.store.close()
