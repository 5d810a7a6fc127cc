"""Every benchmark figure of issues 7 and 16 in ONE command: the encrypted school by default, plain beside it.

    .venv/bin/python -m bench.run            # full: ~25 min on a loaded 2-core machine
    .venv/bin/python -m bench.run --quick    # fewer rounds and repetitions: ~15 min

Generates ``bench/out/decade.db`` (plain, ~3–15 min) and its encrypted copy
``bench/out/decade-encrypted.db`` (SQLCipher under :data:`PASSPHRASE`, as a school's database is)
the first time. Writes ``results.json`` and ``results.md`` into ``--out`` (default ``bench/out/``,
gitignored) and prints the table.

Parts (``--parts``, default all but ``peers``):

- ``startup``: whole processes in a real 160×48 pseudo-terminal, alternating round by round: the bare
  Textual app (one Label), advocate on the empty and on the decade database, encrypted, the decade's
  first start of the school day (its ``backups/`` emptied before each run, so the daily backup runs),
  and the empty and decade databases unencrypted. Every ratio is the median of the ratios of one
  round (measured side by side), so a load that changes over the run cancels out.
- ``profile``: where a start's time goes (:mod:`bench.startprobe`: a timeline of the start path's
  calls, the SQLCipher key derivations, the frames before ready, the pane fills; ``-X importtime``
  by package; pyinstrument of the main thread), and the costs of the parts measured on their own.
- ``inproc``: the in-process figures (:mod:`bench.inproc`) on the encrypted decade, the encrypted
  empty database and (full) the plain decade.
- ``day``: a full day's use at decade scale (:data:`bench.inproc.DAY`), then the memory.
- ``roster``: ``advocate roster import`` of 25,000 OneRoster rows into a new encrypted database.
- ``peers`` (``--peers``): toolong, posting and harlequin started the same way (:mod:`bench.ready`),
  each from its own throwaway virtual environment outside the repository (``--peers-venv``, made if missing).

Nothing here asserts a time: it measures and says which target is met and by how much it is missed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import startup

ROOT = startup.ROOT
DEFAULT_OUT = ROOT / "bench" / "out"
PASSPHRASE = "bench passphrase 7"
PARTS = ("startup", "profile", "inproc", "day", "roster", "peers")
MODES = {
    "quick": {"runs": 3, "first_runs": 1, "reps": 5, "roster_runs": 1, "day_scale": 0.4, "plain_inproc": False},
    "full": {"runs": 7, "first_runs": 3, "reps": 15, "roster_runs": 3, "day_scale": 1.0, "plain_inproc": True},
}
#: the start-up entries, in the order of a round (bare first: every ratio is against it)
STARTS = ("bare", "empty-enc", "decade-enc", "decade-enc-first", "empty-plain", "decade-plain")
#: with ``--before DIR``: the same starts of the code in DIR (an earlier checkout), in the same rounds
BEFORE_STARTS = ("empty-enc-before", "decade-enc-before")
PEERS = {  # name: (console script, arguments) — a log for toolong, a collection for posting
    "toolong": ("tl", ["{work}/peer.log"]),
    "posting": ("posting", ["--collection", "{work}/collection"]),
    "harlequin": ("harlequin", []),
}
PEER_PACKAGES = ["toolong", "posting", "harlequin"]


# ---------------------------------------------------------------- helpers
def stats(values: list[float]) -> dict:
    """Median, p90, min, max and n of ``values`` ({} for none)."""
    if not values:
        return {}
    p90 = statistics.quantiles(values, n=10, method="inclusive")[-1] if len(values) > 1 else values[0]
    return {"median": statistics.median(values), "p90": p90, "min": min(values), "max": max(values),
            "n": len(values)}


def ms(value: float | None) -> str:
    return "—" if value is None else (f"{value * 1000:.0f} ms" if value >= 0.1 else f"{value * 1000:.1f} ms")


def spread(st: dict, scale: str = "ms", p90: bool = False) -> str:
    if not st:
        return "—"
    if scale == "s":
        return f"{st['median']:.2f} s ({st['min']:.2f}–{st['max']:.2f}, n={st['n']})"
    if scale == "x":
        return f"{st['median']:.2f}× ({st['min']:.2f}–{st['max']:.2f}, n={st['n']})"
    extra = f", p90 {ms(st['p90'])}" if p90 else ""
    return f"{ms(st['median'])}{extra} ({ms(st['min'])}–{ms(st['max'])}, n={st['n']})"


def private_env(home: Path, *, passphrase: bool = True) -> dict[str, str]:
    """The environment of a measured process: private XDG folders (no user profile or data), and the
    school's passphrase as a desk script gives it (``ADVOCATE_PASSPHRASE``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ADVOCATE_", "XDG_", "TEXTUAL", "BENCH_"))
           and k != "PYTHONDONTWRITEBYTECODE"}
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[var] = str(home / var.lower())
    if passphrase:
        env["ADVOCATE_PASSPHRASE"] = PASSPHRASE
    return env


def compile_bytecode(*trees: Path) -> None:
    """Byte-compile the app's source (and the bench's) as an installed copy has it: ``pip install``
    compiles every module, and a start then reads ``.pyc`` files. A shell with
    ``PYTHONDONTWRITEBYTECODE`` set (this machine's) would otherwise make every measured start compile
    every module of the app from source again (~0.15 s CPU of each start, none of it the app's)."""
    import compileall

    for tree in trees:
        for package in ("advocate_tui", "bench"):
            if (tree / package).is_dir():
                compileall.compile_dir(str(tree / package), quiet=1)


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
    cipher = conn.execute("PRAGMA cipher_version").fetchone()
    conn.close()
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": mem, "python": platform.python_version(),
            "sqlite": f"{sqlite} (sqlcipher3, SQLCipher {cipher[0] if cipher else '?'})",
            "textual": textual.__version__, "platform": platform.platform(), "load_before": os.getloadavg()}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- databases
def make_empty(path: Path, passphrase: str | None = None) -> None:
    """A new database with nothing but six fictional students (the quick log needs someone)."""
    from advocate_tui.models import Student
    from advocate_tui.store import Store

    store = Store.open(path, tz="America/Chicago", passphrase=passphrase)
    store.upsert_students([
        Student(local_id=f"S10{n:02d}", given_name=g, family_name=f, grade="10", homeroom="H-101")
        for n, (g, f) in enumerate([("Ana", "Garcia"), ("Zoë", "Okafor"), ("Marcus", "Lindqvist"),
                                    ("Priya", "Ramanathan"), ("Tomás", "Herrera"), ("Mei", "Nakamura")], 1)])
    store.close()


def encrypted_copy(plain: Path, target: Path, passphrase: str = PASSPHRASE) -> Path:
    """``target``: ``plain`` encrypted under ``passphrase`` (SQLCipher's export, as ``advocate rekey`` does)."""
    from advocate_tui.store import engine, files

    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    conn = engine.connect_readonly(plain)
    try:
        files.export_copy(conn, target, source_encrypted=False, passphrase=passphrase)
    finally:
        conn.close()
    return target


def copy_db(src: Path, dst: Path) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(dst) + suffix).unlink(missing_ok=True)
    shutil.copyfile(src, dst)
    os.chmod(dst, 0o600)
    return dst


def write_oneroster(db: Path, out: Path, limit: int = 25_000, passphrase: str | None = None) -> int:
    """A OneRoster 1.1 users.csv of the (fictional) students in ``db``; returns the row count."""
    from advocate_tui.store import Store

    store = Store.open(db, tz="America/Chicago", migrate=False, passphrase=passphrase)
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


# ---------------------------------------------------------------- start-up
def run_startup(dbs: dict[str, Path], runs: int, first_runs: int, home: Path, before: Path | None = None) -> dict:
    """Rounds of :data:`STARTS`, alternating; one warm-up of each first (which also makes the day's backup
    of every ordinary entry, so later starts are ordinary ones). ``decade-enc-first`` runs in the first
    ``first_runs`` rounds only (~20 s each), with its ``backups/`` emptied before every run. With
    ``before`` (a checkout of earlier code), :data:`BEFORE_STARTS` run that code in the same rounds, on
    copies of their own, so "before" and "after" are measured side by side under the same load."""
    argv = {"bare": startup.bare_argv(), **{
        k: startup.advocate_argv(dbs[k], *(["--allow-plain"] if k.endswith("plain") else [])) for k in STARTS if k != "bare"}}
    if before is not None:
        argv.update({k: startup.advocate_argv(dbs[k]) for k in BEFORE_STARTS})
    env = {"enc": private_env(home), "plain": private_env(home, passphrase=False)}
    if before is not None:
        env["before"] = {**env["enc"], "PYTHONPATH": str(before)}
    out: dict = {k: {"ready": [], "total": [], "cpu": [], "peak": [], "round": []} for k in argv}
    out["peak_how"] = {}

    def once(name: str):
        if name == "decade-enc-first":
            shutil.rmtree(dbs[name].parent / "backups", ignore_errors=True)
        if name.endswith("-before"):
            return startup.run_in_pty(argv[name], env["before"], cwd=before)
        return startup.run_in_pty(argv[name], env["plain" if name.endswith("plain") else "enc"])

    for name in argv:
        if name == "decade-enc-first" and first_runs == 0:
            continue
        r = once(name)
        log(f"  warm-up {name}: ready {r.ready_s:.2f} s")
    for i in range(runs):
        for name in argv:
            if name == "decade-enc-first" and i >= first_runs:
                continue
            r = once(name)
            for key, value in (("ready", r.ready_s), ("total", r.total_s), ("cpu", r.cpu_s), ("peak", r.peak_mib),
                               ("round", i)):
                out[name][key].append(value)
            out["peak_how"][name] = r.peak_how
        log(f"  start-up round {i + 1}/{runs}: " + ", ".join(
            f"{n} {out[n]['ready'][-1]:.2f} s" for n in argv if out[n]["round"] and out[n]["round"][-1] == i))
    return out


def paired(st: dict, a: str, b: str, key: str = "ready", diff: bool = False) -> list[float]:
    """Per round: ``a``/``b`` (or ``a - b``) of the runs of the same round."""
    if a not in st or b not in st:
        return []
    by_round = dict(zip(st[b]["round"], st[b][key]))
    return [(v - by_round[r]) if diff else v / by_round[r]
            for r, v in zip(st[a]["round"], st[a][key]) if r in by_round]


# ---------------------------------------------------------------- peers
def peers_python(venvs: Path, name: str) -> Path | None:
    """The Python of ``name``'s own throwaway virtual environment under ``venvs`` (made, with the peer
    installed, if missing: the peers pin different Textual versions, so one environment each)."""
    venv = venvs / name
    py = venv / "bin" / "python"
    if not (venv / "bin" / PEERS[name][0]).exists():
        log(f"  making {venv} and installing {name} (outside the repository)…")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        proc = subprocess.run([str(py), "-m", "pip", "install", "-q", name], capture_output=True, text=True)
        if proc.returncode != 0:
            log(f"  could not install {name}: {proc.stderr.strip()[-300:]}")
            return None
    return py


def run_peers(venvs: Path, runs: int, home: Path, work: Path) -> dict:
    """Bare (through the same launcher) and each peer, alternating, in the same pty; ratios per round."""
    (work / "collection").mkdir(parents=True, exist_ok=True)
    with (work / "peer.log").open("w") as fh:
        for i in range(2000):
            fh.write(f"2026-11-23T08:{i // 60 % 60:02d}:{i % 60:02d} INFO request {i} served in {i % 97} ms\n")
    ready = str(ROOT / "bench" / "ready.py")
    argv = {"bare": [sys.executable, ready, "--module", "bench.bare_app"]}
    errors: dict[str, str] = {}
    for name, (script, args) in PEERS.items():
        py = peers_python(venvs, name)
        if py is None:
            errors[name] = "could not be installed"
            continue
        argv[name] = [str(py), ready, "--entry-point", script, "--", *[a.format(work=work) for a in args]]
    env = private_env(home, passphrase=False)
    out: dict = {k: {"ready": [], "round": [], "peak": []} for k in argv}
    out["errors"] = errors
    for i in range(-1, runs):  # round -1: the warm-up
        for name, args in argv.items():
            if name in out["errors"]:
                continue
            try:
                r = startup.run_in_pty(args, env, ready_env="BENCH_READY_FILE", timeout=60)
            except RuntimeError as exc:
                out["errors"][name] = str(exc)[:300]
                log(f"  peer {name}: {str(exc)[:200]}")
                continue
            if i >= 0:
                out[name]["ready"].append(r.ready_s)
                out[name]["peak"].append(r.peak_mib)
                out[name]["round"].append(i)
        if i >= 0:
            log(f"  peers round {i + 1}/{runs}: " + ", ".join(
                f"{n} {out[n]['ready'][-1]:.2f} s" for n in argv if n not in out["errors"] and out[n]["ready"]))
    return out


# ---------------------------------------------------------------- profile
IMPORT_LINE = re.compile(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)([\w.]+)")
ANSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[@-Z\\-_])")


def import_times(output: bytes) -> dict:
    """``-X importtime`` lines (from a pty, between Textual's output): self time by top-level package,
    by advocate_tui module, and the cumulative time of the big imports."""
    text = ANSI.sub(b"", output).decode("utf-8", "replace").replace("\r", "")
    by_top: dict[str, float] = {}
    own: dict[str, float] = {}
    cumulative: dict[str, float] = {}
    for m in IMPORT_LINE.finditer(text):
        self_us, cum_us, indent, name = int(m.group(1)), int(m.group(2)), len(m.group(3)), m.group(4)
        top = name.split(".")[0]
        by_top[top] = by_top.get(top, 0) + self_us / 1e6
        if top == "advocate_tui":
            own[name] = own.get(name, 0) + self_us / 1e6
        if indent <= 3 or name in ("textual.app", "pydantic", "sqlite_utils", "pendulum", "sqlcipher3", "rich",
                                   "advocate_tui.app", "advocate_tui.models", "advocate_tui.store",
                                   "advocate_tui.screens.coordinator", "advocate_tui.screens.main"):
            cumulative[name] = max(cumulative.get(name, 0), cum_us / 1e6)
    top = lambda d, n: dict(sorted(d.items(), key=lambda kv: -kv[1])[:n])  # noqa: E731
    return {"total_self": sum(by_top.values()), "by_package": top(by_top, 20), "advocate_modules": top(own, 25),
            "cumulative": top(cumulative, 25)}


def timeline(probe: dict, spawn: float, ready_s: float) -> dict:
    """The probe's calls as seconds after the process was spawned, and the derived phases."""
    calls = sorted(probe["calls"], key=lambda c: c["start"])
    rel = lambda t: t - spawn  # noqa: E731
    first = lambda label: next((c for c in calls if c["label"] == label), None)  # noqa: E731
    lines = []
    for c in calls:
        if c["label"] in ("Pane.set_rows", "today.counts", "today.pane_rows"):
            continue
        lines.append({"at": rel(c["start"]), "seconds": c["seconds"], "thread": c["thread"], "label": c["label"],
                      "inside": c.get("inside", ""), "keyed": c.get("keyed"), "verify": c.get("verify"),
                      "pane": c.get("pane")})
    frames = [rel(f) for f in probe["frames"]]
    kdf = [{"at": rel(k["at"]), "thread": k["thread"], "inside": " › ".join(k["inside"][-2:])} for k in probe["kdf"]]
    fills: dict[str, int] = {}
    for c in calls:
        if c["label"].startswith("Pane._fill"):
            fills[c.get("pane") or "?"] = fills.get(c.get("pane") or "?", 0) + 1
    phases: dict[str, float] = {"interpreter start, until the probe runs": rel(probe["probe_start"])}
    run_app, launch = first("run_app"), first("app run (Textual)")
    cli = first("cli main")
    if cli:
        phases["CLI imports and argument parsing (until run_app)"] = cli["start"] - probe["probe_start"] + (
            (run_app["start"] - cli["start"]) if run_app else 0)
    if run_app and launch:
        phases["run_app before the app runs (open, check, migrate, start of day)"] = launch["start"] - run_app["start"]
        for label in ("Desk.open", "migrate", "start_of_day", "daily_backup"):
            c = first(label)
            if c:
                phases[f"  of which {label}"] = c["seconds"]
        opened, migrate = first("Desk.open"), first("migrate")
        if opened and migrate:
            phases["  of which from Desk.open to the schema's look (the file check, for a file ≤ 2 MiB)"] = (
                migrate["start"] - opened["start"] - opened["seconds"])
    began = first("background work started")
    if began:
        phases["background work started (the check, then a due backup; after the first screen)"] = rel(began["start"])
    check = first("file check (its own thread)")
    if check:
        phases["  file check: started at"] = rel(check["start"])
        phases["  file check: took (its own thread; writes wait for it)"] = check["seconds"]
    backup = first("backup_to (online backup + its quick_check)")
    if backup:
        phases["  daily backup: started at"] = rel(backup["start"])
        phases["  daily backup: took (its own thread)"] = backup["seconds"]
    if launch:
        mount = first("MainScreen.on_mount")
        if mount:
            phases["app run → main screen mounting (Textual set-up, imports, compose)"] = mount["start"] - launch["start"]
            phases["MainScreen.on_mount (panes read and filled)"] = mount["seconds"]
        if frames:
            phases["first frame written"] = frames[0]
    if len(frames) > 1:
        phases["last frame before ready"] = max([f for f in frames if f <= ready_s + 0.001] or [0])
    phases["ready"] = ready_s
    return {"calls": lines, "kdf": kdf, "frames_before_ready": [f for f in frames if f <= ready_s + 0.001],
            "frames": frames, "pane_fills": fills, "phases": phases, "missing": probe.get("missing", [])}


def measure_parts(dbs: dict[str, Path], work: Path, n: int) -> dict:
    """The start's costly parts measured on their own, in this process (medians of ``n``)."""
    import sqlcipher3

    from advocate_tui.store import engine, files

    out: dict = {}

    def med(fn, k: int = n) -> dict:
        wall, cpu = [], []
        for _ in range(k):
            t, c = time.perf_counter(), time.process_time()
            fn()
            wall.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        return {"wall": statistics.median(wall), "cpu": statistics.median(cpu), "n": k}

    def keyed_open(path: Path, key: str | None):
        def go():
            conn = sqlcipher3.connect(str(path), isolation_level=None)
            engine.apply_key(conn, key)
            conn.execute("select count(*) from sqlite_master").fetchone()
            conn.close()
        return go

    out["connection, encrypted (one PBKDF2 key derivation)"] = med(keyed_open(dbs["empty-enc"], PASSPHRASE))
    out["connection, plain"] = med(keyed_open(dbs["empty-plain"], None))

    def quick_check(path: Path, key: str | None):
        def go():
            conn = engine.connect(path, passphrase=key, create=False)
            conn.execute("PRAGMA quick_check").fetchall()
            conn.close()
        return go

    k = max(1, min(3, n))
    out["PRAGMA quick_check, decade encrypted (incl. its connection)"] = med(
        quick_check(dbs["decade-enc"], PASSPHRASE), k)
    out["PRAGMA quick_check, decade plain (incl. its connection)"] = med(quick_check(dbs["decade-plain"], None), k)
    out["PRAGMA quick_check, empty encrypted (incl. its connection)"] = med(quick_check(dbs["empty-enc"], PASSPHRASE))

    def backup():
        target = work / "parts-backup.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        conn = engine.connect(dbs["decade-enc"], passphrase=PASSPHRASE, create=False)
        try:
            files.backup_to(conn, target, PASSPHRASE, salt=engine.file_salt(dbs["decade-enc"]))
        finally:
            conn.close()
            target.unlink(missing_ok=True)

    out["daily backup of the decade, encrypted (online backup + the copy's quick_check)"] = med(backup, 1)
    return out


def run_profile(dbs: dict[str, Path], home: Path, work: Path, out_dir: Path, parts_n: int) -> dict:
    """One probed start of each kind (timeline), -X importtime and pyinstrument of the decade's start."""
    res: dict = {}
    env = private_env(home)
    for name in ("empty-enc", "decade-enc", "decade-enc-first"):
        if name == "decade-enc-first":
            shutil.rmtree(dbs[name].parent / "backups", ignore_errors=True)
        probe_json = work / f"probe-{name}.json"
        argv = [startup.PYTHON, "-m", "bench.startprobe", "--json", str(probe_json), "--",
                *startup.advocate_argv(dbs[name])[3:]]
        r = startup.run_in_pty(argv, env)
        probe = json.loads(probe_json.read_text())
        res[name] = timeline(probe, r.spawn, r.ready_s)
        res[name]["ready_s"] = r.ready_s
        log(f"  probed {name}: ready {r.ready_s:.2f} s, {len(probe['kdf'])} key derivations, "
            f"{len(res[name]['frames_before_ready'])} frames before ready")
    r = startup.run_in_pty([startup.PYTHON, "-X", "importtime", *startup.advocate_argv(dbs["decade-enc"])[1:]],
                           env, keep_output=True)
    res["imports"] = import_times(r.output)
    res["imports"]["ready_s"] = r.ready_s
    bare = startup.run_in_pty([startup.PYTHON, "-X", "importtime", "-m", "bench.bare_app"], env, keep_output=True)
    res["imports_bare"] = import_times(bare.output)
    log(f"  imports: advocate {res['imports']['total_self']:.2f} s, bare {res['imports_bare']['total_self']:.2f} s")
    try:
        import pyinstrument  # noqa: F401

        prof = out_dir / "profile-start-decade-enc.txt"
        startup.run_in_pty([startup.PYTHON, "-m", "bench.startprobe", "--json", str(work / "probe-prof.json"),
                            "--pyinstrument", str(prof), "--", *startup.advocate_argv(dbs["decade-enc"])[3:]], env)
        res["pyinstrument"] = str(prof.relative_to(ROOT)) if prof.is_relative_to(ROOT) else str(prof)
    except ImportError:
        res["pyinstrument"] = "pyinstrument is not installed (pip install -e '.[bench]')"
    res["parts"] = measure_parts(dbs, work, parts_n)
    log("  parts: " + ", ".join(f"{k.split(',')[0]} {v['wall'] * 1000:.0f} ms" for k, v in res["parts"].items()))
    return res


# ---------------------------------------------------------------- in-process, day, roster
def run_inproc(db: Path, reps: int, out_json: Path, *, day_scale: float | None = None) -> dict:
    cmd = [sys.executable, "-m", "bench.inproc", "--db", str(db), "--json", str(out_json)]
    cmd += ["--day", "--day-scale", str(day_scale)] if day_scale is not None else ["--reps", str(reps)]
    env = private_env(out_json.parent / "home-inproc")
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        log(f"  bench.inproc failed on {db.name}: {proc.stderr.strip()[-1500:]}")
        return {"error": proc.stderr.strip()[-300:]}
    log(f"  {'day' if day_scale is not None else 'in-process figures'} on {db.name} in "
        f"{time.perf_counter() - t:.0f} s")
    return json.loads(out_json.read_text())


def run_roster(csv_path: Path, work: Path, runs: int, home: Path) -> dict:
    env = private_env(home)
    out = {"cli": [], "cpu": []}
    for i in range(runs):
        db = work / f"roster-{i}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        t = time.perf_counter()
        before = os.times()
        proc = subprocess.run([sys.executable, "-m", "advocate_tui", "roster", "import", str(csv_path), "--db", str(db),
                               "--profile", str(startup.bench_profile())], cwd=ROOT, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - t
        after = os.times()
        if proc.returncode != 0:
            log(f"  roster import failed: {proc.stderr.strip()[:300]}")
            return {"error": proc.stderr.strip()[:300]}
        out["cli"].append(wall)
        out["cpu"].append((after.children_user - before.children_user) + (after.children_system - before.children_system))
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    log(f"  roster import: {statistics.median(out['cli']):.2f} s")
    return out


# ---------------------------------------------------------------- the table
def verdict(value: float | None, target: float, unit: str = "") -> str:
    if value is None:
        return "not measured"
    if value <= target:
        return "met"
    if unit == "s":
        return f"missed by {value - target:.2f} s"
    return f"missed by {value / target:.2f}×"


def table(res: dict) -> list[dict]:
    """One row per target of issue 16 (and issue 7's targets kept on the encrypted decade)."""
    rows: list[dict] = []
    st = res.get("startup", {})

    def row(figure: str, target: str, measured: str, v: str) -> None:
        rows.append({"figure": figure, "target": target, "measured": measured, "verdict": v})

    def med(name: str, key: str = "ready") -> float | None:
        return statistics.median(st[name][key]) if st.get(name, {}).get(key) else None

    def start_row(figure: str, a: str, b: str, target: float) -> None:
        r = stats(paired(st, a, b))
        if not r:
            row(figure, f"≤ {target}× {b}", "—", "not measured")
            return
        cpu = stats(paired(st, a, b, "cpu"))
        row(figure, f"≤ {target}× {'bare' if b == 'bare' else b}",
            f"{spread(r, 'x')}: {med(a):.2f} s vs {med(b):.2f} s; CPU {cpu['median']:.2f}×", verdict(r["median"], target))

    start_row("start to ready, empty database, **encrypted**, vs bare Textual (160×48 pty)", "empty-enc", "bare", 1.8)
    start_row("start to ready, decade database, **encrypted**, vs the empty encrypted start", "decade-enc",
              "empty-enc", 1.1)
    if st.get("empty-enc-before"):
        start_row("(before) start to ready, empty database, encrypted, vs bare Textual", "empty-enc-before", "bare", 1.8)
        start_row("(before) start to ready, decade database, encrypted, vs the empty encrypted start",
                  "decade-enc-before", "empty-enc-before", 1.1)
        start_row("empty encrypted start, after vs before (same rounds)", "empty-enc", "empty-enc-before", 1.0)
    d = stats(paired(st, "decade-enc-first", "decade-enc", diff=True))
    row("first start of the school day (daily backup), decade encrypted, minus an ordinary start",
        "≤ 0.3 s", (f"+{d['median']:.2f} s ({d['min']:.2f}–{d['max']:.2f}, n={d['n']}): "
                    f"{med('decade-enc-first'):.2f} s vs {med('decade-enc'):.2f} s") if d else "—",
        verdict(d.get("median"), 0.3, "s"))

    inproc = res.get("inproc", {})
    dec = inproc.get("decade-enc", {}).get("figures", {})
    emp = inproc.get("empty-enc", {}).get("figures", {})
    plain = inproc.get("decade-plain", {}).get("figures", {})

    def fig(name: str, target: float, label: str, p90: bool = False) -> None:
        s = stats(dec.get(name) or [])
        c = stats(dec.get(name + "@cpu") or [])
        measured = spread(s, p90=p90) + (f"; CPU {ms(c['median'])}" if c else "") if s else "—"
        for other, tag in ((emp, "empty enc."), (plain, "decade plain")):
            e = stats(other.get(name) or [])
            if e:
                measured += f" · {tag} {ms(e['median'])}"
        row(label, f"≤ {ms(target)} median", measured, verdict(s.get("median"), target))

    fig("quick_log", 0.025, "quick log: ctrl+s → row committed and painted (decade, encrypted)")
    fig("lookup_picker", 1 / 60, "keystroke → suggestions painted, quick-log student field, 25,000 students", True)
    fig("lookup_search", 1 / 60, "keystroke → suggestions painted, `/` search, 25,000 students", True)
    day = res.get("day", {})
    peak = day.get("peak_mib")
    end = day.get("mib", {}).get("end of day, every screen closed", {})
    scale = res.get("day_scale", 1.0)
    whole = scale >= 1.0
    row(f"peak memory after {'a full day' if whole else f'{scale:g} of a day'}'s use at decade scale (encrypted; "
        "the day: see below)", "≤ 150 MB",
        (f"{peak * 1.048576:.0f} MB peak (VmHWM); {end.get('rss', 0) * 1.048576:.0f} MB resident at the end"
         + (f"; errors: {'; '.join(day['errors'])}" if day.get("errors") else "")) if peak else day.get("error", "—"),
        verdict(peak * 1.048576 if peak else None, 150) + ("" if whole or not peak else
                                                            " (a partial day: the full mode measures the target)"))
    info = inproc.get("decade-enc", {}).get("info", {})
    fig("student_page", 0.100, f"student page, 10 years of history ({info.get('student_page_records', '?')} records), "
        "decade encrypted")
    fig("handoff_review", 0.250, "handoff review shown (H), decade encrypted")
    fig("handoff_bundle", 0.250, "handoff review + sign-off + bundle files (services), decade encrypted")
    fig("big5_year_screen", 0.300, "data screen Big 5, one school year, decade encrypted")
    fig("big5_all_screen", 1.0, "data screen Big 5, all 10 years, decade encrypted")
    ro = res.get("roster", {})
    s = stats(ro.get("cli") or [])
    row(f"roster import of {res.get('roster_rows', 0):,} OneRoster rows (whole command, new encrypted database)",
        "≤ 5 s", spread(s, "s") + f"; CPU {statistics.median(ro['cpu']):.2f} s" if s else ro.get("error", "—"),
        verdict(s.get("median"), 5.0) if s else "not measured")
    return rows


def startup_rows(res: dict) -> list[str]:
    st = res.get("startup", {})
    lines = ["| start (160×48 pty) | ready: median (min–max, n) | × bare (paired) | CPU (process) | "
             "peak memory at ready (VmHWM) |", "| --- | --- | --- | --- | --- |"]
    for name in (*STARTS, *BEFORE_STARTS):
        if not st.get(name, {}).get("ready"):
            continue
        r = stats(paired(st, name, "bare")) if name != "bare" else {}
        lines.append(f"| {name} | {spread(stats(st[name]['ready']), 's')} | "
                     + (f"{r['median']:.2f}×" if r else "1×")
                     + f" | {statistics.median(st[name]['cpu']):.2f} s | {statistics.median(st[name]['peak']):.0f} MiB "
                       f"({st.get('peak_how', {}).get(name, '?')}) |")
    return lines


def profile_lines(res: dict) -> list[str]:
    pr = res.get("profile", {})
    if not pr:
        return []
    lines = ["", "### Where a start's time goes (one probed start each; seconds after spawn)", ""]
    for name in ("empty-enc", "decade-enc", "decade-enc-first"):
        p = pr.get(name)
        if not p:
            continue
        lines.append(f"**{name}** — ready at {p['ready_s']:.2f} s; {len(p['kdf'])} SQLCipher key derivations "
                     f"({'; '.join(k['thread'] + ': ' + k['inside'] for k in p['kdf'])}); "
                     f"{len(p['frames_before_ready'])} frames written before ready; pane fills "
                     f"{', '.join(f'{k} ×{v}' for k, v in p['pane_fills'].items())}"
                     + (f"; not found in the app: {', '.join(p['missing'])}" if p["missing"] else ""))
        lines.append("")
        for k, v in p["phases"].items():
            lines.append(f"- {k}: {v:.3f} s")
        fills = [c for c in p["calls"] if c["label"].startswith("Pane._fill")]
        lines.append("- frames written at " + ", ".join(f"{f:.2f}" for f in p["frames"]) + " s; DataTables filled at "
                     + ", ".join(f"{c['at']:.2f} s ({c['pane']}, {c['seconds'] * 1000:.0f} ms)" for c in fills))
        lines.append("")
    imp = pr.get("imports", {})
    if imp:
        bare = pr.get("imports_bare", {})
        lines.append(f"Imports (`-X importtime`, decade encrypted start): {imp['total_self']:.2f} s in all vs "
                     f"{bare.get('total_self', 0):.2f} s for the bare app. By package (self time): "
                     + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in imp["by_package"].items() if v >= 0.005))
        lines.append("")
        lines.append("Cumulative: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in imp["cumulative"].items()
                                               if v >= 0.01))
        lines.append("")
        lines.append("advocate_tui's own modules (self): " + ", ".join(
            f"{k.removeprefix('advocate_tui.')} {v * 1000:.0f} ms" for k, v in imp["advocate_modules"].items()
            if v >= 0.003))
        lines.append("")
    parts = pr.get("parts", {})
    if parts:
        lines.append("Parts on their own (in the benchmark's process; medians, wall / CPU of all threads):")
        lines.append("")
        lines += [f"- {k}: {v['wall'] * 1000:.0f} ms / CPU {v['cpu'] * 1000:.0f} ms (n={v['n']})"
                  for k, v in parts.items()]
        lines.append("")
    if pr.get("pyinstrument"):
        lines.append(f"pyinstrument of the decade encrypted start (main thread): {pr['pyinstrument']}")
    return lines


def markdown(res: dict) -> str:
    m = res["machine"]
    lines = [f"Run {res['when']} ({res['mode']}) · {m['nproc']} CPUs ({m['cpu']}) · {m['memory']} · Python "
             f"{m['python']} · SQLite {m['sqlite']} · Textual {m['textual']} · load average before "
             f"{', '.join(f'{x:.2f}' for x in m['load_before'])}, after "
             f"{', '.join(f'{x:.2f}' for x in res['load_after'])}", "",
             f"Decade database: {res.get('decade_info', '?')}", "",
             "| figure | target | measured | verdict |", "| --- | --- | --- | --- |"]
    for r in res["table"]:
        lines.append(f"| {r['figure']} | {r['target']} | {r['measured']} | {r['verdict']} |")
    lines += ["", *startup_rows(res)]
    st = res.get("startup", {})
    more = [(a, b) for a, b in (("decade-enc", "empty-enc"), ("decade-plain", "empty-plain"), ("empty-enc", "empty-plain"),
                                ("decade-enc", "decade-plain"), ("decade-enc-first", "decade-enc")) if paired(st, a, b)]
    if more:
        lines += ["", "Other ratios, per round (wall; CPU): " + "; ".join(
            f"{a} / {b} {stats(paired(st, a, b))['median']:.2f}× ({stats(paired(st, a, b, 'cpu'))['median']:.2f}×)"
            for a, b in more)]
    peers = res.get("peers", {})
    if peers:
        lines += ["", "Peers, started the same way (bench/ready.py), ratio to the bare app per round: " + ", ".join(
            f"{n} {stats(paired(peers, n, 'bare'))['median']:.2f}× ({statistics.median(peers[n]['ready']):.2f} s, "
            f"{statistics.median(peers[n]['peak']):.0f} MiB)"
            for n in PEERS if peers.get(n, {}).get("ready")) + (
            f"; failed: {', '.join(peers['errors'])}" if peers.get("errors") else "")]
    inproc = res.get("inproc", {})
    lines += ["", "In-process diagnostics (decade encrypted; wall, then CPU):", ""]
    dec = inproc.get("decade-enc", {}).get("figures", {})
    for name in sorted(dec):
        if name.startswith(("svc_", "pilot_", "big5_year", "big5_all")) and not name.endswith("@cpu"):
            cpu = stats(dec.get(name + "@cpu") or [])
            lines.append(f"- {name}: {spread(stats(dec[name]))}" + (f"; CPU {ms(cpu['median'])}" if cpu else ""))
    for which, r in inproc.items():
        if r.get("error"):
            lines.append(f"- in-process run on {which} stopped early: {r['error']}")
        after = r.get("info", {}).get("peak_mib_after")
        if after:
            lines.append(f"- {which}: peak memory (MiB, VmHWM) after each stage: "
                         + ", ".join(f"{k} {v:.0f}" for k, v in after.items()))
    day = res.get("day", {})
    if day.get("mib"):
        lines += ["", f"The day (`bench.inproc --day`, scale {res.get('day_scale')}): planned {day['plan']}, done "
                  f"{day['done']}. Memory after each part (MiB; peak VmHWM / resident VmRSS): " + ", ".join(
                      f"{k} {v['peak']:.0f}/{(v['rss'] or 0):.0f}" for k, v in day["mib"].items())]
        alive = day.get("alive", {})
        if alive:
            lines.append(f"Alive at the end of the day (after gc, screen stack {alive['stack']}): screens "
                         f"{alive['screens']}; {alive['widgets_total']} widgets, most: {alive['widgets']}")
        if day.get("errors"):
            lines.append(f"Errors during the day: {day['errors']}")
    lines += profile_lines(res)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_const", dest="mode", const="quick", help="fewer rounds (~15 min)")
    mode.add_argument("--full", action="store_const", dest="mode", const="full", help="the default")
    ap.add_argument("--decade", type=Path, default=DEFAULT_OUT / "decade.db",
                    help="the plain decade database (generated with bench.generate's defaults if missing); its "
                         "encrypted copy is made beside it")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for working copies and results")
    ap.add_argument("--runs", type=int, help="start-up rounds (full 7, quick 3)")
    ap.add_argument("--before", type=Path, metavar="DIR",
                    help="a checkout of earlier code (e.g. `git worktree add DIR main`, or `git archive main | "
                         "tar -x -C DIR`): its empty and decade encrypted starts run in the same rounds")
    ap.add_argument("--first-runs", type=int, help="rounds with the day's first start (~20 s each; full 3, quick 1)")
    ap.add_argument("--reps", type=int, help="repetitions of each in-process figure (full 15, quick 5)")
    ap.add_argument("--roster-runs", type=int)
    ap.add_argument("--day-scale", type=float, help="the day's counts × this (full 1, quick 0.4)")
    ap.add_argument("--parts", default=",".join(p for p in PARTS if p != "peers"),
                    help=f"comma-separated parts to run, of {','.join(PARTS)}")
    ap.add_argument("--skip", default="", help="comma-separated parts to leave out")
    ap.add_argument("--peers", action="store_true", help="also start toolong, posting and harlequin (see --peers-venv)")
    ap.add_argument("--peers-venv", type=Path, default=Path(tempfile.gettempdir()) / "advocate-bench-peers",
                    help="a folder outside the repository for the peers' throwaway virtual environments, one each "
                         "(made if missing)")
    args = ap.parse_args(argv)
    conf = dict(MODES[args.mode or "full"])
    for key in ("runs", "first_runs", "reps", "roster_runs", "day_scale"):
        if getattr(args, key) is not None:
            conf[key] = getattr(args, key)
    parts = [p for p in args.parts.split(",") if p and p not in set(args.skip.split(","))]
    if args.peers and "peers" not in parts:
        parts.append("peers")
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    before = args.before.resolve() if args.before else None
    if before is not None and not (before / "advocate_tui" / "__main__.py").exists():
        ap.error(f"--before {args.before}: no advocate_tui there")
    compile_bytecode(ROOT, *([before] if before else []))

    if not args.decade.exists():
        from bench.generate import generate

        log(f"generating {args.decade} (3–15 minutes)…")
        generate(args.decade)
    decade_enc = args.decade.with_name(args.decade.stem + "-encrypted.db")
    if not decade_enc.exists() or decade_enc.stat().st_mtime < args.decade.stat().st_mtime:
        log(f"encrypting a copy: {decade_enc}…")
        encrypted_copy(args.decade, decade_enc)
    res: dict = {"when": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
                 "mode": args.mode or "full", "conf": conf, "parts": parts, "day_scale": conf["day_scale"]}
    from advocate_tui.store import Store

    probe = Store.open(decade_enc, tz="America/Chicago", migrate=False, passphrase=PASSPHRASE)
    from advocate_tui.store import schema

    tables = set(probe.db.table_names())  # a decade made by an older schema lacks the newer tables
    counts = {t: probe.db[t].count for t in ("students", *schema.RECORD_TABLES, "audit") if t in tables}
    res["decade_info"] = (f"{probe.count_students(active_only=False):,} students "
                          f"({probe.count_students():,} active), {sum(counts.values()):,} rows "
                          f"({', '.join(f'{k} {v:,}' for k, v in counts.items())}), "
                          f"{decade_enc.stat().st_size / 2**20:.0f} MiB encrypted")
    probe.close()
    work = Path(tempfile.mkdtemp(prefix="work-", dir=out))
    home = work / "home"
    try:
        empty_plain, empty_enc = work / "empty-plain.db", work / "empty-enc.db"
        make_empty(empty_plain)
        make_empty(empty_enc, PASSPHRASE)
        src = {"empty-enc": empty_enc, "decade-enc": decade_enc, "decade-enc-first": decade_enc,
               "empty-plain": empty_plain, "decade-plain": args.decade}
        if before is not None and "startup" in parts:
            # the earlier code makes its own empty file: one made by this code may have a newer schema,
            # which that code refuses (a decade copy it migrates itself, at the warm-up)
            empty_before = work / "empty-enc-before.db"
            subprocess.run([sys.executable, "-c", "from pathlib import Path; from bench.run import make_empty, "
                            f"PASSPHRASE; make_empty(Path({str(empty_before)!r}), PASSPHRASE)"],
                           env={**os.environ, "PYTHONPATH": f"{before}{os.pathsep}{ROOT}"}, cwd=before, check=True)
            src.update({"empty-enc-before": empty_before, "decade-enc-before": decade_enc})
        starts = {k: copy_db(v, work / f"start-{k}" / "school.db") for k, v in src.items()} \
            if {"startup", "profile"} & set(parts) else {}
        if "startup" in parts:
            log(f"start-up ({conf['runs']} rounds of {', '.join(STARTS)})…")
            res["startup"] = run_startup(starts, conf["runs"], conf["first_runs"], home, before)
        if "profile" in parts:
            log("where the start's time goes…")
            res["profile"] = run_profile(starts, home, work, out, max(3, conf["reps"] // 3))
        if "inproc" in parts:
            log("in-process figures…")
            which = ["decade-enc", "empty-enc"] + (["decade-plain"] if conf["plain_inproc"] else [])
            res["inproc"] = {k: run_inproc(copy_db(src[k], work / f"inproc-{k}.db"), conf["reps"], work / f"{k}.json")
                             for k in which}
        if "day" in parts:
            log(f"a day's use at decade scale (× {conf['day_scale']})…")
            res["day"] = run_inproc(copy_db(decade_enc, work / "day.db"), 0, work / "day.json",
                                    day_scale=conf["day_scale"])
        if "roster" in parts:
            log("roster import…")
            users = work / "users.csv"
            res["roster_rows"] = write_oneroster(decade_enc, users, passphrase=PASSPHRASE)
            res["roster"] = run_roster(users, work, conf["roster_runs"], home)
        if "peers" in parts:
            log("peers…")
            res["peers"] = run_peers(args.peers_venv, conf["runs"], home, work)
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
