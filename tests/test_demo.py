"""The demo school: a varied fictional roster, weeks of activity, nothing in the future, deterministic."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from datetime import datetime

import pytest

from advocate_tui.clock import Clock
from advocate_tui.demo import build_demo, demo_db_path, ensure_demo
from advocate_tui.models import (
    RECORD_TYPES,
    AttendanceFollowUp,
    ContactNote,
    DoorCheck,
    FollowUpStatus,
    Handoff,
    Incident,
    Level,
    PatrolRound,
    Referral,
    ReferralStatus,
    Urgency,
)
from advocate_tui.profile import demo_profile
from advocate_tui.store import Store

from conftest import FROZEN_AT  # a Monday, 10:45 in P4, America/Chicago

TABLES = ("incidents", "door_checks", "patrol_rounds", "contact_notes", "attendance_followups", "referrals", "handoffs")


def _build(path, at=FROZEN_AT, **kwargs):
    profile = demo_profile()
    clock = Clock.frozen(profile, at)
    store = Store.open(path, tz=profile.school.timezone, now=clock.now)
    return store, clock, build_demo(store, profile, clock, **kwargs)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    store, clock, counts = _build(tmp_path_factory.mktemp("demo") / "demo.db")
    yield store, clock, counts
    store.close()


def _students(store):
    return list(store.db.query("SELECT * FROM students ORDER BY local_id"))


def _all(store, record_type):
    return store.select(record_type, include_voided=True)


def test_roster_is_large_and_varied(demo):
    store, _clock, counts = demo
    rows = _students(store)
    assert counts["students"] == len(rows) == 600
    assert all(re.fullmatch(r"S\d{5}", r["local_id"]) for r in rows)
    assert {r["grade"] for r in rows} == {"09", "10", "11", "12"}
    assert all(re.fullmatch(r"H-\d{3}", r["homeroom"]) for r in rows)
    assert len({r["family_name"] for r in rows}) >= 120
    assert len({r["given_name"] for r in rows}) >= 200
    non_ascii = [r for r in rows if not (r["given_name"] + r["family_name"]).isascii()]
    assert len(non_ascii) >= 60
    names = " ".join(r["given_name"] + " " + r["family_name"] for r in rows)
    for accented in ("Zoë", "José", "Nguyễn"):
        assert accented in names
    assert any(not re.search(r"[A-Za-z]", r["family_name"]) for r in rows), "some names in another script"
    assert sum(1 for r in rows if r["preferred_name"]) >= 15


def test_namesakes_are_told_apart_by_grade_or_homeroom(demo):
    store, _clock, _counts = demo
    by_name: dict[tuple[str, str], list[dict]] = {}
    for r in _students(store):
        by_name.setdefault((r["given_name"], r["family_name"]), []).append(r)
    namesakes = {k: v for k, v in by_name.items() if len(v) > 1}
    assert len(namesakes) >= 4
    assert ("José", "Hernández") in namesakes
    for group in namesakes.values():
        assert len({(r["grade"], r["homeroom"]) for r in group}) == len(group)
    found = store.find_students("jose hern")
    assert len(found) >= 2 and len({s.describe() for s in found}) == len(found)


def test_counts_match_the_database_and_every_write_is_audited(demo):
    store, _clock, counts = demo
    in_db = store.counts()
    for table in TABLES:
        assert counts[table] == in_db[table] > 0, table
    audit = Counter(r["action"] for r in store.db.query("SELECT action FROM audit"))
    assert audit["roster"] == 600
    # and the newer kinds, written through their services (processes, sweeps, the Peace Room, CICO)
    newer = ("processes", "sweeps", "peace_room_visits", "cico_enrolments", "cico_days")
    assert all(in_db[t] > 0 for t in newer), in_db
    assert audit["create"] == sum(counts[t] for t in TABLES) + sum(in_db[t] for t in newer)
    assert audit["handoff"] > 0 and audit["status"] > 0


def test_today_has_activity(demo):
    store, clock, _counts = demo
    today = clock.today()
    assert len(store.on_day(Incident, today)) >= 2
    assert len(store.on_day(DoorCheck, today)) >= len(demo_profile().doors)
    assert store.on_day(ContactNote, today)
    assert store.on_day(PatrolRound, today)
    assert not store.on_day(Handoff, today), "today's handoff is the user's to sign"


def test_nothing_is_dated_after_now(demo):
    store, clock, _counts = demo
    now = clock.now()
    fields = ("created_at", "occurred_at", "reported_at", "checked_at", "started_at", "finished_at", "at",
              "resolved_at", "referred_at", "handed_off_at", "accepted_at", "closed_at", "signed_at")
    for record_type in RECORD_TYPES.values():
        for record in _all(store, record_type):
            for name in fields:
                value = getattr(record, name, None)
                if isinstance(value, datetime):
                    assert value <= now, (record.kind, name, value)
    for p in _all(store, PatrolRound):
        assert all(v.reached_at <= now for v in p.checkpoints)
    last_audit = store.db.execute("SELECT max(at) FROM audit").fetchone()[0]
    assert datetime.fromisoformat(last_audit) <= now


def test_records_look_like_a_school_day(demo):
    store, clock, _counts = demo
    profile = demo_profile()
    behaviors = {b.name: b.level for b in profile.behaviors}
    incidents = _all(store, Incident)
    for i in incidents:
        local = clock.local(i.occurred_at)
        assert local.weekday() < 5 and "07:00" <= local.format("HH:mm") <= "16:30"
        assert 1 <= len(i.students) <= 3
        assert i.location in profile.locations
        assert behaviors[i.behavior] == i.level.value
    majors = sum(1 for i in incidents if i.level is Level.MAJOR)
    assert 0 < majors < len(incidents) / 2
    doors = _all(store, DoorCheck)
    exceptions = [d for d in doors if d.is_exception]
    assert 0 < len(exceptions) < len(doors) / 5 and all(d.note for d in exceptions)
    assert any(p.issues for p in _all(store, PatrolRound))
    assert any(n.for_coordinator for n in _all(store, ContactNote))


def test_attendance_follow_ups_open_resolved_and_overdue(demo):
    store, clock, _counts = demo
    today = clock.today()
    follow_ups = _all(store, AttendanceFollowUp)
    resolved = [a for a in follow_ups if a.status is FollowUpStatus.RESOLVED]
    still_open = [a for a in follow_ups if a.status is FollowUpStatus.OPEN]
    assert resolved and all(a.resolved_at for a in resolved)
    assert any(a.due_date and a.due_date < today for a in still_open), "some are overdue"
    assert any(a.due_date and a.due_date >= today for a in still_open), "some are open and not yet due"


def test_referral_queue_is_worth_a_look(demo):
    store, clock, _counts = demo
    referrals = _all(store, Referral)
    status = Counter(r.status for r in referrals)
    new = [r for r in referrals if r.status is ReferralStatus.NEW]
    assert len(new) >= 3
    assert any(r.urgency is Urgency.URGENT for r in new)
    assert any(clock.local(r.referred_at).date() < clock.today() for r in new), "one carried over"
    assert status[ReferralStatus.CLOSED] + status[ReferralStatus.ACCEPTED] > len(referrals) / 2
    for r in referrals:
        if r.status is ReferralStatus.CLOSED:
            assert r.outcome is not None and r.closed_at and r.accepted_at
    assert any(r.incident_id for r in referrals) and any(r.contact_note_id for r in referrals)


def test_past_handoffs_link_their_referrals(demo):
    store, clock, _counts = demo
    handoffs = _all(store, Handoff)
    days = [h.date for h in handoffs]
    assert len(handoffs) == 20 and len(set(days)) == 20 and max(days) < clock.today()
    linked = 0
    for h in handoffs:
        for rid in h.referral_ids:
            r = store.get(Referral, rid)
            assert r.handoff_id == h.id and r.status is not ReferralStatus.NEW
            assert r.handed_off_at == h.signed_at
            linked += 1
    assert linked >= 10
    for r in _all(store, Referral):
        if r.status is not ReferralStatus.NEW:
            assert r.handoff_id in {h.id for h in handoffs}


def test_same_seed_same_demo(demo, tmp_path):
    store, _clock, counts = demo
    other, _, again = _build(tmp_path / "again.db")
    try:
        assert again == counts
        key = [(r["local_id"], r["given_name"], r["family_name"], r["grade"], r["homeroom"]) for r in _students(store)]
        assert key == [(r["local_id"], r["given_name"], r["family_name"], r["grade"], r["homeroom"])
                       for r in _students(other)]
    finally:
        other.close()
    third, _, _ = _build(tmp_path / "seed8.db", seed=8, students=50, weeks=1)
    try:
        assert [r["family_name"] for r in _students(third)] != [r["family_name"] for r in _students(store)][:50]
    finally:
        third.close()


def test_before_school_the_busy_day_is_the_last_school_day(tmp_path):
    store, clock, counts = _build(tmp_path / "early.db", at="2026-11-23 06:30", students=120, weeks=1)
    try:
        assert counts["handoffs"] == 5
        assert not store.on_day(Incident, clock.today())
        friday = "2026-11-20"
        assert store.on_day(Incident, friday) and not store.on_day(Handoff, friday)
        carried = store.select(Referral, "status = 'new' AND day <= ?", [friday])
        assert carried and any(r.urgency is Urgency.URGENT for r in carried)
    finally:
        store.close()


def test_ensure_demo_builds_once(tmp_path):
    profile = demo_profile()
    clock = Clock.frozen(profile, FROZEN_AT)
    path = tmp_path / "folder" / "demo.db"
    store = ensure_demo(path, profile, clock)
    first = store.counts()
    store.close()
    store = ensure_demo(path, profile, clock)
    try:
        assert store.counts() == first and first["students"] == 600
    finally:
        store.close()


def test_demo_db_path_is_in_the_user_data_folder(private_dirs):
    path = demo_db_path()
    assert path.name == "demo.db" and path.parent.name == "advocate-tui"
    assert str(path).startswith(str(private_dirs))


def test_demo_does_not_import_textual():
    code = "import sys, advocate_tui.demo; sys.exit(any(m.split('.')[0] == 'textual' for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_on_a_day_without_school_the_demo_shows_its_last_school_day(tmp_path):
    """Saturday after Thanksgiving (the demo's break is Thu 26 and Fri 27 November): the demo runs on
    Wednesday 25th at the same time of day, so a first look shows a working day."""
    import pendulum

    from advocate_tui.demo import busy_day, demo_clock

    profile = demo_profile()
    saturday = pendulum.datetime(2026, 11, 28, 10, 45, tz="America/Chicago")
    clock = demo_clock(profile, lambda: saturday)
    assert str(clock.today()) == "2026-11-25" and clock.now().format("HH:mm") == "10:45"
    assert clock.day_off() is None
    day, until = busy_day(profile, clock)
    assert str(day) == "2026-11-25" and until == clock.now()
    monday = pendulum.datetime(2026, 11, 23, 10, 45, tz="America/Chicago")
    assert demo_clock(profile, lambda: monday).now() == monday          # a school day: the real time


def test_no_demo_record_falls_on_a_day_without_school(demo):
    store, clock, _ = demo
    calendar = demo_profile().calendar
    days = [r.occurred_at for r in _all(store, Incident)] + [r.checked_at for r in _all(store, DoorCheck)]
    assert days and all(calendar.is_school_day(clock.local(d).date()) for d in days)
    dues = [f.due_date for f in _all(store, AttendanceFollowUp) if f.due_date]
    dues += [n.follow_up_date for n in _all(store, ContactNote) if n.follow_up_date]
    assert dues and all(calendar.is_school_day(d) for d in dues)       # never "due" on Thanksgiving
