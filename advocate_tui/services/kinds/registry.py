"""The one registry of record kinds: what each shared part of the app needs from a kind.

A kind's own module (``services/kinds/<kind>.py``) builds a :class:`Kind` — its model, where it lives,
and the functions that make its part of each shared screen and file — and passes it to
:func:`register`; :mod:`advocate_tui.services.kinds` imports every kind's module. The shared code (the
main screen's panes and header counts, the student page, the handoff and its bundle, the forms' saving,
the data screen, the demo school) asks :func:`kinds` instead of naming kinds, so a new kind is its own
modules (model, store queries, this module, its form or pane), a migration and a line in each registry.
No Textual here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ...desk import Desk
from ...models import Record
from ..rows import Look, Row

if TYPE_CHECKING:
    from ...models import HandoffBundle
    from ...wording import Words

__all__ = ["Kind", "HeaderBit", "BundlePart", "register", "kinds", "kind_named", "kind_of", "panes", "bundle_parts",
           "form_kinds", "kind_of_form"]


@dataclass(frozen=True)
class HeaderBit:
    """One count in the main screen's header line ("4 doors to check"), in a wide and a narrow wording."""

    #: where it goes in the line: smaller first
    place: int
    wide: str
    narrow: str
    #: "" (plain), "warning" or "error": the theme colour it is drawn in
    tone: str = ""


@dataclass(frozen=True)
class BundlePart:
    """A kind's part of the day's-end handoff and its signed bundle (:mod:`advocate_tui.services.handoff`,
    :mod:`~advocate_tui.services.bundle`)."""

    #: the bundle's list of these records ("incidents") — also the key of a handoff review's list
    section: str
    #: the handoff's list of their ids ("incident_ids")
    ids: str
    #: the order of the bundle's lists when imported (smaller first)
    place: int
    #: what the next handoff of a day carries (``seen``: the ids the day's earlier handoffs carried)
    pick: Callable[[Desk, date, set[str]], list[Record]]
    #: the record with every student it names under a coordinator's key (``key(student_id)``)
    rekey: Callable[[Record, Callable[[str], str]], Record] | None = None
    #: its section of the bundle's Markdown (``None``: a section is written by another kind's part)
    markdown: Callable[["HandoffBundle", "Words"], list[str]] | None = None
    #: where its section goes in the Markdown (smaller first)
    markdown_place: int = 0
    #: the one-line summary of what a review holds ("3 incidents (1 logged late)"), for the handoff screen
    summary: Callable[[Any, Any], str | None] | None = None


@dataclass(frozen=True)
class Kind:
    """One kind of record and its part in each shared screen, file and figure."""

    #: the pydantic model (``model.kind`` is the kind's name)
    model: type[Record]
    #: what the student page calls it ("Incident", "Note")
    label: str
    #: the names of its own modules in every layer (``models/<m>.py``, ``store/<m>.py``,
    #: ``services/kinds/<m>.py``, ``screens/forms/<m>.py``, ``widgets/<m>.py``…): the only modules,
    #: with those of the kinds that link to it and the registries, that name its model
    modules: tuple[str, ...]
    #: the kinds its modules may name (a referral is made from an incident or a contact note)
    links: tuple[str, ...] = ()
    # ---------------------------------------------------------------- the main screen
    #: the main-screen pane that shows its records (its id: "incidents"), None for none
    pane: str | None = None
    #: every row of that pane (one kind per pane fills it: the checklist's doors and patrol rounds are one)
    rows: Callable[[Look], list[Row]] | None = None
    #: the row of a record of today just saved, when one row more is all that changes on the screen
    quick_row: Callable[[Look, Record], Row] | None = None
    #: its counts for the header ({name: value}; read as ``Counts.<name>``)
    counts: Callable[[Look], dict[str, Any]] | None = None
    #: the header's words for those counts (given every kind's counts and why there is no school today)
    header: Callable[[dict[str, Any], str | None], list[HeaderBit]] | None = None
    # ---------------------------------------------------------------- the student page
    #: (kind and role, what, status) of one record on a student's page (the student and their role given)
    history: Callable[[Desk, Record, str, str | None], tuple[str, str, str]] | None = None
    #: lines above a student's history (Peace Room minutes, the CICO chart…)
    summary: Callable[[Desk, str], list[str]] | None = None
    # ---------------------------------------------------------------- the handoff
    bundle: BundlePart | None = None
    # ---------------------------------------------------------------- its form's values (services.recording)
    #: the form's name (drafts and ``recording.save(desk, form, values)``), None without a form of values
    form: str | None = None
    #: what a person calls it in a list of unsaved forms ("Contact note")
    title: str = ""
    #: the record from the form's values (raises ``recording.Invalid``)
    build: Callable[..., Record] | None = None
    #: a record as its form's values (for an amend)
    values: Callable[[Desk, Record], dict[str, Any]] | None = None
    #: the records made from this one, and the one it came from (the item view lists them)
    linked: Callable[[Desk, Record], list[Record]] | None = None

    @property
    def name(self) -> str:
        """The kind's name: its model's ``kind`` ("incident")."""
        return self.model.kind


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind to the registry (its module does, once, when imported); returns it."""
    if kind.name in _KINDS and _KINDS[kind.name] is not kind:
        raise ValueError(f"the kind {kind.name!r} is registered twice")
    _KINDS[kind.name] = kind
    return kind


def kinds() -> tuple[Kind, ...]:
    """Every registered kind, in the order their modules registered (the main screen's panes' order)."""
    return tuple(_KINDS.values())


def kind_named(name: str) -> Kind | None:
    """The kind of this name ("incident"), None when none is registered."""
    return _KINDS.get(name)


def kind_of(record: Record) -> Kind | None:
    """The kind of a record, None when its kind is not registered (a handoff)."""
    return _KINDS.get(record.kind)


def panes() -> tuple[str, ...]:
    """The main screen's panes, in key order (1, 2…): each pane filled by a kind, in registration order."""
    return tuple(k.pane for k in _KINDS.values() if k.pane and k.rows)


def bundle_parts() -> list[tuple[Kind, BundlePart]]:
    """The kinds a handoff carries, with their parts, in the bundle's order."""
    found = [(k, k.bundle) for k in _KINDS.values() if k.bundle is not None]
    return sorted(found, key=lambda kp: kp[1].place)


def form_kinds() -> list[Kind]:
    """The kinds made from a form's values (``recording.save``)."""
    return [k for k in _KINDS.values() if k.form and k.build]


def kind_of_form(form: str) -> Kind | None:
    """The kind a form of this name makes ("contact" → the contact note), None for another form."""
    return next((k for k in _KINDS.values() if k.form == form), None)
