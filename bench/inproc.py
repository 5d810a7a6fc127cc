"""The in-process figures: the real app driven headless by Textual's Pilot on one database.

    ADVOCATE_PASSPHRASE=... .venv/bin/python -m bench.inproc --db bench/out/work/decade.db --json out.json
    ADVOCATE_PASSPHRASE=... .venv/bin/python -m bench.inproc --db ... --day --json day.json

Run by :mod:`bench.run` in a process of its own per database (so peak memory is this database's).
An encrypted database is opened with ``$ADVOCATE_PASSPHRASE``, as the app opens a school's.
Memory is this process's own: ``VmHWM`` (peak) and ``VmRSS`` (now) of /proc/self/status.
Each figure is a list of seconds, one per repetition; ``run.py`` turns them into medians and spreads.
The clock is frozen at the end of the benchmark's busy day (2026-11-23 15:00, the demo school).

- quick_log: ``ctrl+s`` in the incident form → the row committed and shown in the incidents pane
- lookup: one keystroke in the quick log's student field → suggestions shown (also the ``/`` search)
- student_page: push the student page of the student with the most records → loaded and painted
- handoff_review / handoff_bundle: the handoff screen opened (review shown); the review, sign-off
  and bundle files (JSON, Markdown, CSV) as the services do them, rolled back after each run
- big5_year / big5_all: the data screen's Big 5 (``services.stats.compute``) for this school year / all
- pilot_press: a key that does nothing, for Pilot's own overhead per key

``--day`` runs :func:`day` instead: a full day's use at the desk (:data:`DAY`), then the peak and
the resident memory, and which screens and widgets are still alive once everything is closed.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

NOW = "2026-11-23 15:00"
SIZE = (160, 48)
#: seconds between the measured keystrokes of a look-up: a fast typist (~10 keys a second). Keys sent
#: back to back would also wait for Textual's next frame slot (at most 1/60 s after the last frame).
TYPING_GAP = 0.06


_PAINTED: list = []


def _status_kib(field: str) -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return float(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def peak_mib() -> float:
    """This process's own peak resident memory (``VmHWM``; ``ru_maxrss`` where there is no /proc)."""
    from bench.ready import peak_kib

    return peak_kib()[0] / 1024


def rss_mib() -> float | None:
    """This process's resident memory now (``VmRSS``), None where there is no /proc."""
    kib = _status_kib("VmRSS")
    return None if kib is None else kib / 1024


def open_desk(db: Path):
    """The desk on ``db`` with the benchmark's frozen clock; keyed with $ADVOCATE_PASSPHRASE if encrypted."""
    from advocate_tui.clock import Clock
    from advocate_tui.desk import Desk
    from advocate_tui.profile import demo_profile
    from advocate_tui.store.engine import is_encrypted

    profile = demo_profile()
    passphrase = os.environ.get("ADVOCATE_PASSPHRASE") if is_encrypted(db) else None
    if is_encrypted(db) and not passphrase:
        raise SystemExit(f"{db} is encrypted: set ADVOCATE_PASSPHRASE")
    return Desk.open(db, profile, clock=Clock.frozen(profile, NOW), passphrase=passphrase)


def add(figs: dict, name: str, wall: float, cpu: float | None = None) -> None:
    """Record one repetition: wall-clock seconds, and the process's CPU seconds beside it."""
    if cpu is None and _PAINTED:
        cpu = _PAINTED[0].cpu[-1]
    figs.setdefault(name, []).append(wall)
    if cpu is not None:
        figs.setdefault(name + "@cpu", []).append(cpu)


class _Undo(Exception):
    """Raised to roll back a measured sign-off."""


def _student_with_most_records(store) -> tuple[str, int]:
    row = store.db.execute(
        "SELECT student_id, count(*) AS n FROM record_students GROUP BY student_id ORDER BY n DESC LIMIT 1"
    ).fetchone()
    return (row[0], row[1]) if row else ("", 0)


def _lookup_words(store, n: int) -> list[str]:
    """Search texts people type: family names (first letters) of active students, and numbers."""
    rows = store.db.execute(
        "SELECT family_name, given_name, local_id FROM students WHERE active = 1 ORDER BY local_id LIMIT 400"
    ).fetchall()
    words = []
    for i, (family, given, local_id) in enumerate(rows[:: max(1, len(rows) // max(n, 1))][:n]):
        if i % 3 == 2:
            words.append(local_id[:5])
        elif i % 3 == 1:
            words.append(f"{given.split()[0][:3]} {family.split()[0][:3]}")
        else:
            words.append(family.split()[0][:5])
    return words



def _history_shown(screen) -> bool:
    """The student page's history table has rows (older code without a ``HistoryPane``: its rows read)."""
    try:
        return screen.query_one("HistoryPane").table.row_count > 0
    except Exception:  # noqa: BLE001 - an earlier checkout measured with --before
        return len(screen.rows) > 0

async def _until(pilot, test, limit: float = 10.0) -> None:
    deadline = time.perf_counter() + limit
    while not test():
        if time.perf_counter() > deadline:
            raise RuntimeError("timed out waiting for the screen")
        await asyncio.sleep(0)


#: ``--only``: the figures whose parts run (None: all). "keys" is the quick log and the look-ups.
ONLY: set[str] | None = None


def _runs(part: str) -> bool:
    return ONLY is None or part in ONLY


async def measure(db: Path, reps: int) -> dict:
    from advocate_tui.app import AdvocateApp
    from advocate_tui.services import handoff as handoff_service
    from advocate_tui.services import today as today_service
    from advocate_tui.store.engine import is_encrypted

    desk = open_desk(db)
    store = desk.store
    out: dict = {"figures": {}, "info": {"encrypted": is_encrypted(db)}}
    figs = out["figures"]
    info = out["info"]
    info["students"] = store.count_students(active_only=False)
    info["incidents"] = store.db["incidents"].count
    info["audit"] = store.db["audit"].count
    sid, n_records = _student_with_most_records(store)
    info["student_page_records"] = n_records
    words = _lookup_words(store, min(6, max(2, reps)))

    info["peak_mib_after"] = {"open": peak_mib()}
    app = AdvocateApp(desk)
    try:
        await _drive(app, desk, store, figs, info, reps, sid, words)
    except Exception as exc:  # noqa: BLE001 - a screen still being built: keep what was measured
        out["error"] = f"{type(exc).__name__}: {exc}"[:300]
    out["peak_mib"] = peak_mib()  # the app after every screen above (the services' diagnostics come next)
    if not _runs("services"):
        desk.close()
        return out
    # the services alone (no Textual): where a screen's time goes
    for _ in range(reps):
        t, c = time.perf_counter(), time.process_time()
        today_service.load(desk)
        add(figs, "svc_today_load", time.perf_counter() - t, time.process_time() - c)
    for w in words:
        for k in range(1, len(w) + 1):
            t, c = time.perf_counter(), time.process_time()
            store.find_students(w[:k], limit=6)
            add(figs, "svc_find_students", time.perf_counter() - t, time.process_time() - c)
    if sid:
        for _ in range(reps):
            t, c = time.perf_counter(), time.process_time()
            today_service.student_history(desk, sid)
            add(figs, "svc_student_history", time.perf_counter() - t, time.process_time() - c)

    # handoff: review + sign-off + bundle files, each run rolled back
    from advocate_tui.services.bundle import build_bundle, write_bundle

    info["handoff_items"] = handoff_service.review(desk).counts()
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(reps):
            t, c = time.perf_counter(), time.process_time()
            try:
                with store.transaction():
                    handoff_service.review(desk)
                    handoff = handoff_service.sign_off(desk, "Bench Signer", "bench")
                    write_bundle(desk, handoff, Path(tmp) / str(i))
                    add(figs, "handoff_bundle", time.perf_counter() - t, time.process_time() - c)
                    raise _Undo
            except _Undo:
                pass
        del build_bundle

    # the data screen's Big 5 (service level; the screen itself when it is there)
    try:
        from advocate_tui.services import stats
    except ImportError:
        stats = None
    if stats is not None:
        today = desk.clock.today()
        for key, name in (("y", "big5_year"), ("a", "big5_all")):
            rng = stats.range_for(key, today, store)
            info[f"{name}_range"] = rng.label
            for _ in range(max(3, reps // 2)):
                t, c = time.perf_counter(), time.process_time()
                stats.compute(desk, rng)
                add(figs, name, time.perf_counter() - t, time.process_time() - c)

    info["peak_mib_after"]["services"] = peak_mib()
    desk.close()
    return out


async def _drive(app, desk, store, figs, info, reps, sid, words) -> None:
    from advocate_tui.screens.main import MainScreen
    from advocate_tui.screens.student import StudentScreen, StudentSearch

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        for _ in range(3):  # e.g. drafts left by an interrupted run are offered first: leave them
            if isinstance(app.screen, MainScreen):
                break
            await pilot.press("escape")
            await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen), type(main)
        painted = Painted(app)
        queries: list[str] = []
        real_find = store.find_students

        def find_students(text, *a, **kw):
            found = real_find(text, *a, **kw)
            queries.append(text)
            return found

        store.find_students = find_students  # type: ignore[method-assign]

        for _ in range(reps):
            t, c = time.perf_counter(), time.process_time()
            await pilot.press("f12")  # bound to nothing: Pilot's own wait per key, for reference
            add(figs, "pilot_press", time.perf_counter() - t, time.process_time() - c)

        # quick log: i, student by number, role, behaviour, note; time ctrl+s → row in the pane
        actives = [r[0] for r in store.db.execute(
            "SELECT local_id FROM students WHERE active = 1 ORDER BY local_id LIMIT ?", [reps]).fetchall()]
        pane = main.pane("incidents")
        for i, student in enumerate(actives):
            async def type_student(ch: str, typed: str) -> None:
                await asyncio.sleep(TYPING_GAP)
                add(figs, "lookup_picker", await painted.after(
                    "lookup_picker", lambda: send_key(app, ch), lambda: bool(queries) and queries[-1] == typed))

            note = f"bench quick log {i}"
            await fill_incident(pilot, app, student, note, type_student)
            gc.collect()
            add(figs, "quick_log", await painted.after("quick_log", 
                lambda: send_key(app, "ctrl+s"), lambda note=note: app.screen is main and any(
                    r.record is not None and getattr(r.record, "description", "") == note for r in pane.rows)))
            await pilot.pause()

        info["peak_mib_after"]["quick_log"] = peak_mib()
        # student lookup in the "/" search: every keystroke of a few names and numbers
        for w in words:
            await pilot.press("slash")
            await _until(pilot, lambda: isinstance(app.screen, StudentSearch))
            await pilot.pause()
            typed = ""
            for ch in w:
                typed += ch
                await asyncio.sleep(TYPING_GAP)
                add(figs, "lookup_search", await painted.after("lookup_search", 
                    lambda ch=ch: send_key(app, "space" if ch == " " else ch),
                    lambda t=typed.strip(): bool(queries) and queries[-1] == t))
            await pilot.press("escape")
            await pilot.pause()
        store.find_students = real_find  # type: ignore[method-assign]

        info["peak_mib_after"]["lookup"] = peak_mib()
        if not _runs("screens"):
            return
        # the student page of the student with the most history
        if sid:
            for _ in range(reps):
                gc.collect()
                add(figs, "student_page", await painted.after("student_page", 
                    lambda: app.push_screen(StudentScreen(sid)),
                    # the frame whose table has its rows (the page's record list can be read before
                    # its table is filled: a frame with an empty box is not the page painted)
                    lambda: isinstance(app.screen, StudentScreen) and _history_shown(app.screen)))
                app.pop_screen()
                await pilot.pause()

        info["peak_mib_after"]["student_page"] = peak_mib()
        # the handoff screen: H → the review on screen
        try:
            from advocate_tui.screens.handoff import HandoffScreen
        except ImportError:
            HandoffScreen = None
        if HandoffScreen is not None:
            for _ in range(reps):
                gc.collect()
                add(figs, "handoff_review", await painted.after("handoff_review", 
                    lambda: send_key(app, "H"),
                    lambda: isinstance(app.screen, HandoffScreen) and getattr(app.screen, "review", None) is not None))
                await pilot.press("escape")
                await pilot.pause()

        info["peak_mib_after"]["handoff"] = peak_mib()
        # the data screen, if it is there: opened on a range → its counts on screen (computed in a worker)
        data_screen = _data_screen()
        if data_screen is not None:
            for key, name in (("y", "big5_year_screen"), ("a", "big5_all_screen")):
                for _ in range(max(3, reps // 2)):
                    gc.collect()
                    add(figs, name, await painted.after(
                        name, lambda key=key: app.push_screen(data_screen(range_key=key)),
                        lambda: isinstance(app.screen, data_screen) and getattr(app.screen, "stats", None) is not None))
                    await app.workers.wait_for_complete()
                    app.pop_screen()
                    await pilot.pause()
                info["peak_mib_after"][f"data_{key}"] = peak_mib()
        await pilot.pause()


async def fill_incident(pilot, app, student: str, note: str, type_student=None) -> None:
    """``i`` on the main screen, then the quick log's fields up to (not including) ``ctrl+s``: the
    student by number (each keystroke through ``type_student(ch, typed_so_far)`` when given), role
    r(esponsible), behaviour "def" (Defiance), the note, location "cl" (Classroom)."""
    from advocate_tui.screens.forms import IncidentForm

    await pilot.press("i")
    await _until(pilot, lambda: isinstance(app.screen, IncidentForm))
    await pilot.pause()
    typed = ""
    for ch in student:
        typed += ch
        if type_student is None:
            await pilot.press(ch)
        else:
            await type_student(ch, typed)
    await pilot.pause()
    await pilot.press("enter", "r", "enter")
    for ch in "def":
        await pilot.press(ch)
    await pilot.press("enter")
    for ch in note:
        await pilot.press("space" if ch == " " else ch)
    await pilot.press("enter", "c", "l", "enter")  # on to the location (never guessed): Classroom
    await pilot.pause()


#: a full day at the desk at decade scale, for the memory figure (``--day``): what the decade's
#: generator puts in a school day (bench/generate.py), done through the screens, then every screen closed
DAY = {"quick_logs": 25, "door_checks": 21, "patrols": 1, "student_pages": 10, "handoff_reviews": 2,
       "data_screens": 2}


async def day(db: Path, scale: float = 1.0) -> dict:
    """Drive :data:`DAY` (each count × ``scale``, at least 1) through the real app; return the peak and
    resident memory after each part, the counts done, and what is still alive at the end."""
    from advocate_tui.app import AdvocateApp
    from advocate_tui.screens.main import MainScreen
    from advocate_tui.screens.student import StudentScreen, StudentSearch

    desk = open_desk(db)
    store = desk.store
    plan = {k: max(1, round(v * scale)) for k, v in DAY.items()}
    out: dict = {"plan": plan, "done": {k: 0 for k in plan}, "mib": {}, "errors": []}

    def mark(stage: str) -> None:
        gc.collect()
        out["mib"][stage] = {"peak": peak_mib(), "rss": rss_mib()}

    mark("open")
    actives = [r[0] for r in store.db.execute(
        "SELECT local_id FROM students WHERE active = 1 ORDER BY local_id LIMIT ?", [plan["quick_logs"]])]
    words = _lookup_words(store, plan["student_pages"])
    app = AdvocateApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        for _ in range(3):
            if isinstance(app.screen, MainScreen):
                break
            await pilot.press("escape")
            await pilot.pause()
        main = app.screen
        mark("main screen")

        async def back_to_main() -> None:
            for _ in range(4):
                if app.screen is main:
                    return
                await pilot.press("escape")
                await pilot.pause()
            while app.screen is not main and len(app.screen_stack) > 1:
                app.pop_screen()
                await pilot.pause()

        async def part(name: str, body) -> None:
            try:
                await body()
            except Exception as exc:  # noqa: BLE001 - a screen being rebuilt by others: say so, go on
                out["errors"].append(f"{name}: {type(exc).__name__}: {exc}"[:300])
                await back_to_main()
            mark(name)

        async def quick_logs() -> None:
            for i, student in enumerate(actives):
                await fill_incident(pilot, app, student, f"bench day quick log {i}")
                await pilot.press("ctrl+s")
                await _until(pilot, lambda: app.screen is main)
                await app.workers.wait_for_complete()
                out["done"]["quick_logs"] += 1

        async def open_from_main(key: str) -> None:
            await pilot.press(key)
            await _until(pilot, lambda: app.screen is not main)
            await pilot.pause()

        async def door_checks() -> None:
            for _ in range(plan["door_checks"]):
                await open_from_main("d")
                await pilot.press("s")  # secure: saved at once
                await _until(pilot, lambda: app.screen is main)
                out["done"]["door_checks"] += 1

        async def patrols() -> None:
            for _ in range(plan["patrols"]):
                await open_from_main("p")
                await pilot.press("enter")  # the zone whose turn it is
                for _step in range(30):  # every checkpoint clear; the round closes itself at the end
                    if app.screen is main:
                        break
                    await pilot.press("c")
                    await pilot.pause()
                await back_to_main()
                out["done"]["patrols"] += 1

        async def student_pages() -> None:
            for w in words:
                await pilot.press("slash")
                await _until(pilot, lambda: isinstance(app.screen, StudentSearch))
                for ch in w:
                    await pilot.press("space" if ch == " " else ch)
                await pilot.pause()
                await pilot.press("enter")
                await _until(pilot, lambda: isinstance(app.screen, StudentScreen) or app.screen is main)
                await app.workers.wait_for_complete()
                await pilot.pause()
                await back_to_main()
                out["done"]["student_pages"] += 1

        async def handoff_reviews() -> None:
            for _ in range(plan["handoff_reviews"]):
                await open_from_main("H")
                await app.workers.wait_for_complete()
                await pilot.pause()
                await back_to_main()
                out["done"]["handoff_reviews"] += 1

        async def data_screens() -> None:
            for key in ("y", "a")[: plan["data_screens"]]:
                await open_from_main("D")
                await pilot.press(key)
                await app.workers.wait_for_complete()
                await pilot.pause()
                await back_to_main()
                out["done"]["data_screens"] += 1

        for name, body in (("quick_logs", quick_logs), ("door_checks", door_checks), ("patrols", patrols),
                           ("student_pages", student_pages), ("handoff_reviews", handoff_reviews),
                           ("data_screens", data_screens)):
            await part(name, body)
        await pilot.pause()
        out["alive"] = alive(app)
        mark("end of day, every screen closed")
    desk.close()
    out["peak_mib"] = peak_mib()
    return out


def alive(app) -> dict:
    """What is still alive after gc with only the main screen open: screens by class, widgets by class
    (top 12), and the number of bindings the app and its screens hold."""
    from textual.screen import Screen
    from textual.widget import Widget

    gc.collect()
    screens: dict[str, int] = {}
    widgets: dict[str, int] = {}
    for obj in gc.get_objects():
        if isinstance(obj, Screen):
            screens[type(obj).__name__] = screens.get(type(obj).__name__, 0) + 1
        elif isinstance(obj, Widget):
            widgets[type(obj).__name__] = widgets.get(type(obj).__name__, 0) + 1
    top = dict(sorted(widgets.items(), key=lambda kv: -kv[1])[:12])
    return {"stack": [type(s).__name__ for s in app.screen_stack], "screens": screens,
            "widgets_total": sum(widgets.values()), "widgets": top}


class Painted:
    """Times from an action to the first rendered frame in which a condition holds."""

    def __init__(self, app) -> None:
        self.app = app
        self.cond = None
        self.at: float | None = None
        self.cpu_at = 0.0
        self.cpu: list[float] = []
        self.event = asyncio.Event()
        real = app._display

        def display(screen, update) -> None:
            real(screen, update)
            if self.cond is not None and self.at is None and update is not None and self.cond():
                self.at, c = time.perf_counter(), time.process_time()
                self.cpu_at = time.process_time()
                self.event.set()

        app._display = display
        _PAINTED[:] = [self]

    #: figure name to profile with pyinstrument (``--profile``), and the profiler
    profile_name: str | None = None
    profiler = None

    async def after(self, name: str, action, cond, timeout: float = 30.0) -> float:
        if name and name == self.profile_name:
            from pyinstrument import Profiler

            if Painted.profiler is None:
                Painted.profiler = Profiler(interval=0.0005, async_mode="disabled")
            Painted.profiler.start()
            try:
                return await self._after(action, cond, timeout)
            finally:
                Painted.profiler.stop()
        return await self._after(action, cond, timeout)

    async def _after(self, action, cond, timeout: float) -> float:
        self.cond, self.at = cond, None
        self.event.clear()
        start, cpu = time.perf_counter(), time.process_time()
        result = action()
        if asyncio.iscoroutine(result):
            await result
        await asyncio.wait_for(self.event.wait(), timeout)
        self.cond = None
        self.cpu.append(self.cpu_at - cpu)
        return self.at - start


def send_key(app, key: str) -> None:
    """Post a key event as the terminal driver does (what Pilot does, without its waits)."""
    import unicodedata

    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    event = events.Key(key, char)
    event.set_sender(app)
    app._driver.send_message(event)


def _data_screen():
    """The data screen class, if it is there yet (module and class names as the team writes them)."""
    import importlib

    for module, cls in (("advocate_tui.screens.data", "DataScreen"), ("advocate_tui.screens.data", "StatsScreen")):
        try:
            found = getattr(importlib.import_module(module), cls, None)
        except ImportError:
            continue
        if found is not None:
            return found
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.inproc")
    ap.add_argument("--db", required=True, type=Path)
    ap.add_argument("--reps", type=int, default=15)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--profile", metavar="FIGURE", help="profile one figure (e.g. quick_log) with pyinstrument")
    ap.add_argument("--only", metavar="PARTS", help="keys (quick log and look-ups, always run), screens, "
                    "services: comma-separated (default: all)")
    ap.add_argument("--day", action="store_true", help="run a full day's use (DAY) and report the memory")
    ap.add_argument("--day-scale", type=float, default=1.0, help="the day's counts × this (default 1)")
    args = ap.parse_args(argv)
    Painted.profile_name = args.profile
    global ONLY
    ONLY = None if not args.only else {p.strip() for p in args.only.split(",")} | {"keys"}
    if args.day:
        result = asyncio.run(day(args.db, args.day_scale))
        text = json.dumps(result, indent=1)
        if args.json:
            args.json.write_text(text)
        else:
            print(text)
        return 0
    result = asyncio.run(measure(args.db, args.reps))
    if Painted.profiler is not None:
        print(Painted.profiler.output_text(unicode=True, show_all=False, timeline=False), file=sys.stderr)
    text = json.dumps(result, indent=1)
    if args.json:
        args.json.write_text(text)
    else:
        print(text)
    for name, values in result["figures"].items():
        if values:
            print(f"{name:20} median {statistics.median(values) * 1000:8.1f} ms  "
                  f"({min(values) * 1000:.1f}–{max(values) * 1000:.1f}, n={len(values)})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
