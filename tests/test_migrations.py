"""Schema migrations: a new file comes up to date, an older file is upgraded with its data, a failing
migration changes nothing and is tried again next time."""

from __future__ import annotations

import json

import pendulum
import pytest
from sqlite_utils import Migrations

from advocate_tui.models import ContactNote, Incident, IncidentStudent, Referral, Student
from advocate_tui.store import LATEST_VERSION, Store, StoreError, guards, schema
from advocate_tui.store.engine import APPLICATION_ID, DatabaseError

TZ = "America/Chicago"
NOW = pendulum.datetime(2026, 11, 23, 10, 45, tz=TZ)
ROSTER = [
    Student(local_id="S1001", given_name="Ana", family_name="Garcia", grade="09"),
    Student(local_id="S1003", given_name="Zoë", family_name="Okafor", preferred_name="Zo", grade="10"),
]
M002 = "m002_indexes_and_drafts"
#: the real migrations' count (the fixture below adds one after them)
BASE = LATEST_VERSION


def open_store(path, **kwargs) -> Store:
    return Store.open(path, tz=TZ, now=lambda: NOW, **kwargs)


def applied(store: Store) -> list[str]:
    return [m.name for m in schema.migrations.applied(store.db)]


def indexes(store: Store) -> set[str]:
    """The app's own indexes (not sqlite-utils' index on its migrations table)."""
    rows = store.db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx%' "
                            "AND tbl_name != '_sqlite_migrations'")
    return {r[0] for r in rows}


def user_version(store: Store) -> int:
    return store.db.execute("PRAGMA user_version").fetchone()[0]


@pytest.fixture
def path(tmp_path):
    return tmp_path / "advocate.db"


def test_there_are_migrations_and_latest_version_counts_them():
    names = [m.name for m in schema.migrations._migrations]
    assert names[:2] == ["m001_records", M002]
    assert LATEST_VERSION == len(names) >= 2


def test_migrations_run_in_the_order_of_their_numbers():
    """sqlite-utils applies migrations in the order they are declared, and user_version counts them: a
    migration declared out of its number's place (m009 above an m007 merged in later) would run first on a
    new file and last on an older one. Numbers may skip (work merged in another order) but never go back."""
    numbers = [int(m.name[1:4]) for m in schema.migrations._migrations]
    assert all(m.name[0] == "m" and m.name[4] == "_" for m in schema.migrations._migrations)
    assert numbers == sorted(set(numbers))


def test_an_empty_file_is_brought_to_the_latest_version(path):
    path.touch(mode=0o600)
    store = open_store(path)
    try:
        assert store.version == user_version(store) == LATEST_VERSION
        assert applied(store) == [m.name for m in schema.migrations._migrations]
        assert store.db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert {"students", "incidents", "referrals", "audit", "drafts"} <= set(store.db.table_names())
        assert "idx_incidents_day" in indexes(store)
        assert store.integrity_check() == []
    finally:
        store.close()


def test_reopening_an_up_to_date_file_applies_nothing_again(path):
    open_store(path).close()
    store = open_store(path)
    try:
        assert store.db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == LATEST_VERSION
        assert store.version == LATEST_VERSION
    finally:
        store.close()


def as_of_that_version(monkeypatch):
    """The code of that older version wrote only the columns its tables had (columns added later,
    such as a follow-up's end or a referral's roles, were not there yet), and its audit entries said
    only those (the audit guards of that version compare the two)."""
    from advocate_tui.store import core

    real = core.snapshot_and_row

    def older(record, tz):
        entry, row = real(record, tz)
        table = core.table_of(record)
        if table not in old_columns:
            return entry, row
        after = {k: v for k, v in json.loads(entry).items() if k in old_columns[table]}
        return (json.dumps(after, ensure_ascii=False, sort_keys=True),
                {k: v for k, v in row.items() if k in old_columns[table]})

    old_columns: dict[str, set[str]] = {}
    monkeypatch.setattr(core, "snapshot_and_row", older)
    return old_columns


def test_a_file_from_the_previous_version_is_upgraded_with_its_data(path, monkeypatch):
    columns = as_of_that_version(monkeypatch)
    old = open_store(path, migrate=False)
    assert old.migrate(stop_before=M002) == 1
    assert old.version == 1 and applied(old) == ["m001_records"]
    assert "drafts" not in old.db.table_names() and indexes(old) == set()
    columns.update({t: set(old.db[t].columns_dict) for t in ("incidents", "contact_notes")})
    old.upsert_students(ROSTER)
    incident = old.add(Incident(occurred_at=NOW, location="Gym", behavior="Defiance",
                                students=[{"student_id": "S1003", "role": "harmed"}]))
    note = old.add(ContactNote(student_id="S1001", at=NOW, note="Checked in after lunch"))
    old.amend(incident.model_copy(update={"location": "Gym hallway"}))
    old.close()
    monkeypatch.undo()

    store = open_store(path)
    try:
        assert store.version == user_version(store) == LATEST_VERSION
        assert applied(store)[:2] == ["m001_records", M002]
        # the data is all still there
        assert store.get(Incident, incident.id).location == "Gym hallway"
        assert store.get(ContactNote, note.id) == note
        assert [s.local_id for s in store.find_students("zoe")] == ["S1003"]
        assert [h.action for h in store.history(incident.id)] == ["create", "amend"]
        assert [r.id for r, _ in store.student_records("S1003")] == [incident.id]
        # and what the new version added is there
        assert "drafts" in store.db.table_names()
        assert {"idx_incidents_day", "idx_referrals_status", "idx_record_students_student",
                "idx_audit_record"} <= indexes(store)
        plan = " ".join(str(r) for r in store.db.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM incidents WHERE day = '2026-11-23'").fetchall())
        assert "idx_incidents_day" in plan
        assert store.integrity_check() == []
    finally:
        store.close()


# --- a failing migration ----------------------------------------------------------------------


@pytest.fixture
def with_a_third_migration(monkeypatch):
    """The real migrations plus a third one whose body the test decides (as a future release would add)."""
    body = {"fn": None}
    migrations = Migrations(schema.migrations.name)
    for m in schema.migrations._migrations:
        migrations(name=m.name)(m.fn)

    @migrations(name="m003_circles")
    def m003_circles(db):
        body["fn"](db)

    monkeypatch.setattr(schema, "migrations", migrations)
    monkeypatch.setattr(schema, "LATEST_VERSION", len(migrations._migrations))
    return body


def test_a_failing_migration_rolls_back_and_stays_pending(path, with_a_third_migration):
    # a file at today's latest version, with data in it
    store = open_store(path, migrate=False)
    store.migrate(stop_before="m003_circles")
    store.upsert_students(ROSTER)
    note = store.add(ContactNote(student_id="S1001", at=NOW, note="Checked in"))
    store.close()

    def broken(db):
        db.execute("CREATE TABLE circles (id TEXT PRIMARY KEY)")
        db.execute("INSERT INTO students (local_id, given_name, family_name) VALUES ('S9', 'Half', 'Done')")
        db.execute("ALTER TABLE no_such_table ADD COLUMN facilitator TEXT")

    with_a_third_migration["fn"] = broken
    with pytest.raises(StoreError) as info:
        open_store(path)
    message = str(info.value)
    assert str(path) in message and f"schema {BASE + 1}" in message and "left unchanged" in message and "\n" not in message

    # nothing of the failed migration is left, and it is still pending
    store = open_store(path, migrate=False)
    try:
        assert store.version == BASE
        assert [m.name for m in schema.migrations.pending(store.db)] == ["m003_circles"]
        assert "circles" not in store.db.table_names()
        assert store.student("S9") is None
        assert store.get(ContactNote, note.id) == note
    finally:
        store.close()

    # once fixed, the next start applies it
    with_a_third_migration["fn"] = lambda db: db.execute("CREATE TABLE circles (id TEXT PRIMARY KEY)")
    store = open_store(path)
    try:
        assert store.version == BASE + 1 and schema.migrations.pending(store.db) == []
        assert "circles" in store.db.table_names()
        assert store.get(ContactNote, note.id) == note
    finally:
        store.close()


def test_a_migration_that_raises_is_a_readable_error_too(path, with_a_third_migration):
    store = open_store(path, migrate=False)
    store.migrate(stop_before="m003_circles")
    store.close()

    def fails(db):
        raise RuntimeError("disk full")

    with_a_third_migration["fn"] = fails
    with pytest.raises(StoreError, match="disk full"):
        open_store(path)
    store = open_store(path, migrate=False)
    try:
        assert store.version == BASE and [m.name for m in schema.migrations.pending(store.db)] == ["m003_circles"]
    finally:
        store.close()


def test_an_older_coordinators_database_serving_one_school_has_its_records_marked_that_schools(path):
    """m009: a coordinator's database of the previous version served one school (nothing could mix): its
    records are marked as that school's, so the views and reports per school find them."""
    from advocate_tui.store.keys import TrustedKey

    old = open_store(path, migrate=False)
    old.migrate(stop_before="m009_schools_and_replies")
    old.upsert_students(ROSTER)
    old.set_meta("desk.role", "coordinator")
    old.add_trusted_key(TrustedKey(fingerprint="F" * 4, public_key="k", kind="handoff", party="cedar-hollow-hs"))
    incident = old.add(Incident(occurred_at=NOW, location="Gym", behavior="Defiance",
                                students=[{"student_id": "S1001", "role": "responsible"}]))
    old.close()
    store = open_store(path)
    try:
        assert store.record_schools("incident", [incident.id]) == {incident.id: "cedar-hollow-hs"}
        assert store.student("S1001").school is None  # its number stays as it was until a bundle brings it again
    finally:
        store.close()


def test_search_keys_of_an_older_file_are_rebuilt_so_given_then_family_ranks_first(path):
    """Before m008 a search key was just the words (' s2001 milena ivanova '): 'ivan m' found Milena
    Ivanova first. The migration rebuilds every key (past the audit guards of m005, the key being
    derived); the look-up then ranks Iván Martínez first."""
    old = open_store(path, migrate=False)
    old.migrate(stop_before="m005_audit_guards")
    old.upsert_students([Student(local_id="S2001", given_name="Milena", family_name="Ivanova", grade="11"),
                         Student(local_id="S2002", given_name="Iván", family_name="Martínez", grade="10")])
    old.db.execute("UPDATE students SET search_key = ? WHERE local_id = 'S2001'", [" s2001 milena ivanova "])
    old.db.execute("UPDATE students SET search_key = ? WHERE local_id = 'S2002'", [" s2002 ivan martinez "])
    old.db.conn.commit()
    old.close()

    store = open_store(path)
    try:
        assert store.version == LATEST_VERSION
        assert [s.local_id for s in store.find_students("ivan m")] == ["S2002", "S2001"]
        assert [s.local_id for s in store.find_students("iván")] == ["S2002", "S2001"]
        assert store.integrity_check() == []
    finally:
        store.close()


def test_referrals_of_an_older_file_gain_roles_the_guards_cover(path, monkeypatch):
    """A referral saved before m007 had no roles; after the upgrade it reads with none, and an amend
    that gives roles is let through by the audit guards (made again over the new column) and kept."""
    columns = as_of_that_version(monkeypatch)
    old = open_store(path, migrate=False)
    old.migrate(stop_before="m007_referral_roles")
    columns["referrals"] = set(old.db["referrals"].columns_dict)
    assert "roles" not in columns["referrals"]
    old.upsert_students(ROSTER)
    referral = old.add(Referral(referred_at=NOW, students=["S1001", "S1003"], destination="Coordinator",
                                reason="Conflict at lunch"))
    old.close()
    monkeypatch.undo()

    store = open_store(path)
    try:
        assert store.version == LATEST_VERSION
        assert guards.guards_put_back(store.db) == []  # the migration made them, not the repair at open
        kept = store.get(Referral, referral.id)
        assert kept.reason == "Conflict at lunch" and kept.roles == []
        store.amend(kept.model_copy(update={"roles": [IncidentStudent(student_id="S1003", role="harmed")]}))
        assert store.get(Referral, referral.id).role_of("S1003").value == "harmed"
        assert store.integrity_check() == []
    finally:
        store.close()


def test_a_file_that_has_m009_and_m010_but_not_m007_and_m008_is_brought_up_to_date(path, monkeypatch):
    """m009 and m010 were released before m007 and m008 were merged in: a school's file made then gets
    m007 and m008 after them (sqlite-utils applies what is missing by name). Its referrals and
    students are kept, the guards cover the new column (made by the migrations, not the repair at
    open), and the look-up ranks as m008 says."""
    released = Migrations(schema.migrations.name)
    for m in schema.migrations._migrations:
        if m.name not in ("m007_referral_roles", "m008_search_key_parts"):
            released(name=m.name)(m.fn)
    monkeypatch.setattr(schema, "migrations", released)
    monkeypatch.setattr(schema, "LATEST_VERSION", len(released._migrations))
    columns = as_of_that_version(monkeypatch)
    old = open_store(path)
    columns["referrals"] = set(old.db["referrals"].columns_dict)
    assert "roles" not in columns["referrals"] and "processes" in old.db.table_names()
    old.upsert_students([Student(local_id="S2001", given_name="Milena", family_name="Ivanova", grade="11"),
                         Student(local_id="S2002", given_name="Iván", family_name="Martínez", grade="10")])
    referral = old.add(Referral(referred_at=NOW, students=["S2001", "S2002"], destination="Coordinator",
                                reason="Conflict at lunch"))
    old.close()
    monkeypatch.undo()

    store = open_store(path)
    try:
        assert store.version == user_version(store) == LATEST_VERSION
        assert applied(store)[-2:] == ["m007_referral_roles", "m008_search_key_parts"]
        assert guards.guards_put_back(store.db) == [] and guards.trigger_problems(store.db) == {}
        kept = store.get(Referral, referral.id)
        assert kept.roles == []
        store.amend(kept.model_copy(update={"roles": [IncidentStudent(student_id="S2001", role="harmed")]}))
        assert store.get(Referral, referral.id).role_of("S2001").value == "harmed"
        assert [s.local_id for s in store.find_students("ivan m")] == ["S2002", "S2001"]
        assert store.integrity_check() == []
    finally:
        store.close()


def test_an_older_files_open_follow_ups_are_counted_from_the_new_index(path):
    """m015: the end-of-shift report (in every handoff bundle) counts the open follow-ups due however old,
    voided ones left out. An older file's follow-ups go into the new index at the upgrade, so the count
    reads the index (not each follow-up's row: on an encrypted decade, ~17,000 rows decrypted per report)
    and still gives the same figures: the voided and the ended left out, the earliest due date kept."""
    from datetime import date

    from advocate_tui.store import follow_ups

    old = open_store(path, migrate=False)
    old.migrate(stop_before="m015_follow_ups_due_index")
    old.upsert_students(ROSTER)
    earlier = NOW.subtract(days=30)
    due = [old.add(Incident(occurred_at=earlier.add(days=i), location="Gym", behavior="Defiance",
                            students=[{"student_id": "S1001", "role": "responsible"}],
                            follow_up_date=earlier.add(days=i + 1).date())) for i in range(4)]
    old.void(Incident, due[0].id, "entered twice")
    old.add(Incident(occurred_at=NOW, location="Gym", behavior="Defiance", follow_up_date=date(2026, 12, 10),
                     students=[{"student_id": "S1003", "role": "responsible"}]))  # not due yet
    note = old.add(ContactNote(student_id="S1003", at=earlier, note="Called home", follow_up_date=earlier.date()))
    old.close()

    store = open_store(path)
    try:
        assert store.version == LATEST_VERSION and "m015_follow_ups_due_index" in applied(store)
        assert follow_ups.count_due_by(store, Incident, NOW.date()) == (3, due[1].follow_up_date)
        assert follow_ups.count_due_by(store, ContactNote, NOW.date()) == (1, note.follow_up_date)
        assert [r.id for r in follow_ups.due_by(store, Incident, NOW.date(), latest=2)] == [due[2].id, due[3].id]
        for table in ("incidents", "contact_notes"):
            plan = " ".join(str(r) for r in store.db.execute(
                f"EXPLAIN QUERY PLAN SELECT COUNT(*), MIN(follow_up_date) FROM {table} WHERE "
                f"{follow_ups._DUE_BY} AND voided = 0", ["2026-11-23"]).fetchall())
            assert f"idx_{table}_follow_up_due" in plan
        assert store.integrity_check() == []
    finally:
        store.close()


def test_an_older_files_search_keys_find_oconnor_and_lukasz_after_the_upgrade(path):
    """m016: before it a search key held "o'connor" and 'łukasz' as they are, so 'oconnor' and 'lukasz'
    found nobody. The upgrade rewrites every key (past the audit guards, the key being derived); then
    both are found, by the roster in memory and by SQL alike, and the audit trail still checks."""
    old = open_store(path, migrate=False)
    old.migrate(stop_before="m016_search_key_plain_letters")
    old.upsert_students([Student(local_id="S2011", given_name="Siobhan", family_name="O'Connor", grade="10"),
                         Student(local_id="S2012", given_name="Łukasz", family_name="Nowak", grade="11"),
                         Student(local_id="S2013", given_name="Søren", family_name="Þórsson", grade="9",
                                 active=False)])
    # the keys as the code before m016 wrote them (this code writes the new ones): the update guard
    # lifted for it as a migration does, and made again
    old.db.execute("DROP TRIGGER students_update_audited")
    for sid, key in [("S2011", " s2011 \x1fg siobhan \x1ff o'connor \x1fp "),
                     ("S2012", " s2012 \x1fg łukasz \x1ff nowak \x1fp "),
                     ("S2013", " s2013 \x1fg søren \x1ff þorsson \x1fp ")]:
        old.db.execute("UPDATE students SET search_key = ? WHERE local_id = ?", [key, sid])
    guards.install_guards(old.db)
    old.db.conn.commit()
    assert old.find_students("oconnor") == [] and old.find_students("lukasz") == []
    old.close()

    store = open_store(path)
    try:
        assert store.version == LATEST_VERSION and "m016_search_key_plain_letters" in applied(store)
        assert [s.local_id for s in store.find_students("oconnor")] == ["S2011"]
        assert [s.local_id for s in store.find_students("o'c")] == ["S2011"]
        assert [s.local_id for s in store.find_students("lukasz")] == ["S2012"]
        assert [s.local_id for s in store.find_students("soren thorsson", include_inactive=True)] == ["S2013"]
        assert store.integrity_check() == []
        assert guards.guards_put_back(store.db) == [] and guards.trigger_problems(store.db) == {}
        with pytest.raises(DatabaseError, match="audit"):     # the guard is back: a row changed unaudited is refused
            store.db.execute("UPDATE students SET grade = '12' WHERE local_id = 'S2011'")
        assert store.upsert_student(Student(local_id="S2011", given_name="Siobhan", family_name="O'Connor",
                                            grade="11")) == "updated"       # an audited change still goes in
        assert [(s.local_id, s.grade) for s in store.find_students("oconnor")] == [("S2011", "11")]
    finally:
        store.close()
