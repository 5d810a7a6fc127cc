"""What an attacker's (and a careless user's) walk through the README's promises broke, each driven as
they would: a second program on the file of an open desk (its saves unseen, its log deleted), a paste
holding terminal codes (scrambled into key presses), and a real school's profile on the demo's
database (reports and bundles under the wrong school's name)."""

from __future__ import annotations

import subprocess
import sys

from conftest import reopen
from forms_helpers import SIZE, open_form, type_text

from advocate_tui.app import AdvocateApp
from advocate_tui.models import ContactNote
from advocate_tui.screens.forms import ContactForm

#: another program on the same file (a second desk, `sqlite3`, Datasette, a backup job): it opens the
#: database, reads, and closes it — as the last connection it knows of
VISIT = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
         "print(c.execute('select count(*) from contact_notes').fetchone()[0]); c.close()")


def _other_program_counts_notes(path) -> int:
    done = subprocess.run([sys.executable, "-c", VISIT, str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


async def test_a_save_on_an_open_desk_is_seen_by_another_program_after_it_visited_the_file(desk):
    """Two desks on one file see each other's saves (PRODUCT: 'both desks see each other's saves').
    Before: the desk's start read the file's first bytes with open()/close(), which dropped every lock
    its SQLite connection held on the file (fcntl: closing any descriptor of a file releases them all);
    another program closing the file then took itself for the last one and deleted the write-ahead log
    from under the open desk, whose next saves went into the deleted log: the other desk (or a backup,
    or `advocate check`) never saw them, and a crash lost them. (The desk's second start, on the file
    its first made: every school day but the first.)"""
    desk = reopen(desk)
    path = desk.store.path
    app = AdvocateApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert _other_program_counts_notes(path) == 0  # a second program visits while the desk is open
        await open_form(pilot, "c", ContactForm)
        await type_text(pilot, "S1004")
        await pilot.press("enter", "c", "h", "enter")
        await type_text(pilot, "saved while another desk looked")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [n.note for n in desk.store.on_day(ContactNote, "2026-11-23")] == ["saved while another desk looked"]
        assert _other_program_counts_notes(path) == 1  # the other desk sees the save, the desk still open
        assert path.with_name(path.name + "-wal").exists()
    desk.close()


#: a note copied from a web page that hid terminal codes in it: a link's code around "ev", a title, an erase
PASTED = ("PASTE [link=https://x]click[/link] \x1b]8;;https://evil.example\x1b\\ev\x1b]8;;\x1b\\ "
          "\x1b]0;title\x07\x1b[2J q H i tail")


async def test_a_paste_holding_terminal_codes_arrives_whole_and_in_order(desk, make_app):
    """README: 'a pasted terminal sequence goes whole; the text it showed stays'. Before: Textual's
    input parser took the codes inside a bracketed paste for the terminal's own sequences, so what
    followed each ESC came as key presses before the rest of the paste: the note was stored
    scrambled ('^]8;;https://evil.example^\\ev…' first, then 'PASTE [link…'), and on the main screen
    those key presses were the desk's own keys. The bytes go through the parser the terminal driver
    uses, then into the contact note form."""
    from textual import events
    from textual.drivers import linux_driver

    app = make_app()  # (making the app chooses its terminal driver and the parser it reads with)
    parser = linux_driver.XTermParser(False)
    got = list(parser.feed("\x1b[200~" + PASTED + "\x1b[201~"))
    assert [type(e) for e in got] == [events.Paste]  # one paste, no key pressed
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, "c", ContactForm)
        await type_text(pilot, "S1004")
        await pilot.press("enter", "c", "h", "enter")
        for event in got:
            event.set_sender(app)
            app._driver.send_message(event)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    [note] = desk.store.on_day(ContactNote, "2026-11-23")
    assert note.note == "PASTE [link=https://x]click[/link] ev  q H i tail"


def _advocate(*args: str) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "advocate_tui", *args], capture_output=True, text=True,
                          env=dict(os.environ), timeout=120, stdin=subprocess.DEVNULL)


def test_a_real_schools_profile_never_takes_the_demo_database(demo_file, tmp_path):
    """README: a profile of another school is refused in one line naming both schools, before anything
    is written. Before: the demo's database keeps no school of its own, so with a real school's
    profile (the config folder's profile.toml, or --profile) `advocate report --db demo.db` wrote the
    demo's counts as 'program-report-maple-grove-hs-…' (the real school's name, year and time zone),
    `handoff export` a signed bundle naming the real school, and `advocate --db demo.db` wrote the real
    school's name and uuid into the demo's database (its backups then passed for the school's own)."""
    import shutil
    import sqlite3

    from conftest import EXAMPLE_PROFILE

    db = tmp_path / "demo.db"
    shutil.copy(demo_file, db)
    before = db.read_bytes()
    for command in (["report", "--out", str(tmp_path / "report")],
                    ["handoff", "export", "--date", "2026-11-20", "--out", str(tmp_path / "bundle")],
                    ["export", "--json", str(tmp_path / "json")]):
        done = _advocate(*command, "--db", str(db), "--profile", EXAMPLE_PROFILE)
        lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
        assert done.returncode == 1 and len(lines) == 1, (command, done.stderr)
        assert "demo school's database" in lines[0] and "Maple Grove High School" in lines[0]
        assert not (tmp_path / command[-1].rsplit("/", 1)[-1]).exists()  # nothing written
    assert db.read_bytes() == before
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from meta where key like 'school.%'").fetchone()[0] == 0
