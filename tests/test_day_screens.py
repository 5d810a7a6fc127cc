"""The rest of the day driven by keys on a real file: a hall sweep, a Peace Room visit, CICO, the shift report."""

from __future__ import annotations

import pytest

from advocate_tui.models.cico import CicoDay, CicoEnrolment
from advocate_tui.models.peace_room import PeaceRoomVisit
from advocate_tui.models.sweep import Sweep
from advocate_tui.services import cico, peace_room, sweeps
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


def two_earlier_sweeps(desk, clock):
    clock.set("2026-11-23 09:00")
    sweeps.log(desk, {"place": "Restroom", "students": ["S1001"]})
    clock.set("2026-11-23 10:00")
    sweeps.log(desk, {"place": "Stairwell", "students": ["S1001"]})
    clock.set("2026-11-23 10:45")


async def sweep_by_keys(pilot):
    """s: Ana Garcia (her third time) and Zo Okafor, Hallway, a pass Room 12 → Library, back to class."""
    app = pilot.app
    if True:
        await press_key(pilot, "s", "SweepForm")
        await type_text(pilot, "S1001")
        await pilot.press("enter")
        await type_text(pilot, "okaf")
        await pilot.press("enter", "enter")          # Zo Okafor added; enter on empty moves on
        await pilot.pause()
        assert "Ana Garcia: 3rd time this week" in screen_text(app)
        await pilot.press("h", "enter")               # Hallway (one key, enter moves on: the one rule), on to Pass
        await pilot.press("h", "enter")               # Has a pass (n: No pass)
        await type_text(pilot, "Room 12")
        await pilot.press("enter")
        await type_text(pilot, "Library")
        await pilot.press("enter", "b", "enter")      # sent: Back to class
        await type_text(pilot, "By the [b]gym[/b]")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen"


async def test_a_sweep_of_two_students_one_on_their_third_time(desk, make_app, clock):
    two_earlier_sweeps(desk, clock)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sweep_by_keys(pilot)
    saved = [s for s in desk.store.select(Sweep) if len(s.students) == 2]
    assert len(saved) == 1
    sweep = saved[0]
    assert sweep.place == "Hallway" and sweep.note == "By the [b]gym[/b]" and sweep.met_at == clock.now()
    assert [(s.student_id, s.has_pass, s.pass_from, s.pass_to, s.sent_to) for s in sweep.students] == [
        ("S1001", True, "Room 12", "Library", "Back to class"), ("S1003", True, "Room 12", "Library", "Back to class")]
    assert sweeps.times_this_week(desk, ["S1001", "S1003"], clock.today()) == {"S1001": 3, "S1003": 1}


async def test_the_sweep_form_warns_of_two_students_a_restorative_process_keeps_apart(desk, make_app, clock):
    from advocate_tui.models.process import Party, PartyRole
    from advocate_tui.services import processes

    processes.start(desk, "harm_circle", [Party(student_id="S1001", role=PartyRole.RESPONSIBLE, keep_apart=True),
                                          Party(student_id="S1003", role=PartyRole.HARMED)])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_key(pilot, "s", "SweepForm")
        await type_text(pilot, "S1001")
        await pilot.press("enter")
        await type_text(pilot, "okaf")
        await pilot.press("enter")                    # Zo Okafor, the harmed side
        await pilot.pause()
        assert ("Keep apart: Ana Garcia and Zo Okafor are both out (restorative process (harm circle) started "
                f"{clock.today().isoformat()}: keep apart)") in screen_text(app)
    assert desk.store.select(Sweep) == []               # a warning, nothing saved


async def test_a_peace_room_visit_from_in_to_out(desk, make_app, clock):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_key(pilot, "P", "PeaceRoomScreen")
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "lindq")
        await pilot.press("enter")                     # Marcus Lindqvist
        await type_text(pilot, "coo")                  # why: Cool down ("co" is also Conflict…)
        await pilot.press("enter")                     # only enter or tab moves on (the one rule)
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


async def test_sent_by_suggests_the_schools_staff(desk, make_app, clock):
    """"Sent by" is a staff field: "marc" offers Marcus Oyelaran from the profile, enter takes it; a name
    not on the list ("Ms. Vance" above) is kept as typed."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_key(pilot, "P", "PeaceRoomScreen")
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "lindq")
        await pilot.press("enter")
        await type_text(pilot, "coo")
        await pilot.press("enter")
        await type_text(pilot, "oyel")
        await pilot.pause()
        assert app.screen._fields["sent_by"].widget.offered() == "Marcus Oyelaran"   # offered as typed
        await pilot.press("enter")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "PeaceRoomScreen"
    [visit] = desk.store.select(PeaceRoomVisit)
    assert visit.sent_by == "Marcus Oyelaran"


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


async def test_the_whole_day_on_the_student_page_the_data_screen_and_in_the_handoff_bundle(desk, make_app, clock):
    """The issue's done-when: a sweep, a visit, a CICO day by keys; then the student page (chart included),
    the data screen's figures against counts from the database, the shift report in the handoff bundle."""
    import json

    from textual.widgets import DataTable, Static

    from advocate_tui.services import peace_room

    two_earlier_sweeps(desk, clock)
    enrolment = cico.enrol(desk, "S1005", periods=["P1", "P2"], on=clock.today().subtract(days=7))
    for day, points in (("2026-11-16", 2), ("2026-11-17", 1), ("2026-11-18", 1), ("2026-11-19", 0)):
        clock.set(f"{day} 15:00")
        cico.check_out(desk, enrolment, {(p, e): points for p in enrolment.periods for e in enrolment.expectations})
    clock.set("2026-11-23 10:45")
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await sweep_by_keys(pilot)
        await press_key(pilot, "P", "PeaceRoomScreen")
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "okaf")
        await pilot.press("enter")
        await type_text(pilot, "coo")
        await pilot.press("enter", "ctrl+s")
        await pilot.pause()
        clock.advance(minutes=10)
        await pilot.press("b", "escape")
        await pilot.pause()
        await press_key(pilot, "C", "CicoScreen")
        await pilot.press("i", "o")
        await pilot.pause()
        await pilot.press("2", "2", "2", "2", "2", "1", "ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        header = app.screen.query_one("#status").counts
        assert header.peace_room_in == 0 and header.cico_to_check_in == 0

        # the student page: the CICO chart of the last 20 school days, with today's 92 %
        await pilot.press("slash")
        await type_text(pilot, "priya")
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "StudentScreen"
        chart = str(app.screen.query_one("#student-day", Static).render())
        assert "CICO · On CICO · goal 80% · last 2 weeks 58%" in chart  # (100 + 50 + 50 + 0 + 91.7) / 5
        assert "⚑ 3 days in a row below goal" not in chart   # today's 92 % ended the run
        bars = chart.splitlines()[1]
        assert bars.startswith("10/27 ") and bars.endswith(" 11/23") and bars.split()[1].endswith("█▅▅▁·▇")  # 11/20: no card
        assert "CICO day" in screen_text(app) or any(r.students == "CICO day" for r in app.screen.rows)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("slash")
        await type_text(pilot, "okaf")
        await pilot.press("enter")
        await pilot.pause()
        text = str(app.screen.query_one("#student-day", Static).render())
        assert "Peace Room: 1 visit, 10 min out of class" in text and "Hall sweeps: 1 (1 this week)" in text
        assert {r.students for r in app.screen.rows} >= {"Sweep", "Peace Room"}
        await pilot.press("escape")
        await pilot.pause()

        # the data screen: figures against counts from the database
        await pilot.press("D")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        stats = app.screen.stats
        db = desk.store.db
        places = dict(db.execute("SELECT place, count(*) FROM sweeps WHERE voided = 0 GROUP BY place").fetchall())
        assert dict(stats.table("sweep_place").rows) == places == {"Restroom": 1, "Stairwell": 1, "Hallway": 1}
        met = db.execute("SELECT count(*) FROM sweeps, json_each(sweeps.students) WHERE voided = 0").fetchone()[0]
        assert sum(n for _, n in stats.table("sweep_sent").rows) == met == 4
        reasons = dict(db.execute("SELECT reason, count(*) FROM peace_room_visits GROUP BY reason").fetchall())
        assert dict(stats.table("peace_reason").rows) == reasons == {"Cool down": 1}
        assert dict(stats.table("peace_returned").rows) == {"Back to class": db.execute(
            "SELECT count(*) FROM peace_room_visits WHERE returned_to_class = 1").fetchone()[0]}
        assert [label.split(" (")[0] for label, _ in stats.table("cico").rows] == ["Priya Ramanathan"]
        sections = app.screen.query_one("#data-sections")
        keys = [sections.get_option_at_index(i).id for i in range(sections.option_count)]
        assert {"sweep_place", "peace_reason", "peace_period", "cico"} <= set(keys)
        await pilot.press("escape")
        await pilot.pause()

    # the shift report in the handoff bundle
    from advocate_tui.services import bundle as bs
    from advocate_tui.services import handoff as hs

    handoff = hs.sign_off(desk, "JR", "Quiet day")
    paths = bs.write_bundle(desk, handoff, desk.store.path.parent / "bundle")
    document = json.loads(paths[0].read_text("utf-8"))
    report = document["shift_report"]
    assert "## Hall sweeps (3; 4 students)" in report and "## Peace Room (1 visit)" in report
    assert "## Check-In/Check-Out (1 check-in, 1 check-out)" in report and "92%" in report
    assert bs.load_bundle(paths[0]).shift_report == report  # signed with the rest
    assert "### Hall sweeps (3; 4 students)" in paths[1].read_text("utf-8")
    assert peace_room.in_room(desk) == []


async def test_a_sweep_becomes_a_contact_note_from_its_item_view(desk, make_app):
    saved = sweeps.log(desk, {"place": "Stairwell", "students": ["S1004"], "note": "Vaping, he said no"})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        from advocate_tui.screens.forms.item import ItemScreen

        app.push_screen(ItemScreen(saved.sweep))
        await pilot.pause()
        assert "i incident · c note · R refer" in screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        assert type(app.screen).__name__ == "ContactForm"
        assert app.screen.values()["student"] == "S1004" and "Vaping, he said no" in app.screen.values()["note"]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "ItemScreen" and "Contact note" in screen_text(app)
    from advocate_tui.models import ContactNote

    [note] = desk.store.select(ContactNote)
    assert desk.store.get(Sweep, saved.sweep.id).contact_note_id == note.id
    assert note.contact_kind.value == "coaching_warning" and note.student_id == "S1004"


async def test_names_keep_their_capitals_and_one_student_is_one(desk, make_app, clock):
    """The CICO form says "New CICO enrolment" (not "New cico enrolment"), the Peace Room's "New Peace Room
    visit"; one student enrolled is "1 student", not "1 students"."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_key(pilot, "P", "PeaceRoomScreen")
        await pilot.press("n")
        await pilot.pause()
        assert "New Peace Room visit" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await press_key(pilot, "C", "CicoScreen")
        await pilot.press("n")
        await pilot.pause()
        assert "New CICO enrolment" in screen_text(app)
        await type_text(pilot, "lindq")
        await pilot.press("enter")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "CicoScreen"
        assert "1 student ·" in screen_text(app)


async def test_the_shift_report_at_80_columns_shows_each_row_whole(desk, make_app, clock):
    """At 80×24 a table of six columns cut every cell ("08…", "Min…"); a narrow screen shows each row as
    one line of the list instead: the time, the level and the note whole, the note as typed."""
    from hostile import rendered

    clock.set("2026-11-23 09:05")
    sweeps.log(desk, {"place": "Restroom", "students": ["S1001"], "note": "[b]gym[/b]"})
    peace_room.check_in(desk, {"student": "S1004", "reason": "Cool down", "sent_by": "Ms. Vance", "when": "now"})
    clock.set("2026-11-23 10:45")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press_key(pilot, "S", "ShiftReportScreen")
        await pilot.pause(0.3)                                      # the Markdown widget builds its blocks
        shown = rendered(app)
        for _ in range(8):                                          # the whole report, a page at a time
            await pilot.press("pagedown")
            await pilot.pause()
            shown += rendered(app)
        assert "09:05" in shown and "Restroom" in shown and "[b]gym[/b]" in shown and "Pass none" in shown
        assert "1 sweep (1 student)" in app.screen.text and "1 Peace Room visit," in app.screen.text
        assert "Marcus Lindqvist" in shown and "Ms. Vance" in shown and "Cool down" in shown
        assert "│" not in shown                                    # no table to cut the cells
        await pilot.resize_terminal(160, 48)
        await pilot.pause(0.3)
        await pilot.press("home")
        await pilot.pause()
        assert "│" in rendered(app)                                # wide: the tables as in the bundle
