"""Every item has an end: follow-ups done or dismissed, attendance resolved, door exceptions cleared or
made incidents, by the keys an advocate types, checked on screen and in the database."""

from __future__ import annotations

import datetime as dt
import re

from advocate_tui.models import (
    AttendanceFollowUp,
    AttendanceKind,
    AuditAction,
    ContactKind,
    ContactNote,
    DoorCheck,
    DoorStatus,
    FollowUpEnd,
    FollowUpStatus,
    Incident,
    IncidentStudent,
    StudentRole,
)
from advocate_tui.screens.forms.door import DoorCheckForm
from advocate_tui.screens.forms.end import EndForm
from advocate_tui.screens.forms.incident import IncidentForm
from advocate_tui.services import checklist

from main_seed import at, saved_at, screen_text

SIZE = (160, 48)


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


def old_incident(desk, *, occurred: str = "2026-11-09 13:15", due: dt.date = dt.date(2026, 11, 11)) -> Incident:
    """An incident of two weeks ago whose follow-up fell due 12 days ago and was never ended."""
    then = saved_at(desk.store, at(occurred).add(minutes=20))
    return then.add(Incident(occurred_at=at(occurred), location="Gym", behavior="Physical contact",
                             students=[IncidentStudent(student_id="S1004", role=StudentRole.RESPONSIBLE)],
                             description="Shoving in line", follow_up_date=due))


def shown_row(app, pane: str, index: int) -> str:
    """A pane's row as drawn: its cells' text (wrapped lines joined) in one line."""
    cells = app.screen.query_one(f"#{pane}-table").get_row_at(index)
    return " ".join(" ".join(cell.plain.split()) for cell in cells)


def pane_rows(app, name: str):
    return app.screen.query_one(f"#{name}").rows


async def test_an_overdue_incident_follow_up_stays_on_screen_until_it_is_done_in_three_keys(make_app, desk):
    incident = old_incident(desk)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        [row] = pane_rows(app, "incidents")  # 12 days overdue: still there (it used to drop off after 7)
        assert row.key == incident.id and row.carried
        assert "follow-up overdue Wed 11/11" in row.status
        assert "follow-up overdue Wed 11/11" in shown_row(app, "incidents", 0)

        keys = ["1", "o"]  # select the row (pane 1, first row), one key ...
        await pilot.press(*keys)
        await pilot.pause()
        assert isinstance(app.screen, EndForm)
        assert "Physical contact" in screen_text(app) and "enter done" in screen_text(app)
        await type_text(pilot, "Apologised to the peer; mediation held")  # ... type the outcome ...
        await pilot.press("enter")  # ... enter
        keys.append("enter")
        await pilot.pause()
        assert len(keys) <= 3
        assert not isinstance(app.screen, EndForm)
        assert incident.id not in [r.key for r in pane_rows(app, "incidents")]

    saved = desk.store.get(Incident, incident.id)
    assert saved.follow_up_end is FollowUpEnd.DONE
    assert saved.follow_up_note == "Apologised to the peer; mediation held"
    assert saved.follow_up_ended_at == desk.clock.now()
    assert not saved.amended  # a change of status, with its history, not an amendment
    last = desk.store.history(incident.id)[-1]
    assert last.action is AuditAction.STATUS and last.note.startswith("follow-up done")
    assert last.before["follow_up_end"] is None and last.after["follow_up_end"] == "done"


async def test_a_contact_follow_up_is_dismissed_with_a_reason_and_today_shows_how_it_ended(make_app, desk):
    note = desk.store.add(ContactNote(student_id="S1006", at=at("2026-11-23 08:05"),
                                      contact_kind=ContactKind.CAREGIVER_CALL, note="Left a voicemail",
                                      follow_up_date=dt.date(2026, 11, 23)))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3", "o")
        await pilot.pause()
        await type_text(pilot, "Grandma called back")
        await pilot.press("ctrl+d")  # dismissed: the line says why
        await pilot.pause()
        assert not isinstance(app.screen, EndForm)
        [row] = pane_rows(app, "contacts")  # today's note stays, saying how its follow-up ended
        assert "follow-up dismissed" in row.status and "due" not in row.status
        await pilot.press("enter")  # the note itself: the line is the reason it was dismissed
        await pilot.pause()
        text = screen_text(app)
        assert type(app.screen).__name__ == "ItemScreen"
        assert re.search(r"Reason +Grandma called back", text) and not re.search(r"Outcome +Grandma", text)
    saved = desk.store.get(ContactNote, note.id)
    assert (saved.follow_up_end, saved.follow_up_note) == (FollowUpEnd.DISMISSED, "Grandma called back")
    assert not saved.amended and desk.store.history(note.id)[-1].action is AuditAction.STATUS


async def test_an_end_needs_its_outcome_and_keeps_nothing_half_done(make_app, desk):
    incident = old_incident(desk)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1", "o", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EndForm)
        assert "Outcome is required" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, EndForm)
        assert incident.id in [r.key for r in pane_rows(app, "incidents")]
    assert desk.store.get(Incident, incident.id).follow_up_end is None


async def test_o_is_offered_only_on_a_row_with_something_to_end(make_app, desk):
    desk.store.add(Incident(occurred_at=at("2026-11-23 09:00"), location="Gym", behavior="Disruption"))
    old_incident(desk)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert "Done" not in screen_text(app).splitlines()[-1]  # today's incident: no follow-up to end
        await pilot.press("o")
        await pilot.pause()
        assert not isinstance(app.screen, EndForm)
        await pilot.press("down")
        await pilot.pause()
        assert "Done" in screen_text(app).splitlines()[-1]  # the overdue one: the footer offers o


async def test_resolving_attendance_is_its_own_three_key_action_not_an_amendment(make_app, desk):
    follow_up = saved_at(desk.store, at("2026-11-20 11:00")).add(AttendanceFollowUp(
        student_id="S1006", date=dt.date(2026, 11, 20), attendance_kind=AttendanceKind.ABSENT_UNEXCUSED,
        periods=["P1", "P2"], cause="Unknown"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        [row] = pane_rows(app, "attendance")
        assert "overdue" in row.status
        keys = ["4", "o", "enter"]  # pane 4 (first row), o, the outcome, enter
        await pilot.press(*keys[:2])
        await pilot.pause()
        assert isinstance(app.screen, EndForm) and "enter resolved" in screen_text(app)
        await type_text(pilot, "Doctor's note brought in")
        await pilot.press(keys[2])
        await pilot.pause()
        assert len(keys) <= 3 and not isinstance(app.screen, EndForm)
        assert follow_up.id not in [r.key for r in pane_rows(app, "attendance")]
        assert app.screen.query_one("#status").counts.attendance_due == 0
    saved = desk.store.get(AttendanceFollowUp, follow_up.id)
    assert saved.status is FollowUpStatus.RESOLVED and saved.resolution == "Doctor's note brought in"
    assert saved.resolved_at == desk.clock.now() and saved.cause == "Unknown"
    assert not saved.amended  # recorded as a resolution, not as "amended"
    last = desk.store.history(follow_up.id)[-1]
    assert last.action is AuditAction.STATUS and last.after["status"] == "resolved"


async def test_the_item_view_ends_a_follow_up_too_and_its_history_reads_as_text(make_app, desk):
    incident = old_incident(desk)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1", "enter")
        await pilot.pause()
        assert "o done / dismissed" in screen_text(app)
        await pilot.press("o")
        await pilot.pause()
        await type_text(pilot, "Talked it through")
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert type(app.screen).__name__ == "ItemScreen"
        assert "status changed" in text and "Follow-up ended — → done" in text and "Talked it through" in text
        assert "o done" not in text
    assert desk.store.get(Incident, incident.id).follow_up_end is FollowUpEnd.DONE


# ------------------------------------------------------------------ doors
async def test_a_door_exception_offers_an_incident_with_the_place_filled_and_linked(make_app, desk):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("d", "n")  # Gym east
        await pilot.press("p")  # propped open
        await type_text(pilot, "wedged with a chair")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DoorCheckForm)  # saved, and the form offers an incident
        [check] = desk.store.select(DoorCheck)
        assert check.status is DoorStatus.PROPPED_OPEN and check.incident_id is None
        assert "new incident from this exception" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, IncidentForm)
        values = form.values()
        assert values["location"] == "Gym" and "Gym east door found propped open: wedged with a chair" in values["description"]
        await pilot.press(*"marc", "enter", "r", "enter")  # Marcus, responsible
        await pilot.press(*"tard", "enter")  # the behaviour
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, (IncidentForm, DoorCheckForm))
    [incident] = desk.store.select(Incident)
    assert incident.location == "Gym" and incident.occurred_at == check.checked_at
    linked = desk.store.get(DoorCheck, check.id)
    assert linked.incident_id == incident.id and not linked.amended
    assert desk.store.history(check.id)[-1].action is AuditAction.STATUS


async def test_a_door_exception_closes_with_enter_when_no_incident_is_wanted(make_app, desk):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d", "a")
        await type_text(pilot, "alarm sounding")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DoorCheckForm)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, DoorCheckForm)
    [check] = desk.store.select(DoorCheck)
    assert check.status is DoorStatus.ALARM and check.incident_id is None and desk.store.select(Incident) == []


async def test_a_door_exception_is_cleared_from_the_pane_with_a_note(make_app, desk):
    checklist.record_door_check(desk, "Gym east", "propped_open", "wedge under the door")
    desk.clock.advance(minutes=20)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("2")
        pane = app.screen.query_one("#checklist")
        while pane.current_row().door != "Gym east":
            await pilot.press("down")
        assert pane.current_row().alert
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, EndForm) and "enter cleared" in screen_text(app)
        assert "a new check of this door, secure" in screen_text(app)  # what happens, not "a change of status"
        assert "the record itself stays" not in screen_text(app)
        await type_text(pilot, "wedge removed")
        await pilot.press("enter")
        await pilot.pause()
        row = next(r for r in pane.rows if r.door == "Gym east")
        assert not row.alert and "cleared: wedge removed" in row.status
        assert app.screen.query_one("#status").counts.door_exceptions == 0
    latest = checklist.door_state(desk, "Gym east").latest
    assert (latest.status, latest.note) == (DoorStatus.SECURE, "cleared: wedge removed")
    propped = next(c for c in desk.store.select(DoorCheck) if c.status is DoorStatus.PROPPED_OPEN)
    assert propped.note == "wedge under the door" and not propped.amended  # the exception stays as found


async def test_next_day_d_starts_with_the_door_left_unsecured(make_app, desk):
    yesterday = saved_at(desk.store, at("2026-11-22 15:40"))
    for door in desk.profile.doors:
        status = DoorStatus.UNSECURED if door == "Cafeteria dock" else DoorStatus.SECURE
        yesterday.add(DoorCheck(door=door, checked_at=at("2026-11-22 15:35"), status=status,
                                note="latch taped open" if status is DoorStatus.UNSECURED else ""))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DoorCheckForm)
        assert app.screen.current_door == "Cafeteria dock"  # not Main entrance, the first in the profile
        assert "Unsecured since Sun 11/22 15:35: latch taped open" in screen_text(app)
        await pilot.press("s")
        await pilot.pause()
        [today] = desk.store.on_day(DoorCheck, "2026-11-23")  # the unsecured door is the one found secure
        assert (today.door, today.status) == ("Cafeteria dock", DoorStatus.SECURE)
        await pilot.press("d")
        await pilot.pause()
        assert app.screen.current_door == "Main entrance"  # then the others, in the profile's order


async def test_a_student_s_page_shows_how_their_follow_ups_ended(make_app, desk):
    """An incident's and a note's follow-ups ended on the main screen: the student's page says
    "follow-up done", as the panes do, not "overdue" or "due today" still."""
    from advocate_tui.screens.student import StudentScreen

    old_incident(desk)  # S1004, overdue since Wed 11/11
    desk.store.add(ContactNote(student_id="S1004", at=at("2026-11-23 08:05"), contact_kind=ContactKind.CHECK_IN,
                               note="Came by the desk", follow_up_date=dt.date(2026, 11, 23)))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for pane in ("1", "3"):
            await pilot.press(pane, "o")
            await pilot.pause()
            await type_text(pilot, "talked it through")
            await pilot.press("enter")
            await pilot.pause()
        app.push_screen(StudentScreen("S1004"))
        await pilot.pause()
        text = screen_text(app)
        assert "Shoving in line" in text and "Came by the desk" in text
        assert text.count("follow-up done") == 2, text
        assert "overdue" not in text and "due today" not in text
