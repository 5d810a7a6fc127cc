"""Every benchmark figure of issue 7, on the empty and the decade database, in ONE command.

    .venv/bin/python -m bench.run                 # generates /tmp/advocate-bench/decade.db if missing

Writes ``results.json`` and ``results.md`` (the table) into ``--out`` (default /tmp/advocate-bench)
and prints the table. Medians over several runs, the min–max spread beside them, and ratios for
everything compared. Start-up runs a whole process in a pseudo-terminal (160×48), alternating the
bare Textual app, advocate-tui on the empty database and on the decade database. The rest runs the
app in-process (:mod:`bench.inproc`), one process per database. Nothing here asserts a time: it
measures and says which target is met.

Wall-clock figures depend on what else the machine does; each in-process figure also has the
process's CPU time beside it (``cpu``), which is what an otherwise idle desk would see.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import startup

DEFAULT_OUT = Path("/tmp/advocate-bench")
PASSPHRASE = "bench passphrase 7"


# ---------------------------------------------------------------- helpers
def stats(values: list[float]) -> dict:
    if not values:
        return {}
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def ms(value: float | None) -> str:
    return "—" if value is None else (f"{value * 1000:.0f} ms" if value >= 0.1 else f"{value * 1000:.1f} ms")


def spread(st: dict, scale: str = "ms") -> str:
    if not st:
        return "—"
    if scale == "s":
        return f"{st['median']:.2f} s ({st['min']:.2f}–{st['max']:.2f}, n={st['n']})"
    if scale == "MiB":
        return f"{st['median']:.0f} MiB ({st['min']:.0f}–{st['max']:.0f}, n={st['n']})"
    return f"{ms(st['median'])} ({ms(st['min'])}–{ms(st['max'])}, n={st['n']})"


def private_env(home: Path) -> dict[str, str]:
    """The environment of a measured process: private XDG folders (no user profile or data)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ADVOCATE_", "XDG_", "TEXTUAL"))}
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[var] = str(home / var.lower())
    return env


def machine() -> dict:
    import sqlcipher3
    import textual

    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    conn = sqlcipher3.connect(":memory:")
    sqlite = conn.execute("select sqlite_version()").fetchone()[0]
    conn.close()
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": mem, "python": platform.python_version(),
            "sqlite": f"{sqlite} (sqlcipher3)", "textual": textual.__version__, "platform": platform.platform(),
            "load_before": os.getloadavg()}


# ---------------------------------------------------------------- databases
def make_empty(path: Path) -> None:
    """A new database with nothing but six fictional students (the quick log needs someone)."""
    from advocate_tui.models import Student
    from advocate_tui.store import Store

    store = Store.open(path, tz="America/Chicago")
    store.upsert_students([
        Student(local_id=f"S10{n:02d}", given_name=g, family_name=f, grade="10", homeroom="H-101")
        for n, (g, f) in enumerate([("Ana", "Garcia"), ("Zoë", "Okafor"), ("Marcus", "Lindqvist"),
                                    ("Priya", "Ramanathan"), ("Tomás", "Herrera"), ("Mei", "Nakamura")], 1)])
    store.close()


def copy_db(src: Path, dst: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(str(dst) + suffix).unlink(missing_ok=True)
    shutil.copyfile(src, dst)
    os.chmod(dst, 0o600)
    return dst


def write_oneroster(db: Path, out: Path, limit: int = 25_000) -> int:
    """A OneRoster 1.1 users.csv of the (fictional) students in ``db``; returns the row count."""
    from advocate_tui.store import Store

    store = Store.open(db, tz="America/Chicago", migrate=False)
    rows = store.db.execute("SELECT local_id, sourced_id, given_name, family_name, grade, active FROM students "
                            "ORDER BY local_id LIMIT ?", [limit]).fetchall()
    store.close()
    header = ["sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role", "username",
              "userIds", "givenName", "familyName", "middleName", "identifier", "email", "sms", "phone",
              "agentSourcedIds", "grades", "password"]
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for local_id, sourced, given, family, grade, active in rows:
            w.writerow([sourced or f"stu-{local_id}", "active", "2026-08-15T00:00:00Z", "true" if active else "false",
                        "org-1", "student", f"s{local_id}", f"{{SIS:{local_id}}}", given, family, "", local_id,
                        "", "", "", "", grade or "", ""])
    return len(rows)


# ---------------------------------------------------------------- the figures
def run_startup(dbs: dict[str, Path], runs: int, home: Path, log) -> dict:
    """Alternate: bare, empty, decade (× runs). One warm-up of each first (the day's first start makes
    the daily backup; it is timed on its own)."""
    env = private_env(home)
    argv = {"bare": startup.bare_argv(), **{k: startup.advocate_argv(p) for k, p in dbs.items()}}
    out: dict = {k: {"ready": [], "total": [], "cpu": [], "peak": []} for k in argv}
    out["first_start"] = {}
    for name, args in argv.items():
        r = startup.run_in_pty(args, env)
        out["first_start"][name] = r.ready_s
        log(f"  warm-up {name}: ready {r.ready_s:.2f} s")
    for i in range(runs):
        for name, args in argv.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            r = startup.run_in_pty(args, env)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            for key, value in (("ready", r.ready_s), ("total", r.total_s), ("cpu", cpu), ("peak", r.peak_mib)):
                out[name][key].append(value)
        log(f"  start-up round {i + 1}/{runs}: " + ", ".join(
            f"{n} {out[n]['ready'][-1]:.2f} s" for n in argv))
    return out


def run_inproc(db: Path, reps: int, out_json: Path, log) -> dict:
    cmd = [sys.executable, "-m", "bench.inproc", "--db", str(db), "--reps", str(reps), "--json", str(out_json)]
    env = private_env(out_json.parent / "home-inproc")
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=startup.ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"bench.inproc failed on {db.name}:\n{proc.stderr[-3000:]}")
    log(f"  in-process figures on {db.name} in {time.perf_counter() - t:.0f} s")
    return json.loads(out_json.read_text())


def run_roster(csv_path: Path, work: Path, runs: int, home: Path, log) -> dict:
    env = {**private_env(home), "ADVOCATE_PASSPHRASE": PASSPHRASE}
    out = {"cli": [], "cpu": []}
    for i in range(runs):
        db = work / f"roster-{i}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "advocate_tui", "roster", "import", str(csv_path), "--db", str(db)],
                              cwd=startup.ROOT, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            log(f"  roster import failed: {proc.stderr.strip()[:300]}")
            return {"error": proc.stderr.strip()[:300]}
        out["cli"].append(wall)
        out["cpu"].append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    log(f"  roster import: {statistics.median(out['cli']):.2f} s")
    return out


# ---------------------------------------------------------------- the table
def verdict(value: float | None, target: float) -> str:
    if value is None:
        return "not measured"
    return "met" if value <= target else f"missed by {value / target:.1f}×"


def table(res: dict) -> list[dict]:
    """One row per target of issue 7."""
    rows = []
    st = res.get("startup", {})
    med = {k: statistics.median(v["ready"]) for k, v in st.items() if isinstance(v, dict) and v.get("ready")}
    cpu = {k: statistics.median(v["cpu"]) for k, v in st.items() if isinstance(v, dict) and v.get("cpu")}

    def ratio(a: str, b: str, d=med):
        return d[a] / d[b] if a in d and b in d else None

    for name, target in (("empty", 1.5), ("decade", 1.6)):
        r = ratio(name, "bare")
        rows.append({
            "figure": f"start to main screen ready for a key ({name} database) vs bare Textual app",
            "target": f"≤ {target}× bare", "measured": (
                f"{r:.2f}× ({spread(stats(st[name]['ready']), 's')} vs bare "
                f"{spread(stats(st['bare']['ready']), 's')}); CPU {ratio(name, 'bare', cpu):.2f}×" if r else "—"),
            "verdict": verdict(r, target)})
    dec = res.get("inproc", {}).get("decade", {}).get("figures", {})
    emp = res.get("inproc", {}).get("empty", {}).get("figures", {})

    def fig(name: str, target: float, label: str, *, worst: float | None = None, figures=dec) -> None:
        values = figures.get(name)
        s = stats(values or [])
        c = stats(figures.get(name + "@cpu") or [])
        measured = spread(s) + (f"; CPU {ms(c['median'])}" if c else "") if s else "—"
        v = verdict(s.get("median"), target)
        if worst is not None and s:
            w = verdict(s["max"], worst)
            v = f"median {v}; worst {w}"
        e = stats(emp.get(name) or [])
        if e and figures is dec:
            measured += f" · empty db {ms(e['median'])}"
        rows.append({"figure": label, "target": f"≤ {ms(target)}" + (f", worst ≤ {ms(worst)}" if worst else ""),
                     "measured": measured, "verdict": v})

    fig("quick_log", 0.025, "quick-log incident: ctrl+s → row committed and shown (decade)", worst=0.060)
    fig("lookup_picker", 0.010, "student lookup, keystroke → suggestions shown, 25,000 students (quick-log field)")
    fig("lookup_search", 0.010, "student lookup, keystroke → suggestions shown, 25,000 students (/ search)")
    info = res.get("inproc", {}).get("decade", {}).get("info", {})
    fig("student_page", 0.100, f"student page, 10 years of history ({info.get('student_page_records', '?')} records)")
    fig("handoff_review", 0.250, "handoff review shown (H) for a busy day at decade scale")
    fig("handoff_bundle", 0.250, "handoff review + sign-off + bundle files (services) at decade scale")
    year = "big5_year_screen" if dec.get("big5_year_screen") else "big5_year"
    every = "big5_all_screen" if dec.get("big5_all_screen") else "big5_all"
    fig(year, 0.300, f"data screen Big 5, one school year ({'screen' if 'screen' in year else 'service'})")
    fig(every, 1.0, f"data screen Big 5, all 10 years ({'screen' if 'screen' in every else 'service'})")
    ro = res.get("roster", {})
    s = stats(ro.get("cli") or [])
    rows.append({"figure": f"roster import of {res.get('roster_rows', 0):,} OneRoster rows (whole command, new "
                           "encrypted database)", "target": "≤ 5 s",
                 "measured": spread(s, "s") + (f"; CPU {statistics.median(ro['cpu']):.2f} s" if s else "")
                 if s else ro.get("error", "—"),
                 "verdict": verdict(s.get("median"), 5.0) if s else "not measured"})
    peak_in = res.get("inproc", {}).get("decade", {}).get("peak_mib")
    peak_start = stats(st.get("decade", {}).get("peak") or [])
    rows.append({"figure": "peak memory of the app at decade scale (in-process, after every screen above)",
                 "target": "≤ 150 MB",
                 "measured": (f"{peak_in * 1.048576:.0f} MB in-process; at start {peak_start['median'] * 1.048576:.0f} MB"
                              if peak_in and peak_start else "—"),
                 "verdict": verdict(peak_in * 1.048576 if peak_in else None, 150)})
    r = ratio("decade", "empty")
    rows.append({"figure": "start-up cost of the data size: decade start / empty start", "target": "≤ 1.2×",
                 "measured": f"{r:.2f}× (CPU {ratio('decade', 'empty', cpu):.2f}×)" if r else "—",
                 "verdict": verdict(r, 1.2)})
    return rows


def markdown(res: dict) -> str:
    m = res["machine"]
    lines = [f"Run {res['when']} · {m['nproc']} CPUs ({m['cpu']}) · {m['memory']} · Python {m['python']} · "
             f"SQLite {m['sqlite']} · Textual {m['textual']} · load average before "
             f"{', '.join(f'{x:.2f}' for x in m['load_before'])}, after "
             f"{', '.join(f'{x:.2f}' for x in res['load_after'])}", "",
             f"Decade database: {res['decade_info']}", "",
             "| figure | target | measured: median (min–max, n) | verdict |", "| --- | --- | --- | --- |"]
    for row in res["table"]:
        lines.append(f"| {row['figure']} | {row['target']} | {row['measured']} | {row['verdict']} |")
    lines += ["", "Diagnostics (decade database, services without the UI; wall, then CPU):", ""]
    dec = res.get("inproc", {}).get("decade", {}).get("figures", {})
    for name in sorted(dec):
        if name.startswith(("svc_", "pilot_", "big5_year", "big5_all")) and not name.endswith("@cpu"):
            cpu = stats(dec.get(name + "@cpu") or [])
            lines.append(f"- {name}: {spread(stats(dec[name]))}" + (f"; CPU {ms(cpu['median'])}" if cpu else ""))
    info = res.get("inproc", {}).get("decade", {}).get("info", {})
    if info.get("peak_mib_after"):
        lines.append("- peak memory (MiB) of the in-process run after each stage: " + ", ".join(
            f"{k} {v:.0f}" for k, v in info["peak_mib_after"].items()))
    for which in ("empty", "decade"):
        err = res.get("inproc", {}).get(which, {}).get("error")
        if err:
            lines.append(f"- in-process run on the {which} database stopped early: {err}")
    st = res.get("startup", {})
    if st.get("first_start"):
        lines.append("- first start of the day (includes the daily backup): " + ", ".join(
            f"{k} {v:.2f} s" for k, v in st["first_start"].items()))
    for name in ("bare", "empty", "decade"):
        if st.get(name, {}).get("total"):
            lines.append(f"- start-up {name}: whole process until exit {spread(stats(st[name]['total']), 's')}; "
                         f"CPU {statistics.median(st[name]['cpu']):.2f} s; peak {spread(stats(st[name]['peak']), 'MiB')}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--decade", type=Path, default=DEFAULT_OUT / "decade.db",
                    help="the decade database (generated with bench.generate's defaults if missing)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for working copies and results")
    ap.add_argument("--runs", type=int, default=7, help="start-up rounds (bare, empty, decade alternating)")
    ap.add_argument("--reps", type=int, default=15, help="repetitions of each in-process figure")
    ap.add_argument("--roster-runs", type=int, default=3)
    ap.add_argument("--skip", default="", help="comma-separated parts to leave out: startup,inproc,roster")
    args = ap.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    if not args.decade.exists():
        from bench.generate import generate

        log(f"generating {args.decade} (a few minutes)…")
        generate(args.decade)
    res: dict = {"when": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine()}
    from advocate_tui.store import Store

    probe = Store.open(args.decade, tz="America/Chicago", migrate=False)
    counts = probe.counts()
    res["decade_info"] = (f"{probe.count_students(active_only=False):,} students "
                          f"({probe.count_students():,} active), {sum(counts.values()):,} rows "
                          f"({', '.join(f'{k} {v:,}' for k, v in counts.items())}), "
                          f"{args.decade.stat().st_size / 2**20:.0f} MiB")
    probe.close()
    work = Path(tempfile.mkdtemp(prefix="work-", dir=out))
    home = work / "home"
    try:
        empty = work / "empty.db"
        make_empty(empty)
        if "startup" not in skip:
            log("start-up (whole process, pseudo-terminal)…")
            decade_start = copy_db(args.decade, work / "start-decade.db")
            res["startup"] = run_startup({"empty": copy_db(empty, work / "start-empty.db"), "decade": decade_start},
                                         args.runs, home, log)
        if "inproc" not in skip:
            log("in-process figures…")
            res["inproc"] = {
                "empty": run_inproc(copy_db(empty, work / "inproc-empty.db"), args.reps, work / "empty.json", log),
                "decade": run_inproc(copy_db(args.decade, work / "inproc-decade.db"), args.reps,
                                     work / "decade.json", log),
            }
        if "roster" not in skip:
            log("roster import…")
            users = work / "users.csv"
            res["roster_rows"] = write_oneroster(args.decade, users)
            res["roster"] = run_roster(users, work, args.roster_runs, home, log)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    res["load_after"] = os.getloadavg()
    res["table"] = table(res)
    (out / "results.json").write_text(json.dumps(res, indent=1, default=str))
    text = markdown(res)
    (out / "results.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
