"""Setting the idle-lock PIN from inside the app, and the palette commands "Lock now" / "Set PIN".

The PIN (at least 4 characters, typed twice) is stored only as a salted scrypt hash
(:func:`advocate_tui.services.security.set_pin`). Setting it asks for the desk passphrase first when
the database is encrypted, so a passer-by at an unlocked desk can't choose a PIN of their own.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..palette import ListedCommands

from ..services import security
from ..widgets.form_input import FormInput
from ..widgets.literal import literal


class PinSetupScreen(ModalScreen[bool]):
    """Choose the idle-lock PIN: passphrase (if encrypted), PIN, PIN again; dismisses True when set."""

    DEFAULT_CSS = """
    PinSetupScreen { align: center middle; }
    PinSetupScreen #pin-box { width: 64; height: auto; border: heavy $accent; padding: 1 2; background: $panel; }
    PinSetupScreen #pin-title { text-style: bold; }
    PinSetupScreen #pin-error { color: $error; height: auto; }
    PinSetupScreen Input { margin: 1 0 0 0; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        desk = self.app.desk
        with Vertical(id="pin-box"):
            yield Static("Idle-lock PIN", id="pin-title")
            yield Static("At least 4 characters. It unlocks the idle lock of a running app; the full "
                         "passphrase is still needed to start it. enter saves · escape cancels.")
            # FormInputs: backspace acts in the order typed (a PIN corrected fast is the PIN typed); enter moves
            # on at once (the keys typed behind it land in the next field), and saves from the last
            if security.is_encrypted(desk):
                yield FormInput(password=True, placeholder="desk passphrase", id="pin-passphrase")
            yield FormInput(password=True, placeholder="new PIN", id="pin-new")
            yield FormInput(password=True, placeholder="new PIN again", id="pin-again", next_on_enter=False)
            yield Static("", id="pin-error")

    def _error(self, text: str) -> None:
        self.query_one("#pin-error", Static).update(literal(text))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index < len(inputs) - 1 and not inputs[index + 1].value:
            inputs[index + 1].focus()
            return
        self._save()

    def _save(self) -> None:
        desk = self.app.desk
        values = {i.id: i.value for i in self.query(Input)}
        if "pin-passphrase" in values and not security.verify_passphrase(desk, values["pin-passphrase"]):
            self._error("That is not the desk passphrase.")
            return
        if values["pin-new"] != values["pin-again"]:
            self._error("The two PINs differ.")
            return
        try:
            security.set_pin(desk, values["pin-new"])
        except security.SecretError as exc:
            self._error(f"{str(exc)[0].upper()}{str(exc)[1:]}.")
            return
        self.app.notify("Idle-lock PIN set.")
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class SecurityCommands(ListedCommands):
    """Command palette: lock the desk now; set the idle-lock PIN."""

    def commands(self):
        return [
            ("Lock now (ctrl+l)", self.app.action_lock, "Hide the desk behind the lock screen"),
            ("Set the idle-lock PIN", lambda: self.app.push_screen(PinSetupScreen()),
             "A short PIN that unlocks the idle lock"),
        ]
