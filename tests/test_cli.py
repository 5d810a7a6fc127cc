"""The command line's contract: --help everywhere, one-line errors, non-zero exits, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from advocate_tui.cli import main


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "advocate_tui", *args], capture_output=True, text=True,
                          env=full_env, timeout=120, stdin=subprocess.DEVNULL)


def assert_one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("advocate: ")
    for needle in needles:
        assert needle in lines[0]


def test_help_lists_the_commands():
    proc = run("--help")
    assert proc.returncode == 0
    for word in ("demo", "schemas", "--db", "--coordinator"):
        assert word in proc.stdout


def test_every_subcommand_has_help(capsys):
    from advocate_tui.cli.main import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        assert exc.value.code == 0
        assert "usage: advocate" in capsys.readouterr().out


def test_unknown_command_is_one_line():
    proc = run("frobnicate")
    assert proc.returncode == 2
    assert_one_line_error(proc, "frobnicate")


def test_db_that_is_a_folder(tmp_path):
    proc = run("--db", str(tmp_path))
    assert_one_line_error(proc, str(tmp_path), "folder")


def test_db_that_is_not_sqlite_is_left_untouched(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("these are not the records you are looking for\n")
    before = bad.read_bytes()
    proc = run("--db", str(bad))
    assert_one_line_error(proc, str(bad), "not an advocate-tui database")
    assert bad.read_bytes() == before
    assert not Path(str(bad) + "-wal").exists()


def test_db_in_a_folder_that_cannot_be_made(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = run("--db", str(blocker / "sub" / "a.db"))
    assert_one_line_error(proc, "cannot create")


def test_bad_profile_names_file_and_key(tmp_path):
    prof = tmp_path / "school.toml"
    prof.write_text('[school]\nname = "X"\ntimezone = "Mars/Base"\n')
    proc = run("--profile", str(prof), "--db", str(tmp_path / "a.db"))
    assert_one_line_error(proc, "school.toml", "timezone")
    assert not (tmp_path / "a.db").exists()


def test_schemas_command_writes_files(tmp_path):
    proc = run("schemas", "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert "incident.schema.json" in names and any("bundle" in n for n in names)
