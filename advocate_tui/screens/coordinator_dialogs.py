"""The coordinator view's dialogs: the small question (facilitator, schedule, decline, close, reopen, a note,
the reply), the bundles waiting in the handoff folder to pick one to import, the question whether to trust a
new school's desk key (its fingerprint shown), and `?` help.

What is typed in a dialog is never silently lost: whatever the focus moves, the fields keep their
text and ctrl+s / enter saves it; letters typed while the outcome list has the focus go to the note;
escape (or ctrl+q) with typed text asks first.
"""

from __future__ import annotations

from rich.table import Table
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ..models import ReferralOutcome
from ..widgets.form_input import FormInput
from ..widgets.literal import literal
from ..widgets.staff_input import StaffInput
from .ask_dialog import AskDialog
from .forms.confirm import ConfirmScreen

__all__ = ["CoordinatorAsk", "CoordinatorHelp", "TrustKeyDialog", "BundlePicker", "CloseConfirm", "COORDINATOR_KEYS"]

_OUTCOMES = list(ReferralOutcome)

#: (key, what it does): the coordinator view's keys, for `?` help.
COORDINATOR_KEYS: list[tuple[str, str]] = [
    ("↑ ↓", "Move through the list (referrals: urgent first, then oldest; a referral closed today stays in its place)"),
    ("1 / 2", "Referrals / the whole handoff: shift summaries, notes flagged for you, incidents, open attendance "
              "follow-ups, door and patrol exceptions"),
    ("S", "School: all, or one school at a time (each row says its school)"),
    ("[ ]", "Day: all days, or one handoff day at a time (earlier, later)"),
    ("h", "Handoff: all of the day's handoffs, or one at a time"),
    ("0", "Show everything again (every school, day and handoff)"),
    ("a", "Accept the selected referral"),
    ("f", "Assign a facilitator (accepts it too)"),
    ("s", "Schedule the meeting: date, time and place (a weekend day is saved with a warning)"),
    ("d", "Decline, with the reason (the school reads it)"),
    ("c", "Close with an outcome: 1 agreement reached · 2 services connected · 3 declined (with the reason) · "
          "4 no further action — asks before it closes"),
    ("o", "Reopen a closed referral, with the reason (kept in its history)"),
    ("n", "A note for the school's advocate on the referral"),
    ("R", "Reply: sign and write the reply to the school (or to every school with something new), with a note"),
    ("v", "Show or hide referrals closed before today"),
    ("i", "Import a handoff bundle: pick one from the handoff folder (or type its path)"),
    ("D", "The coordinator's data: PBIS Big 5 and more (per school, or all)"),
    ("b", "Restorative processes: the caseload board (s start one from a referral, enter open one)"),
    ("?", "This help"),
    ("escape", "Back to the shift screen (when opened from it)"),
    ("q / ctrl+q", "Quit (asks first if a dialog has typed text)"),
    ("In a dialog", "enter or ctrl+s saves · tab moves between fields (nothing typed is lost) · "
                    "escape cancels (asks first if something is typed)"),
]


class BundlePicker(ModalScreen[str | None]):
    """The bundles in the handoff folder, newest first, each with its school, day and whether it is imported
    already; enter imports the one picked, the last line types a path instead. Dismisses with a path, "" (type
    a path) or None."""

    DEFAULT_CSS = """
    BundlePicker { align: center middle; }
    BundlePicker > Vertical { width: 90%; max-width: 100; height: auto; max-height: 90%; border: thick $accent;
                              background: $panel; padding: 0 1; }
    BundlePicker OptionList { height: auto; max-height: 16; }
    BundlePicker .picker-keys { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("t", "type_path", "Type a path")]

    #: the last option's id: type a path instead
    TYPE_PATH = "type-a-path"

    def __init__(self, folder, files) -> None:
        """``files`` None: the folder is still being read (:meth:`show_files` fills the list)."""
        super().__init__()
        self.folder, self.files = folder, files

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(literal(f"Import a handoff bundle from {self.folder}"), id="picker-title")
            yield OptionList(*self._options(), id="picker-files")
            yield Static(literal(self._keys()), classes="picker-keys")

    def _options(self) -> list[Option]:
        if self.files is None:  # reading: nothing to pick yet (enter picks nothing), t and escape work
            return []
        options = []
        for n, f in enumerate(self.files):
            if f.state == "unreadable":
                text = f"{f.path.name} · can't be read as a bundle"
            else:
                text = (f"{'imported' if f.state == 'imported' else 'NEW':<8} {f.school or '?'} · handoff {f.day} "
                        f"#{f.sequence or '?'} · file of {f.modified.format('MM/DD HH:mm')}")
            options.append(Option(literal(text, one_line=True), id=str(n)))
        options.append(Option(literal("Type a path to a bundle…"), id=self.TYPE_PATH))
        return options

    def _keys(self) -> str:
        if self.files is None:
            return "Reading the handoff folder… · t type a path · escape cancel"
        empty = "" if self.files else "No handoff bundles in this folder yet. "
        return f"{empty}enter import the one picked · t type a path · escape cancel"

    def on_mount(self) -> None:
        self._highlight_new()
        self.query_one(OptionList).focus()

    def _highlight_new(self) -> None:
        if self.files is not None:
            self.query_one(OptionList).highlighted = next((n for n, f in enumerate(self.files) if f.state == "new"), 0)

    def show_files(self, files) -> None:
        """The folder is read: its bundles in the list, the newest new one highlighted."""
        self.files = files
        picker = self.query_one(OptionList)
        picker.clear_options()
        picker.add_options(self._options())
        self.query_one(".picker-keys", Static).update(literal(self._keys()))
        self._highlight_new()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == self.TYPE_PATH:
            self.dismiss("")
        else:
            self.dismiss(str(self.files[int(event.option.id)].path))

    def action_type_path(self) -> None:
        self.dismiss("")

    def action_cancel(self) -> None:
        self.dismiss(None)


class CoordinatorAsk(AskDialog):
    """A small question: a few text fields and, to close a referral, the outcome (keys 1–4)."""

    PREFIX = "ask"
    CHOICE_ID = "outcome"
    CHOICE_KEY = "outcome"
    TYPING_GOES_TO_FIELD = True

    def __init__(self, title: str, fields: list[tuple[str, str, str]], *, outcomes: bool = False,
                 initial: dict[str, str] | None = None, max_length: int = 200,
                 staff: dict[str, list[str]] | None = None, keys: str | None = None) -> None:
        super().__init__(title, fields, initial=initial, choice_label="Outcome (1–4):",
                         choices=[(o, o.label) for o in _OUTCOMES] if outcomes else ())
        if keys is not None:  # the keys line in the words of what they do here ("import", not "save")
            self.KEYS = keys
        #: fields that suggest the profile's staff list (key → names)
        self.staff = dict(staff or {})
        self.max_length = max_length

    def field_input(self, n: int, key: str, placeholder: str) -> Input:
        # select_on_focus off: coming back to a field must not select its text for the next key to erase;
        # enter moves on at once (what is typed straight after lands in the next field), the last saves
        on = n < len(self.asked) - 1
        if key in self.staff:  # the profile's staff list offered as the name is typed
            return StaffInput(self.staff[key], self.initial.get(key, ""), id=f"ask-{key}", placeholder=placeholder,
                              max_length=self.max_length, select_on_focus=False, next_on_enter=on)
        return FormInput(self.initial.get(key, ""), id=f"ask-{key}", placeholder=placeholder,
                         max_length=self.max_length, select_on_focus=False, next_on_enter=on)

    def choice_option(self, n: int, value: object, label: str) -> Option:
        return Option(f"{n}  {label}", id=value.value)

    def choice_entered(self) -> None:
        if self.is_dirty():
            self.action_submit()  # the note is typed already: enter on the outcome saves
        else:
            self.after_choice()


class CloseConfirm(ConfirmScreen):
    """Close this referral? Only y closes it: enter, n and escape keep it open (a quick "c 1 enter enter"
    must not close an urgent referral by accident)."""

    BINDINGS = [
        Binding("y", "answer(True)", "Close it"),
        Binding("n,escape,enter", "answer(False)", "Keep it open"),
    ]


class TrustKeyDialog(ModalScreen[bool]):
    """Trust a new school's desk key? Its fingerprint to compare; y trusts, n or escape does not (enter too)."""

    DEFAULT_CSS = """
    TrustKeyDialog { align: center middle; }
    TrustKeyDialog > Vertical { width: 72; max-width: 95%; height: auto; border: thick $warning;
                                background: $panel; padding: 1 2; }
    TrustKeyDialog #trust-fingerprint { text-style: bold; margin: 1 0; content-align: center middle; width: 100%; }
    TrustKeyDialog .trust-keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Trust"),
        Binding("n,escape,enter", "answer(False)", "Don't trust"),
    ]

    def __init__(self, school: str, short: str, fingerprint: str) -> None:
        super().__init__()
        self.school, self.short, self.fingerprint = school, short, fingerprint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(f"This database does not serve {self.school} ({self.short}) yet. "
                                 "The bundle is signed by the desk key with the fingerprint"), id="trust-question")
            yield Static(literal(self.fingerprint), id="trust-fingerprint")
            yield Static(literal("Compare it with the fingerprint 'advocate check' (or the handoff screen, H) shows at "
                                 f"that school's desk. Trust this key for {self.short} from now on?"))
            yield Static("y trust it and import · n or escape don't (nothing is written)", classes="trust-keys",
                         markup=False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class CoordinatorHelp(ModalScreen[None]):
    """`?` in the coordinator view: its keys, one per line; escape, q or ? closes it."""

    DEFAULT_CSS = """
    CoordinatorHelp { align: center middle; }
    CoordinatorHelp > VerticalScroll { width: 90%; max-width: 96; height: auto; max-height: 90%;
                                       border: thick $accent; background: $panel; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, text in COORDINATOR_KEYS:
            table.add_row(key, text)
        with VerticalScroll() as box:
            box.border_title = "Coordinator keys · escape closes"
            yield Static(table, id="coordinator-help-keys")
