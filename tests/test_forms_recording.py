"""services/recording: form values → records, errors in words, amend/void rules (no UI)."""

from __future__ import annotations

import pytest

from advocate_tui.models import AttendanceFollowUp, Incident, Referral
from advocate_tui.services import recording
from advocate_tui.services.recording import Invalid


def _incident(desk, **extra):
    values = {"students": [{"student_id": "S1001", "role": "responsible"}], "behavior": "Defiance",
              "location": "Gym", "description": "walked out", **extra}
    return recording.save(desk, "incident", values)


def test_an_amend_keeps_the_exact_time_unless_it_was_changed(desk):
    desk.clock.advance(seconds=17)
    incident = _incident(desk)
    assert incident.occurred_at.second == 17
    values = recording.values_of(desk, incident)
    amended = recording.save(desk, "incident", {**values, "description": "walked out of class"}, incident)
    assert amended.occurred_at == incident.occurred_at
    moved = recording.save(desk, "incident", {**values, "when": "10:30"}, amended)
    assert moved.occurred_at.strftime("%H:%M:%S") == "10:30:00"


def test_an_unchanged_amend_writes_nothing(desk):
    incident = _incident(desk)
    same = recording.save(desk, "incident", recording.values_of(desk, incident), incident)
    assert same == incident and [h.action.value for h in desk.store.history(incident.id)] == ["create"]


def test_errors_are_per_field_and_readable(desk):
    with pytest.raises(Invalid) as exc:
        recording.save(desk, "incident", {"when": "25:99", "students": [], "behavior": "", "location": "Gym",
                                          "follow_up": "someday"})
    errors = exc.value.errors
    assert set(errors) == {"when", "behavior", "follow_up"}
    assert "is not a time" in errors["when"] and "type a few letters" in errors["behavior"]
    assert "is not a date" in errors["follow_up"]
    with pytest.raises(Invalid) as exc:
        recording.save(desk, "attendance", {"student": "S1002", "attendance_kind": "tardy", "periods": "P1 P11"})
    assert 'no period "P11"' in exc.value.errors["periods"]
    with pytest.raises(Invalid) as exc:
        recording.save(desk, "referral", {"students": [], "destination": "Nurse", "reason": " "})
    assert set(exc.value.errors) == {"students", "reason"}
    assert desk.store.on_day(Incident, "2026-11-23") == [] and desk.store.on_day(AttendanceFollowUp, "2026-11-23") == []


def test_follow_up_before_the_incident_is_refused(desk):
    with pytest.raises(Invalid) as exc:
        _incident(desk, follow_up="yesterday")
    assert "follow-up date is before the incident" in " ".join(exc.value.errors.values())


def test_void_needs_a_reason_and_keeps_the_record(desk):
    incident = _incident(desk)
    with pytest.raises(Invalid) as exc:
        recording.void(desk, incident, "   ")
    assert "reason" in exc.value.errors and not desk.store.get(Incident, incident.id).voided
    voided = recording.void(desk, incident, "duplicate entry")
    assert voided.voided and desk.store.get(Incident, incident.id).void_reason == "duplicate entry"
    with pytest.raises(Invalid):
        recording.void(desk, voided, "again")


def test_referral_prefill_from_an_incident(desk):
    incident = _incident(desk, students=[{"student_id": "S1001", "role": "responsible"},
                                         {"student_id": "S1003", "role": "harmed"}])
    prefill = recording.referral_prefill(incident)
    referral = recording.save(desk, "referral", {**prefill, "destination": "Counselor"})
    assert isinstance(referral, Referral) and referral.students == ["S1001", "S1003"]
    assert referral.incident_id == incident.id and "walked out" in referral.reason


def test_level_comes_from_the_profile_when_not_given(desk):
    major = next(b.name for b in desk.profile.behaviors if b.level == "major")
    saved = _incident(desk, behavior=major, level="")
    assert saved.level.value == "major"


async def test_a_prefilled_place_not_in_the_profile_is_left_to_pick(desk, make_app):
    """Locations stay the profile's vocabulary: an unknown prefilled place is not saved as one."""
    from advocate_tui.screens.forms import IncidentForm

    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        form = IncidentForm(prefill={"location": "North stairwell landing", "description": "door propped"})
        app.push_screen(form)
        await pilot.pause()
        assert form.values()["location"] == ""
        await pilot.press(*"zo", "enter", "w", "enter", *"property", "enter", "ctrl+s")
        await pilot.pause()
        assert "Location is required" in str(form.query_one("#error-location").render())
        await pilot.press(*"stair", "enter", "ctrl+s")       # the error took the focus to Location
        await pilot.pause()
    [saved] = desk.store.on_day(Incident, "2026-11-23")
    assert saved.location == "Stairwell" and saved.behavior == "Property misuse"
