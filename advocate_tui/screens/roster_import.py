"""Roster import in the app (command palette → "Import the roster"): a path, a column map, two switches,
the summary.

The same import as ``advocate roster import`` (:mod:`advocate_tui.services.roster`): read everything
first, then one transaction, run in a worker thread on its own connection so the screen never freezes.
The same guards too: with rejected rows, or half or more of the active students missing, nobody is
deactivated unless "deactivate missing students anyway" is ticked, and the message says the import is
incomplete (the command's exit 3). The summary shows the layout recognised (PowerSchool, Clever…), how
the file was read and the columns used, counts, grade values and rejected rows by line number and field,
never a student's name. A column map typed here is used like ``--map`` and remembered in the profile
file the desk started with (``desk.extras["profile_path"]``), as the profile's ``[roster.map]``.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, HorizontalGroup, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Input, Static

from ..portable import not_a_file
from ..profile import ProfileError, RosterSettings
from ..services import roster as roster_service
from ..services.roster_layouts import parse_map
from ..services.roster_memory import remember_map
from ..services.text_fit import counted
from ..store import BusyError, StoreError
from ..widgets.form_input import FormInput
from ..widgets.literal import literal
from .forms.confirm import ConfirmScreen
from .thread_work import thread_work

__all__ = ["RosterImportScreen"]

#: what messages call the map typed on this screen (``--map`` on the command line)
MAP_OPTION = "the column map"


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
        #: the path and column map last imported (or tried): escape asks first only for text typed since
        self.tried: tuple[str, str] = ("", "")

    def compose(self) -> ComposeResult:
        yield Static("Import the roster", id="roster-title")
        yield Static("OneRoster (users.csv, a folder or .zip), a PowerSchool, Infinite Campus, Clever, Skyward, "
                     "Aeries or Synergy student list, student_id,given_name,family_name,grade[,homeroom], or any list "
                     "with a column map. Only students are taken. A full roster marks students missing from it "
                     "inactive (records stay) unless rows are rejected or half or more are missing; a partial roster "
                     "(one grade, new arrivals) deactivates no one.",
                     id="roster-help", markup=False)
        with Horizontal(id="roster-form"):
            yield FormInput(placeholder="path to the roster file, folder or zip", id="roster-path",
                            next_on_enter=False)
        with Horizontal(id="roster-map-row"):
            yield FormInput(placeholder="column map, for a layout not recognised: student_id=COLUMN,"
                                        "given_name=COLUMN,family_name=COLUMN[,grade=COLUMN,homeroom=COLUMN,"
                                        "preferred_name=COLUMN]",
                            id="roster-map", tooltip="Remembered in the school profile: the next file in this "
                                                     "layout needs none", next_on_enter=False)
        with HorizontalGroup(id="roster-options"):
            yield Checkbox("partial roster", id="roster-partial",
                           tooltip="one grade or new arrivals: deactivate no one")
            yield Checkbox("deactivate missing students anyway", id="roster-deactivate")
        yield Static("", id="roster-message", markup=False)
        with VerticalScroll(id="roster-summary-box"):
            yield Static("", id="roster-summary", markup=False)
        yield Footer(compact=True)

    @on(Input.Submitted, "#roster-path")
    @on(Input.Submitted, "#roster-map")
    def _submitted(self) -> None:
        self.action_run_import()

    def action_run_import(self) -> None:
        path = self.query_one("#roster-path", Input).value.strip()
        message = self.query_one("#roster-message", Static)
        if not path:
            message.set_class(True, "-error")
            message.update("Type the path of the roster file, folder or zip.")
            return
        problem = _not_readable(path)
        if problem:
            message.set_class(True, "-error")
            message.update(literal(problem))
            return
        partial = self.query_one("#roster-partial", Checkbox).value
        deactivate = self.query_one("#roster-deactivate", Checkbox).value
        if partial and deactivate:
            message.set_class(True, "-error")
            message.update("Tick one box at most: a partial roster deactivates no one.")
            return
        column_map = None
        typed_map = self.query_one("#roster-map", Input).value.strip()
        if typed_map:
            try:
                column_map = parse_map(typed_map, option=MAP_OPTION)
            except roster_service.RosterError as exc:
                message.set_class(True, "-error")
                message.update(literal(str(exc)))
                return
        if self.running:
            return
        self.running = True
        self.tried = self._typed()
        message.set_class(False, "-error")
        message.update("Importing…")
        self._import(path, partial, deactivate, column_map)

    @thread_work("roster")
    def _import(self, path: str, partial: bool, deactivate: bool, column_map: dict[str, str] | None) -> None:
        desk = self.app.desk
        store = desk.store.reopen()
        parsed = None
        saved = desk.profile.roster.map
        try:
            parsed = roster_service.read_roster(path, column_map=column_map, saved_map=saved, map_option=MAP_OPTION,
                                                 words=desk.words)
            summary = roster_service.apply_roster(store, parsed, partial=partial, deactivate_missing=deactivate)
        except roster_service.RosterError as exc:  # the file: with every row rejected, say which and why
            self.post_message(self.Done([f"rejected {r}" for r in (parsed.rejected if parsed else [])], str(exc)))
            return
        except StoreError as exc:  # the database, not the file: what happened, what to do, what the file holds
            self.post_message(self.Done(_read_not_written(parsed), _not_written(exc)))
            return
        except Exception as exc:  # a busy database, a disk error: one line, never a traceback
            self.post_message(self.Done([], f"the roster could not be imported ({type(exc).__name__}: {exc})"))
            return
        finally:
            store.close()
        self.last = summary
        lines = summary.lines(roster_service.APP_OPTIONS)
        if column_map and column_map != saved:
            lines.append(_remember(desk, column_map))
        self.post_message(self.Done(lines, complete=summary.complete, note=_incomplete(summary)))

    @on(Done)
    def _done(self, event: Done) -> None:
        self.running = False
        message = self.query_one("#roster-message", Static)
        if event.error:
            message.set_class(True, "-error")
            message.update(literal(f"Nothing was imported: {event.error}"))
            self.query_one("#roster-summary", Static).update(literal("\n".join(event.lines)))
            self.add_class("-result")
            return
        message.set_class(not event.complete, "-error")
        message.update(literal("Imported." if event.complete else f"Imported, but {event.note} (see below)."))
        self.query_one("#roster-summary", Static).update(literal("\n".join(event.lines)))
        self.add_class("-result")  # the help has been read: its room goes to what was rejected and why (80x24)

    def _typed(self) -> tuple[str, str]:
        """The path and the column map as typed now."""
        return (self.query_one("#roster-path", Input).value.strip(), self.query_one("#roster-map", Input).value.strip())

    def is_dirty(self) -> bool:
        """True when a path or column map is typed that has not been imported (escape and quit ask first)."""
        typed = self._typed()
        return any(typed) and typed != self.tried

    def action_back(self) -> None:
        if len(self.app.screen_stack) <= 1:
            return
        if not self.is_dirty():
            self.app.pop_screen()
            return
        self.app.push_screen(ConfirmScreen("Leave without importing? The path you typed will be lost."),
                             lambda leave: self._leave() if leave else None)

    def _leave(self) -> None:
        if self.app.screen is self:
            self.app.pop_screen()


def _not_readable(typed: str) -> str | None:
    """Why the typed path can't be read here (a pipe, terminal or device: reading one waits for a writer,
    and the import would say "Importing…" for ever); None for a file, a folder or a path that is missing
    (the import says that itself)."""
    path = Path(typed).expanduser()
    try:
        kind = not_a_file(path.stat().st_mode)
    except OSError:
        return None
    if kind is None or kind == "a folder":
        return None
    return f"{path} is {kind}, not a roster file: type the path of a file, folder or zip."


def _remember(desk, column_map: dict[str, str]) -> str:
    """Keep a column map in the desk's profile file (and the profile in use); the line that says so, or why not."""
    where = desk.extras.get("profile_path")
    if where is None:
        return ("the column map was used but not remembered: the built-in demo profile is in use "
                "(start with the school's --profile FILE to keep it there)")
    try:
        remember_map(where, column_map)
    except ProfileError as exc:
        return f"the column map was used but not remembered: {exc}"
    desk.profile = desk.profile.model_copy(update={"roster": RosterSettings.model_validate({"map": column_map})})
    return f"column map remembered in {where} [roster.map]: the next file with these columns needs none"


def _not_written(exc: StoreError) -> str:
    """Why the database took nothing (the file was read without trouble), and what to do."""
    if isinstance(exc, BusyError):
        return ("the database is busy: another desk or program was writing to it. The file is fine: "
                "try again in a moment with ctrl+s.")
    return f"{str(exc).rstrip('.')}. The file itself was read: once that is put right, ctrl+s imports it."


def _read_not_written(parsed) -> list[str]:
    """What the file holds, for a database that took nothing: the students ready, the rows that will be
    rejected (by line and field, never a name)."""
    if parsed is None:
        return []
    ready, rejected = len(parsed.students), parsed.rejected
    head = f"The file was read: {counted(ready, 'student')} ready to import"
    if not rejected:
        return [head + "."]
    return [f"{head}, {counted(len(rejected), 'row')} that will be rejected:", *(str(r) for r in rejected)]


def _incomplete(summary: roster_service.ImportSummary) -> str:
    """What the import left undone, for the message line (the command exits 3 for the same)."""
    parts = []
    if summary.rejected:
        n = len(summary.rejected)
        parts.append(f"{n} row{'s were' if n != 1 else ' was'} rejected")
    if summary.held_back:
        parts.append(f"{summary.held_back} missing student(s) were not deactivated")
    return " and ".join(parts)
