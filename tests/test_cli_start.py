"""The command line's start of the app: read before anything heavy is loaded, the key derived early,
and Python's collector back on once the app's first screen is painted and after every command (a
shift runs for hours)."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from advocate_tui.app import AdvocateApp
from advocate_tui.cli.main import main
from advocate_tui.desk import Desk
from advocate_tui.store import engine

PASS = "correct horse battery"


@pytest.fixture
def school(tmp_path, profile, monkeypatch):
    """An encrypted school database claimed by the demo profile saved as a real school's; the
    passphrase in the environment, as a desk started by a script has it."""
    from advocate_tui.profile_toml import profile_to_toml
    from advocate_tui.services import school as school_service

    real = profile.model_copy(update={"school": profile.school.model_copy(update={"demo": False})})
    pfile = tmp_path / "profile.toml"
    pfile.write_text(profile_to_toml(real, "test"), encoding="utf-8")
    db = tmp_path / "school" / "school.db"
    desk = Desk.open(db, real, passphrase=PASS)
    school_service.claim(desk)
    desk.close()
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", PASS)
    return db, pfile


def test_the_collector_is_on_after_the_app_and_its_key_was_derived_before_the_profile_was_read(
        school, monkeypatch):
    from advocate_tui.cli import first_start

    db, pfile = school
    events = []
    real_ahead, real_choose = engine.derive_ahead, first_start.choose_profile
    monkeypatch.setattr(engine, "derive_ahead", lambda *a: (events.append("key"), real_ahead(*a)))
    monkeypatch.setattr(first_start, "choose_profile", lambda args: (events.append("profile"), real_choose(args))[1])
    monkeypatch.setattr(AdvocateApp, "run", lambda self, *a, **k: events.append(("app", gc.isenabled())))
    engine.forget_keys()
    assert main(["--db", str(db), "--profile", str(pfile)]) == 0
    assert events[0] == "key" and events.index("profile") > 0   # the key first: its thread overlaps the imports
    assert events[-1] == ("app", False)                         # off until the first screen is painted...
    assert gc.isenabled()                                       # ...and on again however the app ended


async def test_the_collector_the_start_paused_is_back_on_once_the_first_screen_is_painted(school):
    """A shift runs for hours: the collector the start turned off (the start's objects frozen, the first
    screen made without a full collection among its rows) is on again as soon as the desk is up."""
    from advocate_tui import start_gc
    from advocate_tui.profile import load_profile

    db, pfile = school
    desk = Desk.open(db, load_profile(pfile), passphrase=PASS)
    start_gc.pause()
    start_gc.resume(enable=False)
    try:
        assert not gc.isenabled()
        app = AdvocateApp(desk)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            await pilot.pause()
            assert gc.isenabled()
            assert app.screen.query_one("#incidents") is not None
    finally:
        start_gc.after_first_screen()
        desk.close()
        gc.enable()


def test_a_passphrase_file_that_gives_it_once_starts_the_app(school, monkeypatch):
    """``--passphrase-file <(pass show school)``: a pipe gives the passphrase once; the start reads it
    once (it read the file each time it asked: the second read found the pipe empty, "passphrase file
    … is empty", on main too)."""
    import os

    db, pfile = school
    monkeypatch.delenv("ADVOCATE_PASSPHRASE")
    started = []
    monkeypatch.setattr(AdvocateApp, "run", lambda self, *a, **k: started.append(self.desk.store.path))
    read, write = os.pipe()
    os.write(write, PASS.encode() + b"\n")
    os.close(write)
    try:
        assert main(["--db", str(db), "--profile", str(pfile), "--passphrase-file", f"/dev/fd/{read}"]) == 0
    finally:
        os.close(read)
    assert started == [db]


def test_help_a_usage_error_a_command_and_a_refused_start_leave_the_collector_on(tmp_path):
    for argv, code in ((["--help"], 0), (["roster", "--help"], 0), (["frobnicate"], 2), (["--version"], 0)):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == code
        assert gc.isenabled(), argv
    assert main(["schemas", "--out", str(tmp_path / "schemas")]) == 0
    assert gc.isenabled()
    assert main(["--db", str(tmp_path)]) == 1                   # a folder: refused in one line
    assert gc.isenabled()


def test_the_command_line_is_read_before_pydantic_the_profile_the_store_or_textual_is_loaded(tmp_path):
    """``advocate --help`` answers at once, and a start knows its passphrase (and starts deriving the
    file's key) before the app's modules are loaded."""
    code = ("import sys\n"
            "from advocate_tui.cli.main import build_parser\n"
            f"build_parser().parse_args(['--db', {str(tmp_path / 'a.db')!r}, '--coordinator'])\n"
            "heavy = ('pydantic', 'textual', 'advocate_tui.profile', 'advocate_tui.models', 'advocate_tui.store.core',"
            " 'advocate_tui.app', 'advocate_tui.cli.roster_cmds', 'advocate_tui.cli.serve_cmds')\n"
            "print(sorted(m for m in heavy if m in sys.modules))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_the_help_and_every_command_are_as_when_every_command_module_was_loaded_first(monkeypatch, capsys):
    """The sub-commands are registered from a table (their modules imported when used): ``advocate
    --help``, a mistyped command's line and each command's own help are what the modules add."""
    import argparse
    import importlib

    cli_main = importlib.import_module("advocate_tui.cli.main")  # (the package's ``main`` is the function)
    lazy = cli_main.build_parser()
    monkeypatch.setattr(cli_main, "_Commands", argparse._SubParsersAction)  # argparse's own: filled now
    eager = cli_main.build_parser()
    sub = next(a for a in eager._actions if isinstance(a, argparse._SubParsersAction))
    for module in cli_main.COMMAND_MODULES:
        importlib.import_module(f"advocate_tui.cli.{module}").register(sub)
    assert list(sub.choices) == list(cli_main.COMMANDS)            # the table names every command, in order
    assert lazy.format_help() == eager.format_help()
    commands = next(a for a in lazy._actions if isinstance(a, argparse._SubParsersAction))
    for name in cli_main.COMMANDS:
        with pytest.raises(SystemExit):
            lazy.parse_args([name, "--help"])
        assert capsys.readouterr().out == sub.choices[name].format_help()
        assert commands._name_parser_map[name].format_help() == sub.choices[name].format_help()
    lines = []
    for parser in (lazy, eager):
        with pytest.raises(SystemExit):
            parser.parse_args(["frobnicate"])
        lines.append(capsys.readouterr().err)
    assert lines[0] == lines[1] and "'demo', 'schemas', 'handoff'" in lines[0]
