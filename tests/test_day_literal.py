"""Hostile names and notes through the rest of the day's screens: the sweep form's notes line, the Peace
Room, CICO (list and card), the shift report and the student page show them as typed, never as markup,
and never hand the terminal a code (tests/hostile.py)."""

from __future__ import annotations

import asyncio

from hypothesis import example, given
from hostile import SCREEN_SETTINGS, fits, hostile_names, hostile_texts, one_line, rendered

from advocate_tui.app import AdvocateApp
from advocate_tui.desk import Desk
from advocate_tui.models import Incident, IncidentAction, IncidentStudent, Student
from advocate_tui.services import cico, peace_room, sweeps
from conftest import ROSTER

SID = "S9001"


def seeded(tmp_path_factory, profile, clock, name: str, text: str) -> Desk:
    desk = Desk.open(tmp_path_factory.mktemp("school") / "advocate.db", profile, clock=clock)
    desk.store.upsert_students([*ROSTER, Student(local_id=SID, given_name=name, family_name="Test", grade="10")])
    desk.store.add(Incident(occurred_at=clock.now().subtract(days=1), location="Gym", behavior="Fighting",
                            actions=[IncidentAction.KEEP_APART],
                            students=[IncidentStudent(student_id=SID), IncidentStudent(student_id="S1001")]))
    sweeps.log(desk, {"place": "Hallway", "students": [SID, "S1001"], "note": text, "has_pass": True,
                      "pass_from": name, "pass_to": name, "when": "-20m"})
    peace_room.check_in(desk, {"student": SID, "reason": "Cool down", "sent_by": name, "note": text, "when": "-10m"})
    enrolment = cico.enrol(desk, SID, mentor=name)
    cico.check_out(desk, enrolment, {(p, e): 1 for p in enrolment.periods[:2] for e in enrolment.expectations},
                   comment=text)
    return desk


@SCREEN_SETTINGS
@given(name=hostile_names(), text=hostile_texts())
@example(name="Brack[/x]", text="[b]Bold[/b] claim \x1b]0;pwned\x07")
@example(name="[redacted]", text="[@click=app.quit]Quit[/]\nline two")
def test_the_days_screens_show_names_and_notes_as_typed(tmp_path_factory, profile, clock, name, text):
    desk = seeded(tmp_path_factory, profile, clock, name, text)
    who = one_line(f"{name} Test")

    async def go():
        app = AdvocateApp(desk)
        async with app.run_test(size=(160, 48), notifications=True) as pilot:
            await pilot.pause()
            for key, screen_name in (("P", "PeaceRoomScreen"), ("C", "CicoScreen"), ("S", "ShiftReportScreen")):
                await pilot.press(key)
                await pilot.pause()
                assert type(app.screen).__name__ == screen_name
                shown = rendered(app)
                if fits(who, 30):
                    assert who in shown, screen_name
                if screen_name == "ShiftReportScreen":  # the Markdown as rendered: the note as typed
                    note = one_line(text)
                    if fits(note, 20) and "\\" not in note:
                        assert note in shown
                if screen_name == "CicoScreen":
                    await pilot.press("o")                                  # the card's grid
                    await pilot.pause()
                    rendered(app)
                    await pilot.press("escape")
                    await pilot.pause()
                await pilot.press("escape")
                await pilot.pause()
            await pilot.press("s")                                          # the sweep form's notes line
            await pilot.pause()
            await pilot.press(*list("S9001"))
            await pilot.press("enter")
            await pilot.press(*list("S1001"))
            await pilot.press("enter")
            await pilot.pause()
            notes = str(app.screen.query_one("#sweep-notes").render())
            assert "Keep apart:" in notes and "Fighting" in notes
            rendered(app)
            await pilot.press("escape")
            await pilot.pause()
            if type(app.screen).__name__ == "ConfirmScreen":
                await pilot.press("y")
                await pilot.pause()
            await pilot.press("slash", *list(SID))
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            assert type(app.screen).__name__ == "StudentScreen"
            page = str(app.screen.query_one("#student-day").render())
            assert "Peace Room: 1 visit" in page and "CICO · On CICO" in page
            rendered(app)
            assert app.return_code is None
    try:
        asyncio.run(go())
    finally:
        desk.close()
