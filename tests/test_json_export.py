"""``advocate export --json DIR``: every record of every kind, with its history, as JSON Lines valid against schemas/.

The data is the fictional demo school (built once per run) plus a few records whose notes name students,
an amendment and a void. The files are read back and checked against the database with plain SQL.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import stat
from collections import Counter
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from advocate_tui.cli.main import main
from advocate_tui.clock import Clock
from advocate_tui.desk import Desk
from advocate_tui.models import ContactNote, Incident, IncidentStudent, Referral
from advocate_tui.models.records import RECORD_TYPES
from advocate_tui.profile import demo_profile
from advocate_tui.services import processes
from advocate_tui.store.rows import table_of

from conftest import FROZEN_AT

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
LETTERS = re.compile(r"[^\W\d_]+")
#: a word in a file: letters not touching a digit or another letter ("de" in an id "3de4" is no word)
WORD = re.compile(r"(?<![^\W_])[^\W\d_]++(?![^\W_])")
KIND_FILES = {f"{kind}.jsonl" for kind in RECORD_TYPES}


def sql(db: Path, query: str, params=()) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(query, params).fetchall()


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def validator(schema_file: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((SCHEMAS / schema_file).read_text(encoding="utf-8")))


def export(db: Path, out: Path, *extra: str) -> int:
    return main(["export", "--json", str(out), "--db", str(db), *extra])


@pytest.fixture(scope="module")
def school(demo_file, tmp_path_factory):
    """A copy of the demo school with notes, a description and a void reason naming students, and an amendment.

    Returns the database path and the records added (ids)."""
    db = tmp_path_factory.mktemp("export-school") / "demo.db"
    shutil.copy(demo_file, db)
    profile = demo_profile()
    desk = Desk.open(db, profile, clock=Clock.frozen(profile, FROZEN_AT))
    try:
        (a, ag, af), (b, bg, bf) = sql(db, "SELECT local_id, given_name, family_name FROM students ORDER BY local_id "
                                           "LIMIT 2")
        at = desk.clock.now()
        note = desk.store.add(ContactNote(student_id=a, at=at, note=f"Talked with {ag} and {bg} {bf} at lunch."))
        note = desk.store.amend(note.model_copy(update={"note": f"Talked with {ag} ({af}) and {bg} at lunch; {ag}'s "
                                                                 "plan holds."}), note=f"{bg} was there too")
        incident = desk.store.add(Incident(occurred_at=at, location="Gym", behavior="Defiance",
                                           students=[IncidentStudent(student_id=a, role="responsible"),
                                                     IncidentStudent(student_id=b, role="harmed")],
                                           description=f"{af} pushed {bg}."))
        desk.store.void(Incident, incident.id, f"wrong student: it was not {ag} {af}")
        referral = desk.store.add(Referral(referred_at=at, students=[a, b], destination="Counselor",
                                           reason=f"{ag} and {bg} keep clashing"))
        # one-line fields typed freely: a Tier 1 circle named for a student's group, its topic
        circle = processes.log_circle(desk, group_name=f"{ag}'s lunch group", topic=f"Making room for {bf}",
                                      participants=9)
    finally:
        desk.close()
    return {"db": db, "students": (a, b), "note": note.id, "incident": incident.id, "referral": referral.id,
            "circle": circle.id}


@pytest.fixture(scope="module")
def pseudonymous(school, tmp_path_factory):
    out = tmp_path_factory.mktemp("exports") / "leaving"
    assert export(school["db"], out) == 0
    return out


@pytest.fixture(scope="module")
def named(school, tmp_path_factory):
    out = tmp_path_factory.mktemp("exports") / "named"
    assert export(school["db"], out, "--with-names") == 0
    return out


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


# ------------------------------------------------------------------ every line valid, every kind there
@pytest.mark.parametrize("which", ["pseudonymous", "named"])
def test_every_line_of_every_file_is_valid_against_its_schema(which, request):
    folder = request.getfixturevalue(which)
    made = manifest(folder)
    assert list(validator("export-manifest.schema.json").iter_errors(made)) == []
    listed = {f["file"] for f in made["files"]}
    assert listed == KIND_FILES | {"students.jsonl", "audit.jsonl"}
    assert {p.name for p in folder.iterdir()} == listed | {"manifest.json"}
    checked = 0
    for entry in made["files"]:
        check = validator(entry["schema_file"])
        rows = lines(folder / entry["file"])
        assert len(rows) == entry["lines"]
        for n, row in enumerate(rows, 1):
            errors = [e.message for e in check.iter_errors(row)]
            assert errors == [], f"{entry['file']} line {n}: {errors}"
        checked += len(rows)
    assert checked > 2000  # the demo's weeks of records and their history


def test_every_kind_of_the_registry_is_exported_whole(school, named):
    """A record kind added to the registry later is in the export, with a schema, or this fails."""
    db = school["db"]
    made = {f["file"]: f for f in manifest(named)["files"]}
    for kind, cls in RECORD_TYPES.items():
        entry = made[f"{kind}.jsonl"]
        assert entry["kind"] == kind and (SCHEMAS / entry["schema_file"]).is_file()
        exported = [cls.model_validate(row) for row in lines(named / entry["file"])]
        stored = {r[0] for r in sql(db, f"SELECT id FROM {table_of(cls)}")}
        assert {r.id for r in exported} == stored and len(exported) == len(stored), kind
    # with names, a record reads back exactly as the database holds it (voided ones too)
    incident = next(Incident.model_validate(r) for r in lines(named / "incident.jsonl") if r["id"] == school["incident"])
    assert incident.voided and incident.void_reason.startswith("wrong student")
    assert sql(db, "SELECT count(*) FROM incidents WHERE voided = 1")[0][0] >= 1


def test_each_record_comes_with_its_history(school, pseudonymous):
    history = [r for r in lines(pseudonymous / "audit.jsonl")]
    assert [r["seq"] for r in history] == sorted(r["seq"] for r in history)
    assert len(history) == sql(school["db"], "SELECT count(*) FROM audit")[0][0]  # no range: the whole trail
    of = {}
    for entry in history:
        of.setdefault(entry["record_id"], []).append(entry["action"])
    assert of[school["note"]] == ["create", "amend"]
    assert of[school["incident"]] == ["create", "void"]
    for kind in RECORD_TYPES:
        for row in lines(pseudonymous / f"{kind}.jsonl"):
            assert of.get(row["id"]), f"{kind} {row['id']} has no history"
    amend = next(e for e in history if e["record_id"] == school["note"] and e["action"] == "amend")
    assert "Talked with" in amend["before"]["note"] and "plan holds" in amend["after"]["note"]


# ------------------------------------------------------------------ names stay out unless asked for
def _profile_words() -> set[str]:
    """Words of the school's own profile (staff, places, doors): not student data when a name shares one."""
    words: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str):
            words.update(w.casefold() for w in LETTERS.findall(value))

    walk(demo_profile().model_dump(mode="json"))
    return words


def _exported_words(folder: Path) -> tuple[set[str], set[str], str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()))
    return {w.casefold() for w in WORD.findall(text)}, set(re.findall(r"[A-Za-z0-9]+", text)), text


def test_no_name_and_no_student_number_without_with_names(school, pseudonymous, named):
    roster = sql(school["db"], "SELECT local_id, given_name, family_name, preferred_name, homeroom FROM students")
    words, tokens, text = _exported_words(pseudonymous)
    ignore = _profile_words()  # e.g. staff "Grace Nakamura-Bell" and a student called Grace
    leaked_names, leaked_numbers = set(), set()
    for local_id, *names, _ in roster:
        for name in filter(None, names):
            leaked_names.update(w for w in (x.casefold() for x in LETTERS.findall(name))
                                if len(w) > 1 and w in words and w not in ignore)
        if local_id in tokens:
            leaked_numbers.add(local_id)
    assert leaked_names == set() and leaked_numbers == set()
    homerooms = {h for *_, h in roster if h}
    assert homerooms and not any(re.search(rf"(?<![\w-]){re.escape(h)}(?![\w-])", text) for h in homerooms)
    # the same check finds them when names are asked for
    words, tokens, _ = _exported_words(named)
    first = roster[0]
    assert first[0] in tokens and first[1].casefold() in words and first[2].casefold() in words
    assert manifest(named)["students"] == "named" and manifest(pseudonymous)["students"] == "pseudonymous"


def test_names_in_notes_become_name_and_numbers_a_pseudonym(school, pseudonymous, named):
    a, b = school["students"]
    students = lines(pseudonymous / "students.jsonl")
    assert all(set(s) == {"pseudonym", "grade", "active"} for s in students)
    pseudonyms = {s["pseudonym"] for s in students}
    assert len(pseudonyms) == len(students) == sql(school["db"], "SELECT count(*) FROM students")[0][0]
    note = next(r for r in lines(pseudonymous / "contact_note.jsonl") if r["id"] == school["note"])
    assert note["note"] == "Talked with [name] ([name]) and [name] at lunch; [name]'s plan holds."
    assert note["student_id"] in pseudonyms and note["student_id"].startswith("anon-")
    referral = next(r for r in lines(pseudonymous / "referral.jsonl") if r["id"] == school["referral"])
    assert referral["reason"] == "[name] and [name] keep clashing"
    assert referral["students"][0] == note["student_id"] and referral["students"][1] in pseudonyms
    incident = next(r for r in lines(pseudonymous / "incident.jsonl") if r["id"] == school["incident"])
    assert incident["void_reason"] == "wrong student: it was not [name] [name]"
    assert [s["student_id"] for s in incident["students"]] == referral["students"]
    amend = next(e for e in lines(pseudonymous / "audit.jsonl")
                 if e["record_id"] == school["note"] and e["action"] == "amend")
    assert amend["note"] == "[name] was there too" and amend["after"]["student_id"] == note["student_id"]
    circle = next(r for r in lines(pseudonymous / "process.jsonl") if r["id"] == school["circle"])
    assert (circle["group_name"], circle["topic"]) == ("[name]'s lunch group", "Making room for [name]")
    # each student's records line up under one pseudonym, as under their number in the database
    by_number = Counter(r[0] for r in sql(school["db"], "SELECT student_id FROM contact_notes"))
    by_pseudonym = Counter(r["student_id"] for r in lines(pseudonymous / "contact_note.jsonl"))
    assert sorted(by_number.values()) == sorted(by_pseudonym.values())
    # the roster's history: a pseudonym, a grade, never a name
    roster_entries = [e for e in lines(pseudonymous / "audit.jsonl") if e["record_type"] == "student"]
    assert roster_entries and all(e["record_id"] in pseudonyms and set(e["after"]) == {"pseudonym", "grade", "active"}
                                  for e in roster_entries)


def test_a_new_export_gives_new_pseudonyms(school, pseudonymous, tmp_path):
    assert export(school["db"], tmp_path / "again") == 0
    first = {s["pseudonym"] for s in lines(pseudonymous / "students.jsonl")}
    second = {s["pseudonym"] for s in lines(tmp_path / "again" / "students.jsonl")}
    assert len(first) == len(second) and not first & second


# ------------------------------------------------------------------ --from / --to
def test_from_and_to_keep_the_records_of_those_school_days(school, tmp_path, capsys):
    db, out = school["db"], tmp_path / "week"
    assert export(db, out, "--from", "2026-11-16", "--to", "2026-11-20") == 0
    printed = capsys.readouterr().out
    assert "2026-11-16 to 2026-11-20" in printed and "incident.jsonl" in printed
    made = manifest(out)
    assert made["options"] == {"from_day": "2026-11-16", "to_day": "2026-11-20", "with_names": False}
    kept: set[str] = set()
    about: set[str] = set()
    for kind, cls in RECORD_TYPES.items():
        rows = lines(out / f"{kind}.jsonl")
        want = {r[0] for r in sql(db, f"SELECT id FROM {table_of(cls)} WHERE day BETWEEN ? AND ?",
                                  ["2026-11-16", "2026-11-20"])}
        assert {r["id"] for r in rows} == want, kind
        kept |= want
    assert kept  # the demo has records that week
    for kind in ("contact_note", "attendance_followup"):
        about |= {r["student_id"] for r in lines(out / f"{kind}.jsonl")}
    students = {s["pseudonym"] for s in lines(out / "students.jsonl")}
    linked = sql(db, "SELECT count(DISTINCT student_id) FROM record_students WHERE record_id IN "
                     f"({','.join('?' * len(kept))})", list(kept))[0][0]
    assert about <= students and len(students) == linked
    history = lines(out / "audit.jsonl")
    assert {e["record_id"] for e in history if e["record_type"] != "student"} == kept
    assert {e["record_id"] for e in history if e["record_type"] == "student"} == students
    assert {"2026-11-16", "2026-11-20"} <= {r["checked_at"][:10] for r in lines(out / "door_check.jsonl")}


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "Nov 1"], "--from 'Nov 1' is not a date"),
    (["--from", "2026-11-20", "--to", "2026-11-16"], "--from 2026-11-20 is after --to 2026-11-16"),
])
def test_bad_dates_are_one_line_and_nothing_is_written(school, tmp_path, capsys, args, message):
    assert export(school["db"], tmp_path / "x", *args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
    assert not (tmp_path / "x").exists()


def test_plain_takes_none_of_the_json_options(school, tmp_path, capsys):
    assert main(["export", "--plain", str(tmp_path / "x.db"), "--with-names", "--db", str(school["db"])]) == 2
    assert "go with --json" in capsys.readouterr().err and not (tmp_path / "x.db").exists()


# ------------------------------------------------------------------ owner-only, never over another
@pytest.mark.parametrize("umask", [0o000, 0o022], ids=["umask-000", "umask-022"])
def test_the_folder_is_0700_and_every_file_0600(school, tmp_path, umask):
    old = os.umask(umask)
    try:
        assert export(school["db"], tmp_path / "deep" / "exports" / "now") == 0
    finally:
        os.umask(old)
    for folder in (tmp_path / "deep", tmp_path / "deep" / "exports", tmp_path / "deep" / "exports" / "now"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = list((tmp_path / "deep" / "exports" / "now").iterdir())
    assert len(files) == len(KIND_FILES) + 3
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o600}


def test_a_folder_holding_anything_is_refused_and_left_alone(school, tmp_path, capsys):
    out = tmp_path / "used"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert export(school["db"], out) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is not empty" in err[0]
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    (tmp_path / "a-file").write_text("x")
    assert export(school["db"], tmp_path / "a-file") == 1
    assert "is not a folder" in capsys.readouterr().err


def test_an_export_that_fails_half_way_leaves_nothing(school, tmp_path, capsys, monkeypatch):
    """A disk that fills up while the audit trail is written: one line, and no half export with student data."""
    from advocate_tui.services import deidentify

    def full(self, entry, numbers):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(deidentify.Deidentifier, "audit", full)
    assert export(school["db"], tmp_path / "half") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "No space left on device" in err[0] and "nothing was kept" in err[0]
    assert not (tmp_path / "half").exists()
