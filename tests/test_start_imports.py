"""What a start does not import before its first screen: each costs every start a measurable part of
its time (benchmarks in BENCHMARKS.md), and is imported where it is first needed."""

from __future__ import annotations

import os
import subprocess
import sys


def test_the_trust_rules_a_start_reads_do_not_import_cryptography():
    """The main screen's counts read the Peace Room, whose school rules import the trust rules (for
    Signer and fingerprints): cryptography (~0.05 s) is imported where a key is made or checked."""
    script = ("import sys; import advocate_tui.services.peace_room, advocate_tui.services.trust; "
              "print('cryptography' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


PLUGIN = '''
from pathlib import Path

SEEN = Path(__file__).with_name("seen.txt")


class Spy:
    """A pydantic plugin: told of every validator built, it would be given every value validated."""

    def new_schema_validator(self, schema, schema_type, schema_type_path, schema_kind, config, plugin_settings):
        with SEEN.open("a") as fh:
            fh.write(f"{schema_type_path}\\n")
        return None, None, None


spy = Spy()
'''


def test_a_pydantic_plugin_installed_beside_the_app_never_sees_a_student(tmp_path):
    """A package installed in the same Python that registers a pydantic plugin (the ``pydantic`` entry
    point) would be handed every record as it is validated: the app loads none, so a student's name
    never reaches it; and looking for plugins (every installed package's metadata read, ~15 ms) is
    not part of a start."""
    (tmp_path / "spy_plugin.py").write_text(PLUGIN, encoding="utf-8")
    dist = tmp_path / "spy_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: spy-plugin\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[pydantic]\nspy = spy_plugin:spy\n", encoding="utf-8")
    script = ("import sys; from advocate_tui.models import Student; from advocate_tui.profile import demo_profile; "
              "demo_profile(); Student(local_id='S1', given_name='Ana', family_name='Garcia', grade='10'); "
              "print('importlib.metadata' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(tmp_path)}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "seen.txt").exists()
    assert done.stdout.strip() == "False"
    # (the spy is a working plugin: pydantic on its own gives it what it validates)
    own = subprocess.run([sys.executable, "-c", "import pydantic; pydantic.TypeAdapter(int).validate_python(1)"],
                         capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(tmp_path)},
                         cwd=tmp_path)
    assert own.returncode == 0, own.stderr
    assert (tmp_path / "seen.txt").exists()


def test_dateutils_parser_waits_for_its_first_use():
    """pendulum imports dateutil's free-form date parser (with dateutil.tz, decimal, ctypes: ~25 ms of a
    start) for non-strict parsing only, which the app never asks for: a start does not run it, and a
    non-strict parse still reads a free-form date (the parser loads then)."""
    script = ("import sys; import advocate_tui.app, advocate_tui.desk, advocate_tui.screens.main, pendulum; "
              "print('dateutil.parser._parser' in sys.modules, 'dateutil.tz' in sys.modules); "
              "print(pendulum.parse('2026-11-30T10:40:00', tz='America/Chicago').isoformat()); "
              "print(pendulum.parse('Nov 30 2026 10:40', strict=False).isoformat())")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:3] == ["False False", "2026-11-30T10:40:00-06:00", "2026-11-30T10:40:00+00:00"]


#: the models package's modules an empty start may import: the vocabularies, the text rules, the error
#: wording and the kinds' names, none of which builds a pydantic model (nor imports pydantic)
PLAIN_MODEL_MODULES = {"advocate_tui.models", "advocate_tui.models.enums", "advocate_tui.models.text",
                       "advocate_tui.models.errors", "advocate_tui.models.kinds", "advocate_tui.models.cico_words",
                       "advocate_tui.models.process_words"}

#: runs the app as ``advocate`` does and writes the names of the modules it imported when it ends
MODULES_AT_EXIT = '''
import atexit, runpy, sys
out = sys.argv.pop(1)
atexit.register(lambda: open(out, "w").write("\\n".join(sorted(sys.modules))))
sys.argv = ["advocate", *sys.argv[1:]]
runpy.run_module("advocate_tui", run_name="__main__")
'''


def test_the_models_a_start_may_import_import_no_pydantic():
    """The vocabularies, the text rules, the error wording and the kinds' names (what an empty start imports
    of the models) import no pydantic; the package's other names still come when asked for."""
    script = ("import sys, importlib; "
              f"[importlib.import_module(m) for m in {sorted(PLAIN_MODEL_MODULES)!r}]; "
              "from advocate_tui.models import FollowUpStatus, AuditAction; "
              "print('pydantic' in sys.modules); "
              "from advocate_tui.models import Incident; print('pydantic' in sys.modules, Incident.kind)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["False", "True incident"]


def _modules_of_a_start(tmp_path, db) -> list[str]:
    """The modules a real start imported: the app on an encrypted file in a terminal (as the benchmark
    runs it), to its first screen ready (mounted, rows read and painted), then quit."""
    from bench import startup
    from bench.run import private_env

    script, out = tmp_path / "modules_at_exit.py", tmp_path / "modules.txt"
    script.write_text(MODULES_AT_EXIT, encoding="utf-8")
    python, _m, _module, *args = startup.advocate_argv(db)
    startup.run_in_pty([python, str(script), str(out), *args], private_env(tmp_path / "home"), timeout=120)
    return out.read_text(encoding="utf-8").split()


def test_an_empty_start_builds_no_record_model(tmp_path):
    """An empty school's first screen shows no record, so a start builds none of the record models (~27
    pydantic classes, ~100M instructions of each start): a query names its kind (models.kinds) and the
    model is built when a record is read or made."""
    from bench.run import PASSPHRASE, make_empty

    from advocate_tui.models import Incident
    from advocate_tui.store import Store

    db = tmp_path / "empty.db"
    make_empty(db, PASSPHRASE)
    loaded = _modules_of_a_start(tmp_path, db)
    assert "advocate_tui.screens.main" in loaded and "advocate_tui.services.today" in loaded   # it started
    assert sorted(m for m in loaded if m.startswith("advocate_tui.models") and m not in PLAIN_MODEL_MODULES) == []



def test_a_start_with_records_imports_no_pydantic_before_its_first_screen(tmp_path):
    """The main screen's rows are built from the stored columns (``store.stored``): a start on a school
    with records of every pane and students on the roster builds no record model and imports no
    pydantic (~430M instructions of a decade's start, and validating ~900 records ~285M more); a row's
    record is validated when it is opened. (Before: every record shown was validated, its model built.)"""
    from bench.run import PASSPHRASE, make_empty

    from advocate_tui.models import (AttendanceFollowUp, AttendanceKind, ContactNote, DoorCheck, DoorStatus, Incident,
                                     Referral, Student)
    from advocate_tui.store import Store

    db = tmp_path / "school.db"
    make_empty(db, PASSPHRASE)
    store = Store.open(db, tz="America/Chicago", passphrase=PASSPHRASE)
    now = store.now()
    store.upsert_students([Student(local_id="S1001", given_name="Ana", family_name="Garcia", grade="10")])
    store.add(Incident(occurred_at=now, location="Gym", behavior="Defiance",
                       students=[{"student_id": "S1001", "role": "responsible"}], follow_up_date=now.date()))
    store.add(ContactNote(student_id="S1001", at=now, note="Checked in", for_coordinator=True))
    store.add(AttendanceFollowUp(student_id="S1001", date=now.date(), attendance_kind=AttendanceKind.TARDY))
    store.add(Referral(referred_at=now, students=["S1001"], destination="Counselor", reason="Talk"))
    store.add(DoorCheck(door="Main entrance", checked_at=now, status=DoorStatus.PROPPED_OPEN, note="Wedged"))
    store.close()
    _modules_of_a_start(tmp_path, db)  # (the first start checks the profile and keeps it checked: pydantic's)
    loaded = _modules_of_a_start(tmp_path, db)
    assert "advocate_tui.screens.main" in loaded and "advocate_tui.store.stored" in loaded   # it started, read rows
    assert sorted(m for m in loaded if m.startswith("advocate_tui.models") and m not in PLAIN_MODEL_MODULES) == []
    assert "pydantic" not in loaded


#: the modules of the statistics, the end-of-shift report and the handoff's Markdown that the kinds used to
#: import when they registered (~100M instructions of every start: their classes): the first screen uses none
REPORT_MODULES = {"advocate_tui.services.shift_parts", "advocate_tui.services.stat_table",
                  "advocate_tui.services.markdown", "advocate_tui.services.incident_stats",
                  "advocate_tui.services.day_stats", "advocate_tui.services.process_figures",
                  "advocate_tui.services.export", "advocate_tui.store.stats_queries", "statistics"}


def test_an_empty_start_imports_no_report_or_figures_module(tmp_path):
    """The kinds name their parts of the shift report, the statistics and the handoff's Markdown, and those
    modules load when one of them is first asked for: a real empty start (to its first screen, ready) imports
    none of them, and the registry still hands out every kind's report part and tables."""
    from bench.run import PASSPHRASE, make_empty

    db = tmp_path / "empty.db"
    make_empty(db, PASSPHRASE)
    loaded = set(_modules_of_a_start(tmp_path, db))
    assert "advocate_tui.services.kinds.incident" in loaded and "advocate_tui.screens.main" in loaded  # it started
    assert sorted(loaded & REPORT_MODULES) == []

    script = ("import sys; from advocate_tui.services.kinds import kinds; "
              f"print(sorted(set(sys.modules) & set({sorted(REPORT_MODULES)!r}))); "
              "from advocate_tui.services.shift_parts import ShiftPart; "
              "parts = [k.shift() for k in kinds() if k.shift is not None]; "
              "print(len(parts), all(isinstance(p, ShiftPart) for p in parts), parts[0] is kinds()[0].shift()); "
              "print(sorted({k.name for k in kinds() if k.tables is not None}))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:3] == [
        "[]", "8 True True",
        "['attendance_followup', 'cico_enrolment', 'door_check', 'incident', 'patrol_round', 'peace_room_visit', "
        "'process', 'referral', 'sweep']"]
