"""The lock screen: the school and the clock, nothing else, until the PIN (or passphrase) is typed.

A full :class:`~textual.screen.Screen`, not a ``ModalScreen``: a modal lets the screen behind it show
through. It is pushed over whatever is open (an open form stays on the stack underneath, with what
was typed) and it carries no toast rack and no tooltip, so no notification can show a student's name
on it. Each wrong entry makes the next try wait longer, at every desk on the database
(:class:`~advocate_tui.services.security.Unlocker`). ``advocate serve`` starts every browser's desk here
(``AdvocateApp(locked=True)``), before the main screen exists.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Middle, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from ..services import security
from ..widgets.form_input import FormInput
from ..widgets.literal import literal


class LockScreen(Screen[bool]):
    """Hides the desk until it is unlocked; dismisses with True when it is."""

    DEFAULT_CSS = """
    LockScreen { align: center middle; background: $background; }
    LockScreen #lock-box { width: 60; height: auto; border: heavy $accent; padding: 1 2; background: $panel; }
    LockScreen #lock-school { text-style: bold; content-align: center middle; width: 100%; }
    LockScreen #lock-clock { content-align: center middle; width: 100%; color: $text-muted; margin: 0 0 1 0; }
    LockScreen #lock-prompt { width: 100%; }
    LockScreen #lock-message { width: 100%; color: $error; height: auto; min-height: 1; }
    LockScreen Input { margin: 1 0 0 0; }
    """
    AUTO_FOCUS = "#lock-secret"
    #: no command palette from the lock screen
    COMMANDS: set = set()

    def __init__(self, *, clock: Callable[[], float] = time.time, **kwargs):
        super().__init__(**kwargs)
        self._wait_clock = clock
        self.unlocker: security.Unlocker | None = None

    def _extend_compose(self, widgets: list[Widget]) -> None:
        """No toast rack and no tooltip: nothing from the screens below can surface here."""

    def compose(self) -> ComposeResult:
        desk = self.app.desk
        needs = security.lock_needs_secret(desk)
        if security.has_pin(desk):
            prompt = "Locked. Type the PIN (or the passphrase) and press Enter."
        elif needs:
            prompt = "Locked. Type the desk passphrase and press Enter."
        else:
            prompt = (f"Locked. Type {security.UNLOCK_WORD} and press Enter "
                      "(this desk has no PIN and no passphrase).")
        with Middle(), Center(), Vertical(id="lock-box"):
            yield Static(literal(desk.profile.school.name), id="lock-school")
            yield Static(literal(self._clock_text()), id="lock-clock")
            yield Static(prompt, id="lock-prompt")
            placeholder = ("PIN" if security.has_pin(desk) else "passphrase" if needs
                           else f"type {security.UNLOCK_WORD}")
            # (a FormInput: backspace and the other editing keys act in the order typed, not after the keys behind)
            yield FormInput(password=True, id="lock-secret", placeholder=placeholder, next_on_enter=False)
            yield Static("", id="lock-message")

    def on_mount(self) -> None:
        self.unlocker = security.Unlocker(self.app.desk, clock=self._wait_clock)
        self.set_interval(1.0, self._tick)

    def _clock_text(self) -> str:
        try:
            return self.app.desk.clock.label()
        except Exception:  # noqa: BLE001 - a clock problem must not keep the lock from showing
            return ""

    def _tick(self) -> None:
        self.query_one("#lock-clock", Static).update(literal(self._clock_text()))
        self._show_wait()

    def _show_wait(self) -> None:
        """While a wait runs: the input is disabled and the seconds left are shown."""
        assert self.unlocker is not None
        left = self.unlocker.wait_left()
        field = self.query_one("#lock-secret", Input)
        message = self.query_one("#lock-message", Static)
        if left > 0:
            field.disabled = True
            message.update(f"Wrong entry ({self.unlocker.failures}). Try again in {math.ceil(left)} s.")
        elif field.disabled:
            field.disabled = False
            message.update(f"Wrong entry ({self.unlocker.failures}). Try again.")
            field.focus()

    @on(Input.Submitted, "#lock-secret")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        assert self.unlocker is not None
        secret = event.value
        event.input.value = ""
        if self.unlocker.try_unlock(secret):
            self.dismiss(True)
            return
        self._show_wait()
        left = self.unlocker.wait_left()
        if left > 0:
            self.set_timer(left + 0.05, self._show_wait)
