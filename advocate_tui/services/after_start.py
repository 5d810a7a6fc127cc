"""What a start leaves for after the first screen is up: the damaged-file check, then the school day's
first backup, in one background thread, so neither delays the first screen nor blocks typing.

The check (:class:`~advocate_tui.store.filecheck.FileCheck`) holds every write until it passes; the
backup runs only once it has (a damaged file is never copied over a good day's backup), on a
connection of its own (keyed raw: no key derivation). What the user should hear comes back through
``on_event(kind, line)`` from the background thread: ``"damaged"`` (the check failed: nothing will be
saved) or ``"backup_failed"``. The command line calls :meth:`AfterStart.finish` once the app has
closed: a backup still being made is finished then (the day's backup is never skipped by a quick quit).
No Textual here.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from pathlib import Path

from ..desk import Desk
from ..store import StoreError


class AfterStart:
    """The start's background work for one desk: :meth:`start` once the screen is up (idempotent)."""

    def __init__(self, desk: Desk, *, backup: bool):
        self.desk = desk
        #: the school day's first backup is due at this start
        self.backup_due = backup
        #: called from the background thread: (kind, one line) — see the module's docstring
        self.on_event: Callable[[str, str], None] | None = None
        self.damaged: StoreError | None = None
        self.backup_warning = ""
        self.backup_path: Path | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="advocate-after-start", daemon=True)
                self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def finish(self) -> None:
        """After the app has closed: let a due backup finish (starting the work if the app never did);
        with no backup due, a check still running is left (it writes nothing). ctrl+c stops the backup
        between two steps, and its partial copy is removed."""
        if not self.backup_due:
            return
        self.start()
        try:
            while self._thread.is_alive():
                self._thread.join(0.2)
        except KeyboardInterrupt:
            self._stop.set()
            self._thread.join()
            raise

    def _say(self, kind: str, line: str) -> None:
        if self.on_event is not None:
            try:
                self.on_event(kind, line)
            except Exception:  # noqa: BLE001 - the app has gone: the command line says it after
                pass

    def _run(self) -> None:
        check = self.desk.store.file_check
        try:
            if check is not None:
                check.wait()
        except StoreError as exc:
            self.damaged = exc
            self._say("damaged", str(exc))
            return  # a file that may be damaged is not backed up (it would push out a good backup)
        if not self.backup_due or self._stop.is_set():
            return
        from .backup import daily_backup

        twin = None
        try:
            twin = self.desk.store.reopen()
            self.backup_path = daily_backup(dataclasses.replace(self.desk, store=twin), stop=self._stop.is_set)
        except (StoreError, OSError) as exc:
            self.backup_warning = f"today's backup failed: {exc}"
            self._say("backup_failed", self.backup_warning)
        finally:
            if twin is not None:
                twin.close()
