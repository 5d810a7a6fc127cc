"""The benchmark command runs end to end on a small generated school (no timing is asserted here)."""

from __future__ import annotations

import json

from bench import generate, run


def test_generator_is_deterministic_and_goes_through_the_store(tmp_path):
    small = dict(students=80, active=50, years=1, days=2, current_days=1, quiet=True)
    a = generate.generate(tmp_path / "a.db", seed=3, **small)
    b = generate.generate(tmp_path / "b.db", seed=3, **small)
    assert a["rows.incidents"] == b["rows.incidents"] > 0
    assert a["rows.audit"] >= a["rows.incidents"] + a["rows.referrals"]  # every write audited

    from advocate_tui.store import Store

    ids = []
    for name in ("a.db", "b.db"):
        store = Store.open(tmp_path / name, tz="America/Chicago")
        ids.append([r[0] for r in store.db.execute("SELECT id FROM incidents ORDER BY id")])
        assert store.integrity_check() == []
        store.close()
    assert ids[0] == ids[1]


def test_benchmark_command_runs_on_a_small_school(tmp_path):
    db = tmp_path / "small.db"
    generate.generate(db, students=120, active=80, years=1, days=2, current_days=2, quiet=True)
    out = tmp_path / "out"
    assert run.main(["--decade", str(db), "--out", str(out), "--runs", "1", "--reps", "1", "--roster-runs", "1"]) == 0

    result = json.loads((out / "results.json").read_text())
    figures = [row["figure"] for row in result["table"]]
    assert len(figures) == 13
    assert all(row["verdict"] != "not measured" for row in result["table"]), result["table"]
    assert "| figure | target |" in (out / "results.md").read_text()
    assert result["roster_rows"] == 120
