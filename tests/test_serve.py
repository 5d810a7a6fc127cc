"""``advocate serve``: the browser desk behind its door, tested against a real server on 127.0.0.1.

A real server runs in a subprocess on a free loopback port; its websocket is opened with aiohttp's
client as a browser would, and what the server sends (the terminal output) is read: a fresh desk
shows the lock screen and no student name until the PIN is typed. Pages of another origin are
refused; the passphrase is in no desk's environment or command line (/proc). One more test drives
the page in headless Chromium (it fails, rather than skips, when ``ADVOCATE_REQUIRE_BROWSER=1`` — as
``.ci/run`` sets — and Chromium is missing). Every wait is bounded; all traffic stays on loopback.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from advocate_tui.cli.main import main
from advocate_tui.cli.serve_cmds import served_argv
from advocate_tui.desk import Desk
from advocate_tui.profile import demo_profile
from advocate_tui.services import security
from advocate_tui.store import Store
from advocate_tui.web.door import Door, is_loopback
from conftest import save_real_demo_profile

PASSPHRASE = "correct horse battery staple"
PIN = "2468"
#: what the lock screen itself says (a name that is one of these words is not a leak)
LOCK_WORDS = "Cedar Hollow High School Locked. Type the PIN (or the passphrase) and press Enter. Wrong entry"
ESCAPES = re.compile(r"\x1b\[[0-9;?<=>]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def text_of(stream: bytes) -> str:
    """The terminal output as text: escape sequences removed."""
    return ESCAPES.sub("", stream.decode("utf-8", "replace"))


def names_in(db: Path) -> tuple[set[str], set[str]]:
    """(every given and family name, every "Given Family" name) of the students in ``db`` (a plain file)."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT given_name, family_name FROM students").fetchall()
    words = {w for g, f in rows for w in (g, f) if len(w) >= 3 and w not in LOCK_WORDS}
    return words, {f"{g} {f}" for g, f in rows}


class Served:
    """A running ``advocate serve``: its URL, its process, its database."""

    def __init__(self, db: Path, home: Path, *extra: str, env: dict[str, str] | None = None):
        self.db, self.port = db, free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.origin = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
                   XDG_STATE_HOME=str(home / "state"), **(env or {}))
        save_real_demo_profile(home / "config")  # each desk starts as `advocate --db`: the school's profile
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "advocate_tui", "serve", "--port", str(self.port), "--db", str(db), *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    self.page = response.read().decode()
                    self.headers = response.headers
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise AssertionError(f"server did not start: {self.proc.stderr.read().decode()[-500:]}") from None
                time.sleep(0.2)

    def stop(self) -> tuple[str, str]:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            out, err = self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            out, err = self.proc.communicate(timeout=5)
        return out.decode(errors="replace"), err.decode(errors="replace")


def desk_processes(db: Path) -> list[int]:
    """Pids of desk processes (``-m advocate_tui --db DB``, not the server) on this database."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"advocate_tui" in args and str(db).encode() in args and b"serve" not in args:
            found.append(int(entry.name))
    return found


class Tab:
    """One browser tab's websocket, opened as textual.js opens it (with the page's Origin)."""

    def __init__(self, ws):
        self.ws = ws
        self.stream = b""

    async def read_until(self, wanted: str, seconds: float = 40) -> str:
        """Read what the server sends until ``wanted`` is in the text (or the time is up)."""
        import aiohttp

        deadline = time.monotonic() + seconds
        while wanted not in text_of(self.stream) and time.monotonic() < deadline:
            try:
                message = await asyncio.wait_for(self.ws.receive(), 1)
            except asyncio.TimeoutError:
                continue
            if message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.ERROR):
                break
            if message.type == aiohttp.WSMsgType.BINARY:
                self.stream += message.data
        return text_of(self.stream)

    async def read_for(self, seconds: float) -> str:
        return await self.read_until("\0never\0", seconds)

    async def type(self, text: str) -> None:
        await self.ws.send_json(["stdin", text])


@contextlib.asynccontextmanager
async def tab(served: Served, origin: str | None = None):
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(served.url + "ws?width=120&height=36",
                                      headers={"Origin": origin or served.origin}) as ws:
            yield Tab(ws)


# ---------------------------------------------------------------------------------------------- servers
@pytest.fixture(scope="module")
def demo_server(demo_file, tmp_path_factory):
    """The demo school (~600 fictional students, weeks of records) with a PIN, served."""
    home = tmp_path_factory.mktemp("serve-home")
    db = tmp_path_factory.mktemp("serve-demo") / "demo.db"
    shutil.copyfile(demo_file, db)
    desk = Desk.open(db, demo_profile())
    security.set_pin(desk, PIN)
    desk.close()
    served = Served(db, home)
    yield served
    served.stop()


@pytest.fixture
def encrypted_db(tmp_path):
    from conftest import ROSTER

    path = tmp_path / "school" / "advocate.db"
    store = Store.open(path, tz="America/Chicago", passphrase=PASSPHRASE)
    store.upsert_students(ROSTER)
    store.close()
    return path


# ---------------------------------------------------------------------------------------------- the door
def test_pages_and_sockets_of_another_origin_are_refused(demo_server):
    """Another site's page can't open a desk: a websocket whose Origin is not the server's address (or
    has none) gets 403 and starts no desk; neither does a request for another host name."""
    import aiohttp

    async def attempt(origin: str | None, host: str | None = None) -> int:
        headers = {k: v for k, v in (("Origin", origin), ("Host", host)) if v is not None}
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(demo_server.url + "ws", headers=headers, timeout=aiohttp.ClientWSTimeout(ws_receive=5)):
                    return 101
            except aiohttp.WSServerHandshakeError as exc:
                return exc.status

    port = demo_server.port
    refused = {"https://evil.example": None, f"http://evil.example:{port}": None, "null": None, None: None,
               f"http://127.0.0.1:{port + 1}": None, f"https://127.0.0.1:{port}": None,
               demo_server.origin: f"evil.example:{port}"}  # a rebound DNS name: right Origin text, wrong Host
    for origin, host in refused.items():
        assert asyncio.run(attempt(origin, host)) == 403, (origin, host)
    assert desk_processes(demo_server.db) == []  # nothing was started for them
    for headers in ({"Origin": "https://evil.example"}, {"Host": f"evil.example:{port}"}):
        request = urllib.request.Request(demo_server.url, headers=headers)
        with pytest.raises(urllib.error.HTTPError) as refused_page:
            urllib.request.urlopen(request, timeout=5)
        assert refused_page.value.code == 403
    # the page itself: nothing from other sites, never in another site's frame
    assert "googleapis" not in demo_server.page and "https://" not in demo_server.page
    policy = demo_server.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and f"ws://127.0.0.1:{port}" in policy
    assert demo_server.headers["X-Frame-Options"] == "DENY"


def test_a_fresh_tab_shows_the_lock_and_no_name_until_the_pin(demo_server):
    """What the server sends before the PIN: the lock screen, and not one student name; a wrong PIN
    keeps it locked; the right one opens the desk, names and all. A second tab starts locked again."""
    words, full_names = names_in(demo_server.db)

    async def drive() -> tuple[str, str, str, str]:
        async with tab(demo_server) as first:
            before = await first.read_until("Locked.")
            before += await first.read_for(1.0)  # anything drawn right after the lock
            await first.type("1357\r")
            wrong = await first.read_until("Wrong entry")
            assert "Try again." in await first.read_until("Try again.")  # the first wrong try's wait (1 s) is over
            await first.type(PIN + "\r")
            after = await first.read_until("Referrals", seconds=40)
            after += await first.read_for(1.0)
            async with tab(demo_server) as second:  # a new tab, while the first is open
                second_text = await second.read_until("Locked.")
                second_text += await second.read_for(1.0)
        return before, wrong, after, second_text

    before, wrong, after, second = asyncio.run(drive())
    assert "Locked." in before and "Cedar Hollow High School" in before
    assert "Wrong entry" in wrong
    for text in (before, wrong[len(before):], second):
        leaked = sorted(w for w in words if w in text)
        assert leaked == [], f"names before the PIN: {leaked[:5]}"
    shown = [n for n in full_names if n in after]
    assert len(shown) >= 3, "the unlocked desk shows the students' names"
    assert "Locked." in second


def test_the_passphrase_reaches_each_desk_through_a_pipe_only(encrypted_db, tmp_path):
    """No desk's environment or command line holds the passphrase (/proc); the desk still has it:
    typing it opens the lock. The server's own output never shows it."""
    served = Served(encrypted_db, tmp_path, env={"ADVOCATE_PASSPHRASE": PASSPHRASE})
    seen: dict[int, tuple[bytes, bytes, dict[int, str]]] = {}
    try:
        async def drive() -> str:
            async with tab(served) as desk:
                await desk.read_until("Locked.")
                for pid in desk_processes(encrypted_db):
                    with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                        proc = Path(f"/proc/{pid}")
                        seen[pid] = ((proc / "environ").read_bytes(), (proc / "cmdline").read_bytes(),
                                     {int(fd.name): os.readlink(fd) for fd in (proc / "fd").iterdir()})
                await desk.type(PASSPHRASE + "\r")
                return await desk.read_until("Referrals")

        unlocked = asyncio.run(drive())
    finally:
        out, err = served.stop()
    assert seen, "no desk process was started for the browser"
    for environ, cmdline, fds in seen.values():
        assert PASSPHRASE.encode() not in environ and b"ADVOCATE_PASSPHRASE" not in environ
        assert PASSPHRASE.encode() not in cmdline
        args = cmdline.split(b"\0")
        assert b"--locked" in args and b"--passphrase-fd" in args
        given = int(args[args.index(b"--passphrase-fd") + 1])
        assert given > 2 and not fds.get(given, "").startswith("pipe:"), "the desk left the passphrase pipe open"
    assert "Referrals" in unlocked and "Locked." not in unlocked.split("Referrals")[-1]
    assert PASSPHRASE not in out + err and "Traceback" not in out + err


def test_no_more_than_max_desks_at_once(tmp_path):
    """A ninth browser while eight desks run gets 503, and no process: the machine is not swamped."""
    import aiohttp
    from aiohttp import web

    from advocate_tui.web.server import MAX_DESKS, DeskServer

    port = free_port()
    server = DeskServer([sys.executable, "-c", "raise SystemExit(9)"], passphrase=None, host="127.0.0.1",
                        port=port, public_url=f"http://127.0.0.1:{port}")

    async def drive() -> int:
        runner = web.AppRunner(await server._make_app())
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        try:
            server.desks = MAX_DESKS
            async with aiohttp.ClientSession() as session:
                try:
                    async with session.ws_connect(f"http://127.0.0.1:{port}/ws",
                                                  headers={"Origin": f"http://127.0.0.1:{port}"}):
                        return 101
                except aiohttp.WSServerHandshakeError as exc:
                    return exc.status
        finally:
            await runner.cleanup()

    assert asyncio.run(drive()) == 503 and server.desks == MAX_DESKS


# ---------------------------------------------------------------------------------------------- a real browser
def test_the_page_in_headless_chromium_shows_the_lock_and_no_name(demo_server, tmp_path):
    """Chromium opens the page: it loads nothing from other sites, shows the lock screen and no
    student name; typed keys (the PIN, as key events) open the desk."""
    from browser_cdp import Browser, find_chromium

    chromium = find_chromium()
    if chromium is None:
        if os.environ.get("ADVOCATE_REQUIRE_BROWSER") == "1":
            pytest.fail("ADVOCATE_REQUIRE_BROWSER=1 but Chromium is not installed (.ci/run installs it)")
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run does)")
    words, full_names = names_in(demo_server.db)
    with Browser(chromium, tmp_path / "chromium-profile") as browser:
        browser.send("Page.navigate", {"url": demo_server.url})
        browser.wait_for("Locked.")
        time.sleep(1.0)  # anything drawn right after the lock
        raw_locked = browser.received()
        locked = text_of(raw_locked.encode())
        shot = browser.screenshot(tmp_path / "locked.png")
        assert "Locked." in locked and "Cedar Hollow High School" in locked
        assert sorted(w for w in words if w in locked) == []
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 5000
        assert browser.evaluate("document.querySelectorAll('.xterm').length") == 1
        foreign = [u for u in browser.requested_urls() if not u.startswith(demo_server.origin)]
        assert foreign == [], f"the page loaded from elsewhere: {foreign}"
        browser.click(640, 360)  # focus the terminal, as a person would
        browser.type(PIN + "\n")
        browser.wait_for("Referrals")
        time.sleep(2.0)  # the panes fill in
        opened = text_of(browser.received()[len(raw_locked):].encode())
        browser.screenshot(tmp_path / "unlocked.png")
    assert "Referrals" in opened and any(n in opened for n in full_names)


# ---------------------------------------------------------------------------------------------- the command line
@pytest.fixture(autouse=True)
def school_profile(private_dirs):
    """The school's profile.toml in the (private) config folder, as a real school keeps it."""
    return save_real_demo_profile(private_dirs / "xdg_config_home")


@pytest.fixture
def pinned_db(tmp_path):
    """An unencrypted database with a PIN (these tests serve it with --allow-plain)."""
    db = tmp_path / "school.db"
    desk = Desk.open(db, demo_profile())
    security.set_pin(desk, PIN)
    desk.close()
    return db


@pytest.fixture
def no_serving(monkeypatch):
    started = []
    monkeypatch.setattr("advocate_tui.web.server.DeskServer.serve", lambda self, debug=False: started.append(self))
    return started


def test_other_machines_only_with_allow_remote(pinned_db, no_serving, capsys):
    assert main(["serve", "--allow-plain", "--db", str(pinned_db), "--port", "8123"]) == 0
    assert capsys.readouterr().err == ""
    server = no_serving[-1]
    assert (server.host, server.port) == ("127.0.0.1", 8123)
    assert "--locked" in server.argv and "--db" in server.argv
    assert "--allow-plain" in server.argv  # each desk may open the unencrypted test database too
    for host in ("0.0.0.0", "192.168.1.20", "desk2.school.example"):
        assert main(["serve", "--allow-plain", "--host", host, "--db", str(pinned_db)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "--allow-remote" in err[0] and "SSH" in err[0] and "TLS proxy" in err[0]
    assert len(no_serving) == 1
    assert main(["serve", "--allow-plain", "--host", "192.168.1.20", "--allow-remote", "--db", str(pinned_db)]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "SSH port forwarding or a TLS proxy" in err[0]
    assert no_serving[-1].door.allows_origin("http://192.168.1.20:8000")
    # every address: only with the address browsers use
    assert main(["serve", "--allow-plain", "--host", "0.0.0.0", "--allow-remote", "--db", str(pinned_db)]) == 2
    assert "--public-url" in capsys.readouterr().err
    assert main(["serve", "--allow-plain", "--host", "0.0.0.0", "--allow-remote", "--public-url", "https://desk.school.example",
                 "--db", str(pinned_db)]) == 0
    door = no_serving[-1].door
    assert door.allows_origin("https://desk.school.example") and not door.allows_origin("http://desk.school.example")
    assert main(["serve", "--allow-plain", "--public-url", "javascript:alert(1)", "--db", str(pinned_db)]) == 2


def test_serve_refuses_a_desk_anyone_could_open(tmp_path, no_serving, capsys):
    """A database with neither passphrase nor PIN would open for anyone: refused in one line."""
    db = tmp_path / "plain.db"
    Desk.open(db, demo_profile()).close()
    assert main(["serve", "--allow-plain", "--db", str(db)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "advocate pin" in err[0]
    assert main(["serve", "--allow-plain", "--db", str(tmp_path / "missing.db")]) == 1
    assert "no database" in capsys.readouterr().err
    assert not (tmp_path / "missing.db").exists() and no_serving == []


def test_serve_refuses_a_wrong_passphrase_before_listening(encrypted_db, monkeypatch, no_serving, capsys):
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", "not the passphrase at all")
    assert main(["serve", "--db", str(encrypted_db)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("advocate: ") and no_serving == []


def test_passphrase_fd_is_read_once_and_never_an_argument(encrypted_db):
    """``--passphrase-fd N``: the passphrase comes from the inherited pipe; a bad descriptor is one line."""
    read_end, write_end = os.pipe()
    os.write(write_end, PASSPHRASE.encode() + b"\n")
    os.close(write_end)
    env = {k: v for k, v in os.environ.items() if k != "ADVOCATE_PASSPHRASE"}
    try:
        done = subprocess.run([sys.executable, "-m", "advocate_tui", "check", "--db", str(encrypted_db),
                               "--passphrase-fd", str(read_end)], pass_fds=(read_end,), env=env,
                              capture_output=True, text=True, timeout=60)
    finally:
        os.close(read_end)
    assert done.returncode == 0, done.stderr
    bad = subprocess.run([sys.executable, "-m", "advocate_tui", "check", "--db", str(encrypted_db),
                          "--passphrase-fd", "97"], env=env, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "97" in bad.stderr


def test_the_door_knows_the_servers_own_addresses():
    door = Door("127.0.0.1", 8000)
    assert door.allows_origin("http://127.0.0.1:8000") and door.allows_origin("http://localhost:8000")
    assert door.allows_origin("HTTP://LOCALHOST:8000")
    for bad in (None, "", "null", "http://127.0.0.1:8001", "https://127.0.0.1:8000", "http://127.0.0.2:8000",
                "file://", "http://evil.example", "http://127.0.0.1.evil.example:8000"):
        assert not door.allows_origin(bad), bad
    assert door.allows_host("127.0.0.1:8000") and door.allows_host("localhost:8000")
    assert not door.allows_host("evil.example:8000") and not door.allows_host(None) and not door.allows_host("127.0.0.1")
    proxied = Door("127.0.0.1", 8000, "https://desk.school.example")
    assert proxied.allows_origin("https://desk.school.example") and proxied.allows_origin("https://desk.school.example:443")
    assert proxied.allows_host("desk.school.example") and not proxied.allows_host("desk.school.example:8000")
    assert Door("::1", 8000).allows_origin("http://[::1]:8000")
    assert is_loopback("127.0.0.2") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20") and not is_loopback("desk2.school.example")


def test_served_argv_has_no_secret_and_starts_locked(tmp_path):
    import argparse

    argv = served_argv(tmp_path / "my school.db", argparse.Namespace(profile=None, coordinator=True))
    assert argv[:3] == [sys.executable, "-m", "advocate_tui"] and str(tmp_path / "my school.db") in argv
    assert "--locked" in argv and argv[-1] == "--coordinator"
    assert not any("passphrase" in a for a in argv)
