"""One labelled field of a form: its label, the input widget, an error line under it (and a hint)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Static

from ...widgets.literal import literal


class FormField(Vertical):
    """One labelled field: label, the input widget, an error line under it."""

    DEFAULT_CSS = """
    FormField { height: auto; margin: 0 0 0 0; }
    FormField > Horizontal { height: auto; }
    FormField .field-label { width: 14; padding: 0 1 0 0; color: $text-muted; }
    FormField:focus-within .field-label { color: $accent; text-style: bold; }
    FormField .field-input { width: 1fr; }
    FormField .field-hint { padding: 0 0 0 14; color: $text-muted; height: auto; }
    FormField .field-error { padding: 0 0 0 14; color: $error; text-style: bold; height: auto; display: none; }
    FormField.-invalid .field-error { display: block; }
    FormField Input, FormField Input:focus { height: 1; border: none; padding: 0 1; background: $boost; }
    FormField Input:focus { background: $accent 20%; }
    FormField Checkbox, FormField Checkbox:focus { border: none; padding: 0; }
    """

    def __init__(self, name: str, widget: Widget, label: str, hint: str = "") -> None:
        super().__init__(id=f"field-{name}")
        self.field_name = name
        self.widget = widget
        self.label = label
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self.label, classes="field-label")
            self.widget.add_class("field-input")
            yield self.widget
        if self.hint:
            yield Static(self.hint, classes="field-hint")
        yield Static("", classes="field-error", id=f"error-{self.field_name}")

    def set_error(self, message: str | None) -> None:
        """Show (or clear, with None) the message under this field."""
        self.set_class(bool(message), "-invalid")
        self.query_one(".field-error", Static).update(literal(f"{self.label} {message}" if message else ""))
