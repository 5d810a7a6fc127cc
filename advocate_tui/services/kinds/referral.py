"""The referral: its pane (5, with today's meetings and the coordinator's notes), its header counts, its line
on a student's page, its part of a handoff and its form's values. No Textual here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import pendulum

from ...desk import Desk
from ...models import Level, ReferralStatus
from ...store import handoffs as handoff_queries
from ...store import referrals as queries
from ...wording import Words
from .. import referrals as queue
from ..recording import _base, _required, _text, _validate, _when, when_text
from ..referral_word import has_word, word
from ..rows import Look, Row, hhmm, people, short, status_text, student_label, time_label, time_text
from ..text_fit import counted
from ...models.enums import ReferralStatus as _Status
from .registry import BundlePart, HeaderBit, Kind, register
from ...models.kinds import CONTACT_NOTE, INCIDENT, REFERRAL

if TYPE_CHECKING:
    from ...models.base import Record
    from ...models.contact import ContactNote
    from ...models.handoff import Handoff
    from ...models.incident import Incident
    from ...models.referral import Referral
    from ...models import HandoffBundle
    from ..handoff import HandoffReview
    from ..stat_table import Figures, StatTable

__all__ = ["pane_rows", "meetings_today", "meeting_rows", "COLLECT_MINUTES", "sorted_referrals", "is_change",
           "state_text", "REFERRAL_SOURCES", "prefill_from"]

#: minutes before a meeting when its row turns red: time to go and collect the students
COLLECT_MINUTES = 15


def meetings_today(desk: Desk, *, stored: bool = False) -> list[Referral]:
    """Referrals with a meeting scheduled today (accepted, not voided), earliest first (``stored``: each as
    stored, see ``Store.select``)."""
    start, end = desk.clock.day_bounds()
    return sorted(queries.scheduled_between(desk.store, start, end, stored=stored), key=lambda r: r.scheduled_for)


def _collect(desk: Desk, ref: Referral) -> tuple[str, bool]:
    """'from P3 · in 25 min' — which class to collect from (the bell period then) and how soon; red when due."""
    when = desk.clock.local(ref.scheduled_for)
    period = desk.clock.period_at(when)
    minutes = int((when - desk.clock.now()).total_seconds() // 60)
    if minutes < -60:
        soon = "earlier today"
    elif minutes < 0:
        soon = "started"
    elif minutes == 0:
        soon = "now"
    elif minutes < 120:
        soon = f"in {minutes} min"
    else:
        soon = f"at {when.format('HH:mm')}"
    return status_text(f"from {period.name}" if period else "", soon), 0 <= minutes <= COLLECT_MINUTES


def meeting_rows(desk: Desk, roster: dict | None = None) -> list[Row]:
    """Today's meetings: who to collect (with their homeroom), from which class (the bell period), when, where."""
    meetings = meetings_today(desk, stored=True)
    look = Look.of(desk, roster)
    roster = look.names([s for r in meetings for s in r.students])
    rows = []
    for ref in meetings:
        def who(sid: str, brief: bool = False) -> str:  # the homeroom too: where to find them
            label = student_label(sid, roster, short=brief)
            room = roster[sid].homeroom if sid in roster else None
            return f"{label} ({room})" if room else label
        status, due = _collect(desk, ref)
        rows.append(Row(
            key=f"meeting:{ref.id}", kind="meeting", time=hhmm(desk, ref.scheduled_for),
            time_long=desk.clock.label(ref.scheduled_for), record=ref,
            students=people([who(s) for s in ref.students]), students_short=people([who(s, True) for s in ref.students]),
            what=f"Meeting · {ref.purpose.label}" + (f" · {ref.place}" if ref.place else ""),
            status=status, alert=due))
    return rows


def reply_note_rows(desk: Desk) -> list[Row]:
    """Today's notes from the coordinator (replies imported today that carry one)."""
    from ...store.schools import RECEIVED  # (not services.reply: signing and cryptography stay out of a start)

    start = desk.clock.day_bounds()[0]
    rows = []
    for r in (r for r in desk.store.replies(RECEIVED) if pendulum.parse(r.recorded_at) >= start):
        if r.note:
            rows.append(Row(key=f"reply:{r.id}", kind="reply_note", time=hhmm(desk, pendulum.parse(r.recorded_at)),
                            students="—", what=f"Note from {r.coordinator_name or r.coordinator}: {' '.join(r.note.split())}",
                            status=f"reply {r.date} #{r.sequence}"))
    return rows


def pane_rows(look: Look) -> list[Row]:
    """Today's meetings (who to collect, from which class, when) and the coordinator's notes first; then
    today's referrals, then earlier ones not closed, or closed by the coordinator since the last handoff
    (carried over).
    A referral the coordinator has answered shows their word ("Accepted · conference Tue 10:15, Room 114") and
    their note for the advocate ('Accepted — “Bring the class list”')."""
    desk, today = look.desk, look.day
    # (each record as stored: validated only when its row is opened, see store.stored)
    todays = desk.store.on_day(REFERRAL, today, stored=True)
    # a referral the coordinator closed or declined stays until the next handoff (which lists their word)
    last = handoff_queries.latest_signed(desk.store, stored=True)
    since = last.signed_at if last else desk.clock.day_bounds()[0]
    carried = queries.carried(desk.store, today, since, limit=look.page, stored=True)
    roster = look.names([s for r in todays + carried for s in r.students])
    rows = meeting_rows(desk, roster) + reply_note_rows(desk)
    for ref, is_carried in [(r, False) for r in todays] + [(r, True) for r in carried]:
        urgency = "" if ref.urgency.value == "routine" or ref.status is ReferralStatus.CLOSED else ref.urgency.label.lower()
        state = word(desk.clock, ref, brief=True, note=True) if has_word(ref) else ref.status.label
        rows.append(Row(
            key=ref.id, kind=ref.kind, time=time_text(desk, ref.referred_at, is_carried), time_long=time_label(desk, ref.referred_at, is_carried), record=ref,
            students=people([student_label(s, roster) for s in ref.students]),
            students_short=people([student_label(s, roster, short=True) for s in ref.students]),
            what=f"{ref.purpose.label} → {ref.destination}",
            status=status_text(state, urgency, amended=ref.amended), carried=is_carried,
            amended=ref.amended, alert=ref.urgency.value == "urgent" and ref.status is ReferralStatus.NEW,
        ))
    return rows[:look.page]


def counts(look: Look) -> dict[str, Any]:
    """Referrals not closed, those still to hand off, today's meetings and the time of the next."""
    desk = look.desk
    meetings = meetings_today(desk, stored=True)
    return {
        "open_referrals": queries.open_count(desk.store),
        # still "new": what the day's-end handoff will hand over (a part of the open ones)
        "referrals_to_hand_off": queries.new_count(desk.store, look.day),
        "meetings_today": len(meetings),
        "next_meeting": next((hhmm(desk, m.scheduled_for) for m in meetings if m.scheduled_for >= desk.clock.now()), ""),
    }


def header(counts: dict[str, Any], day_off: str | None) -> list[HeaderBit]:
    bits = []
    if counts["next_meeting"]:  # the next meeting the coordinator scheduled today: students to collect
        bits.append(HeaderBit(40, f"meeting {counts['next_meeting']}", f"mtg {counts['next_meeting']}", "warning"))
    refs = counts["open_referrals"]
    # referrals: the "new" ones the handoff will take, and all not closed (as pane 5 says)
    bits.append(HeaderBit(50, f"{counts['referrals_to_hand_off']} to hand off", f"{counts['referrals_to_hand_off']} to hand off"))
    bits.append(HeaderBit(60, f"{refs} referral{'s' * (refs != 1)} open", f"{refs} ref open"))
    return bits


def history(desk: Desk, ref: Referral, student_id: str, role: str | None) -> tuple[str, str, str]:
    """On a student's page: "Referral", where to and why, its state (the coordinator's word, when given)."""
    what = f"{ref.destination} · {ref.purpose.label} — {short(ref.reason, 40)}"
    state = word(desk.clock, ref, note=True) if has_word(ref) else ref.status.label
    return "Referral", what, status_text(state, amended=ref.amended)


# ------------------------------------------------------------------ its form's values
def build_referral(desk: Desk, values: dict[str, Any], record: Referral | None = None) -> Referral:
    """A Referral from the referral form's values."""
    errors: dict[str, str] = {}
    picked = values.get("students") or []
    students = [s["student_id"] if isinstance(s, dict) else s for s in picked]
    roles = [{"student_id": s["student_id"], "role": s["role"]} for s in picked if isinstance(s, dict) and s.get("role")]
    if not students:
        errors["students"] = "needs at least one student — type a few letters of a name, then enter"
    when = _when(desk, values, "when", errors, record.referred_at if record else None)
    destination = _required(values, "destination", errors)
    reason = _required(values, "reason", errors, "can't be empty — say in a line what the referral is for")
    data = {
        **_base(record), "referred_at": when, "students": students, "roles": roles, "destination": destination,
        "purpose": _text(values, "purpose") or "conference", "urgency": _text(values, "urgency") or "routine",
        "reason": reason, "incident_id": values.get("incident_id") or None,
        "contact_note_id": values.get("contact_note_id") or None,
    }
    return _validate(REFERRAL, data, errors)  # type: ignore[return-value]


def values(desk: Desk, record: Referral) -> dict[str, Any]:
    """A referral as its form's values (for an amend): its students with their roles."""
    students = [{"student_id": sid, "role": getattr(record.role_of(sid), "value", None)} for sid in record.students]
    return {"students": students, "when": when_text(desk, record.referred_at),
            "destination": record.destination, "purpose": record.purpose.value, "urgency": record.urgency.value,
            "reason": record.reason, "incident_id": record.incident_id, "contact_note_id": record.contact_note_id}


#: the kinds of record a referral can be made from (``R`` on the main screen, in the item view)
REFERRAL_SOURCES = (INCIDENT, CONTACT_NOTE)


def prefill_from(record: Record) -> dict[str, Any]:
    """A referral's values from an incident (its students with their roles, a reason from what
    happened, the link) or from a contact note (its student, the note, the link)."""
    if isinstance(record, CONTACT_NOTE):
        reason = f"{record.contact_kind.label}: {record.note}"
        return {"students": [{"student_id": record.student_id, "role": None}], "reason": reason[:4000],
                "contact_note_id": record.id}
    if not isinstance(record, INCIDENT):
        raise ValueError(f"a referral is not made from a {record.kind}")
    reason = f"{record.behavior} ({record.location})"
    if record.description:
        reason += f": {record.description}"
    urgency = "soon" if record.level is Level.MAJOR else "routine"
    return {"students": [{"student_id": s.student_id, "role": s.role.value} for s in record.students],
            "reason": reason[:4000], "incident_id": record.id, "urgency": urgency}


def linked_to(desk: Desk, record: Referral) -> list[Record]:
    """The incident or contact note a referral was made from."""
    out: list[Record] = []
    if record.incident_id and (incident := desk.store.get(INCIDENT, record.incident_id)):
        out.append(incident)
    if record.contact_note_id and (note := desk.store.get(CONTACT_NOTE, record.contact_note_id)):
        out.append(note)
    return out


def linking(desk: Desk, record: Record) -> list[Record]:
    """The referrals made from an incident or a contact note."""
    if isinstance(record, INCIDENT):
        return list(queries.made_from(desk.store, "incident_id", record.id))
    if isinstance(record, CONTACT_NOTE):
        return list(queries.made_from(desk.store, "contact_note_id", record.id))
    return []


# ------------------------------------------------------------------ the handoff
def pick(desk: Desk, day: date, earlier: list[Handoff]) -> list[Record]:
    """Every referral not yet handed off, made on or before the day, urgent first, oldest first."""
    return queue.open_referrals(desk, day)


def rekey(ref: Referral, key) -> Referral:
    return ref.model_copy(update={"students": [key(s) for s in ref.students],
                                  "roles": [r.model_copy(update={"student_id": key(r.student_id)}) for r in ref.roles]})


def contents(desk: Desk, rv: "HandoffReview") -> list[str]:
    changes = rv.again.get("referrals", [])
    return [counted(len(rv.referrals), "referral")] + ([counted(len(changes), "change") + " to earlier handoffs"]
                                                        if changes else [])


def review(desk: Desk, rv: "HandoffReview") -> list[str]:
    """The coordinator's word since the last handoff, then the changes to earlier handoffs (the queue
    itself is the review's table)."""
    lines: list[str] = []
    answered, changes = rv.answered_by.get("referrals", []), rv.again.get("referrals", [])
    if answered:
        lines.append(f"The coordinator's word since your last handoff ({len(answered)}):")
        lines += [f"  {rv.student_names(r.students)}: {word(desk.clock, r, note=True)}" for r in answered]
    if changes:
        lines.append(f"Changes to earlier handoffs ({len(changes)}) — the coordinator gets their current state:")
        lines += [f"  {'VOIDED' if r.voided else 'amended'}  {rv.when(desk, r.referred_at)}  "
                  f"{rv.student_names(r.students)}: {r.purpose.label}"
                  + (f" — reason for void: {r.void_reason}" if r.voided else f" — {r.reason}") for r in changes]
    return lines


def sorted_referrals(bundle: "HandoffBundle") -> list[Referral]:
    """A bundle's referrals, urgent first, then oldest first."""
    return sorted(bundle.referrals, key=lambda r: (r.urgency.rank, r.referred_at))


def is_change(bundle: "HandoffBundle", referral: Referral) -> bool:
    """True for a referral of an earlier handoff carried again because it was voided or amended."""
    return referral.handoff_id is not None and referral.handoff_id != bundle.handoff.id


def state_text(referral: Referral) -> str:
    """'Void: <reason>', 'Handed off (amended)' or the status label."""
    if referral.voided:
        return f"Void: {referral.void_reason}"
    return referral.status.label + (" (amended)" if referral.amended else "")


def markdown(bundle: "HandoffBundle", words: Words) -> list[str]:
    """The changes to earlier handoffs (when any), then the referrals handed off."""
    from ..markdown import bundle_names, bundle_time, md_table

    every = sorted_referrals(bundle)
    refs = [r for r in every if not is_change(bundle, r)]
    changes = [r for r in every if is_change(bundle, r)]
    out: list[str] = []
    if changes:
        out += [f"## Changes to earlier handoffs ({len(changes)})", "",
                "Referrals handed off before, voided or corrected since: their current state.", ""]
        out += md_table(["Now", "Students", "Purpose", "To", "Reason", "Referred", "Id"],
                        [[state_text(r), bundle_names(bundle, r.students), r.purpose.label, r.destination, r.reason,
                          bundle_time(bundle, r.referred_at, words), r.id[:8]] for r in changes], words)
    out += [f"## Referrals ({len(refs)})", ""]
    if refs:
        out += md_table(["Urgency", "Students", "Purpose", "To", "Reason", "Referred", "Id"],
                        [[("**URGENT**" if r.urgency.value == "urgent" else r.urgency.label),
                          bundle_names(bundle, r.students), r.purpose.label, r.destination, r.reason,
                          bundle_time(bundle, r.referred_at, words), r.id[:8]] for r in refs], words)
    else:
        out += ["No referrals in this handoff.", ""]
    return out


# ------------------------------------------------------------------ figures
def tables(fig: Figures) -> list[StatTable]:
    """Referrals by destination and by status."""
    from ...store import stats_queries as stat_queries
    from ..stat_table import StatTable, relabel

    store, (s, e), sc = fig.desk.store, fig.span, fig.school
    return [StatTable("ref_destination", "Referrals by destination",
                      stat_queries.referrals_by(store, "destination", s, e, sc), "destination"),
            StatTable("ref_status", "Referrals by status",
                      relabel(stat_queries.referrals_by(store, "status", s, e, sc), _Status), "status")]


KIND = register(Kind(
    model=REFERRAL, label="Referral", links=("incident", "contact_note", "handoff"),
    modules=("referral", "referrals", "referral_word", "coordinator", "coordinator_dialogs", "coordinator_lists",
             "coordinator_referral_actions", "reply", "reply_apply", "reply_pending", "reply_text", "demo_shift"),
    pane="referrals", rows=pane_rows, counts=counts, header=header, history=history,
    bundle=BundlePart(section="referrals", ids="referral_ids", place=60, pick=pick,
                      again=queue.changed_since_handoff, answered=queue.answered_since_handoff,
                      hand_over=queue.hand_over, void_warning=queue.void_warning, rekey=rekey, merge=queue.merge,
                      show_place=10, contents=contents, review=review, markdown=markdown),
    for_student=lambda sid: {"students": [sid]},
    form="referral", title="Referral", build=build_referral, values=values, linked_to=linked_to, linking=linking, tables=tables, tables_place=20,
))
