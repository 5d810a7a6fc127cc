"""Void a record: a required reason (enter saves); the record stays on file, marked void, with its history."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Static

from ...models import Record
from ...services import handoff, recording
from ...widgets.form_input import FormInput
from ...widgets.literal import literal
from .base import FormScreen
from .record_text import kind_in_a_sentence, kind_of, summary


class VoidForm(FormScreen):
    """``x`` on an item: asks why, refuses without a reason; dismisses with the voided record."""

    FORM = "void"
    FORM_TITLE = "Void"
    DRAFTS = False

    def __init__(self, record: Record, **kwargs: Any) -> None:
        super().__init__(record=record, **kwargs)

    @property
    def title_text(self) -> str:
        return f"Void this {kind_in_a_sentence(self.record)}"

    def compose_fields(self):
        yield Static(literal(summary(self.app.desk, self.record)), id="void-summary")
        yield Static("It stays on file, marked void; the reason is kept in its history.", classes="field-hint")
        if warning := handoff.void_warning(self.app.desk, self.record):
            yield Static(literal(warning), classes="field-hint", id="void-handed-off")
        yield self.field("reason", FormInput(placeholder="why is this record void? (required)", next_on_enter=False),
                         "Reason")

    @property
    def keys_text(self) -> str:
        return "enter void it · esc cancel"

    def submitted(self, event: Input.Submitted) -> None:
        """enter saves: the reason is the only field."""
        self.action_save()

    def check_values(self, values: dict[str, Any]) -> dict[str, str]:
        reason = (values.get("reason") or "").strip()
        return {} if reason else {"reason": "is required — say in a few words why this record is void"}

    def save_values(self, values: dict[str, Any]) -> Record:
        return recording.void(self.app.desk, self.record, values.get("reason") or "")

    def saved_text(self, record: Record) -> str:
        return f"{kind_of(record)} voided"
