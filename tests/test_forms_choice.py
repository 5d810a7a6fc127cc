"""Fixed lists follow one rule, whatever their length: typing the start of an option chooses it and
shows it; only enter or tab moves on; letters that match nothing stay in the field with "no match".
Typed text never runs on into the next field."""

from __future__ import annotations

import pytest
from forms_helpers import SIZE, burst, open_form, screen_text, type_text
from main_seed import screen_text as painted

from advocate_tui.models import (AttendanceAction, AttendanceKind, ContactKind, ContactNote, DoorStatus, Incident,
                                 IncidentAction, Level, Motivation, ReferralPurpose, StudentRole, Urgency)
from advocate_tui.profile import demo_profile
from advocate_tui.screens.forms import ContactForm, IncidentForm
from advocate_tui.screens.help import help_lines
from advocate_tui.widgets.choice import RULE, Choice, label_matches, unique_starts

FIXED_LISTS = {e.__name__: [m.label for m in e] for e in (
    AttendanceAction, AttendanceKind, ContactKind, DoorStatus, IncidentAction, Level, Motivation, ReferralPurpose,
    StudentRole, Urgency)}
FIXED_LISTS["destinations"] = demo_profile().referral_destinations
FIXED_LISTS["doors"] = list(demo_profile().doors)
FIXED_LISTS["behaviours"] = [b.name for b in demo_profile().behaviors]
FIXED_LISTS["locations"] = list(demo_profile().locations)


@pytest.mark.parametrize("name", sorted(FIXED_LISTS))
def test_every_underlined_start_chooses_its_own_option(name):
    labels = FIXED_LISTS[name]
    for label, start in zip(labels, unique_starts(labels)):
        if start is None:
            continue
        typed = label[start[0]:start[0] + start[1]]
        assert [x for x in labels if label_matches(x, typed)] == [label], (name, typed)


async def test_the_contact_note_of_the_issue_lands_in_note(desk, make_app):
    """c, a student, enter, "care", enter, "Called mom re: follow-up": before, "ca" picked Caregiver call
    and jumped on, so "re" went into Note and the sentence into When."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "c", ContactForm)
        await type_text(pilot, "marc")
        await pilot.press("enter")
        await type_text(pilot, "care")
        kind = form._fields["contact_kind"].widget
        assert kind.has_focus and kind.value == "caregiver_call"        # chosen and shown, not moved on
        assert "Caregiver call" in painted(app)
        await pilot.press("enter")
        assert form._fields["note"].widget.has_focus
        await type_text(pilot, "Called mom re: follow-up")
        values = form.values()
        assert (values["note"], values["when"]) == ("Called mom re: follow-up", "")
        assert "Called mom re: follow-up" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
        await pilot.pause()
        row = next(line for line in painted(app).splitlines() if "10:45" in line and "Marcus" in line)
        assert "Caregiver cal" in row                                    # the new row in the contacts pane
    [note] = desk.store.on_day(ContactNote, "2026-11-23")
    assert (note.student_id, note.contact_kind.value, note.note) == ("S1004", "caregiver_call", "Called mom re: follow-up")


async def test_a_sentence_typed_into_a_list_stays_there_with_no_match(desk, make_app):
    """The note typed straight after the student (the kind forgotten): it stays in Kind, in full, with
    "no match"; enter does not move on; Note and When stay empty; nothing is saved from it."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "c", ContactForm)
        await type_text(pilot, "marc")
        await pilot.press("enter")
        await type_text(pilot, "Called mom re: follow-up")
        await pilot.press("enter")
        kind = form._fields["contact_kind"].widget
        assert kind.has_focus and kind.typed == "Called mom re: follow-up" and kind.value == ""
        shown = painted(app)
        assert "Called mom re: follow-up" in shown and "no match" in shown
        assert (form.values()["note"], form.values()["when"]) == ("", "")
        await pilot.press("ctrl+s")                                       # refused, said there, letters kept
        assert app.screen is form and kind.has_focus and kind.typed == "Called mom re: follow-up"
        assert 'Kind can\'t take "Called mom re: follow-up" (no match)' in painted(app)
        assert desk.store.on_day(ContactNote, "2026-11-23") == []
        await pilot.press("escape")                                       # clears the letters, not the form
        assert app.screen is form and kind.typed == ""
        await type_text(pilot, "ca")
        await pilot.press("enter")
        await type_text(pilot, "Called mom")
        await pilot.press("ctrl+s")
        await pilot.pause()
    [note] = desk.store.on_day(ContactNote, "2026-11-23")
    assert (note.contact_kind.value, note.note) == ("caregiver_call", "Called mom")


async def test_typed_fast_the_sentence_still_never_runs_on(desk, make_app):
    """The same keys sent at once, as a fast typist does: nothing leaves the Kind field but by enter."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "c", ContactForm)
        await burst(pilot, *"marc", "enter", *"care", "enter", *"Called", "space", *"mom", "space", *"re:",
                    "space", *"follow-up", "ctrl+s")
        assert app.screen is not form
    [note] = desk.store.on_day(ContactNote, "2026-11-23")
    assert (note.contact_kind.value, note.note) == ("caregiver_call", "Called mom re: follow-up")


@pytest.mark.parametrize("field, letters, value, next_field", [
    ("level", "ma", "major", "motivation"),                 # a 2-option list
    ("contact_kind", "coa", "coaching_warning", "note"),    # 7 options
    ("behavior", "defi", "Defiance", "description"),        # a long list (the profile's behaviours)
    ("location", "gym", "Gym", "when"),
])
async def test_one_rule_for_short_and_long_lists(desk, make_app, field, letters, value, next_field):
    app = make_app()
    contact = field == "contact_kind"
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "c" if contact else "i", ContactForm if contact else IncidentForm)
        choice = form._fields[field].widget
        choice.focus()
        await pilot.pause()
        await type_text(pilot, letters)
        assert choice.value == value and choice.has_focus                 # chosen, shown, still here
        assert RULE in str(form.query_one("#form-keys").render())         # the keys line says the rule
        await pilot.press("enter")
        assert form._fields[next_field].has_focus_within
        # tab takes the highlighted option just the same
        choice.focus()
        await pilot.pause()
        await pilot.press("backspace")
        await type_text(pilot, letters)
        await pilot.press("tab")
        assert choice.value == value and not choice.has_focus


async def test_major_by_typing_is_saved_and_the_level_waits_for_enter(desk, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "i", IncidentForm)
        await type_text(pilot, "zo")
        await pilot.press("enter", "h", "enter")
        await type_text(pilot, "tech")
        await pilot.press("enter")
        await type_text(pilot, "phone out")
        await pilot.press("enter")
        await type_text(pilot, "caf")
        await pilot.press("enter")
        level = form._fields["level"].widget
        level.focus()
        await pilot.pause()
        await pilot.press("m")
        assert level.value == Level.MINOR.value and level.typed == "m"          # "m" starts both: as it was
        await pilot.press("a")
        assert level.value == Level.MAJOR.value and level.has_focus
        await pilot.press("backspace")
        assert level.value == Level.MINOR.value                                  # back to what it was
        await pilot.press("a", "enter")
        assert not level.has_focus
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
        assert choice.value == "" and choice.has_focus and choice.typed == "ava"
        assert "no match" in str(choice.render()) and "ava" in str(choice.render())
        await pilot.press("backspace", "backspace", "d")   # "ad": Administration only
        await pilot.pause()
        assert choice.value == "Administration" and choice.has_focus


async def test_a_tick_list_ticks_by_enter_and_moves_on_by_enter_on_empty(desk, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "i", IncidentForm)
        actions = form._fields["actions"].widget
        actions.focus()
        await pilot.pause()
        assert "enter ticks" in str(form.query_one("#form-keys").render())
        await type_text(pilot, "med")
        assert actions.value == [] and actions.has_focus                        # typing alone ticks nothing
        await pilot.press("enter")
        await type_text(pilot, "parent")
        await pilot.press("enter")
        assert actions.value == ["mediation", "parent_contacted"] and actions.has_focus
        await pilot.press("enter")
        assert not actions.has_focus


def test_help_says_the_rule():
    text = "\n".join(f"{k} {v}" for k, v in help_lines())
    assert "enter or tab takes" in text and "no match" in text


async def test_ctrl_w_and_ctrl_u_take_back_letters_as_in_a_text_field(desk, make_app):
    """A sentence typed into Kind by mistake: ctrl+w drops its last word, ctrl+u the rest, as in any
    text field; then the kind is typed and the note lands in Note."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "c", ContactForm)
        await type_text(pilot, "marc")
        await pilot.press("enter")
        await type_text(pilot, "Called mom")
        kind = form._fields["contact_kind"].widget
        await pilot.press("ctrl+w")
        assert kind.typed == "Called" and app.screen is form
        await pilot.press("ctrl+u")
        assert kind.typed == "" and app.screen is form and "no match" not in painted(app)
        await type_text(pilot, "care")
        await pilot.press("enter")
        await type_text(pilot, "Called mom")
        await pilot.press("ctrl+s")
        await pilot.pause()
    [note] = desk.store.on_day(ContactNote, "2026-11-23")
    assert (note.contact_kind.value, note.note) == ("caregiver_call", "Called mom")
