"""The rest of the day's services on a real SQLite file: sweeps, the Peace Room, CICO and the shift report."""

from __future__ import annotations

import datetime as dt


import pytest

from advocate_tui.models import AuditAction, Incident, IncidentAction, IncidentStudent, StudentRole
from advocate_tui.models.cico import CicoDay, CicoDayStatus, CicoEnrolment, CicoPhase
from advocate_tui.models.peace_room import PeaceRoomVisit
from advocate_tui.models.sweep import Sweep
from advocate_tui.services import cico, keep_apart, peace_room, shift_report, sweeps
from advocate_tui.services.recording import Invalid
from advocate_tui.store import StoreError
from advocate_tui.store.engine import DatabaseError
from handoff_helpers import busy_day

D = dt.date


def sweep(desk, ids, **values):
    return sweeps.log(desk, {"place": "Hallway", "students": ids, "sent_to": "Back to class", **values})


# ------------------------------------------------------------------ sweeps
def test_a_sweep_of_two_students_is_one_entry_with_each_student_linked(desk):
    saved = sweep(desk, ["S1001", "S1003"], has_pass=True, pass_from="Room 12", pass_to="Library", note="By the gym")
    row = desk.store.db.execute("SELECT place, students, note FROM sweeps").fetchone()
    assert row[0] == "Hallway" and row[2] == "By the gym" and '"pass_from": "Room 12"' in row[1]
    links = desk.store.db.execute("SELECT student_id FROM record_students WHERE record_type = 'sweep' "
                                  "ORDER BY student_id").fetchall()
    assert [r[0] for r in links] == ["S1001", "S1003"]
    assert saved.sweep.met_at == desk.clock.now() and saved.times == {"S1001": 1, "S1003": 1}
    assert desk.store.history(saved.sweep.id)[0].action is AuditAction.CREATE


def test_the_third_sweep_this_week_is_called_out(desk, clock):
    clock.set("2026-11-20 10:00")  # last Friday: another week
    sweep(desk, ["S1001"])
    clock.set("2026-11-23 09:00")
    sweep(desk, ["S1001"])
    clock.set("2026-11-23 10:00")
    sweep(desk, ["S1001", "S1003"])
    counts, _ = sweeps.preview(desk, ["S1001", "S1003"])
    assert counts == {"S1001": 3, "S1003": 2}
    clock.set("2026-11-23 10:45")
    third = sweep(desk, ["S1001", "S1003"])
    assert third.times == {"S1001": 3, "S1003": 2} and third.third_time == ["S1001"]


def test_a_voided_sweep_does_not_count(desk):
    first = sweep(desk, ["S1001"])
    desk.store.void(Sweep, first.sweep.id, "wrong student")
    assert sweep(desk, ["S1001"]).times == {"S1001": 1}


def test_keep_apart_from_an_incident_warns_when_both_are_out(desk, clock):
    desk.store.add(Incident(occurred_at=clock.now().subtract(days=3), location="Gym", behavior="Fighting",
                            actions=[IncidentAction.KEEP_APART],
                            students=[IncidentStudent(student_id="S1001", role=StudentRole.RESPONSIBLE),
                                      IncidentStudent(student_id="S1003", role=StudentRole.HARMED),
                                      IncidentStudent(student_id="S1005", role=StudentRole.WITNESS)]))
    alone = sweep(desk, ["S1001", "S1005"])
    assert alone.keep_apart == []  # a witness is kept apart from no one
    clock.advance(minutes=10)
    later = sweep(desk, ["S1003"])  # the other one, met in the same period: both are out
    assert [(p.a, p.b) for p in later.keep_apart] == [("S1001", "S1003")]
    assert "Fighting" in later.keep_apart[0].why


def test_keep_apart_from_a_restorative_process_warns_until_the_flag_is_resolved(desk, clock):
    from advocate_tui.models.process import Party, PartyRole, Process
    from advocate_tui.services import processes

    process = processes.start(desk, "conference", [
        Party(student_id="S1001", role=PartyRole.RESPONSIBLE),
        Party(student_id="S1003", role=PartyRole.HARMED, keep_apart=True),
        Party(student_id="S1005", role=PartyRole.SUPPORTER)])
    first = sweep(desk, ["S1001", "S1003", "S1005"])
    assert [(p.a, p.b) for p in first.keep_apart] == [("S1001", "S1003")]  # the other side only, not a supporter
    assert first.keep_apart[0].why == f"restorative process (conference) started {clock.today().isoformat()}: keep apart"
    harmed = next(p for p in process.parties if p.student_id == "S1003")
    processes.update_party(desk, process.id, harmed.id, safety_resolved=True)
    clock.advance(minutes=5)
    assert sweep(desk, ["S1001", "S1003"]).keep_apart == []       # marked resolved: no longer kept apart
    processes.update_party(desk, process.id, harmed.id, safety_resolved=False)
    desk.store.void(Process, process.id, "wrong students")
    clock.advance(minutes=5)
    assert sweep(desk, ["S1001", "S1003"]).keep_apart == []       # a voided process keeps nobody apart


def test_keep_apart_takes_sources_added_later(desk):
    def everyone(store, ids):
        return [keep_apart.KeepApart("S1002", "S1004", "process: keep apart")] if {"S1002", "S1004"} <= set(ids) else []

    keep_apart.register(everyone)
    try:
        assert sweep(desk, ["S1002", "S1004"]).keep_apart[0].why == "process: keep apart"
    finally:
        keep_apart.SOURCES.remove(everyone)


def test_a_student_sent_to_the_peace_room_is_in_the_room(desk):
    saved = sweep(desk, ["S1001", "S1003"], per_student={"S1003": {"sent_to": "Peace Room"}})
    assert [v.student_id for v in saved.visits] == ["S1003"]
    visit = peace_room.in_room(desk)[0]
    assert visit.sweep_id == saved.sweep.id and visit.reason == "Sent from a sweep" and visit.period == "P4"


def test_a_sweep_needs_a_place_and_a_student_and_refuses_a_future_time(desk):
    with pytest.raises(Invalid) as caught:
        sweeps.log(desk, {"place": "", "students": [], "when": "15:00"})
    assert set(caught.value.errors) == {"place", "students", "when"}
    assert desk.store.db.execute("SELECT count(*) FROM sweeps").fetchone()[0] == 0


def test_a_sweep_becomes_an_incident_linked_back(desk):
    saved = sweep(desk, ["S1001", "S1003"], note="Second time today")
    values = sweeps.prefill(desk, saved.sweep, "incident")
    assert values["behavior"] == "Skipping class" and "Second time today" in values["description"]
    assert [s["student_id"] for s in values["students"]] == ["S1001", "S1003"]
    from advocate_tui.services import recording

    incident = recording.save(desk, "incident", values)
    linked = sweeps.link(desk, values["sweep_id"], incident)
    assert desk.store.get(Sweep, saved.sweep.id).incident_id == incident.id == linked.incident_id
    assert desk.store.history(saved.sweep.id)[-1].action is AuditAction.STATUS


def test_sweeps_are_never_deleted_nor_changed_without_audit(desk):
    saved = sweep(desk, ["S1001"])
    with pytest.raises(DatabaseError):
        desk.store.db.execute("DELETE FROM sweeps")
    with pytest.raises(DatabaseError):
        desk.store.db.execute("UPDATE sweeps SET place = 'Gym'")
    assert desk.store.get(Sweep, saved.sweep.id).place == "Hallway"


# ------------------------------------------------------------------ the Peace Room
def test_a_visit_from_in_to_out_counts_minutes_out_of_class(desk, clock):
    clock.set("2026-11-23 10:30")  # ten minutes of P3, passing time, then P4
    visit = peace_room.check_in(desk, {"student": "S1004", "sent_by": "Mr. Lee", "reason": "Cool down"})
    assert visit.period == "P3" and [v.id for v in peace_room.in_room(desk)] == [visit.id]
    clock.set("2026-11-23 10:55")
    assert peace_room.minutes_out(desk, visit) == 20  # 10:30-10:40 and 10:45-10:55
    with pytest.raises(Invalid, match="went_to"):
        peace_room.check_out(desk, visit, returned_to_class=False)
    out = peace_room.check_out(desk, visit, returned_to_class=True, note="Calm")
    assert peace_room.in_room(desk) == [] and out.returned_to_class and out.out_note == "Calm"
    stored = desk.store.get(PeaceRoomVisit, visit.id)
    assert stored.time_out == clock.now() and peace_room.minutes_out(desk, stored) == 20
    clock.set("2026-11-23 13:20")
    second = peace_room.check_in(desk, {"student": "S1004", "reason": "Upset or anxious", "when": "13:10"})
    peace_room.check_out(desk, second, returned_to_class=False, went_to="Nurse")
    figures = peace_room.figures(desk, D(2026, 11, 23), D(2026, 11, 23))
    assert figures.visits == 2 and figures.minutes_by_student == {"S1004": 30} and figures.minutes_total == 30
    assert figures.returned == 1 and figures.not_returned == 1
    assert figures.by_reason == {"Cool down": 1, "Upset or anxious": 1} and figures.by_period == {"P3": 1, "P6": 1}


def test_a_student_already_in_the_room_is_not_checked_in_twice(desk):
    peace_room.check_in(desk, {"student": "S1004", "reason": "Cool down"})
    with pytest.raises(Invalid, match="already in the Peace Room"):
        peace_room.check_in(desk, {"student": "S1004", "reason": "Cool down"})


# ------------------------------------------------------------------ CICO
def test_enrol_with_the_profile_expectations_and_periods(desk, profile):
    enrolment = cico.enrol(desk, "S1005")
    assert enrolment.expectations == profile.cico.expectations and enrolment.goal_percent == 80
    assert enrolment.periods == [p.name for p in profile.bell_schedule]
    with pytest.raises(Invalid, match="already on CICO"):
        cico.enrol(desk, "S1005")
    own = cico.enrol(desk, "S1006", goal_percent=70, periods=["p1", "P2", "P3"])
    assert own.goal_percent == 70 and own.periods == ["P1", "P2", "P3"]
    with pytest.raises(Invalid, match="no period"):
        cico.enrol(desk, "S1004", periods=["P9"])


def test_a_day_from_check_in_to_check_out(desk, clock):
    enrolment = cico.enrol(desk, "S1005", periods=["P1", "P2"])
    clock.set("2026-11-23 07:50")
    morning = cico.check_in(desk, enrolment, has_card=True)
    assert morning.checked_in_at == clock.now() and morning.has_card and morning.percent is None
    clock.set("2026-11-23 15:15")
    grid = {("P1", "Be safe"): 2, ("P1", "Be respectful"): 2, ("P1", "Be responsible"): 1,
            ("P2", "Be safe"): 2, ("P2", "Be respectful"): 1, ("P2", "Be responsible"): None}
    card = cico.check_out(desk, enrolment, grid, parent_signed=True, comment="Good day")
    assert card.id == morning.id and card.points == 8 and card.possible == 10 and card.percent == 80.0
    assert card.met_goal and card.score("P2", "Be responsible") is None
    rows = desk.store.db.execute("SELECT count(*) FROM cico_days").fetchone()[0]
    assert rows == 1 and [e.action for e in desk.store.history(card.id)] == [AuditAction.CREATE, AuditAction.STATUS]
    with pytest.raises(Invalid, match="0, 1 or 2"):
        cico.check_out(desk, enrolment, {("P1", "Be safe"): 3})


def _day(desk, clock, enrolment, day, pct_points):
    clock.set(f"{day} 15:00")
    cells = {(p, e): pct_points for p in enrolment.periods for e in enrolment.expectations}
    return cico.check_out(desk, enrolment, cells)


def test_three_days_below_goal_and_an_incident_are_flagged(desk, clock):
    clock.set("2026-11-16 08:00")
    enrolment = cico.enrol(desk, "S1005", periods=["P1"])
    _day(desk, clock, enrolment, "2026-11-17", 2)
    for day in ("2026-11-18", "2026-11-19"):
        _day(desk, clock, enrolment, day, 1)  # 50 %
    assert cico.flags(desk, enrolment) == []
    clock.set("2026-11-20 08:00")
    cico.set_day_status(desk, enrolment, CicoDayStatus.ABSENT)  # skipped, not a break in the run
    _day(desk, clock, enrolment, "2026-11-23", 0)
    assert cico.flags(desk, enrolment) == ["3 days in a row below goal"]
    desk.store.add(Incident(occurred_at=clock.now(), location="Gym", behavior="Defiance",
                            students=[IncidentStudent(student_id="S1005")]))
    assert cico.flags(desk, enrolment)[1].startswith("incident while on CICO (1, last 2026-11-23)")
    points = cico.series(desk, enrolment)
    assert len(points) == 20 and points[-1].day == D(2026, 11, 23)
    by_day = {p.day: p for p in points}
    assert by_day[D(2026, 11, 17)].percent == 100 and by_day[D(2026, 11, 20)].status is CicoDayStatus.ABSENT
    assert not by_day[D(2026, 11, 13)].enrolled and by_day[D(2026, 11, 23)].percent == 0
    assert cico.average(desk, enrolment) == pytest.approx((100 + 50 + 50 + 0) / 4)


def test_plan_changes_have_a_date_and_graduation_ends_the_enrolment(desk, clock):
    enrolment = cico.enrol(desk, "S1005")
    changed = cico.change_plan(desk, enrolment, goal_percent=70)
    assert changed.goal_percent == 70 and changed.changes[0].what == "goal 80% → 70%"
    assert changed.changes[0].on == clock.today()
    card = cico.check_in(desk, changed)
    assert card.goal_percent == 70  # the day's card keeps the goal of its day
    monitoring = cico.change_plan(desk, changed, phase=CicoPhase.SELF_MONITORING)
    assert monitoring.active and cico.series(desk, monitoring)[-1].change == "goal 80% → 70%; self-monitoring"
    clock.advance(days=1)
    graduated = cico.change_plan(desk, monitoring, phase=CicoPhase.GRADUATED)
    assert not graduated.active and graduated.ended_on == clock.today()
    assert cico.enrolment_of(desk, "S1005") is None and cico.roster(desk) == []
    assert cico.enrol(desk, "S1005").id != enrolment.id  # can come back on later
    with pytest.raises(Invalid, match="nothing in the plan changed"):
        cico.change_plan(desk, graduated, goal_percent=70)


def test_one_card_a_day_even_written_around_the_service(desk):
    enrolment = cico.enrol(desk, "S1005")
    card = cico.check_in(desk, enrolment)
    twin = card.model_copy(update={"id": "another", "created_at": None, "created_by": ""})
    with pytest.raises((StoreError, DatabaseError)):
        desk.store.add(twin)
    assert desk.store.db.execute("SELECT count(*) FROM cico_days").fetchone()[0] == 1
    assert desk.store.get(CicoEnrolment, enrolment.id) is not None and desk.store.get(CicoDay, card.id) is not None


# ------------------------------------------------------------------ the shift report
def test_the_shift_report_holds_the_day(desk, clock):
    day = busy_day(desk)
    sweep(desk, ["S1001", "S1003"], per_student={"S1003": {"sent_to": "Peace Room"}}, note="<b>loud</b> | [x]")
    enrolment = cico.enrol(desk, "S1005", periods=["P1"])
    cico.check_in(desk, enrolment)
    clock.advance(minutes=20)
    visit = peace_room.check_in(desk, {"student": "S1004", "reason": "Cool down", "sent_by": "Ms. *Star*"})
    peace_room.check_out(desk, visit, returned_to_class=True)
    door = desk.profile.doors[0]
    from advocate_tui.services.checklist import record_door_check

    record_door_check(desk, door, "propped_open", "Wedged")
    report = shift_report.build(desk)
    counts = report.counts
    assert counts["incidents"] == 2 and counts["sweeps"] == 1 and counts["students_swept"] == 2
    assert counts["peace_room_visits"] == 2 and counts["cico_check_ins"] == 1 and counts["cico_check_outs"] == 0
    assert counts["door_exceptions"] == 2 and counts["patrol_issues"] == 1 and counts["contacts"] == 2
    assert counts["open_follow_ups"] == 1 and report.open_attendance[0].id == day["attendance"].id
    text = shift_report.markdown(desk, report)
    for heading in ("## Incidents (2)", "## Hall sweeps (1; 2 students)", "## Peace Room (2 visits)",
                    "## Check-In/Check-Out (1 check-in, 0 check-outs)", "## Contacts (2)",
                    "## Follow-ups left open (1)", "## Handover for tomorrow's desk"):
        assert heading in text
    assert "Still in the Peace Room: Zo Okafor" in text and "Priya Ramanathan" in text
    assert "\\<b\\>loud\\</b\\> \\| \\[x\\]" in text and "Ms. \\*Star\\*" in text and "<b>" not in text
    assert f"Door exceptions standing: {door}: Propped open" in text


def test_the_shift_report_lists_the_latest_open_follow_ups_and_counts_the_older(desk, clock, monkeypatch):
    """A decade of follow-ups never ended (17,000 on the benchmark's school) made the report, and the
    bundle signed at every handoff, build and list each one: 2.6 s a sign-off. The report lists the most
    recently due and counts the others, with where to find them; the voided are neither."""
    from advocate_tui.services import recording, shift_parts

    monkeypatch.setattr(shift_parts, "LISTED_OPEN", 2)
    saved = []
    for n, follow_up in enumerate(["2026-11-25", "2026-11-30", "2026-12-02", "2026-12-04"]):
        saved.append(recording.save(desk, "incident", {
            "students": [{"student_id": "S1001", "role": "responsible"}], "behavior": "Disrespect",
            "location": "Gym", "description": f"incident {n}", "follow_up": follow_up}))
    clock.advance(days=12)  # a school day after every follow-up date
    recording.void(desk, saved[0], "logged twice")  # voided: neither listed nor counted
    report = shift_report.build(desk)
    assert [r.description for r in report.open_incident_follow_ups] == ["incident 2", "incident 3"]
    assert report.counts["open_follow_ups"] == 3
    text = shift_report.markdown(desk, report)
    assert "## Follow-ups left open (3)" in text
    assert ("1 older incident follow-up left open, due from 2026-11-30, is not listed here: "
            "each is on its student's page.") in text
    assert "Follow-ups due: 3." in text
