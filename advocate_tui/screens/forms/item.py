"""One record opened (enter): every field with its label, its history, and what to do next.

Keys: e amend · x void · R refer from it (incidents, contact notes) · f follow up · o end it (a
follow-up done or dismissed, attendance resolved, a door exception cleared) · esc close; and the keys
of the record's own kind (:mod:`..kind_ui`: n incident from a door exception; i, c, R from a sweep).
Dismisses with the record as it is now (amended or voided) or None if nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...models import Record
from ...models.records import RECORD_TYPES
from ...services import ends, recording
from ...widgets.literal import literal
from ..kind_ui import ui_of
from .record_text import fields_of, history_lines, kind_of, summary

#: fields not shown to a person


class ItemScreen(ModalScreen[Record | None]):
    """A record, readable in full, with its history; e amend · x void · R refer from it · f follow up."""

    DEFAULT_CSS = """
    ItemScreen { align: center middle; }
    ItemScreen > #item { width: 100%; max-width: 110; height: 100%; max-height: 40; border: thick $accent; background: $panel; }
    ItemScreen #item-title { dock: top; height: 1; background: $accent; color: $text; text-style: bold; padding: 0 1; }
    ItemScreen #item-body { height: 1fr; padding: 0 1; }
    ItemScreen .item-heading { margin-top: 1; text-style: bold; color: $accent; }
    ItemScreen .item-void { color: $error; text-style: bold; }
    ItemScreen #item-keys { dock: bottom; height: 1; color: $text-muted; padding: 0 1; background: $boost; }
    """
    #: priority: each acts as its key arrives (the view has no text field), so what is typed straight
    #: after goes to the screen it opens, never to this one's keys
    BINDINGS = [
        Binding("e", "amend", "Amend", priority=True),
        Binding("x", "void", "Void", priority=True),
        Binding("R", "refer", "Refer from it", priority=True),
        Binding("f", "follow_up", "Follow up", priority=True),
        Binding("o", "end", "End it", priority=True),
        Binding("escape", "close", "Close"),
        # the keys of a record's own kind (screens.kind_ui: a door exception's n, a sweep's i and c)
        Binding("n", "kind_key('n')", "Incident from it", show=False, priority=True),
        Binding("i", "kind_key('i')", "Incident from it", show=False, priority=True),
        Binding("c", "kind_key('c')", "Note from it", show=False, priority=True),
    ]

    def __init__(self, record: Record) -> None:
        super().__init__()
        self.record = record
        self._changed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="item"):
            yield Static("", id="item-title")
            with VerticalScroll(id="item-body"):
                yield Static("", id="item-fields")
                yield Static("Linked", classes="item-heading", id="item-linked-heading")
                yield Static("", id="item-linked")
                yield Static("History", classes="item-heading")
                yield Static("", id="item-history")
            yield Static("", id="item-keys")

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        """(Re)draw the record and its history."""
        desk = self.app.desk
        record = self.record
        title = kind_of(record) + (" · VOID" if record.voided else "") + (" · amended" if record.amended else "")
        self.query_one("#item-title", Static).update(literal(title, one_line=True))
        width = max((len(label) for label, _ in fields_of(desk, record)), default=10) + 2
        lines = [f"{label:<{width}}{value}" for label, value in fields_of(desk, record)]
        self.query_one("#item-fields", Static).update(literal("\n".join(lines)))
        self.query_one("#item-history", Static).update(literal("\n".join(history_lines(desk, record)) or "—"))
        linked = [summary(desk, r) + (" · VOID" if r.voided else "") for r in recording.linked_records(desk, record)]
        self.query_one("#item-linked", Static).update(literal("\n".join(linked)))
        self.query_one("#item-linked", Static).display = bool(linked)
        self.query_one("#item-linked-heading", Static).display = bool(linked)
        keys = []
        if not record.voided:
            from .base import FormScreen

            if FormScreen.for_record(record) is not None:
                keys.append("e amend")
            keys.append("x void")
            if recording.referable(record):
                keys.append("R refer from it")
            own = [k.hint for k in ui_of(record.kind).item_keys if k.offered(record)]
            if own:  # the keys of its kind (a sweep's i, c and R; a door exception's n)
                keys += own
            elif record.student_ids():
                keys.append("f follow up")
            end = ends.end_kind(desk, record)
            if end is not None:
                keys.append({ends.FOLLOW_UP: "o done / dismissed", ends.ATTENDANCE: "o resolve",
                             ends.DOOR: "o clear"}[end])
        keys.append("esc close")
        self.query_one("#item-keys", Static).update(" · ".join(keys))

    def _reload(self, saved: Record | None) -> None:
        if saved is None:
            return
        self._changed = True
        fresh = self.app.desk.store.get(RECORD_TYPES[self.record.kind], self.record.id)
        if fresh is not None:
            self.record = fresh
        self.show()

    def action_amend(self) -> None:
        from .base import FormScreen

        form = FormScreen.for_record(self.record)
        if self.record.voided or form is None:
            self.app.bell()
            return
        self.app.push_screen(form(record=self.record), self._reload)

    def action_void(self) -> None:
        if self.record.voided:
            self.app.bell()
            return
        from .void import VoidForm

        self.app.push_screen(VoidForm(self.record), self._reload)

    def action_end(self) -> None:
        """o: end the follow-up (done or dismissed), resolve the attendance follow-up, clear the door exception."""
        kind = ends.end_kind(self.app.desk, self.record)
        if kind is None:
            self.app.bell()
            return
        from .end import EndForm

        self.app.push_screen(EndForm(self.record, kind), self._reload)

    def _own_key(self, key: str):
        """The record's kind's item key ``key``, when it has one."""
        return next((k for k in ui_of(self.record.kind).item_keys if k.key == key), None)

    def action_kind_key(self, key: str) -> None:
        """A key of the record's own kind (n on a door exception, i and c on a sweep)."""
        own = self._own_key(key)
        if own is None or not own.offered(self.record):
            self.app.bell()
            return
        own.run(self, self.record)

    def reload_with(self, saved: Record | None) -> None:
        """After a form the view opened: show the record as it is now (when something was saved)."""
        self._reload(saved)

    def followed(self, saved: Record | None) -> None:
        """After a record made from this one was saved: show this one again."""
        self._followed(saved)

    def action_refer(self) -> None:
        if self._own_key("R") is not None:  # (a sweep: a referral made from it, linked back)
            self.action_kind_key("R")
            return
        if not recording.referable(self.record):
            self.app.bell()
            return
        from .referral import ReferralForm

        self.app.push_screen(ReferralForm.from_record(self.record), self._followed)

    def action_follow_up(self) -> None:
        if not self.record.student_ids() or self.record.voided:
            self.app.bell()
            return
        self.app.push_screen(FollowUpChoice(self._follow_up_kind))

    def _follow_up_kind(self, kind: str) -> None:
        """Open the follow-up form of this kind ("contact" or "attendance") over this view."""
        from .attendance import AttendanceForm
        from .contact import ContactForm

        prefill = recording.follow_up_prefill(self.record, kind)
        if kind == "contact":  # the note is started ("Follow-up: …"): the cursor goes on at its end
            form = ContactForm(prefill=prefill, start_at="note" if prefill.get("note") else None)
        else:
            form = AttendanceForm(prefill=prefill)
        self.app.push_screen(form, self._followed)

    def _followed(self, saved: Record | None) -> None:
        if saved is not None:
            self._changed = True
            self.show()

    def action_close(self) -> None:
        self.dismiss(self.record if self._changed else None)


class FollowUpChoice(ModalScreen[None]):
    """f on an item: c contact note or a attendance follow-up (esc: neither).

    The key closes this question and opens the form at once (a priority binding, and no result
    callback in between), so the words typed straight after ``c`` are already the form's."""

    DEFAULT_CSS = """
    FollowUpChoice { align: center middle; }
    FollowUpChoice > Static { width: 56; height: auto; border: thick $accent; background: $panel; padding: 1 2; }
    """
    BINDINGS = [
        Binding("c", "pick('contact')", "Contact note", priority=True),
        Binding("a", "pick('attendance')", "Attendance", priority=True),
        Binding("escape", "pick('')", "Cancel"),
    ]

    def __init__(self, open_form: Callable[[str], None]) -> None:
        super().__init__()
        #: opens the form of the kind picked (the item view's)
        self.open_form = open_form

    def compose(self) -> ComposeResult:
        yield Static("Follow up with:\n  c  a contact note\n  a  an attendance follow-up\n  esc  neither")

    def action_pick(self, kind: str) -> None:
        self.app.pop_screen()
        if kind:
            self.open_form(kind)
