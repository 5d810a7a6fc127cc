"""The UI's registry of record kinds: which form makes or amends each kind, what enter opens on one, the
student page's key to add one, and which widget shows each main-screen pane.

The services' registry (:mod:`advocate_tui.services.kinds`) says what each kind shows; this one says which
screens and widgets show it. The main screen and the student page iterate both instead of naming kinds.
Forms and detail screens are named (module, class) and imported when first used, so a start loads none.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..widgets.attendance import AttendancePane
from ..widgets.checklist import ChecklistPane
from ..widgets.contacts import ContactsPane
from ..widgets.incidents import IncidentsPane
from ..widgets.literal import plain
from ..widgets.pane import Pane
from ..widgets.referrals import ReferralsPane

if TYPE_CHECKING:
    from ..models.base import Record

__all__ = ["KindUI", "AddKey", "ItemKey", "KIND_UI", "PANE_WIDGETS", "ui_of", "form_of", "load_screen_class",
           "ScreenLoadError", "screen_class_or_say", "add_keys"]


@dataclass(frozen=True)
class AddKey:
    """A key on a student's page that adds a record of the kind for the student."""

    key: str
    label: str
    #: the binding's id (a profile's ``[keys]`` can remap it)
    id: str
    tooltip: str


@dataclass(frozen=True)
class ItemKey:
    """A key of the item view (a record opened) for records of one kind: a hall sweep's i, c and R make an
    incident, a note or a referral from it; a door exception's n an incident."""

    key: str
    #: what the view's keys line says of it ("n incident from it")
    hint: str
    #: what it does: ``run(view, record)`` (the view's ``follow_with(form, then)`` opens a form over it)
    run: Callable[[Any, Record], None]
    #: whether the record offers it now (not voided, not yet made into an incident…)
    offered: Callable[[Record], bool] = lambda record: not record.voided


@dataclass(frozen=True)
class KindUI:
    """One kind's screens: its form, what enter opens, the student page's key to add one."""

    #: the form that makes or amends it: (module under ``advocate_tui``, class)
    form: tuple[str, str] | None = None
    #: what enter opens on one of its records: (module, class) of a screen taking the record's id; None:
    #: the item view (every field and its history)
    detail: tuple[str, str] | None = None
    #: what its form takes to amend a record besides ``record=`` (a door check: the door)
    amend_args: Callable[[Record], dict[str, Any]] | None = None
    #: the row a pane moves its cursor to after one was saved (None: the record's own row)
    select_key: Callable[[Any, Record], str] | None = None
    #: the student page's key that adds one for the student
    add: AddKey | None = None
    #: the item view's keys of its own (in place of "f follow up" in the view's keys line)
    item_keys: tuple[ItemKey, ...] = ()


def _run(module: str, function: str, *args: Any) -> Callable[[Any, Record], None]:
    """``module.function(view, record, *args)``, its module imported when the key is first pressed."""
    def run(view, record: Record) -> None:
        getattr(importlib.import_module(f"advocate_tui.{module}"), function)(view, record, *args)
    return run


def _offered(module: str, function: str) -> Callable[[Record], bool]:
    def offered(record: Record) -> bool:
        return getattr(importlib.import_module(f"advocate_tui.{module}"), function)(record)
    return offered


def _next_door_key(desk, record: Record) -> str:
    """After a door check the cursor moves on to the next unchecked door (a sweep of the doors)."""
    from ..services.checklist import next_unchecked_door

    return f"door:{next_unchecked_door(desk) or record.door}"


KIND_UI: dict[str, KindUI] = {
    "incident": KindUI(form=("screens.forms.incident", "IncidentForm"),
                       add=AddKey("i", "Incident", "new_incident", "New incident with this student")),
    "door_check": KindUI(form=("screens.forms.door", "DoorCheckForm"), select_key=_next_door_key,
                         amend_args=lambda record: {"door": record.door},
                         item_keys=(ItemKey("n", "n incident from it", _run("screens.forms.door", "incident_from_item"),
                                            _offered("screens.forms.door", "exception_without_incident")),)),
    "patrol_round": KindUI(form=("screens.forms.patrol", "PatrolForm")),
    "contact_note": KindUI(form=("screens.forms.contact", "ContactForm"),
                           add=AddKey("c", "Note", "new_contact", "New contact note for this student")),
    "attendance_followup": KindUI(form=("screens.forms.attendance", "AttendanceForm"),
                                  add=AddKey("a", "Follow-up", "new_attendance", "New attendance follow-up")),
    "referral": KindUI(form=("screens.forms.referral", "ReferralForm"),
                       add=AddKey("r", "Refer", "new_referral", "New referral for this student")),
    "process": KindUI(detail=("screens.process_detail", "ProcessDetail")),
    # a hall sweep becomes an incident, a note or a referral (issue 14)
    "sweep": KindUI(item_keys=tuple(ItemKey(key, hint, _run("screens.forms.sweep", "made_from_item", form))
                                    for key, hint, form in (("i", "i incident", "incident"), ("c", "c note", "contact"),
                                                            ("R", "R refer", "referral")))),
}

#: the widget of each main-screen pane (the panes' order is the services registry's)
PANE_WIDGETS: dict[str, type[Pane]] = {cls.PANE: cls for cls in (IncidentsPane, ChecklistPane, ContactsPane,
                                                                  AttendancePane, ReferralsPane)}


def ui_of(kind: str) -> KindUI:
    """The screens of a kind (an empty :class:`KindUI` for a kind with none of its own)."""
    return KIND_UI.get(kind, KindUI())


def form_of(kind: str) -> tuple[str, str] | None:
    """(module, class) of the form that makes or amends records of ``kind``, None when it has none."""
    return ui_of(kind).form


def add_keys() -> list[tuple[str, AddKey]]:
    """(kind, key) of every kind a student's page can add, in the services registry's order."""
    from ..services.kinds import kinds

    return [(k.name, ui.add) for k in kinds() if (ui := ui_of(k.name)).add is not None]


class ScreenLoadError(Exception):
    """A screen's code is in this version but failed to load: its message says which module and why (the
    exception's class and message: about the code, never about a student)."""


def load_screen_class(where: tuple[str, str] | str, name: str | None = None) -> type | None:
    """The class ``name`` from ``advocate_tui.<module>`` (or from the forms package), None if not there yet.

    Raises :class:`ScreenLoadError` when the module is there but importing it fails (a broken install, a
    missing dependency, an error in its code): that is a real failure, not "not in this version".
    """
    module, cls = where if isinstance(where, tuple) else (where, name or "")
    candidates = [module]
    if module.startswith("screens.forms."):
        candidates.append("screens.forms")
    for mod in candidates:
        full = f"advocate_tui.{mod}"
        try:
            found = getattr(importlib.import_module(full), cls, None)
        except ModuleNotFoundError as exc:
            if exc.name is not None and (full == exc.name or full.startswith(exc.name + ".")):
                continue  # the module itself is not in this version
            raise _load_error(full, exc) from exc
        except Exception as exc:  # noqa: BLE001 - any failure to load is reported, never hidden
            raise _load_error(full, exc) from exc
        if found is not None:
            return found
    return None


def screen_class_or_say(screen: Any, where: tuple[str, str] | str, name: str | None = None) -> type | None:
    """:func:`load_screen_class`, or None with a one-line message on ``screen`` saying why: "not available
    in this version yet" only when it is not in this version; a failed load names what failed and how,
    and the app keeps running."""
    label = where[1] if isinstance(where, tuple) else name
    try:
        cls = load_screen_class(where, name)
    except ScreenLoadError as exc:
        screen.notify(plain(f"{label} could not be opened: {exc}", one_line=True), title="Failed to load",
                      severity="error", markup=False, timeout=30)
        return None
    if cls is None:
        screen.notify(f"{label} is not available in this version yet", severity="warning")
    return cls


def _load_error(module: str, exc: BaseException) -> ScreenLoadError:
    said = " ".join(str(exc).split())  # one line
    return ScreenLoadError(f"{module} failed to load ({type(exc).__name__}{': ' + said if said else ''})")
