"""Restorative processes in the service layer, on a real SQLite file: a harm from incident to referral to
process to a held conference, its agreement followed, the harmed party told, closed; suitability;
what is due; the programme's figures against counts taken from the database itself; history, void and
the audit guards; the migration on an older file."""

from __future__ import annotations

import json
import statistics
from datetime import date, timedelta

import pendulum
import pytest

from advocate_tui.models import Incident, Referral
from advocate_tui.models.process import (
    Acknowledgment,
    AgreementItem,
    ClosingReason,
    ItemKind,
    ItemStatus,
    Meeting,
    Party,
    PartyRole,
    Process,
    Stage,
    Willingness,
)
from advocate_tui.services import processes as svc
from advocate_tui.services import process_figures
from advocate_tui.services import process_lists
from advocate_tui.store import Store, StoreError, guards

TZ = "America/Chicago"


def at(text: str) -> pendulum.DateTime:
    return pendulum.parse(text, tz=TZ)


def harm(desk) -> tuple[Incident, Referral]:
    """Ana (S1001) pushed Zo (S1003) in the cafeteria; Priya (S1005) saw it. A referral for a conference."""
    incident = desk.store.add(Incident(
        occurred_at=at("2026-11-23T09:10"), location="Cafeteria", behavior="Physical aggression", level="major",
        students=[{"student_id": "S1001", "role": "responsible"}, {"student_id": "S1003", "role": "harmed"},
                  {"student_id": "S1005", "role": "witness"}]))
    referral = desk.store.add(Referral(referred_at=at("2026-11-23T09:30"), students=["S1001", "S1003", "S1005"],
                                       destination="Restorative coordinator", purpose="conference",
                                       reason="Push in the lunch line", incident_id=incident.id))
    return incident, referral


def party_of(process: Process, sid: str) -> Party:
    return next(p for p in process.parties if p.student_id == sid)


# --- the whole walk ------------------------------------------------------------------------------


def test_a_harm_walks_from_incident_to_a_closed_process(desk):
    clock = desk.clock
    incident, referral = harm(desk)
    process = svc.start_from_referral(desk, referral.id, facilitator="Ms. Rivera")
    # the students and their roles come from the referral's incident; the kind from its purpose
    assert {p.student_id: p.role for p in process.parties} == {
        "S1001": PartyRole.RESPONSIBLE, "S1003": PartyRole.HARMED, "S1005": PartyRole.WITNESS}
    assert (process.process_kind, process.tier, process.incident_id) == ("conference", 2, incident.id)
    links = dict(desk.store.db.execute("SELECT student_id, role FROM record_students WHERE record_type = 'process' "
                                       "AND record_id = ?", [process.id]).fetchall())
    assert links == {"S1001": "responsible", "S1003": "harmed", "S1005": "witness"}
    assert process.stage is Stage.REFERRED
    with pytest.raises(svc.ProcessError, match="already has a process"):
        svc.start_from_referral(desk, referral.id)

    # suitability: a face-to-face meeting now asks for a reason
    ana, zo = party_of(process, "S1001"), party_of(process, "S1003")
    missing = process_lists.missing_for_meeting(desk, process)
    assert any("Ana Garcia: not yet asked" in m for m in missing)
    assert any("Zo Okafor is not yet willing" in m for m in missing)
    with pytest.raises(svc.NeedsReason):
        svc.hold_meeting(desk, process.id)
    svc.update_party(desk, process.id, ana.id, acknowledges=Acknowledgment.YES, willing=Willingness.YES)
    process = svc.update_party(desk, process.id, zo.id, willing=Willingness.YES, consents_to_share=True,
                               wishes="An apology and that it stops", keep_apart=True)
    assert process.stage is Stage.ASSESSING
    assert process_lists.missing_for_meeting(desk, process) == ["Zo Okafor: keep apart not resolved"]
    svc.update_party(desk, process.id, zo.id, safety_resolved=True)
    process = svc.add_preparation(desk, process.id, ana.id, note="Talked through the script")
    assert process.stage is Stage.PREPARING and process_lists.missing_for_meeting(desk, process) == []

    # the conference, scheduled for tomorrow at 11:00: due that day, not today
    process = svc.schedule_meeting(desk, process.id, at("2026-11-24T11:00"), place="Room 12")
    assert process.stage is Stage.SCHEDULED
    assert [d.what for d in process_lists.due_items(desk)] == []
    tomorrow = process_lists.due_items(desk, date(2026, 11, 24))
    assert [(d.what, d.place, d.when) for d in tomorrow] == [("meeting", "Room 12", at("2026-11-24T11:00"))]
    assert set(tomorrow[0].student_ids) == {"S1001", "S1003", "S1005"}

    clock.set("2026-11-24 11:50")
    meeting = process.meetings[0]
    process = svc.hold_meeting(desk, process.id, meeting_id=meeting.id, attended=[ana.id, zo.id], minutes=45,
                               agreement_reached=True)
    assert process.meetings[0].held and process.meetings[0].unsuitable_reason == ""
    svc.add_item(desk, process.id, what="Apologise to Zo in person", owner=ana.id, due=date(2026, 11, 25))
    svc.add_item(desk, process.id, what="Help in the cafeteria at lunch", owner=ana.id, due=date(2026, 12, 4),
                 item_kind=ItemKind.REPARATION, partner="Cafeteria staff", site="Cafeteria", hours=3,
                 risk_assessed_on=date(2026, 11, 24))
    process = svc.add_item(desk, process.id, what="Check in with the counselor weekly", owner=ana.id,
                           due=date(2026, 12, 1))
    assert process.stage is Stage.FOLLOWING
    apology, lunch, counselor = process.items

    # two days later the apology is overdue: the advocate sees it, not the items due later
    clock.set("2026-11-26 08:00")
    due = process_lists.due_items(desk)
    assert [(d.what, d.text, d.overdue, d.owner) for d in due] == [
        ("item", "Apologise to Zo in person", True, "Ana Garcia")]
    svc.mark_item(desk, process.id, apology.id, ItemStatus.DONE)                  # done, a day late
    clock.set("2026-12-01 15:00")
    svc.mark_item(desk, process.id, lunch.id, ItemStatus.DONE)                    # done on time
    clock.set("2026-12-02 09:00")
    svc.mark_item(desk, process.id, counselor.id, ItemStatus.NOT_DONE)            # not done
    assert process_lists.due_items(desk) == []
    process = svc.tell_harmed(desk, process.id, completed=False, how="In person")
    process = svc.close(desk, process.id, ClosingReason.PARTLY_COMPLETED, "Two of three done")
    assert process.stage is Stage.CLOSED

    # the database: one row, items as agreed, each step in the history
    stored = desk.store.get(Process, process.id)
    assert [(i.what, i.status, i.done_late) for i in stored.items] == [
        ("Apologise to Zo in person", ItemStatus.DONE, True),
        ("Help in the cafeteria at lunch", ItemStatus.DONE, False),
        ("Check in with the counselor weekly", ItemStatus.NOT_DONE, False)]
    assert stored.items[1].hours == 3.0 and stored.items[1].partner == "Cafeteria staff"
    notes = [e.note for e in desk.store.history(process.id)]
    assert notes[0] == "started: Conference" and notes[-1].startswith("closed: Agreement partly completed")
    assert "meeting held" in notes and notes.count("agreement item added") == 3 and "harmed party told" in notes
    assert len(notes) == desk.store.db.execute("SELECT count(*) FROM audit WHERE record_id = ?",
                                               [process.id]).fetchone()[0]
    with pytest.raises(svc.ProcessError, match="closed"):
        svc.add_item(desk, process.id, what="More", owner=ana.id, due=date(2026, 12, 9))


def test_holding_a_meeting_with_something_missing_keeps_the_reason(desk):
    _, referral = harm(desk)
    process = svc.start_from_referral(desk, referral.id)
    with pytest.raises(svc.NeedsReason) as refused:
        svc.hold_meeting(desk, process.id, agreement_reached=True)
    assert refused.value.missing and desk.store.get(Process, process.id).meetings == []
    process = svc.hold_meeting(desk, process.id, reason="Both asked to meet before the break", agreement_reached=True)
    held = process.meetings[0]
    assert held.held and held.unsuitable_reason == "Both asked to meet before the break"
    assert desk.store.history(process.id)[-1].note.startswith("meeting held without: ")


def test_an_indirect_process_needs_no_face_to_face_suitability(desk):
    _, referral = harm(desk)
    process = svc.start_from_referral(desk, referral.id)
    with desk.store.transaction():
        desk.store.set_status(process.model_copy(update={"indirect": True}), note="indirect (shuttle)")
    assert process_lists.missing_for_meeting(desk, desk.store.get(Process, process.id)) == []
    assert svc.hold_meeting(desk, process.id).meetings[0].unsuitable_reason == ""


def test_a_reentry_gets_check_ins_at_two_and_four_weeks_from_its_meeting(desk):
    process = svc.start(desk, "reentry", [Party(student_id="S1004", role="responsible", acknowledges="yes",
                                                willing="yes"),
                                          Party(name="Mr. Lindqvist", relation="parent_caregiver", role="supporter")])
    assert process.tier == 3
    process = svc.hold_meeting(desk, process.id, reason="No harmed party: re-entry after exclusion")
    assert [c.due for c in process.check_ins] == [date(2026, 12, 7), date(2026, 12, 21)]
    desk.clock.set("2026-12-08 08:00")
    due = process_lists.due_items(desk)
    assert [(d.what, d.overdue, d.student_ids) for d in due] == [("check_in", True, ("S1004",))]
    svc.mark_check_in(desk, process.id, due[0].ref_id, note="Settled back in")
    assert process_lists.due_items(desk) == []


def test_a_tier_one_circle_is_logged_held_and_closed_without_names(desk):
    circle = svc.log_circle(desk, group_name="H-101", topic="Respect in the hallway", facilitator="Ms. Rivera",
                            participants=24)
    assert (circle.tier, circle.stage, circle.closing_reason) == (1, Stage.CLOSED, ClosingReason.HELD)
    assert circle.parties == [] and circle.meetings[0].participants == 24
    assert desk.store.db.execute("SELECT group_name, topic FROM processes").fetchall() == [
        ("H-101", "Respect in the hallway")]
    with pytest.raises(svc.ProcessError, match="class or group"):
        svc.log_circle(desk, group_name=" ")


def test_a_kind_the_school_does_not_run_is_refused_in_words(desk):
    with pytest.raises(svc.ProcessError, match="not a kind of process"):
        svc.start(desk, "trial_by_combat")


def test_the_student_page_list_has_each_process_with_role_and_open_items(desk):
    _, referral = harm(desk)
    process = svc.start_from_referral(desk, referral.id)
    ana = party_of(process, "S1001")
    svc.hold_meeting(desk, process.id, reason="test", agreement_reached=True)
    svc.add_item(desk, process.id, what="Apologise", owner=ana.id, due=date(2026, 11, 25))
    svc.add_item(desk, process.id, what="Write a letter", owner=ana.id, due=date(2026, 11, 27))
    process = svc.mark_item(desk, process.id, desk.store.get(Process, process.id).items[0].id, ItemStatus.DONE)
    [(p, role, items)] = process_lists.student_processes(desk, "S1001")
    assert p.id == process.id and role is PartyRole.RESPONSIBLE and [i.what for i in items] == ["Write a letter"]
    [(_, role, items)] = process_lists.student_processes(desk, "S1003")
    assert role is PartyRole.HARMED and items == []
    assert process_lists.student_processes(desk, "S1002") == []


def test_board_sorts_processes_by_stage_and_keeps_recently_closed(desk):
    _, referral = harm(desk)
    referred = svc.start_from_referral(desk, referral.id)
    circle = svc.log_circle(desk, group_name="H-204", participants=20)
    later = svc.start(desk, "peer_mediation", [Party(student_id="S1002", role="both")])
    svc.schedule_meeting(desk, later.id, at("2026-11-25T10:00"))
    board = process_lists.board(desk)
    assert [p.id for p in board[Stage.REFERRED]] == [referred.id]
    assert [p.id for p in board[Stage.SCHEDULED]] == [later.id]
    assert [p.id for p in board[Stage.CLOSED]] == [circle.id]
    desk.clock.set("2026-12-09 08:00")
    assert process_lists.board(desk)[Stage.CLOSED] == []          # two weeks on, the closed circle has left the board


# --- the figures, against the database ------------------------------------------------------------


def test_the_figures_match_counts_taken_from_the_database(desk):
    clock = desk.clock
    _, referral = harm(desk)
    other = desk.store.add(Referral(referred_at=at("2026-11-23T10:00"), students=["S1002"], destination="Counselor",
                                    reason="Worried about a friend"))
    process = svc.start_from_referral(desk, referral.id)
    ana, zo = party_of(process, "S1001"), party_of(process, "S1003")
    clock.set("2026-11-25 11:00")
    svc.hold_meeting(desk, process.id, reason="quick", agreement_reached=True)
    for what, due in (("A", date(2026, 11, 26)), ("B", date(2026, 11, 30)), ("C", date(2026, 12, 1))):
        svc.add_item(desk, process.id, what=what, owner=ana.id, due=due)
    items = desk.store.get(Process, process.id).items
    clock.set("2026-11-27 11:00")
    svc.mark_item(desk, process.id, items[0].id, ItemStatus.DONE)      # late
    svc.mark_item(desk, process.id, items[1].id, ItemStatus.DONE)
    svc.mark_item(desk, process.id, items[2].id, ItemStatus.NOT_DONE)
    svc.update_party(desk, process.id, zo.id, questionnaire={"felt_heard": 5, "fair": 4, "repaired": 3, "again": True})
    svc.update_party(desk, process.id, ana.id, questionnaire={"felt_heard": 3, "fair": 4, "again": False})
    svc.tell_harmed(desk, process.id, completed=False, how="Phone")
    svc.close(desk, process.id, ClosingReason.PARTLY_COMPLETED)
    on_time = svc.start(desk, "harm_circle", [Party(student_id="S1004", role="responsible"),
                                              Party(student_id="S1006", role="harmed")])
    svc.hold_meeting(desk, on_time.id, reason="r", agreement_reached=True)
    p2 = svc.add_item(desk, on_time.id, what="Return the bike", owner=on_time.parties[0].id, due=date(2026, 11, 30))
    svc.mark_item(desk, on_time.id, p2.items[0].id, ItemStatus.DONE)
    svc.log_circle(desk, group_name="H-101", participants=22)
    # Ana harms again 20 days after the meeting: repeat harm within 30, 60 and 90 days
    desk.store.add(Incident(occurred_at=at("2026-12-15T10:00"), location="Gym", behavior="Physical aggression",
                            students=[{"student_id": "S1001", "role": "responsible"}]))
    clock.set("2027-03-01 08:00")

    f = process_figures.figures(desk, date(2026, 11, 1), date(2026, 11, 30))
    db = desk.store.db

    def one(sql: str, *params):
        return db.execute(sql, params).fetchone()[0]

    assert f.processes == one("SELECT count(*) FROM processes WHERE voided = 0 AND day BETWEEN '2026-11-01' "
                              "AND '2026-11-30'") == 3
    assert dict(f.by_tier) == dict(db.execute("SELECT tier, count(*) FROM processes GROUP BY tier").fetchall())
    assert f.by_stage == {Stage.CLOSED: 2, Stage.FOLLOWING: 1}
    assert f.referrals == one("SELECT count(*) FROM referrals WHERE voided = 0") == 2
    assert f.referrals_to_meeting == one(
        "SELECT count(*) FROM referrals AS r JOIN processes AS p ON p.referral_id = r.id WHERE EXISTS "
        "(SELECT 1 FROM json_each(p.meetings) WHERE json_extract(value, '$.held'))") == 1
    first_met = one("SELECT min(substr(json_extract(value, '$.at'), 1, 10)) FROM processes AS p, json_each(p.meetings) "
                    "WHERE p.referral_id = ?", referral.id)
    assert f.days_to_meeting == [(date.fromisoformat(first_met) - date(2026, 11, 23)).days] == [2]
    assert f.median_days == 2
    # agreements ended: both; on time: the bike (the other had an item late and one not done)
    ended = db.execute("SELECT id FROM processes AS p WHERE json_array_length(items) > 0 AND NOT EXISTS "
                       "(SELECT 1 FROM json_each(p.items) WHERE json_extract(value, '$.status') = 'open')").fetchall()
    assert f.agreements_ended == len(ended) == 2 and f.agreements_on_time == 1
    assert f.repeat_harm == {30: 1, 60: 1, 90: 1} and f.repeat_basis == {30: 2, 60: 2, 90: 2}
    answers = [json.loads(r[0]) for r in db.execute(
        "SELECT json_extract(value, '$.questionnaire') FROM processes, json_each(parties) "
        "WHERE json_extract(value, '$.questionnaire') IS NOT NULL").fetchall()]
    assert f.average("felt_heard") == statistics.mean(a["felt_heard"] for a in answers) == 4
    assert f.average("repaired") == 3 and (f.again_yes, f.again_answered) == (1, 2)
    assert (f.harmed_told, f.harmed_processes) == (1, 1)
    assert other.id  # a referral that became nothing counts among the referrals only


# --- the record itself ---------------------------------------------------------------------------


def test_a_process_is_voided_never_deleted_and_never_changed_behind_the_audit_trail(desk):
    _, referral = harm(desk)
    process = svc.start_from_referral(desk, referral.id)
    voided = desk.store.void(Process, process.id, "started on the wrong referral")
    assert voided.voided and desk.store.select(Process) == []
    with pytest.raises(svc.ProcessError, match="voided"):
        svc.hold_meeting(desk, process.id, reason="x")
    db = desk.store.db
    with pytest.raises(Exception, match="never deleted"):
        db.execute("DELETE FROM processes")
    with pytest.raises(Exception, match="audit entry"):
        db.execute("UPDATE processes SET closing_note = 'quietly' WHERE id = ?", [process.id])
    # a new process for the referral is allowed once the first is void
    assert svc.start_from_referral(desk, referral.id).referral_id == referral.id


def test_an_amendment_corrects_the_kind_and_keeps_the_earlier_version(desk):
    process = svc.start(desk, "peer_mediation", [Party(student_id="S1002", role="both")])
    with pytest.raises(StoreError, match="amendment"):
        desk.store.set_status(process.model_copy(update={"process_kind": "adult_mediation"}))
    amended = desk.store.amend(process.model_copy(update={"process_kind": "adult_mediation"}), note="an adult mediated")
    assert amended.amended and desk.store.history(process.id)[-1].before["process_kind"] == "peer_mediation"


@pytest.mark.parametrize(("change", "message"), [
    ({"items": [AgreementItem(what="X", owner="nobody", due=date(2026, 12, 1))]}, "not a party"),
    ({"closed_at": at("2026-11-24T10:00")}, "closing reason"),
    ({"closing_reason": ClosingReason.NO_CONTACT}, "closing reason"),
    ({"meetings": [Meeting(at=at("2026-11-24T10:00"), attended=["ghost"])]}, "not parties"),
])
def test_a_process_that_does_not_hold_together_is_refused(change, message):
    base = Process(started_at=at("2026-11-23T10:00"), process_kind="conference", tier=2,
                   parties=[Party(student_id="S1001", role="responsible")])
    with pytest.raises(ValueError, match=message):
        Process.model_validate({**base.model_dump(), **change})


@pytest.mark.parametrize(("party", "message"), [
    ({"role": "harmed"}, "one of them"),
    ({"student_id": "S1", "name": "Ms. X", "relation": "teacher", "role": "supporter"}, "one of them"),
    ({"name": "Ms. X", "role": "supporter"}, "related"),
    ({"student_id": "S1", "role": "harmed", "acknowledges": "yes"}, "only a responsible party"),
    ({"student_id": "S1", "role": "judge"}, "role"),
])
def test_a_party_must_say_who_and_what_part(party, message):
    with pytest.raises(ValueError, match=message):
        Party.model_validate(party)


def test_typed_text_keeps_its_words_and_loses_terminal_codes(desk):
    process = svc.start(desk, "conference", [Party(student_id="S1003", role="harmed")])
    saved = svc.update_party(desk, process.id, process.parties[0].id,
                             wishes="[b]An apology[/b]\x1b[31m\nand that it stops")
    assert saved.parties[0].wishes == "[b]An apology[/b]\nand that it stops"
    with pytest.raises(ValueError, match="control characters|pattern"):  # a name with a terminal code: refused
        Party(name="Mr.\x1b]0;x\x07 Lee", relation="teacher", role="supporter")


# --- the migration -------------------------------------------------------------------------------


def test_an_older_file_gains_the_process_table_under_the_guards_without_a_false_warning(tmp_path):
    path = tmp_path / "old.db"
    store = Store.open(path, tz=TZ, now=lambda: at("2026-11-23T10:45"), migrate=False)
    store.migrate(stop_before="m010_restorative_processes")
    assert "processes" not in store.db.table_names()
    store.close()
    store = Store.open(path, tz=TZ, now=lambda: at("2026-11-23T10:45"))
    try:
        assert "processes" in store.db.table_names() and store.guard_warning == ""
        names = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert {"processes_never_deleted", "processes_insert_audited", "processes_update_audited"} <= names
        assert guards.trigger_problems(store.db) == {}
    finally:
        store.close()


def test_a_backup_made_before_processes_existed_is_still_sound(tmp_path):
    """A file from before m010 has no processes table: the backup check (restore's first step) names no
    problem, and the file gains the table when it is opened."""
    from advocate_tui.store import files

    path = tmp_path / "older.db"
    store = Store.open(path, tz=TZ, now=lambda: at("2026-11-23T10:45"), migrate=False)
    store.migrate(stop_before="m010_restorative_processes")
    store.close()
    report = files.inspect(path, None)
    assert report.ok and report.problems == [] and "processes" not in report.counts
    store = Store.open(path, tz=TZ, now=lambda: at("2026-11-23T10:45"))
    try:
        assert files.inspect(path, None).counts["processes"] == 0
    finally:
        store.close()
