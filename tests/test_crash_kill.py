"""Kill -9 a desk that is saving, at random moments, many times in a row: after each kill the file
passes SQLite's integrity check and every record the desk reported as saved is there.

The full run is 200 kills (the default); under CI (CI=true) 40. Set ADVOCATE_CRASH_KILLS to choose:
``ADVOCATE_CRASH_KILLS=200 .venv/bin/python -m pytest tests/test_crash_kill.py``.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROSTER

from advocate_tui.desk import Desk
from advocate_tui.models import ContactNote
from advocate_tui.store import Store

CHILD = Path(__file__).with_name("durability_child.py")
PASS = "correct horse battery"
KILLS = int(os.environ.get("ADVOCATE_CRASH_KILLS") or (40 if os.environ.get("CI") else 200))


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
            lines = [ln for ln in (out.read_text() if out.exists() else "").splitlines()
                     if ln and ln != "ready"]
            assert not any(ln.startswith("ERROR") for ln in lines), (n, lines[-3:])
            # the last line may be cut by the kill: only whole lines count as reported
            text = out.read_text() if out.exists() else ""
            if lines and not text.endswith("\n"):
                lines.pop()
            reported.update(lines)
            _check(db_path, reported, n)
    finally:
        zygote.stdin.close()
        zygote.kill()
        zygote.wait()
    assert len(reported) > KILLS  # it really was saving when killed
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
