"""The first start of a new school: a walkthrough of the school profile, page by page.

Pages: the school (name, short name, time zone), the school year (first and last day, weekdays,
holidays and breaks), the bell schedule, the exterior doors, the patrol, the staff, then a check
of it all. Every answer starts with a default that enter accepts; lists are typed one item a line.
``enter`` moves to the next field (on a page's last field, to the next page), ``tab``/``shift+tab``
move between fields (and out of a list), ``ctrl+n``/``ctrl+b`` go to the next or previous page,
``escape`` asks before quitting. Leaving a page checks it: each problem shows under its field in
words, the field keeps what was typed, and the cursor goes to the first one.

The screen only asks; ``first_start`` (see :mod:`advocate_tui.cli.first_start`) saves the profile,
opens the database and records the school. The screen dismisses with the opened desk.
"""

from __future__ import annotations

import functools
import zoneinfo
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import Button, ContentSwitcher, Footer, Input, Label, Static, TextArea

from ..profile import SchoolProfile, slugify
from ..services import school_setup as setup
from ..widgets.form_input import FormInput, forward_if_blurred
from ..widgets.literal import literal

__all__ = ["SchoolSetupScreen"]

#: answer key → (label, kind): "line" is a one-line field, "list" a text area of one item a line
FIELDS: dict[str, tuple[str, str]] = {
    "name": ("School name", "line"), "short_name": ("Short name", "line"), "timezone": ("Time zone", "line"),
    "words": ("Words & dates", "line"),
    "year_start": ("First day", "line"), "year_end": ("Last day", "line"), "school_days": ("School days", "line"),
    "holidays": ("Days off", "list"), "bells": ("Periods", "list"), "doors": ("Doors", "list"),
    "interval": ("Round every", "line"), "zones": ("Zones", "list"), "staff": ("Staff", "list"),
}
PLACEHOLDERS = {
    "name": "e.g. Lincoln High School", "short_name": "from the name", "timezone": "e.g. America/Chicago", "words": "US or UK",
    "year_start": "YYYY-MM-DD", "year_end": "YYYY-MM-DD", "school_days": "mon tue wed thu fri",
    "holidays": "none yet; for example:\n2026-11-26 to 2026-11-27 Thanksgiving break\n2027-01-18 Martin Luther King Jr. Day",
    "interval": "minutes", "zones": "for example:\nNorth wing: Science hall, Library doors",
    "staff": "none yet; for example:\nDana Whitfield", "doors": "for example: Main entrance",
}
SUFFIX = {"interval": "minutes"}
REVIEW = len(setup.STEPS)


@functools.cache
def _zones() -> list[str]:
    """Every IANA time zone name, sorted (suggested as the time zone is typed)."""
    return sorted(zoneinfo.available_timezones())


class _PageButton(Button):
    """The Next button. Enter goes on at once (not through a binding or a message run later, so keys
    typed right after it land on the next page), and every enter counts: the same button goes on page
    after page (a plain Button ignores a second press while it still shows the first)."""

    async def _on_key(self, event: events.Key) -> None:
        if forward_if_blurred(self, event):
            return
        if event.key in ("enter", "space") and not self.disabled:
            event.stop()
            event.prevent_default()
            self.screen.action_next_step()


class _ListArea(TextArea):
    """A list answer, one item a line. Tab and shift+tab leave it at once (not through a binding run
    later), so an enter typed right after tab presses Next instead of adding a line here."""

    async def _on_key(self, event: events.Key) -> None:
        if forward_if_blurred(self, event):
            return
        if event.key in ("tab", "shift+tab"):
            event.stop()
            event.prevent_default()
            (self.screen.focus_next if event.key == "tab" else self.screen.focus_previous)()
            return
        await super()._on_key(event)


class _SetupInput(FormInput):
    """A one-line answer. Enter goes on at once — the next field, or the next page from a page's last
    field — so keys typed right after it land where the cursor went, never in this field."""

    async def _on_key(self, event: events.Key) -> None:
        if forward_if_blurred(self, event):
            return
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.screen.enter_from(self)
            return
        await super()._on_key(event)


class SchoolSetupScreen(Screen):
    """The school profile, asked page by page at the first start of a new school's database."""

    CSS_PATH = "school_setup.tcss"
    COMMANDS: set = set()
    BINDINGS = [
        Binding("ctrl+n", "next_step", "Next page", id="setup.next"),
        Binding("ctrl+b", "previous_step", "Back", id="setup.back"),
        Binding("escape", "quit_setup", "Quit", id="setup.quit"),
    ]

    def __init__(self, first_start: Any, **kwargs) -> None:
        super().__init__(**kwargs)
        self.first_start = first_start
        self.answers: setup.Answers = dict(first_start.defaults())
        self.opening = dict(self.answers)
        self.step = 0
        #: pages left once with problems: their messages follow each change
        self.checked: set[int] = set()
        self.profile: SchoolProfile | None = None
        self._auto_short = slugify(self.answers["name"]) if self.answers.get("name") else ""
        #: the profile is being saved (a second enter does not save it twice)
        self._saving = False

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Static("", id="setup-title")
        yield Static("", id="setup-help")
        with ContentSwitcher(initial="setup-step-0", id="setup-pages"):
            for index, step in enumerate(setup.STEPS):
                with Vertical(id=f"setup-step-{index}", classes="setup-page"):
                    for key in step.fields:
                        yield from self._field(key)
            with Vertical(id=f"setup-step-{REVIEW}", classes="setup-page"):
                yield Static("", id="setup-summary")
        yield Static("", id="setup-message")
        with Horizontal(id="setup-buttons"):
            back = Button("‹ Back (ctrl+b)", id="setup-back")
            back.can_focus = False  # tab from a list goes to Next, never back a page
            yield back
            yield _PageButton("Next ›", id="setup-next", variant="primary")
        yield Footer(compact=True)

    def _field(self, key: str) -> ComposeResult:
        label, kind = FIELDS[key]
        value = self.answers.get(key, "")
        if kind == "list":
            with Vertical(classes="setup-list", id=f"setup-row-{key}"):
                yield Label(label, classes="setup-label")
                area = _ListArea(value, id=f"setup-{key}", soft_wrap=False, show_line_numbers=True,
                                tab_behavior="focus", placeholder=PLACEHOLDERS.get(key, ""), classes="setup-area")
                yield area
                yield Static("", id=f"setup-error-{key}", classes="setup-error")
            return
        with Vertical(classes="setup-line", id=f"setup-row-{key}"):
            with Horizontal(classes="setup-line-row"):
                yield Label(label, classes="setup-label")
                suggester = SuggestFromList(_zones(), case_sensitive=False) \
                    if key == "timezone" else None
                yield _SetupInput(value, id=f"setup-{key}", placeholder=PLACEHOLDERS.get(key, ""),
                                suggester=suggester, next_on_enter=False, select_on_focus=False,
                                classes="setup-input" + (" -short" if key in SUFFIX else ""))
                if key in SUFFIX:
                    yield Label(SUFFIX[key], classes="setup-suffix")
            yield Static("", id=f"setup-error-{key}", classes="setup-error")

    def on_mount(self) -> None:
        self._show_step(0)

    # ------------------------------------------------------------------ answers
    def _widget(self, key: str) -> Input | TextArea:
        return self.query_one(f"#setup-{key}")

    def _read(self) -> setup.Answers:
        for key, (_label, kind) in FIELDS.items():
            widget = self._widget(key)
            self.answers[key] = widget.text if kind == "list" else widget.value
        return self.answers

    def is_dirty(self) -> bool:
        """True once anything differs from the defaults (quitting then asks first)."""
        return self._read() != self.opening

    def _errors(self) -> dict[str, str]:
        self.profile, errors = setup.build(self._read(), self.first_start.uuid)
        return errors

    def _show_errors(self, step: int, errors: dict[str, str]) -> list[str]:
        """Show the problems of page ``step`` under their fields; the keys with one, in page order."""
        bad = []
        for key in setup.STEPS[step].fields if step < REVIEW else ():
            message = errors.get(key, "")
            line = self.query_one(f"#setup-error-{key}", Static)
            line.update(literal(f"{FIELDS[key][0]}: {message}" if message else ""))
            line.display = bool(message)
            self._widget(key).set_class(bool(message), "-invalid")
            if message:
                bad.append(key)
        return bad

    # ------------------------------------------------------------------ pages
    def _show_step(self, step: int) -> None:
        self.step = step
        total = REVIEW + 1
        if step < REVIEW:
            info = setup.STEPS[step]
            title, help_text = info.title, info.help
        else:
            title, help_text = "Check and save", "enter saves the profile and opens the desk; ctrl+b goes back to change it."
        self.query_one("#setup-title", Static).update(
            literal(f"First start · set up your school · page {step + 1} of {total}: {title}"))
        self.query_one("#setup-help", Static).update(literal(help_text))
        self.query_one("#setup-pages", ContentSwitcher).current = f"setup-step-{step}"
        self.query_one("#setup-message", Static).update("")
        self.query_one("#setup-back", Button).disabled = step == 0
        self.query_one("#setup-next", Button).label = "Save and start" if step == REVIEW else "Next ›"
        if step == REVIEW:
            self._show_summary()
            self._focus(self.query_one("#setup-next", Button))
        else:
            self._focus(self._widget(setup.STEPS[step].fields[0]))

    def _show_summary(self) -> None:
        errors = self._errors()
        box = self.query_one("#setup-summary", Static)
        if self.profile is None:
            box.update(literal("Something still needs an answer:\n" + "\n".join(f"· {m}" for m in errors.values())))
            return
        lines = setup.summary(self.profile, self.first_start.today)
        lines += ["", f"Saved to {self.first_start.profile_path} (only you can read it): edit it later, then "
                      "restart the app."]
        box.update(literal("\n".join(lines)))

    def action_next_step(self) -> None:
        """Check this page; go on when it is fine, else show what to fix (the cursor on the first)."""
        if self.step == REVIEW:
            self._save()
            return
        errors = self._errors()
        bad = self._show_errors(self.step, errors)
        if bad:
            self.checked.add(self.step)
            self._focus(self._widget(bad[0]))
            self.query_one("#setup-message", Static).update(
                literal(f"{len(bad)} answer{'s' * (len(bad) != 1)} on this page need{'s' * (len(bad) == 1)} a look"))
            return
        self._show_step(self.step + 1)

    def action_previous_step(self) -> None:
        if self.step > 0:
            self._show_step(self.step - 1)

    def action_quit_setup(self) -> None:
        from .forms.confirm import ConfirmScreen

        self.app.push_screen(
            ConfirmScreen("Quit the first start? Nothing is saved yet: the next start asks again.",
                          "y quit", "n go on"),
            lambda yes: self.app.exit(return_code=1) if yes else None)

    def _save(self) -> None:
        """Save the profile, open the database and record the school; the desk when it worked."""
        message = self.query_one("#setup-message", Static)
        errors = self._errors()
        if self.profile is None:
            self._show_summary()
            message.update(literal(f"Not saved: {next(iter(errors.values()))}"))
            return
        if self._saving:
            return
        self._saving = True
        message.set_class(False, "-error")
        message.update("Saving the profile and making the encrypted database (a few seconds)…")
        self.call_after_refresh(self._finish, self.profile)  # the line shows before the wait starts

    def _finish(self, profile: SchoolProfile) -> None:
        message = self.query_one("#setup-message", Static)
        try:
            desk = self.first_start.finish(profile)
        except Exception as exc:  # noqa: BLE001 - a file or database problem: one line, nothing typed is lost
            self._saving = False
            message.update(literal(f"Not saved: {exc}"))
            message.set_class(True, "-error")
            return
        self.dismiss(desk)

    # ------------------------------------------------------------------ events
    @on(Button.Pressed, "#setup-next")
    def _next_pressed(self) -> None:
        self.action_next_step()

    @on(Button.Pressed, "#setup-back")
    def _back_pressed(self) -> None:
        self.action_previous_step()

    def enter_from(self, field: Input) -> None:
        """enter in a one-line answer: the next field, or the next page from a page's last field."""
        fields = setup.STEPS[self.step].fields if self.step < REVIEW else ()
        key = (field.id or "").removeprefix("setup-")
        if key == "timezone":  # enter takes the zone shown as a suggestion ("America/Chi" → America/Chicago)
            typed = field.value.strip().casefold()
            zones = _zones()
            if typed and not any(z.casefold() == typed for z in zones):
                found = next((z for z in zones if z.casefold().startswith(typed)), None)
                if found:
                    field.value = found
                    field.cursor_position = len(found)
        if key in fields and key == fields[-1]:
            self.action_next_step()
        else:
            self.focus_next()
            self._focus(self.focused)

    def _focus(self, widget) -> None:
        """Focus ``widget`` now (not after the keys already typed), the cursor at the end of a filled
        answer — ready to add to it, nothing selected."""
        self.set_focus(widget)
        if isinstance(widget, Input):
            widget.cursor_position = len(widget.value)
        elif isinstance(widget, TextArea) and widget.text and widget.cursor_location == (0, 0):
            widget.move_cursor(widget.document.end)

    def on_descendant_focus(self, event) -> None:
        """Into a filled list by tab or a click: the cursor at the end too."""
        area = event.widget
        if isinstance(area, TextArea) and area.text and area.cursor_location == (0, 0):
            area.move_cursor(area.document.end)

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _changed(self, event: Input.Changed | TextArea.Changed) -> None:
        widget = event.input if isinstance(event, Input.Changed) else event.text_area
        key = (widget.id or "").removeprefix("setup-")
        if key == "name":
            short = self._widget("short_name")
            if short.value in ("", self._auto_short):
                self._auto_short = slugify(event.value) if event.value.strip() else ""
                short.value = self._auto_short
                short.cursor_position = len(short.value)
        if self.step in self.checked:
            self._show_errors(self.step, self._errors())
