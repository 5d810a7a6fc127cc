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
from importlib import import_module
from typing import TYPE_CHECKING, Any

from ...desk import Desk
from ...models.kinds import Later
from ..rows import Look, Row

if TYPE_CHECKING:
    from ...models import Handoff, HandoffBundle
    from ...models.base import Record
    from ...wording import Words
    from ..handoff import HandoffReview
    from ..shift_parts import ShiftPart
    from ..stat_table import Figures, StatTable

__all__ = ["Kind", "HeaderBit", "BundlePart", "register", "kinds", "kind_named", "kind_of", "panes", "bundle_parts",
           "shown_parts", "kind_of_form", "carried_by", "listed", "on_call"]


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
    :mod:`~advocate_tui.services.bundle`): what a sign-off carries of it, how the coordinator's database
    takes it in, and its section of the review, the Markdown and the coordinator's day view."""

    #: the bundle's list of these records ("incidents"), also a review's (``review.incidents``)
    section: str
    #: the handoff's list of their ids ("incident_ids")
    ids: str
    #: the order of the bundle's lists, of their import and of the coordinator's day view (smaller first)
    place: int
    #: what the next handoff of ``day`` carries, given the day's earlier handoffs (not voided)
    pick: Callable[[Desk, date, list["Handoff"]], list[Record]]
    #: False when these records alone are nothing to hand off (they ride along with a handoff signed anyway)
    alone: bool = True
    #: records of earlier handoffs changed since (voided, amended): listed again, their state as it is now
    again: Callable[[Desk], list[Record]] | None = None
    #: records the coordinator answered since the last handoff signed here (read before signing the next)
    answered: Callable[[Desk], list[Record]] | None = None
    #: the change a sign-off makes to the records it hands over, in its transaction (a referral becomes
    #: handed off); the records of such a part are the ones the advocate reviewed
    hand_over: Callable[[Desk, "Handoff", list[Record], str], None] | None = None
    #: the warning a void form shows for one of these records the coordinator already has (None: none)
    void_warning: Callable[[Desk, Record], str | None] | None = None
    #: the record with every student it names under a coordinator's key (``key(student_id)``)
    rekey: Callable[[Record, Callable[[str], str]], Record] | None = None
    #: the coordinator's database takes in a record it has (changed): returns True when it did (None: as is)
    merge: Callable[..., bool] | None = None
    #: where its sections go in the review, its one-line contents and the Markdown (smaller first)
    show_place: int = 0
    #: its bit of the review's one-line contents ("2 incidents (1 logged late)"), None for no bit
    contents: Callable[[Desk, "HandoffReview"], list[str]] | None = None
    #: its lines of the review screen (under a heading of their own)
    review: Callable[[Desk, "HandoffReview"], list[str]] | None = None
    #: its section of the bundle's Markdown
    markdown: Callable[["HandoffBundle", "Words"], list[str]] | None = None
    #: its items in the coordinator's view of one handoff (``school``: the handoff's school)
    day_items: Callable[[Desk, "Handoff", str], list[Any]] | None = None


@dataclass(frozen=True)
class Kind:
    """One kind of record and its part in each shared screen, file and figure."""

    #: the pydantic model (``model.kind`` is the kind's name), named through its
    #: :class:`~advocate_tui.models.kinds.Later` (``INCIDENT``): built when a record of it is read or made
    model: type[Record] | Later
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
    #: a new one's form values following up another record (``f`` in the item view)
    follow_up: Callable[[Record], dict[str, Any]] | None = None
    #: the records one of these names (the incident a referral was made from, the one a door exception
    #: became); the item view lists them under "Linked"
    linked_to: Callable[[Desk, Record], list[Record]] | None = None
    #: the records of this kind that name another record (an incident's referrals and door check)
    linking: Callable[[Desk, Record], list[Record]] | None = None
    #: what ending one means (``services.ends``: a follow-up done, attendance resolved, a door cleared), None
    ends: str | None = None
    #: its part of the end-of-shift report (``services.shift_report``), made when the report first asks: the
    #: report's modules (``shift_parts``, ``markdown``) are imported then, not by a start
    shift: Callable[[], "ShiftPart"] | None = None
    # ---------------------------------------------------------------- the data screen and the report
    #: its tables of counts over a range of days (``services.stats``; the figures' modules imported when
    #: first asked: see :func:`on_call`)
    tables: Callable[["Figures"], list["StatTable"]] | None = None
    #: where its tables go (smaller first: the incidents' Big 5 lead)
    tables_place: int = 0
    #: the form values that put a student into a new one (from the student's page)
    for_student: Callable[[str], dict[str, Any]] | None = None

    @property
    def name(self) -> str:
        """The kind's name: its model's ``kind`` ("incident")."""
        return self.model.kind


def on_call(module: str, name: str) -> Callable[..., Any]:
    """The function ``name`` of the services' module ``module`` ("incident_stats"), imported when first called:
    a kind's part of the statistics, the shift report or the handoff, which the first screen never asks for
    (each such module costs every start its import: its classes alone ~2-4M instructions each)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(import_module(f"..{module}", __package__), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call


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


def shown_parts() -> list[BundlePart]:
    """The handoff parts in the order the review, the Markdown and a bundle's students show them."""
    return sorted((part for _kind, part in bundle_parts()), key=lambda part: part.show_place)


def kind_of_form(form: str) -> Kind | None:
    """The kind a form of this name makes ("contact" → the contact note), None for another form."""
    return next((k for k in _KINDS.values() if k.form == form), None)


def carried_by(earlier: list["Handoff"], ids: str) -> set[str]:
    """The ids the handoffs ``earlier`` carried in their list ``ids`` ("incident_ids")."""
    return {rid for h in earlier for rid in getattr(h, ids)}


def listed(desk: Desk, model: type[Record], ids: list[str]) -> list[Record]:
    """The records of these ids still on file (not voided), in the order listed."""
    return [rec for rid in ids if (rec := desk.store.get(model, rid)) is not None and not rec.voided]
