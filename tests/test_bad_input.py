"""Bad database files, tried on purpose: not SQLite, truncated, a corrupt page, read-only, locked by
another process for a long time, from a newer version. Each: one clear line, a non-zero exit, and the
file byte-identical afterwards. And an unexpected error in the app: a short message and a report
without field values."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROSTER

from advocate_tui.desk import Desk
from advocate_tui.services import recording
from advocate_tui.store import Store, StoreError

PASS = "correct horse battery"
PAGE = 4096


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "advocate_tui", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120, stdin=subprocess.DEVNULL)


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("advocate: ")
    return lines[0]


def _school(path: Path, profile, clock, passphrase: str | None = None, notes: int = 60) -> Path:
    d = Desk.open(path, profile, clock=clock, passphrase=passphrase)
    d.store.upsert_students(ROSTER)
    for i in range(notes):
        recording.save(d, "contact", {"student": ROSTER[i % 6].local_id, "contact_kind": "check_in",
                                      "note": f"a fairly long note number {i} " + "x" * 300})
    d.close()
    return path


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 123])


def _corrupt_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = (len(data) // PAGE // 2) * PAGE
    data[middle: middle + PAGE] = bytes((i * 37 + 11) % 256 for i in range(PAGE))
    path.write_bytes(bytes(data))


def _newer(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("damage, needle", [
    (_truncated, "damaged"), (_corrupt_page, "damaged"), (_newer, "newer advocate-tui"),
])
@pytest.mark.parametrize("command", [(), ("check",), ("backup",), ("export", "--plain", "{tmp}/out.db")])
def test_damaged_or_newer_file_one_line_and_untouched(tmp_path, profile, clock, damage, needle, command):
    db = _school(tmp_path / "school.db", profile, clock)
    damage(db)
    before = db.read_bytes()
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    line = one_line_error(run(*args, "--db", str(db)))
    assert needle in line or (needle == "damaged" and "malformed" in line), line
    assert db.read_bytes() == before
    assert not (tmp_path / "out.db").exists()


# ------------------------------------------------------------------ a damaged encrypted database
def _flip(offset_of):
    def damage(path: Path) -> None:
        data = bytearray(path.read_bytes())
        data[offset_of(len(data))] ^= 0x10
        path.write_bytes(bytes(data))
    return damage


_page_one = _flip(lambda size: 1000)                                   # inside page 1's encrypted part
_salt = _flip(lambda size: 5)                                          # page 1's salt: every page's key
_middle_page = _flip(lambda size: (size // PAGE // 2) * PAGE + 700)   # one byte of a middle page


def _cut_in_page_one(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:3000])


for _f, _name in ((_page_one, "page_one"), (_salt, "salt"), (_middle_page, "middle_page")):
    _f.__name__ = _name
ENC_DAMAGE = [_truncated, _cut_in_page_one, _page_one, _salt, _middle_page, _corrupt_page]


def _name(damage) -> str:
    return damage.__name__.strip("_")


@pytest.fixture(scope="module")
def enc_school_made(tmp_path_factory):
    """An encrypted school (60 notes) and one backup of it in backups/, made once for this module."""
    from conftest import FROZEN_AT

    from advocate_tui.clock import Clock
    from advocate_tui.profile import demo_profile
    from advocate_tui.services import backup

    profile = demo_profile()
    clock = Clock.frozen(profile, FROZEN_AT)
    db = _school(tmp_path_factory.mktemp("enc") / "school" / "school.db", profile, clock, passphrase=PASS)
    d = Desk.open(db, profile, clock=clock, passphrase=PASS)
    backup.ensure_identity(d)
    backup.make_backup(d)
    d.close()
    return db


@pytest.fixture
def enc_school(enc_school_made, tmp_path, monkeypatch):
    """A copy of that school and its backup; ADVOCATE_PASSPHRASE set; the app never really starts."""
    import shutil

    from advocate_tui.app import AdvocateApp

    shutil.copytree(enc_school_made.parent, tmp_path / "school")
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", PASS)
    monkeypatch.setattr(AdvocateApp, "run", lambda self, *a, **k: pytest.fail("the app started on a damaged file"))
    return tmp_path / "school" / "school.db"


def _main_error(capsys, *args: str) -> str:
    from advocate_tui.cli.main import main

    assert main(list(args)) != 0
    out, err = capsys.readouterr()
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("advocate: ") and "Traceback" not in out + err, err
    return lines[0]


@pytest.mark.parametrize("damage", ENC_DAMAGE, ids=_name)
def test_a_damaged_encrypted_file_says_damaged_not_wrong_passphrase(enc_school, capsys, damage):
    """QA: a cut-short file or a changed byte in its first pages was 'wrong passphrase', and the test took it."""
    db = enc_school
    damage(db)
    before = db.read_bytes()
    [newest] = list((db.parent / "backups").glob("school-*.db"))
    for args in ((), ("check",), ("backup",)):
        line = _main_error(capsys, *args, "--db", str(db))
        assert "may be damaged" in line and "wrong passphrase" not in line, line
        assert "'advocate restore BACKUP' puts a sound backup in its place" in line and str(newest) in line, line
    assert db.read_bytes() == before


@pytest.mark.parametrize("damage", [None, _page_one, _truncated], ids=["sound", "page_one", "truncated"])
def test_a_really_wrong_passphrase_still_says_wrong_passphrase(enc_school, capsys, monkeypatch, damage):
    db = enc_school
    if damage:
        damage(db)
    before = db.read_bytes()
    [good] = list((db.parent / "backups").glob("school-*.db"))
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", "not the passphrase at all")
    for args in ((), ("check",), ("restore", str(good), "--yes")):
        line = _main_error(capsys, *args, "--db", str(db))
        assert "wrong passphrase" in line and "damaged" not in line, line
    assert db.read_bytes() == before and not list(db.parent.glob("school-damaged-*"))


@pytest.mark.parametrize("damage", ENC_DAMAGE, ids=_name)
def test_restore_puts_a_backup_in_place_of_a_damaged_file_and_keeps_it_aside(enc_school, capsys, damage):
    """QA: restore refused a file it could not open; the old test only ever damaged a middle page."""
    from advocate_tui.cli.main import main

    db = enc_school
    [good] = list((db.parent / "backups").glob("school-*.db"))
    good_bytes = good.read_bytes()
    damage(db)
    damaged_bytes = db.read_bytes()
    if damage not in (_middle_page, _corrupt_page):  # it can't be opened: a script must say --yes
        line = _main_error(capsys, "restore", str(good), "--db", str(db))
        assert "may be damaged" in line and "--yes" in line, line
        assert db.read_bytes() == damaged_bytes
    assert main(["restore", str(good), "--db", str(db), "--yes"]) == 0
    out = capsys.readouterr().out
    [aside] = list(db.parent.glob("school-damaged-*.db"))
    assert f"the damaged database is kept in {aside}" in out
    assert aside.read_bytes() == damaged_bytes and stat.S_IMODE(aside.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert main(["check", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "integrity: ok" in out and "encrypted: yes" in out and "contact_notes: 60" in out
    assert good.read_bytes() == good_bytes  # the backup itself is untouched


def test_restore_over_an_unopenable_file_asks_first_at_a_terminal(enc_school, capsys, monkeypatch):
    from advocate_tui.cli.main import main

    db = enc_school
    [good] = list((db.parent / "backups").glob("school-*.db"))
    _page_one(db)
    damaged_bytes = db.read_bytes()
    monkeypatch.setattr("advocate_tui.cli.data_cmds.interactive", lambda: True)
    answers = iter(["n", "y"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert main(["restore", str(good), "--db", str(db)]) == 1
    assert "nothing was restored" in capsys.readouterr().err and db.read_bytes() == damaged_bytes
    assert main(["restore", str(good), "--db", str(db)]) == 0
    assert "the damaged database is kept in" in capsys.readouterr().out
    store = Store.open(db, passphrase=PASS, create=False)
    try:
        assert store.counts()["contact_notes"] == 60
    finally:
        store.close()


def test_not_sqlite_and_empty_looking_files(tmp_path):
    for name, content in (("binary.db", bytes(range(256)) * 64), ("text.db", b"id,name\n1,Ana Garcia\n"),
                          ("utf16.db", "SQLite format 3".encode("utf-16"))):
        bad = tmp_path / name
        bad.write_bytes(content)
        for args in ((), ("check",), ("backup",)):
            line = one_line_error(run(*args, "--db", str(bad)))
            assert "not an advocate-tui database" in line
        assert bad.read_bytes() == content


def test_another_programs_sqlite_file_is_left_alone(tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("create table people (name)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    line = one_line_error(run("--db", str(other)))
    assert "not an advocate-tui one" in line
    assert other.read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to a read-only file")
def test_read_only_file(tmp_path, profile, clock):
    db = _school(tmp_path / "school.db", profile, clock, notes=2)
    db.chmod(0o400)
    before = db.read_bytes()
    line = one_line_error(run("--db", str(db)))
    assert "read-only" in line
    assert db.read_bytes() == before


HOLDER = """
import sys, time, sqlcipher3
conn = sqlcipher3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
conn.execute("INSERT INTO meta (key, value) VALUES ('held', 'yes')")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


def _hold(db: Path, seconds: float = 60) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    return proc


def test_locked_by_another_process_for_a_long_time(tmp_path, profile, clock):
    db = _school(tmp_path / "school.db", profile, clock, notes=2)
    holder = _hold(db)
    try:
        env = {"ADVOCATE_BUSY_TIMEOUT": "1", "ADVOCATE_PIN": "2468"}
        line = one_line_error(run("pin", "--db", str(db), env=env))           # a write: waits, then one line
        assert "busy" in line and "nothing was saved" in line
        proc = run("check", "--db", str(db), env=env)                          # reading still works (WAL)
        assert proc.returncode == 0 and "integrity: ok" in proc.stdout
    finally:
        holder.kill()
        holder.wait()
    store = Store.open(db)
    assert store.get_meta("held") is None and store.get_meta("lock.pin_hash") is None
    store.close()


def test_a_rollback_journal_file_locked_for_long(tmp_path, profile, clock):
    """A backup copy (rollback journal, not WAL) held exclusively: even opening it waits, then one line."""
    db = _school(tmp_path / "school.db", profile, clock, notes=2)
    d = Desk.open(db, profile, clock=clock)
    from advocate_tui.services.backup import make_backup

    copy = make_backup(d, tmp_path / "copy.db")
    d.close()
    holder = _hold(copy)
    try:
        before = copy.read_bytes()
        line = one_line_error(run("check", "--db", str(copy), env={"ADVOCATE_BUSY_TIMEOUT": "1"}))
        assert "locked by another program" in line
        assert copy.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()


async def test_saving_while_another_desk_holds_the_lock_keeps_the_form(desk, make_app, monkeypatch):
    from forms_helpers import SIZE, open_form, screen_text, type_text

    from advocate_tui.screens.forms import ContactForm
    from advocate_tui.store import engine

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_S", 1.0)
    from conftest import reopen

    desk = reopen(desk)  # connections made with the short busy timeout
    from advocate_tui.app import AdvocateApp

    app = AdvocateApp(desk)
    holder = _hold(desk.store.path)
    try:
        async with app.run_test(size=SIZE) as pilot:
            form = await open_form(pilot, "c", ContactForm)
            await type_text(pilot, "S1004")
            await pilot.press("enter", "c", "h", "enter")  # kind: Check-in ("c" alone waits: Coaching, Caregiver)
            await type_text(pilot, "talked about the weekend")
            await pilot.press("ctrl+s")
            await pilot.pause(1.5)
            assert app.screen is form                      # still open, with what was typed
            text = screen_text(app)
            assert "talked about the weekend" in text and "busy" in text
    finally:
        holder.kill()
        holder.wait()
        desk.close()


async def test_an_unexpected_error_shows_a_short_message_and_a_report_without_values(make_app, private_dirs,
                                                                                   capsys):
    from advocate_tui.crash import crash_dir

    app = make_app()

    def boom() -> None:
        raise ValueError("Marcus Lindqvist said something private")

    with pytest.raises(ValueError):
        async with app.run_test() as pilot:
            app.call_later(boom)
            await pilot.pause()
    printed = capsys.readouterr()
    message = " ".join((printed.err + printed.out).split())
    assert "unexpected error (ValueError)" in message and "Lindqvist" not in message
    assert "Traceback" not in message
    [report] = list(crash_dir().glob("crash-*.txt"))
    text = report.read_text()
    assert "ValueError" in text and "Lindqvist" not in text and "private" not in text
    assert oct(report.stat().st_mode & 0o777) == "0o600"


FULL_DISK_DESK = """
import os, resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
from advocate_tui.clock import Clock
from advocate_tui.desk import Desk
from advocate_tui.profile import demo_profile
from advocate_tui.services import recording
from advocate_tui.store import StoreError
profile = demo_profile()
desk = Desk.open(sys.argv[1], profile, clock=Clock(profile))
limit = os.path.getsize(sys.argv[1]) + 64 * 1024   # no file may grow past this: the disk "fills up"
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    for i in range(100000):
        note = recording.save(desk, "contact", {"student": "S1004", "contact_kind": "check_in",
                                                "note": "a long note " * 40 + str(i)})
        print(note.id, flush=True)
except StoreError as exc:
    print("STOREERROR", exc, flush=True)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="file-size limit as a full disk: Linux")
def test_a_full_disk_is_one_clear_line_and_loses_nothing_saved(tmp_path, profile, clock):
    db = _school(tmp_path / "school.db", profile, clock, notes=1)
    proc = subprocess.run([sys.executable, "-c", FULL_DISK_DESK, str(db)], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
    lines = proc.stdout.splitlines()
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert lines[-1].startswith("STOREERROR") and "nothing was saved" in lines[-1]
    saved = set(lines[:-1])
    assert len(saved) > 5
    store = Store.open(db)
    assert store.integrity_check() == []
    assert saved <= {row["id"] for row in store.db.query("SELECT id FROM contact_notes")}
    store.close()
