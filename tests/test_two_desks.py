"""Two desks (two processes) write to one database file at the same time for a while: every record
from both is there, exactly once, neither ever hit "database is locked", and each made a fair share
of the saves.

The full run is 30 seconds (the default); under CI (CI=true) 8. ADVOCATE_TWO_DESK_SECONDS chooses:
``ADVOCATE_TWO_DESK_SECONDS=30 .venv/bin/python -m pytest tests/test_two_desks.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conftest import ROSTER

from advocate_tui.desk import Desk
from advocate_tui.store import Store
from test_crash_kill import DURABLE

CHILD = Path(__file__).with_name("durability_child.py")
PASS = "correct horse battery"
SECONDS = float(os.environ.get("ADVOCATE_TWO_DESK_SECONDS") or (8 if os.environ.get("CI") else 30))
#: the least share of all saves each of the two desks must make (an even split is 0.5; on a 2-core
#: machine loaded by other test runs, and with both outputs read at once, the split stays near even)
FAIR_SHARE = 0.3


def test_two_desks_write_at_once_and_nothing_is_lost(profile, clock, db_path):
    d = Desk.open(db_path, profile, clock=clock, passphrase=PASS)
    d.store.upsert_students(ROSTER)
    d.close()
    env = {**os.environ, "ADVOCATE_PASSPHRASE": PASS, "PYTHONPATH": str(Path(__file__).parents[1])}
    desks = [subprocess.Popen([sys.executable, str(CHILD), str(db_path), tag, str(SECONDS)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for tag in ("front", "back")]
    # both desks' output read at once: read one after the other, the second desk blocked on a full
    # 64 KiB pipe after ~1,980 saves (its ids) and the split looked unfair when it was not
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda p: p.communicate(timeout=SECONDS + 120), desks))
    ids: dict[str, list[str]] = {}
    for tag, proc, (out, err) in zip(("front", "back"), desks, results, strict=True):
        assert out.startswith(f"ready {DURABLE}\n"), out[:200]
        lines = [ln for ln in out.splitlines() if ln and not ln.startswith("ready")]
        assert proc.returncode == 0, (tag, lines[-2:], err[-2000:])
        assert "locked" not in out + err and "busy" not in out + err
        assert not any(ln.startswith("ERROR") for ln in lines)
        ids[tag] = lines
    counts = {k: len(v) for k, v in ids.items()}
    assert min(counts.values()) > 10, counts
    # a fair share: neither desk waits while the other saves over and over (SQLite's own busy handler
    # backs off to 100 ms naps and let one desk make 26,833 saves to the other's 1,984)
    assert min(counts.values()) >= FAIR_SHARE * sum(counts.values()), counts
    store = Store.open(db_path, passphrase=PASS, create=False)
    try:
        assert store.integrity_check() == []
        rows = list(store.db.query("SELECT id, created_by, note FROM contact_notes"))
        saved = {r["id"] for r in rows}
        for tag in ("front", "back"):
            assert set(ids[tag]) <= saved, f"{tag}: {len(set(ids[tag]) - saved)} record(s) lost"
            mine = [r for r in rows if r["created_by"] == f"desk-{tag}"]
            assert len(mine) == len(ids[tag])       # nothing duplicated either
            assert {r["note"] for r in mine} == {f"{tag} note {i}" for i in range(len(ids[tag]))}
    finally:
        store.close()
