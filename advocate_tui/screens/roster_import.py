"""Roster import in the app (command palette → "Import the roster"): a path, two switches, the summary.

The same import as ``advocate roster import`` (:mod:`advocate_tui.services.roster`): read everything
first, then one transaction, run in a worker thread on its own connection so the screen never freezes.
The same guards too: with rejected rows, or half or more of the active students missing, nobody is
deactivated unless "deactivate missing students anyway" is ticked, and the message says the import is
incomplete (the command's exit 3). The summary shows counts, grade values and rejected rows by line
number and field, never a student's name.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, HorizontalGroup
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Input, Static

from ..services import roster as roster_service
from ..store import StoreError
from ..widgets.literal import literal

__all__ = ["RosterImportScreen"]


class RosterImportScreen(Screen):
    """Import the school's roster from a OneRoster file, folder or zip, or a simple CSV."""

    CSS_PATH = "data.tcss"
    BINDINGS = [
        Binding("ctrl+s", "run_import", "Import", tooltip="Import the roster at the path"),
        Binding("escape", "back", "Back", tooltip="Back to the previous screen"),
    ]
    AUTO_FOCUS = "#roster-path"

    class Done(Message):
        """The import finished (``lines`` of its summary; ``complete`` False when rows were rejected or
        deactivation held back) or was refused (``error``)."""

        def __init__(self, lines: list[str], error: str | None = None, complete: bool = True, note: str = "") -> None:
            super().__init__()
            self.lines, self.error, self.complete, self.note = lines, error, complete, note

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.running = False
        self.last: roster_service.ImportSummary | None = None

    def compose(self) -> ComposeResult:
        yield Static("Import the roster", id="roster-title")
        yield Static("A OneRoster 1.1 users.csv, a OneRoster 1.2 folder or .zip, or a CSV with "
                     "student_id,given_name,family_name,grade[,homeroom][,preferred_name]. Only students are taken. "
                     "A full roster marks students missing from it inactive (their records stay), unless rows are "
                     "rejected or half or more of the active students are missing; a partial roster (one grade, "
                     "new arrivals) deactivates no one.",
                     id="roster-help", markup=False)
        with Horizontal(id="roster-form"):
            yield Input(placeholder="path to the roster file, folder or zip", id="roster-path")
        with HorizontalGroup(id="roster-options"):
            yield Checkbox("partial roster", id="roster-partial",
                           tooltip="one grade or new arrivals: deactivate no one")
            yield Checkbox("deactivate missing students anyway", id="roster-deactivate")
        yield Static("", id="roster-message", markup=False)
        yield Static("", id="roster-summary", markup=False)
        yield Footer(compact=True)

    @on(Input.Submitted, "#roster-path")
    def _submitted(self) -> None:
        self.action_run_import()

    def action_run_import(self) -> None:
        path = self.query_one("#roster-path", Input).value.strip()
        message = self.query_one("#roster-message", Static)
        if not path:
            message.set_class(True, "-error")
            message.update("Type the path of the roster file, folder or zip.")
            return
        partial = self.query_one("#roster-partial", Checkbox).value
        deactivate = self.query_one("#roster-deactivate", Checkbox).value
        if partial and deactivate:
            message.set_class(True, "-error")
            message.update("Tick one box at most: a partial roster deactivates no one.")
            return
        if self.running:
            return
        self.running = True
        message.set_class(False, "-error")
        message.update("Importing…")
        self._import(path, partial, deactivate)

    @work(thread=True, exclusive=True, group="roster")
    def _import(self, path: str, partial: bool, deactivate: bool) -> None:
        desk = self.app.desk
        store = desk.store.reopen()
        parsed = None
        try:
            parsed = roster_service.read_roster(path)
            summary = roster_service.apply_roster(store, parsed, partial=partial, deactivate_missing=deactivate,
                                                  by=desk.user)
        except (roster_service.RosterError, StoreError) as exc:  # with every row rejected: say which and why
            self.post_message(self.Done([f"rejected {r}" for r in (parsed.rejected if parsed else [])], str(exc)))
            return
        except Exception as exc:  # a busy database, a disk error: one line, never a traceback
            self.post_message(self.Done([], f"the roster could not be imported ({type(exc).__name__}: {exc})"))
            return
        finally:
            store.close()
        self.last = summary
        self.post_message(self.Done(summary.lines(roster_service.APP_OPTIONS), complete=summary.complete,
                                    note=_incomplete(summary)))

    @on(Done)
    def _done(self, event: Done) -> None:
        self.running = False
        message = self.query_one("#roster-message", Static)
        if event.error:
            message.set_class(True, "-error")
            message.update(literal(f"Nothing was imported: {event.error}"))
            self.query_one("#roster-summary", Static).update(literal("\n".join(event.lines)))
            return
        message.set_class(not event.complete, "-error")
        message.update(literal("Imported." if event.complete else f"Imported, but {event.note} (see below)."))
        self.query_one("#roster-summary", Static).update(literal("\n".join(event.lines)))

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()


def _incomplete(summary: roster_service.ImportSummary) -> str:
    """What the import left undone, for the message line (the command exits 3 for the same)."""
    parts = []
    if summary.rejected:
        n = len(summary.rejected)
        parts.append(f"{n} row{'s were' if n != 1 else ' was'} rejected")
    if summary.held_back:
        parts.append(f"{summary.held_back} missing student(s) were not deactivated")
    return " and ".join(parts)
