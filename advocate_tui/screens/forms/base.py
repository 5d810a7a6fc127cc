"""The base of every quick-entry form: fields, ctrl+s / escape, errors next to fields, drafts.

How to write a form (see ``contact.py`` for a short real one)::

    class DoorForm(FormScreen):
        FORM = "door"                   # draft name and registry key (unique)
        FORM_TITLE = "Door check"       # shown in the title bar and in "Door check saved"

        def __init__(self, door: str | None = None, **kwargs):
            super().__init__(**kwargs)  # record=, prefill=, draft= go to the base
            self.door = door

        def compose_fields(self):       # yield fields, in focus order
            yield self.field("door", Choice(options), "Door")
            yield self.field("note", FormInput(), "Note", hint="required unless secure")

        def initial_values(self):       # values when opening (record → values for an amend)
            return {"door": self.door or ""}

        def save_values(self, values):  # build + store through a service; return the saved record
            return checklist.record_door(self.app.desk, values)   # raise Invalid({field: msg}) if bad

- ``RECORD_KIND = "door_check"`` lets ``e`` on an item (ItemScreen) open this form with ``record=``.
- ``self.field(name, widget, label, hint=)`` wraps any widget with a ``value`` attribute (Input,
  Checkbox, :class:`~advocate_tui.widgets.choice.Choice`, ``StudentPicker``, ``WhenInput``) in a
  labelled row with its own error line; ``values()`` returns ``{name: widget.value}`` plus
  ``self.hidden`` (values with no widget, such as ``incident_id``).
- Text fields: use ``widgets.form_input.FormInput`` (enter moves to the next field at once, and keys
  typed faster than the focus moves still land in the right field); ``FormInput(next_on_enter=False)``
  posts ``Input.Submitted`` for a form where enter does something else. Fixed lists: ``Choice``.
- ``prefill`` (a dict of field values) is applied over ``initial_values()``; a draft over both.
- ``save_values`` raises :class:`Invalid` with ``{field: message}`` (message without the label:
  "can't be empty" shows as "Note can't be empty" under the Note field); unknown fields and ``""``
  show in the form's error line. A :class:`StoreError` shows there too. The form keeps what was typed.
- On success the draft is cleared, "… saved" is notified (after the store committed) and the screen
  dismisses with the record: ``push_screen(DoorForm(), callback)`` → ``callback(record | None)``.
- An error under a field is checked again as soon as that field changes (``check_values``, which
  recording forms answer through ``services.recording.check``): it goes when the value is fine.
- escape cancels; if anything differs from how the form opened it asks first.
- Typed values are kept as a draft (debounced, ~1 s) in the store's ``drafts`` table;
  ``FormScreen.from_draft(draft)`` reopens any form from ``services.drafts.pending_drafts(desk)``.
  A form whose constructor takes other arguments can override ``_from_draft(draft)``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Static

from ...models import Record
from ...services import drafts
from ...services.recording import Invalid
from ...store import StoreError
from ...widgets.choice import Choice
from ...widgets.literal import literal
from ...widgets.student_picker import StudentPicker
from .confirm import ConfirmScreen
from .draft_keeping import DraftKeeping
from .field_errors import FieldErrors
from .form_field import FormField

__all__ = ["FormScreen", "FormField", "ConfirmScreen", "Invalid", "FORMS"]

#: form name → form class (filled by subclasses that set FORM); used by ``from_draft``
FORMS: dict[str, type["FormScreen"]] = {}

#: seconds of quiet before a draft is written
DRAFT_DELAY = 1.0


def _in_sentence(title: str) -> str:
    """A form's title inside a sentence: "Incident" → "incident"; names keep their capitals ("Peace Room
    visit", "CICO enrolment")."""
    first, _, rest = title.partition(" ")
    if first.isupper() or any(w[:1].isupper() for w in rest.split()):
        return title
    return title[:1].lower() + title[1:]


class FormScreen(DraftKeeping, FieldErrors, ModalScreen[Record | None]):
    """A quick-entry form for one record (new with ``prefill``, or an amend of ``record``)."""

    FORM: ClassVar[str] = ""
    FORM_TITLE: ClassVar[str] = "Form"
    #: the record kind (``Record.kind``) this form amends, so ``e`` on an item finds its form
    RECORD_KIND: ClassVar[str] = ""
    #: keep drafts of this form
    DRAFTS: ClassVar[bool] = True

    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > #form { width: 100%; max-width: 110; height: 100%; max-height: 40;
                         border: thick $accent; background: $panel; }
    FormScreen #form-title { dock: top; height: 1; background: $accent; color: $text; text-style: bold; padding: 0 1; }
    FormScreen #form-body { height: 1fr; padding: 0 1; }
    FormScreen #form-error { height: auto; color: $error; text-style: bold; padding: 0 1; display: none; }
    FormScreen #form-error.-shown { display: block; }
    FormScreen #form-keys { dock: bottom; height: auto; color: $text-muted; padding: 0 1; background: $boost; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]
    #: no focus until :meth:`focus_first` picks the field (Textual would focus the first one at once,
    #: and letters typed quickly after ``R`` would land in Students instead of To); keys typed
    #: meanwhile wait for that field (:meth:`ready_for_keys`)
    AUTO_FOCUS = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("FORM"):
            FORMS[cls.FORM] = cls

    def __init__(self, record: Record | None = None, prefill: dict[str, Any] | None = None, *,
                 draft: drafts.Draft | None = None, start_at: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: the field the cursor starts in (None: the first empty one, see :meth:`focus_first`)
        self.start_at = start_at
        #: the record being amended (None for a new one)
        self.record = record
        self.prefill = dict(prefill or {})
        #: values saved with the record that have no widget (e.g. incident_id)
        self.hidden: dict[str, Any] = {}
        self._draft = draft
        self.draft_key = draft.form_key if draft else drafts.new_key(self.FORM or "form", record.id if record else None)
        self._fields: dict[str, FormField] = {}
        self._baseline: dict[str, Any] = {}
        self._loading = True
        self._draft_timer: Timer | None = None
        self._draft_written = draft is not None

    # ------------------------------------------------------------------ for subclasses
    def compose_fields(self) -> ComposeResult:
        """Yield the form's fields (``self.field(...)``) in focus order."""
        return iter(())

    def initial_values(self) -> dict[str, Any]:
        """Field values when the form opens (from ``self.record`` for an amend)."""
        return {}

    def save_values(self, values: dict[str, Any]) -> Record:
        """Validate and save; return the saved record or raise :class:`Invalid`."""
        raise NotImplementedError

    def check_values(self, values: dict[str, Any]) -> dict[str, str] | None:
        """The problems with ``values`` without saving ({} if none; None if this form can't tell)."""
        return None

    def field(self, name: str, widget: Widget, label: str, *, hint: str = "") -> FormField:
        """A labelled field around ``widget`` (anything with a ``value``), registered as ``name``."""
        row = FormField(name, widget, self.app.desk.words.label(label), hint)
        self._fields[name] = row
        return row

    @property
    def title_text(self) -> str:
        """The title bar: 'New incident' or 'Amend incident'."""
        return f"{'Amend' if self.record else 'New'} {_in_sentence(self.FORM_TITLE)}"

    @property
    def keys_text(self) -> str:
        """The keys line when the focused field has no rule of its own (a text field)."""
        return "enter or tab next field · ctrl+s save · esc cancel"

    def keys_for(self, widget: Widget | None) -> str:
        """The keys line while ``widget`` has the focus: its field's rule (a list, a student field),
        then save and cancel."""
        field = next((n for n in widget.ancestors_with_self if isinstance(n, FormField)), None) if widget else None
        rule = getattr(field.widget, "rule", "") if field is not None else ""
        return f"{rule} · ctrl+s save · esc cancel" if rule else self.keys_text

    #: the keys line follows the focused field (False: the form writes its keys line itself)
    KEYS_FOLLOW_FOCUS: ClassVar[bool] = True

    def on_descendant_focus(self, event: Any) -> None:
        if self.KEYS_FOLLOW_FOCUS:
            self.query_one("#form-keys", Static).update(self.keys_for(event.widget))

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(literal(self.title_text, one_line=True), id="form-title")
            with VerticalScroll(id="form-body", can_focus=False):
                yield from self.compose_fields()
                yield Static("", id="form-error")
            yield Static(self.keys_text, id="form-keys")

    def on_mount(self) -> None:
        self.set_values({**self.initial_values(), **self.prefill})
        self._baseline = self.values()
        if self._draft is not None:
            self.hidden.update(self._draft.data.pop("_hidden", {}) or {})
            self.set_values(self._draft.data)
        self.call_after_refresh(self._loaded)
        self.focus_first()

    def _loaded(self) -> None:
        self._loading = False

    def ready_for_keys(self) -> bool:
        """True once the form is loaded and a field has the focus: keys typed while it opened wait for
        this (:class:`~advocate_tui.screens.early_keys.EarlyKeys`), then go to that field in order, as
        the app passes any key on (a form acts on them as on any key: a door's ``s`` saves)."""
        return not self._loading and self.focused is not None

    def focus_first(self) -> None:
        """Focus ``start_at`` if given, else the first field that is still empty (or the first field;
        always the first for an amend)."""
        if self.start_at in self._fields:
            self._focus_field(self._fields[self.start_at])
            return
        for name, row in self._fields.items():
            if self.record is not None:
                break
            value = getattr(row.widget, "value", None)
            if value in ("", None, [], False) and name not in self.skip_autofocus and not row.widget.disabled:
                self._focus_field(row)
                return
        if self._fields:
            self._focus_field(next(iter(self._fields.values())))

    #: fields that are fine empty and should not take the first focus (e.g. "when": empty = now)
    skip_autofocus: ClassVar[tuple[str, ...]] = ("when",)

    def _focus_field(self, row: FormField) -> None:
        """Put the cursor in this field now (not on the next refresh: keys may be waiting for it)."""
        widget = row.widget
        target = widget if widget.can_focus else next((w for w in widget.query("*") if w.can_focus), None)
        if target is not None:
            self.set_focus(target)

    # ------------------------------------------------------------------ values
    def values(self) -> dict[str, Any]:
        """Every field's value by name, plus ``self.hidden``."""
        out = {name: row.widget.value for name, row in self._fields.items()}
        return {**self.hidden, **out}

    def set_values(self, values: dict[str, Any]) -> None:
        """Put values into the fields that exist (others go to ``self.hidden``)."""
        for name, value in values.items():
            row = self._fields.get(name)
            if row is None:
                self.hidden[name] = value
            elif value is not None:
                row.widget.value = value

    def is_dirty(self) -> bool:
        """True if anything differs from how the form opened (or letters wait in a student search or a list)."""
        searching = any(getattr(row.widget, "typed", "") for row in self._fields.values())
        return searching or self.values() != self._baseline

    # ------------------------------------------------------------------ save / cancel
    def action_save(self) -> None:
        """ctrl+s: validate and save; errors next to fields, nothing lost."""
        unmatched = {name: message for name, row in self._fields.items()
                     if (message := getattr(row.widget, "unfinished", ""))}
        if unmatched:  # letters typed into a list or a student field stay there, in view: nothing is saved past them
            self.show_errors(unmatched)
            return
        values = self.values()
        try:
            saved = self.save_values(values)
        except Invalid as exc:
            self.show_errors(exc.errors)
            self.notify("Not saved: " + self.error_summary(exc.errors), severity="warning", timeout=4)
            return
        except StoreError as exc:
            self.show_errors({"": f"Not saved: {exc}"})
            return
        self._forget_draft()
        self.notify(self.saved_text(saved))
        self.after_save(saved)

    def after_save(self, saved: Record) -> None:
        """Once saved: close with the record (a form that offers a next step stays open instead)."""
        self._close_quietly()
        self.dismiss(saved)

    def _close_quietly(self) -> None:
        """Let go of the focus without telling the field: the form is closing, and a field told it
        lost the focus restyles itself (twice, ~2.5 ms) before the screen behind is painted (bench/)."""
        self.focused = None

    def saved_text(self, record: Record) -> str:
        """What to tell the user once the store committed."""
        return f"{self.FORM_TITLE} {'amended' if self.record else 'saved'}"

    def action_cancel(self) -> None:
        """escape: close without saving (asks first if anything was typed)."""
        if not self.is_dirty():
            self._forget_draft()
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self._forget_draft()
                self.dismiss(None)

        title = self.FORM_TITLE.lower()
        question = (f"Discard your changes? The {title} stays as it was." if self.record is not None  # an amend
                    else f"Discard this {title}? What you typed will be lost.")
        self.app.push_screen(ConfirmScreen(question), answered)

    # ------------------------------------------------------------------ drafts
    @classmethod
    def from_draft(cls, draft: drafts.Draft) -> "FormScreen":
        """Reopen the form a draft was typed in (any form: dispatches on ``draft.form``)."""
        form_cls = FORMS.get(draft.form, cls)
        return form_cls._from_draft(draft)

    @classmethod
    def for_record(cls, record: Record) -> type["FormScreen"] | None:
        """The form class that amends this kind of record (None if there is none)."""
        return next((f for f in FORMS.values() if f.RECORD_KIND and f.RECORD_KIND == record.kind), None)

    @classmethod
    def _from_draft(cls, draft: drafts.Draft) -> "FormScreen":
        return cls(record=draft.record, draft=draft)

    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(Choice.Changed)
    @on(StudentPicker.Changed)
    def _typed(self, event: Message) -> None:
        self.field_changed()
        control = getattr(event, "control", None)
        row = next((n for n in control.ancestors_with_self if isinstance(n, FormField)), None) if control else None
        if row is not None and row.has_class("-invalid"):
            self._recheck(row)

    def _recheck(self, row: FormField) -> None:
        """A field with an error changed: clear the error if the value is fine now (else say what's wrong now)."""
        try:
            errors = self.check_values(self.values())
        except Exception:  # noqa: BLE001 - a check that fails is no reason to keep a stale message
            errors = None
        mine = {loc: msg for loc, msg in (errors or {}).items() if loc and loc.split(".")[0] == row.field_name}
        row.set_error(next(iter(mine.values())) if mine else None)

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """enter in a text field made with ``FormInput(next_on_enter=False)``: :meth:`submitted`."""
        event.stop()
        self.submitted(event)

    def submitted(self, event: Input.Submitted) -> None:
        """enter in a field that doesn't move on by itself: the next field (a one-field form may save)."""
        self.focus_next()

    def field_changed(self) -> None:
        """Call when a field's value changed: schedules a draft write."""
        if self._loading or not self.DRAFTS or not self.is_mounted:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self.write_draft)

