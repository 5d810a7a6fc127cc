"""Encryption at rest: a copied file shows nothing without the passphrase; wrong passphrase touches
nothing; export --plain and rekey; owner-only files; passphrases only from env, file or a prompt."""

from __future__ import annotations

import argparse
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import sqlcipher3
from conftest import EXAMPLE_PROFILE, ROSTER

from advocate_tui.desk import Desk
from advocate_tui.profile import demo_profile
from advocate_tui.services import recording
from advocate_tui.store import Store, StoreError
from advocate_tui.store.engine import is_encrypted

PASS = "correct horse battery"
NAMES = [s.family_name.encode() for s in ROSTER] + [b"Lindqvist", b"worried about the bus"]


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "advocate_tui", *args], capture_output=True, text=True,
                          env=full, timeout=120, stdin=subprocess.DEVNULL)


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    return lines[0]


@pytest.fixture
def school_db(profile, clock, db_path):
    """An encrypted school database with the roster and one contact note; closed."""
    d = Desk.open(db_path, profile, clock=clock, passphrase=PASS)
    d.store.upsert_students(ROSTER)
    recording.save(d, "contact", {"student": "S1004", "contact_kind": "check_in", "note": "worried about the bus"})
    d.close()
    return db_path


def _all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_a_copied_file_shows_nothing(school_db):
    raw = _all_bytes(school_db.parent)
    for name in NAMES:
        assert name not in raw
    assert PASS.encode() not in raw
    assert not raw.startswith(b"SQLite format 3")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(school_db).execute("select * from sqlite_master").fetchall()


def test_the_key_derivation_is_slow(school_db):
    conn = sqlcipher3.connect(str(school_db))
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = '{PASS}'")
    assert int(conn.execute("PRAGMA kdf_iter").fetchone()[0]) >= 256_000
    assert conn.execute("PRAGMA cipher_kdf_algorithm").fetchone()[0] == "PBKDF2_HMAC_SHA512"
    conn.close()


def test_right_passphrase_opens_wrong_one_touches_nothing(school_db, profile, clock):
    before = school_db.read_bytes()
    for wrong in ("correct horse batterY", None):
        with pytest.raises(StoreError) as exc:
            Store.open(school_db, passphrase=wrong)
        assert "\n" not in str(exc.value)
    assert school_db.read_bytes() == before
    assert not Path(f"{school_db}-wal").exists()
    d = Desk.open(school_db, profile, clock=clock, passphrase=PASS)
    assert d.store.student("S1004").family_name == "Lindqvist"
    d.close()


def test_cli_wrong_passphrase_is_one_line_and_the_file_is_unchanged(school_db):
    before = school_db.read_bytes()
    for args in (("--db", str(school_db)), ("check", "--db", str(school_db))):
        line = one_line_error(run(*args, env={"ADVOCATE_PASSPHRASE": "not the passphrase"}))
        assert "wrong passphrase" in line and "not the passphrase" not in line
    line = one_line_error(run("check", "--db", str(school_db)))
    assert "passphrase" in line
    assert school_db.read_bytes() == before


def test_cli_passphrase_file_and_check(school_db, tmp_path):
    pfile = tmp_path / "pass.txt"
    pfile.write_text(PASS + "\n")
    proc = run("check", "--db", str(school_db), "--passphrase-file", str(pfile))
    assert proc.returncode == 0, proc.stderr
    assert "integrity: ok" in proc.stdout and "encrypted: yes" in proc.stdout
    assert "contact_notes: 1" in proc.stdout
    assert PASS not in proc.stdout + proc.stderr


def test_first_start_needs_a_passphrase_of_8_or_more(tmp_path):
    from advocate_tui.cli.common import CliError
    from advocate_tui.cli.passphrase import startup_passphrase

    db = tmp_path / "new" / "advocate.db"
    args = argparse.Namespace(passphrase_file=None)
    with pytest.raises(CliError, match="encrypted"):
        startup_passphrase(args, db)            # a script with no passphrase: refused
    os.environ["ADVOCATE_PASSPHRASE"] = "short"
    try:
        with pytest.raises(CliError, match="at least 8"):
            startup_passphrase(args, db)
        os.environ["ADVOCATE_PASSPHRASE"] = PASS
        assert startup_passphrase(args, db) == PASS
    finally:
        del os.environ["ADVOCATE_PASSPHRASE"]
    assert not db.exists() and not db.parent.exists()
    # and from the command line: one line, nothing created
    line = one_line_error(run("--db", str(db)))
    assert "ADVOCATE_PASSPHRASE" in line
    assert not db.exists()


def test_no_passphrase_argument_exists():
    line = one_line_error(run("rekey", "--new-passphrase", "hunter2hunter2"))
    assert "unrecognized" in line
    line = one_line_error(run("--passphrase", "hunter2hunter2", "check"))
    assert "unrecognized" in line or "invalid choice" in line


def test_export_plain_warns_and_writes_a_readable_private_copy(school_db, tmp_path):
    out = tmp_path / "plain.db"
    proc = run("export", "--plain", str(out), "--db", str(school_db), env={"ADVOCATE_PASSPHRASE": PASS})
    assert proc.returncode == 0, proc.stderr
    assert "NOT encrypted" in proc.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    conn = sqlite3.connect(out)
    assert conn.execute("select family_name from students where local_id = 'S1004'").fetchone() == ("Lindqvist",)
    assert conn.execute("select count(*) from contact_notes").fetchone() == (1,)
    conn.close()
    # the plain copy is still an advocate-tui database (the app opens it, e.g. to restore from it)
    Store.open(out, create=False).close()
    # and an existing file is never overwritten
    line = one_line_error(run("export", "--plain", str(out), "--db", str(school_db), env={"ADVOCATE_PASSPHRASE": PASS}))
    assert "already exists" in line


def test_rekey_changes_the_passphrase(school_db, tmp_path):
    new = "a whole new passphrase"
    proc = run("rekey", "--db", str(school_db), env={"ADVOCATE_PASSPHRASE": PASS, "ADVOCATE_NEW_PASSPHRASE": new})
    assert proc.returncode == 0, proc.stderr
    with pytest.raises(StoreError):
        Store.open(school_db, passphrase=PASS)
    store = Store.open(school_db, passphrase=new)
    assert store.counts()["contact_notes"] == 1
    store.close()
    newfile = tmp_path / "new.txt"
    newfile.write_text("tiny\n")
    line = one_line_error(run("rekey", "--db", str(school_db), "--new-passphrase-file", str(newfile),
                              env={"ADVOCATE_PASSPHRASE": new}))
    assert "at least 8" in line


def test_rekey_encrypts_a_plain_database(desk):
    path = desk.store.path
    recording.save(desk, "contact", {"student": "S1004", "contact_kind": "check_in", "note": "worried about the bus"})
    desk.close()
    proc = run("rekey", "--db", str(path), env={"ADVOCATE_NEW_PASSPHRASE": PASS})
    assert proc.returncode == 0, proc.stderr
    for name in NAMES:
        assert name not in _all_bytes(path.parent)
    store = Store.open(path, passphrase=PASS)
    assert store.counts()["contact_notes"] == 1 and store.integrity_check() == []
    store.close()


def test_folder_and_files_are_owner_only(school_db, profile, clock):
    d = Desk.open(school_db, profile, clock=clock, passphrase=PASS)
    from advocate_tui.services.backup import make_backup

    backup = make_backup(d)
    assert stat.S_IMODE(school_db.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(backup.parent.stat().st_mode) == 0o700
    for p in [school_db, backup, *school_db.parent.glob("*.db-*")]:
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    d.close()


def test_the_demo_says_it_is_not_encrypted(profile, clock, tmp_path):
    from advocate_tui.app import AdvocateApp

    d = Desk.open(tmp_path / "demo.db", profile, clock=clock, demo=True)
    assert "not encrypted" in AdvocateApp(d).sub_title
    d.close()


def test_rekey_refuses_while_another_desk_has_the_file_open(school_db, profile, clock):
    other = Desk.open(school_db, profile, clock=clock, passphrase=PASS)
    other.store.counts()  # a desk that is reading, as the app always is
    try:
        line = one_line_error(run("rekey", "--db", str(school_db),
                                  env={"ADVOCATE_PASSPHRASE": PASS, "ADVOCATE_NEW_PASSPHRASE": "another passphrase"}))
        assert "open on another desk" in line
        assert other.store.counts()["contact_notes"] == 1    # the open desk keeps working
    finally:
        other.close()
    Store.open(school_db, passphrase=PASS).close()          # and the passphrase did not change


def test_a_plain_school_database_says_it_is_not_encrypted(school_db, profile, clock, tmp_path):
    from advocate_tui.app import AdvocateApp

    plain = Desk.open(tmp_path / "old-plain.db", profile, clock=clock)
    assert "NOT ENCRYPTED" in AdvocateApp(plain).sub_title and "advocate rekey" in AdvocateApp(plain).sub_title
    assert "DEMO" not in AdvocateApp(plain).sub_title
    plain.close()
    enc = Desk.open(school_db, profile, clock=clock, passphrase=PASS)
    assert "ENCRYPTED" not in AdvocateApp(enc).sub_title
    enc.close()


async def test_a_desk_with_no_pin_and_no_passphrase_unlocks_only_with_the_word_unlock(desk, make_app):
    from advocate_tui.screens.lock import LockScreen

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        app.action_lock()
        await pilot.pause()
        lock = app.screen
        assert isinstance(lock, LockScreen) and "unlock" in lock.query_one("#lock-secret").placeholder
        await pilot.press("enter")                       # a stray Enter does not open it
        await pilot.pause()
        assert app.screen is lock
        lock.unlocker.wait_until = 0
        lock._show_wait()
        for ch in "unlock":
            await pilot.press(ch)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, LockScreen)


def test_demo_refuses_a_real_database_and_labels_only_the_demo(school_db, profile, clock, tmp_path, monkeypatch):
    from advocate_tui.app import AdvocateApp
    from advocate_tui.cli import main

    plain = tmp_path / "plain.db"
    d = Desk.open(plain, profile, clock=clock)
    d.store.upsert_students(ROSTER)
    d.close()
    for db, env in [(school_db, {"ADVOCATE_PASSPHRASE": PASS}), (plain, {})]:
        before = db.read_bytes()
        proc = run("demo", "--db", str(db), env=env)
        assert proc.returncode == 1, proc.stderr
        line = one_line_error(proc)
        assert "is not the demo school's database; open it with advocate --db" in line
        assert "ADVOCATE_PASSPHRASE" not in line
        assert db.read_bytes() == before
    seen = []
    monkeypatch.setattr(AdvocateApp, "run", lambda self, *a, **k: seen.append(self.sub_title))
    demo_db = tmp_path / "demo" / "demo.db"
    assert main(["demo", "--db", str(demo_db)]) == 0      # built: marked as the demo in meta
    assert main(["demo", "--db", str(demo_db)]) == 0      # and opens again as the demo
    assert all("DEMO" in s for s in seen) and len(seen) == 2


def test_the_no_passphrase_message_does_not_ask_for_a_variable_that_is_set(school_db, monkeypatch):
    monkeypatch.delenv("ADVOCATE_PASSPHRASE", raising=False)
    with pytest.raises(StoreError) as exc:
        Store.open(school_db, create=False)
    assert "give its passphrase with ADVOCATE_PASSPHRASE" in str(exc.value)
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", PASS)
    with pytest.raises(StoreError) as exc:
        Store.open(school_db, create=False)                # a code path that passes none
    assert "ADVOCATE_PASSPHRASE" not in str(exc.value) and "without a passphrase" in str(exc.value)
    proc = run("demo", "--db", str(school_db), env={"ADVOCATE_PASSPHRASE": PASS})
    assert "ADVOCATE_PASSPHRASE" not in proc.stderr and "not the demo school's database" in proc.stderr


def _prompts(monkeypatch, answers):
    """A person at a terminal typing ``answers`` at getpass prompts (which never echo)."""
    import getpass

    from advocate_tui.cli import passphrase

    asked = []
    feed = iter(answers)

    def fake_getpass(prompt="", stream=None):
        asked.append(prompt)
        return next(feed)

    monkeypatch.delenv("ADVOCATE_PASSPHRASE", raising=False)
    monkeypatch.setattr(passphrase, "interactive", lambda: True)
    monkeypatch.setattr(getpass, "getpass", fake_getpass)
    return asked


def test_first_start_asks_the_pin_twice_without_echo(tmp_path, monkeypatch, capsys):
    from advocate_tui.app import AdvocateApp
    from advocate_tui.cli import main
    from advocate_tui.services import security

    monkeypatch.setattr(AdvocateApp, "run", lambda self, *a, **k: None)
    asked = _prompts(monkeypatch, [PASS, PASS, "1234", "1243", "1234", "1234"])
    db = tmp_path / "school" / "advocate.db"
    assert main(["--db", str(db), "--profile", EXAMPLE_PROFILE]) == 0
    assert sum("again" in p for p in asked) == 3        # the passphrase once, the PIN twice (one mismatch)
    out = capsys.readouterr()
    assert "1234" not in out.out + out.err and PASS not in out.out + out.err
    assert "differ" in out.err
    d = Desk.open(db, demo_profile(), passphrase=PASS)
    assert security.verify_pin(d, "1234")
    d.close()


def test_a_wrong_passphrase_at_the_prompt_gets_three_tries(school_db, monkeypatch, capsys):
    from advocate_tui.app import AdvocateApp
    from advocate_tui.cli import main

    opened = []
    monkeypatch.setattr(AdvocateApp, "run", lambda self, *a, **k: opened.append(1))
    before = school_db.read_bytes()
    asked = _prompts(monkeypatch, ["not it at all", "still not it", "nope nope nope"])
    assert main(["--db", str(school_db), "--profile", EXAMPLE_PROFILE]) == 1
    err = capsys.readouterr().err
    assert len(asked) == 3 and not opened and school_db.read_bytes() == before
    assert err.count("wrong passphrase, try again") == 2 and "3 tries" in err.strip().splitlines()[-1]
    _prompts(monkeypatch, ["not it at all", PASS])
    assert main(["--db", str(school_db), "--profile", EXAMPLE_PROFILE]) == 0 and opened == [1]


def test_keys_typed_between_the_prompt_and_the_app_are_not_echoed_and_are_dropped(monkeypatch):
    import pty
    import termios

    from advocate_tui.cli import passphrase

    master, slave = pty.openpty()
    tty = os.fdopen(slave, "r")
    try:
        monkeypatch.setattr(passphrase.sys, "stdin", tty)
        monkeypatch.setattr(passphrase, "interactive", lambda: True)
        passphrase.hold_echo()
        assert not termios.tcgetattr(slave)[3] & termios.ECHO      # typing now shows nothing
        os.write(master, b"1234\n")
        passphrase.release_echo()
        assert termios.tcgetattr(slave)[3] & termios.ECHO          # echo is back for the shell
        os.set_blocking(slave, False)
        with pytest.raises(BlockingIOError):
            os.read(slave, 100)                                      # the early "1234" was dropped
    finally:
        passphrase.release_echo()
        tty.close()
        os.close(master)


# ------------------------------------------------------------------ QA: never plain, never world-readable
ROSTER_CSV = "student_id,given_name,family_name,grade\nR1,Fay,Quillfeather,9\nR2,Gus,Pymbleton,10\n"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _plain_school(path: Path, profile, clock) -> Path:
    """An older, unencrypted school database with students in it, left world-readable (0644)."""
    d = Desk.open(path, profile, clock=clock)
    d.store.upsert_students(ROSTER)
    d.close()
    path.chmod(0o644)
    return path


def _empty_sqlite(path: Path) -> Path:
    """A plain SQLite file with nothing in it (what `sqlite3 school.db` leaves), 0644."""
    conn = sqlite3.connect(path)
    conn.execute("create table t (x)")
    conn.execute("drop table t")
    conn.commit()
    conn.close()
    path.chmod(0o644)
    return path


@pytest.fixture
def roster_csv(tmp_path) -> Path:
    path = tmp_path / "students.csv"
    path.write_text(ROSTER_CSV, encoding="utf-8")
    return path


@pytest.mark.parametrize("make", ["zero bytes", "empty sqlite"])
def test_an_empty_file_given_a_passphrase_is_encrypted_and_made_owner_only(tmp_path, roster_csv, monkeypatch,
                                                                            capsys, make):
    """QA: with ADVOCATE_PASSPHRASE set, an empty plain file was adopted as it was, students written in
    plain and world-readable (0644)."""
    from advocate_tui.cli.main import main

    db = tmp_path / "school.db"
    if make == "zero bytes":
        db.touch()
        db.chmod(0o644)
    else:
        _empty_sqlite(db)
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", PASS)
    assert main(["roster", "import", str(roster_csv), "--db", str(db)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert is_encrypted(db) and b"Quillfeather" not in db.read_bytes() and _mode(db) == 0o600
    assert err == [f"advocate: note: {db} was open to other users (0644); it is now owner-only (0600)"]
    store = Store.open(db, passphrase=PASS, create=False)
    assert store.counts()["students"] == 2
    store.close()
    assert main(["roster", "import", str(roster_csv), "--db", str(db)]) == 0
    assert capsys.readouterr().err == ""  # said once


@pytest.mark.parametrize("passphrase", [PASS, None], ids=["passphrase given", "no passphrase"])
def test_a_school_database_that_is_not_encrypted_is_refused_without_allow_plain(
        tmp_path, profile, clock, roster_csv, monkeypatch, capsys, passphrase):
    """QA: roster import (and the app) wrote a school's students into an existing plain 0644 file."""
    from advocate_tui.app import AdvocateApp
    from advocate_tui.cli.main import main

    started = []
    monkeypatch.setattr(AdvocateApp, "run", lambda self, *a, **k: started.append(self.desk.store.path))
    db = _plain_school(tmp_path / "school.db", profile, clock)
    if passphrase:
        monkeypatch.setenv("ADVOCATE_PASSPHRASE", passphrase)
    before = db.read_bytes()
    for args in (["roster", "import", str(roster_csv)], [], ["--coordinator"]):
        assert main([*args, "--db", str(db)]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and f"{db} is not encrypted" in err[0], err
        assert f"'advocate rekey --db {db}' encrypts it" in err[0] and "--allow-plain" in err[0]
        assert ("passphrase was given" in err[0]) == bool(passphrase)
    assert db.read_bytes() == before and _mode(db) == 0o644 and started == []
    # the explicit flag writes into it as it is (owner-only from now on), and the app starts on it
    assert main(["roster", "import", str(roster_csv), "--db", str(db), "--allow-plain", "--partial"]) == 0
    assert main(["--db", str(db), "--allow-plain", "--profile", EXAMPLE_PROFILE]) == 0 and started == [db]
    assert not is_encrypted(db) and _mode(db) == 0o600
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from students").fetchone()[0] == len(ROSTER) + 2


def test_handoff_import_refuses_a_plain_coordinator_database(tmp_path, profile, clock, monkeypatch, capsys, desk):
    from advocate_tui.cli.main import main
    from advocate_tui.services import bundle as bs
    from advocate_tui.services import handoff as hs
    from handoff_helpers import busy_day

    busy_day(desk)
    bundle = bs.write_bundle(desk, hs.sign_off(desk, "J. Rivera"))[0]
    coord = _plain_school(tmp_path / "coord.db", profile, clock)
    before = coord.read_bytes()
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", PASS)
    assert main(["handoff", "import", str(bundle), "--db", str(coord)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is not encrypted, though a passphrase was given" in err[0]
    assert coord.read_bytes() == before and _mode(coord) == 0o644


def test_the_demo_needs_no_flag(tmp_path, profile, clock, monkeypatch, demo_file):
    import shutil

    from advocate_tui.app import AdvocateApp
    from advocate_tui.cli.main import main

    started = []
    monkeypatch.setattr(AdvocateApp, "run", lambda self, *a, **k: started.append(self.desk.store.path))
    demo = tmp_path / "demo.db"
    shutil.copy(demo_file, demo)
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", PASS)  # set for the school's desk: the demo stays plain
    assert main(["--db", str(demo)]) == 0 and started == [demo] and not is_encrypted(demo)


@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_every_file_and_folder_the_app_makes_is_owner_only_whatever_the_umask(tmp_path, roster_csv, monkeypatch,
                                                                            capsys, profile, clock, umask):
    """QA: report --out and export folders were 0755 (umask 022) or 0777 (umask 000)."""
    from advocate_tui.app import AdvocateApp
    from advocate_tui.cli.main import main
    from advocate_tui.crash import write_crash_report
    from advocate_tui.services import bundle as bs
    from advocate_tui.services import handoff as hs
    from advocate_tui.services.export import export_rows
    from handoff_helpers import busy_day

    monkeypatch.setattr(AdvocateApp, "run", lambda self, *a, **k: None)
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", PASS)
    made = tmp_path / "made"
    db = made / "new" / "school.db"
    old = os.umask(umask)
    try:
        assert main(["roster", "import", str(roster_csv), "--db", str(db)]) == 0
        assert main(["--db", str(db), "--profile", EXAMPLE_PROFILE]) == 0              # today's backup
        assert main(["backup", "--out", f"{made}/offsite/monday/", "--db", str(db)]) == 0
        assert main(["report", "--out", str(made / "reports" / "2026" / "nov"), "--db", str(db)]) == 0
        d = Desk.open(db, profile, clock=clock, passphrase=PASS)
        try:
            d.store.upsert_students(ROSTER)
            busy_day(d)
            handoff = hs.sign_off(d, "J. Rivera")
            bs.write_bundle(d, handoff)                                                  # handoffs/ beside it
            bs.write_bundle(d, handoff, made / "to-coordinator" / "nov")
            export_rows(made / "exports" / "nov", "incidents", ["when", "what"], [["10:42", "a note"]])
            write_crash_report(RuntimeError("boom"), made / "state" / "crash-reports")
            twin = d.store.reopen()
            twin.counts()
            sides = [Path(f"{db}-wal"), Path(f"{db}-shm")]
            assert all(p.exists() for p in sides)
            assert [_mode(p) for p in sides] == [0o600, 0o600]
            twin.close()
        finally:
            d.close()
    finally:
        os.umask(old)
    everything = sorted(made.rglob("*"))
    assert {p.name for p in everything} >= {"school.db", "backups", "offsite", "monday", "reports", "nov",
                                          "handoffs", "to-coordinator", "exports", "crash-reports"}
    loose = [(str(p.relative_to(made)), oct(_mode(p))) for p in everything
             if _mode(p) != (0o700 if p.is_dir() else 0o600)]
    assert loose == []


def test_files_and_folders_adopted_with_loose_modes_are_tightened_and_said_once(school_db, monkeypatch, capsys,
                                                                              profile, clock):
    """QA: the permissions test covered only files the app had made itself."""
    from advocate_tui.app import AdvocateApp
    from advocate_tui.cli.main import main
    from advocate_tui.crash import crash_dir
    from advocate_tui.services.backup import make_backup

    d = Desk.open(school_db, profile, clock=clock, passphrase=PASS)
    old_backup = make_backup(d)
    d.close()
    monkeypatch.setattr(AdvocateApp, "run", lambda self, *a, **k: None)
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", PASS)
    crash_dir().mkdir(parents=True)
    loose = {school_db: 0o644, old_backup: 0o644, old_backup.parent: 0o755, crash_dir(): 0o777}
    for path, mode in loose.items():
        path.chmod(mode)
    assert main(["--db", str(school_db), "--profile", EXAMPLE_PROFILE]) == 0
    assert main(["backup", "--db", str(school_db)]) == 0

    def boom(args):
        raise RuntimeError("an unexpected error")

    monkeypatch.setattr("advocate_tui.cli.data_cmds.run_check", boom)  # a crash: its report goes in crash-reports/
    assert main(["check", "--db", str(school_db)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert any("unexpected error (RuntimeError)" in ln for ln in err)
    for path, mode in loose.items():
        assert _mode(path) == (0o700 if path.is_dir() else 0o600), path
        said = [ln for ln in err if f"{path} was open to other users ({mode:04o})" in ln]
        assert len(said) == 1, (path, err)
    assert main(["--db", str(school_db)]) == 0
    assert "was open to other users" not in capsys.readouterr().err
