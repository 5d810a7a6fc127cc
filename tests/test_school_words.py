"""The school's own words and dates: a UK school's demo says pupil, Year 9 and writes dates day-first on
the main screen, in a form, on the student page, in the handoff review and its Markdown; a US school's
stay as they were; the roster import keeps to the school's grade scale."""

from __future__ import annotations

import shutil

import pendulum
import pytest

from advocate_tui.clock import Clock, WhenError, parse_date
from advocate_tui.desk import Desk
from advocate_tui.models import AttendanceFollowUp, AttendanceKind
from advocate_tui.profile import ProfileError, demo_profile, parse_profile
from advocate_tui.services import bundle as bundle_service
from advocate_tui.services import handoff as handoff_service
from advocate_tui.services.roster import import_roster
from main_seed import screen_text

#: A Monday morning at the UK demo school (Europe/London), in P2.
UK_AT = "2026-11-23 10:45"


@pytest.fixture(scope="module")
def uk_demo_file(tmp_path_factory):
    """The UK demo school built once for this module (clock frozen at UK_AT)."""
    from advocate_tui.demo import build_demo
    from advocate_tui.store import Store

    profile = demo_profile(uk=True)
    clock = Clock.frozen(profile, UK_AT)
    path = tmp_path_factory.mktemp("uk") / "demo-uk.db"
    store = Store.open(path, tz=profile.school.timezone, now=clock.now)
    build_demo(store, profile, clock)
    store.close()
    return path


@pytest.fixture
def uk_desk(uk_demo_file, tmp_path):
    """A desk on a copy of the UK demo, with one attendance follow-up of Friday due Tuesday 1 December."""
    profile = demo_profile(uk=True)
    path = tmp_path / "demo-uk.db"
    shutil.copy(uk_demo_file, path)
    desk = Desk.open(path, profile, clock=Clock.frozen(profile, UK_AT), demo=True)
    pupil = next(s for s in desk.store.find_students("S10", limit=50) if s.grade == "09")
    record = desk.store.add(_chase(pupil.local_id))
    desk.extras["pupil"], desk.extras["record"] = pupil, record
    yield desk
    desk.close()


def _chase(student_id: str) -> AttendanceFollowUp:
    """Absent on Friday 20 November, to be chased by Tuesday 1 December (another week)."""
    return AttendanceFollowUp(student_id=student_id, date=pendulum.date(2026, 11, 20),
                              attendance_kind=AttendanceKind.TARDY, periods=["P1"],
                              due_date=pendulum.date(2026, 12, 1))


def _row(app, pane: str, key: str):
    return next(r for r in app.screen.query_one(f"#{pane}").rows if r.key == key)


async def test_uk_demo_main_screen_says_pupil_year_and_day_first_dates(uk_desk):
    from advocate_tui.app import AdvocateApp

    app = AdvocateApp(uk_desk)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        row = _row(app, "attendance", uk_desk.extras["record"].id)
        assert row.time == "20/11" and "due Tue 1/12" in row.status
        text = screen_text(app)
        assert "Mon 23 Nov" in text and "Pupil(s)" in text and "Student" not in text
        assert "due Tue 1/12" in text


async def test_a_us_school_keeps_month_first_dates_and_student(make_app, desk):
    record = desk.store.add(_chase("S1001"))
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        row = _row(app, "attendance", record.id)
        assert row.time == "11/20" and "due Tue 12/1" in row.status
        text = screen_text(app)
        assert "Mon Nov 23" in text and "Student(s)" in text and "Pupil" not in text


async def test_uk_form_asks_for_a_pupil_and_shows_their_year(uk_desk):
    from advocate_tui.app import AdvocateApp
    from advocate_tui.screens.forms.contact import ContactForm
    from forms_helpers import screen_text as form_text
    from forms_helpers import type_text

    pupil = uk_desk.extras["pupil"]
    app = AdvocateApp(uk_desk)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ContactForm)
        await type_text(pilot, pupil.local_id)
        text = form_text(app)
        assert "Pupil" in text and "Student" not in text
        assert f"({pupil.local_id} · Year 9 · {pupil.homeroom})" in text and "gr 09" not in text


async def test_uk_student_page_shows_year_and_day_first_dates(uk_desk):
    from advocate_tui.app import AdvocateApp
    from forms_helpers import type_text

    pupil = uk_desk.extras["pupil"]
    app = AdvocateApp(uk_desk)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        assert app.screen.query_one("Vertical").border_title == "Find a pupil"
        await type_text(pilot, pupil.local_id)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "StudentScreen"
        who = str(app.screen.query_one("#student-who").render())
        assert "Year 9" in who and "gr " not in who
        record = uk_desk.extras["record"]
        row = next(r for r in app.screen.query_one("HistoryPane").rows if r.key == record.id)
        assert row.time == "Fri 20/11"


async def test_uk_handoff_review_and_markdown_are_in_the_schools_words(uk_desk, tmp_path):
    from advocate_tui.app import AdvocateApp
    from advocate_tui.screens.handoff import HandoffScreen
    from textual.widgets import DataTable

    record = uk_desk.extras["record"]
    app = AdvocateApp(uk_desk)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("H")
        await pilot.pause()
        assert isinstance(app.screen, HandoffScreen)
        headings = [str(c.label) for c in app.screen.query_one("#handoff-referrals", DataTable).columns.values()]
        assert "Pupils" in headings and "Students" not in headings
        others = str(app.screen.query_one("#handoff-others").render())
        assert "20/11 Tardy" in others and "(due 01/12)" in others
    handoff = handoff_service.sign_off(uk_desk, "Helen Marsden", "Quiet day")
    md = next(p for p in bundle_service.write_bundle(uk_desk, handoff, tmp_path / "out") if p.suffix == ".md")
    text = md.read_text(encoding="utf-8")
    assert "— 23/11/2026 (#" in text and "| Pupils |" in text and "| Date | Pupil | Kind |" in text
    assert "| 20/11/2026 |" in text and "| 01/12/2026 |" in text
    headers = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line
               and any(w in line for w in ("| When |", "| Urgency |", "| Date |", "| Now |"))]
    assert headers and not any("Student" in line for line in headers)  # (the demo's notes may say student)
    assert "2026-11-" not in text


def test_us_handoff_markdown_keeps_iso_dates_and_student(desk, tmp_path):
    desk.store.add(_chase("S1001"))
    handoff = handoff_service.sign_off(desk, "J. Rivera")
    md = next(p for p in bundle_service.write_bundle(desk, handoff, tmp_path / "out") if p.suffix == ".md")
    text = md.read_text(encoding="utf-8")
    assert "— 2026-11-23 (#" in text and "| Date | Student | Kind |" in text and "| 2026\\-11-20 |" in text


def test_dates_are_typed_in_the_schools_order():
    uk = Clock.frozen(demo_profile(uk=True), UK_AT)
    us = Clock.frozen(demo_profile(), "2026-11-23 10:45")
    assert parse_date("1/12", uk) == pendulum.date(2026, 12, 1)
    assert parse_date("1/12", us) == pendulum.date(2026, 1, 12)
    with pytest.raises(WhenError, match="30/11"):
        parse_date("12/30", uk)  # no 30th month: the hint shows the school's order


def test_roster_import_keeps_to_the_schools_years(uk_desk, tmp_path):
    path = tmp_path / "pupils.csv"
    path.write_text("Pupil Number,Forename,Surname,Year,Form\n"
                    "P900001,Ada,Quill,Year 9,9C\n"
                    "P900002,Bo,Reed,5,5A\n"
                    "P900003,Cy,Stone,Y12,12B\n", encoding="utf-8")
    summary = import_roster(uk_desk, path, partial=True)
    assert summary.added == 2
    assert [str(r) for r in summary.rejected] == ["line 3: grade: Year 5 is outside this school's Year 7–13"]
    assert uk_desk.store.student("P900001").grade == "09" and uk_desk.store.student("P900003").grade == "12"
    assert uk_desk.store.student("P900002") is None


def test_a_profile_without_a_grade_scale_takes_any_grade(desk, tmp_path):
    path = tmp_path / "students.csv"
    path.write_text("student_id,given_name,family_name,grade\nS2001,Ada,Quill,05\nS2002,Bo,Reed,KG\n",
                    encoding="utf-8")
    summary = import_roster(desk, path, partial=True)
    assert summary.added == 2 and not summary.rejected


def test_terms_are_checked_in_one_line():
    text = demo_profile_text().replace('date_order = "day-first"', 'date_order = "sideways"')
    with pytest.raises(ProfileError) as err:
        parse_profile(text, "uk.toml")
    assert str(err.value) == "uk.toml: terms.date_order: must be 'month-first' or 'day-first', not 'sideways'"


def demo_profile_text() -> str:
    from advocate_tui.profile import DEMO_PROFILE_UK_PATH

    return DEMO_PROFILE_UK_PATH.read_text(encoding="utf-8")


def test_the_walkthrough_offers_a_uk_schools_words_in_a_uk_time_zone():
    """The first start's 'Words & dates' answer: UK in a UK time zone (US elsewhere); a UK school gets
    pupil, Year 7-13, day-first dates and the UK lists; anything but US or UK is said under the field."""
    import datetime as dt

    from advocate_tui.services import school_setup as setup

    today = dt.date(2026, 11, 23)
    assert setup.defaults(today, "America/Chicago")["words"] == "US"
    answers = setup.defaults(today, "Europe/London") | {"name": "Ashby School", "doors": "Main gate",
                                                        "zones": "Main block: Hall, Library"}
    assert answers["words"] == "UK"
    profile, problems = setup.build(answers, "5b1f4b9e-0d55-4a43-9d58-6a7d3a1c1f00")
    assert not problems and profile is not None
    assert (profile.terms.student, profile.terms.grade_scale, profile.terms.date_order) == ("pupil", "7-13", "day-first")
    assert "Corridor" in profile.locations and "Head of Year" in profile.referral_destinations
    assert "Words and dates: pupil, Year 9, 30/11 for 30 November" in setup.summary(profile, today)
    us, _ = setup.build(answers | {"words": "us"}, "5b1f4b9e-0d55-4a43-9d58-6a7d3a1c1f00")
    assert us is not None and us.terms.student == "student" and "Hallway" in us.locations
    none, problems = setup.build(answers | {"words": "FR"}, "5b1f4b9e-0d55-4a43-9d58-6a7d3a1c1f00")
    assert none is None and problems["words"] == "is US (student, grade 9, 11/23) or UK (pupil, Year 9, 23/11)"


# --- issue 12's screens and the demo's own phrases in a UK school's words -----------------------------

async def test_uk_process_board_heads_its_column_pupils(uk_desk):
    """The caseload board at 80×24 and wider: the students' column says Pupils."""
    from textual.widgets import DataTable

    from advocate_tui.app import AdvocateApp
    from advocate_tui.models.process import Party
    from advocate_tui.services import processes as process_service

    pupil = uk_desk.extras["pupil"]
    process_service.start(uk_desk, "conference", [Party(student_id=pupil.local_id, role="responsible")])
    for size in ((80, 24), (120, 36)):
        app = AdvocateApp(uk_desk)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.press("b")
            await pilot.pause()
            board = app.screen.query_one("#board", DataTable)
            headings = [str(c.label) for c in board.columns.values()]
            assert any(h.startswith("Pupils") for h in headings), headings
            assert not any("Student" in h for h in headings), headings


async def test_uk_coordinator_detail_writes_the_reopened_date_day_first(uk_desk):
    from advocate_tui.app import AdvocateApp
    from advocate_tui.models import ReferralOutcome
    from advocate_tui.services import coordinator as coordinator_service

    ref = next(r for r in coordinator_service.queue(uk_desk) if r.status.value == "handed_off")
    coordinator_service.close(uk_desk, ref.id, ReferralOutcome.NO_FURTHER_ACTION)
    coordinator_service.reopen(uk_desk, ref.id, "Closed the wrong one")
    app = AdvocateApp(uk_desk, coordinator=True)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        table = app.screen._table()
        table.move_cursor(row=table.get_row_index(ref.id), animate=False)
        await pilot.pause()
        detail = str(app.screen.query_one("#coordinator-detail").content)
        assert "Reopened 23/11 10:45 by" in detail, detail


async def test_uk_data_screen_titles_say_pupils(uk_desk):
    from advocate_tui.app import AdvocateApp

    app = AdvocateApp(uk_desk)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("D")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        sections = app.screen.query_one("#data-sections")
        titles = [str(sections.get_option_at_index(i).prompt) for i in range(sections.option_count)]
        assert any("Pupils with the most incidents" in t for t in titles), titles
        assert not any("tudent" in t for t in titles), titles
        app.screen.show_table("students")
        await pilot.pause()
        assert "Pupils with the most incidents" in str(app.screen.query_one("#data-table-title").render())
        assert [str(c.label) for c in app.screen.query_one("#data-table").columns.values()][0] == "pupil"


def test_uk_demo_phrases_say_pupil(uk_desk):
    """The notes and reasons the demo writes say pupil where the US demo says student."""
    db = uk_desk.store.db
    texts = [r[0] for r in db.execute(
        "SELECT reason FROM referrals UNION ALL SELECT note FROM contact_notes UNION ALL SELECT description FROM incidents "
        "UNION ALL SELECT note FROM attendance_followups UNION ALL SELECT outcome_note FROM referrals").fetchall() if r[0]]
    assert any("Pupil" in t or "pupil" in t for t in texts)
    import re

    assert not [t for t in texts if re.search(r"\b[Ss]tudents?\b", t)]


def test_uk_demo_writes_its_phrases_in_uk_words(uk_demo_file):
    """Every text the UK demo wrote (notes, agreements' items, places, reasons) says canteen, corridor and
    school counsellor: no US "cafeteria", "counselor", "hallway" or "restroom" is left in the file."""
    from advocate_tui.store import Store

    profile = demo_profile(uk=True)
    store = Store.open(uk_demo_file, tz=profile.school.timezone, now=Clock.frozen(profile, UK_AT).now)
    try:
        us_words = ("cafeteria", "counselor", "hallway", "restroom")
        found, canteen = [], 0
        for table in store.db.table_names():
            columns = [c[1] for c in store.db.execute(f"PRAGMA table_info([{table}])").fetchall()
                       if (c[2] or "").upper() == "TEXT"]
            for column in columns:
                for (value,) in store.db.execute(f"SELECT [{column}] FROM [{table}] WHERE [{column}] IS NOT NULL"):
                    text = str(value).casefold()
                    found += [f"{table}.{column}: {w}" for w in us_words if w in text]
                    canteen += "canteen" in text
        assert not found, found[:5]
        assert canteen >= 2  # the reparation item's work and site, and incidents at lunch
    finally:
        store.close()


def test_a_desk_given_another_profile_speaks_its_words_at_once(desk):
    # (the desk keeps its words between rows: a profile given to it, as the roster import gives one, is read again)
    assert (desk.words.student, desk.words.day_first) == ("student", False)
    desk.profile = demo_profile(uk=True)
    assert (desk.words.student, desk.words.day_first) == ("pupil", True)
