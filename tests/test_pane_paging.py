"""A pane with more rows than its first page (a school with years of follow-ups still due): the first
screen reads only the first rows, the summary still counts the whole page, and moving down (down,
pagedown, end) reaches every row of the page, in the page's order, each once; a quick-logged row goes
into its place; a read again (a minute's tick, another desk's save) keeps the rows read and the cursor."""

from __future__ import annotations

import datetime as dt

from advocate_tui.models import ContactKind, ContactNote, Incident, IncidentStudent, Level
from advocate_tui.services import rows as rows_service
from advocate_tui.services import today
from advocate_tui.widgets.pane import Pane

from main_seed import at, saved_at
from test_main_screen import quick_log, table_order

#: carried-over incidents: more than the first page and the next read after it (FIRST_PAGE + READ_MORE)
CARRIED = 160
#: today's incidents (read in full at a start: they come first)
TODAYS = 2


def _seed(desk) -> list[str]:
    """Today's incidents, then ``CARRIED`` earlier ones whose follow-ups are due (every 7th major), saved
    before today (not logged late); the page's keys as the service reads the whole page."""
    friday = saved_at(desk.store, at("2026-11-20 15:30"))
    for n in range(CARRIED):
        when = at("2026-06-01 09:00").add(days=n)
        friday.add(Incident(occurred_at=when, location="Gym", behavior="Defiance",
                            level=Level.MAJOR if n % 7 == 0 else Level.MINOR,
                            students=[IncidentStudent(student_id=("S1001", "S1003", "S1004")[n % 3])],
                            description=f"carried {n}", follow_up_date=when.date() + dt.timedelta(days=15)))
    for n in range(TODAYS):
        desk.store.add(Incident(occurred_at=at("2026-11-23 08:00").add(hours=n), location="Hall", behavior="Tardy",
                                students=[IncidentStudent(student_id="S1004")], description=f"today {n}"))
    return [r.key for r in today.pane_rows(desk, "incidents")]


def _summary(app) -> str:
    return app.screen.query_one("#incidents", Pane).summary(app.screen.query_one("#incidents", Pane).rows)


MAJOR = sum(1 for n in range(CARRIED) if n % 7 == 0)


def test_the_first_page_starts_the_whole_page_and_counts_the_rest(desk):
    """The service: the first rows read are the first rows of the whole page, in its order (today's, then
    the latest due first), and what is not read is counted as the whole page would show it."""
    page = _seed(desk)
    assert len(page) == TODAYS + CARRIED
    full = today.pane_rows(desk, "incidents")
    due = [r.record.follow_up_date for r in full[TODAYS:]]
    assert due == sorted(due, reverse=True)  # the latest due first
    first = today.load(desk).panes["incidents"]
    assert [r.key for r in first] == page[:rows_service.FIRST_PAGE]
    rest = full[len(first):]
    assert first.unread == len(rest) == TODAYS + CARRIED - rows_service.FIRST_PAGE
    assert first.tally == {"carried": len(rest), "due": len(rest), "alert": sum(r.alert for r in rest)}
    more = first.read(120)
    assert [r.key for r in more] == page[:120] and more.unread == len(page) - 120
    whole = first.read(None)
    assert [r.key for r in whole] == page and whole.unread == 0


async def test_down_reaches_every_row_of_the_page_in_order_and_the_summary_counts_them_all(desk, make_app):
    page = _seed(desk)
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one("#incidents", Pane)
        assert [r.key for r in pane.rows] == page[:rows_service.FIRST_PAGE]  # only the first page read
        assert table_order(pane) == page[:rows_service.FIRST_PAGE]
        summary = f"{TODAYS} today · {CARRIED} carried over · {MAJOR} major"
        assert _summary(app) == summary and summary in str(pane.border_subtitle)
        for _ in range(len(page) - 1):
            await pilot.press("down")
        await pilot.pause()
        assert table_order(pane) == page  # every row, in order, each once
        assert pane.current_key() == page[-1]
        assert _summary(app) == summary  # the same counts, now from the rows themselves
        assert pane.rest() == (0, {})


async def test_end_and_pagedown_reach_the_last_row(desk, make_app):
    page = _seed(desk)
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one("#incidents", Pane)
        await pilot.press("end")
        await pilot.pause()
        assert pane.current_key() == page[-1] and table_order(pane) == page
        await pilot.press("home")
        await pilot.pause()
        assert pane.current_key() == page[0]
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one("#incidents", Pane)
        seen = [pane.current_key()]
        for _ in range(len(page)):
            await pilot.press("pagedown")
            await pilot.pause()
            if pane.current_key() == seen[-1]:
                break
            seen.append(pane.current_key())
        assert seen[-1] == page[-1]
        assert [page.index(k) for k in seen] == sorted(page.index(k) for k in seen)  # always further down
        assert table_order(pane) == page


async def test_a_quick_logged_row_goes_into_its_place_in_a_pane_read_in_part(desk, make_app):
    page = _seed(desk)
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one("#incidents", Pane)
        await quick_log(pilot, "ana", "threw a chair")
        newest = next(i for i in desk.store.on_day(Incident, "2026-11-23") if i.description == "threw a chair")
        assert table_order(pane)[:3] == [newest.id, *page[:2]]  # today's, newest first, before the carried
        assert pane.current_key() == newest.id
        assert _summary(app) == f"{TODAYS + 1} today · {CARRIED} carried over · {MAJOR} major"
        await pilot.press("end")
        await pilot.pause()
        assert table_order(pane) == [newest.id, *page] == [r.key for r in today.pane_rows(desk, "incidents")]


async def test_a_read_again_keeps_the_rows_read_and_the_cursor(desk, make_app):
    page = _seed(desk)
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one("#incidents", Pane)
        for _ in range(120):
            await pilot.press("down")
        await pilot.pause()
        assert pane.current_key() == page[120]
        table = pane.table
        app.screen.reload()  # a minute's tick, another desk's save: nothing changed
        await pilot.pause()
        assert pane.current_key() == page[120] and pane.table is table
        assert table_order(pane)[:121] == page[:121]
        # a record among the rows read is voided (another desk): the pane shows the page as it is now
        desk.store.void(Incident, page[60], "entered twice")
        app.screen.reload()
        await pilot.pause()
        assert page[60] not in table_order(pane)
        assert pane.current_key() == page[120]
        await pilot.press("end")
        await pilot.pause()
        assert table_order(pane) == [k for k in page if k != page[60]]


def test_carried_contact_notes_are_counted_as_due(desk):
    friday = saved_at(desk.store, at("2026-11-20 15:30"))
    for n in range(70):
        when = at("2026-08-01 10:00").add(days=n)
        friday.add(ContactNote(at=when, student_id="S1003", contact_kind=ContactKind.CHECK_IN, note=f"note {n}",
                               follow_up_date=when.date() + dt.timedelta(days=10)))
    full = today.pane_rows(desk, "contacts")
    first = today.load(desk).panes["contacts"]
    assert [r.key for r in first] == [r.key for r in full[:len(first)]] and len(first) == rows_service.FIRST_PAGE
    assert first.tally == {"carried": 20, "due": 20}


async def test_open_attendance_of_earlier_days_is_read_in_part_and_counted_whole(desk, make_app):
    """Attendance follow-ups still open from earlier days (some due later, not overdue): the first page,
    the summary's open count for the whole page, and end reaches the last, in the page's order."""
    from advocate_tui.models import AttendanceFollowUp, AttendanceKind

    for n in range(80):
        day = dt.date(2026, 9, 1) + dt.timedelta(days=n)
        desk.store.add(AttendanceFollowUp(student_id="S1001", date=day, attendance_kind=AttendanceKind.TARDY,
                                          due_date=dt.date(2026, 11, 30) if n % 4 == 0 else None))
    page = [r.key for r in today.pane_rows(desk, "attendance")]
    first = today.load(desk).panes["attendance"]
    assert [r.key for r in first] == page[:rows_service.FIRST_PAGE]
    rest = today.pane_rows(desk, "attendance")[len(first):]
    assert first.tally == {"carried": 30, "open": 30, "alert": sum(r.alert for r in rest)}
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one("#attendance", Pane)
        assert pane.summary(pane.rows) == "0 today · 80 carried over · 80 open"
        pane.focus_table()
        await pilot.press("end")
        await pilot.pause()
        assert table_order(pane) == page and pane.current_key() == page[-1]


async def test_a_tall_pane_is_filled_from_its_first_frame(desk, make_app):
    """A terminal taller than the first page: the pane reads on until its rows fill it."""
    page = _seed(desk)
    app = make_app()
    async with app.run_test(size=(160, 160)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one("#incidents", Pane)
        shown = table_order(pane)
        assert pane.table.size.height > rows_service.FIRST_PAGE
        assert len(shown) >= pane.table.size.height - pane.table.header_height and shown == page[:len(shown)]
