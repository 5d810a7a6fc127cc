"""The incident form driven by keys: two students with roles, the quick log's keystroke budget,
level from the behaviour, errors next to fields, escape asks first. Each test reads the database
and restarts the app on the same file."""

from __future__ import annotations

from conftest import reopen
from forms_helpers import SIZE, open_form, screen_text, type_text

from advocate_tui.app import AdvocateApp
from advocate_tui.models import Incident, StudentRole
from advocate_tui.screens.forms import ConfirmScreen, IncidentForm, ItemScreen


async def test_incident_for_two_students_with_roles(desk, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "i", IncidentForm)
        await type_text(pilot, "ana")                   # two Ana Garcias: grade and homeroom tell them apart
        text = screen_text(app)
        assert "Ana Garcia (S1001 · gr 09 · H-101)" in text and "Ana Garcia (S1002 · gr 11 · H-204)" in text
        await pilot.press("down", "enter", "r")         # the grade-11 one, role: responsible
        await type_text(pilot, "zo")                    # Zoë by her preferred name
        await pilot.press("enter", "h", "enter")        # add, role: harmed, move on
        await type_text(pilot, "phys")
        await pilot.press("enter")
        await type_text(pilot, "shoved at the lockers")
        await pilot.press("tab")                        # location
        await type_text(pilot, "locker")
        await pilot.press("enter", "ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, IncidentForm)
        assert form.is_attached is False or app.screen is not form

    [saved] = desk.store.on_day(Incident, "2026-11-23")
    roles = {s.student_id: s.role for s in saved.students}
    assert roles == {"S1002": StudentRole.RESPONSIBLE, "S1003": StudentRole.HARMED}
    assert (saved.behavior, saved.location, saved.description) == ("Physical contact", "Locker room", "shoved at the lockers")
    assert saved.occurred_at.isoformat().startswith("2026-11-23T10:45")

    fresh = reopen(desk)
    try:
        [again] = fresh.store.on_day(Incident, "2026-11-23")
        app2 = AdvocateApp(fresh)
        async with app2.run_test(size=SIZE) as pilot:
            app2.push_screen(ItemScreen(again))
            await pilot.pause()
            text = screen_text(app2)
            assert "Ana Garcia (S1002 · gr 11 · H-204) — Responsible" in text
            assert "Zo Okafor" in text and "Harmed" in text and "Physical contact" in text
    finally:
        fresh.close()


async def test_quick_log_takes_at_most_12_keystrokes(desk, make_app):
    """i, name letters, enter, role, enter, behaviour letters, enter, note, enter, location letters,
    enter, ctrl+s: 12 keys beyond the name and the note."""
    app = make_app()
    counted = 0

    async def press(*keys):
        nonlocal counted
        counted += len(keys)
        await pilot.press(*keys)

    async with app.run_test(size=SIZE) as pilot:
        counted += 1                               # "i"
        await open_form(pilot, "i", IncidentForm)
        await type_text(pilot, "marc")             # name letters: not counted
        await press("enter")                       # pick Marcus
        await press("r")                           # role: responsible
        await press("enter")                       # done with students
        await press("d", "e")                      # behaviour letters: Defiance
        await press("enter")                       # pick it, on to the note
        await type_text(pilot, "refused to move")  # the note: not counted
        await press("enter")                       # on to the location (never guessed)
        await press("c", "l")                      # location letters: Classroom
        await press("enter")                       # pick it
        await press("ctrl+s")
        await pilot.pause()
        table = app.screen.query_one("#incidents-table")  # back on the main screen, the incident on top
        shown = " ".join(" ".join(str(cell).split()) for cell in table.get_row_at(0))
        assert "Marcus" in shown and "(R)" in shown and "Defiance · Classroom" in shown and "Minor" in shown

    assert counted == 12, counted
    [saved] = desk.store.on_day(Incident, "2026-11-23")
    assert saved.student_ids() == ["S1004"] and saved.behavior == "Defiance"
    assert saved.description == "refused to move" and saved.level.value == "minor"
    assert saved.location == "Classroom"  # chosen, not guessed


async def test_level_defaults_from_the_behaviour(desk, make_app):
    major = next(b.name for b in desk.profile.behaviors if b.level == "major")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, "i", IncidentForm)
        await type_text(pilot, "priya")
        await pilot.press("enter", "enter", "enter")
        await type_text(pilot, major.lower())
        await pilot.press("enter")
        await type_text(pilot, "x")
        await pilot.press("enter", "g", "enter")        # location: Gym
        await pilot.press("ctrl+s")
        await pilot.pause()
    [saved] = desk.store.on_day(Incident, "2026-11-23")
    assert saved.behavior == major and saved.level.value == "major"


async def test_bad_time_is_shown_next_to_the_field_and_nothing_is_lost(desk, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "i", IncidentForm)
        await type_text(pilot, "tomas")
        await pilot.press("enter", "w", "enter")
        await type_text(pilot, "disru")
        await pilot.press("enter")
        await type_text(pilot, "loud in the hall")
        await pilot.press("enter", "h", "enter")                   # location: Hallway
        form._fields["when"].widget.focus_input()
        await type_text(pilot, "P9")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form                                   # still open
        error = str(form.query_one("#error-when").render())
        assert 'When there is no period "P9"' in error and "P1" in error
        values = form.values()
        assert values["description"] == "loud in the hall" and values["when"] == "P9"
        assert values["students"] == [{"student_id": "S1006", "role": "witness"}]
        # fix it and save
        await pilot.press("backspace")
        await type_text(pilot, "3")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
    [saved] = desk.store.on_day(Incident, "2026-11-23")
    assert saved.occurred_at.strftime("%H:%M") == desk.profile.period_named("P3").start.strftime("%H:%M")


async def test_missing_behaviour_is_explained(desk, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "i", IncidentForm)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "Behaviour is required" in str(form.query_one("#error-behavior").render())
    assert desk.store.on_day(Incident, "2026-11-23") == []


async def test_escape_with_typed_text_asks_first(desk, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "i", IncidentForm)
        await type_text(pilot, "ana")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")                          # keep editing
        await pilot.pause()
        assert app.screen is form and form._fields["students"].widget.typed == "ana"
        await pilot.press("escape", "y")                # discard
        await pilot.pause()
        assert not isinstance(app.screen, (IncidentForm, ConfirmScreen))
        # an untouched form closes at once
        form2 = await open_form(pilot, "i", IncidentForm)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not form2 and not isinstance(app.screen, ConfirmScreen)
    assert desk.store.on_day(Incident, "2026-11-23") == []


async def test_form_survives_a_resize(desk, make_app):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        form = await open_form(pilot, "i", IncidentForm)
        await type_text(pilot, "ana")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        assert app.screen is form and form._fields["students"].widget.typed == "ana"


async def test_keys_typed_faster_than_the_screen_land_in_the_right_fields(desk, make_app):
    """A fast typist doesn't wait for the focus to move: nothing lands in the field just left."""
    from forms_helpers import burst

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "i", IncidentForm)
        await burst(pilot, *"priya", "enter", "r", "enter", *"tech", "enter", *"phone", "space", *"out", "enter",
                    "c", "l", "enter", "ctrl+s")
        assert app.screen is not form
    [saved] = desk.store.on_day(Incident, "2026-11-23")
    assert [(s.student_id, s.role.value) for s in saved.students] == [("S1005", "responsible")]
    assert (saved.behavior, saved.description) == ("Technology violation", "phone out")


async def test_a_role_can_be_changed_later(desk, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "i", IncidentForm)
        await type_text(pilot, "marcus")
        await pilot.press("enter", "enter")              # added, default role kept
        await type_text(pilot, "priya")
        await pilot.press("enter", "h")                  # added as harmed
        await pilot.press("up", "up", "r")               # back to Marcus: responsible
        assert form.values()["students"] == [{"student_id": "S1004", "role": "responsible"},
                                             {"student_id": "S1005", "role": "harmed"}]
        assert "Marcus Lindqvist (S1004 · gr 12 · H-301) — Responsible" in screen_text(app)


async def test_location_is_not_guessed_from_the_last_incident(desk, make_app):
    from advocate_tui.services import recording

    recording.save(desk, "incident", {"students": [{"student_id": "S1001", "role": "involved"}],
                                      "behavior": "Disrespect", "location": "Gym", "description": "earlier"})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "i", IncidentForm)
        assert form.values()["location"] == ""            # not the last incident's "Gym"
        await type_text(pilot, "priya")
        await pilot.press("enter", "enter", "enter")
        await type_text(pilot, "disr")
        await pilot.press("enter")
        await type_text(pilot, "second one")
        await pilot.press("ctrl+s")                       # no location: refused, said next to the field
        await pilot.pause()
        assert isinstance(app.screen, IncidentForm)
        assert "Location" in str(form.query_one("#error-location").render())
        assert form._fields["location"].widget.has_focus
        await type_text(pilot, "h")                       # Hallway
        await pilot.press("enter", "ctrl+s")
        await pilot.pause()
    saved = sorted(desk.store.on_day(Incident, "2026-11-23"), key=lambda i: i.description)
    assert [(i.description, i.location) for i in saved] == [("earlier", "Gym"), ("second one", "Hallway")]


async def test_a_time_later_than_now_is_refused_and_kept(desk, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "i", IncidentForm)
        await type_text(pilot, "tomas")
        await pilot.press("enter", "w", "enter")
        await type_text(pilot, "disru")
        await pilot.press("enter")
        await type_text(pilot, "loud in the hall")
        await pilot.press("enter", "h", "enter")                   # location: Hallway → When
        await type_text(pilot, "23:59")
        beside = str(form._fields["when"].widget.query_one(".when-parsed").render())
        assert "later than now (10:45)" in beside                   # said as it is typed
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and form.values()["when"] == "23:59"
        error = str(form.query_one("#error-when").render())
        assert "When is later than now (10:45) — an incident is logged after it happens" in error
        assert desk.store.on_day(Incident, "2026-11-23") == []
        for _ in "23:59":
            await pilot.press("backspace")
        await type_text(pilot, "10:48")                            # a desk clock a little behind is fine
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
    [saved] = desk.store.on_day(Incident, "2026-11-23")
    assert saved.occurred_at.strftime("%H:%M") == "10:48"


def test_a_contact_note_in_the_future_is_refused(desk):
    import pytest

    from advocate_tui.services import recording

    with pytest.raises(recording.Invalid) as exc:
        recording.save(desk, "contact", {"student": "S1001", "when": "14:00", "note": "checked in"})
    assert exc.value.errors["when"].startswith("is later than now (10:45) — a contact note")
