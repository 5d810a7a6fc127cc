"""``advocate serve``: the app in a browser for a second desk (textual-serve), on loopback.

A real server runs in a subprocess on 127.0.0.1 with a free port; the page is fetched with urllib and
the app is opened over its websocket. One more test drives the page in headless Chromium where
``/usr/bin/chromium`` exists (it is not installed for the tests).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from advocate_tui.cli.main import main
from advocate_tui.cli.report_cmds import is_loopback, served_command
from advocate_tui.store import Store

PASSPHRASE = "correct horse battery staple"
CHROMIUM = Path("/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def encrypted_db(tmp_path, conftest_roster):
    path = tmp_path / "school" / "advocate.db"
    store = Store.open(path, tz="America/Chicago", passphrase=PASSPHRASE)
    store.upsert_students(conftest_roster)
    store.close()
    return path


@pytest.fixture
def conftest_roster():
    from conftest import ROSTER

    return ROSTER


@contextlib.contextmanager
def server(db: Path, env_home: Path, *extra: str):
    """``advocate serve`` in its own process group on a free loopback port; stopped (group-wide) at the end."""
    port = free_port()
    env = dict(os.environ, ADVOCATE_PASSPHRASE=PASSPHRASE, XDG_DATA_HOME=str(env_home / "data"),
               XDG_CONFIG_HOME=str(env_home / "config"), XDG_STATE_HOME=str(env_home / "state"))
    proc = subprocess.Popen([sys.executable, "-m", "advocate_tui", "serve", "--port", str(port), "--db", str(db), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    page = response.read().decode()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"server did not start: {proc.stderr.read().decode()[-500:]}") from None
                time.sleep(0.2)
        yield url, page, proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def app_processes(db: Path) -> list[int]:
    """Pids of app processes (``-m advocate_tui --db DB``, not the server) serving this database."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"advocate_tui" in args and str(db).encode() in args and b"serve" not in args and args[0] != b"/bin/sh":
            found.append(int(entry.name))
    return found


async def read_screen(url: str, wanted: bytes, seconds: float = 30) -> bytes:
    """Open the app's websocket as a browser would and read what it draws until ``wanted`` shows."""
    import aiohttp

    got = b""
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(url + "ws?width=120&height=36") as ws:
            deadline = time.monotonic() + seconds
            while wanted not in got and time.monotonic() < deadline:
                try:
                    message = await asyncio.wait_for(ws.receive(), 2)
                except asyncio.TimeoutError:
                    continue
                if message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                    break
                data = message.data
                got += data if isinstance(data, bytes) else str(data).encode()
            return got


def test_serve_on_loopback_page_and_app(encrypted_db, tmp_path):
    with server(encrypted_db, tmp_path) as (url, page, proc):
        assert "textual.js" in page and "ws://127.0.0.1:" in page and "<div>advocate-tui</div>" in page
        seen: dict[str, list[int]] = {}

        async def drive():
            task = asyncio.create_task(read_screen(url, b"Cedar Hollow High School"))
            deadline = time.monotonic() + 30
            while not seen.get("pids") and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
                seen["pids"] = app_processes(encrypted_db)
            return await task

        screen = asyncio.run(drive())
        assert b"Cedar Hollow High School" in screen  # the app opened the encrypted database and drew
        assert seen["pids"], "no app process was started for the browser"
        for pid in seen["pids"]:
            with contextlib.suppress(FileNotFoundError):
                args = Path(f"/proc/{pid}/cmdline").read_bytes()
                assert PASSPHRASE.encode() not in args
    err = proc.stderr.read().decode()
    assert "WARNING" not in err and PASSPHRASE not in err


@pytest.mark.skipif(not CHROMIUM.exists(), reason="headless Chromium test: /usr/bin/chromium is not installed on "
                                                   "this machine (tests never install it)")
def test_serve_in_headless_chromium(encrypted_db, tmp_path):
    with server(encrypted_db, tmp_path) as (url, _page, _proc):
        profile_dir = tmp_path / "chromium-profile"
        browser = subprocess.Popen(
            [str(CHROMIUM), "--headless=new", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile_dir}",
             "--virtual-time-budget=20000", "--dump-dom", url],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            pids: list[int] = []
            deadline = time.monotonic() + 40
            while not pids and browser.poll() is None and time.monotonic() < deadline:
                pids = app_processes(encrypted_db)
                time.sleep(0.2)
            dom, _ = browser.communicate(timeout=60)
        finally:
            if browser.poll() is None:
                os.killpg(browser.pid, signal.SIGKILL)
                browser.wait(5)
        assert pids, "the browser's page did not start the app over its websocket"
        assert b"xterm" in dom


def test_serve_warns_when_not_on_loopback(tmp_path, monkeypatch, capsys):
    db = tmp_path / "school.db"
    Store.open(db, tz="America/Chicago").close()
    started = []
    monkeypatch.setattr("textual_serve.server.Server.serve", lambda self, debug=False: started.append(self))
    assert main(["serve", "--db", str(db), "--port", "8123"]) == 0
    assert "WARNING" not in capsys.readouterr().err
    assert started[-1].host == "127.0.0.1" and started[-1].port == 8123
    assert main(["serve", "--host", "0.0.0.0", "--db", str(db)]) == 0
    err = capsys.readouterr().err
    assert "WARNING: serving on 0.0.0.0" in err and "no login" in err
    assert "--db" in started[-1].command and "advocate_tui" in started[-1].command


def test_serve_refuses_a_wrong_passphrase_before_listening(encrypted_db, monkeypatch, capsys):
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", "not the passphrase at all")
    monkeypatch.setattr("textual_serve.server.Server.serve", lambda self, debug=False: pytest.fail("served"))
    assert main(["serve", "--db", str(encrypted_db)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("advocate: ")


def test_loopback_and_served_command(tmp_path):
    import argparse

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1") and is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20") and not is_loopback("desk2.school.example")
    command = served_command(tmp_path / "my school.db", argparse.Namespace(profile=None, coordinator=True))
    assert command.endswith("--coordinator") and "'" + str(tmp_path / "my school.db") + "'" in command
    assert shutil.which(command.split()[0]) or Path(command.split()[0]).exists()
