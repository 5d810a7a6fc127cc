"""A desk in a separate process for the durability tests: saves contact notes in a loop.

``python tests/durability_child.py DB TAG SECONDS`` (passphrase in $ADVOCATE_PASSPHRASE, if any).
Prints ``ready <pragmas>`` once the database is open (its connection's durability settings, as
:func:`durability` reads them, for the test to check), then one saved record id per line, each only
AFTER the store's commit returned. Any error is printed as ``ERROR <type>: <message>`` and exits 1.
``SECONDS`` = 0 means "until killed".

``python tests/durability_child.py --zygote DB`` imports everything once, then for each line
``OUTFILE TAG`` on stdin forks a desk that writes the same lines to OUTFILE (unbuffered ``os.write``:
what was written survives a SIGKILL) and answers with the desk's pid, so a crash loop does not pay
Python's start-up for every kill.
"""

from __future__ import annotations

import os
import sys
import time


def _imports():
    from advocate_tui.clock import Clock
    from advocate_tui.desk import Desk
    from advocate_tui.profile import demo_profile
    from advocate_tui.services import recording

    return Clock, Desk, demo_profile, recording


def durability(conn) -> str:
    """The settings a save's survival depends on, as ``name=value`` words."""
    names = ("synchronous", "journal_mode", "foreign_keys", "recursive_triggers")
    return " ".join(f"{n}={conn.execute(f'PRAGMA {n}').fetchone()[0]}" for n in names)


def save_loop(db: str, tag: str, seconds: float, emit) -> int:
    Clock, Desk, demo_profile, recording = _imports()
    profile = demo_profile()
    desk = Desk.open(db, profile, clock=Clock(profile), passphrase=os.environ.get("ADVOCATE_PASSPHRASE"),
                     user=f"desk-{tag}")
    emit(f"ready {durability(desk.store.db.conn)}")
    end = time.monotonic() + seconds if seconds else float("inf")
    students = ["S1001", "S1002", "S1003", "S1004", "S1005", "S1006"]
    i = 0
    try:
        while time.monotonic() < end:
            note = recording.save(desk, "contact", {
                "student": students[i % len(students)], "contact_kind": "check_in", "note": f"{tag} note {i}",
            })
            emit(note.id)
            i += 1
            if i % 25 == 0:  # a reader too, as the main screen does
                desk.store.counts()
    except Exception as exc:  # noqa: BLE001 - report it to the test, which fails
        emit(f"ERROR {type(exc).__name__}: {exc}")
        return 1
    finally:
        desk.close()
    return 0


def warm_up() -> None:
    """One save on a scratch database, so every module a save imports on first use is imported before
    the forks (a fresh process's first save imports ~90 modules: ~0.65 s here, longer than the test
    waits before its kill, so no kill landed during a save)."""
    import tempfile

    Clock, Desk, demo_profile, recording = _imports()
    from advocate_tui.models import Student

    profile = demo_profile()
    with tempfile.TemporaryDirectory() as folder:
        desk = Desk.open(os.path.join(folder, "warm.db"), profile, clock=Clock(profile))
        try:
            desk.store.upsert_students([Student(local_id="S1", given_name="A", family_name="B", grade="09")])
            recording.save(desk, "contact", {"student": "S1", "contact_kind": "check_in", "note": "warm"})
            desk.store.counts()
        finally:
            desk.close()


def zygote(db: str) -> int:
    warm_up()
    print("zygote", flush=True)
    for line in sys.stdin:
        outfile, tag = line.split()
        pid = os.fork()
        if pid == 0:
            fd = os.open(outfile, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            code = 1
            try:
                code = save_loop(db, tag, 0, lambda text: os.write(fd, (text + "\n").encode()))
            finally:
                os._exit(code)
        print(pid, flush=True)
        os.waitpid(pid, 0)  # the test kills it; reap before the next one
    return 0


def main() -> int:
    if sys.argv[1] == "--zygote":
        return zygote(sys.argv[2])
    db, tag, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    return save_loop(db, tag, seconds, lambda text: print(text, flush=True))


if __name__ == "__main__":
    sys.exit(main())
