"""The benchmark command runs end to end on a small generated school (no timing is asserted here)."""

from __future__ import annotations

import json
import os

import pytest

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


#: set to run every part of the benchmark on the small school (~3 min here); without, only the start-up parts
FULL_ENV = "ADVOCATE_BENCH_FULL"


def test_benchmark_start_up_parts_run_on_a_tiny_school(tmp_path):
    """The start-up figures and the start probe, end to end, one round each (no timing asserted)."""
    db = tmp_path / "tiny.db"
    generate.generate(db, students=30, active=20, years=1, days=1, current_days=1, quiet=True)
    out = tmp_path / "out"
    assert run.main(["--quick", "--decade", str(db), "--out", str(out), "--parts", "startup,profile", "--runs", "1",
                     "--first-runs", "1", "--reps", "1"]) == 0

    result = json.loads((out / "results.json").read_text())
    assert result["parts"] == ["startup", "profile"]
    from advocate_tui.store.engine import is_encrypted

    assert is_encrypted(tmp_path / "tiny-encrypted.db") and not is_encrypted(db)
    starts = [row["verdict"] for row in result["table"]
              if row["figure"].startswith(("start to ready", "first start of the school day"))]
    assert len(starts) == 3 and "not measured" not in starts, result["table"]
    start = result["startup"]
    assert set(start["peak_how"].values()) == {"VmHWM"}
    assert start["bare"]["peak"][0] < start["decade-enc"]["peak"][0]
    for kind in ("empty-enc", "decade-enc", "decade-enc-first"):
        probed = result["profile"][kind]
        # the probe found every function of the start path it times; one key derivation a start
        assert probed["missing"] == [] and len(probed["kdf"]) == 1 and probed["frames_before_ready"], probed
    first = result["profile"]["decade-enc-first"]["phases"]
    assert first["  daily backup: started at"] > first["first frame written"]  # after the screen is up
    assert result["profile"]["imports"]["by_package"].get("textual", 0) > 0
    text = (out / "results.md").read_text()
    assert "| figure | target |" in text and "Where a start's time goes" in text


@pytest.mark.skipif(not os.environ.get(FULL_ENV), reason=f"every part of the benchmark: set {FULL_ENV}=1 (~3 min)")
def test_benchmark_command_runs_on_a_small_school(tmp_path):
    db = tmp_path / "small.db"
    generate.generate(db, students=120, active=80, years=1, days=2, current_days=2, quiet=True)
    out = tmp_path / "out"
    assert run.main(["--quick", "--decade", str(db), "--out", str(out), "--runs", "1", "--first-runs", "1",
                     "--reps", "1", "--roster-runs", "1", "--day-scale", "0.1"]) == 0

    result = json.loads((out / "results.json").read_text())
    assert [p for p in result["parts"]] == ["startup", "profile", "inproc", "day", "roster"]
    assert len(result["table"]) == 13
    assert all(row["verdict"] != "not measured" for row in result["table"]), result["table"]
    day = result["day"]
    assert day["errors"] == [] and day["done"] == day["plan"], day
    assert day["alive"]["stack"][-1] == "MainScreen"
    assert result["roster_rows"] == 120


def test_import_times_reads_importtime_lines_between_terminal_output():
    output = (b"import time: self [us] | cumulative | imported package\r\n"
              b"import time:      1500 |       2000 |   textual.app\r\n\x1b[?1049h\x1b[2J"
              b"import time:       500 |        500 |     advocate_tui.models\r\n")
    found = run.import_times(output)
    assert found["by_package"] == {"textual": 0.0015, "advocate_tui": 0.0005}
    assert found["advocate_modules"] == {"advocate_tui.models": 0.0005}


def test_paired_ratios_compare_runs_of_the_same_round():
    st = {"bare": {"ready": [1.0, 2.0], "round": [0, 1]}, "app": {"ready": [3.0, 4.0], "round": [0, 1]}}
    assert run.paired(st, "app", "bare") == [3.0, 2.0]
    assert run.paired(st, "app", "bare", diff=True) == [2.0, 2.0]
