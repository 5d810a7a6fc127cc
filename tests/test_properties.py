"""Property-based tests: whatever data reaches a model, and whatever text reaches the profile
loader, the only exception is the app's own clear one (pydantic ValidationError with a readable
one-line description, or ProfileError); whatever a model accepts comes back the same from its JSON
and from the store (through the audit guards), and its audit entry says exactly what was saved."""

from __future__ import annotations

import json
import os
from enum import Enum

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from advocate_tui import models
from advocate_tui.models import describe, friendly_errors
from advocate_tui.profile import DEMO_PROFILE_PATH, ProfileError, load_profile, parse_profile

MODELS = sorted({obj for obj in (getattr(models, name) for name in models.__all__)  # (the package loads its names on first use)
                 if isinstance(obj, type) and issubclass(obj, BaseModel) and obj not in (models.Model, models.Record)},
                key=lambda m: m.__name__)
#: examples per property (ADVOCATE_HYPOTHESIS_EXAMPLES=1000 for a long run)
EXAMPLES = int(os.environ.get("ADVOCATE_HYPOTHESIS_EXAMPLES") or 60)
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
    st.sampled_from(["", " ", "2026-11-23", "2026-11-23T10:45:00", "2026-02-30", "10:45", "P3", "S1001",
                     "check_in", "open", "=HYPERLINK(\"http://x\")", "\x00", "Zoë", "9" * 400, "-1", "nan"]),
)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(max_size=10), inner, max_size=4), max_leaves=12)


def _record_data(model: type[BaseModel]):
    names = list(model.model_fields)
    keys = st.sampled_from(names) | st.text(max_size=12) if names else st.text(max_size=12)
    return st.dictionaries(keys, json_values, max_size=len(names) + 2)


def _only_validation_errors(model: type[BaseModel], call) -> None:
    try:
        obj = call()
    except ValidationError as exc:
        text = describe(exc)
        assert isinstance(text, str) and "\n" not in text
        assert all(isinstance(v, str) for v in friendly_errors(exc).values())
        return
    assert isinstance(obj, model)
    round_trip(model, obj)


def round_trip(model: type[BaseModel], obj: BaseModel) -> None:
    """What validated dumps to JSON that validates again, as the same thing."""
    assert model.model_validate_json(obj.model_dump_json()) == obj


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@SETTINGS
@given(data=st.data())
def test_any_data_gives_a_record_or_a_validation_error(model, data):
    values = data.draw(_record_data(model))
    _only_validation_errors(model, lambda: model.model_validate(values))


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@SETTINGS
@given(raw=st.one_of(st.text(max_size=200), st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
                     json_values.map(json.dumps)))
def test_any_json_text_gives_a_record_or_a_validation_error(model, raw):
    _only_validation_errors(model, lambda: model.model_validate_json(raw))


DEMO_LINES = DEMO_PROFILE_PATH.read_text(encoding="utf-8").splitlines()


@SETTINGS
@given(text=st.text(max_size=400))
def test_any_text_is_a_profile_or_a_profile_error(text):
    try:
        parse_profile(text, "school.toml")
    except ProfileError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("school.toml")


@settings(max_examples=EXAMPLES * 2, deadline=None)
@given(edits=st.lists(st.tuples(st.integers(min_value=0, max_value=max(len(DEMO_LINES) - 1, 0)),
                                st.sampled_from(["drop", "dup", "replace", "value"]),
                                st.sampled_from(['""', "-1", "0", "99999", "true", '"Mars/Base"', '"25:99"',
                                                 "[]", "{}", '"x"', "3.5", '"07:30"', '["a", "a"]'])),
                      min_size=1, max_size=4))
def test_a_damaged_demo_profile_is_a_profile_or_a_profile_error(edits):
    lines = list(DEMO_LINES)
    for index, how, value in edits:
        if not lines:
            break
        i = index % len(lines)
        if how == "drop":
            del lines[i]
        elif how == "dup":
            lines.insert(i, lines[i])
        elif how == "replace":
            lines[i] = value
        elif "=" in lines[i]:
            lines[i] = lines[i].split("=", 1)[0] + "= " + value
    try:
        parse_profile("\n".join(lines), "school.toml")
    except ProfileError as exc:
        assert "\n" not in str(exc)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300))
def test_any_file_is_a_profile_or_a_profile_error(tmp_path, raw):
    path = tmp_path / "school.toml"
    path.write_bytes(raw)
    try:
        load_profile(path)
    except ProfileError as exc:
        assert "\n" not in str(exc)


CSV_CELLS = st.sampled_from(["sourcedId", "givenName", "familyName", "role", "student", "status", "active",
                             "grades", "09", "S1001", "Ana", "Garcia", "=HYPERLINK(\"http://x\")", "", '"', ",",
                             "\ufeff", "Zoë", "identifier", "local_id", "given_name", "family_name"])
CSV_TEXT = st.lists(st.lists(CSV_CELLS | st.text(max_size=8), max_size=8), max_size=6).map(
    lambda rows: "\n".join(",".join(r) for r in rows))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.one_of(st.binary(max_size=400), CSV_TEXT.map(lambda t: t.encode("utf-8")),
                     CSV_TEXT.map(lambda t: t.encode("utf-16")), CSV_TEXT.map(lambda t: t.replace("\n", "\r\n").encode())))
def test_any_roster_file_is_a_roster_or_a_roster_error(tmp_path, raw):
    from advocate_tui.services.roster import RosterError, read_roster

    path = tmp_path / "users.csv"
    path.write_bytes(raw)
    try:
        read_roster(path)
    except RosterError as exc:
        assert "\n" not in str(exc)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.one_of(st.binary(max_size=400), json_values.map(lambda v: json.dumps(v).encode()),
                     _record_data(models.HandoffBundle).map(lambda v: json.dumps(v, default=str).encode())))
def test_any_bundle_file_is_a_bundle_or_a_bundle_error(tmp_path, raw):
    from advocate_tui.services.bundle import BundleError, load_bundle

    path = tmp_path / "handoff.json"
    path.write_bytes(raw)
    try:
        load_bundle(path)
    except BundleError as exc:
        assert "\n" not in str(exc)


FORM_FIELDS = {
    "incident": ["when", "students", "behavior", "location", "level", "motivation", "description", "actions",
                 "staff", "follow_up"],
    "contact": ["student", "when", "contact_kind", "note", "follow_up", "for_coordinator"],
    "attendance": ["student", "date", "attendance_kind", "periods", "cause", "actions", "due", "note"],
    "referral": ["students", "when", "destination", "purpose", "urgency", "reason", "incident_id", "contact_note_id"],
}
FORM_TEXT = st.sampled_from(["", "S1004", "S1001", "S9999", "10:40", "-15m", "P3", "P99", "fri", "2026-11-30",
                             "yesterday", "check_in", "Cafeteria", "Disrespect", "minor", "major", "open",
                             "tardy", "counselor", "circle", "routine", "urgent", "P1 P2", "x" * 5000,
                             "=HYPERLINK(\"http://x\")", "Zoë", "\x00", "\n"]) | st.text(max_size=20)
STUDENT_LIST = st.lists(FORM_TEXT | st.fixed_dictionaries({"student_id": FORM_TEXT, "role": FORM_TEXT}), max_size=3)


def _form_value(field: str):
    """What that form field's widget can hand over: text (or None), a list, a checkbox's bool."""
    if field == "students":
        return STUDENT_LIST
    if field == "actions":
        return st.lists(FORM_TEXT, max_size=3)
    if field == "for_coordinator":
        return st.booleans()
    return FORM_TEXT | st.none()


@settings(max_examples=EXAMPLES * 2, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_form_values_save_or_say_why(desk, data):
    """Whatever a form hands over, saving gives a record or the form's own Invalid / StoreError."""
    from advocate_tui.services.recording import Invalid, save
    from advocate_tui.store import StoreError

    kind = data.draw(st.sampled_from(sorted(FORM_FIELDS)))
    fields = data.draw(st.lists(st.sampled_from(FORM_FIELDS[kind]), unique=True))
    values = {f: data.draw(_form_value(f)) for f in fields}
    try:
        record = save(desk, kind, values)
    except Invalid as exc:
        assert exc.errors and all(isinstance(m, str) for m in exc.errors.values())
    except StoreError as exc:
        assert "\n" not in str(exc)
    else:
        assert desk.store.get(type(record), record.id) is not None


# --- whatever a record model accepts, the store saves and gives back the same ---------------------

HOSTILE = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["Mom [/] dad split", "[redacted]", "[link=https://example.org]Ann", "Brack[/x]", "[sic]",
                     "\x1b]0;pwned\x07", "\x1b[31mred", "\u202eevil\u202c", "tab\there", "line\nbreak\r\n",
                     "\\ back \\", '"quoted"', "'; DROP TABLE incidents; --", "{\"json\": [1]}", "[1, 2]",
                     "null", "true", "Zoë Ångström 李", "\U0001F600", "x" * 3990, "w" * 200]),
)


def _samples():
    from test_store import sample_records

    return {type(r): r for r in sample_records()}


def _hostile_copy(data, record):
    """The record with some of its text fields (and text lists) replaced by hostile text (not the ids
    and student numbers, which the store checks against the roster)."""
    changes = {}
    for name in type(record).model_fields:
        value = getattr(record, name)
        if name.endswith("id") or name in ("created_by", "void_reason") or not data.draw(st.booleans()):
            continue
        if isinstance(value, str) and not isinstance(value, Enum):
            changes[name] = data.draw(HOSTILE)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value) and name in ("staff", "periods"):
            changes[name] = data.draw(st.lists(HOSTILE, max_size=3))
    return changes


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    from test_store import ROSTER, open_store

    store = open_store(tmp_path_factory.mktemp("hostile") / "advocate.db")
    store.upsert_students(ROSTER)
    yield store
    store.close()


@pytest.mark.parametrize("kind", ["Incident", "DoorCheck", "PatrolRound", "ContactNote", "AttendanceFollowUp",
                                  "Referral", "Handoff"])
@SETTINGS
@given(data=st.data())
def test_what_a_record_accepts_the_store_saves_and_gives_back_unchanged(hostile_store, kind, data):
    from advocate_tui.store.rows import snapshot

    store = hostile_store
    base = next(r for cls, r in _samples().items() if cls.__name__ == kind)
    model = type(base)
    try:
        record = model.model_validate({**base.model_dump(), "id": models.base.new_id(), **_hostile_copy(data, base)})
    except ValidationError:
        return
    round_trip(model, record)
    saved = store.add(record)
    assert store.get(model, saved.id) == saved
    assert store.history(saved.id)[-1].after == json.loads(snapshot(saved, store.tz))
    try:
        changed = model.model_validate({**saved.model_dump(), **_hostile_copy(data, base)})
    except ValidationError:
        return
    fixed = store.amend(changed)
    assert store.get(model, saved.id) == fixed
    assert store.history(saved.id)[-1].after == json.loads(snapshot(fixed, store.tz))
