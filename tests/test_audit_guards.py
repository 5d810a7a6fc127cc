"""The audit trail can't be walked around.

Through the store's public object, raw SQL on its own connection, or another program's connection:
no record, student or student link changes without its own audit entry saying exactly what changed;
a change of status changes only status; the store decides who saved a record and when; REPLACE can't
replace a record or a student, and a student is never deleted; a guard trigger removed or changed
outside the app is noticed at open (and by ``advocate check``), put back, and the audit trail says so.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys

import pytest
from test_store import NOW, ROSTER, TZ, open_store, sample_records

from advocate_tui.desk import Desk
from advocate_tui.models import (
    AttendanceFollowUp,
    AuditAction,
    DoorCheck,
    FollowUpStatus,
    Incident,
    PatrolRound,
    Referral,
    ReferralStatus,
)
from advocate_tui.store import Store, StoreError, guards, schema
from advocate_tui.store.engine import DatabaseError
from advocate_tui.store.rows import snapshot, to_row

#: what the guard triggers say when they refuse a write
GUARD = "each with its audit entry"
INCIDENT, DOOR, PATROL, CONTACT, ATTENDANCE, REFERRAL, HANDOFF = range(7)


@pytest.fixture
def path(tmp_path):
    return tmp_path / "school" / "advocate.db"


@pytest.fixture
def store(path):
    s = open_store(path)
    s.upsert_students(ROSTER)
    yield s
    s.close()


def audit_count(store) -> int:
    return store.db.execute("SELECT count(*) FROM audit").fetchone()[0]


def fake_entry(store, record, after, *, action: str = "amend", before=None) -> None:
    """An audit entry written by hand, as someone walking around the store would."""
    store.db.execute(
        "INSERT INTO audit (at, by, action, record_type, record_id, before, after) VALUES (?,?,?,?,?,?,?)",
        [NOW.isoformat(), "someone", action, record.kind, record.id,
         snapshot(before, TZ) if before is not None else None, snapshot(after, TZ)])


def insert_sql(table: str, row: dict, verb: str = "INSERT") -> tuple[str, list]:
    return (f"{verb} INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))


# --- raw writes on the store's own connection ---------------------------------------------------


@pytest.mark.parametrize("inside", [False, True], ids=["alone", "inside-a-store-transaction"])
def test_a_table_write_cant_change_a_record_without_its_audit_entry(store, inside):
    incident = store.add(sample_records()[INCIDENT])
    entries = audit_count(store)
    for write in (lambda: store.db["incidents"].update(incident.id, {"description": "nothing happened"}),
                  lambda: store.db.execute("UPDATE incidents SET level = 'minor', created_at = '2020-01-01T00:00:00' "
                                           "WHERE id = ?", [incident.id]),
                  lambda: store.db["incidents"].upsert({**to_row(incident, TZ), "location": "Gym"}, pk="id")):
        with pytest.raises(DatabaseError, match=GUARD):
            with store.transaction() if inside else contextlib.nullcontext():
                write()
    assert store.get(Incident, incident.id) == incident
    assert audit_count(store) == entries
    assert store.db["incidents"].get(incident.id)["description"] == "Tray thrown — nobody hurt"


def test_a_record_cant_be_inserted_without_its_audit_entry(store):
    door = sample_records()[DOOR].model_copy(update={"created_at": NOW, "created_by": "ms.rivera"})
    with pytest.raises(DatabaseError, match=GUARD):
        store.db["door_checks"].insert(to_row(door, TZ))
    with pytest.raises(DatabaseError, match=GUARD):
        store.db.execute(*insert_sql("door_checks", to_row(door, TZ)))
    assert store.get(DoorCheck, door.id) is None
    assert store.history(door.id) == []


def test_an_audit_entry_must_say_exactly_what_changed(store):
    incident = store.add(sample_records()[INCIDENT])
    other = store.add(sample_records()[DOOR])
    claimed = incident.model_copy(update={"description": "Tray dropped — nobody hurt"})
    # an entry claiming a harmless correction does not let a different change through
    fake_entry(store, incident, claimed, before=incident)
    with pytest.raises(DatabaseError, match=GUARD):
        store.db.execute("UPDATE incidents SET description = ?, level = 'minor' WHERE id = ?",
                         ["Tray dropped — nobody hurt", incident.id])
    # nor does an entry for another record
    fake_entry(store, other, other.model_copy(update={"note": "fine"}), before=other)
    with pytest.raises(DatabaseError, match=GUARD):
        store.db.execute("UPDATE incidents SET description = 'x' WHERE id = ?", [incident.id])
    assert store.get(Incident, incident.id) == incident
    # the one write that passes is the one its newest entry describes exactly: the trail tells the truth
    fake_entry(store, incident, claimed, before=incident)
    store.db.execute("UPDATE incidents SET description = ? WHERE id = ?", ["Tray dropped — nobody hurt", incident.id])
    assert store.get(Incident, incident.id) == claimed
    assert store.history(incident.id)[-1].after["description"] == "Tray dropped — nobody hurt"


def test_a_records_student_links_change_only_with_its_audit_entry(store):
    incident = store.add(sample_records()[INCIDENT])
    with pytest.raises(DatabaseError, match=GUARD):
        store.db.execute("DELETE FROM record_students WHERE record_id = ?", [incident.id])
    with pytest.raises(DatabaseError, match=GUARD):
        store.db.execute("INSERT INTO record_students (record_type, record_id, student_id, role) "
                         "VALUES ('incident', ?, 'S1004', 'witness')", [incident.id])
    with pytest.raises(DatabaseError, match=GUARD):
        store.db.execute("UPDATE record_students SET student_id = 'S1004' WHERE record_id = ?", [incident.id])
    assert [(r.id, role) for r, role in store.student_records("S1003")] == [(incident.id, "harmed")]
    assert store.student_records("S1004") == []


# --- REPLACE and deleting -----------------------------------------------------------------------


def test_insert_or_replace_cant_replace_a_record(store):
    incident = store.add(sample_records()[INCIDENT])
    rewritten = incident.model_copy(update={"description": "It never happened"})
    for action, before in (("amend", incident), ("create", None)):  # even with an entry saying exactly that
        fake_entry(store, incident, rewritten, action=action, before=before)
        with pytest.raises(DatabaseError, match=f"never deleted|{GUARD}"):
            store.db.execute(*insert_sql("incidents", to_row(rewritten, TZ), "INSERT OR REPLACE"))
        with pytest.raises(DatabaseError, match=f"never deleted|{GUARD}"):
            store.db["incidents"].insert(to_row(rewritten, TZ), replace=True)
    assert store.get(Incident, incident.id) == incident
    # REPLACE deletes the row it replaces: with recursive triggers on (every connection the app
    # opens), that delete meets the never-deleted trigger even where no insert guard stands first
    # (a file from before the guards)
    assert store.db.execute("PRAGMA recursive_triggers").fetchone()[0] == 1
    store.db.execute("DROP TRIGGER incidents_insert_audited")
    with pytest.raises(DatabaseError, match="never deleted"):
        store.db.execute(*insert_sql("incidents", to_row(rewritten, TZ), "REPLACE"))
    assert store.get(Incident, incident.id) == incident


def test_replace_is_refused_on_another_programs_connection_too(store, path):
    """Another program's connection has recursive triggers off, so REPLACE skips the delete triggers:
    the insert guard refuses it (a new row's entry must be its record's first)."""
    incident = store.add(sample_records()[INCIDENT])
    rewritten = incident.model_copy(update={"description": "It never happened"})
    fake_entry(store, incident, rewritten, action="create")
    other = sqlite3.connect(path)
    try:
        assert other.execute("PRAGMA recursive_triggers").fetchone()[0] == 0
        with pytest.raises(sqlite3.DatabaseError, match=GUARD):
            other.execute(*insert_sql("incidents", to_row(rewritten, TZ), "REPLACE"))
        with pytest.raises(sqlite3.DatabaseError, match=GUARD):
            other.execute("UPDATE incidents SET description = 'x' WHERE id = ?", [incident.id])
        other.rollback()
    finally:
        other.close()
    assert store.get(Incident, incident.id) == incident


def test_a_student_is_never_deleted_replaced_or_changed_behind_the_rosters_back(store):
    entries = audit_count(store)
    with pytest.raises(DatabaseError, match="never deleted"):
        store.db.execute("DELETE FROM students WHERE local_id = 'S1004'")
    with pytest.raises(DatabaseError, match=f"never deleted|{GUARD}"):
        store.db["students"].insert({"local_id": "S1004", "given_name": "Someone", "family_name": "Else"},
                                    replace=True)
    with pytest.raises(DatabaseError, match=GUARD):
        store.db.execute("UPDATE students SET given_name = 'Someone' WHERE local_id = 'S1004'")
    with pytest.raises(DatabaseError, match=GUARD):
        store.db["students"].insert({"local_id": "S7777", "given_name": "Ghost", "family_name": "Student"})
    assert store.student("S1004").given_name == "Marcus" and store.student("S7777") is None
    assert audit_count(store) == entries
    # leaving the school is a deactivation, audited
    assert store.upsert_student(ROSTER[3].model_copy(update={"active": False})) == "updated"
    assert store.student("S1004").active is False
    assert store.history("S1004")[-1].action == AuditAction.ROSTER


@pytest.mark.parametrize("liar", ["S7600", "S1004"], ids=["a-new-student", "a-change"])
def test_a_roster_written_in_batches_is_still_checked_row_by_row(store, monkeypatch, liar):
    """A roster's entries and rows go in a batch at a time, but each row is still checked against its own
    entry: one entry (of a new student, or of a change) saying another name than its row holds, and the
    whole roster is refused, nothing of it kept, nothing left behind on the connection."""
    from advocate_tui.models import Student
    from advocate_tui.store import students as roster_writes

    honest = roster_writes._encode

    def lying(row):
        return honest({**row, "given_name": "Someone"} if row["local_id"] == liar else row)

    new = [Student(local_id=f"S7{n:03d}", given_name=f"Given{n}", family_name="New") for n in range(1200)]
    roster = [*new, ROSTER[3].model_copy(update={"grade": "11"})]
    entries = audit_count(store)
    monkeypatch.setattr(roster_writes, "_encode", lying)
    with pytest.raises(DatabaseError, match=GUARD):
        store.upsert_students(roster)
    assert store.student("S7000") is None and store.student("S1004").grade == "12"
    assert audit_count(store) == entries
    assert store.db.execute("SELECT count(*) FROM sqlite_temp_master").fetchone()[0] == 0
    monkeypatch.setattr(roster_writes, "_encode", honest)
    assert store.upsert_students(roster) == {"added": 1200, "updated": 1, "unchanged": 0}
    assert store.student("S7600").given_name == "Given600" and store.student("S1004").grade == "11"
    assert audit_count(store) == entries + 1201


# --- the store's own methods --------------------------------------------------------------------


@pytest.mark.parametrize("index, change", [
    (REFERRAL, {"reason": "Something else entirely"}),
    (REFERRAL, {"students": ["S1004"]}),
    (REFERRAL, {"voided": True, "void_reason": "quietly"}),
    (REFERRAL, {"amended": True}),
    (INCIDENT, {"description": "rewritten"}),
    (INCIDENT, {"follow_up_date": None}),
    (ATTENDANCE, {"note": "rewritten"}),
    (ATTENDANCE, {"cause": "rewritten"}),
    (PATROL, {"zone": "South wing"}),
    (CONTACT, {"note": "rewritten"}),
], ids=lambda v: v if isinstance(v, int) else "-".join(v))
def test_a_change_of_status_cant_rewrite_other_fields(store, index, change):
    saved = store.add(sample_records()[index])
    entries = audit_count(store)
    with pytest.raises(StoreError, match="change of status can't change the " + sorted(change)[0]):
        store.set_status(saved.model_copy(update=change), note="just a status change")
    assert store.get(type(saved), saved.id) == saved
    assert audit_count(store) == entries


def test_a_change_of_status_changes_status_fields(store):
    referral = store.add(sample_records()[REFERRAL])
    handed = store.set_status(referral.model_copy(update={
        "status": ReferralStatus.HANDED_OFF, "handoff_id": "h1", "handed_off_at": NOW}), action=AuditAction.HANDOFF)
    accepted = store.set_status(handed.model_copy(update={
        "status": ReferralStatus.ACCEPTED, "accepted_at": NOW, "facilitator": "Ms. Lee"}), note="accepted")
    assert store.get(Referral, referral.id) == accepted and not accepted.amended
    assert [h.action for h in store.history(referral.id)] == ["create", "handoff", "status"]
    follow_up = store.add(sample_records()[ATTENDANCE])
    done = store.set_status(follow_up.model_copy(update={"status": FollowUpStatus.RESOLVED, "resolved_at": NOW}))
    assert store.get(AttendanceFollowUp, follow_up.id) == done and done.status is FollowUpStatus.RESOLVED
    rnd = store.add(sample_records()[PATROL].model_copy(update={"finished_at": None}))
    assert store.set_status(rnd.model_copy(update={"finished_at": NOW.add(minutes=30)})).finished_at is not None
    with pytest.raises(StoreError, match="status or handoff"):
        store.set_status(accepted.model_copy(update={"closed_at": NOW}), action=AuditAction.IMPORT)
    assert store.get(PatrolRound, rnd.id).finished_at == NOW.add(minutes=30)


def test_the_store_decides_who_saved_a_record_and_when(store):
    incident = sample_records()[INCIDENT]
    entries = audit_count(store)
    for claimed in ({"created_at": NOW.subtract(years=1)}, {"created_by": "principal"},
                    {"created_at": NOW, "created_by": "ms.rivera"}):
        with pytest.raises(StoreError, match="author and time of saving"):
            store.add(incident.model_copy(update=claimed))
    with pytest.raises(TypeError):
        store.add(incident, by="principal")  # there is no "by": the desk's user is the author
    assert store.get(Incident, incident.id) is None and audit_count(store) == entries
    saved = store.add(incident)
    assert (saved.created_by, saved.created_at) == ("ms.rivera", NOW)
    [entry] = store.history(saved.id)
    assert (entry.by, entry.at) == ("ms.rivera", NOW)
    # an amendment keeps them, whatever the amended copy says
    fixed = store.amend(saved.model_copy(update={"location": "Gym", "created_by": "principal",
                                                 "created_at": NOW.subtract(years=1)}))
    assert (fixed.created_by, fixed.created_at, fixed.location) == ("ms.rivera", NOW, "Gym")
    assert store.get(Incident, saved.id) == fixed
    # an amendment is not a void in disguise
    amended = store.amend(fixed.model_copy(update={"voided": True, "void_reason": "gone", "location": "Library"}))
    assert not amended.voided and not store.get(Incident, saved.id).voided


def test_an_import_keeps_the_other_desks_author_and_time_and_says_import(store):
    theirs = sample_records()[REFERRAL].model_copy(update={"created_by": "front-desk",
                                                            "created_at": NOW.subtract(hours=3)})
    saved = store.import_record(theirs, note="handoff 2026-11-23 #1 from LHS")
    assert (saved.created_by, saved.created_at) == ("front-desk", NOW.subtract(hours=3))
    newer = saved.model_copy(update={"reason": "Ongoing conflict, now in class too", "amended": True})
    store.import_record(newer, note="handoff 2026-11-24 #1 from LHS")
    back = store.get(Referral, saved.id)
    assert (back.reason, back.amended, back.created_by) == ("Ongoing conflict, now in class too", True, "front-desk")
    assert [(h.action, h.by) for h in store.history(saved.id)] == [("import", "ms.rivera"), ("import", "ms.rivera")]


# --- a guard removed or changed outside the app -------------------------------------------------


def _tamper(path, how: str, name: str = "incidents_update_audited", table: str = "incidents") -> None:
    """Drop a trigger with another program, or put a do-nothing one in its place."""
    conn = sqlite3.connect(path)
    conn.execute(f"DROP TRIGGER {name}")
    if how == "changed":
        conn.execute(f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} WHEN 0 BEGIN SELECT 1; END")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("how, name, table", [
    ("missing", "incidents_update_audited", "incidents"), ("changed", "incidents_update_audited", "incidents"),
    ("missing", "students_never_deleted", "students"), ("changed", "incidents_never_deleted", "incidents"),
    ("missing", "audit_append_only_d", "audit"),
])
def test_a_removed_or_changed_guard_is_noticed_at_open_and_put_back(path, how, name, table):
    s = open_store(path)
    s.upsert_students(ROSTER)
    incident = s.add(sample_records()[INCIDENT])
    s.close()
    _tamper(path, how, name, table)

    looked = Store.open(path, tz=TZ, now=lambda: NOW, user="ms.rivera", migrate=False)
    assert looked.guard_warning.count("\n") == 0 and f"{name} ({how})" in looked.guard_warning
    looked.close()

    s = open_store(path)  # opening to work: put back, with an audit entry naming it
    try:
        assert f"{name} ({how})" in s.guard_warning
        assert guards.trigger_problems(s.db) == {}
        entry = s.audit_trail()[-1]
        assert entry.action == AuditAction.RESTORE and name in entry.note and entry.by == "ms.rivera"
        with pytest.raises(DatabaseError, match=GUARD):
            s.db.execute("UPDATE incidents SET description = 'x' WHERE id = ?", [incident.id])
        with pytest.raises(DatabaseError, match="never deleted"):
            s.db.execute("DELETE FROM incidents WHERE id = ?", [incident.id])
        with pytest.raises(DatabaseError, match="never deleted"):
            s.db.execute("DELETE FROM students WHERE local_id = 'S1004'")
        with pytest.raises(DatabaseError, match="append-only"):
            s.db.execute("DELETE FROM audit")
    finally:
        s.close()
    again = open_store(path)
    assert again.guard_warning == "" and again.get(Incident, incident.id) == incident
    again.close()


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "advocate_tui", *args], capture_output=True, text=True,
                          env={**os.environ}, timeout=120, stdin=subprocess.DEVNULL)


def test_check_says_when_a_guard_is_missing_and_exits_non_zero(path, profile, clock):
    Desk.open(path, profile, clock=clock).close()
    _tamper(path, "missing")
    before = path.read_bytes()
    proc = run("check", "--db", str(path))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "audit guards: incidents_update_audited MISSING" in proc.stdout
    [line] = proc.stderr.splitlines()
    assert line.startswith("advocate: ") and "guard trigger" in line and "Traceback" not in proc.stderr
    assert path.read_bytes() == before  # check only reads
    # any command that opens it to work puts it back and says so in one line; check then passes,
    # and remembers it happened
    proc = run("backup", "--db", str(path))
    assert proc.returncode == 0, proc.stderr
    [warning] = proc.stderr.splitlines()
    assert warning.startswith("advocate: warning: ") and "incidents_update_audited (missing)" in warning
    assert "back in place" in warning
    proc = run("check", "--db", str(path))
    assert proc.returncode == 0, proc.stderr
    guards = next(ln for ln in proc.stdout.splitlines() if ln.startswith("audit guards:"))
    assert guards.startswith("audit guards: ok (found missing and put back 1 time(s)")
    assert "incidents_update_audited" in guards


async def test_the_app_shows_the_guard_warning_at_start(path, profile, clock):
    from advocate_tui.app import AdvocateApp

    Desk.open(path, profile, clock=clock).close()
    _tamper(path, "changed")
    desk = Desk.open(path, profile, clock=clock)
    app = AdvocateApp(desk)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            shown = [n.message for n in app._notifications]
            assert any("incidents_update_audited (changed)" in m and "back in place" in m for m in shown), shown
    finally:
        desk.close()


# --- the guards cover every column, in every copy -----------------------------------------------


def test_the_guards_know_every_column_of_every_record_and_student():
    """A new field needs its column in the guards (a migration calling guards.install_guards): the
    guard of each table compares exactly the model's fields, booleans and lists as the entry has them."""
    from advocate_tui.models import RECORD_TYPES, Student
    from advocate_tui.store.rows import json_fields, table_of

    models = {table_of(cls): cls for cls in RECORD_TYPES.values()} | {"students": Student}
    assert set(models) == set(schema.GUARDED)
    for table, model in models.items():
        guard = schema.GUARDED[table]
        fields = model.model_fields
        assert set(guard.json) == json_fields(model), table
        assert set(guard.booleans) == {n for n, f in fields.items() if f.annotation in (bool, bool | None)}, table


def test_a_plain_export_and_an_encrypted_copy_keep_the_guards(store, tmp_path):
    from advocate_tui.store import files

    store.add(sample_records()[INCIDENT])
    for name, encrypted in (("plain.db", False), ("copy.db", True)):
        out = files.export_copy(store.db.conn, tmp_path / name, source_encrypted=encrypted,
                                passphrase="another long passphrase" if encrypted else None)
        copy = Store.open(out, tz=TZ, now=lambda: NOW, passphrase="another long passphrase" if encrypted else None,
                          create=False, migrate=False)
        try:
            assert copy.guard_warning == "" and guards.trigger_problems(copy.db) == {}
            with pytest.raises(DatabaseError, match=GUARD):
                copy.db.execute("UPDATE incidents SET description = 'x'")
        finally:
            copy.close()
