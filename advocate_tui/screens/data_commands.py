"""Command-palette entries for the coordinator's data screen and the roster import (on every screen)."""

from __future__ import annotations

from ..palette import ListedCommands

__all__ = ["DataCommands", "open_data", "open_roster_import"]


def open_data(app) -> None:
    """Push the data screen (PBIS Big 5 and the rest) unless it is already on top."""
    from .data import DataScreen

    if not isinstance(app.screen, DataScreen):
        app.push_screen(DataScreen())


def open_roster_import(app) -> None:
    """Push the roster import screen unless it is already on top."""
    from .roster_import import RosterImportScreen

    if not isinstance(app.screen, RosterImportScreen):
        app.push_screen(RosterImportScreen())


class DataCommands(ListedCommands):
    """"Coordinator's data" and "Import the roster" in the command palette."""

    def commands(self):
        app = self.app
        yield ("Coordinator's data: PBIS Big 5, referrals, attendance, doors (D)", lambda: open_data(app),
               "Counts and bar charts for today, the week, the month, the school year or everything")
        yield ("Import the roster (OneRoster, a school system's student list or a CSV)",
               lambda: open_roster_import(app),
               "Students from OneRoster, a PowerSchool, Infinite Campus, Clever, Skyward, Aeries or Synergy student "
               "list, or any list with a column map")
