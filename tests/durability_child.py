"""A desk in a separate process for the durability tests: saves contact notes in a loop.

``python tests/durability_child.py DB TAG SECONDS`` (passphrase in $ADVOCATE_PASSPHRASE, if any).
Prints ``ready`` once the database is open, then one saved record id per line, each only AFTER the
store's commit returned. Any error is printed as ``ERROR <type>: <message>`` and exits 1.
``SECONDS`` = 0 means "until killed".
"""

from __future__ import annotations

import os
import sys
import time


def main() -> int:
    db, tag, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    from advocate_tui.clock import Clock
    from advocate_tui.desk import Desk
    from advocate_tui.profile import demo_profile
    from advocate_tui.services import recording

    profile = demo_profile()
    desk = Desk.open(db, profile, clock=Clock(profile), passphrase=os.environ.get("ADVOCATE_PASSPHRASE"),
                     user=f"desk-{tag}")
    print("ready", flush=True)
    end = time.monotonic() + seconds if seconds else float("inf")
    students = ["S1001", "S1002", "S1003", "S1004", "S1005", "S1006"]
    i = 0
    try:
        while time.monotonic() < end:
            note = recording.save(desk, "contact", {
                "student": students[i % len(students)], "contact_kind": "check_in", "note": f"{tag} note {i}",
            })
            print(note.id, flush=True)
            i += 1
            if i % 25 == 0:  # a reader too, as the main screen does
                desk.store.counts()
    except Exception as exc:  # noqa: BLE001 - report it to the test, which fails
        print(f"ERROR {type(exc).__name__}: {exc}", flush=True)
        return 1
    finally:
        desk.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
