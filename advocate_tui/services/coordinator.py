"""The coordinator's side: the handed-off referrals and everything else the handoffs carry, filtered by
school, day and handoff; accept, assign, schedule, decline, close, reopen, and a note for the advocate.

Every change goes through ``store.set_status`` so each step is kept in the referral's history, and
stamps ``decided_at``: the coordinator's reply (:mod:`.reply`) carries what changed since the last one,
and the school keeps the newest word. Nothing is final by mistake: closing is asked first on the
screen, and a closed referral can be reopened with a reason (kept in its history).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..desk import Desk
from ..models import Handoff, Referral, ReferralOutcome, ReferralStatus, Student
from ..store import StoreError
from .kinds import bundle_parts
from .rows import DayItem
from .schools import schools_of

__all__ = ["CoordinatorError", "Filters", "DayItem", "handoff_label", "queue", "students_of", "age_days", "accept",
           "assign", "schedule", "decline", "close", "reopen", "note", "schedule_warning", "handoffs", "days",
           "day_items", "school_of_referrals", "closed_today", "inbox", "read_inbox", "inbox_bytes", "INBOX_AT_ONCE_BYTES",
           "mark_imported", "InboxFile", "label_of"]

_ACTIVE = (ReferralStatus.HANDED_OFF.value, ReferralStatus.ACCEPTED.value)
#: the most items the whole-handoff view lists at once (a day or a handoff holds far fewer)
DAY_ITEMS_CAP = 500


class CoordinatorError(Exception):
    """A change the coordinator can't make; str() is one line."""


@dataclass(frozen=True)
class Filters:
    """What the coordinator's view shows: one school or all, one handoff day or all, one handoff or all."""

    school: str | None = None
    day: dt.date | None = None
    handoff_id: str | None = None


# ------------------------------------------------------------------ handoffs, days, schools
def handoffs(desk: Desk, filters: Filters = Filters()) -> list[Handoff]:
    """The handoffs received (or, on a school's own database, signed), newest first, for the school and day."""
    found = desk.store.select(Handoff, "" if filters.day is None else "date = ?",
                              [] if filters.day is None else [filters.day.isoformat()],
                              order_by="date DESC, signed_at DESC")
    if filters.school is not None:
        schools = schools_of(desk, "handoff", [h.id for h in found])
        found = [h for h in found if schools.get(h.id) == filters.school]
    return found


def days(desk: Desk, school: str | None = None) -> list[dt.date]:
    """The days with a handoff (for the school), newest first."""
    return sorted({h.date for h in handoffs(desk, Filters(school=school))}, reverse=True)


def school_of_referrals(desk: Desk, referrals: list[Referral]) -> dict[str, str]:
    """The school (short name) of each referral, by id."""
    return schools_of(desk, "referral", [r.id for r in referrals])


def closed_today(desk: Desk, referral: Referral) -> bool:
    """True for a referral closed today: it stays in the list where it was (a mistake is undone at once)."""
    return (referral.status is ReferralStatus.CLOSED and referral.closed_at is not None
            and desk.clock.local(referral.closed_at).date() == desk.clock.today())


def queue(desk: Desk, *, include_closed: bool = False, filters: Filters = Filters()) -> list[Referral]:
    """Handed-off and accepted referrals, and those closed today (every closed one if asked): urgent first,
    then oldest first, each staying in its place when it is closed today; older closed ones last.

    Referrals the advocate voided after handing them off are listed last, as voided (with the reason).
    """
    store = desk.store
    if include_closed:
        refs = store.select(Referral, "status != ?", [ReferralStatus.NEW.value], include_voided=True)
    else:
        since = desk.clock.day_bounds()[0].isoformat()
        refs = store.select(Referral, "status IN (?, ?) OR (status = ? AND closed_at >= ?)",
                            [*_ACTIVE, ReferralStatus.CLOSED.value, since], include_voided=True)
        # a void seen once stays listed (as voided, with its reason) until closed are hidden
        refs = [r for r in refs if not (r.voided and r.status is ReferralStatus.CLOSED and not closed_today(desk, r))]
    if filters.school is not None:
        schools = school_of_referrals(desk, refs)
        refs = [r for r in refs if schools.get(r.id) == filters.school]
    if filters.handoff_id is not None:
        h = store.get(Handoff, filters.handoff_id)
        listed = set(h.referral_ids) if h is not None else set()
        refs = [r for r in refs if r.id in listed]
    elif filters.day is not None:
        on_day = {h.id for h in handoffs(desk, Filters(school=filters.school, day=filters.day))}
        refs = [r for r in refs if r.handoff_id in on_day]
    # the id last: two referrals made at the same moment (two schools' desks) keep their order
    return sorted(refs, key=lambda r: (r.voided, r.status is ReferralStatus.CLOSED and not closed_today(desk, r),
                                       r.urgency.rank, r.referred_at, r.id))


def students_of(desk: Desk, referrals: list[Referral]) -> dict[str, Student]:
    """The students the referrals name, by their key."""
    return desk.store.students_by_id([s for r in referrals for s in r.students])


def handoff_label(desk: Desk, referral: Referral) -> str:
    """Which handoff brought the referral: 'handoff 2026-11-23 #1 · J. Rivera 15:52 · 1a2b3c4d'.

    Two desks may both sign a "#1" on the same day; the signer, time and short id tell them apart.
    """
    if not referral.handoff_id:
        return ""
    h = desk.store.get(Handoff, referral.handoff_id)
    if h is None:
        return f"handoff {referral.handoff_id[:8]}"
    return label_of(desk, h)


def label_of(desk: Desk, h: Handoff) -> str:
    """'handoff 2026-11-23 #1 · J. Rivera 15:52 · 1a2b3c4d'."""
    return (f"handoff {h.date} #{h.sequence} · {h.signed_by} "
            f"{desk.clock.local(h.signed_at).format('HH:mm')} · {h.id[:8]}")


def age_days(desk: Desk, referral: Referral) -> int:
    """Whole school days since the referral was made."""
    made = desk.clock.local(referral.referred_at).date()
    return (desk.clock.today() - made).days


# ------------------------------------------------------------------ the whole handoff
def day_items(desk: Desk, filters: Filters = Filters()) -> list[DayItem]:
    """Everything the matching handoffs carried besides referrals, handoff by handoff (newest first):
    the summary, flagged contact notes, incidents (major first), open attendance follow-ups, door and
    patrol exceptions. At most :data:`DAY_ITEMS_CAP` items."""
    chosen = handoffs(desk, Filters(school=filters.school, day=filters.day))
    if filters.handoff_id is not None:
        chosen = [h for h in chosen if h.id == filters.handoff_id]
    schools = schools_of(desk, "handoff", [h.id for h in chosen])
    out: list[DayItem] = []
    for h in chosen:
        school = schools.get(h.id, "")
        if h.summary:
            out.append(DayItem(f"summary:{h.id}", "summary", school, h, h.signed_at, (),
                               " ".join(h.summary.split()), f"Shift summary, signed by {h.signed_by}:\n{h.summary}",
                               label="Summary"))
        for _kind, part in bundle_parts():  # each kind's items (flagged notes, incidents, attendance, exceptions)
            if part.day_items is not None:
                out += part.day_items(desk, h, school)
        if len(out) >= DAY_ITEMS_CAP:
            break
    return out[:DAY_ITEMS_CAP]


# ------------------------------------------------------------------ the coordinator's actions
def _current(desk: Desk, referral_id: str, *, closed: bool = False) -> Referral:
    ref = desk.store.get(Referral, referral_id)
    if ref is None:
        raise CoordinatorError("that referral is no longer on file")
    if ref.voided:
        raise CoordinatorError(f"the advocate voided that referral: {ref.void_reason}")
    if ref.status is ReferralStatus.NEW:
        raise CoordinatorError("that referral has not been handed off yet")
    if closed and ref.status is not ReferralStatus.CLOSED:
        raise CoordinatorError("that referral is not closed")
    if not closed and ref.status is ReferralStatus.CLOSED:
        raise CoordinatorError("that referral is already closed (o reopens it)")
    return ref


def _save(desk: Desk, ref: Referral, note: str, **changes) -> Referral:
    try:
        return desk.store.set_status(ref.model_copy(update={**changes, "decided_at": desk.clock.now()}), note=note)
    except StoreError as exc:
        raise CoordinatorError(str(exc)) from None


def _accepting(desk: Desk, ref: Referral) -> dict:
    return {} if ref.status is ReferralStatus.ACCEPTED else {
        "status": ReferralStatus.ACCEPTED, "accepted_at": desk.clock.now()}


def _text(value: str, what: str, limit: int = 200) -> str:
    text = (value or "").strip()
    if not text:
        raise CoordinatorError(f"type {what}")
    if len(text) > limit:
        raise CoordinatorError(f"{what.removeprefix('the ')} is too long (at most {limit} characters)")
    return text


def accept(desk: Desk, referral_id: str) -> Referral:
    """Accept a handed-off referral."""
    ref = _current(desk, referral_id)
    if ref.status is ReferralStatus.ACCEPTED:
        raise CoordinatorError("that referral is already accepted")
    return _save(desk, ref, "accepted", **_accepting(desk, ref))


def assign(desk: Desk, referral_id: str, facilitator: str) -> Referral:
    """Assign a facilitator (accepting the referral if it was not yet)."""
    name = _text(facilitator, "the facilitator's name")
    ref = _current(desk, referral_id)
    return _save(desk, ref, f"facilitator: {name}", facilitator=name, **_accepting(desk, ref))


def schedule(desk: Desk, referral_id: str, when: datetime, place: str | None = None) -> Referral:
    """Schedule the meeting at a time and (optionally) a place (accepting the referral if it was not yet)."""
    ref = _current(desk, referral_id)
    local = desk.clock.local(when)
    where = (place or "").strip() or None
    if where is not None and len(where) > 200:
        raise CoordinatorError("the place is too long (at most 200 characters)")
    return _save(desk, ref, f"scheduled for {local.format('YYYY-MM-DD HH:mm')}" + (f", {where}" if where else ""),
                 scheduled_for=local, place=where, **_accepting(desk, ref))


def schedule_warning(desk: Desk, when: datetime | None) -> str | None:
    """'Saturday 11/28 — school is closed (weekend).' for a meeting on a day without school by the
    profile's calendar (a weekend, a holiday or break; saved anyway); None otherwise."""
    if when is None:
        return None
    local = desk.clock.local(when)
    off = desk.clock.day_off(local.date())
    if off is None and desk.clock.calendar is None and local.isoweekday() in (6, 7):
        off = "weekend"
    if off is not None:
        return f"{desk.words.long_day(local, padded=True)} — school is closed ({off})."
    return None


def decline(desk: Desk, referral_id: str, reason: str) -> Referral:
    """Decline a referral: closed with the outcome "declined" and the reason (needed), which the school reads."""
    why = _text(reason, "why it is declined", 4000)
    ref = _current(desk, referral_id)
    return _save(desk, ref, f"declined: {why}", status=ReferralStatus.CLOSED, outcome=ReferralOutcome.DECLINED,
                 outcome_note=why, closed_at=desk.clock.now())


def close(desk: Desk, referral_id: str, outcome: ReferralOutcome, note: str = "") -> Referral:
    """Close a referral with an outcome (and a note; "declined" needs one: the reason)."""
    outcome = ReferralOutcome(outcome)
    if outcome is ReferralOutcome.DECLINED:
        return decline(desk, referral_id, note)
    ref = _current(desk, referral_id)
    return _save(desk, ref, f"closed: {outcome.label}", status=ReferralStatus.CLOSED, outcome=outcome,
                 outcome_note=(note or "").strip(), closed_at=desk.clock.now())


def reopen(desk: Desk, referral_id: str, reason: str) -> Referral:
    """Reopen a closed referral (why is needed, and kept in its history): back to accepted (or handed off,
    if it was never accepted), its outcome cleared; its schedule and facilitator stay."""
    why = _text(reason, "why it is reopened", 4000)
    ref = _current(desk, referral_id, closed=True)
    status = ReferralStatus.ACCEPTED if ref.accepted_at else ReferralStatus.HANDED_OFF
    return _save(desk, ref, f"reopened: {why}", status=status, outcome=None, outcome_note="", closed_at=None)


def note(desk: Desk, referral_id: str, text: str) -> Referral:
    """The coordinator's note for the school's advocate on a referral (an empty text clears it)."""
    ref = desk.store.get(Referral, referral_id)
    if ref is None or ref.voided or ref.status is ReferralStatus.NEW:
        _current(desk, referral_id)  # says why
    words = (text or "").strip()
    if len(words) > 4000:
        raise CoordinatorError("the note is too long (at most 4,000 characters)")
    return _save(desk, ref, f"note for the advocate: {words}" if words else "note for the advocate cleared",
                 coordinator_note=words)


# ------------------------------------------------------------------ the bundles waiting in the handoff folder
@dataclass(frozen=True)
class InboxFile:
    """A handoff bundle in the coordinator's handoff folder, and whether it is imported already."""

    path: Path
    modified: datetime
    school: str = ""
    day: str = ""
    sequence: int | None = None
    #: "new", "imported" or "unreadable" (the import says why)
    state: str = "new"


def inbox(desk: Desk, limit: int = 40) -> tuple[Path, list[InboxFile]]:
    """The handoff folder and the newest ``limit`` handoff bundles in it (replies written here left out),
    each marked new, imported or unreadable, newest first."""
    from .bundle import handoff_folder

    folder = handoff_folder(desk)
    return folder, mark_imported(desk, read_inbox(folder, desk.clock, limit))


#: a handoff folder whose bundles add up to at most this is read at once (a few ms; the list is there in the
#: picker's first frame, so "i enter" typed fast picks the newest new bundle); more is read on a worker thread
INBOX_AT_ONCE_BYTES = 1024 * 1024


def inbox_bytes(folder: Path) -> int:
    """How many bytes the bundles in ``folder`` add up to (file sizes only: nothing is read)."""
    try:
        return sum(p.stat().st_size for p in folder.glob("*.json") if p.is_file() and not p.name.startswith("."))
    except OSError:
        return 0


def read_inbox(folder: Path, clock, limit: int = 40) -> list[tuple[InboxFile, str | None]]:
    """The files part of :func:`inbox`: the newest ``limit`` handoff bundles in ``folder`` read, each with
    its handoff id. No database: safe on a worker thread (up to ``limit`` files of up to 20 MB each)."""
    from .bundle import BundleError, read_document

    try:
        files = sorted((p for p in folder.glob("*.json") if p.is_file() and not p.name.startswith(".")),
                       key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return []
    out: list[tuple[InboxFile, str | None]] = []
    for path in files:
        try:
            modified = clock.local(datetime.fromtimestamp(path.stat().st_mtime, tz=dt.timezone.utc))
            data = read_document(path)
        except (BundleError, OSError):
            out.append((InboxFile(path, clock.now(), state="unreadable"), None))
            continue
        if not isinstance(data, dict) or data.get("format") != "advocate-tui.handoff":
            continue  # a reply written here, or something else
        handoff = data.get("handoff") if isinstance(data.get("handoff"), dict) else {}
        hid = handoff.get("id")
        sequence = data.get("sequence")
        out.append((InboxFile(path, modified, str(data.get("school_short", "")), str(data.get("date", "")),
                              sequence if isinstance(sequence, int) else None),
                    hid if isinstance(hid, str) else None))
        if len(out) >= limit:
            break
    return out


def mark_imported(desk: Desk, read: list[tuple[InboxFile, str | None]]) -> list[InboxFile]:
    """The bundles :func:`read_inbox` read, those whose handoff is in the database marked imported."""
    return [dataclasses.replace(f, state="imported") if hid is not None and desk.store.get(Handoff, hid) is not None
            else f for f, hid in read]
