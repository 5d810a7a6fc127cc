"""Door checks and patrol rounds driven by keys on the real app and a real database file."""

from __future__ import annotations

from advocate_tui.models import CheckpointStatus, DoorCheck, DoorStatus, Incident, PatrolRound
from advocate_tui.screens.forms.door import DoorCheckForm
from advocate_tui.screens.forms.patrol import PatrolForm
from advocate_tui.services import checklist

from conftest import reopen
from main_seed import screen_text

SIZE = (120, 36)


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


async def test_door_check_with_an_exception_by_keys(make_app, desk):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DoorCheckForm) and form.current_door == "Main entrance"
        await pilot.press("p")  # propped open: asks for a note
        await pilot.pause()
        assert desk.store.select(DoorCheck) == []
        await type_text(pilot, "wedged with a chair")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "new incident from this exception" in screen_text(app)  # saved; offered as an incident
        await pilot.press("enter")  # not wanted: enter closes
        await pilot.pause()
        assert not isinstance(app.screen, DoorCheckForm)

        checks = desk.store.select(DoorCheck)
        assert [(c.door, c.status, c.note) for c in checks] == [
            ("Main entrance", DoorStatus.PROPPED_OPEN, "wedged with a chair")]
        assert checklist.door_state(desk, "Main entrance").is_exception

        await pilot.press("d")  # the next d goes to the next door; s saves at once
        await pilot.pause()
        assert app.screen.current_door == "Gym east"
        await pilot.press("s")
        await pilot.pause()
        assert not isinstance(app.screen, DoorCheckForm)
        assert checklist.door_state(desk, "Gym east").last.status is DoorStatus.SECURE
        assert checklist.next_unchecked_door(desk) == "Gym west"
        await pilot.press("d")  # n skips Gym west; the door list (tab) picks any door
        await pilot.pause()
        assert app.screen.current_door == "Gym west"
        await pilot.press("n")
        assert app.screen.current_door == "Cafeteria dock"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DoorCheckForm)

    desk = reopen(desk)  # restart the app on the same file: the exception is still red
    from advocate_tui.app import AdvocateApp

    app = AdvocateApp(desk)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        rows = {r.door: r for r in app.screen.query_one("#checklist").rows if r.kind == "door"}
        assert rows["Main entrance"].alert and "wedged with a chair" in rows["Main entrance"].status
        assert not rows["Gym east"].alert
        assert app.screen.query_one("#status").counts.doors_unchecked == 5
        text = screen_text(app)
        assert "Main entrance" in text and "Propped open" in text
    desk.close()


async def test_patrol_round_with_an_issue_turned_into_an_incident(make_app, desk):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PatrolForm)
        await pilot.press("enter")  # the zone whose turn it is: North wing
        await pilot.press("c")  # Science hall: clear
        desk.clock.advance(minutes=3)
        await pilot.press("i")  # North stairwell: an issue
        await type_text(pilot, "two students vaping")
        await pilot.press("enter")
        await pilot.pause()
        rnd = checklist.open_round(desk)  # saved as it goes
        assert [(v.checkpoint, v.status, v.note) for v in rnd.checkpoints] == [
            ("Science hall", CheckpointStatus.CLEAR, ""),
            ("North stairwell", CheckpointStatus.ISSUE, "two students vaping")]

        await pilot.press("n")  # new incident from this issue: where, when and what are filled in
        await pilot.pause()
        assert type(app.screen).__name__ == "IncidentForm"
        assert app.screen.values()["location"] == "Stairwell"
        await type_text(pilot, "marc")
        await pilot.press("enter", "r", "enter")  # Marcus, responsible; on to the behaviour
        await type_text(pilot, "vap")
        await pilot.press("enter")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PatrolForm)  # back on the round
        [incident] = desk.store.select(Incident)
        assert incident.location == "Stairwell" and incident.behavior == "Drugs/Tobacco-Vaping"
        assert incident.occurred_at.strftime("%H:%M") == "10:48"
        assert "two students vaping" in incident.description and incident.student_ids() == ["S1004"]

        await pilot.press("c", "enter", "c")  # the last three checkpoints (enter = clear) finish the round
        await pilot.pause()
        assert not isinstance(app.screen, PatrolForm)

    [rnd] = desk.store.select(PatrolRound)
    assert rnd.zone == "North wing" and rnd.finished_at is not None and len(rnd.checkpoints) == 5
    assert rnd.checkpoints[1].incident_id == incident.id
    assert [v.incident_id for i, v in enumerate(rnd.checkpoints) if i != 1] == [None] * 4
    assert checklist.open_round(desk) is None

    desk = reopen(desk)  # restart the app on the same file: the round and the incident are on screen
    from advocate_tui.app import AdvocateApp

    app = AdvocateApp(desk)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        rows = {r.key: r for r in app.screen.query_one("#checklist").rows}
        assert "1 issue" in rows[rnd.id].status and rows[rnd.id].alert
        assert incident.id in {r.key for r in app.screen.query_one("#incidents").rows}
        text = screen_text(app)
        assert "Patrol · North wing" in text and "1 issue" in text and "Drugs/Tobacco-Vaping" in text
        await pilot.press("p")  # the next round: South wing's turn
        await pilot.pause()
        assert "South wing's turn" in screen_text(app)
    desk.close()


async def test_an_exception_without_a_note_is_not_saved_and_nothing_typed_is_lost(make_app, desk):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d", "d")  # damaged
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DoorCheckForm) and desk.store.select(DoorCheck) == []
        assert "Note is required" in screen_text(app)
        await type_text(pilot, "hinge broken")
        await pilot.press("enter")  # enter in the note saves
        await pilot.pause()
        await pilot.press("escape")  # the offer of an incident: esc closes
        await pilot.pause()
        assert not isinstance(app.screen, DoorCheckForm)
    [check] = desk.store.select(DoorCheck)
    assert (check.door, check.status, check.note) == ("Main entrance", DoorStatus.DAMAGED, "hinge broken")


async def test_a_door_check_can_be_amended_with_history(make_app, desk):
    checklist.record_door_check(desk, "Gym east", "alarm", "alarm sounding")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        pane = app.screen.query_one("#checklist")
        while pane.current_row() is None or pane.current_row().door != "Gym east":
            await pilot.press("down")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DoorCheckForm) and form.record is not None
        await pilot.press("u")  # amend: a pick does not save by itself
        await pilot.pause()
        assert app.screen is form
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
    [check] = desk.store.select(DoorCheck)
    assert check.status is DoorStatus.UNSECURED and check.amended and check.note == "alarm sounding"
    assert [h.action.value for h in desk.store.history(check.id)] == ["create", "amend"]


async def test_a_round_paused_or_cut_short_by_a_crash_continues_where_it_was(make_app, desk):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "g")  # Grounds by its key
        await pilot.pause()
        await pilot.press("c", "c")  # Bus loop, Student parking lot
        await pilot.press("escape")  # pause: the round stays open
        await pilot.pause()
        assert not isinstance(app.screen, PatrolForm)
        assert app.screen.query_one("#status").counts.patrol.open_round.zone == "Grounds"
        await pilot.press("p")
        await pilot.pause()
        assert "Now at: Athletic field" in screen_text(app)
        await pilot.press("i")
        await type_text(pilot, "gate left ope")  # typing when the power goes

    desk = reopen(desk)
    rnd = checklist.open_round(desk)
    assert [v.checkpoint for v in rnd.checkpoints] == ["Bus loop", "Student parking lot"]
    from advocate_tui.app import AdvocateApp

    app = AdvocateApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PatrolForm) and "Now at: Athletic field" in screen_text(app)
        await pilot.press("c", "c")  # Athletic field, Courtyard: the round is done
        await pilot.pause()
        assert not isinstance(app.screen, PatrolForm)
    done = desk.store.get(PatrolRound, rnd.id)
    assert done.finished_at is not None and len(done.checkpoints) == 4 and not done.issues
    desk.close()


async def test_escape_from_a_typed_issue_note_asks_first(make_app, desk):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p", "enter", "i")
        await type_text(pilot, "broken window")
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert isinstance(app.screen, PatrolForm) and app.screen.values()["note"] == "broken window"
        await pilot.press("enter")
        await pilot.pause()
        assert checklist.open_round(desk).issues[0].note == "broken window"


async def test_typed_notes_survive_a_crash_as_drafts(make_app, desk):
    from advocate_tui.screens.forms.base import FormScreen
    from advocate_tui.services import drafts

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d", "n", "u")  # Gym east, unsecured
        await type_text(pilot, "chain cut")
        app.screen.write_draft()  # what the form does after a second of quiet
        await pilot.press("escape")  # the form asks before throwing typed text away...
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"
        # ...and here the power goes: nothing answered, nothing saved
    desk = reopen(desk)
    [draft] = drafts.pending_drafts(desk)
    from advocate_tui.app import AdvocateApp

    app = AdvocateApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(FormScreen.from_draft(draft))
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DoorCheckForm)
        values = form.values()
        assert (values["door"], values["status"], values["note"]) == ("Gym east", "unsecured", "chain cut")
        assert form.current_door == "Gym east" and "Door check — Gym east" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
    [check] = desk.store.select(DoorCheck)
    assert (check.door, check.status, check.note) == ("Gym east", DoorStatus.UNSECURED, "chain cut")
    assert drafts.pending_drafts(desk) == []

    app = AdvocateApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p", "enter", "i")
        await type_text(pilot, "window cracked")
        app.screen.write_draft()
    desk = reopen(desk)
    [draft] = drafts.pending_drafts(desk)
    app = AdvocateApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(FormScreen.from_draft(draft))
        await pilot.pause()
        assert isinstance(app.screen, PatrolForm) and app.screen.step == "note"
        await pilot.press("enter")
        await pilot.pause()
    [rnd] = desk.store.select(PatrolRound)
    assert [(v.checkpoint, v.note) for v in rnd.checkpoints] == [("Science hall", "window cracked")]
    desk.close()


async def test_tab_picks_any_door_by_its_key(make_app, desk):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d", "tab", "b", "enter")  # the door list: b for Bus loop, enter: back on the status keys
        await pilot.pause()
        assert app.screen.current_door == "Bus loop" and "Door check — Bus loop" in screen_text(app)
        await pilot.press("s")
        await pilot.pause()
    [check] = desk.store.select(DoorCheck)
    assert (check.door, check.status) == ("Bus loop", DoorStatus.SECURE)
    assert checklist.next_unchecked_door(desk) == "Main entrance"


async def test_an_issue_at_the_last_checkpoint_is_offered_before_the_form_closes(make_app, desk):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p", "g", "c", "c", "c", "i")  # Grounds: the fourth and last checkpoint has the issue
        await type_text(pilot, "fence panel down")
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PatrolForm) and form.step == "done"
        assert desk.store.select(PatrolRound)[0].finished_at is not None
        assert "new incident from the issue at Courtyard" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        incident_form = app.screen
        assert type(incident_form).__name__ == "IncidentForm"
        # "Courtyard" is not one of the profile's locations: the note keeps the place
        assert "Courtyard (Grounds patrol): fence panel down" == incident_form.values()["description"]
        await pilot.press("enter")  # no student
        await type_text(pilot, "vand")
        await pilot.press("enter")
        assert incident_form.values()["location"] == ""  # no profile location to guess: the user picks one
        await pilot.press("enter")  # past the note, to the location
        await type_text(pilot, "play")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, (PatrolForm, type(incident_form)))  # linked, nothing left: closed
    [incident] = desk.store.select(Incident)
    [rnd] = desk.store.select(PatrolRound)
    assert rnd.checkpoints[-1].incident_id == incident.id and incident.behavior == "Vandalism"
    assert incident.location == "Playground/Field" and "Courtyard" in incident.description


async def test_f_finishes_a_round_early(make_app, desk):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p", "s", "c", "f")  # South wing: one checkpoint, then finish
        await pilot.pause()
        assert not isinstance(app.screen, PatrolForm)
    [rnd] = desk.store.select(PatrolRound)
    assert rnd.zone == "South wing" and [v.checkpoint for v in rnd.checkpoints] == ["Cafeteria"]
    assert rnd.finished_at is not None and checklist.open_round(desk) is None


async def test_d_then_s_typed_at_once_saves_the_door_secure(make_app, desk):
    """d and s straight after (a sweep, typed without waiting): the s is the door's, and saves it."""
    from forms_helpers import burst

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "d", "s")
        for _ in range(30):
            if type(app.screen).__name__ == "MainScreen":
                break
            await pilot.pause(0.1)
        assert type(app.screen).__name__ == "MainScreen"
    [check] = desk.store.select(DoorCheck)
    assert (check.door, check.status) == ("Main entrance", DoorStatus.SECURE)


async def test_a_door_sweep_typed_at_once_checks_each_door(make_app, desk):
    """d s d s, then d p and the note, all typed without waiting: two doors secure, the third propped
    open with the whole note (enter saves it; the next enter closes the offer of an incident)."""
    from forms_helpers import burst

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "d", "s", "d", "s", "d", "p", *"chair", "space", *"in", "space", *"it", "enter", "enter")
        for _ in range(40):
            if type(app.screen).__name__ == "MainScreen" and len(desk.store.select(DoorCheck)) == 3:
                break
            await pilot.pause(0.1)
        assert type(app.screen).__name__ == "MainScreen"
    checks = sorted(desk.store.select(DoorCheck), key=lambda c: c.created_at)
    assert [(c.status, c.note) for c in checks] == [(DoorStatus.SECURE, ""), (DoorStatus.SECURE, ""),
                                                    (DoorStatus.PROPPED_OPEN, "chair in it")]
    assert len({c.door for c in checks}) == 3
