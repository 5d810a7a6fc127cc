"""A time (or date) field that reads quick forms and shows what it understood, in the school's zone.

Time: empty means now; "10:40", "1040", "2:15pm", "-15m", "P3", "yesterday P5" (``clock.parse_when``).
Date: empty means ``empty_means`` (today, or none); "tomorrow", "+3d", "fri", "11/30" (``clock.parse_date``).
Next to the field: "P3 · 10:40" (or "Mon 30 Nov"), or what is wrong in words (with ``past_of``, a
time more than a few minutes after now, for things logged after they happen). A date without
school on the profile's calendar is kept, with a note: "Fri 27 Nov 2026 · no school (Thanksgiving break)".
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Static

from ..clock import WhenError, parse_date, parse_when
from ..services.recording import too_late
from .form_input import FormInput
from .literal import literal


class WhenInput(Horizontal):
    """A quick time or date field with its parsed value shown beside it."""

    DEFAULT_CSS = """
    WhenInput { height: auto; width: 1fr; }
    WhenInput > Input, WhenInput > Input:focus { width: 30; height: 1; border: none; padding: 0 1; background: $boost; }
    WhenInput > Input:focus { background: $accent 20%; }
    WhenInput > .when-parsed { width: 1fr; height: auto; padding: 0 1; color: $success; }
    WhenInput > .when-parsed.-bad { color: $error; }
    WhenInput > .when-parsed.-note { color: $warning; }
    """

    def __init__(self, value: str = "", *, kind: str = "time", empty_means: str | None = "now",
                 placeholder: str | None = None, past_of: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.kind = kind
        #: "an incident": a time later than now is shown as wrong (it is logged after it happens)
        self.past_of = past_of
        self.empty_means = empty_means
        hint = placeholder or ("now, 10:40, -15m, P3" if kind == "time" else
                               ("today" if empty_means else "none") + ", tomorrow, +3d, fri")
        self._input = FormInput(value=value, placeholder=hint, select_on_focus=False)
        self._parsed = Static("", classes="when-parsed")

    def compose(self) -> ComposeResult:
        yield self._input
        yield self._parsed

    def on_mount(self) -> None:
        self._show()

    @property
    def value(self) -> str:
        """What was typed (the form parses it again when saving)."""
        return self._input.value

    @value.setter
    def value(self, text: str) -> None:
        self._input.value = text or ""
        if self.is_mounted:
            self._show()

    def focus_input(self) -> None:
        self._input.focus()

    @on(Input.Changed)
    def _changed(self) -> None:
        self._show()

    def parsed_label(self) -> tuple[str, bool]:
        """What the field understood ('P3 · 10:40') and whether it is valid."""
        clock = self.app.desk.clock
        text = self._input.value.strip()
        try:
            if self.kind == "time":
                when = parse_when(text, clock)
                if self.past_of and (problem := too_late(self.app.desk, when, self.past_of)):
                    return f"{clock.label(when)} {problem}", False
                label = clock.label(when)
                if when.date() != clock.today():
                    label = f"{when:%a %d %b} · {label}"
                return (f"now · {label}" if not text else label), True
            if not text and self.empty_means is None:
                return "none", True
            day = parse_date(text, clock)
            if (off := clock.day_off(day)) is not None:
                return f"{day:%a %d %b %Y} · no school ({off})", True
            return f"{day:%a %d %b %Y}", True
        except WhenError as exc:
            return str(exc), False

    def _show(self) -> None:
        label, ok = self.parsed_label()
        self._parsed.update(literal(label))  # a holiday's name, or what was typed: data, never markup
        self._parsed.set_class(not ok, "-bad")
        self._parsed.set_class(ok and " · no school (" in label, "-note")
