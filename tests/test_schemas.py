"""schemas/ is the contract for every file the app writes or reads: up to date, and it accepts what the models write."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pendulum
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jsonschema import Draft202012Validator

from advocate_tui.models import (
    AttendanceFollowUp,
    AuditEntry,
    ContactNote,
    DoorCheck,
    ExportFile,
    ExportManifest,
    ExportOptions,
    Handoff,
    HandoffBundle,
    HandoffBundleContent,
    Incident,
    PatrolRound,
    Process,
    ProgramReport,
    PseudonymousStudent,
    Referral,
    ReportRow,
    ReportSummary,
    ReportTable,
    ReplyBundle,
    ReplyBundleContent,
    Student,
)
from advocate_tui.models.cico import CicoDay, CicoEnrolment
from advocate_tui.models.peace_room import PeaceRoomVisit
from advocate_tui.models.sweep import Sweep
from advocate_tui.schemas import SCHEMA_FILES, all_schemas, main, render, write_schemas
from advocate_tui.services.signing import sign_with

SCHEMAS_DIR = Path(__file__).resolve().parent.parent / "schemas"
FIX = "run `python -m advocate_tui.schemas` in the project folder and commit schemas/"

T0 = pendulum.datetime(2026, 11, 23, 10, 42, tz="America/Chicago")


def stale_schemas(folder: Path) -> list[str]:
    """What in ``folder`` differs from the schemas the models generate now."""
    out = []
    for name, schema in all_schemas().items():
        path = folder / name
        if not path.is_file():
            out.append(f"{name} is missing")
        elif path.read_text(encoding="utf-8") != render(schema):
            out.append(f"{name} is out of date")
    extra = sorted(p.name for p in folder.glob("*.schema.json") if p.name not in SCHEMA_FILES)
    out += [f"{name} belongs to no model (delete it)" for name in extra]
    return out


# --- schemas/ matches the models --------------------------------------------------------------


def test_schemas_folder_is_up_to_date_with_the_models():
    stale = stale_schemas(SCHEMAS_DIR)
    assert not stale, "schemas/ does not match the models: " + "; ".join(stale) + f". To fix: {FIX}"


def test_the_up_to_date_check_notices_a_model_change(tmp_path):
    write_schemas(tmp_path)
    assert stale_schemas(tmp_path) == []
    incident = json.loads((tmp_path / "incident.schema.json").read_text())
    del incident["properties"]["location"]  # as if the model had gained a field since
    (tmp_path / "incident.schema.json").write_text(render(incident))
    (tmp_path / "old.schema.json").write_text("{}\n")
    assert stale_schemas(tmp_path) == ["incident.schema.json is out of date", "old.schema.json belongs to no model (delete it)"]


def test_every_record_type_and_the_bundle_has_a_schema_with_dialect_and_id():
    schemas = all_schemas()
    assert set(SCHEMA_FILES.values()) == {Student, Incident, DoorCheck, PatrolRound, ContactNote, AttendanceFollowUp,
                                          Referral, Handoff, AuditEntry, HandoffBundle, PseudonymousStudent,
                                          ExportManifest, ProgramReport, ReplyBundle, Process,
                                          Sweep, PeaceRoomVisit, CicoEnrolment, CicoDay}
    assert "handoff-bundle.schema.json" in schemas and "reply-bundle.schema.json" in schemas
    assert "incident.schema.json" in schemas and "process.schema.json" in schemas
    ids = set()
    for name, schema in schemas.items():
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"].endswith(name)
        ids.add(schema["$id"])
        Draft202012Validator.check_schema(schema)
    assert len(ids) == len(schemas)


def test_output_is_deterministic_sorted_and_ends_with_a_newline(tmp_path):
    first = [p.read_bytes() for p in write_schemas(tmp_path / "a")]
    second = [p.read_bytes() for p in write_schemas(tmp_path / "b")]
    assert first == second
    for text in first:
        assert text.endswith(b"}\n") and not text.endswith(b"\n\n")
        assert text.decode() == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_main_writes_into_the_given_folder(tmp_path, capsys):
    out = tmp_path / "contract"
    assert main(["--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(SCHEMA_FILES)
    assert stale_schemas(out) == []
    assert str(out / "incident.schema.json") in capsys.readouterr().out


def test_main_says_one_line_when_it_cannot_write(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["--out", str(blocker)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot write schemas to") and err.count("\n") == 1


def test_python_dash_m_works(tmp_path):
    run = subprocess.run([sys.executable, "-m", "advocate_tui.schemas", "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "handoff-bundle.schema.json").is_file()


# --- the schemas accept what the models write, and refuse what they refuse ----------------------


def samples() -> dict[str, object]:
    """One realistic record of each type (fictional)."""
    student = Student(local_id="S1003", sourced_id="u-1003", given_name="Zoë", family_name="Okafor",
                      preferred_name="Zo", grade="10", homeroom="H-150", updated_at=T0)
    incident = Incident(occurred_at=T0, reported_at=T0.add(minutes=5), location="Cafeteria", behavior="Disruption",
                        level="major", motivation="obtain_peer_attention",
                        students=[{"student_id": "S1003", "role": "harmed"}, {"student_id": "S1001", "role": "responsible"}],
                        staff=["Mr. Lee"], description="Food thrown", actions=["mediation"], follow_up_date="2026-11-24",
                        created_at=T0, created_by="advocate")
    door = DoorCheck(door="East entrance", checked_at=T0, status="propped_open", note="Chair in the door")
    patrol = PatrolRound(zone="North wing", started_at=T0, finished_at=T0.add(minutes=12), checkpoints=[
        {"checkpoint": "Gym hallway", "reached_at": T0.add(minutes=3)},
        {"checkpoint": "Library", "reached_at": T0.add(minutes=8), "status": "issue", "note": "Two students out of class",
         "incident_id": incident.id},
    ])
    note = ContactNote(student_id="S1003", at=T0, contact_kind="restorative_conversation", note="Talked it through",
                       follow_up_date="2026-11-30", for_coordinator=True)
    attendance = AttendanceFollowUp(student_id="S1001", date="2026-11-23", attendance_kind="absent_unexcused",
                                    periods=["P1", "P2"], actions=["call_home"], status="resolved",
                                    resolved_at=T0.add(hours=2), due_date="2026-11-25")
    referral = Referral(referred_at=T0, students=["S1001", "S1003"], destination="Counselor", purpose="circle",
                        urgency="soon", reason="Ongoing conflict", incident_id=incident.id, status="closed",
                        outcome="agreement_reached", closed_at=T0.add(days=3), voided=False)
    handoff = Handoff(date="2026-11-23", signed_by="Ms. Rivera", signed_at=T0.add(hours=5), referral_ids=[referral.id],
                      incident_ids=[incident.id])
    audit = AuditEntry(seq=7, at=T0, by="advocate", action="amend", record_type="incident", record_id=incident.id,
                       before={"location": "Gym"}, after={"location": "Cafeteria"}, note="wrong room")
    content = HandoffBundleContent(
        school="Cedar Hollow Middle School", school_short="chms", timezone="America/Chicago", date="2026-11-23",
        sequence=1, generated_at=T0.add(hours=5), handoff=handoff, referrals=[referral], students=[student],
        incidents=[incident], attendance=[attendance], contact_notes=[note], door_checks=[door], patrol_rounds=[patrol])
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))  # a fixed test key
    bundle = HandoffBundle.model_validate(sign_with(key, json.loads(content.model_dump_json())))
    process = Process(
        started_at=T0, process_kind="conference", tier=2, referral_id=referral.id, incident_id=incident.id,
        facilitator="Ms. Rivera", parties=[
            {"id": "p1", "student_id": "S1001", "role": "responsible", "acknowledges": "partly", "willing": "yes",
             "preparation": [{"on": "2026-11-24", "by": "Ms. Rivera", "note": "Script talked through"}],
             "questionnaire": {"felt_heard": 4, "fair": 5, "repaired": 3, "again": True}},
            {"id": "p2", "student_id": "S1003", "role": "harmed", "willing": "yes", "consents_to_share": True,
             "wishes": "An apology", "keep_apart": True, "safety_resolved": True},
            {"id": "p3", "name": "Mr. Okafor", "relation": "parent_caregiver", "role": "supporter"}],
        meetings=[{"id": "m1", "at": T0.add(days=2), "place": "Room 12", "facilitators": ["Ms. Rivera"], "held": True,
                   "attended": ["p1", "p2", "p3"], "minutes": 50, "agreement_reached": True}],
        items=[{"id": "i1", "what": "Apologise", "owner": "p1", "due": "2026-11-27", "status": "done",
                "checked_by": "Ms. Rivera", "checked_at": T0.add(days=4)},
               {"id": "i2", "what": "Cafeteria help", "owner": "p1", "due": "2026-12-04", "item_kind": "reparation",
                "partner": "Cafeteria staff", "site": "Cafeteria", "risk_assessed_on": "2026-11-25", "hours": 3}],
        check_ins=[{"id": "c1", "due": "2026-12-09"}], harmed_told_at=T0.add(days=15), harmed_told_how="In person",
        harmed_told_completed=True, closed_at=T0.add(days=15), closing_reason="agreement_completed")
    pseudonymous = PseudonymousStudent(pseudonym="anon-0123456789abcdef0123", grade="10")
    manifest = ExportManifest(
        exported_at=T0, school="Cedar Hollow Middle School", school_short="chms", timezone="America/Chicago",
        app_version="0.1.0", database_schema=7, options=ExportOptions(from_day="2026-11-01", to_day="2026-11-23"),
        students="pseudonymous", files=[ExportFile(file="incident.jsonl", kind="incident",
                                                   schema_file="incident.schema.json", lines=3)])
    report = ProgramReport(
        school="Cedar Hollow Middle School", school_short="chms", period_start="2026-08-01", period_end="2026-11-23",
        prepared_at=T0, summary=ReportSummary(incidents=12, major=3, incident_days=9, referrals=4, followups=0,
                                              door_exceptions=1, patrol_exceptions=2),
        tables=[ReportTable(key="behavior", title="Incidents by behaviour", column="behaviour",
                            rows=[ReportRow(label="Defiance", count=9), ReportRow(label="Fighting", count=3)]),
                ReportTable(key="per_day", title="Incidents per school day, by month", column="month",
                            value="per day", rate=True, ordered=True,
                            rows=[ReportRow(label="2026-11", count=12, days=15)])])
    reply_content = ReplyBundleContent(
        school="Cedar Hollow Middle School", school_short="chms", coordinator="District RJ Office",
        coordinator_short="district-rj", timezone="America/Chicago", date="2026-11-24", sequence=1,
        generated_at=T0.add(days=1), note="Two meetings this week", referrals=[
            {"referral_id": referral.id, "decision": "scheduled", "decided_at": T0.add(days=1),
             "accepted_at": T0.add(days=1), "facilitator": "Ms. Delacroix", "scheduled_for": T0.add(days=2),
             "place": "Room 114", "note": "Bring the class list"},
            {"referral_id": incident.id, "decision": "declined", "decided_at": T0.add(days=1),
             "closed_at": T0.add(days=1), "outcome": "declined", "outcome_note": "Handled by the school"},
        ])
    reply = ReplyBundle.model_validate(sign_with(key, json.loads(reply_content.model_dump_json())))
    sweep = Sweep(met_at=T0, place="Hallway", note="Near the gym", incident_id=incident.id, students=[
        {"student_id": "S1001", "has_pass": True, "pass_from": "Room 12", "pass_to": "Library", "sent_to": "Back to class"},
        {"student_id": "S1003", "sent_to": "Peace Room"}])
    visit = PeaceRoomVisit(student_id="S1003", time_in=T0, sent_by="Mr. Lee", reason="Cool down", period="P3",
                           sweep_id=sweep.id, time_out=T0.add(minutes=20), returned_to_class=True)
    enrolment = CicoEnrolment(student_id="S1001", enrolled_on="2026-11-02", expectations=["Be safe", "Be kind",
                              "Be ready"], periods=["P1", "P2", "P3"], goal_percent=75, phase="self_monitoring",
                              changes=[{"on": "2026-11-16", "what": "goal 80% -> 75%", "goal_percent": 75},
                                       {"on": "2026-11-20", "what": "self-monitoring", "phase": "self_monitoring"}])
    card = CicoDay(enrolment_id=enrolment.id, student_id="S1001", date="2026-11-23", goal_percent=75,
                   expectations=enrolment.expectations, periods=enrolment.periods, checked_in_at=T0.subtract(hours=3),
                   has_card=True, checked_out_at=T0.add(hours=4), parent_signed=False, comment="Good morning",
                   scores=[{"period": "P1", "expectation": "Be safe", "points": 2},
                           {"period": "P2", "expectation": "Be kind", "points": 1}])
    return {
        "sweep.schema.json": sweep, "peace-room-visit.schema.json": visit, "cico-enrolment.schema.json": enrolment,
        "cico-day.schema.json": card,
        "pseudonymous-student.schema.json": pseudonymous, "export-manifest.schema.json": manifest,
        "report.schema.json": report,
        "student.schema.json": student, "incident.schema.json": incident, "door-check.schema.json": door,
        "patrol-round.schema.json": patrol, "contact-note.schema.json": note,
        "attendance-follow-up.schema.json": attendance, "referral.schema.json": referral,
        "handoff.schema.json": handoff, "process.schema.json": process, "audit-entry.schema.json": audit,
        "handoff-bundle.schema.json": bundle, "reply-bundle.schema.json": reply,
    }


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((SCHEMAS_DIR / name).read_text(encoding="utf-8")))


def test_there_is_a_sample_for_every_schema():
    assert sorted(samples()) == sorted(SCHEMA_FILES)


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_a_saved_record_validates_against_its_schema(name):
    record = samples()[name]
    assert type(record) is SCHEMA_FILES[name]
    data = record.model_dump(mode="json")
    errors = [e.message for e in validator(name).iter_errors(data)]
    assert errors == []
    # what the file holds reads back as the same record
    assert type(record).model_validate(data) == record


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_an_unknown_field_is_refused_by_every_schema(name):
    data = samples()[name].model_dump(mode="json")
    data["favourite_colour"] = "red"
    assert not validator(name).is_valid(data)


@pytest.mark.parametrize(("name", "change"), [
    ("incident.schema.json", {"level": "severe"}),
    ("incident.schema.json", {"location": ""}),
    ("incident.schema.json", {"occurred_at": None}),
    ("incident.schema.json", {"students": [{"student_id": "S 1003"}]}),
    ("door-check.schema.json", {"status": "ajar"}),
    ("referral.schema.json", {"students": []}),
    ("referral.schema.json", {"urgency": "asap"}),
    ("handoff.schema.json", {"sequence": 0}),
    ("student.schema.json", {"grade": "123456789"}),
    ("student.schema.json", {"given_name": "Zo\u001b]0;pwned\u0007"}),     # a terminal code in a name
    ("student.schema.json", {"family_name": "Okafor\tJr"}),
    ("student.schema.json", {"local_id": "S1003\u009b"}),
    ("contact-note.schema.json", {"note": "Talked\u001b[31m it through"}),  # notes: tabs and line breaks only
    ("referral.schema.json", {"reason": "Ongoing\u202e conflict"}),
    ("attendance-follow-up.schema.json", {"attendance_kind": "napping"}),
    ("audit-entry.schema.json", {"action": "delete"}),
    ("process.schema.json", {"tier": 4}),
    ("process.schema.json", {"parties": [{"student_id": "S1001", "role": "judge"}]}),
    ("process.schema.json", {"items": [{"what": "X", "owner": "p1", "due": "2026-12-01", "status": "maybe"}]}),
    ("process.schema.json", {"closing_reason": "bored"}),
    ("process.schema.json", {"parties": [{"student_id": "S1001", "role": "harmed",
                                          "questionnaire": {"felt_heard": 6}}]}),
    ("sweep.schema.json", {"students": []}),
    ("sweep.schema.json", {"students": [{"student_id": "S1001"}]}),                 # sent nowhere
    ("peace-room-visit.schema.json", {"reason": ""}),
    ("cico-enrolment.schema.json", {"expectations": ["Be safe", "Be kind"]}),       # 3 to 5
    ("cico-enrolment.schema.json", {"goal_percent": 120}),
    ("cico-enrolment.schema.json", {"phase": "expelled"}),
    ("cico-day.schema.json", {"scores": [{"period": "P1", "expectation": "Be safe", "points": 3}]}),
    ("cico-day.schema.json", {"status": "sick"}),
    ("handoff-bundle.schema.json", {"format": "someone-else.bundle"}),
    ("handoff-bundle.schema.json", {"format_version": 1}),
    ("handoff-bundle.schema.json", {"checksum": "sha256:" + "0" * 64}),
    ("handoff-bundle.schema.json", {"signature": {"algorithm": "ed25519", "public_key": "abc", "fingerprint": "x",
                                                  "value": "md5:abc"}}),
    ("handoff-bundle.schema.json", {"signature": None}),
    ("handoff-bundle.schema.json", {"school_short": "../../etc"}),
    ("handoff-bundle.schema.json", {"school_short": "chms\x1b]0;pwned\x07"}),
    ("pseudonymous-student.schema.json", {"given_name": "Zoë"}),          # no names in a de-identified line
    ("pseudonymous-student.schema.json", {"pseudonym": "anon 1"}),
    ("export-manifest.schema.json", {"students": "some"}),
    ("export-manifest.schema.json", {"files": [{"file": "../etc/passwd", "kind": "x", "schema_file": "x.schema.json",
                                                "lines": 1}]}),
    ("report.schema.json", {"confidential": False}),
    ("report.schema.json", {"format": "advocate-tui.handoff"}),
    ("report.schema.json", {"summary": {"incidents": -1, "major": 0, "incident_days": 0, "referrals": 0,
                                        "followups": 0, "door_exceptions": 0, "patrol_exceptions": 0}}),
    ("reply-bundle.schema.json", {"format": "advocate-tui.handoff"}),
    ("reply-bundle.schema.json", {"school_short": "../../etc"}),
    ("reply-bundle.schema.json", {"processes": [{"id": "p1"}]}),   # reserved: none in this version
    ("reply-bundle.schema.json", {"referrals": [{"referral_id": "r1", "decision": "maybe",
                                                 "decided_at": "2026-11-24T10:00:00-06:00"}]}),
    ("reply-bundle.schema.json", {"signature": None}),
])
def test_an_invalid_record_is_refused(name, change):
    data = {**samples()[name].model_dump(mode="json"), **change}
    assert not validator(name).is_valid(data)


@pytest.mark.parametrize("missing", ["occurred_at", "location", "behavior"])
def test_a_record_missing_a_required_field_is_refused(missing):
    data = samples()["incident.schema.json"].model_dump(mode="json")
    del data[missing]
    assert not validator("incident.schema.json").is_valid(data)


def test_a_bad_nested_record_in_a_bundle_is_refused():
    data = samples()["handoff-bundle.schema.json"].model_dump(mode="json")
    data["door_checks"][0]["status"] = "ajar"
    assert not validator("handoff-bundle.schema.json").is_valid(data)
    data = samples()["handoff-bundle.schema.json"].model_dump(mode="json")
    data["patrol_rounds"][0]["checkpoints"][0]["zone_colour"] = "red"
    assert not validator("handoff-bundle.schema.json").is_valid(data)


def test_notes_may_hold_tabs_and_line_breaks():
    data = samples()["contact-note.schema.json"].model_dump(mode="json")
    assert validator("contact-note.schema.json").is_valid({**data, "note": "Talked it through\n\tthen [b]agreed[/b]"})


def test_optional_fields_may_be_left_out_as_a_hand_written_file_would():
    minimal = {"occurred_at": "2026-11-23T10:42:00-06:00", "location": "Gym", "behavior": "Defiance"}
    assert validator("incident.schema.json").is_valid(minimal)
    assert Incident.model_validate(minimal).when == T0
