"""The records refuse bad values with messages a person at the desk can read; a bundle needs its signature."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import ValidationError

from advocate_tui.models import (
    AttendanceFollowUp,
    AuditEntry,
    CheckpointStatus,
    ContactKind,
    ContactNote,
    DoorCheck,
    DoorStatus,
    Handoff,
    HandoffBundle,
    HandoffBundleContent,
    Incident,
    Level,
    PatrolRound,
    Referral,
    ReferralOutcome,
    ReferralStatus,
    Student,
    StudentRole,
    Urgency,
    describe,
    friendly_errors,
)
from advocate_tui.services.signing import sign_with

CHICAGO = ZoneInfo("America/Chicago")
T0 = datetime(2026, 11, 23, 10, 42, tzinfo=CHICAGO)


def problems(model: type, **values) -> dict[str, str]:
    """The friendly messages for ``values`` (which must be refused)."""
    with pytest.raises(ValidationError) as info:
        model(**values)
    return friendly_errors(info.value)


def one_line(model: type, **values) -> str:
    with pytest.raises(ValidationError) as info:
        model(**values)
    return describe(info.value)


def incident(**changes) -> dict:
    return {"occurred_at": T0, "location": "Cafeteria", "behavior": "Disruption", **changes}


def referral(**changes) -> dict:
    return {"referred_at": T0, "students": ["S1001"], "destination": "Counselor", "reason": "Peer conflict", **changes}


def test_every_kind_is_named_before_its_model_is_built_and_builds_it_when_asked():
    """models.kinds names each kind without building its model (what a query needs: the kind, so its table,
    and its time field, so its order) and gives the model itself once asked; a record is an instance of
    its kind's handle only."""
    from advocate_tui.models import Incident, Referral
    from advocate_tui.models.kinds import INCIDENT, LATER, REFERRAL
    from advocate_tui.models.records import RECORD_TYPES

    assert list(LATER) == list(RECORD_TYPES)
    for name, later in LATER.items():
        model = RECORD_TYPES[name]
        assert (later.kind, later.time_field, later.model) == (model.kind, model.time_field, model)
        assert later.model_fields is model.model_fields
    record = INCIDENT(**incident())
    assert type(record) is Incident and isinstance(record, INCIDENT) and not isinstance(record, REFERRAL)
    assert type(REFERRAL.model_validate(referral())) is Referral


# --- Incident ---------------------------------------------------------------------------------


def test_incident_good_values_are_kept_and_trimmed():
    inc = Incident(**incident(
        location="  Gym  ", level="major", motivation="avoid_peers",
        students=[{"student_id": "S1001", "role": "responsible"}, {"student_id": "S1003", "role": "harmed"}],
        actions=["mediation", "parent_contacted"], follow_up_date=date(2026, 11, 24),
    ))
    assert inc.location == "Gym"
    assert inc.level is Level.MAJOR
    assert [s.role for s in inc.students] == [StudentRole.RESPONSIBLE, StudentRole.HARMED]
    assert inc.student_ids() == ["S1001", "S1003"]
    assert inc.when == T0
    assert len(inc.id) == 32 and inc.id != Incident(**incident()).id


def test_defaults_make_a_quick_log_possible():
    inc = Incident(**incident())
    assert (inc.level, inc.students, inc.amended, inc.voided) == (Level.MINOR, [], False, False)
    assert Incident(**incident(students=[{"student_id": "S1001"}])).students[0].role is StudentRole.INVOLVED


@pytest.mark.parametrize("blank", ["", "   ", "\t"])
def test_empty_location_cant_be_empty(blank):
    assert problems(Incident, **incident(location=blank)) == {"location": "can't be empty"}


def test_bad_level_lists_the_choices():
    msg = problems(Incident, **incident(level="severe"))["level"]
    assert msg.startswith("must be one of")
    assert "'minor'" in msg and "'major'" in msg


def test_too_long_text_says_the_limit():
    assert problems(Incident, **incident(location="x" * 101)) == {"location": "is too long (at most 100 characters)"}
    assert problems(Incident, **incident(description="x" * 4001))["description"] == "is too long (at most 4000 characters)"


def test_follow_up_before_the_incident_is_refused():
    assert problems(Incident, **incident(follow_up_date=date(2026, 11, 22))) == {"": "follow-up date is before the incident"}
    assert Incident(**incident(follow_up_date=date(2026, 11, 23))).follow_up_date == date(2026, 11, 23)


def test_reported_before_it_happened_is_refused():
    assert one_line(Incident, **incident(reported_at=T0 - timedelta(minutes=5))) == "reported before it happened"


def test_duplicate_student_in_an_incident_is_refused():
    students = [{"student_id": "S1001", "role": "responsible"}, {"student_id": "S1001", "role": "harmed"}]
    assert problems(Incident, **incident(students=students)) == {"students": "student S1001 is listed twice"}


def test_duplicate_action_is_refused():
    assert problems(Incident, **incident(actions=["circle", "circle"])) == {"actions": "action circle is listed twice"}


def test_too_many_students_says_the_limit():
    students = [{"student_id": f"S{n}"} for n in range(41)]
    assert problems(Incident, **incident(students=students)) == {"students": "has too many entries (at most 40)"}


def test_naive_datetime_is_refused():
    assert problems(Incident, **incident(occurred_at=datetime(2026, 11, 23, 10, 42))) == {"occurred_at": "needs a time zone"}
    assert one_line(Incident, **incident(occurred_at="2026-11-23T10:42:00")) == "occurred at: needs a time zone"


def test_not_a_time_is_refused():
    assert problems(Incident, **incident(occurred_at="yesterday")) == {"occurred_at": "is not a date and time"}


def test_unknown_field_is_refused():
    assert problems(Incident, **incident(colour="red")) == {"colour": "is not a field of this record"}


def test_missing_fields_are_named():
    assert problems(Incident, occurred_at=T0) == {"location": "is required", "behavior": "is required"}


def test_describe_puts_every_problem_on_one_line_with_readable_field_names():
    line = one_line(ContactNote, student_id="S 1001", at=T0, note="  ")
    assert line == "student id: has characters that are not allowed; note: can't be empty"
    assert "\n" not in line


# --- Voiding (every record) -------------------------------------------------------------------


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_voided_without_reason_is_refused(reason):
    assert problems(Incident, **incident(voided=True, void_reason=reason)) == {"": "a voided record needs a reason"}


def test_voided_with_reason_is_kept():
    inc = Incident(**incident(voided=True, void_reason="  logged twice "))
    assert inc.voided and inc.void_reason == "logged twice"


# --- Door checks and patrols ------------------------------------------------------------------


@pytest.mark.parametrize(("status", "words"), [
    ("propped_open", "propped open"), ("unsecured", "unsecured"), ("damaged", "damaged"), ("alarm", "alarm"),
])
def test_door_exception_without_note_needs_a_note(status, words):
    assert problems(DoorCheck, door="East entrance", checked_at=T0, status=status) == {
        "": f"a door found {words} needs a note"}


def test_door_exception_with_note_and_secure_door_are_fine():
    propped = DoorCheck(door="East entrance", checked_at=T0, status="propped_open", note="wedged with a chair; closed it")
    assert propped.is_exception and propped.status is DoorStatus.PROPPED_OPEN
    secure = DoorCheck(door="East entrance", checked_at=T0)
    assert not secure.is_exception


def test_bad_door_status_lists_the_choices():
    assert problems(DoorCheck, door="East", checked_at=T0, status="ajar")["status"].startswith("must be one of")


def test_checkpoint_issue_needs_a_note():
    visit = {"checkpoint": "Gym hallway", "reached_at": T0 + timedelta(minutes=3), "status": "issue"}
    assert problems(PatrolRound, zone="North wing", started_at=T0, checkpoints=[visit]) == {
        "checkpoints.0": "an issue at a checkpoint needs a note"}
    ok = PatrolRound(zone="North wing", started_at=T0, checkpoints=[{**visit, "note": "two students out of class"}])
    assert [c.status for c in ok.issues] == [CheckpointStatus.ISSUE]


def test_patrol_times_in_order():
    assert one_line(PatrolRound, zone="North", started_at=T0, finished_at=T0 - timedelta(minutes=1)) == "finished before it started"
    early = {"checkpoint": "Library", "reached_at": T0 - timedelta(minutes=1)}
    assert one_line(PatrolRound, zone="North", started_at=T0, checkpoints=[early]) == "Library reached before the round started"


# --- Contact notes, attendance ----------------------------------------------------------------


def test_contact_note_good_and_bad():
    note = ContactNote(student_id="S1001", at=T0, contact_kind="caregiver_call", note="Called grandmother")
    assert note.contact_kind is ContactKind.CAREGIVER_CALL and note.student_ids() == ["S1001"]
    assert problems(ContactNote, student_id="S1001", at=T0, note="")["note"] == "can't be empty"
    assert problems(ContactNote, student_id="S1001", at=T0, note="x", follow_up_date="2026-11-20") == {
        "": "follow-up date is before the contact"}
    assert problems(ContactNote, student_id="S1001", at=T0, note="x", for_coordinator="perhaps") == {
        "for_coordinator": "must be yes or no"}


def test_attendance_follow_up_good_and_bad():
    ok = AttendanceFollowUp(student_id="S1001", date="2026-11-23", attendance_kind="tardy", periods=["P1", "P2"])
    assert ok.date == date(2026, 11, 23) and ok.when == date(2026, 11, 23)
    assert problems(AttendanceFollowUp, student_id="S1001", date="2026-13-01", attendance_kind="tardy") == {
        "date": "is not a date (try 2026-11-30)"}
    assert problems(AttendanceFollowUp, student_id="S1001", date="2026-11-23", attendance_kind="tardy",
                    due_date="2026-11-20") == {"": "due date is before the attendance date"}
    assert problems(AttendanceFollowUp, student_id="S1001", date="2026-11-23", attendance_kind="tardy",
                    status="resolved") == {"": "a resolved follow-up needs the time it was resolved"}
    assert problems(AttendanceFollowUp, student_id="S1001", date="2026-11-23", attendance_kind="tardy",
                    periods=["P1", "P1"]) == {"periods": "period P1 is listed twice"}
    assert problems(AttendanceFollowUp, student_id="S1001", date="2026-11-23")["attendance_kind"] == "is required"


# --- Referrals and handoffs -------------------------------------------------------------------


def test_referral_needs_a_student_and_each_once():
    assert problems(Referral, **referral(students=[])) == {"students": "needs at least one"}
    assert problems(Referral, **referral(students=["S1001", "S1001"])) == {"students": "student S1001 is listed twice"}


def test_closed_referral_needs_an_outcome():
    assert problems(Referral, **referral(status="closed")) == {"": "a closed referral needs an outcome"}
    closed = Referral(**referral(status="closed", outcome="agreement_reached", closed_at=T0 + timedelta(days=2)))
    assert closed.status is ReferralStatus.CLOSED and closed.outcome is ReferralOutcome.AGREEMENT_REACHED


def test_referral_closed_before_it_was_made_is_refused():
    assert one_line(Referral, **referral(status="closed", outcome="declined",
                                         closed_at=T0 - timedelta(hours=1))) == "closed before it was made"


def test_handed_off_referral_needs_the_handoff_time():
    assert problems(Referral, **referral(status="handed_off", handoff_id="h1")) == {
        "": "a handed-off referral needs the time it was handed off"}


def test_bad_urgency_lists_the_choices_and_urgent_sorts_first():
    assert problems(Referral, **referral(urgency="asap"))["urgency"].startswith("must be one of")
    assert sorted(Urgency, key=lambda u: u.rank)[0] is Urgency.URGENT


def test_handoff_sequence_and_signature():
    ok = Handoff(date="2026-11-23", signed_by="Ms. Rivera", signed_at=T0)
    assert ok.sequence == 1
    assert problems(Handoff, date="2026-11-23", signed_by="  ", signed_at=T0) == {"signed_by": "can't be empty"}
    assert problems(Handoff, date="2026-11-23", signed_by="Ms. Rivera", signed_at=T0, sequence=0) == {
        "sequence": "must be at least 1"}
    assert problems(Handoff, date="2026-11-23", signed_by="Ms. Rivera", signed_at=T0, sequence=100) == {
        "sequence": "must be at most 99"}
    assert problems(Handoff, date="2026-11-23", signed_by="Ms. Rivera", signed_at=T0, sequence="two") == {
        "sequence": "must be a whole number"}


# --- Student and audit entry ------------------------------------------------------------------


def test_student_good_and_bad():
    zoe = Student(local_id="S1003", given_name="Zoë", family_name="Okafor", preferred_name="Zo", grade="10")
    assert zoe.display_name == "Zo Okafor" and zoe.sort_name == "Okafor, Zo"
    assert zoe.describe() == "Zo Okafor (S1003 · gr 10)"
    assert problems(Student, local_id="S1003", given_name="", family_name="Okafor") == {"given_name": "can't be empty"}
    assert problems(Student, local_id="S 1003", given_name="Zoë", family_name="Okafor") == {
        "local_id": "has characters that are not allowed"}
    assert problems(Student, local_id="S1003", given_name="Zoë", family_name="Okafor", grade="123456789") == {
        "grade": "is too long (at most 8 characters)"}
    assert problems(Student, local_id="S1003", given_name="Zoë", family_name="Okafor", email="z@example.org") == {
        "email": "is not a field of this record"}


#: what a terminal would act on: each is refused in a name, dropped from a note
CONTROL_CHARACTERS = ["\x1b]0;pwned\x07", "\x1b[31m", "\x00", "\x07", "\t", "\n", "\r", "\x7f", "\x85", "\x9b",
                      "\u2028", "\u202e", "\u2067"]
CONTROL_REASON = "can't hold control characters (a tab, line break or terminal code)"


@pytest.mark.parametrize("code", CONTROL_CHARACTERS, ids=repr)
def test_a_name_with_a_control_character_is_refused_without_quoting_it(code):
    name = f"Ana{code}Lee"
    assert problems(Student, local_id="S1", given_name=name, family_name="Lee") == {"given_name": CONTROL_REASON}
    assert problems(Student, local_id="S1", given_name="Ana", family_name=name, preferred_name=name,
                    homeroom=name) == {"family_name": CONTROL_REASON, "preferred_name": CONTROL_REASON,
                                       "homeroom": CONTROL_REASON}
    assert problems(Student, local_id=f"S{code}1", given_name="Ana", family_name="Lee") == {
        "local_id": "has characters that are not allowed"}
    assert problems(Incident, occurred_at=T0, location=name, behavior="Defiance", staff=[name]) == {
        "location": CONTROL_REASON, "staff.0": CONTROL_REASON}
    assert problems(Handoff, date="2026-11-23", signed_by=name, signed_at=T0) == {"signed_by": CONTROL_REASON}
    with pytest.raises(ValidationError) as info:
        Student(local_id="S1", given_name=name, family_name="Lee")
    assert "Ana" not in describe(info.value) and code not in describe(info.value)


@pytest.mark.parametrize("name", ["Brack[/x]", "[link=https://example.org]Ann", "[redacted]", "[sic]", "أمل\u200f",
                                  "王 明", "Zoë-Ω ß", "x" * 100])
def test_a_name_with_markup_or_any_script_is_kept_as_typed(name):
    assert Student(local_id="S1", given_name=name, family_name="Lee").given_name == name


@pytest.mark.parametrize(("typed", "kept"), [
    ("Mom [/] dad split", "Mom [/] dad split"),                          # markup is just text
    ("first line\nsecond\tcolumn", "first line\nsecond\tcolumn"),        # tabs and line breaks stay
    ("windows\r\nline", "windows\nline"),
    ("old mac\rline", "old mac\nline"),
    ("\x1b[31mred\x1b[0m and \x1b[1mbold\x1b[22m", "red and bold"),      # coloured text pasted: its words
    ("\x1b]0;pwned\x07title gone", "title gone"),                       # a terminal retitle: nothing visible
    ("\x1b]8;;https://x.example\x1b\\link\x1b]8;;\x1b\\", "link"),        # a terminal hyperlink: its text
    ("bell\x07 nul\x00 del\x7f csi\x9b2J", "bell nul del csi"),
    ("\u202eevil\u202c \u2066iso\u2069", "evil iso"),                     # no bidi override reorders the screen
    ("\x1b]0;unterminated", "0;unterminated"),                           # a cut-off sequence: its text stays
])
def test_a_note_keeps_its_visible_text_tabs_and_line_breaks_only(typed, kept):
    note = ContactNote(student_id="S1", at=T0, note=typed)
    assert note.note == kept
    assert Referral(referred_at=T0, students=["S1"], destination="Counselor", reason=typed).reason == kept
    assert problems(ContactNote, student_id="S1", at=T0, note="\x1b[31m\x07") == {"note": "can't be empty"}


def test_text_stored_before_control_characters_were_refused_reads_back_cleaned():
    from advocate_tui.models.base import STORED

    stored = {"local_id": "S1", "given_name": "\x1b]0;pwned\x07Ana\t", "family_name": "Lee\x1b[31m",
              "homeroom": "H\n1", "preferred_name": "Zo\u202eë\u2028Z"}  # (a bidi override, a line separator)
    assert pytest.raises(ValidationError, Student.model_validate, stored)          # never from a file or a form
    student = Student.model_validate(stored, context=STORED)                      # but the database still opens
    assert (student.given_name, student.family_name, student.homeroom) == ("Ana", "Lee", "H 1")
    assert student.preferred_name == "Zoë Z"


def test_audit_entry_needs_an_aware_time_and_a_known_action():
    ok = AuditEntry(at=T0, action="amend", record_type="incident", record_id="abc")
    assert ok.action == "amend"
    assert problems(AuditEntry, at=datetime(2026, 11, 23, 10), action="amend", record_type="incident",
                    record_id="abc") == {"at": "needs a time zone"}
    assert problems(AuditEntry, at=T0, action="delete", record_type="incident", record_id="abc")["action"].startswith(
        "must be one of")


# --- Handoff bundle ---------------------------------------------------------------------------


def make_bundle() -> HandoffBundle:
    ref = Referral(**referral(id="r1", status="handed_off", handoff_id="h1", handed_off_at=T0 + timedelta(hours=5)))
    handoff = Handoff(id="h1", date="2026-11-23", signed_by="Ms. Rivera", signed_at=T0 + timedelta(hours=5),
                      referral_ids=["r1"])
    content = HandoffBundleContent(
        school="Cedar Hollow Middle School", school_short="chms", timezone="America/Chicago", date="2026-11-23",
        sequence=1, generated_at=T0 + timedelta(hours=5), handoff=handoff, referrals=[ref],
        students=[Student(local_id="S1001", given_name="Ana", family_name="Garcia")],
    )
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))  # a fixed test key
    return HandoffBundle.model_validate(sign_with(key, json.loads(content.model_dump_json())))


def test_bundle_refuses_a_foreign_format_and_a_bad_signature():
    data = make_bundle().model_dump(mode="json")
    assert problems(HandoffBundle, **{**data, "format": "something.else"})["format"]
    bad = {**data["signature"], "value": "md5:abc"}
    assert problems(HandoffBundle, **{**data, "signature": bad}) == {"signature.value": "has characters that are not allowed"}
    assert "signature" in problems(HandoffBundle, **{k: v for k, v in data.items() if k != "signature"})
    assert problems(HandoffBundle, **{**data, "sequence": 0}) == {"sequence": "must be at least 1"}
