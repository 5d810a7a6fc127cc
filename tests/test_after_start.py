"""After the first screen: the damaged-file check and the day's first backup run in the background.

The check of a large file no longer delays the start, but a damaged file must still be refused before
anything is written: every save waits for the check, and is refused (the form kept, what was typed
kept, nothing written) when the file may be damaged, with a one-line warning on screen. The day's
first backup is made once the screen is up, without holding up the keys.
"""

from __future__ import annotations

import stat
import threading
import time
from pathlib import Path

import pytest
from conftest import ROSTER
from forms_helpers import SIZE, open_form, type_text

from advocate_tui.app import AdvocateApp
from advocate_tui.clock import Clock
from advocate_tui.desk import Desk
from advocate_tui.models import Incident
from advocate_tui.screens.forms import IncidentForm
from advocate_tui.screens.main import MainScreen
from advocate_tui.services import recording
from advocate_tui.services.after_start import AfterStart
from advocate_tui.services.backup import backup_due
from advocate_tui.store import engine, files

PASS = "correct horse battery"
PAGE = 4096
LAST_WEEK = "2026-11-16 10:00"


def _school(path: Path, profile) -> Path:
    """An encrypted school with last week's notes (today's screen reads none of their pages)."""
    d = Desk.open(path, profile, clock=Clock.frozen(profile, LAST_WEEK), passphrase=PASS)
    d.store.upsert_students(ROSTER)
    for i in range(120):
        recording.save(d, "contact", {"student": ROSTER[i % 6].local_id, "contact_kind": "check_in",
                                      "note": f"last week's note {i} " + "x" * 400})
    d.close()
    return path


def _damage_the_audit_trail(db: Path) -> None:
    """One byte of the audit table's root page changed: that page no longer decrypts (HMAC)."""
    conn = engine.connect_readonly(db, passphrase=PASS)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'audit'").fetchone()[0]
    conn.close()
    data = bytearray(db.read_bytes())
    data[(root - 1) * PAGE + 2000] ^= 0x10
    db.write_bytes(bytes(data))


def _desk_as_started(db: Path, profile, clock, *, backup: bool | None = None) -> Desk:
    """The desk as ``advocate --db`` opens a large file: the check left for after the first screen."""
    desk = Desk.open(db, profile, clock=clock, passphrase=PASS, verify=False, migrate=False)
    desk.store.check_later()
    desk.extras["after_start"] = AfterStart(desk, backup=backup_due(desk) if backup is None else backup)
    return desk


@pytest.fixture
def held_check(monkeypatch):
    """The check waits until the test lets it go (a decade's takes seconds), so a save can be made
    before it is done; ``release(after)`` lets it go ``after`` seconds from now, from another thread
    (the save waits on the UI thread meanwhile)."""
    real, go = engine.verify_readonly, threading.Event()

    def held(*args, **kwargs):
        go.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "verify_readonly", held)

    def release(after: float) -> None:
        threading.Timer(after, go.set).start()

    yield release
    go.set()


async def _quick_log(pilot, note: str) -> IncidentForm:
    form = await open_form(pilot, "i", IncidentForm)
    await type_text(pilot, "marc")
    await pilot.press("enter", "r", "enter", "d", "e", "enter")
    await type_text(pilot, note)
    await pilot.press("enter", "c", "l", "enter")
    return form


async def test_a_damaged_file_found_after_the_start_refuses_the_save_and_keeps_the_text(
        tmp_path, profile, clock, held_check):
    db = _school(tmp_path / "school" / "school.db", profile)
    _damage_the_audit_trail(db)
    damaged = db.read_bytes()
    desk = _desk_as_started(db, profile, clock)
    app = AdvocateApp(desk)
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            assert isinstance(app.screen, MainScreen)            # the screen is up; the check still running
            assert not desk.store.file_check.done
            form = await _quick_log(pilot, "refused to move")
            assert not desk.store.file_check.done
            held_check(0.3)
            await pilot.press("ctrl+s")                          # made while the check runs: it waits for it
            await pilot.pause()
            assert desk.store.file_check.done and desk.store.file_check.error is not None
            assert app.screen is form                            # not saved: the form stays, with the text
            assert "refused to move" in form.values()["description"]
            error = str(form.query_one("#form-error").render())
            assert error.startswith("Not saved:") and "may be damaged" in error, error
            for _ in range(20):                                  # the warning reaches the screen from the thread
                await pilot.pause(0.05)
                shown = [n.message for n in app._notifications]
                if any("may be damaged" in m for m in shown):
                    break
            [warning] = [m for m in shown if "may be damaged" in m]
            assert "\n" not in warning and warning.startswith("Nothing is saved any more:")
    finally:
        desk.close()
    assert db.read_bytes() == damaged                            # nothing written to the damaged file
    wal = Path(f"{db}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert not (db.parent / "backups").exists()                  # and it is not backed up over a good copy


async def test_a_save_made_before_the_check_passes_waits_and_is_kept(tmp_path, profile, clock, held_check):
    db = _school(tmp_path / "school" / "school.db", profile)
    desk = _desk_as_started(db, profile, clock, backup=False)
    app = AdvocateApp(desk)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await _quick_log(pilot, "left class early")
            assert not desk.store.file_check.done
            held_check(0.3)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert desk.store.file_check.passed and isinstance(app.screen, MainScreen)
        [saved] = desk.store.on_day(Incident, "2026-11-23")
        assert saved.description == "left class early"
    finally:
        desk.close()


async def test_the_days_first_backup_is_made_after_the_screen_is_up_without_holding_the_keys(
        tmp_path, profile, clock, monkeypatch):
    db = _school(tmp_path / "school" / "school.db", profile)
    desk = _desk_as_started(db, profile, clock)
    assert desk.extras["after_start"].backup_due                  # the first start of the school day
    app = AdvocateApp(desk)
    seen: list[bool] = []
    copying, go = threading.Event(), threading.Event()
    real = files.backup_to

    def slow_backup(*args, **kwargs):
        seen.append(isinstance(app.screen, MainScreen) and app.screen.is_mounted)
        copying.set()
        go.wait(10)                                               # a decade's copy takes a while
        return real(*args, **kwargs)

    monkeypatch.setattr(files, "backup_to", slow_backup)
    try:
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(40):
                if copying.is_set():
                    break
                await pilot.pause(0.05)
            assert seen == [True]                                 # begun once the main screen was up
            await pilot.press("3")                                # the keys work meanwhile
            await pilot.pause()
            assert app.screen.active == "contacts" and desk.extras["after_start"].running
            go.set()
            for _ in range(100):
                if not desk.extras["after_start"].running:
                    break
                await pilot.pause(0.05)
    finally:
        go.set()
        desk.close()
    [made] = list((db.parent / "backups").iterdir())
    assert made.name.startswith("school-20261123-") and made.suffix == ".db"
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert stat.S_IMODE(made.parent.stat().st_mode) == 0o700
    assert engine.is_encrypted(made)
    conn = engine.connect_readonly(made, passphrase=PASS)          # the school's passphrase opens it
    assert conn.execute("SELECT count(*) FROM contact_notes").fetchone()[0] == 120
    conn.close()


def test_the_command_line_refuses_a_large_damaged_file_when_its_check_fails_after_the_start(
        tmp_path, profile, monkeypatch, capsys):
    """A file over the size checked before the start: the app starts; the check fails in the background
    (here: with the app closed at once); one line on stderr, exit 1, the file untouched, no backup."""
    from conftest import save_real_demo_profile  # noqa: F401 - the profile file the command line reads

    from advocate_tui.cli import app_cmds
    from advocate_tui.cli.main import main
    from advocate_tui.profile_toml import profile_to_toml

    db = _school(tmp_path / "school" / "school.db", profile)
    real = profile.model_copy(update={"school": profile.school.model_copy(update={"demo": False})})
    pfile = tmp_path / "profile.toml"
    pfile.write_text(profile_to_toml(real, "test"), encoding="utf-8")
    conn = engine.connect(db, passphrase=PASS, create=False)      # the school's identity, as at its first start
    conn.close()
    d = Desk.open(db, real, passphrase=PASS)
    from advocate_tui.services import school

    school.claim(d)
    d.close()
    _damage_the_audit_trail(db)
    damaged = db.read_bytes()
    monkeypatch.setattr(app_cmds, "CHECK_AT_START_BYTES", 0)
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", PASS)
    started = []
    monkeypatch.setattr(AdvocateApp, "run", lambda self, *a, **k: started.append(True))
    assert main(["--db", str(db), "--profile", str(pfile)]) == 1
    assert started == [True]
    lines = [ln for ln in capsys.readouterr().err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("advocate: ") and "may be damaged" in lines[0], lines
    assert db.read_bytes() == damaged and not (db.parent / "backups").exists()


def test_a_backup_cut_short_never_counts_as_the_days_backup_and_is_cleared_later(tmp_path, profile, clock):
    """A copy stopped half-way (the app killed, ctrl+c at the close) leaves no backup with today's name:
    the next start makes the day's backup; an old leftover part is removed then."""
    import os

    from advocate_tui.services import backup
    from advocate_tui.store import StoreError

    db = _school(tmp_path / "school" / "school.db", profile)
    desk = Desk.open(db, profile, clock=clock, passphrase=PASS)
    try:
        with pytest.raises(StoreError, match="stopped before it was whole"):
            backup.daily_backup(desk, stop=lambda: True)
        folder = db.parent / "backups"
        assert list(folder.iterdir()) == [] and backup.backup_due(desk)
        left = folder / "school-20261122-080000.db.part"            # yesterday's, killed mid-copy
        left.write_bytes(b"x" * 100)
        os.utime(left, (time.time() - 7200, time.time() - 7200))
        made = backup.daily_backup(desk)
        assert [p.name for p in folder.iterdir()] == [made.name] and not backup.backup_due(desk)
    finally:
        desk.close()
