"""The advocate-tui App: holds the desk and the global keys; the screens do the work."""

from __future__ import annotations

import os
import time

from textual import events
from textual.app import App
from textual.binding import Binding

from .desk import Desk
from .screens.data_commands import DataCommands
from .screens.early_keys import EarlyKeys
from .widgets.literal import plain


def _coordinator_commands():
    """The palette's coordinator commands, imported when the palette first opens (the coordinator's
    screen brings the bundle, trust and signing modules and cryptography: ~0.13 s at start, bench/)."""
    from .screens.coordinator import CoordinatorCommands

    return CoordinatorCommands


def _security_commands():
    """The palette's PIN and passphrase commands, imported when the palette first opens."""
    from .screens.unlock_setup import SecurityCommands

    return SecurityCommands


def _process_commands():
    """The palette's restorative-process commands (the board, a Tier 1 circle), imported when the palette
    first opens."""
    from .screens.processes import ProcessCommands

    return ProcessCommands


#: benchmarks (bench/run.py): a file to write the moment the first screen is ready for a key, then quit
READY_FILE_ENV = "ADVOCATE_READY_FILE"
#: how often the idle lock looks at the last activity (seconds)
IDLE_CHECK_SECONDS = 5.0


class AdvocateApp(EarlyKeys, App):
    """The advocate's shift (or, with ``coordinator=True``, the coordinator's view) on one desk."""

    CSS_PATH = "app.tcss"
    TITLE = "advocate-tui"
    COMMANDS = App.COMMANDS | {_coordinator_commands, DataCommands, _security_commands, _process_commands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
        Binding("ctrl+l", "lock", "Lock", id="lock", priority=True, tooltip="Lock the desk now"),
    ]

    def __init__(self, desk: Desk | None, *, coordinator: bool = False, locked: bool = False, first_start=None,
                 **kwargs):
        """``desk`` None with ``first_start`` (a :class:`~advocate_tui.cli.first_start.FirstStart`): a
        new school's first start — the profile walkthrough comes first and opens the desk."""
        super().__init__(**kwargs)
        self.desk = desk
        self.coordinator = coordinator
        #: start at the lock screen; the desk's screens are made only once it is unlocked (advocate serve)
        self.start_locked = locked
        self.first_start = first_start
        #: monotonic time of the last key, mouse or paste event (the idle lock counts from it)
        self.last_activity = time.monotonic()
        self.sub_title = (plain(desk.profile.school.name, one_line=True) + self._data_notice() if desk is not None
                          else "first start")
        #: what of the profile's [keys] could not be used, in one line ("" when all of it could)
        self.keys_problem = self._use_desk_keys(desk) if desk is not None else ""

    def get_driver_class(self):
        """Textual's driver for this terminal, reading a bracketed paste whole (:mod:`.paste_whole`)."""
        from .paste_whole import install

        driver_class = super().get_driver_class()
        install(driver_class)
        return driver_class

    def _use_desk_keys(self, desk: Desk) -> str:
        """The profile's ``[keys]`` through Textual's keymap; returns the line of what was not used."""
        from .commands import resolve_keys

        keymap, problem = resolve_keys(dict(desk.profile.keys))
        self.set_keymap(keymap)
        return problem

    # ------------------------------------------------------------------ theme
    def _use_saved_theme(self) -> None:
        """The theme chosen at this desk before (ctrl+p → theme), and remember the next choice."""
        from .desk_settings import load_settings

        theme = load_settings().get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        self._saved_theme = self.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)

    def _remember_theme(self, theme) -> None:
        from .desk_settings import save_setting

        if theme.name == self._saved_theme:
            return
        self._saved_theme = theme.name
        try:
            save_setting("theme", theme.name)
        except OSError as exc:  # a read-only config folder: the theme stays for this run only
            self.notify(f"The theme could not be remembered: {exc.strerror or exc}", severity="warning",
                        markup=False)

    def _data_notice(self) -> str:
        """The demo, or a real database that is not encrypted, says so in the header."""
        from .services.security import is_encrypted

        if self.desk.demo:
            return " · DEMO (fictional data, not encrypted)"
        if not is_encrypted(self.desk):
            return " · NOT ENCRYPTED (advocate rekey encrypts it)"
        return ""

    def get_default_screen(self):
        """The main screen itself at the bottom of the stack on an ordinary start (not pushed over
        Textual's blank screen: its push repainted the whole screen once mounted, bench/). The
        coordinator's start pushes both screens at once, so the main screen is never drawn first."""
        if self.desk is None or self.start_locked or self.coordinator:
            return super().get_default_screen()
        from .screens.main import MainScreen

        self._first_screen = MainScreen()
        self._settle_first(self._first_screen)
        return self._first_screen

    async def on_mount(self) -> None:
        self._use_saved_theme()
        self.set_interval(IDLE_CHECK_SECONDS, self.check_idle_lock)
        if self.desk is None:
            from .screens.school_setup import SchoolSetupScreen

            self.push_screen(SchoolSetupScreen(self.first_start), self._school_set_up)
            return
        if self.start_locked:
            # Nothing about a student is read, drawn or sent before the PIN or passphrase: the main
            # screen is not even made until the lock is opened.
            from .screens.lock import LockScreen

            self.push_screen(LockScreen(), lambda _: self._open_desk())
            self.call_after_refresh(self._begin_after_start)
            return
        first = self.__dict__.get("_first_screen")
        if first is not None:  # the app is ready (for keys, a test's pilot) once its first screen is mounted
            await first._mounted_event.wait()
        self._open_desk()

    def _school_set_up(self, desk: Desk | None) -> None:
        """The walkthrough saved the profile and opened the desk: on to the main screen."""
        if desk is None:
            return
        self.desk = desk
        self.sub_title = plain(desk.profile.school.name, one_line=True) + self._data_notice()
        self.notify(f"{desk.profile.school.name} is set up; its profile is in {self.first_start.profile_path}",
                    title="First start", timeout=15, markup=False)
        self._open_desk()

    def _open_desk(self) -> None:
        """The desk's own screens: the main screen (and the coordinator's view over it), with the
        notices for the start."""
        self.last_activity = time.monotonic()
        if warning := self.desk.extras.get("backup_warning"):
            self.notify(warning, severity="warning", timeout=30, markup=False)
        if warning := self.desk.store.guard_warning:
            self.notify(f"{warning}; they are back in place now (advocate check shows when)", title="Audit trail",
                        severity="error", timeout=120, markup=False)
        if notice := self.desk.extras.get("start_notice"):
            self.notify(notice, timeout=15, markup=False)
        if self.keys_problem:
            self.notify(self.keys_problem, title="Keys", severity="warning", timeout=30, markup=False)
        import asyncio

        loop = asyncio.get_running_loop()
        first = self.__dict__.pop("_first_screen", None)
        if first is not None:  # the main screen is the default screen: mounted already (on_mount)
            mounted = loop.create_task(first._mounted_event.wait())
        else:
            from .screens.main import MainScreen

            mounted = self.push_screen(MainScreen())
        if self.coordinator:
            from .screens.coordinator import CoordinatorScreen

            mounted = self.push_screen(CoordinatorScreen())
        self._after_start_task = loop.create_task(self._after_first_screen(mounted))
        if os.environ.get(READY_FILE_ENV):
            self._ready_task = loop.create_task(self._report_ready(mounted))
        if line := self.desk.extras.get("damaged_warning"):  # found while the lock was up
            self._warn_damaged(line)

    # ------------------------------------------------------------------ after the first screen
    async def _after_first_screen(self, mounted) -> None:
        await mounted
        self.call_after_refresh(self._begin_after_start)

    def _begin_after_start(self) -> None:
        """The first screen is up: start the file check and the day's backup in the background
        (:mod:`advocate_tui.services.after_start`); what goes wrong comes back as a one-line notice."""
        from . import start_gc

        start_gc.after_first_screen()  # the collector, off while the start made the first screen
        jobs = self.desk.extras.get("after_start") if self.desk is not None else None
        if jobs is None or jobs.on_event is not None:
            return
        import asyncio

        loop = asyncio.get_running_loop()

        def event(kind: str, line: str) -> None:  # the background thread: hand over, never wait
            loop.call_soon_threadsafe(self._after_start_event, kind, line)

        jobs.on_event = event
        jobs.start()

    def _after_start_event(self, kind: str, line: str) -> None:
        if kind == "damaged":
            self.desk.extras["damaged_warning"] = line
            self._warn_damaged(line)
        else:
            self.notify(line, severity="warning", timeout=30)

    def _warn_damaged(self, line: str) -> None:
        """The background check found the file may be damaged: say so until the app is closed."""
        self.notify(f"Nothing is saved any more: {line}", title="Database", severity="error", timeout=24 * 3600)

    async def _report_ready(self, mounted) -> None:
        """$ADVOCATE_READY_FILE (bench/): once the first screen is mounted, its data loaded, every
        worker done and the screen painted, write "<unix time> <peak RSS KiB> <how>" there and quit."""
        from .procstat import peak_memory_kib

        await mounted
        await self.workers.wait_for_complete()

        def mark() -> None:
            peak, how = peak_memory_kib()
            with open(os.environ[READY_FILE_ENV], "w", encoding="ascii") as fh:
                fh.write(f"{time.time():.6f} {peak} {how}\n")
            self.exit()

        self.screen.call_after_refresh(mark)

    # ------------------------------------------------------------------ idle lock
    async def on_event(self, event: events.Event) -> None:
        """Stamp user activity (Textual has no idle event), then handle the event as usual — except
        a key typed while a screen (a form) is still opening: kept for it (:class:`EarlyKeys`).

        A paste loses its terminal codes and control characters here, before any field sees it: the
        visible text is kept, nothing in a field can act on the terminal when it is drawn."""
        if isinstance(event, (events.Key, events.MouseEvent, events.Paste)):
            self.last_activity = time.monotonic()
        if isinstance(event, events.Paste):
            event.text = plain(event.text)
        if self.hold_early_key(event):  # typed while a screen opens: for that screen's first field
            return
        await super().on_event(event)

    def desk_screens_under(self, screen) -> int:
        """How many of the desk's screens lie under ``screen`` on the stack (Textual's blank first
        screen, under the main screen after a lock or a first start, is not one)."""
        stack = self.screen_stack
        below = stack[:stack.index(screen)] if screen in stack else stack
        return sum(s.id != "_default" for s in below)

    @property
    def locked(self) -> bool:
        """True while the lock screen is anywhere on the stack."""
        from .screens.lock import LockScreen

        return any(isinstance(s, LockScreen) for s in self.screen_stack)

    def check_idle_lock(self) -> None:
        """Lock when nobody has touched the desk for the profile's idle time (default 3 minutes)."""
        if self.desk is None:  # the first-start walkthrough: no desk to lock yet
            return
        idle = time.monotonic() - self.last_activity
        if not self.locked and idle >= self.desk.profile.idle_lock_minutes * 60:
            self.action_lock()

    def action_lock(self) -> None:
        """Push the lock screen over whatever is open (an open form stays, with what was typed)."""
        from .screens.lock import LockScreen

        if self.locked or self.desk is None:
            return
        self.flush_drafts()
        self.clear_notifications()

        def unlocked(_: bool | None) -> None:
            self.last_activity = time.monotonic()
            if line := self.desk.extras.get("damaged_warning"):
                self._warn_damaged(line)

        self.push_screen(LockScreen(), unlocked)

    # ------------------------------------------------------------------ quit
    def flush_drafts(self) -> None:
        """Write every open form's draft now (typing waits ~1 s before it is saved otherwise)."""
        for screen in list(self.screen_stack):
            flush = getattr(screen, "flush_draft", None)
            if flush is not None:
                try:
                    flush()
                except Exception:  # noqa: BLE001 - a quit must still quit; the draft is best effort
                    pass

    async def action_quit(self) -> None:
        """ctrl+q / the palette's quit: asks first if a form with typed text is open."""
        from .screens.forms.confirm import ConfirmScreen

        if isinstance(self.screen, ConfirmScreen):
            return
        self.flush_drafts()
        dirty = [s for s in self.screen_stack if getattr(s, "is_dirty", None) and s.is_dirty()]
        summary = self.desk is not None and str(self.desk.extras.get("handoff_summary") or "").strip()
        if summary and not any(type(s).__name__ == "HandoffScreen" for s in dirty):
            # the handoff screen closed with a summary typed: kept only while the app runs (screens.handoff)
            self.push_screen(ConfirmScreen("An unsigned handoff summary is typed (H shows it). Quit anyway? "
                                           "(the handoff summary will be lost)", "y quit", "n stay"),
                             lambda yes: self.exit() if yes else None)
            return
        if not dirty:
            self.exit()
            return
        # a promise only where it is kept: letters typed only in a student search make no draft
        kept = [bool(getattr(s, "keeps_draft", lambda: False)()) for s in dirty]
        question = "A form is open with typed text. Quit anyway? " + (
            "(it is kept as a draft)" if all(kept) else
            "(what you typed will be lost)" if not any(kept) else
            "(a draft is kept of what is in its fields; letters typed in a search are lost)")
        self.push_screen(ConfirmScreen(question,
                                       "y quit", "n stay"),
                         lambda yes: self.exit() if yes else None)

    def exit(self, *args, **kwargs) -> None:  # type: ignore[override]
        """Every way out writes the open forms' drafts first, so nothing typed is lost."""
        self.flush_drafts()
        super().exit(*args, **kwargs)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While locked, no app-wide key (command palette, quit, lock again) does anything."""
        if self.locked:
            return False
        if self.desk is None and action in ("command_palette", "lock"):  # the walkthrough: no desk yet
            return False
        return super().check_action(action, parameters)

    def notify(self, message: str, *, title: str = "", markup: bool = False, **kwargs) -> None:  # type: ignore[override]
        """Notifications are dropped while locked (they could name a student on the lock screen).

        A toast is never markup (it may quote a name or a note: ``[redacted]`` stays ``[redacted]``)
        and never carries a terminal code, whoever calls this (``Widget.notify`` comes here too)."""
        if self.locked:
            return
        super().notify(plain(message), title=plain(title, one_line=True), markup=False, **kwargs)

    # ------------------------------------------------------------------ unexpected errors
    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error: a short message and a crash report without field values.

        Textual's own handler prints a traceback with local variables, which could hold what was
        typed; this one never does. Saved records are safe (each save is one committed transaction).
        """
        from rich.text import Text

        from .crash import write_crash_report

        try:
            where = f"a report without student data is in {write_crash_report(error)}"
        except Exception:  # noqa: BLE001 - the report is a courtesy; the message must still show
            where = "no report could be written"
        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self.panic(Text(f"advocate: stopped after an unexpected error ({type(error).__name__}). "
                        f"Saved records are safe; {where}."))
