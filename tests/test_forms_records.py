"""Contact note, attendance follow-up, referral from an incident, amend and void, driven by keys;
each reads the database, then restarts the app on the same file and finds the record on screen."""

from __future__ import annotations

from conftest import reopen
from forms_helpers import SIZE, open_form, screen_text, type_text

from advocate_tui.app import AdvocateApp
from advocate_tui.models import AttendanceFollowUp, ContactNote, Incident, Referral
from advocate_tui.screens.forms import (
    AttendanceForm,
    ContactForm,
    IncidentForm,
    ItemScreen,
    ReferralForm,
    VoidForm,
)
from advocate_tui.services import recording

DAY = "2026-11-23"


def _incident(desk) -> Incident:
    return recording.save(desk, "incident", {
        "students": [{"student_id": "S1001", "role": "responsible"}, {"student_id": "S1005", "role": "harmed"}],
        "behavior": "Disrespect", "location": "Cafeteria", "description": "name-calling at lunch",
    })


async def _shows_after_restart(desk, record_type, needles):
    fresh = reopen(desk)
    try:
        [again] = fresh.store.on_day(record_type, DAY)
        app = AdvocateApp(fresh)
        async with app.run_test(size=SIZE) as pilot:
            app.push_screen(ItemScreen(again))
            await pilot.pause()
            text = screen_text(app)
            for needle in needles:
                assert needle in text, needle
        return again
    finally:
        fresh.close()


async def test_contact_note(desk, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, "c", ContactForm)
        await type_text(pilot, "S1004")              # by student number
        await pilot.press("enter")                  # a single student: picked, on to the kind
        await pilot.press("c", "h", "enter")        # "c" also starts Coaching, Caregiver: "ch" is Check-in
        await type_text(pilot, "checked in after the fire drill")
        await pilot.press("enter", "enter")         # note → when (now) → follow up
        await type_text(pilot, "fri")
        await pilot.press("ctrl+s")
        await pilot.pause()
    [note] = desk.store.on_day(ContactNote, DAY)
    assert (note.student_id, note.contact_kind.value, note.note) == ("S1004", "check_in", "checked in after the fire drill")
    assert str(note.follow_up_date) == "2026-11-27"
    await _shows_after_restart(desk, ContactNote, ["Marcus Lindqvist", "checked in after the fire drill", "Fri 27 Nov 2026"])


async def test_attendance_follow_up(desk, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot, "a", AttendanceForm)
        await type_text(pilot, "herr")
        await pilot.press("enter", "t", "enter")    # Tomás Herrera, kind: "t" is Tardy, enter takes it
        await pilot.press("enter")                  # date: today
        await type_text(pilot, "P1 p2")
        await pilot.press("enter")
        await type_text(pilot, "missed the bus")
        await pilot.press("enter", "c", "a", "enter", "enter")  # actions: "ca" Call home ("c" also starts conference), on
        await type_text(pilot, "+2d")
        await pilot.press("ctrl+s")
        await pilot.pause()
    [follow] = desk.store.on_day(AttendanceFollowUp, DAY)
    assert follow.student_id == "S1006" and follow.attendance_kind.value == "tardy"
    assert follow.periods == ["P1", "P2"] and follow.cause == "missed the bus"
    assert [a.value for a in follow.actions] == ["call_home"] and str(follow.due_date) == "2026-11-25"
    await _shows_after_restart(desk, AttendanceFollowUp, ["Tomás Herrera", "Tardy", "P1, P2", "Call home"])


async def test_referral_from_an_incident_is_prefilled(desk, make_app):
    incident = _incident(desk)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ItemScreen(incident))
        await pilot.pause()
        assert "R refer from it" in screen_text(app)
        await pilot.press("R")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ReferralForm)
        values = form.values()
        assert values["students"] == [{"student_id": "S1001", "role": "responsible"},
                                      {"student_id": "S1005", "role": "harmed"}]
        assert values["incident_id"] == incident.id and "name-calling at lunch" in values["reason"]
        assert "From incident: Disrespect · Cafeteria" in screen_text(app)
        assert "— Responsible" in screen_text(app) and "— Harmed" in screen_text(app)
        assert form._fields["destination"].widget.has_focus
        # RJ coordinator · "ci" Circle ("c" alone also starts Conference) · Soon — each taken by enter
        await pilot.press("r", "enter", "c", "i", "enter", "s", "enter", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        linked = str(app.screen.query_one("#item-linked").render())   # the incident now shows its referral
        assert linked.startswith("Referral ·") and "RJ coordinator" in linked
    [ref] = desk.store.on_day(Referral, DAY)
    assert (ref.destination, ref.purpose.value, ref.urgency.value) == ("RJ coordinator", "circle", "soon")
    assert ref.students == ["S1001", "S1005"] and ref.incident_id == incident.id
    assert {r.student_id: r.role.value for r in ref.roles} == {"S1001": "responsible", "S1005": "harmed"}
    await _shows_after_restart(desk, Referral, ["RJ coordinator", "Circle", "Soon", "Priya Ramanathan",
                                                "— Responsible", "— Harmed"])


async def test_amend_keeps_the_earlier_version(desk, make_app):
    incident = _incident(desk)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ItemScreen(incident))
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, IncidentForm) and form.values()["location"] == "Cafeteria"
        form._fields["location"].widget.focus()
        await type_text(pilot, "gym")
        await pilot.press("enter", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        assert "Location Cafeteria → Gym" in screen_text(app)
    current = desk.store.get(Incident, incident.id)
    assert current.location == "Gym" and current.amended
    history = desk.store.history(incident.id)
    assert [h.action.value for h in history] == ["create", "amend"]
    assert history[1].before["location"] == "Cafeteria" and history[1].after["location"] == "Gym"
    await _shows_after_restart(desk, Incident, ["Gym", "amended", "Location Cafeteria → Gym"])


async def test_void_needs_a_reason(desk, make_app):
    note = recording.save(desk, "contact", {"student": "S1003", "note": "talked about the test", "contact_kind": "check_in"})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ItemScreen(note))
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, VoidForm)
        await pilot.press("ctrl+s")                 # no reason: refused
        await pilot.pause()
        assert app.screen is form
        assert "Reason is required" in str(form.query_one("#error-reason").render())
        assert not desk.store.get(ContactNote, note.id).voided
        await type_text(pilot, "wrong student")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        assert "VOID" in screen_text(app)
    voided = desk.store.get(ContactNote, note.id)
    assert voided.voided and voided.void_reason == "wrong student"
    assert desk.store.on_day(ContactNote, DAY) == []           # gone from the day's list
    fresh = reopen(desk)
    try:
        again = fresh.store.get(ContactNote, note.id)
        app2 = AdvocateApp(fresh)
        async with app2.run_test(size=SIZE) as pilot:
            app2.push_screen(ItemScreen(again))
            await pilot.pause()
            text = screen_text(app2)
            assert "VOID" in text and "wrong student" in text and "voided" in text
    finally:
        fresh.close()


async def test_follow_up_from_an_incident(desk, make_app):
    incident = _incident(desk)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ItemScreen(incident))
        await pilot.pause()
        await pilot.press("f", "c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContactForm)
        assert form.values()["student"] == "S1001" and form.values()["contact_kind"] == "restorative_conversation"
        await pilot.press("ctrl+s")
        await pilot.pause()
    [note] = desk.store.on_day(ContactNote, DAY)
    assert note.note == "Follow-up: Disrespect (Cafeteria)."  # saved as offered: no space left at the end


async def test_referral_from_an_incident_starts_on_to_and_a_name_typed_there_picks_nothing(desk, make_app):
    incident = _incident(desk)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ItemScreen(incident))
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        form = app.screen
        to = form._fields["destination"].widget
        assert isinstance(form, ReferralForm) and to.has_focus
        text = screen_text(app)
        assert "pick who it goes to (To)" in text and "type the start of one" in text
        await type_text(pilot, "ava")                   # a student's name typed in the wrong place
        assert to.value == "" and to.has_focus and "no match" in str(to.render())
        assert [s["student_id"] for s in form.values()["students"]] == ["S1001", "S1005"]
        await pilot.press("enter")                      # enter does not take letters that match nothing
        assert to.has_focus and form.values()["reason"].startswith("Disrespect")
        await pilot.press("backspace", "backspace", "backspace")
        await type_text(pilot, "cou")                   # "c" waits (Counselor, Community…), "cou" chooses
        assert to.value == "Counselor" and to.has_focus
        await pilot.press("enter")
        assert not to.has_focus


async def test_voiding_a_handed_off_referral_warns_the_coordinator_has_it(desk, make_app):
    from advocate_tui.services import handoff

    referral = recording.save(desk, "referral", {"students": ["S1004"], "destination": "Counselor",
                                                 "reason": "asked to talk to someone"})
    handoff.sign_off(desk, "J. Rivera")
    handed = desk.store.get(Referral, referral.id)
    fresh = recording.save(desk, "referral", {"students": ["S1005"], "destination": "Counselor",
                                              "reason": "new today"})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ItemScreen(handed))
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, VoidForm)
        text = screen_text(app)
        assert "coordinator already has this referral" in text and "J. Rivera" in text
        await pilot.press("escape")
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()
        app.push_screen(ItemScreen(fresh))
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert "coordinator already has" not in screen_text(app)     # not handed off yet: no warning
