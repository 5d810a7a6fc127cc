"""The door check form: one door, one status key; secure saves at once, anything else asks for a note.

``d`` on the main screen opens it on the next door not checked this shift. Keys: ``s`` secure
(saved at once), ``u`` unsecured, ``p`` propped open, ``d`` damaged, ``a`` alarm (each asks for a
note: type it, enter or ctrl+s saves); ``n`` skips to the next unchecked door, tab reaches the door
list to pick another by its key. A new exception, once saved, is offered as an incident like a
patrol issue: ``n`` opens the incident form with the place, time and note filled in, and links what
it saves to the check; enter or escape closes. Dismisses with the saved :class:`DoorCheck`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual import events, on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input, Static

from ...models import DoorCheck, DoorStatus, Record
from ...services import checklist
from ...services.incident_prefill import door_incident_prefill
from ...services.recording import Invalid
from ...store import StoreError
from ...widgets.choice import Choice, Option
from ...widgets.form_input import FormInput, forward_if_blurred
from ...widgets.literal import literal, plain
from .base import FormScreen

__all__ = ["DoorCheckForm", "KeyChoice", "incident_from_exception"]


class KeyChoice(Choice):
    """A key menu: a :class:`Choice` whose unambiguous start is picked at once (``instant``), plus a few
    extra single keys that post :class:`KeyChoice.Extra` instead of picking."""

    class Extra(Message):
        """One of the extra keys was pressed."""

        def __init__(self, choice: "KeyChoice", key: str) -> None:
            super().__init__()
            self.choice = choice
            self.key = key

        @property
        def control(self) -> "KeyChoice":
            return self.choice

    #: the form's own keys line says what the keys do
    rule = ""

    def __init__(self, options: Sequence[Option | str], *, extra_keys: Sequence[str] = (),
                 acts: Callable[[str], None] | None = None, **kwargs: Any) -> None:
        super().__init__(options, instant=True, **kwargs)
        self.extra_keys = set(extra_keys)
        #: called with the value the moment a key picks it (before the next key is read), if given
        self.acts = acts

    def _pick(self, index: int) -> None:
        super()._pick(index)
        if self.acts is not None:
            self.acts(str(self.value))

    async def _on_key(self, event: events.Key) -> None:
        if forward_if_blurred(self, event):  # a key typed after the one that moved on: not ours
            return
        if event.key in self.extra_keys:
            event.stop()
            event.prevent_default()  # Choice's own key handler does not see it
            self.post_message(self.Extra(self, event.key))

    def reset(self) -> None:
        """Back to no value, nothing typed, the first option highlighted (no Changed message)."""
        self.typed = ""
        self.value = ""
        self.cursor = 0


class DoorCheckForm(FormScreen):
    """Check one exterior door (``d``), or amend a check (``e``); dismisses with the saved DoorCheck."""

    FORM = "door_check"
    RECORD_KIND = "door_check"
    FORM_TITLE = "Door check"

    DEFAULT_CSS = """
    DoorCheckForm #door-exception { color: $error; text-style: bold; display: none; }
    DoorCheckForm #door-exception.-shown { display: block; }
    DoorCheckForm #door-offer { margin: 1 0 0 0; display: none; }
    DoorCheckForm #door-offer.-shown { display: block; }
    """
    BINDINGS = [
        Binding("n", "exception_incident", "Incident from the exception"),
        Binding("enter", "close_saved", "Close"),
    ]

    def __init__(self, door: str | None = None, record: DoorCheck | None = None,
                 prefill: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(record=record, prefill=prefill, **kwargs)
        self.door = record.door if record is not None else door
        #: a new exception just saved: the form offers it as an incident before it closes
        self.saved: DoorCheck | None = None

    # ------------------------------------------------------------------ fields
    def compose_fields(self):
        desk = self.app.desk
        yield Static("", id="door-info")
        yield Static("", id="door-exception")
        statuses = [(s.value, s.label) for s in DoorStatus]
        yield self.field("status", KeyChoice(statuses, extra_keys=("n",), advance=False, acts=self._status_picked),
                         "Found",
                         hint="s secure saves at once · u p d a ask for a note · n next door · tab other door")
        yield self.field("door", Choice(list(desk.profile.doors), advance=False), "Door")
        yield self.field("note", FormInput(placeholder="what you found, in a line (enter saves)", next_on_enter=False),
                         "Note",
                         hint="required unless secure")
        yield Static("", id="door-offer")

    def initial_values(self) -> dict[str, Any]:
        if self.record is not None:
            return {"door": self.record.door, "status": self.record.status.value, "note": self.record.note}
        return {"door": self.door or self._default_door()}

    def _default_door(self) -> str:
        """No door given: the next unchecked one, else a standing exception, else the first door."""
        desk = self.app.desk
        found = checklist.next_unchecked_door(desk)
        if found:
            return found
        states = checklist.door_status(desk)
        return next((d.door for d in states if d.is_exception), desk.profile.doors[0])

    @property
    def title_text(self) -> str:
        return f"{'Amend door check' if self.record else 'Door check'} — {self.current_door or '?'}"

    @property
    def keys_text(self) -> str:
        return "s/u/p/d/a status · n next door · enter/ctrl+s save · esc cancel"

    @property
    def current_door(self) -> str:
        row = self._fields.get("door")
        return str(row.widget.value) if row is not None and row.widget.value else (self.door or "")

    def on_mount(self) -> None:
        super().on_mount()
        self._show_door()
        self.set_focus(self._fields["status"].widget)

    def _show_door(self) -> None:
        """The title and the door's last check, in words."""
        desk = self.app.desk
        door = self.current_door
        self.query_one("#form-title", Static).update(literal(self.title_text, one_line=True))
        state = checklist.door_state(desk, door) if door else None
        left = checklist.unchecked_count(desk)
        text = Text()
        text.append(f"{plain(door, one_line=True)}  ", style="bold")
        if state is None or state.latest is None:
            text.append("not checked before")
        else:
            last = state.latest
            text.append(f"last checked {_when(desk, last.checked_at)} · {last.status.label.lower()}")
            if state.checked_this_shift:
                text.append(" (this shift)")
        text.append(f" · {left} door{'s' * (left != 1)} left this shift ({checklist.current_shift(desk).name})")
        self.query_one("#door-info", Static).update(text)
        exc = state.exception if state is not None else None
        line = self.query_one("#door-exception", Static)
        line.update(literal(f"⚠ {exc.status.label} since {_when(desk, exc.checked_at)}: {exc.note}" if exc else ""))
        line.set_class(exc is not None, "-shown")

    # ------------------------------------------------------------------ keys
    def _status_picked(self, value: str) -> None:
        """A status key, acted on at once: secure saves (a new check); any other asks for the note
        (the focus moves before the next key is read, so a note typed straight on lands there)."""
        if self._loading:
            return
        if value == DoorStatus.SECURE.value and self.record is None:
            self.action_save()
        elif value:
            self.set_focus(self._fields["note"].widget)

    @on(KeyChoice.Extra, "#field-status KeyChoice")
    def _skip(self, event: KeyChoice.Extra) -> None:
        """n: the next door not checked this shift (after this one), else simply the next door."""
        desk = self.app.desk
        doors = list(desk.profile.doors)
        here = self.current_door
        nxt = checklist.next_unchecked_door(desk, after=here)
        if nxt is None:
            nxt = doors[(doors.index(here) + 1) % len(doors)] if here in doors else doors[0]
        self._fields["door"].widget.value = nxt
        self.field_changed()
        self._show_door()

    @on(Choice.Changed, "#field-door Choice")
    def _door_changed(self) -> None:
        if not self._loading:
            self._show_door()

    @on(Choice.Picked, "#field-door Choice")
    def _door_picked(self) -> None:
        """enter (or a click) on a door: back to its status."""
        self._fields["status"].widget.focus()

    @on(Input.Submitted, "#field-note Input")
    def _note_entered(self, event: Input.Submitted) -> None:
        """enter in the note saves (the base would move to the next field)."""
        event.stop()
        event.prevent_default()
        self.action_save()

    # ------------------------------------------------------------------ saving
    def save_values(self, values: dict[str, Any]) -> Record:
        return checklist.save_door_check(self.app.desk, values, self.record)

    def after_save(self, saved: Record) -> None:
        """A new exception: offer it as an incident (n) before closing; anything else closes at once."""
        if self.record is not None or not isinstance(saved, DoorCheck) or not saved.is_exception:
            self.dismiss(saved)
            return
        self.saved = saved
        self._show_door()  # the door's line as it is now: just checked, the doors left this shift
        for row in self._fields.values():
            row.display = False
        self.query_one("#door-exception", Static).display = False
        self.query_one("#form-title", Static).update(f"Door check — {saved.door} · saved")
        offer = self.query_one("#door-offer", Static)
        offer.update(Text.assemble((f"{saved.status.label}: ", "bold"), plain(saved.note), "\n\n",
                                   ("n", "bold"), "  new incident from this exception (place, time and note filled in)\n",
                                   ("enter", "bold"), "  close (esc too)"))
        offer.set_class(True, "-shown")
        self.query_one("#form-keys", Static).update("n incident from the exception · enter/esc close")
        self.set_focus(None)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("exception_incident", "close_saved"):
            return self.saved is not None
        return True

    def action_close_saved(self) -> None:
        self.dismiss(self.saved)

    def action_cancel(self) -> None:
        if self.saved is not None:
            self.dismiss(self.saved)
            return
        super().action_cancel()

    def action_save(self) -> None:
        if self.saved is not None:
            self.dismiss(self.saved)
            return
        super().action_save()

    def action_exception_incident(self) -> None:
        """n: the exception just saved → the incident form, filled in; the incident is linked to the check."""
        if self.saved is not None:
            incident_from_exception(self.app, self.saved, lambda linked: self.dismiss(linked) if linked else None)


def incident_from_exception(app, check: DoorCheck, then) -> None:
    """The incident form filled in from a door exception (place, time, what was found); once saved, the
    incident is linked to the check (a change of status) and ``then(check as linked)`` is called
    (``then(None)`` when the form was cancelled)."""
    from .incident import IncidentForm

    def saved(incident: Record | None) -> None:
        if incident is None:
            then(None)
            return
        try:
            linked = checklist.link_door_incident(app.desk, check.id, incident.id)
        except (Invalid, StoreError) as exc:
            app.notify(f"The incident is saved but not linked to the door check: {exc}", severity="warning")
            linked = check
        else:
            app.notify(f"Incident linked to the exception at {check.door}", timeout=3)
        then(linked)

    app.push_screen(IncidentForm(prefill=door_incident_prefill(check, app.desk.profile)), saved)


def exception_without_incident(record: Record) -> bool:
    """A door exception not voided nor made into an incident yet (the item view's n)."""
    return isinstance(record, DoorCheck) and record.is_exception and not record.voided and not record.incident_id


def incident_from_item(view, check: DoorCheck) -> None:
    """n in the item view of a door exception: the incident form filled in from it, linked once saved."""
    incident_from_exception(view.app, check, view.reload_with)


def _when(desk, moment) -> str:
    """'10:42' today, 'Fri 11/20 15:33' on an earlier day (school time)."""
    local = desk.clock.local(moment)
    return local.format("HH:mm") if local.date() == desk.clock.today() else desk.words.date_time(local, weekday=True)
