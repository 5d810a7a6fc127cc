"""Kill -9 a desk that is saving, at random moments, many times in a row: after each kill the file
passes SQLite's integrity check and every record the desk reported as saved is there. A SIGKILL
loses nothing even with ``synchronous=OFF`` (the kernel keeps what was written), so each desk also
reports its connection's settings, and a test checks every connection the app opens (worker threads
too) is set for a power cut: ``synchronous=FULL``.

The full run is 200 kills (the default); under CI (CI=true) 40. Set ADVOCATE_CRASH_KILLS to choose:
``ADVOCATE_CRASH_KILLS=200 .venv/bin/python -m pytest tests/test_crash_kill.py``.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from conftest import ROSTER
from durability_child import durability

from advocate_tui.desk import Desk
from advocate_tui.models import ContactNote
from advocate_tui.store import Store

CHILD = Path(__file__).with_name("durability_child.py")
PASS = "correct horse battery"
KILLS = int(os.environ.get("ADVOCATE_CRASH_KILLS") or (40 if os.environ.get("CI") else 200))
#: what every connection the app opens must say (``durability_child.durability``): FULL survives a
#: power cut, not only the crash a SIGKILL makes (which even synchronous=OFF survives)
DURABLE = "synchronous=2 journal_mode=wal foreign_keys=1 recursive_triggers=1"


def _zygote(db: Path) -> subprocess.Popen:
    """A process with everything imported that forks one saving desk per kill (see durability_child)."""
    env = {**os.environ, "ADVOCATE_PASSPHRASE": PASS, "PYTHONPATH": str(Path(__file__).parents[1])}
    proc = subprocess.Popen([sys.executable, str(CHILD), "--zygote", str(db)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "zygote"
    return proc


def _wait_ready(out: Path, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if out.exists() and out.read_text().startswith("ready"):
            return
        time.sleep(0.005)
    raise AssertionError("the desk did not start")


def test_sigkill_at_random_moments_loses_nothing_reported_saved(profile, clock, db_path, tmp_path):
    d = Desk.open(db_path, profile, clock=clock, passphrase=PASS)
    d.store.upsert_students(ROSTER)
    d.close()
    rng = random.Random(int(os.environ.get("ADVOCATE_CRASH_SEED", "2026")))
    reported: set[str] = set()
    checked = 0
    zygote = _zygote(db_path)
    assert zygote.stdin is not None and zygote.stdout is not None
    try:
        for n in range(KILLS):
            out = tmp_path / f"desk-{n}.out"
            zygote.stdin.write(f"{out} k{n}\n")
            zygote.stdin.flush()
            pid = int(zygote.stdout.readline())
            # most kills land while it saves; some while it is still opening the database
            if rng.random() < 0.9:
                _wait_ready(out)
                time.sleep(rng.uniform(0.0, 0.25))
            else:
                time.sleep(rng.uniform(0.0, 0.1))
            os.kill(pid, signal.SIGKILL)
            text = out.read_text() if out.exists() else ""
            if text.startswith("ready"):  # one write of one line: the desk's connection settings
                assert text.splitlines()[0] == f"ready {DURABLE}", (n, text.splitlines()[0])
                checked += 1
            lines = [ln for ln in text.splitlines() if ln and not ln.startswith("ready")]
            assert not any(ln.startswith("ERROR") for ln in lines), (n, lines[-3:])
            # the last line may be cut by the kill: only whole lines count as reported
            if lines and not text.endswith("\n"):
                lines.pop()
            reported.update(lines)
            _check(db_path, reported, n)
    finally:
        zygote.stdin.close()
        zygote.kill()
        zygote.wait()
    assert len(reported) > KILLS  # it really was saving when killed
    assert checked > KILLS // 2  # and most desks said how durable their connection was
    store = Store.open(db_path, passphrase=PASS, create=False)
    assert len(store.select(ContactNote)) >= len(reported)
    store.close()


def _check(db_path: Path, reported: set[str], n: int) -> None:
    store = Store.open(db_path, passphrase=PASS, create=False)
    try:
        assert store.integrity_check() == [], f"after kill {n}"
        ids = {row["id"] for row in store.db.query("SELECT id FROM contact_notes")}
        missing = reported - ids
        assert not missing, f"after kill {n}: {len(missing)} reported-saved record(s) missing"
        audited = {row["record_id"] for row in
                   store.db.query("SELECT record_id FROM audit WHERE record_type = 'contact_note'")}
        assert ids <= audited, f"after kill {n}: a record without its audit entry"
    finally:
        store.close()


async def test_every_connection_the_app_opens_would_survive_a_power_cut(desk, monkeypatch):
    """The app's own connection and those its worker threads open (here: the handoff's sign-off, which
    writes on its own connection) are all FULL, WAL, with foreign keys and recursive triggers on."""
    from handoff_helpers import busy_day
    from test_handoff_flow import open_handoff, type_text

    from advocate_tui.app import AdvocateApp
    from advocate_tui.models import Handoff
    from advocate_tui.store import engine

    opened: list[tuple[str, str]] = []
    real_connect = engine.connect

    def noting(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        opened.append((threading.current_thread().name, durability(conn)))
        return conn

    monkeypatch.setattr(engine, "connect", noting)
    busy_day(desk)
    app = AdvocateApp(desk)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await open_handoff(app, pilot)
        await pilot.press("tab")
        await type_text(pilot, "JR")
        await pilot.press("ctrl+s", "y")  # sign-off asks first
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert len(desk.store.select(Handoff)) == 1  # signed, on the worker's connection
    assert [name for name, _ in opened if name != threading.main_thread().name], opened  # a worker's own
    assert {settings for _, settings in opened} == {DURABLE}
    assert durability(desk.store.db.conn) == DURABLE
    twin = desk.store.reopen()
    assert durability(twin.db.conn) == DURABLE
    twin.close()
