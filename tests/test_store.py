"""The store on a real SQLite file: round trips, amendments and voids with their history, all-or-nothing
writes, the roster look-up, the school's day, private files, two desks at once, and careful refusals."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from datetime import date, timedelta

import pendulum
import pytest

from advocate_tui.models import (
    AttendanceFollowUp,
    AuditAction,
    CheckpointStatus,
    ContactNote,
    DoorCheck,
    DoorStatus,
    Handoff,
    Incident,
    IncidentAction,
    IncidentStudent,
    Level,
    PatrolRound,
    Referral,
    Student,
    StudentRole,
)
from advocate_tui.store import LATEST_VERSION, Store, StoreError, sqlite_version
from advocate_tui.store.engine import DatabaseError

TZ = "America/Chicago"
NOW = pendulum.datetime(2026, 11, 23, 10, 45, tz=TZ)
CHICAGO_NOVEMBER = timedelta(hours=-6)

ROSTER = [
    Student(local_id="S1001", given_name="Ana", family_name="Garcia", grade="09", homeroom="H-101"),
    Student(local_id="S1002", given_name="Ana", family_name="Garcia", grade="11", homeroom="H-204"),
    Student(local_id="S1003", given_name="Zoë", family_name="Okafor", preferred_name="Zo", grade="10"),
    Student(local_id="S1004", given_name="Marcus", family_name="Lindqvist", grade="12"),
    Student(local_id="S1005", given_name="Mary-Jo", family_name="Ramanathan", preferred_name="MJ", grade="09"),
    Student(local_id="S1006", given_name="Tomás", family_name="Herrera", grade="10", active=False),
]


def at(text: str) -> pendulum.DateTime:
    return pendulum.parse(text, tz=TZ)


def open_store(path) -> Store:
    return Store.open(path, tz=TZ, now=lambda: NOW, user="ms.rivera")


@pytest.fixture
def path(tmp_path):
    return tmp_path / "school" / "advocate.db"


@pytest.fixture
def store(path):
    s = open_store(path)
    s.upsert_students(ROSTER)
    yield s
    s.close()


def audit_rows(store: Store) -> int:
    return store.db.execute("SELECT count(*) FROM audit").fetchone()[0]


def sample_records() -> list:
    """One of each record type, times given in UTC as a sync might (stored and shown in school time)."""
    t = NOW.in_timezone("UTC")
    incident = Incident(
        occurred_at=t, reported_at=t.add(minutes=4), location="Cafeteria", behavior="Disruption", level="major",
        motivation="avoid_peers", students=[{"student_id": "S1001", "role": "responsible"},
                                            {"student_id": "S1003", "role": "harmed"}],
        staff=["Mr. Lee"], description="Tray thrown — nobody hurt", actions=["mediation", "parent_contacted"],
        follow_up_date="2026-11-24",
    )
    return [
        incident,
        DoorCheck(door="East entrance", checked_at=t, status="propped_open", note="Chair in the door", checked_by="MR"),
        PatrolRound(zone="North wing", started_at=t, finished_at=t.add(minutes=15), checkpoints=[
            {"checkpoint": "Gym hallway", "reached_at": t.add(minutes=3)},
            {"checkpoint": "Library", "reached_at": t.add(minutes=9), "status": "issue",
             "note": "Two students out of class", "incident_id": incident.id},
        ]),
        ContactNote(student_id="S1003", at=t, contact_kind="caregiver_call", note="Spoke with grandmother",
                    follow_up_date="2026-11-30", for_coordinator=True),
        AttendanceFollowUp(student_id="S1004", date="2026-11-23", attendance_kind="absent_unexcused",
                           periods=["P1", "P2"], actions=["call_home"], due_date="2026-11-25"),
        Referral(referred_at=t, students=["S1001", "S1003"], destination="Counselor", purpose="circle",
                 urgency="urgent", reason="Ongoing conflict", incident_id=incident.id),
        Handoff(date="2026-11-23", signed_by="Ms. Rivera", signed_at=t.add(hours=5), summary="Quiet day",
                incident_ids=[incident.id]),
    ]


# --- engine -----------------------------------------------------------------------------------


def test_engine_is_not_affected_by_the_wal_reset_bug(store):
    assert sqlite_version(store.db.conn) >= (3, 51, 3)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_new_database_file_and_folder_are_private(store, path):
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        assert stat.S_IMODE(wal.stat().st_mode) & 0o077 == 0


# --- round trips ------------------------------------------------------------------------------


@pytest.mark.parametrize("index", range(7), ids=["incident", "door", "patrol", "contact", "attendance", "referral",
                                                 "handoff"])
def test_round_trip_of_each_record_type(store, index):
    record = sample_records()[index]
    saved = store.add(record)
    assert saved.created_at == NOW and saved.created_by == "ms.rivera"
    back = store.get(type(record), record.id)
    assert back == saved
    assert back.model_dump(exclude={"created_at", "created_by"}) == record.model_dump(exclude={"created_at", "created_by"})
    # every time comes back in the school's zone, whatever zone it was given in
    when = back.when
    if hasattr(when, "utcoffset"):
        assert when.utcoffset() == CHICAGO_NOVEMBER
    assert back.created_at.utcoffset() == CHICAGO_NOVEMBER


def test_round_trip_keeps_enums_and_nested_checkpoints(store):
    incident, _door, patrol, *_ = sample_records()
    store.add(incident)
    store.add(patrol)
    inc = store.get(Incident, incident.id)
    assert inc.level is Level.MAJOR
    assert inc.actions == [IncidentAction.MEDIATION, IncidentAction.PARENT_CONTACTED]
    assert [(s.student_id, s.role) for s in inc.students] == [("S1001", StudentRole.RESPONSIBLE),
                                                               ("S1003", StudentRole.HARMED)]
    assert inc.description == "Tray thrown — nobody hurt"
    rnd = store.get(PatrolRound, patrol.id)
    assert [c.checkpoint for c in rnd.checkpoints] == ["Gym hallway", "Library"]
    assert rnd.checkpoints[1].status is CheckpointStatus.ISSUE
    assert rnd.checkpoints[1].incident_id == incident.id
    assert rnd.checkpoints[1].reached_at == at("2026-11-23 10:54")
    assert rnd.checkpoints[1].reached_at.utcoffset() == CHICAGO_NOVEMBER


def test_records_survive_closing_and_reopening(store, path):
    saved = [store.add(r) for r in sample_records()]
    store.close()
    again = open_store(path)
    try:
        assert [again.get(type(r), r.id) for r in saved] == saved
    finally:
        again.close()


def test_roster_round_trip(store):
    zoe = store.student("S1003")
    assert zoe.given_name == "Zoë" and zoe.preferred_name == "Zo" and zoe.active
    assert store.student("S9999") is None
    assert store.upsert_student(ROSTER[2]) == "unchanged"
    assert store.upsert_student(ROSTER[2].model_copy(update={"homeroom": "H-999"})) == "updated"
    assert store.student("S1003").homeroom == "H-999"


# --- amend, void, never delete ----------------------------------------------------------------


def test_amend_keeps_the_earlier_version_in_history(store):
    original = store.add(sample_records()[0])
    fixed = store.amend(original.model_copy(update={"location": "Gym", "level": Level.MINOR}), note="wrong room")
    assert fixed.amended and not original.amended
    back = store.get(Incident, original.id)
    assert (back.location, back.level, back.amended) == ("Gym", Level.MINOR, True)
    assert back.created_at == original.created_at and back.created_by == original.created_by
    history = store.history(original.id)
    assert [h.action for h in history] == [AuditAction.CREATE, AuditAction.AMEND]
    assert history[0].before is None and history[0].after["location"] == "Cafeteria"
    assert history[1].before["location"] == "Cafeteria" and history[1].before["level"] == "major"
    assert history[1].after["location"] == "Gym" and history[1].after["amended"] is True
    assert history[1].note == "wrong room" and history[1].by == "ms.rivera"


def test_amending_the_students_moves_the_record_between_students(store):
    original = store.add(sample_records()[0])
    students = [IncidentStudent(student_id="S1001", role="responsible"), IncidentStudent(student_id="S1004", role="harmed")]
    store.amend(original.model_copy(update={"students": students}))
    assert store.student_records("S1003") == []
    assert [(r.id, role) for r, role in store.student_records("S1004")] == [(original.id, "harmed")]


def test_void_needs_a_reason(store):
    rec = store.add(sample_records()[0])
    for reason in ("", "   "):
        with pytest.raises(StoreError, match="needs a reason"):
            store.void(Incident, rec.id, reason)
    assert not store.get(Incident, rec.id).voided
    assert [h.action for h in store.history(rec.id)] == [AuditAction.CREATE]


def test_void_keeps_the_row_and_hides_it_from_the_day(store):
    rec = store.add(sample_records()[0])
    other = store.add(sample_records()[0].model_copy(update={"id": "second", "location": "Gym"}))
    store.void(Incident, rec.id, "logged twice")
    assert [r.id for r in store.on_day(Incident, "2026-11-23")] == [other.id]
    assert [r.id for r in store.select(Incident)] == [other.id]
    assert {r.id for r in store.on_day(Incident, "2026-11-23", include_voided=True)} == {rec.id, other.id}
    kept = store.get(Incident, rec.id)
    assert kept.voided and kept.void_reason == "logged twice" and kept.location == "Cafeteria"
    assert store.db.execute("SELECT count(*) FROM incidents").fetchone()[0] == 2
    history = store.history(rec.id)
    assert [h.action for h in history] == [AuditAction.CREATE, AuditAction.VOID]
    assert history[-1].note == "logged twice" and history[-1].before["voided"] is False
    assert all(r.id != rec.id for r, _ in store.student_records("S1001"))


def test_a_voided_record_cant_be_amended_or_voided_again(store):
    rec = store.add(sample_records()[0])
    store.void(Incident, rec.id, "logged twice")
    with pytest.raises(StoreError, match="voided"):
        store.amend(rec.model_copy(update={"location": "Gym"}))
    with pytest.raises(StoreError, match="already void"):
        store.void(Incident, rec.id, "again")
    assert store.get(Incident, rec.id).location == "Cafeteria"


def test_a_record_cant_be_deleted(store):
    rec = store.add(sample_records()[1])
    with pytest.raises(DatabaseError, match="never deleted"):
        store.db.execute("DELETE FROM door_checks WHERE id = ?", [rec.id])
    with pytest.raises(DatabaseError, match="never deleted"), store.transaction():
        store.db["door_checks"].delete(rec.id)
    assert store.get(DoorCheck, rec.id) == rec


def test_the_audit_trail_is_append_only(store):
    rec = store.add(sample_records()[1])
    before = audit_rows(store)
    with pytest.raises(DatabaseError, match="append-only"):
        store.db.execute("UPDATE audit SET note = 'nothing happened' WHERE record_id = ?", [rec.id])
    with pytest.raises(DatabaseError, match="append-only"):
        store.db.execute("DELETE FROM audit WHERE record_id = ?", [rec.id])
    assert audit_rows(store) == before
    assert store.history(rec.id)[0].note == ""


# --- all or nothing ---------------------------------------------------------------------------


def test_a_failure_inside_a_transaction_rolls_back_every_write_made_in_it(store):
    first, door, *_ = sample_records()
    audit_before = audit_rows(store)
    with pytest.raises(RuntimeError, match="power cut"), store.transaction():
        store.add(first)
        store.add(door)
        store.set_meta("last_export", "2026-11-23")
        store.upsert_student(ROSTER[3].model_copy(update={"homeroom": "H-000"}))
        store.put_draft("contact:new:1", "contact", None, "{}")
        raise RuntimeError("power cut")
    assert store.get(Incident, first.id) is None
    assert store.get(DoorCheck, door.id) is None
    assert store.get_meta("last_export") is None
    assert store.student("S1004").homeroom is None
    assert store.db.execute("SELECT count(*) FROM drafts").fetchone()[0] == 0
    assert audit_rows(store) == audit_before
    assert store.student_records("S1001") == []
    # and the store still works afterwards
    assert store.add(first).id == first.id


def test_a_nested_transaction_joins_the_outer_one(store):
    first, door, *_ = sample_records()
    with pytest.raises(RuntimeError), store.transaction():
        with store.transaction():
            store.add(first)
        store.add(door)
        raise RuntimeError("cancel")
    assert store.get(Incident, first.id) is None and store.get(DoorCheck, door.id) is None


@pytest.mark.parametrize("record", [
    Incident(occurred_at=NOW, location="Gym", behavior="Defiance", students=[{"student_id": "S9999"}]),
    ContactNote(student_id="S9999", at=NOW, note="Checked in"),
    AttendanceFollowUp(student_id="S9999", date="2026-11-23", attendance_kind="tardy"),
    Referral(referred_at=NOW, students=["S1001", "S9999"], destination="Nurse", reason="Headache"),
], ids=["incident", "contact", "attendance", "referral"])
def test_a_record_on_an_unknown_student_is_refused_readably(store, record):
    audit_before = audit_rows(store)
    with pytest.raises(StoreError) as info:
        store.add(record)
    assert str(info.value) == "student S9999 is not on the roster"
    assert store.get(type(record), record.id) is None
    assert audit_rows(store) == audit_before


def test_amending_onto_an_unknown_student_is_refused_readably(store):
    note = store.add(sample_records()[3])
    with pytest.raises(StoreError, match="S9999 is not on the roster"):
        store.amend(note.model_copy(update={"student_id": "S9999"}))
    assert store.get(ContactNote, note.id) == note


# --- the roster look-up -----------------------------------------------------------------------


def names(students: list[Student]) -> list[str]:
    return [s.local_id for s in students]


@pytest.mark.parametrize(("typed", "found"), [
    ("ana", ["S1001", "S1002", "S1005"]),   # given name (and, ranked after, inside ramANAthan)
    ("GARC", ["S1001", "S1002"]),           # family name, any case
    ("zo", ["S1003"]),                      # preferred name
    ("zoe", ["S1003"]),                     # accent-folded: 'zoe' finds 'Zoë'
    ("zoë", ["S1003"]),
    ("oka", ["S1003"]),
    ("ana gar", ["S1001", "S1002"]),        # several words, each a prefix
    ("gar ana", ["S1001", "S1002"]),
    ("ana oka", []),
    ("S1004", ["S1004"]),                   # student number
    ("s100", ["S1001", "S1002", "S1003", "S1004", "S1005"]),
    ("jo", ["S1005"]),                      # a part of a hyphenated name
    ("mj", ["S1005"]),
    ("arc", ["S1001", "S1002", "S1004"]),   # inside a word, from 3 letters (mARCus, gARCia)
    ("ar", []),                             # shorter: only the start of a word
    ("tom", []),                            # inactive students are left out
    ("", []),
])
def test_find_students(store, typed, found):
    assert sorted(names(store.find_students(typed, limit=20))) == found


def test_find_students_ranks_word_starts_before_a_word_found_inside_a_name(store):
    assert names(store.find_students("ana"))[2:] == ["S1005"]                      # Ana Garcia ×2, then ramANAthan
    assert names(store.find_students("lindq arc")) == ["S1004"]


def test_the_look_up_finds_a_roster_change_at_once_made_here_or_by_another_desk(store, path):
    """The look-up keeps the active students' search keys in memory between keystrokes: a student
    added, renamed or made inactive (here, or by another desk on the same file) shows at the next key."""
    assert names(store.find_students("nadia")) == []
    store.upsert_student(Student(local_id="S1007", given_name="Nadia", family_name="Quist", grade="09"))
    assert names(store.find_students("nadia")) == ["S1007"]
    store.upsert_students([Student(local_id="S1007", given_name="Nadia", family_name="Quist", grade="09",
                                   active=False),
                           Student(local_id="S1008", given_name="Nadine", family_name="Quist", grade="10")])
    assert names(store.find_students("nad")) == ["S1008"]
    other = open_store(path)
    try:
        other.upsert_student(Student(local_id="S1009", given_name="Marcus", family_name="Ng", grade="11"))
        other.upsert_student(Student(local_id="S1004", given_name="Marcus", family_name="Lindqvist", grade="12",
                                     active=False))
    finally:
        other.close()
    assert names(store.find_students("marcus")) == ["S1009"]
    assert names(store.find_students("lindq")) == []


def test_find_students_ranks_as_before_on_a_roster_of_namesakes(store):
    """Ranks of several words: a whole given name, then the name a student goes by, then starts; a
    number first; namesakes in family then given name order (the order the SQL look-up gave)."""
    store.upsert_students([
        Student(local_id="S2001", given_name="Maria", family_name="Gomez", grade="09"),
        Student(local_id="S2002", given_name="Mariana", family_name="Garza", grade="09"),
        Student(local_id="S2003", given_name="Benjamin", family_name="Wilson", preferred_name="Sky", grade="10"),
        Student(local_id="S2004", given_name="Benjamin", family_name="Wilson", preferred_name="Ben", grade="10"),
        Student(local_id="S2005", given_name="Gabriel", family_name="Maria", grade="11"),
    ])
    assert names(store.find_students("maria g")) == ["S2001", "S2002", "S2005"]
    assert names(store.find_students("ben wil")) == ["S2004", "S2003"]
    assert names(store.find_students("gab maria")) == ["S2005"]
    assert names(store.find_students("S2005 ")) == ["S2005"]
    assert names(store.find_students("ria")) == ["S2002", "S2001", "S2005"]      # inside: family name order
    assert names(store.find_students("ria", limit=2)) == ["S2002", "S2001"]
    assert names(store.find_students("maria")) == ["S2001", "S2005", "S2002"]    # whole word, then the start


def test_find_students_includes_inactive_when_asked_and_puts_an_exact_number_first(store):
    assert names(store.find_students("tomas", include_inactive=True)) == ["S1006"]
    assert names(store.find_students("S1002"))[0] == "S1002"
    assert len(store.find_students("s100", limit=2)) == 2


def test_student_records_returns_everything_on_file_with_roles(store):
    incident, _door, _patrol, note, _att, referral, _handoff = sample_records()
    store.add(incident)
    store.add(note.model_copy(update={"student_id": "S1001", "at": NOW.subtract(days=1)}))
    store.add(referral)
    got = [(type(r).__name__, role) for r, role in store.student_records("S1001")]
    assert sorted(got) == [("ContactNote", None), ("Incident", "responsible"), ("Referral", None)]
    assert store.student_records("S1001")[-1][0].when == NOW.subtract(days=1)  # newest first
    assert sorted((type(r).__name__, role) for r, role in store.student_records("S1003")) == [
        ("Incident", "harmed"), ("Referral", None)]
    assert store.student_records("S1002") == []


# --- the school's day -------------------------------------------------------------------------


def test_the_day_is_the_schools_day_not_utcs(store):
    late = Incident(occurred_at=pendulum.parse("2026-11-24T03:30:00Z"), location="Parking lot", behavior="Fight")
    assert late.occurred_at.date() == date(2026, 11, 24)  # in UTC it is already tomorrow
    store.add(late)
    assert [r.id for r in store.on_day(Incident, date(2026, 11, 23))] == [late.id]
    assert store.on_day(Incident, "2026-11-24") == []
    shown = store.get(Incident, late.id).occurred_at
    assert (shown.day, shown.hour, shown.minute) == (23, 21, 30)


def test_a_date_only_record_belongs_to_its_date(store):
    att = store.add(sample_records()[4])
    assert [r.id for r in store.on_day(AttendanceFollowUp, "2026-11-23")] == [att.id]


# --- two desks at once ------------------------------------------------------------------------


def test_two_stores_on_one_file_write_at_once_without_database_is_locked(store, path):
    per_thread = 25
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def desk(name: str) -> None:
        try:
            mine = open_store(path)
            try:
                start.wait(timeout=10)
                for n in range(per_thread):
                    with mine.transaction():
                        # read, then write: fails with "database is locked" unless the write began IMMEDIATE
                        count = mine.db.execute("SELECT count(*) FROM door_checks").fetchone()[0]
                        mine.add(DoorCheck(id=f"{name}-{n}", door=f"Door {count}", checked_at=NOW))
                        mine.set_meta(f"{name}-{n}", str(count))
            finally:
                mine.close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=desk, args=(name,)) for name in ("front", "back")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert store.db.execute("SELECT count(*) FROM door_checks").fetchone()[0] == 2 * per_thread
    assert audit_rows(store) == len(ROSTER) + 2 * per_thread
    # each write saw every write committed before it: door numbers are 0..49, each once
    doors = sorted(int(d.door.split()[1]) for d in store.select(DoorCheck))
    assert doors == list(range(2 * per_thread))


def test_reopen_gives_a_worker_thread_its_own_connection(store):
    twin = store.reopen()
    try:
        result = []
        t = threading.Thread(target=lambda: result.append(twin.add(sample_records()[1])))
        t.start()
        t.join(timeout=30)
        assert store.get(DoorCheck, result[0].id).status is DoorStatus.PROPPED_OPEN
    finally:
        twin.close()


# --- opening refusals -------------------------------------------------------------------------


def refuses(target, *, match: str) -> StoreError:
    """Opening ``target`` fails with one line naming it, and leaves it (and its folder) exactly as it was."""
    folder = target if target.is_dir() else target.parent
    listing = sorted(os.listdir(folder))
    content = target.read_bytes() if target.is_file() else None
    with pytest.raises(StoreError) as info:
        open_store(target)
    message = str(info.value)
    assert str(target) in message and "\n" not in message
    assert match in message
    assert sorted(os.listdir(folder)) == listing
    if content is not None:
        assert target.read_bytes() == content
    return info.value


@pytest.fixture
def real_db_bytes(tmp_path) -> bytes:
    s = open_store(tmp_path / "real" / "advocate.db")
    s.upsert_students(ROSTER)
    for record in sample_records():
        s.add(record)
    s.close()
    return (tmp_path / "real" / "advocate.db").read_bytes()


def test_refuses_a_folder(tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "keep.txt").write_text("x")
    refuses(folder, match="is a folder")


def test_refuses_a_text_file(tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("Ana G. — check in Tuesday\n")
    refuses(target, match="not an advocate-tui database")


def test_refuses_a_random_binary_file(tmp_path):
    target = tmp_path / "photo.jpg"
    target.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(4096))
    refuses(target, match="not an advocate-tui database")


@pytest.mark.parametrize("keep", [
    lambda size: 1000,                  # inside the first page
    lambda size: 4096 * 3,              # a few whole pages
    lambda size: size // 2 + 123,       # half, ending inside a page
    lambda size: size - 4096,           # all but the last page
    lambda size: size - 100,            # the end of the last page (SQLite alone reads zeros there)
], ids=["in-the-header-page", "a-few-pages", "half", "all-but-the-last-page", "inside-the-last-page"])
def test_refuses_a_truncated_database_as_damaged(tmp_path, real_db_bytes, keep):
    target = tmp_path / "cut.db"
    target.write_bytes(real_db_bytes[:keep(len(real_db_bytes))])
    err = refuses(target, match="may be damaged")
    assert "'advocate restore BACKUP' puts a sound backup in its place" in str(err)
    assert "not an advocate-tui database" not in str(err)


def test_refuses_another_apps_sqlite_database(tmp_path):
    target = tmp_path / "other.db"
    conn = sqlite3.connect(target)
    conn.execute("CREATE TABLE recipes (name TEXT, minutes INTEGER)")
    conn.execute("INSERT INTO recipes VALUES ('soup', 40)")
    conn.commit()
    conn.close()
    refuses(target, match="not an advocate-tui one")


def test_refuses_a_database_from_a_newer_version(tmp_path, real_db_bytes):
    target = tmp_path / "newer.db"
    target.write_bytes(real_db_bytes)
    conn = sqlite3.connect(target)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.commit()
    conn.close()
    err = refuses(target, match="newer")
    assert "update advocate-tui" in str(err)


def test_refuses_a_read_only_file(tmp_path, real_db_bytes):
    target = tmp_path / "locked.db"
    target.write_bytes(real_db_bytes)
    target.chmod(0o400)
    try:
        if os.access(target, os.W_OK):
            pytest.skip("running as a user who can write to a 0400 file (root): the refusal can't be seen")
        refuses(target, match="read-only")
    finally:
        target.chmod(0o600)


def test_opening_a_missing_file_without_create_is_refused(tmp_path):
    target = tmp_path / "nowhere" / "advocate.db"
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(target, create=False)
    assert not target.parent.exists()


def test_a_new_store_is_at_the_latest_version(store):
    assert store.version == LATEST_VERSION
    assert store.get(Referral, "nope") is None


def test_records_saved_one_after_another_have_ids_in_the_order_they_were_saved(store):
    """A record's id is a UUID version 7 (its time of making, then random bits): each save's entries go
    at the end of the indexes on ids (the record's own, its audit entries', its student links') rather
    than at a random place in a page that then splits — fewer pages for the commit to write and wait for."""
    import uuid

    ids = [store.add(ContactNote(student_id="S1001", at=NOW, note=f"note {n}")).id for n in range(4)]
    assert ids == sorted(ids)
    assert all(len(i) == 32 and uuid.UUID(i).version == 7 for i in ids)
    assert [r[0] for r in store.db.execute("SELECT record_id FROM audit ORDER BY seq DESC LIMIT 4")][::-1] == ids
    burst = [ContactNote(student_id="S1001", at=NOW, note="n").id for _ in range(300)]  # many a millisecond
    assert burst == sorted(burst) and len(set(burst)) == 300
