"""Typing into filled text fields: tabbing in puts the cursor at the end (the next key adds, never
wipes), and a follow-up note from an incident starts with the cursor at the end of its Note."""

from __future__ import annotations

from forms_helpers import SIZE, burst, open_form, type_text
from main_seed import screen_text as painted

from advocate_tui.models import ContactNote, DoorCheck, Incident
from advocate_tui.screens.forms import ContactForm, IncidentForm, ItemScreen
from advocate_tui.services import recording

DAY = "2026-11-23"


async def test_amending_a_note_tab_into_it_and_type_a_word_keeps_the_note(desk, make_app):
    note = recording.save(desk, "contact", {"student": "S1003", "contact_kind": "check_in",
                                            "note": "talked about the math test"})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ItemScreen(note))
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContactForm)
        await pilot.press("tab", "tab")                  # student → kind → note
        assert form._fields["note"].widget.has_focus
        await type_text(pilot, " again")
        assert form.values()["note"] == "talked about the math test again"
        await pilot.press("shift+tab", "shift+tab")      # back to the student; then tab, tab and a word at once
        await burst(pilot, "tab", "tab", "space", *"today")
        assert form.values()["note"] == "talked about the math test again today"
        assert form._fields["student"].widget.typed == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert desk.store.get(ContactNote, note.id).note == "talked about the math test again today"


async def test_amending_an_incident_note_with_shift_tab_keeps_it_too(desk, make_app):
    incident = recording.save(desk, "incident", {"students": [{"student_id": "S1004", "role": "responsible"}],
                                                 "behavior": "Defiance", "location": "Gym",
                                                 "description": "refused to line up"})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(IncidentForm(record=incident))
        await pilot.pause()
        app.screen._fields["location"].widget.focus()
        await pilot.pause()
        await pilot.press("shift+tab")                    # back into the filled Note
        await type_text(pilot, " twice")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert desk.store.get(Incident, incident.id).description == "refused to line up twice"


async def test_a_door_note_amended_keeps_its_text(desk, make_app):
    from advocate_tui.screens.forms.door import DoorCheckForm
    from advocate_tui.services import checklist

    check = checklist.save_door_check(desk, {"door": "Gym east", "status": "propped_open", "note": "chair"})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(DoorCheckForm(record=check))
        await pilot.pause()
        await pilot.press("tab", "tab")                   # status → door → note
        await type_text(pilot, " in the door")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert desk.store.get(DoorCheck, check.id).note == "chair in the door"


async def test_f_c_on_an_incident_starts_on_note(desk, make_app):
    incident = recording.save(desk, "incident", {
        "students": [{"student_id": "S1001", "role": "responsible"}], "behavior": "Disrespect",
        "location": "Cafeteria", "description": "name-calling at lunch"})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ItemScreen(incident))
        await pilot.pause()
        await pilot.press("f", "c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContactForm)
        assert form._fields["note"].widget.has_focus and not form._fields["follow_up"].has_focus_within
        await type_text(pilot, "Agreed to apologise")
        await pilot.press("ctrl+s")
        await pilot.pause()
    [note] = desk.store.on_day(ContactNote, DAY)
    assert note.note == "Follow-up: Disrespect (Cafeteria). Agreed to apologise" and note.follow_up_date is None


async def test_the_staff_field_offers_the_profile_s_staff_and_keeps_other_names(desk, make_app):
    assert desk.profile.staff[:1] == ["Dana Whitfield"]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "i", IncidentForm)
        await type_text(pilot, "marc")
        await pilot.press("enter", "r", "enter")
        await type_text(pilot, "defi")
        await pilot.press("enter")
        await type_text(pilot, "refused to move")
        await pilot.press("enter")
        await type_text(pilot, "gym")
        await pilot.press("enter")
        form._fields["staff"].widget.focus()
        await pilot.pause()
        await type_text(pilot, "whit")                       # the start of a last name
        assert "→ Dana Whitfield" in painted(app)
        assert "a few letters of a staff name" in str(form.query_one("#form-keys").render())
        await pilot.press("comma")                            # takes her, on to the next name
        await type_text(pilot, "gra")
        await pilot.press("comma")
        await type_text(pilot, "Coach Kim")                   # not on the list: kept as typed
        assert "→" not in str(form._fields["staff"].widget.render_line(0).text)
        await pilot.press("tab")
        assert form._fields["follow_up"].has_focus_within
        await pilot.press("ctrl+s")
        await pilot.pause()
    [saved] = desk.store.on_day(Incident, DAY)
    assert saved.staff == ["Dana Whitfield", "Grace Nakamura-Bell", "Coach Kim"]


async def test_a_staff_name_is_taken_by_enter_and_a_space_keeps_the_letters(desk, make_app):
    incident = recording.save(desk, "incident", {"students": [{"student_id": "S1004", "role": "responsible"}],
                                                 "behavior": "Defiance", "location": "Gym"})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(IncidentForm(record=incident))
        await pilot.pause()
        staff = app.screen._fields["staff"].widget
        staff.focus()
        await pilot.pause()
        await type_text(pilot, "tom")
        await pilot.press("enter")                            # Tom Reinholt, on to Follow up
        assert staff.value == "Tom Reinholt" and not staff.has_focus
        staff.focus()
        await pilot.pause()
        await type_text(pilot, ", dan ")                      # "Dan " (a space after): not Dana
        await pilot.press("enter", "ctrl+s")
        await pilot.pause()
    assert desk.store.get(Incident, incident.id).staff == ["Tom Reinholt", "dan"]


async def test_keys_typed_before_the_form_is_up_land_in_its_first_field(desk, make_app):
    """i and the name straight after, faster than the form opens: the letters are the student's,
    never the main screen's keys (a for attendance, e for amend, x for void…)."""
    from forms_helpers import burst

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "i", *"marc", "enter", "r", "enter", *"defi", "enter", *"refused", "enter", "c", "l",
                    "enter", "ctrl+s")
        for _ in range(30):                                  # a busy machine: give the keys time to land
            if type(app.screen).__name__ == "MainScreen":
                break
            await pilot.pause(0.1)
        assert type(app.screen).__name__ == "MainScreen"
    [saved] = desk.store.on_day(Incident, DAY)
    assert saved.student_ids() == ["S1004"] and (saved.behavior, saved.description, saved.location) == \
        ("Defiance", "refused", "Classroom")



async def test_backspaces_typed_fast_fix_the_word_before_enter_moves_on(desk, make_app):
    """A fast typist fixes the last word and presses enter at once: each backspace acts where it was
    typed (as a binding it acted later, on the next field, and was lost)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "i", IncidentForm)
        form._fields["description"].widget.focus()
        await pilot.pause()
        await type_text(pilot, "refused to move")
        await burst(pilot, "backspace", "backspace", "backspace", "backspace", *"sit", "enter")
        assert form.values()["description"] == "refused to sit"
        assert form._fields["location"].widget.has_focus
        form._fields["when"].widget.focus_input()
        await pilot.pause()
        await type_text(pilot, "1045")
        await burst(pilot, "backspace", "backspace", *"30", "enter")
        assert form.values()["when"] == "1030" and form._fields["level"].widget.has_focus


async def test_f_c_and_the_note_typed_at_once_all_land_in_the_note(desk, make_app):
    """f, c and the words straight after, faster than the screens change: the words are the note's
    (an e or an x in them never amends or voids the incident behind)."""
    incident = recording.save(desk, "incident", {
        "students": [{"student_id": "S1001", "role": "responsible"}], "behavior": "Disrespect",
        "location": "Cafeteria", "description": "name-calling at lunch"})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ItemScreen(incident))
        await pilot.pause()
        await burst(pilot, "f", "c", *"Talked", "space", *"it", "space", *"out", "space", *"next", "ctrl+s")
        for _ in range(30):
            if isinstance(app.screen, ItemScreen):
                break
            await pilot.pause(0.1)
        assert isinstance(app.screen, ItemScreen)
    [note] = desk.store.on_day(ContactNote, DAY)
    assert note.note == "Follow-up: Disrespect (Cafeteria). Talked it out next"
    assert not desk.store.get(Incident, incident.id).amended


async def test_a_note_longer_than_its_field_scrolls_with_the_cursor_as_typed_and_erased(desk, make_app):
    """Typing past the field's right edge keeps the cursor and the last words in view; erasing back
    brings the start of the note back (the field's scroll range follows its text key by key, without
    the form being laid out again for each key)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "i", IncidentForm)
        note = form._fields["description"].widget
        note.focus()
        await pilot.pause()
        words = " ".join(f"word{n:02}" for n in range(1, 21))  # 139 characters: wider than the field
        assert len(words) > note.size.width
        await type_text(pilot, words)
        assert note.value == words
        assert "word20" in painted(app) and "word01" not in painted(app)
        assert note.scroll_x > 0
        await burst(pilot, *["backspace"] * (len(words) - len("word01 wo")))
        assert note.value == "word01 wo"
        assert note.scroll_x == 0 and "word01 wo" in painted(app)
        await type_text(pilot, "rd02")
        assert "word01 word02" in painted(app)


async def test_a_long_note_keeps_its_cursor_in_view_when_the_terminal_narrows(desk, make_app):
    """A note typed past the field's edge on a wide terminal, the terminal made narrower: the end of
    the note, where the cursor is, stays in view (it was left past the field's right edge, out of
    sight until the next key), and the next key lands there."""
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        form = await open_form(pilot, "i", IncidentForm)
        note = form._fields["description"].widget
        note.focus()
        await pilot.pause()
        words = " ".join(f"word{n:02}" for n in range(1, 21))  # 139 characters: wider than the field
        await type_text(pilot, words)
        assert note.scroll_x > 0 and "word20" in painted(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert note.size.width < 80
        assert "word20" in painted(app), "the cursor's end of the note went out of sight"
        x, _y = note.cursor_screen_offset
        assert note.content_region.x <= x <= note.content_region.right  # (at the end: the cell past the text)
        await type_text(pilot, "!")
        assert note.value == words + "!" and "word20!" in painted(app)
