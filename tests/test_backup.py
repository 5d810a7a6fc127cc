"""Backups (first start of each school day, the last 14 kept, encrypted like the database), restore
(refuses bad files, keeps the current database first, recorded in the audit trail) and check."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE_PROFILE, ROSTER

from advocate_tui.clock import Clock
from advocate_tui.desk import Desk
from advocate_tui.models import AuditAction, ContactNote
from advocate_tui.services import backup, recording
from advocate_tui.store import Store, StoreError

PASS = "correct horse battery"


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "advocate_tui", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120, stdin=subprocess.DEVNULL)


def _note(desk, text: str):
    return recording.save(desk, "contact", {"student": "S1004", "contact_kind": "check_in", "note": text})


@pytest.fixture
def enc_desk(profile, clock, db_path):
    d = Desk.open(db_path, profile, clock=clock, passphrase=PASS)
    d.store.upsert_students(ROSTER)
    yield d
    d.close()


def test_first_start_of_each_day_backs_up_and_keeps_14(desk, profile):
    assert backup.daily_backup(desk) is not None
    assert backup.daily_backup(desk) is None          # a second start the same day: nothing new
    for day in range(1, 20):
        desk.clock = Clock.frozen(profile, f"2026-12-{day:02d} 07:35")
        assert backup.daily_backup(desk) is not None
    kept = backup.list_backups(desk)
    assert len(kept) == 14
    assert kept[0].name.startswith("advocate-20261206-") and kept[-1].name.startswith("advocate-20261219-")
    assert all(p.parent == desk.store.path.parent / "backups" for p in kept)


def test_a_backup_is_complete_and_encrypted_like_the_database(enc_desk):
    _note(enc_desk, "saw the counselor")
    path = backup.make_backup(enc_desk)
    raw = path.read_bytes()
    assert b"Lindqvist" not in raw and b"counselor" not in raw
    copy = Store.open(path, passphrase=PASS, create=False, migrate=False)
    assert copy.counts()["contact_notes"] == 1 and copy.integrity_check() == []
    copy.close()
    with pytest.raises(StoreError):
        Store.open(path, create=False)


def test_backup_while_another_desk_writes(desk):
    other = desk.store.reopen()
    with other.transaction():
        other.set_meta("note", "mid-transaction")
        path = backup.make_backup(desk)   # online: does not wait for, or include, the open write
    other.close()
    assert Store.open(path, create=False).get_meta("note") is None


def test_restore_brings_back_the_backup_and_keeps_the_current_one(enc_desk):
    _note(enc_desk, "before the backup")
    saved = backup.make_backup(enc_desk)
    _note(enc_desk, "after the backup")
    kept = backup.restore(enc_desk, saved)
    assert sorted(n.note for n in enc_desk.store.select(ContactNote)) == ["before the backup"]
    trail = [e for e in enc_desk.store.audit_trail(limit=10_000) if e.action == AuditAction.RESTORE]
    assert len(trail) == 1 and saved.name in trail[0].note
    before = Store.open(kept, passphrase=PASS, create=False, migrate=False)
    assert sorted(n.note for n in before.select(ContactNote)) == ["after the backup", "before the backup"]
    before.close()
    # the restored database keeps working: a new save, seen by a second connection
    _note(enc_desk, "after the restore")
    twin = enc_desk.store.reopen()
    assert len(twin.select(ContactNote)) == 2
    twin.close()


def _bad_files(tmp_path, desk):
    text = tmp_path / "notes.db"
    text.write_text("not a database at all\n")
    other = tmp_path / "other-app.db"
    conn = sqlite3.connect(other)
    conn.execute("create table t (x)")
    conn.commit()
    conn.close()
    good = backup.make_backup(desk)
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(good.read_bytes()[: 3 * 4096 + 100])
    newer = tmp_path / "newer.db"
    newer.write_bytes(good.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    return [text, other, truncated, newer, empty]


def test_restore_refuses_what_is_not_a_sound_advocate_database(desk, tmp_path):
    _note(desk, "keep me")
    bad = _bad_files(tmp_path, desk)
    backups_before = backup.list_backups(desk)
    for path in bad:
        before = path.read_bytes()
        with pytest.raises(StoreError) as exc:
            backup.restore(desk, path)
        assert "\n" not in str(exc.value)
        assert path.read_bytes() == before, path
    assert [n.note for n in desk.store.select(ContactNote)] == ["keep me"]
    assert backup.list_backups(desk) == backups_before    # nothing kept "before restore": nothing restored


def test_cli_backup_check_restore(desk, tmp_path):
    _note(desk, "one")
    db = str(desk.store.path)
    out = tmp_path / "offsite"
    out.mkdir()
    proc = run("backup", "--out", str(out), "--db", db)
    assert proc.returncode == 0, proc.stderr
    [made] = list(out.glob("*.db"))
    proc = run("check", "--db", db)
    assert proc.returncode == 0
    assert "integrity: ok" in proc.stdout and "schema: " in proc.stdout and "contact_notes: 1" in proc.stdout
    _note(desk, "two")
    desk.close()
    proc = run("restore", str(made), "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert "kept in" in proc.stdout
    store = Store.open(db)
    assert [n.note for n in store.select(ContactNote)] == ["one"]
    store.close()
    bogus = tmp_path / "bogus.db"
    bogus.write_text("nope")
    proc = run("restore", str(bogus), "--db", db)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_first_start_from_the_command_line_encrypts_and_backs_up(tmp_path, monkeypatch):
    """``advocate --db PATH`` at first start: an encrypted database, today's backup; a second start
    the same day makes no second backup."""
    from advocate_tui.app import AdvocateApp
    from advocate_tui.cli import main

    started = []
    monkeypatch.setattr(AdvocateApp, "run", lambda self, *a, **k: started.append(self.desk.store.path))
    pfile = tmp_path / "pass.txt"
    pfile.write_text(PASS + "\n")
    db = tmp_path / "school" / "advocate.db"
    assert main(["--db", str(db), "--passphrase-file", str(pfile), "--profile", EXAMPLE_PROFILE]) == 0
    assert main(["--db", str(db), "--passphrase-file", str(pfile)]) == 0   # the profile was kept at first start
    assert started == [db, db]
    assert not db.read_bytes().startswith(b"SQLite format 3")
    [made] = list((db.parent / "backups").glob("advocate-*.db"))
    assert not made.read_bytes().startswith(b"SQLite format 3")
    Store.open(made, passphrase=PASS, create=False, migrate=False).close()


def test_a_failed_daily_backup_warns_but_does_not_stop_the_desk(desk, capsys):
    import argparse

    from advocate_tui.cli.data_cmds import start_of_day

    (desk.store.path.parent / "backups").write_text("a file where the folder should be")
    start_of_day(desk, argparse.Namespace(new_pin=None))
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert [x for x in lines if "backup failed" in x] == [lines[0]] and lines[0].startswith("advocate: warning:")
    assert lines[1:] == [f"advocate: warning: {desk.store.path} is NOT encrypted; 'advocate rekey' encrypts it"]
    assert "backup failed" in desk.extras["backup_warning"]


def _other_db(profile, clock, tmp_path, name, *, school=None, demo=False, passphrase=None):
    d = Desk.open(tmp_path / name, profile, clock=clock, passphrase=passphrase)
    d.store.upsert_students(ROSTER)
    _note(d, f"from {name}")
    backup.ensure_identity(d)
    if school:
        d.store.set_meta(backup.SCHOOL_KEY, school)
    if demo:
        d.store.set_meta(backup.DEMO_KEY, "2026")
    d.close()
    return tmp_path / name


def test_restore_refuses_another_schools_database_unless_forced(desk, profile, clock, tmp_path):
    _note(desk, "ours")
    backup.ensure_identity(desk)
    own = backup.make_backup(desk)
    demo_db = _other_db(profile, clock, tmp_path, "demo.db", demo=True)
    other = _other_db(profile, clock, tmp_path, "other.db", school="lincoln-high")
    same_name = _other_db(profile, clock, tmp_path, "stranger.db")   # same school name, another database
    for path, why in [(demo_db, "demo school"), (other, "lincoln-high"), (same_name, "different database")]:
        with pytest.raises(StoreError) as exc:
            backup.restore(desk, path)
        assert "another school" in str(exc.value) and why in str(exc.value)
        assert [n.note for n in desk.store.select(ContactNote)] == ["ours"]
    backup.restore(desk, own)                                          # its own backup: fine
    assert [n.note for n in desk.store.select(ContactNote)] == ["ours"]
    backup.restore(desk, demo_db, force_other_school=True)
    assert [n.note for n in desk.store.select(ContactNote)] == ["from demo.db"]


def test_cli_restore_of_the_demo_into_a_school_database_is_one_line_refusal(desk, profile, clock, tmp_path):
    _note(desk, "ours")
    demo_db = _other_db(profile, clock, tmp_path, "demo.db", demo=True)
    db = str(desk.store.path)
    desk.close()
    proc = run("restore", str(demo_db), "--db", db)
    assert proc.returncode == 1 and "another school" in proc.stderr and "--force-other-school" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    proc = run("restore", str(demo_db), "--db", db, "--force-other-school")
    assert proc.returncode == 0, proc.stderr


def test_a_plain_file_restored_into_an_encrypted_database_is_encrypted(enc_desk, profile, clock, tmp_path):
    _note(enc_desk, "secret one")
    backup.ensure_identity(enc_desk)
    plain = tmp_path / "plain.db"
    backup.export_plain(enc_desk, plain)                     # same school, same uuid, not encrypted
    assert plain.read_bytes().startswith(b"SQLite format 3")
    _note(enc_desk, "secret two")
    backup.restore(enc_desk, plain)
    assert [n.note for n in enc_desk.store.select(ContactNote)] == ["secret one"]
    path = enc_desk.store.path
    enc_desk.close()
    assert not path.read_bytes().startswith(b"SQLite format 3")
    with pytest.raises(StoreError):
        Store.open(path, create=False)
    Store.open(path, passphrase=PASS, create=False).close()


def test_restore_refuses_while_another_desk_has_the_file_open(desk, tmp_path):
    _note(desk, "ours")
    backup.ensure_identity(desk)
    own = backup.make_backup(desk)
    _note(desk, "later")
    other = Store.open(desk.store.path, create=False)          # an app open on the same file
    try:
        other.counts()
        with pytest.raises(StoreError) as exc:
            backup.restore(desk, own)
        assert "open on another desk" in str(exc.value)
    finally:
        other.close()
    assert sorted(n.note for n in desk.store.select(ContactNote)) == ["later", "ours"]


def test_backup_out_ending_in_a_slash_means_into_that_folder(desk, tmp_path):
    folder = tmp_path / "x" / "nope" / "dir"
    made = backup.make_backup(desk, str(folder) + "/")
    assert made.parent == folder and folder.is_dir() and made.name.endswith(".db")
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    named = backup.make_backup(desk, tmp_path / "y" / "copy.db")   # no slash: the file's name
    assert named == tmp_path / "y" / "copy.db" and named.is_file()
    again = backup.make_backup(desk, folder)                        # an existing folder: into it
    assert again.parent == folder


# ------------------------------------------------------------------ QA: two databases in one folder
@pytest.mark.parametrize("ours, theirs", [("school.db", "school-old.db"), ("a.db", "a-b.db"), ("a-b.db", "a.db")])
def test_two_databases_in_one_folder_keep_their_own_backups(tmp_path, profile, capsys, ours, theirs):
    """QA: `advocate backup` of school.db deleted school-old.db's backups and the one it had just written."""
    from advocate_tui.cli import main

    folder = tmp_path / "data"
    desks = {name: Desk.open(folder / name, profile) for name in (ours, theirs)}
    try:
        for day in range(1, 17):  # 16 school days: each database keeps its newest 14
            for d in desks.values():
                d.clock = Clock.frozen(profile, f"2026-12-{day:02d} 07:35")
                assert backup.daily_backup(d) is not None
        before = {name: backup.list_backups(d) for name, d in desks.items()}
        assert [len(v) for v in before.values()] == [14, 14]
        assert main(["backup", "--db", str(folder / ours)]) == 0  # the real clock: any day, before or after
        written = Path(capsys.readouterr().out.split("backup written: ")[1].strip())
        assert written.is_file()
        assert sorted(backup.list_backups(desks[theirs])) == sorted(before[theirs])  # all of theirs survive
        mine = backup.list_backups(desks[ours])
        assert len(mine) == 14 and written in mine
        assert set(mine) - {written} <= set(before[ours])
        on_disk = sorted(p.name for p in (folder / "backups").iterdir())
        assert len(on_disk) == 28 and all(p.is_file() for p in before[theirs])
    finally:
        for d in desks.values():
            d.close()


def test_the_backup_just_written_is_kept_when_the_clock_goes_back(desk, profile):
    for day in range(1, 15):
        desk.clock = Clock.frozen(profile, f"2026-12-{day:02d} 07:35")
        backup.make_backup(desk)
    desk.clock = Clock.frozen(profile, "2026-11-30 07:35")   # a clock set back (or a DST hour repeated)
    made = backup.make_backup(desk)
    kept = backup.list_backups(desk)
    assert made.is_file() and made in kept and len(kept) == 14
    assert not any(p.name.startswith("advocate-20261201-") for p in kept)  # the oldest other one went


def test_only_names_this_app_writes_count_as_backups(desk):
    made = backup.make_backup(desk)
    folder = made.parent
    for name in ("advocate-old-20261123-104500.db", "advocate-20261399-104500.db", "advocate-20261123-1045.db",
                 "advocate-20261123-104500.db.txt", "advocate-notes.db"):
        (folder / name).write_bytes(b"not ours")
    assert backup.list_backups(desk) == [made]
    backup.prune(desk, keep=0)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["advocate-old-20261123-104500.db", "advocate-20261399-104500.db", "advocate-20261123-1045.db",
         "advocate-20261123-104500.db.txt", "advocate-notes.db"])
