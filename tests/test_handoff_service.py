"""The handoff service: what the review holds, the one-transaction sign-off, second handoffs, carry-over."""

from __future__ import annotations

import pytest

from advocate_tui.models import AuditAction, Handoff, Referral, ReferralStatus, Urgency
from advocate_tui.services import handoff as hs
from advocate_tui.services.handoff import HandoffError
from handoff_helpers import busy_day, referral


def test_review_holds_what_the_coordinator_needs(desk):
    day = busy_day(desk)
    rv = hs.review(desk)
    assert rv.sequence == 1 and rv.day.isoformat() == "2026-11-23"
    # urgent first, then soon, then routine
    assert [r.urgency for r in rv.referrals] == [Urgency.URGENT, Urgency.SOON, Urgency.ROUTINE]
    assert [i.id for i in rv.incidents] == [day["major"].id, day["minor"].id]  # major first
    assert [a.id for a in rv.attendance] == [day["attendance"].id]
    assert [d.id for d in rv.door_checks] == [day["door"].id]  # the secure door is not an exception
    assert [p.id for p in rv.patrol_rounds] == [day["patrol"].id]
    assert [n.id for n in rv.contact_notes] == [day["flagged"].id]  # only the flagged note
    assert "Zo Okafor (S1003)" in rv.student_names(["S1003"])


def test_sign_off_is_one_handoff_with_every_referral_handed_off(desk):
    day = busy_day(desk)
    handoff = hs.sign_off(desk, "J. Rivera", "Quiet afternoon; circle needed tomorrow.")
    saved = desk.store.get(Handoff, handoff.id)
    assert saved.signed_by == "J. Rivera" and saved.sequence == 1
    assert saved.summary.startswith("Quiet afternoon")
    assert set(saved.referral_ids) == {r.id for r in day["referrals"]}
    assert saved.incident_ids and saved.door_check_ids and saved.patrol_round_ids and saved.contact_note_ids
    for ref in day["referrals"]:
        now = desk.store.get(Referral, ref.id)
        assert now.status is ReferralStatus.HANDED_OFF
        assert now.handoff_id == handoff.id and now.handed_off_at is not None
        assert desk.store.history(ref.id)[-1].action is AuditAction.HANDOFF


def test_second_handoff_the_same_day_holds_only_what_is_new(desk, clock):
    busy_day(desk)
    first = hs.sign_off(desk, "JR")
    with pytest.raises(HandoffError, match="nothing new to hand off since handoff 1"):
        hs.sign_off(desk, "JR")
    clock.advance(hours=2)
    late = referral(desk, ["S1006"], "Late-day conflict at dismissal")
    second_review = hs.review(desk)
    assert [r.id for r in second_review.referrals] == [late.id]
    assert second_review.incidents == [] and second_review.contact_notes == []
    second = hs.sign_off(desk, "JR")
    assert second.sequence == 2 and second.referral_ids == [late.id]
    assert not set(second.referral_ids) & set(first.referral_ids)


def test_sign_off_needs_a_signer_and_hands_only_what_was_reviewed(desk):
    day = busy_day(desk)
    with pytest.raises(HandoffError, match="name or initials"):
        hs.sign_off(desk, "  ")
    assert desk.store.select(Handoff) == []
    reviewed = [day["referrals"][0].id]
    hs.sign_off(desk, "JR", reviewed=reviewed)
    assert desk.store.get(Referral, day["referrals"][1].id).status is ReferralStatus.NEW


def test_items_not_handed_off_carry_over_to_the_next_morning(desk, clock):
    day = busy_day(desk)
    clock.advance(days=1)
    clock.set("2026-11-24 07:35")
    carried = hs.carried_over(desk)
    assert {r.id for r in carried} == {r.id for r in day["referrals"]}
    rv = hs.review(desk)
    assert all(rv.is_carried_over(r) for r in rv.referrals)
    # today's own referral is open but not carried over
    fresh = referral(desk, ["S1002"], "New this morning")
    rv = hs.review(desk)
    assert not rv.is_carried_over(next(r for r in rv.referrals if r.id == fresh.id))
    assert fresh.id not in {r.id for r in hs.carried_over(desk)}
    # once handed off they no longer carry over
    hs.sign_off(desk, "JR")
    assert hs.carried_over(desk) == []


def test_a_failure_midway_leaves_no_handoff_and_no_status_change(desk, monkeypatch):
    day = busy_day(desk)
    calls = {"n": 0}
    real = desk.store.set_status

    def flaky(record, **kw):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(record, **kw)

    monkeypatch.setattr(desk.store, "set_status", flaky)
    with pytest.raises(RuntimeError):
        hs.sign_off(desk, "JR")
    monkeypatch.undo()
    assert desk.store.select(Handoff, include_voided=True) == []
    assert all(desk.store.get(Referral, r.id).status is ReferralStatus.NEW for r in day["referrals"])
    assert not any(e.action is AuditAction.HANDOFF for e in desk.store.audit_trail())


def test_the_review_reads_no_record_table_through(desk, monkeypatch):
    """What the review holds is found through indexes: no query of it reads a whole record table, the
    audit trail or the handoffs row by row (a decade's: ~290,000 audit entries, ~55,000 notes, ~15,000
    rounds; on an encrypted file every row read is pages decrypted, bench/)."""
    busy_day(desk)
    hs.sign_off(desk, "J. Rivera", "first")
    busy_day(desk)
    db = desk.store.db
    real_execute, real_query, plans = db.execute, db.query, {}

    def plan_of(query, params):
        if query.lstrip().upper().startswith(("SELECT", "WITH")):
            plans[query] = [r[-1] for r in real_execute("EXPLAIN QUERY PLAN " + query, params or []).fetchall()]

    def execute(query, params=None, *args, **kwargs):
        plan_of(query, params)
        return real_execute(query, params, *args, **kwargs)

    def query(query, params=None):
        plan_of(query, params)
        return real_query(query, params)

    monkeypatch.setattr(db, "execute", execute)
    monkeypatch.setattr(db, "query", query)
    rv = hs.review(desk)
    assert rv.referrals and rv.contact_notes
    # (the processes are few, one a case: their changes are found from them to their audit entries)
    whole = ("incidents", "contact_notes", "referrals", "door_checks", "patrol_rounds", "attendance_followups",
             "audit", "handoffs", "a")
    partial = {name for name, made in real_execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
               if made and " WHERE " in made}  # a scan of one reads the few rows it holds
    for query, plan in plans.items():
        if " LIMIT " in query and not any("TEMP B-TREE" in step for step in plan):
            continue  # the first few in an index's order: the scan stops there
        scans = [step for step in plan if step.split(" ")[0] == "SCAN" and step.split(" ")[1] in whole
                 and step.split(" ")[-1] not in partial]
        assert not scans, (query, plan)
