"""Fixed lists: a single key picks only when it starts exactly one option; otherwise it waits for more
letters, and letters that match nothing pick nothing ("no match")."""

from __future__ import annotations

import pytest
from forms_helpers import SIZE, open_form, type_text

from advocate_tui.models import (AttendanceAction, AttendanceKind, ContactKind, DoorStatus, Incident, IncidentAction,
                                 Level, Motivation, ReferralPurpose, StudentRole, Urgency)
from advocate_tui.profile import demo_profile
from advocate_tui.screens.forms import IncidentForm
from advocate_tui.widgets.choice import Choice, assign_hotkeys, label_matches

FIXED_LISTS = {e.__name__: [m.label for m in e] for e in (
    AttendanceAction, AttendanceKind, ContactKind, DoorStatus, IncidentAction, Level, Motivation, ReferralPurpose,
    StudentRole, Urgency)}
FIXED_LISTS["destinations"] = demo_profile().referral_destinations
FIXED_LISTS["doors"] = list(demo_profile().doors)


@pytest.mark.parametrize("name", sorted(FIXED_LISTS))
def test_every_single_key_starts_exactly_one_option(name):
    labels = FIXED_LISTS[name]
    keys = [k for k in assign_hotkeys(labels) if k]
    assert len(keys) == len(set(keys))
    for key in keys:
        assert sum(label_matches(label, key) for label in labels) == 1, (name, key)


async def _level(pilot, app, *keys):
    form = app.screen
    level = form._fields["level"].widget
    level.focus()
    await pilot.pause()
    await pilot.press(*keys)
    await pilot.pause()
    return level


async def test_m_waits_then_ma_is_major_and_mi_is_minor(desk, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, "i", IncidentForm)
        level = await _level(pilot, app, "m")
        assert level.has_focus and level.value == Level.MINOR.value and level.typed == "m"   # nothing picked yet
        assert "Minor" in str(level.render()) and "Major" in str(level.render())
        await pilot.press("a")
        await pilot.pause()
        assert level.value == Level.MAJOR.value and not level.has_focus                     # picked, moved on
        level = await _level(pilot, app, "m", "i")
        assert level.value == Level.MINOR.value
        level = await _level(pilot, app, "m", "enter")                                      # enter: the highlighted one
        assert level.value == Level.MINOR.value and not level.has_focus


async def test_major_by_typing_is_saved(desk, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, "i", IncidentForm)
        await type_text(pilot, "zo")
        await pilot.press("enter", "h", "enter")
        await type_text(pilot, "tech")
        await pilot.press("enter")
        await type_text(pilot, "phone out")
        await pilot.press("enter")
        await type_text(pilot, "caf")
        await pilot.press("enter")
        await _level(pilot, app, "m", "a")
        await pilot.press("ctrl+s")
        await pilot.pause()
    [incident] = desk.store.on_day(Incident, "2026-11-23")
    assert incident.level == Level.MAJOR


async def test_letters_that_match_nothing_pick_nothing_and_say_so(desk, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        choice = Choice(["RJ coordinator", "Counselor", "Social worker", "Nurse", "Administration",
                         "Community agency"])
        form = await open_form(pilot, "i", IncidentForm)
        await form.query_one("#form-body").mount(choice)
        choice.focus()
        await pilot.pause()
        await pilot.press("a", "v", "a")                   # a name typed in the wrong field
        await pilot.pause()
        assert choice.value == "" and choice.has_focus
        assert "no match" in str(choice.render())
        await pilot.press("d")                             # "a" waited; "ad": Administration only
        await pilot.pause()
        assert choice.value == "Administration"
