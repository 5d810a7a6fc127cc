"""Referrals by keys: ``r`` is always a new, empty referral; ``R`` refers from the selected incident or
contact note (offered in the footer only then), keeping each student's role and letting the advocate
take students out. Any student added to a multi-student field can be removed, not only the last."""

from __future__ import annotations

from forms_helpers import SIZE, open_form, screen_text, type_text
from main_seed import screen_text as painted

from advocate_tui.models import Referral
from advocate_tui.screens.forms import IncidentForm, ReferralForm
from advocate_tui.services import recording

DAY = "2026-11-23"


def _incident_with_a_witness(desk):
    return recording.save(desk, "incident", {
        "students": [{"student_id": "S1001", "role": "responsible"}, {"student_id": "S1005", "role": "harmed"},
                     {"student_id": "S1006", "role": "witness"}],
        "behavior": "Physical contact", "location": "Hallway", "description": "pushed into the lockers"})


def _footer(app) -> str:
    return "\n".join(painted(app).splitlines()[-2:])


async def test_r_on_a_selected_incident_is_an_empty_referral_and_a_name_goes_to_students(desk, make_app):
    """The issue: r with the incidents pane in use opened 'referral from the incident' with the cursor
    on To; the student's name typed there filed it for the wrong student, glued into the reason."""
    incident = _incident_with_a_witness(desk)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.pause()
        assert app.screen.current_row().record.id == incident.id
        await pilot.press("r")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ReferralForm) and form.values()["students"] == []
        await type_text(pilot, "marc")
        await pilot.press("enter", "enter")            # Marcus added; enter on the empty box: on to To
        await type_text(pilot, "cou")
        await pilot.press("enter", "enter", "enter")   # To: Counselor; For and Urgency as they are
        await type_text(pilot, "wants to talk")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
    [ref] = desk.store.on_day(Referral, DAY)
    assert (ref.students, ref.destination, ref.reason, ref.incident_id) == (["S1004"], "Counselor", "wants to talk", None)


async def test_R_keeps_the_roles_and_the_witness_can_be_taken_out(desk, make_app):
    _incident_with_a_witness(desk)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.pause()
        assert "R From" in _footer(app)
        await pilot.press("R")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ReferralForm) and form._fields["destination"].widget.has_focus
        shown = painted(app)
        assert "— Responsible" in shown and "— Harmed" in shown and "— Witness" in shown
        await pilot.press("shift+tab", "up")             # back to Students, onto the last one: the witness
        assert "Role of Tomás Herrera? " in painted(app) and "del removes" in painted(app)
        await pilot.press("delete", "tab")               # out; on to To
        assert "Tomás" not in painted(app)
        await pilot.press("r", "enter", "ctrl+s")        # To: RJ coordinator
        await pilot.pause()
        assert app.screen is not form
    [ref] = desk.store.on_day(Referral, DAY)
    assert ref.students == ["S1001", "S1005"]
    assert {r.student_id: r.role.value for r in ref.roles} == {"S1001": "responsible", "S1005": "harmed"}


async def test_the_footer_offers_R_only_on_an_incident_or_contact_note(desk, make_app):
    _incident_with_a_witness(desk)
    recording.save(desk, "contact", {"student": "S1003", "contact_kind": "check_in", "note": "worried about the test"})
    recording.save(desk, "referral", {"students": ["S1004"], "destination": "Nurse", "reason": "headache"})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        offered = {}
        for key, pane in (("1", "incidents"), ("2", "checklist"), ("3", "contacts"), ("5", "referrals")):
            await pilot.press(key)
            await pilot.pause()
            offered[pane] = "R From" in _footer(app)
        assert offered == {"incidents": True, "checklist": False, "contacts": True, "referrals": False}
        await pilot.press("R")                            # on a referral: nothing opens
        await pilot.pause()
        assert not isinstance(app.screen, ReferralForm)
        await pilot.press("3", "R")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ReferralForm)
        assert "From contact note: Check-in" in screen_text(app)
        await pilot.press("n", "enter", "ctrl+s")         # To: Nurse
        await pilot.pause()
    note_ref = next(r for r in desk.store.on_day(Referral, DAY) if r.contact_note_id)
    assert note_ref.students == ["S1003"] and note_ref.reason == "Check-in: worried about the test"


async def test_any_added_student_can_be_removed_not_only_the_last(desk, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "i", IncidentForm)
        for name, role in (("marc", "r"), ("priya", "h"), ("tomas", "w")):
            await type_text(pilot, name)
            await pilot.press("enter", role)
        assert "del removes" in str(form.query_one("#form-keys").render())
        await pilot.press("up", "up", "delete")          # onto Priya (the middle one), out
        assert form.values()["students"] == [{"student_id": "S1004", "role": "responsible"},
                                             {"student_id": "S1006", "role": "witness"}]
        assert "Priya" not in painted(app) and "Tomás Herrera" in painted(app)
        await pilot.press("enter", "enter")               # the cursor back in the box; on to Behaviour
        assert form._fields["behavior"].widget.has_focus


async def test_the_palette_and_help_name_both_referral_keys(desk, make_app):
    _incident_with_a_witness(desk)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = painted(app)
        assert "New referral (empty)" in text and "Referral from the selected incident or note" in text
        await pilot.press("escape", "ctrl+p")
        await pilot.press(*"referral from")
        await pilot.pause(0.3)
        assert "Referral from the selected incident or note" in painted(app)


async def test_R_then_a_destination_typed_at_once_lands_in_to(desk, make_app):
    """R and the destination's letters straight after: they go to To (where the cursor starts), not to
    the student field the screen would focus first."""
    from forms_helpers import burst

    _incident_with_a_witness(desk)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1")
        await pilot.pause()
        await burst(pilot, "R", *"cou", "enter", "ctrl+s")
        for _ in range(30):
            if not isinstance(app.screen, ReferralForm):
                break
            await pilot.pause(0.1)
        assert not isinstance(app.screen, ReferralForm)
    [ref] = desk.store.on_day(Referral, DAY)
    assert (ref.destination, ref.students) == ("Counselor", ["S1001", "S1005", "S1006"])


async def test_words_left_in_the_students_box_are_not_lost_on_save(desk, make_app):
    """Found typing fast: a name, enter, then the destination and the reason typed on with one enter
    too few stayed in the students box ("No student matches"), and ctrl+s saved the referral without
    them. Now nothing is saved past them: said under Students, the words kept in the box."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "r", ReferralForm)
        await type_text(pilot, "marc")
        await pilot.press("enter")                     # Marcus added; the cursor stays in the box
        await type_text(pilot, "cou")
        await pilot.press("enter", "enter", "enter")   # no student matches: enter stays put
        await type_text(pilot, "wants to talk")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and desk.store.on_day(Referral, DAY) == []
        shown = painted(app)
        assert 'Students still has "couwants to talk": no student matches it' in " ".join(shown.split())
        assert form._fields["students"].widget.typed == "couwants to talk"
        assert form._fields["students"].has_focus_within
        await pilot.press("ctrl+u", "enter")           # cleared; enter on the empty box: on to To
        await type_text(pilot, "cou")
        await pilot.press("enter", "enter", "enter")
        await type_text(pilot, "wants to talk")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
    [ref] = desk.store.on_day(Referral, DAY)
    assert (ref.students, ref.destination, ref.reason) == (["S1004"], "Counselor", "wants to talk")


async def test_a_name_typed_without_its_enter_is_not_dropped_on_save(desk, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot, "r", ReferralForm)
        await type_text(pilot, "marc")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert 'Students still has "marc" — enter adds Marcus' in " ".join(painted(app).split())
        await pilot.press("enter")
        assert [s["student_id"] for s in form.values()["students"]] == ["S1004"]
