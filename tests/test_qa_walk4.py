"""What the fourth walk found, as a new advocate typing fast and as someone trying to break it, each typed
and read off the screen and checked in the database."""

from __future__ import annotations

import os
import threading

from textual import events

from advocate_tui.app import AdvocateApp
from advocate_tui.desk import Desk
from advocate_tui.models import Referral
from advocate_tui.screens.coordinator import CoordinatorScreen
from advocate_tui.screens.coordinator_dialogs import CoordinatorAsk
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

