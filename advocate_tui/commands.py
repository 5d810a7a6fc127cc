"""The main screen's keys in one table, and the command-palette providers (every action, find a student).

:data:`KEYS` is the one source of the main screen's bindings, the footer, the ``?`` help and the
palette's action list, so the three never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual.binding import Binding
from textual.command import Hit, Hits, Provider

from .palette import ListedCommands
from .widgets.literal import literal, plain

__all__ = ["Key", "KEYS", "FORM_KEYS", "bindings", "default_keys", "is_key", "resolve_keys",
           "shown_key", "ActionCommands", "StudentCommands"]


@dataclass(frozen=True)
class Key:
    """One key of the main screen: what it is called in the footer, help and palette."""

    key: str
    action: str
    short: str
    help: str
    #: shown in the footer (1-5 are listed in help and the palette only)
    show: bool = True
    #: how help shows the key ("1-5", "?")
    display: str = ""
    priority: bool = False
    #: another key that does the same, named after the key in help and the palette ("f1" for help:
    #: the key a new user tries first); the footer shows the key
    also: str = ""

    @property
    def label(self) -> str:
        return self.display or self.key

    @property
    def labels(self) -> str:
        """How help and the palette name its keys ("? / F1")."""
        return self.label + (f" / {self.also.upper()}" if self.also else "")

    @property
    def id(self) -> str:
        """The binding id a profile's ``[keys]`` names ("new_incident", "focus_pane3")."""
        return self.action.split("(")[0] + (self.action[-2] if "(" in self.action else "")


KEYS: tuple[Key, ...] = (
    Key("i", "new_incident", "Incident", "New incident (quick log)"),
    Key("c", "new_contact", "Note", "New contact note"),
    Key("a", "new_attendance", "Attend", "New attendance follow-up"),
    Key("r", "new_referral", "Refer", "New referral (empty)"),
    Key("R", "referral_from", "From", "Referral from the selected incident or note (roles kept)"),
    Key("d", "door_check", "Door", "Door check (next unchecked door first)"),
    Key("p", "patrol", "Patrol", "Start or continue a patrol round"),
    # the rest of the day (issue 14): the footer is full at 80 columns, so these are in ? help and the palette
    Key("s", "sweep", "Sweep", "Hall sweep: students met out of class (several in one entry)", show=False),
    Key("P", "peace_room", "Peace", "Peace Room: who is in now, in and out", show=False),
    Key("C", "cico", "CICO", "Check-In/Check-Out (CICO) cards: enrol, check in, check out", show=False),
    Key("S", "shift_report", "Report", "End-of-shift report of today", show=False),
    Key("1", "focus_pane(1)", "Incidents", "Focus pane 1: incidents", show=False),
    Key("2", "focus_pane(2)", "Checklist", "Focus pane 2: doors and patrol", show=False),
    Key("3", "focus_pane(3)", "Contacts", "Focus pane 3: contact notes", show=False),
    Key("4", "focus_pane(4)", "Attendance", "Focus pane 4: attendance follow-ups", show=False),
    Key("5", "focus_pane(5)", "Referrals", "Focus pane 5: referrals", show=False),
    Key("slash", "find_student", "Find", "Find a student: everything on file for them", display="/"),
    Key("question_mark", "help", "Help", "Help: every key", display="?", also="f1"),
    Key("enter", "open", "Open", "Open the selected item", show=False, priority=True),
    Key("e", "amend", "Amend", "Amend (correct) the selected item"),
    Key("x", "void", "Void", "Void the selected item (asks for a reason)"),
    Key("o", "end_item", "Done", "End it: follow-up done or dismissed, attendance resolved, door cleared"),
    Key("H", "handoff", "Handoff", "Day's-end handoff of the referral queue"),
    Key("b", "process_board", "Board", "Processes: what is due, the board, a circle (b c)"),
    Key("D", "data", "Data", "Coordinator's data: PBIS Big 5, referrals, attendance, doors and patrols"),
    Key("ctrl+l", "lock", "Lock", "Lock the screen now", display="^l", priority=True),
    Key("q", "quit_app", "Quit", "Quit (asks first if a form is open)"),
)

#: keys that work inside forms and elsewhere (listed in help; bound by the forms and the app)
FORM_KEYS: tuple[tuple[str, str], ...] = (
    ("ctrl+s", "Save a form"),
    ("escape", "Cancel a form (asks first if anything was typed) · back"),
    ("tab / shift+tab", "Next / previous field"),
    ("a list", 'Type its start · enter or tab takes it, next field · "no match": esc'),
    ("a tick list", "enter ticks or unticks · enter on empty, or tab: next field"),
    ("a student field", "Letters, enter adds · ↑ onto one: del removes, r h w i sets the role"),
    ("a staff field", "Letters of a name · enter or tab takes the one shown · others as typed"),
    ("ctrl+p", "Command palette: every action and find a student"),
    ("↑ ↓ pgup pgdn", "Move in the focused pane"),
)


def bindings() -> list[Binding]:
    """The main screen's bindings, made from :data:`KEYS` (each with its id, so a profile can remap it).

    Every one is a priority binding: the main screen has no text field, and a key acted on as it
    arrives (not after the focused pane has passed it up) opens its form before the next key is
    read — so the letters typed straight after ``i`` go to the form, not to the main screen's keys."""
    return [
        Binding(",".join(filter(None, (k.key, k.also))), k.action, k.short, show=k.show, priority=True, key_display=k.display or None,
                id=k.id, tooltip=k.help)
        for k in KEYS
    ]


def default_keys() -> dict[str, str]:
    """Every remappable action id → its default key."""
    return {k.id: k.key for k in KEYS}


_MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}


def is_key(name: str) -> bool:
    """True for a key Textual knows: "n", "f2", "ctrl+n", "question_mark" (a character's name)."""
    import unicodedata

    from textual.keys import Keys

    *mods, base = name.split("+")
    if not base or any(m not in _MODIFIERS for m in mods):
        return False
    if len(base) == 1 and base.isprintable() and not base.isspace():
        return True
    if base in {k.value for k in Keys}:
        return True
    try:
        unicodedata.lookup(base.replace("_", " ").upper())
    except KeyError:
        return False
    return True


def resolve_keys(wanted: dict[str, str]) -> tuple[dict[str, str], str]:
    """The profile's ``[keys]`` as a keymap for ``App.set_keymap`` and one line of what was not used
    (see :func:`advocate_tui.keymap.resolve`)."""
    from textual.keys import _normalize_key_list

    from .keymap import resolve

    return resolve(wanted, default_keys(), normalize=_normalize_key_list, is_key=is_key)


def shown_key(app, key: Key) -> str:
    """How help and the palette show ``key`` on this desk: its label, or the profile's key for it."""
    remapped = getattr(app, "_keymap", {}).get(key.id)
    if not remapped:
        return key.labels
    return ", ".join(app.get_key_display(Binding(k, key.action)) for k in remapped.split(","))


#: main-screen actions the palette already offers on every screen (the data screen, the lock, Textual's
#: own "Quit"): listed once, not twice
APP_WIDE_ACTIONS = frozenset({"data", "lock", "quit_app"})


class ActionCommands(ListedCommands):
    """Every main-screen action by name ("incident", "door check", "pane 3"…), each once: the ones
    offered on every screen (:data:`APP_WIDE_ACTIONS`) come from their own providers."""

    def commands(self):
        screen = self.screen
        for k in KEYS:
            if k.action in APP_WIDE_ACTIONS:
                continue
            yield f"{k.help} ({shown_key(self.app, k)})", partial(screen.run_action, k.action), k.help



class StudentCommands(Provider):
    """Find a student by a few letters of a name or the student number; opens their page."""

    async def search(self, query: str) -> Hits:
        text = query.strip()
        for prefix in ("find ", "student ", f"{self.app.desk.words.student} "):
            if text.lower().startswith(prefix):
                text = text[len(prefix):]
        if len(text) < 2:
            return
        desk = self.app.desk
        try:
            found = desk.store.find_students(text, limit=8)
        except Exception:  # a busy or locked database must not break the palette
            return
        for student in found:
            label = f"{desk.words.Student}: {desk.words.describe(student)}"
            yield Hit(0.9, literal(label, one_line=True), partial(self._open, student.local_id),
                      text=plain(label, one_line=True), help="Open the student's page")

    def _open(self, student_id: str) -> None:
        from .screens.student import StudentScreen

        self.app.push_screen(StudentScreen(student_id))
