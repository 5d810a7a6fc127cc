"""The damaged-file check of an open database, run off the start path, holding every write until it passes.

``PRAGMA quick_check`` reads and (encrypted) decrypts every page: ~4 s for a decade's file here, too
long to wait for before the first screen. So a start opens the store with the check *pending*
(:meth:`Store.check_later <advocate_tui.store.core.Store.check_later>`): the check runs in a thread on
a read-only connection of its own (keyed raw, no key derivation), started after the first screen is
up or by the first write, whichever comes first. Every write (:meth:`Store.transaction`) waits for it:
a save made before it is done is held, not lost; if the file may be damaged, every write is refused
with the one line of :func:`~advocate_tui.store.engine.damaged`, and nothing is written to it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from . import damage, engine
from .engine import StoreError


class FileCheck:
    """One check of one file, run at most once: :meth:`start` (idempotent) runs it in a thread,
    :meth:`wait` starts it if need be and returns once it has passed, or raises its :class:`StoreError`."""

    def __init__(self, path: Path, passphrase: str | None):
        self.path = Path(path)
        self._passphrase = passphrase
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._done = threading.Event()
        #: why the file may be damaged (None while pending, or once it passed)
        self.error: StoreError | None = None
        self._listeners: list[Callable[[FileCheck], None]] = []

    @property
    def done(self) -> bool:
        return self._done.is_set()

    @property
    def passed(self) -> bool:
        return self.done and self.error is None

    def start(self) -> None:
        """Run the check in its own thread, once (later calls do nothing)."""
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._run, name="advocate-file-check", daemon=True)
            self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Start the check if need be and wait for it: True once it has passed, False if ``timeout``
        ran out first; raises the check's :class:`StoreError` when the file may be damaged."""
        self.start()
        if not self._done.wait(timeout):
            return False
        if self.error is not None:
            raise self.error
        return True

    def when_done(self, listener: Callable[["FileCheck"], None]) -> None:
        """Call ``listener(check)`` once the check is done (in the check's thread; at once if it is)."""
        with self._lock:
            if not self._done.is_set():
                self._listeners.append(listener)
                return
        listener(self)

    def _run(self) -> None:
        try:
            if why := damage.cut_short(self.path):
                raise engine.damaged(self.path, why)
            engine.verify_readonly(self.path, passphrase=self._passphrase)
        except StoreError as exc:
            self.error = exc
        except Exception as exc:  # noqa: BLE001 - an unreadable file is refused, never taken as sound
            self.error = StoreError(f"{self.path} could not be checked ({engine.one_line(str(exc))}); "
                                    "nothing is saved to it")
        with self._lock:
            self._done.set()
            listeners, self._listeners = self._listeners, []
        for listener in listeners:
            listener(self)
