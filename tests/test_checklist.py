"""The checklist service: doors per shift, standing exceptions, patrol due/overdue, rounds that resume."""

from __future__ import annotations

import pytest

from advocate_tui.models import CheckpointStatus, DoorCheck, DoorStatus, Incident, PatrolRound
from advocate_tui.services import checklist, incident_prefill
from advocate_tui.services.recording import Invalid

from conftest import reopen

DOORS = ["Main entrance", "Gym east", "Gym west", "Cafeteria dock", "Bus loop", "Science wing north",
         "Auditorium lobby"]


def test_current_shift_follows_the_profile(desk):
    desk.clock.set("2026-11-23 06:50")
    assert checklist.current_shift(desk).name == "opening"  # before the first check: the first shift
    desk.clock.set("2026-11-23 10:45")
    shift = checklist.current_shift(desk)
    assert (shift.name, shift.starts.format("HH:mm"), shift.ends.format("HH:mm")) == ("opening", "00:00", "12:00")
    desk.clock.set("2026-11-23 12:00")
    assert checklist.current_shift(desk).name == "midday"
    desk.clock.set("2026-11-23 16:10")
    assert checklist.current_shift(desk).name == "closing"


def test_doors_unchecked_this_shift_and_reset_at_the_next_shift_check(desk):
    assert checklist.unchecked_count(desk) == 7
    assert checklist.next_unchecked_door(desk) == "Main entrance"
    checklist.record_door_check(desk, "Main entrance", "secure")
    checklist.record_door_check(desk, "Gym west", DoorStatus.SECURE)
    assert checklist.unchecked_count(desk) == 5
    assert checklist.next_unchecked_door(desk) == "Gym east"          # profile order
    assert checklist.next_unchecked_door(desk, after="Gym east") == "Cafeteria dock"  # skip one
    assert checklist.next_unchecked_door(desk, after="Auditorium lobby") == "Gym east"  # wraps
    states = {d.door: d for d in checklist.door_status(desk)}
    assert [d.door for d in checklist.door_status(desk)] == DOORS
    assert states["Main entrance"].checked_this_shift and states["Main entrance"].last.status is DoorStatus.SECURE
    assert states["Gym east"].last is None

    desk.clock.set("2026-11-23 12:01")  # the midday check resets what counts as unchecked
    assert checklist.unchecked_count(desk) == 7
    states = {d.door: d for d in checklist.door_status(desk)}
    assert states["Main entrance"].last is None
    assert states["Main entrance"].latest.status is DoorStatus.SECURE  # the earlier check is still known
    for door in DOORS:
        desk.clock.advance(minutes=1)
        checklist.record_door_check(desk, door, "secure")
    assert checklist.unchecked_count(desk) == 0
    assert checklist.next_unchecked_door(desk) is None
    assert checklist.doors_unchecked(desk) == 0 and checklist.next_door(desk) is None  # aliases for the main screen


def test_an_exception_needs_a_note_and_stands_until_a_later_secure_check(desk):
    with pytest.raises(Invalid) as err:
        checklist.record_door_check(desk, "Gym east", "propped_open", "")
    assert "note" in err.value.errors
    with pytest.raises(Invalid) as err:
        checklist.record_door_check(desk, "Back door", "secure")
    assert "door" in err.value.errors
    assert desk.store.select(DoorCheck) == []

    checklist.record_door_check(desk, "Gym east", "propped_open", "wedged with a chair")
    gym = checklist.door_state(desk, "Gym east")
    assert gym.is_exception and gym.exception.note == "wedged with a chair"

    desk.clock.set("2026-11-23 12:30")  # next shift: unchecked again, but the exception still stands
    gym = checklist.door_state(desk, "Gym east")
    assert not gym.checked_this_shift and gym.is_exception

    desk.clock.set("2026-11-24 07:40")  # next morning: nobody cleared it, it still stands
    assert checklist.door_state(desk, "Gym east").is_exception
    checklist.record_door_check(desk, "Gym east", "damaged", "latch bent")
    assert checklist.door_state(desk, "Gym east").exception.status is DoorStatus.DAMAGED
    desk.clock.advance(minutes=20)
    checklist.record_door_check(desk, "Gym east", "secure")
    gym = checklist.door_state(desk, "Gym east")
    assert not gym.is_exception and gym.checked_this_shift


def test_patrol_due_then_overdue_after_the_interval(desk):
    desk.clock.set("2026-11-23 07:45")
    state = checklist.patrol_state(desk)
    assert state.last_start is None and state.due_at.format("HH:mm") == "08:30"  # day start 07:30 + 60 min
    assert state.status == "ok" and state.next_zone == "North wing"
    desk.clock.set("2026-11-23 08:25")
    assert checklist.patrol_state(desk).status == "due"
    desk.clock.set("2026-11-23 08:31")
    state = checklist.patrol_state(desk)
    assert state.status == "overdue" and "overdue since 08:30" in state.text()

    rnd = checklist.start_round(desk, "North wing")
    state = checklist.patrol_state(desk)
    assert state.status == "ok" and state.open_round.id == rnd.id and state.due_at.format("HH:mm") == "09:31"
    assert state.next_zone == "South wing"  # rotation
    checklist.finish_round(desk, rnd)
    desk.clock.advance(minutes=55)
    assert checklist.patrol_state(desk).status == "due"
    desk.clock.advance(minutes=6)
    assert checklist.patrol_state(desk).status == "overdue"
    assert checklist.zones_in_order(desk) == ["South wing", "Grounds", "North wing"]
    desk.clock.set("2026-11-23 16:30")  # after the school day nothing is due
    assert checklist.patrol_state(desk).status == "ok"


def test_a_round_saves_each_checkpoint_and_resumes_after_a_restart(desk):
    rnd = checklist.start_round(desk, "Grounds")
    with pytest.raises(Invalid):
        checklist.start_round(desk, "North wing")  # one round at a time
    assert checklist.next_checkpoint(desk, rnd) == "Bus loop"
    desk.clock.advance(minutes=3)
    rnd = checklist.reach_checkpoint(desk, rnd, "Bus loop", "clear")
    desk.clock.advance(minutes=4)
    with pytest.raises(Invalid) as err:
        checklist.reach_checkpoint(desk, rnd, "Student parking lot", "issue", "")
    assert "note" in err.value.errors
    rnd = checklist.reach_checkpoint(desk, rnd.id, "Student parking lot", CheckpointStatus.ISSUE, "car window open")

    desk = reopen(desk)  # a crash mid-round: the checkpoints reached are there, the round resumes
    resumed = checklist.open_round(desk)
    assert resumed.id == rnd.id and [v.checkpoint for v in resumed.checkpoints] == ["Bus loop", "Student parking lot"]
    assert resumed.checkpoints[1].reached_at.strftime("%H:%M") == "10:52"
    assert checklist.next_checkpoint(desk, resumed) == "Athletic field"
    history = desk.store.history(rnd.id)
    assert [h.action.value for h in history] == ["create", "status", "status"]
    assert not desk.store.get(PatrolRound, rnd.id).amended  # progress, not a correction

    for cp in ("Athletic field", "Courtyard"):
        resumed = checklist.reach_checkpoint(desk, resumed, cp)
    assert checklist.next_checkpoint(desk, resumed) is None
    done = checklist.finish_round(desk, resumed)
    assert done.finished_at is not None and checklist.open_round(desk) is None
    with pytest.raises(Invalid):
        checklist.reach_checkpoint(desk, done, "Courtyard")
    desk.close()


def test_an_issue_becomes_an_incident_with_its_location(desk, profile):
    rnd = checklist.start_round(desk, "North wing")
    desk.clock.advance(minutes=2)
    rnd = checklist.reach_checkpoint(desk, rnd, "North stairwell", "issue", "two students vaping")
    visit = rnd.checkpoints[0]
    prefill = incident_prefill.checkpoint_incident_prefill(rnd, visit, profile)
    assert prefill["location"] == "Stairwell"
    assert prefill["when"] == "2026-11-23 10:47"
    assert "two students vaping" in prefill["description"] and "North stairwell" in prefill["description"]

    incident = desk.store.add(Incident(occurred_at=visit.reached_at, location=prefill["location"],
                                       behavior="Drugs/Tobacco-Vaping", description=prefill["description"]))
    linked = checklist.link_checkpoint_incident(desk, rnd.id, "North stairwell", incident.id)
    assert desk.store.get(PatrolRound, rnd.id).checkpoints[0].incident_id == incident.id == linked.checkpoints[0].incident_id
    with pytest.raises(Invalid):
        checklist.link_checkpoint_incident(desk, rnd.id, "Science hall", incident.id)


@pytest.mark.parametrize(("checkpoint", "location"), [
    ("Cafeteria", "Cafeteria"), ("North stairwell", "Stairwell"), ("Library doors", "Library"),
    ("Restrooms by room 118", "Restroom"), ("Locker rooms", "Locker room"), ("Gym lobby", "Gym"),
    ("Student parking lot", "Parking lot"), ("Science hall", "Hallway"), ("Athletic field", "Playground/Field"),
    ("Courtyard", "Courtyard"),
])
def test_checkpoints_map_to_profile_locations(profile, checkpoint, location):
    assert incident_prefill.location_for(checkpoint, list(profile.locations)) == location


# ------------------------------------------------------------------ the school calendar
def test_on_a_holiday_no_door_or_patrol_is_due_and_a_standing_exception_still_shows(desk):
    """Thanksgiving break in the demo calendar: nothing is due, the patrol line says why."""
    desk.clock.set("2026-11-23 10:45")                  # a Monday: doors and patrol are due
    checklist.record_door_check(desk, "Gym east", "propped_open", "wedge in the door")
    assert checklist.unchecked_count(desk) == 6 and checklist.patrol_state(desk).status == "overdue"
    desk.clock.set("2026-11-26 10:45")                  # Thanksgiving Day
    state = checklist.patrol_state(desk)
    assert checklist.unchecked_count(desk) == 0
    assert (state.status, state.due_at, state.needs_attention) == ("off", None, False)
    assert state.text() == "no school today (Thanksgiving break)"
    assert {d.door for d in checklist.door_status(desk) if d.is_exception} == {"Gym east"}
    desk.clock.set("2026-11-28 09:00")                  # a Saturday
    assert checklist.patrol_state(desk).text() == "no school today (weekend)"
    desk.clock.set("2026-11-30 10:45")                  # Monday after the break: due again
    assert checklist.unchecked_count(desk) == 7 and checklist.patrol_state(desk).status == "overdue"


async def test_the_header_and_checklist_say_no_school_today_on_a_holiday(make_app, desk):
    from textual.widgets import Static

    from main_seed import screen_text

    desk.clock.set("2026-11-26 10:45")
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        header = str(app.screen.query_one("#status-counts", Static).render())
        assert "no school today (Thanksgiving break)" in header
        assert "to check" not in header and "patrol overdue" not in header and "patrol due" not in header
        patrol_row = next(r for r in app.screen.query_one("#checklist").rows if r.kind == "patrol_due")
        assert patrol_row.status == "no school today (Thanksgiving break)" and not patrol_row.alert
        text = screen_text(app)
        assert "doors to check" not in text and "no school today (Thanksgiving break)" in text
    async with make_app().run_test(size=(80, 24)) as pilot:       # narrow: the short form, still said
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert "no school (Thanksgiving break)" in screen_text(pilot.app)


def test_a_standing_exception_older_than_the_newest_checks_still_shows(desk, monkeypatch):
    """The start reads each door's latest check from the newest checks only (bench/: a scan per door
    cost ~0.2 s on a decade); a door checked long before them still shows its standing exception."""
    from advocate_tui.store import door_checks

    monkeypatch.setattr(door_checks, "LATEST_WALK", 3)
    desk.clock.set("2026-11-16 07:40")
    checklist.record_door_check(desk, "Bus loop", "propped_open", "cone in the door")
    checklist.record_door_check(desk, "Gym west", "secure")
    desk.clock.set("2026-11-20 07:40")
    for door in ("Main entrance", "Gym east", "Cafeteria dock", "Gym west"):
        checklist.record_door_check(desk, door, "secure")
        desk.clock.advance(minutes=2)
    desk.clock.set("2026-11-23 07:40")
    states = {d.door: d for d in checklist.door_status(desk)}
    assert states["Bus loop"].is_exception and states["Bus loop"].exception.note == "cone in the door"
    assert states["Gym west"].latest.checked_at.day == 20 and not states["Gym west"].is_exception
    assert states["Auditorium lobby"].latest is None
