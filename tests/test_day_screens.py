"""The rest of the day driven by keys on a real file: a hall sweep, a Peace Room visit, CICO, the shift report."""

from __future__ import annotations

import pytest

from advocate_tui.models.cico import CicoDay, CicoEnrolment
from advocate_tui.models.peace_room import PeaceRoomVisit
from advocate_tui.models.sweep import Sweep
from advocate_tui.services import cico, sweeps
from forms_helpers import screen_text, type_text

SIZE = (120, 36)


def table_text(app, selector) -> str:
    """Every cell of a DataTable on the current screen, a row a line."""
    from textual.widgets import DataTable

    table = app.screen.query_one(selector, DataTable)
    return "\n".join(" | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count))


async def press_key(pilot, key, screen_name):
    await pilot.press(key)
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == screen_name


async def test_a_sweep_of_two_students_one_on_their_third_time(desk, make_app, clock):
    clock.set("2026-11-23 09:00")
    sweeps.log(desk, {"place": "Restroom", "students": ["S1001"]})
    clock.set("2026-11-23 10:00")
    sweeps.log(desk, {"place": "Stairwell", "students": ["S1001"]})
    clock.set("2026-11-23 10:45")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_key(pilot, "s", "SweepForm")
        await type_text(pilot, "S1001")
        await pilot.press("enter")
        await type_text(pilot, "okaf")
        await pilot.press("enter", "enter")          # Zo Okafor added; enter on empty moves on
        await pilot.pause()
        assert "Ana Garcia: 3rd time this week" in screen_text(app)
        await pilot.press("h")                        # Hallway (one key), on to Pass
        await pilot.press("h")                        # Has a pass (n: No pass)
        await type_text(pilot, "Room 12")
        await pilot.press("enter")
        await type_text(pilot, "Library")
        await pilot.press("enter", "b")               # sent: Back to class
        await type_text(pilot, "By the [b]gym[/b]")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen"
    saved = [s for s in desk.store.select(Sweep) if len(s.students) == 2]
    assert len(saved) == 1
    sweep = saved[0]
    assert sweep.place == "Hallway" and sweep.note == "By the [b]gym[/b]" and sweep.met_at == clock.now()
    assert [(s.student_id, s.has_pass, s.pass_from, s.pass_to, s.sent_to) for s in sweep.students] == [
        ("S1001", True, "Room 12", "Library", "Back to class"), ("S1003", True, "Room 12", "Library", "Back to class")]
    assert sweeps.times_this_week(desk, ["S1001", "S1003"], clock.today()) == {"S1001": 3, "S1003": 1}


async def test_a_peace_room_visit_from_in_to_out(desk, make_app, clock):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_key(pilot, "P", "PeaceRoomScreen")
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "lindq")
        await pilot.press("enter")                     # Marcus Lindqvist
        await type_text(pilot, "coo")                  # why: Cool down ("co" is also Conflict…)
        await type_text(pilot, "Ms. Vance")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "PeaceRoomScreen"
        assert "1 in now" in screen_text(app) and "Marcus Lindqvist" in table_text(app, "#room-now")
        [visit] = desk.store.select(PeaceRoomVisit)
        assert visit.in_room and visit.reason == "Cool down" and visit.sent_by == "Ms. Vance"
        assert visit.period == "P4"
        clock.advance(minutes=15)
        await pilot.press("b")                         # back to class now
        await pilot.pause()
        assert "0 in now" in screen_text(app) and "15 min out of class" in screen_text(app)
    out = desk.store.get(PeaceRoomVisit, visit.id)
    assert out.time_out == clock.now() and out.returned_to_class is True


async def test_enrol_check_in_and_check_out_one_key_per_cell(desk, make_app, clock):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_key(pilot, "C", "CicoScreen")
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "priya")
        await pilot.press("enter", "enter")            # student; goal: the school's 80
        await type_text(pilot, "P1 P2")
        await pilot.press("ctrl+s")
        await pilot.pause()
        [enrolment] = desk.store.select(CicoEnrolment)
        assert enrolment.student_id == "S1005" and enrolment.periods == ["P1", "P2"] and enrolment.goal_percent == 80
        clock.set("2026-11-23 07:55")
        await pilot.press("i")                         # the morning check-in
        await pilot.pause()
        [card] = desk.store.select(CicoDay)
        assert card.checked_in_at == clock.now() and card.has_card
        clock.set("2026-11-23 15:15")
        await pilot.press("o")
        await pilot.pause()
        assert type(app.screen).__name__ == "CicoCardScreen"
        await pilot.press("2", "2", "1", "2", "1", "0")  # P1: safe respectful responsible, then P2
        await pilot.pause()
        assert "8 of 12 points · 67% · below goal · 0 cells blank" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "CicoScreen" and "67%" in table_text(app, "#cico-table")
    card = desk.store.get(CicoDay, card.id)
    assert [(s.period, s.expectation, s.points) for s in card.scores] == [
        ("P1", "Be safe", 2), ("P1", "Be respectful", 2), ("P1", "Be responsible", 1),
        ("P2", "Be safe", 2), ("P2", "Be respectful", 1), ("P2", "Be responsible", 0)]
    assert card.checked_out_at == clock.now() and cico.roster(desk)[0].card.percent == pytest.approx(200 / 3)
