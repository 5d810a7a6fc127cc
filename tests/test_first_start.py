"""A real school's first start: the profile walkthrough, profile.toml, the database's identity, and a
profile of another school refused — never the demo school by default."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import stat
import subprocess
import sys

import pytest
from textual.widgets import Static, TextArea

from advocate_tui.app import AdvocateApp
from advocate_tui.cli import main
from advocate_tui.cli.first_start import FirstStart, configured_profile_path
from advocate_tui.clock import Clock
from advocate_tui.desk import Desk
from advocate_tui.profile import DEMO_PROFILE_PATH, load_profile
from advocate_tui.screens.main import MainScreen
from advocate_tui.screens.school_setup import SchoolSetupScreen
from advocate_tui.services import school

from conftest import EXAMPLE_PROFILE
from forms_helpers import type_text
from main_seed import screen_text

PASS = "correct horse battery staple"


def one_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("advocate: ") and "Traceback" not in err
    return lines[0]


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "advocate_tui", *args], capture_output=True, text=True,
                           env={**os.environ, **(env or {})}, timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture
def no_app_run(monkeypatch):
    """The command line up to the app (the app itself does not take the terminal); what it opened."""
    opened = []
    monkeypatch.setattr(AdvocateApp, "run", lambda self, *a, **k: opened.append(self.desk))
    return opened


async def test_the_walkthrough_writes_the_profile_and_the_school_opens(tmp_path, monkeypatch):
    """Typed as a new advocate would at 80×24: defaults taken with enter, one mistake fixed, saved."""
    db = tmp_path / "school" / "advocate.db"
    first = FirstStart(db, PASS, argparse.Namespace(new_pin=None),
                       clock_for=lambda p: Clock.frozen(p, "2026-11-23 10:45"), today=dt.date(2026, 11, 23),
                       timezone="America/New_York")
    app = AdvocateApp(None, first_start=first)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SchoolSetupScreen)
        assert "page 1 of 7: The school" in screen_text(app)
        await pilot.press("enter", "enter", "enter", "enter")   # nothing typed: the name is required
        await pilot.pause()
        assert "School name: is required" in screen_text(app) and "page 1 of 7" in screen_text(app)
        await type_text(pilot, "Lincoln High School")
        assert app.screen.query_one("#setup-short_name").value == "lincoln-high-school"   # from the name
        assert "School name: is required" not in screen_text(app)                         # fixed: gone
        await pilot.press("enter", "ctrl+u")
        await type_text(pilot, "lincoln-hs")
        await pilot.press("enter")                               # the time zone offered: America/New_York
        assert app.screen.query_one("#setup-words").value == "US"                          # a US school's words
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert "page 2 of 7: The school year" in screen_text(app)
        await pilot.press("enter", "enter", "enter")             # year 2026-08-17 to 2027-06-04, Mon-Fri
        await type_text(pilot, "Thanksgiving 11/26")             # the date must come first
        await pilot.press("tab", "enter")
        await pilot.pause()
        area = app.screen.query_one("#setup-holidays", TextArea)
        assert "page 2 of 7" in screen_text(app) and app.focused is area
        error = str(app.screen.query_one("#setup-error-holidays", Static).render())
        assert error.startswith('Days off: line 1: "Thanksgiving 11/26" — start with a date')
        assert area.text == "Thanksgiving 11/26"                 # what was typed is kept
        await pilot.press("ctrl+u")
        await type_text(pilot, "11/26 to 11/27 Thanksgiving break")
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert "page 3 of 7: Bell schedule" in screen_text(app)
        await pilot.press("tab", "enter")                        # the bells offered
        await pilot.press("ctrl+u")
        await type_text(pilot, "Front door")
        await pilot.press("enter")
        await type_text(pilot, "Gym door")
        await pilot.press("tab", "enter")
        await pilot.press("enter", "ctrl+u")                     # a round every 60 minutes; one zone
        await type_text(pilot, "Main hall: Office, Library")
        await pilot.press("tab", "enter")
        await type_text(pilot, "Pat Lee")
        await pilot.press("tab", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "page 7 of 7: Check and save" in text and "Lincoln High School (lincoln-hs)" in text
        assert "1 holiday or break" in text and "Doors: 2" in text
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert "Lincoln High School" in screen_text(app) and "Cedar Hollow" not in screen_text(app)
        assert "2 doors" in screen_text(app)
        desk = app.desk
    path = configured_profile_path()
    assert path == first.profile_path and path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    saved = load_profile(path)
    assert (saved.school.name, saved.school.short_name, saved.school.timezone) == (
        "Lincoln High School", "lincoln-hs", "America/New_York")
    assert saved.doors == ["Front door", "Gym door"] and saved.staff == ["Pat Lee"]
    assert [(h.name, str(h.start), str(h.last)) for h in saved.calendar.holidays] == [
        ("Thanksgiving break", "2026-11-26", "2026-11-27")]
    assert saved.school.uuid == first.uuid and not saved.school.demo
    desk = Desk.open(db, saved, passphrase=PASS)                 # encrypted under the passphrase given
    try:
        ours = school.stored(desk)
        assert (ours.short_name, ours.name, ours.uuid) == ("lincoln-hs", "Lincoln High School", first.uuid)
    finally:
        desk.close()


def test_the_next_start_uses_the_saved_profile_and_refuses_another_schools(tmp_path, no_app_run, capsys,
                                                                            monkeypatch):
    db = tmp_path / "school" / "advocate.db"
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", PASS)
    assert main(["--db", str(db), "--profile", EXAMPLE_PROFILE]) == 0     # a script's first start
    assert "profile kept in" in capsys.readouterr().err
    kept = configured_profile_path()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600 and load_profile(kept).school.short_name == "maple-grove-hs"
    assert main(["--db", str(db)]) == 0                                    # later: the kept profile
    assert [d.profile.school.name for d in no_app_run] == ["Maple Grove High School"] * 2
    other = tmp_path / "other.toml"
    other.write_text(open(EXAMPLE_PROFILE, encoding="utf-8").read()
                     .replace('name = "Maple Grove High School"', 'name = "Riverside Middle School"')
                     .replace('short_name = "maple-grove-hs"', 'short_name = "riverside-ms"'), encoding="utf-8")
    before = db.read_bytes()
    capsys.readouterr()
    assert main(["--db", str(db), "--profile", str(other)]) == 1
    line = one_line(capsys.readouterr().err)
    assert "Maple Grove High School (maple-grove-hs)" in line and "Riverside Middle School (riverside-ms)" in line
    assert db.read_bytes() == before and len(no_app_run) == 2
    renamed = tmp_path / "renamed.toml"                                   # the same school, a new name
    renamed.write_text(open(EXAMPLE_PROFILE, encoding="utf-8").read()
                       .replace('name = "Maple Grove High School"', 'name = "Maple Grove Academy"'), encoding="utf-8")
    assert main(["--db", str(db), "--profile", str(renamed)]) == 0
    assert "the school's name is now 'Maple Grove Academy' (it was 'Maple Grove High School')" in capsys.readouterr().err


def test_the_demo_schools_profile_is_refused_for_a_real_database(tmp_path, no_app_run, capsys, monkeypatch):
    db = tmp_path / "school.db"
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", PASS)
    assert main(["--db", str(db), "--profile", str(DEMO_PROFILE_PATH)]) == 1
    assert "is the demo school's: it opens only the demo's own database" in one_line(capsys.readouterr().err)
    assert not db.exists() and not no_app_run


def test_a_script_without_a_profile_creates_nothing(tmp_path):
    db = tmp_path / "new" / "advocate.db"
    proc = cli("--db", str(db), env={"ADVOCATE_PASSPHRASE": PASS})
    line = one_line(proc.stderr)
    assert proc.returncode == 1 and "--profile FILE" in line and "no school yet" in line
    assert not db.exists()
    proc = cli("--db", str(db))                                           # neither: both asked for, at once
    line = one_line(proc.stderr)
    assert "--profile FILE" in line and "ADVOCATE_PASSPHRASE" in line and not db.exists()


def test_a_database_that_belongs_to_a_school_says_which_when_no_profile_is_given(tmp_path, no_app_run, capsys,
                                                                                 monkeypatch):
    db = tmp_path / "school.db"
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", PASS)
    assert main(["--db", str(db), "--profile", EXAMPLE_PROFILE]) == 0
    configured_profile_path().unlink()                                    # e.g. another user account's desk
    capsys.readouterr()
    assert main(["--db", str(db)]) == 1
    line = one_line(capsys.readouterr().err)
    assert "belongs to Maple Grove High School (maple-grove-hs)" in line and "--profile FILE" in line


def test_a_database_that_ran_on_the_demo_fallback_is_taken_over_by_its_real_profile(tmp_path, no_app_run, capsys,
                                                                                     profile, clock, monkeypatch):
    """Before profiles were asked for, a new database silently got the demo school's identity."""
    db = tmp_path / "old.db"
    old = Desk.open(db, profile, clock=clock, passphrase=PASS)
    old.store.set_meta(school.SCHOOL_KEY, "cedar-hollow-hs")
    old.close()
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", PASS)
    assert main(["--db", str(db)]) == 1                                   # not "belongs to Cedar Hollow"
    assert "has no school yet" in one_line(capsys.readouterr().err)
    assert main(["--db", str(db), "--profile", EXAMPLE_PROFILE]) == 0
    assert "is now Maple Grove High School (maple-grove-hs)'s database" in capsys.readouterr().err
    d = Desk.open(db, load_profile(EXAMPLE_PROFILE), passphrase=PASS)
    try:
        assert school.stored(d).short_name == "maple-grove-hs" and school.stored(d).uuid
    finally:
        d.close()


def test_the_demos_own_database_opens_as_the_demo_without_a_profile(tmp_path, no_app_run):
    """`advocate --db demo.db` (and each browser desk of `advocate serve` on it) is still the demo."""
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db), "--profile", str(DEMO_PROFILE_PATH)]) == 0
    assert main(["--db", str(db)]) == 0
    assert [(d.demo, d.profile.school.name) for d in no_app_run] == [(True, "Cedar Hollow High School")] * 2


async def test_keys_typed_fast_land_where_the_cursor_went(tmp_path):
    """A fast typist (or a paste): enter moves on before the next key is read, so nothing typed after
    it lands in the field just left; enter takes the time zone suggested for what was typed."""
    from forms_helpers import burst

    first = FirstStart(tmp_path / "a.db", PASS, argparse.Namespace(new_pin=None),
                       clock_for=lambda p: Clock.frozen(p, "2026-11-23 10:45"), today=dt.date(2026, 11, 23))
    app = AdvocateApp(None, first_start=first)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await burst(pilot, *"Lincoln HS", "enter", "enter", *"America/Chi", "enter", "enter", "enter", "enter", *" sat",
                    "enter", *"2026-11-26 Thanksgiving")
        assert screen.query_one("#setup-name").value == "Lincoln HS"
        assert screen.query_one("#setup-short_name").value == "lincoln-hs"
        assert screen.query_one("#setup-timezone").value == "America/Chicago"
        assert screen.step == 1 and screen.query_one("#setup-year_start").value == "2026-08-17"
        assert screen.query_one("#setup-school_days").value == "mon tue wed thu fri sat"
        assert screen.query_one("#setup-holidays", TextArea).text == "2026-11-26 Thanksgiving"
        await burst(pilot, "tab", "enter", *"P1 08:00-08:50")                  # on to the bells, typing
        assert screen.step == 2 and screen.query_one("#setup-bells", TextArea).text.endswith("P1 08:00-08:50")


async def test_a_profile_that_cannot_be_saved_says_why_and_keeps_the_answers(tmp_path):
    blocker = tmp_path / "config"
    blocker.write_text("a file where the config folder should be")
    first = FirstStart(tmp_path / "a.db", PASS, argparse.Namespace(new_pin=None),
                       profile_path=blocker / "advocate-tui" / "profile.toml",
                       clock_for=lambda p: Clock.frozen(p, "2026-11-23 10:45"), today=dt.date(2026, 11, 23),
                       timezone="America/Chicago")
    app = AdvocateApp(None, first_start=first)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "Pine Ridge Middle School")
        for _ in range(6):
            await pilot.press("ctrl+n")
        await pilot.press("enter", "enter")                   # twice, quickly: saved (tried) once
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, SchoolSetupScreen) and app.screen.step == 6
        message = str(app.screen.query_one("#setup-message", Static).render())
        assert message.startswith("Not saved: ") and "Traceback" not in message
        await pilot.press("ctrl+b", "ctrl+b", "ctrl+b", "ctrl+b", "ctrl+b", "ctrl+b")
        assert app.screen.query_one("#setup-name").value == "Pine Ridge Middle School"
    assert not (tmp_path / "a.db").exists() and app.desk is None


async def test_a_name_with_brackets_is_shown_as_typed(tmp_path):
    first = FirstStart(tmp_path / "a.db", PASS, argparse.Namespace(new_pin=None),
                       clock_for=lambda p: Clock.frozen(p, "2026-11-23 10:45"), today=dt.date(2026, 11, 23),
                       timezone="America/Chicago")
    app = AdvocateApp(None, first_start=first)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "Crash[/x] [b]Prep[/b]")
        for _ in range(6):
            await pilot.press("ctrl+n")
        await pilot.pause()
        assert "Crash[/x] [b]Prep[/b] (crash-x-b-prep-b)" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and "Crash[/x] [b]Prep[/b]" in screen_text(app)
