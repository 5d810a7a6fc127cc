"""`o` on a follow-up, an attendance follow-up or a door exception: end it in a line.

One field — what came of it — and enter: the follow-up is done (attendance: resolved; a door
exception: cleared). ``ctrl+d`` instead dismisses the follow-up, the line saying why. Both are a
change of status with its history (:mod:`advocate_tui.services.ends`), never an amendment; a door
exception is cleared by a new, secure check of the door. Dismisses with the saved record (for a door,
that new check).
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.widgets import Input, Static

from ...models import Record
from ...services import ends
from ...widgets.form_input import FormInput
from ...widgets.literal import literal
from .base import FormScreen
from .record_text import summary

__all__ = ["EndForm"]

#: per kind of end: (title, field label, placeholder, enter does, ctrl+d does)
_WORDS = {
    ends.FOLLOW_UP: ("Follow-up", "Outcome", "what came of it, in a line (enter: done)", "done", "dismissed"),
    ends.ATTENDANCE: ("Resolve attendance follow-up", "Outcome", "what came of it, in a line (enter: resolved)",
                      "resolved", "dismissed"),
    ends.DOOR: ("Clear door exception", "Done", "what was done, e.g. wedge removed (enter: cleared)", "cleared", ""),
}

#: how the end is kept: a change of status of the record, or (a door) a new check of the door
_RECORDED = {
    False: "Recorded as a change of status, with its history; the record itself stays as written.",
    True: "Recorded as a new check of this door, secure, with this line; the exception stays on file.",
}


class EndForm(FormScreen):
    """End the selected item: enter with the outcome (done / resolved / cleared), ctrl+d dismissed."""

    FORM = "end"
    FORM_TITLE = "End"
    DRAFTS = False
    DEFAULT_CSS = """
    EndForm > #form { height: 12; }
    """
    BINDINGS = [
        # priority: a text field would take ctrl+d (delete right) first
        Binding("ctrl+d", "end_dismissed", "Dismiss", priority=True),
    ]

    def __init__(self, record: Record, kind: str | None = None, **kwargs: Any) -> None:
        super().__init__(record=record, **kwargs)
        #: what ending means here (services.ends: follow_up, attendance, door)
        self.kind = kind or ends.FOLLOW_UP
        self._dismissed = False

    @property
    def title_text(self) -> str:
        title = _WORDS[self.kind][0]
        return f"{title}: done or dismissed" if self.kind == ends.FOLLOW_UP else title

    @property
    def keys_text(self) -> str:
        _t, _l, _p, done, dismissed = _WORDS[self.kind]
        keys = [f"enter {done}"]
        if dismissed:
            keys.append(f"ctrl+d {dismissed} (the line says why)")
        return " · ".join(keys + ["esc cancel"])

    def compose_fields(self):
        _title, label, placeholder, _d, _x = _WORDS[self.kind]
        yield Static(literal(summary(self.app.desk, self.record)), id="end-summary")
        yield Static(_RECORDED[self.kind == ends.DOOR], classes="field-hint")
        yield self.field("outcome", FormInput(placeholder=placeholder, next_on_enter=False, max_length=ends.MAX_OUTCOME),
                         label)

    def initial_values(self) -> dict[str, Any]:
        return {"outcome": ""}

    def submitted(self, event: Input.Submitted) -> None:
        """enter: done (resolved, cleared) with the line as its outcome."""
        self._dismissed = False
        self.action_save()

    def action_end_dismissed(self) -> None:
        """ctrl+d: dismissed, the line saying why."""
        if not _WORDS[self.kind][4]:
            self.notify("A door exception is cleared, not dismissed: say what was done, then enter",
                        severity="warning")
            return
        self._dismissed = True
        self.action_save()

    def check_values(self, values: dict[str, Any]) -> dict[str, str]:
        return {} if str(values.get("outcome") or "").strip() else {"outcome": "is required"}

    def save_values(self, values: dict[str, Any]) -> Record:
        return ends.end_item(self.app.desk, self.record, str(values.get("outcome") or ""), dismissed=self._dismissed)

    def saved_text(self, record: Record) -> str:
        text = ends.ended_text(record)
        return text[:1].upper() + text[1:]
