"""A start reads an up-to-date school file without sqlite-utils (with click and pluggy, ~0.1 s of every
start): the store imports it when it first writes. The reads answer as sqlite-utils' would, and the
first write, and every one after it, goes through sqlite-utils, audit guards and all."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pendulum
import pytest

from advocate_tui.models import Incident, IncidentStudent, Level, Student, StudentRole
from advocate_tui.store import Store
from advocate_tui.store.engine import DatabaseError
from advocate_tui.store.lazydb import LazyDatabase

TZ = "America/Chicago"
NOW = pendulum.datetime(2026, 11, 23, 10, 45, tz=TZ)
KEY = "correct horse battery staple"


def _school(path) -> str:
    """An encrypted school file with a student and an incident of today; the incident's id."""
    store = Store.open(path, tz=TZ, passphrase=KEY, now=lambda: NOW)
    store.upsert_students([Student(local_id="S1001", given_name="Ana", family_name="Garcia", grade="09")])
    incident = store.add(Incident(occurred_at=NOW, location="Hallway", behavior="Tardy", level=Level.MINOR,
                                  students=[IncidentStudent(student_id="S1001",
                                                                                     role=StudentRole.RESPONSIBLE)]))
    store.close()
    return incident.id


def test_a_start_reads_an_up_to_date_file_without_sqlite_utils_and_its_first_write_is_audited(tmp_path):
    path = tmp_path / "school.db"
    incident_id = _school(path)
    script = textwrap.dedent(f"""
        import json, sys
        import pendulum
        from advocate_tui.models import Incident
        from advocate_tui.store import Store
        now = pendulum.datetime(2026, 11, 23, 11, 0, tz="America/Chicago")
        store = Store.open({str(path)!r}, tz="America/Chicago", passphrase={KEY!r}, now=lambda: now)
        seen = {{"students": [s.display_name for s in store.find_students("ana")],
                 "today": [i.id for i in store.on_day(Incident, now.date())],
                 "history": [e.action.value for e in store.history({incident_id!r})],
                 "read_without": "sqlite_utils" not in sys.modules and "click" not in sys.modules}}
        incident = store.get(Incident, {incident_id!r})
        store.void(Incident, incident.id, "logged twice")
        seen["wrote_with"] = "sqlite_utils" in sys.modules
        try:
            store.db.execute("UPDATE incidents SET location = 'Gym' WHERE id = ?", [incident.id])
        except Exception as exc:
            seen["refused"] = str(exc)
        print(json.dumps(seen))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["students"] == ["Ana Garcia"] and seen["today"] == [incident_id]
    assert seen["history"] == ["create"]
    assert seen["read_without"], "opening and reading an up-to-date file imported sqlite-utils"
    assert seen["wrote_with"]
    assert "audit" in seen["refused"]  # the guard triggers still refuse an unaudited change
    store = Store.open(path, tz=TZ, passphrase=KEY)
    assert store.get(Incident, incident_id).voided
    assert [e.action.value for e in store.history(incident_id)] == ["create", "void"]
    store.close()


@pytest.fixture
def two_views(tmp_path):
    """The same file through a fresh LazyDatabase and through sqlite-utils' own Database."""
    from sqlite_utils import Database

    path = tmp_path / "school.db"
    _school(path)
    store = Store.open(path, tz=TZ, passphrase=KEY)
    other = Store.open(path, tz=TZ, passphrase=KEY)
    lazy, full = store.db, Database(other.db.conn)
    assert isinstance(lazy, LazyDatabase) and not lazy.made
    yield lazy, full
    store.close()
    other.close()


def test_reads_answer_as_sqlite_utils_does(two_views):
    lazy, full = two_views
    plain = ("SELECT local_id, given_name FROM students", "SELECT * FROM incidents", "PRAGMA user_version")
    for sql in plain:
        assert lazy.execute(sql).fetchall() == full.execute(sql).fetchall(), sql
    assert list(lazy.query(plain[0])) == list(full.query(plain[0]))
    assert list(lazy.query("SELECT * FROM students WHERE local_id = ?", ["S1001"])) == list(
        full.query("SELECT * FROM students WHERE local_id = ?", ["S1001"]))
    assert lazy.table_names() == full.table_names()
    assert not lazy.made  # plain reads never needed sqlite-utils
    # what sqlite-utils does its own way: repeated column names renamed, rows of a PRAGMA
    for sql in ("SELECT i.id, s.local_id AS id, s.given_name FROM incidents i, students s",
                "PRAGMA table_info(students)"):
        assert list(lazy.query(sql)) == list(full.query(sql)), sql
    with pytest.raises(ValueError):  # not a read: refused as sqlite-utils refuses it
        lazy.query("DELETE FROM meta")
    with pytest.raises(DatabaseError):
        lazy.execute("SELECT * FROM no_such_table")


def test_a_write_outside_a_transaction_is_committed_as_with_sqlite_utils(two_views):
    lazy, full = two_views
    lazy.execute("INSERT INTO meta (key, value) VALUES ('lazy.test', 'kept')")
    assert lazy.made and not lazy.conn.in_transaction
    assert full.execute("SELECT value FROM meta WHERE key = 'lazy.test'").fetchone() == ("kept",)
    assert lazy["meta"].count == full["meta"].count  # tables are sqlite-utils' own

