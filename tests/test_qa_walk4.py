"""What the fourth walk found, as a new advocate typing fast and as someone trying to break it, each typed
and read off the screen and checked in the database."""

from __future__ import annotations

import os
import threading

from textual import events
from textual.widgets import Static

from advocate_tui.app import AdvocateApp
from advocate_tui.desk import Desk
from advocate_tui.models import Referral
from advocate_tui.screens.coordinator import CoordinatorScreen
from advocate_tui.screens.coordinator_dialogs import CoordinatorAsk
from main_seed import find, seed_day
from test_qa_walk3 import burst, settle, until


def _release_later(fifo, seconds: float) -> threading.Thread:
    """A writer that opens ``fifo`` after ``seconds`` (and closes it at once): a reader blocked on it then
    reads an empty file, so a test of the code before the fix ends (failing) instead of hanging."""
    def write() -> None:
        threading.Event().wait(seconds)
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:  # nobody is reading it: nothing waits
            return
        os.close(fd)
    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


async def test_a_pipe_folder_or_terminal_typed_as_the_bundle_path_is_refused_in_the_dialog(profile, clock, tmp_path):
    """The coordinator's i, t, then the path of a FIFO (or a folder, or /dev/tty) and enter: opening the FIFO
    waited for a writer and the whole screen froze until something wrote to it. Now the dialog says what the
    path is, where the coordinator is looking, the path kept to correct, and nothing is imported."""
    fifo = tmp_path / "handoff.json"
    os.mkfifo(fifo)
    coord = Desk.open(tmp_path / "c" / "coord.db", profile, clock=clock, user="coordinator")
    try:
        app = AdvocateApp(coord, coordinator=True)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, CoordinatorScreen)
            await pilot.press("i")
            await settle(pilot)
            await pilot.press("t")
            await until(pilot, lambda: isinstance(app.screen, CoordinatorAsk))
            for path, said in ((fifo, "is a pipe"), (tmp_path, "is a folder"), ("/dev/null", "is a device")):
                field = app.screen.query_one("#ask-path")
                field.value = ""
                burst(app, str(path))
                await until(pilot, lambda: field.value == str(path))
                writer = _release_later(fifo, 2.0)
                await pilot.press("enter")
                await settle(pilot)
                assert isinstance(app.screen, CoordinatorAsk), f"{path}: the dialog went away"
                error = str(app.screen.query_one("#ask-error").content)
                assert said in error and "refused unread" in error, error
                assert app.screen.query_one("#ask-path").value == str(path)  # kept, to correct
                writer.join()
        assert coord.store.select(Referral) == []
    finally:
        coord.close()


def test_handoff_import_of_a_pipe_says_so_in_one_line_instead_of_waiting(tmp_path, capsys):
    """`advocate handoff import PIPE`: the bundle reader opened the pipe and waited for a writer (and a file
    swapped for a pipe after the coordinator's folder was listed did the same to the screen). Now it is
    opened without waiting and refused: one line, exit 1, nothing created."""
    from advocate_tui.cli import main

    fifo = tmp_path / "handoff.json"
    os.mkfifo(fifo)
    writer = _release_later(fifo, 2.0)
    assert main(["handoff", "import", str(fifo), "--db", str(tmp_path / "coord.db")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is a pipe" in err[0], err
    writer.join()


def _keys(app, keys) -> None:
    """Keys queued as a terminal delivers fast typing: characters, and names of editing keys."""
    for key in keys:
        if key == "backspace":
            app.post_message(events.Key("backspace", "\x7f"))
        else:
            burst(app, key)


async def test_a_roster_path_corrected_fast_is_the_one_imported_and_escape_asks_before_dropping_it(make_app, desk,
                                                                                                  tmp_path):
    """The roster import screen, the path typed fast with a typo put right ("rostex", backspace, "r.csv") and
    enter: backspace acted only once it had gone up to the app, after the letters behind it, so the file
    looked for was the wrong one ("Nothing was imported"). And escape with a path typed left the screen and
    dropped it without a word. The path now edits in the order typed, and escape asks first (n keeps it)."""
    from advocate_tui.screens.forms.confirm import ConfirmScreen
    from advocate_tui.screens.roster_import import RosterImportScreen

    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,given_name,family_name,grade\nS9001,Ilse,Brenner,9\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(RosterImportScreen())
        await until(pilot, lambda: isinstance(app.screen, RosterImportScreen))
        screen = app.screen
        field = screen.query_one("#roster-path")
        _keys(app, [str(tmp_path / "x"), "backspace", "rostex", "backspace", "r.csv"])
        await until(pilot, lambda: field.value.endswith(".csv"))
        assert field.value == str(roster)
        await pilot.press("escape")                    # typed, not imported: asks
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen and field.value == str(roster)
        screen.query_one("#roster-partial").value = True
        field.focus()
        await pilot.press("enter")
        await until(pilot, lambda: not screen.running and "mport" in str(screen.query_one("#roster-message").render()))
        assert "Imported." in str(screen.query_one("#roster-message").render())
        await pilot.press("escape")                    # imported: nothing to lose, leaves at once
        await settle(pilot)
        assert app.screen is not screen and not isinstance(app.screen, ConfirmScreen)
    assert [s.local_id for s in desk.store.find_students("Brenner")] == ["S9001"]


async def test_a_check_out_comment_corrected_fast_is_the_one_saved(make_app, desk, clock):
    """The CICO check-out card's comment typed fast with a typo put right ("Gox", backspace, "od day"): the
    comment was a plain Input, whose backspace acted after the letters typed behind it ("Goo day" or worse
    was saved). It is a form field now, editing in the order typed."""
    from advocate_tui.models.cico import CicoDay
    from advocate_tui.screens.cico import CicoCardScreen, CicoScreen
    from advocate_tui.services import cico

    cico.enrol(desk, "S1005", periods=["P1", "P2"], on=clock.today())
    clock.set("2026-11-23 15:15")
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await until(pilot, lambda: isinstance(app.screen, CicoScreen))
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, CicoCardScreen))
        card = app.screen
        card.query_one("#card-comment").focus()
        await settle(pilot)
        _keys(app, ["Gox", "backspace", "od day"])
        await until(pilot, lambda: card.query_one("#card-comment").value.endswith("day"))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, CicoScreen))
    assert [d.comment for d in desk.store.select(CicoDay)] == ["Good day"]


async def test_a_then_enter_at_once_on_a_students_page_adds_and_opens_nothing(make_app, desk):
    """On a student's page, a then enter within milliseconds (to take the first kind, as a slow a, enter
    does): the page's enter acts at once (a priority key) while its a still goes through the page's table,
    so enter opened the selected record and the a, coming back up under it, was lost — no follow-up. The
    enter now waits for the a, and goes to the form it opened: Kind takes Tardy, nothing else opens."""
    from advocate_tui.screens.forms.item import ItemScreen
    from advocate_tui.screens.student import StudentScreen

    seed_day(desk.store)
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await find(pilot, "okaf")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, StudentScreen))
        assert app.screen.current() is not None  # a record is selected: what enter alone would open
        app.post_message(events.Key("a", "a"))
        app.post_message(events.Key("enter", "\r"))
        await until(pilot, lambda: getattr(app.screen, "values", None) is not None
                    and app.screen.values().get("attendance_kind") == "tardy" or isinstance(app.screen, ItemScreen))
        assert not any(isinstance(s, ItemScreen) for s in app.screen_stack)
        assert type(app.screen).__name__ == "AttendanceForm"
        assert app.screen.values()["student"] == "S1003" and app.screen.values()["attendance_kind"] == "tardy"


async def test_a_pipe_typed_as_the_roster_path_is_refused_on_the_screen(make_app, desk, tmp_path):
    """The roster import screen, the path of a FIFO (or a device) and ctrl+s: the import's thread opened it
    and waited for a writer, the screen said "Importing…" for good and ctrl+s did nothing more. Now the
    message line says what the path is, the path is kept to correct, and a file imports as before."""
    from advocate_tui.screens.roster_import import RosterImportScreen

    fifo = tmp_path / "users.csv"
    os.mkfifo(fifo)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(RosterImportScreen())
        await until(pilot, lambda: isinstance(app.screen, RosterImportScreen))
        screen = app.screen
        for path, said in ((fifo, "is a pipe"), ("/dev/null", "is a device")):
            screen.query_one("#roster-path").value = str(path)
            writer = _release_later(fifo, 2.0)
            await pilot.press("ctrl+s")
            await until(pilot, lambda: "Importing" not in str(screen.query_one("#roster-message").render()), 4.0)
            message = str(screen.query_one("#roster-message").render())
            assert said in message and "not a roster file" in message, message
            assert not screen.running and screen.query_one("#roster-path").value == str(path)
            writer.join()


def test_check_makes_a_database_open_to_other_users_owner_only_and_says_so(desk, capsys):
    """`advocate check --db X` where X was left readable by everyone (0644: copied in, chmod-ed): the check
    said "integrity: ok" and nothing of it, and SQLite made the -wal and -shm beside it readable by everyone
    too. It now makes them owner-only, as every command that opens the database does, and says so."""
    from advocate_tui.cli import main

    path = desk.store.path
    desk.close()
    os.chmod(path, 0o644)
    assert main(["check", "--db", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "integrity: ok" in out
    assert f"{path} was open to other users (0644); it is now owner-only (0600)" in err
    for file in (path, *(path.with_name(path.name + side) for side in ("-wal", "-shm"))):
        if file.exists():
            assert file.stat().st_mode & 0o077 == 0, (file, oct(file.stat().st_mode))


def test_check_leaves_a_file_that_is_not_a_database_as_it_was(tmp_path, capsys):
    """`advocate check --db roster.csv` (a file of the user's, readable by others): the check made it
    owner-only and said so beside its refusal, two lines for one bad file. A file that is not an advocate-tui
    database is refused in one line and its mode left as it was."""
    from advocate_tui.cli import main

    other = tmp_path / "roster.csv"
    other.write_text("id,name\n1,Ana Garcia\n")
    os.chmod(other, 0o644)
    assert main(["check", "--db", str(other)]) != 0
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and "not an advocate-tui database" in err[0], err
    assert oct(other.stat().st_mode & 0o777) == oct(0o644)


async def test_quit_asks_while_an_unsigned_handoff_summary_is_kept(make_app, desk):
    """H, a shift summary typed, escape (the summary is kept for when H opens again), then ctrl+q: the app
    quit at once and the summary was gone — it is kept only while the app runs. Quit now asks first, n
    stays and H shows the summary; once signed or emptied, quit asks nothing."""
    from advocate_tui.screens.forms.confirm import ConfirmScreen
    from advocate_tui.screens.handoff import HandoffScreen
    from test_qa_walk3 import open_handoff

    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await open_handoff(pilot)
        burst(app, "Quiet day; Okafor wants a circle")
        await until(pilot, lambda: app.screen.query_one("#handoff-summary").text.endswith("circle"))
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, HandoffScreen))
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and app.is_running
        assert "handoff summary" in str(app.screen.query_one(Static).render())
        await pilot.press("n")
        await settle(pilot)
        await open_handoff(pilot)
        assert app.screen.query_one("#handoff-summary").text == "Quiet day; Okafor wants a circle"


async def test_a_search_corrected_fast_opens_the_student_typed(make_app, desk):
    """`/`, then "okax", backspace, "f" and enter in one burst: the search box's backspace acted only once it
    had gone up to the app, after the f, so "okax" was searched (no one, or worse someone else) instead of
    "okaf". The box edits in the order typed now, and enter opens Okafor's page."""
    from advocate_tui.screens.student import StudentScreen

    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        _keys(app, ["okax", "backspace", "f"])
        app.post_message(events.Key("enter", "\r"))
        await until(pilot, lambda: isinstance(app.screen, StudentScreen))
        assert isinstance(app.screen, StudentScreen) and app.screen.student_id == "S1003"
