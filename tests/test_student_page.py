"""`/`: find a student by a few letters, see everything on file for them, add to it from their page."""

from __future__ import annotations

import pytest

from advocate_tui.models import ContactNote, Incident

from main_seed import find, screen_text, seed_day


@pytest.fixture
def ids(desk):
    return seed_day(desk.store)


async def test_slash_finds_a_student_by_a_few_letters_and_shows_their_history(make_app, ids):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await find(pilot, "okaf")
        assert "Zo Okafor (S1003 · gr 10 · H-150)" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "StudentScreen"
        rows = app.screen.rows
        # newest first: the 09:55 referral, the 09:40 note, the 09:12 incident where she was harmed
        assert [r.key for r in rows] == [ids["referral"], ids["note"], ids["fight"]]
        assert rows[2].students == "Incident · harmed"
        text = screen_text(app)
        assert "Zo Okafor (S1003" in text and "Incident · harmed" in text and "Note · Restorative" in text
        assert "1 referral · 1 note · 1 incident" in text


async def test_namesakes_are_told_apart_and_arrows_choose(make_app, ids):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await find(pilot, "ana ga")
        text = screen_text(app)
        assert "S1001 · gr 09 · H-101" in text and "S1002 · gr 11 · H-204" in text
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen.student_id == "S1002"
        # the only record of S1002 was voided: nothing on file
        assert app.screen.rows == []
        assert "Nothing on file for this student yet" in screen_text(app)


async def test_student_number_and_history_with_roles(make_app, ids):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await find(pilot, "S1001")
        await pilot.press("enter")
        await pilot.pause()
        kinds = [r.students for r in app.screen.rows]
        assert kinds == ["Referral", "Incident · responsible"]
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen"


async def test_escape_cancels_the_search(make_app, ids):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await find(pilot, "zz")
        await pilot.press("enter")  # no match: stays, says so
        await pilot.pause()
        assert type(app.screen).__name__ == "StudentSearch"
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen"


async def test_the_search_says_when_no_one_matches_what_is_typed(make_app, ids):
    """Letters that match no student say so under the box as they are typed (the list is simply empty
    otherwise), with what was typed shown as typed; letters that match bring the keys' line back."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await find(pilot, "zq[/]")
        hint = app.screen.query_one("#student-search-hint")
        assert str(hint.render()) == 'No student matches "zq[/]" — try fewer letters or the student number'
        for _ in range(5):
            await pilot.press("backspace")
        await pilot.press(*"marc")
        await pilot.pause()
        assert "enter open" in str(hint.render()) and not hint.has_class("-none")
        assert app.screen.query_one("#student-matches").option_count == 1


async def test_add_a_note_from_the_student_page_is_prefilled(make_app, desk, ids):
    from advocate_tui.screens.forms.contact import ContactForm

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await find(pilot, "marc")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ContactForm)
        assert app.screen.values()["student"] == "S1004"
        await pilot.press("c", "h", "enter")         # kind: Check-in (the cursor starts on Kind)
        for ch in "checked in":
            await pilot.press("space" if ch == " " else ch)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "StudentScreen"
        notes = [n for n in desk.store.on_day(ContactNote, "2026-11-23") if n.student_id == "S1004"]
        assert len(notes) == 1 and (notes[0].contact_kind.value, notes[0].note) == ("check_in", "checked in")
        assert app.screen.rows[0].key == notes[0].id  # newest first, and shown on their page


async def test_add_an_incident_from_the_student_page_is_prefilled(make_app, desk, ids):
    from advocate_tui.screens.forms.incident import IncidentForm

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await find(pilot, "priya")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, IncidentForm)
        students = app.screen.values()["students"]
        assert [s["student_id"] if isinstance(s, dict) else s for s in students] == ["S1005"]
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "StudentScreen"
    assert all("S1005" not in i.student_ids() for i in desk.store.on_day(Incident, "2026-11-23"))


async def test_a_long_history_scrolls_to_its_oldest_record_and_the_summary_counts_all(make_app, desk, ids):
    """A student with years on file: the page opens on the newest rows, the summary counts every record,
    and a user going down the table reaches the oldest one (rows are built as the table shows them)."""
    import datetime as dt

    from main_seed import at

    store = desk.store
    for n in range(130):  # one check-in a school week, going back ~2.5 years
        store.add(ContactNote(student_id="S1004", at=at("2026-11-16 10:00") - dt.timedelta(days=7 * n),
                              note=f"weekly check-in number {130 - n}"))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await find(pilot, "marc")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "StudentScreen"
        total = len(screen.rows)
        assert total == 131  # the 130 notes and Friday's incident (responsible)
        assert "1 incident · 130 notes" in screen_text(app)
        table = screen.query_one("#student-history-table")
        assert table.row_count < total  # the rest come as the cursor goes down
        for _ in range(40):
            if table.cursor_row == total - 1:
                break
            await pilot.press("pagedown")  # a page at a time, as a user reads down
            await pilot.pause()
        assert table.cursor_row == total - 1 and table.row_count == total
        oldest = screen.current()
        assert oldest is not None and oldest.what == "weekly check-in number 1"
        assert "weekly check-in number 1" in screen_text(app)
        assert [r.key for r in screen.rows] == [r.id for r, _ in store.student_records("S1004")]


async def test_the_page_comes_up_with_its_rows_in_its_first_frame(make_app, ids):
    """The page is painted once, with its records: not first with an empty table (bench/: it was
    painted without its rows, then again with them, ~50 ms later on a decade's busiest student)."""
    from advocate_tui.screens.student import StudentScreen

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        first: list[str] = []
        real = app._display

        def display(screen, update) -> None:
            real(screen, update)
            if isinstance(screen, StudentScreen) and not first:
                first.append(screen_text(app))

        app._display = display
        app.push_screen(StudentScreen("S1003"))
        await pilot.pause()
        assert first, "the page was never painted"
        assert "Incident · harmed" in first[0] and "Note · Restorative" in first[0]
        assert "1 referral · 1 note · 1 incident" in first[0]
        assert first[0] == screen_text(app)  # nothing moved after: the same columns, the same rows


async def test_the_pages_footer_shows_its_keys_and_a_click_does_what_the_key_does(make_app, ids, desk):
    """The page's footer (one widget drawing every key, as the main screen's): its keys in the
    school's words, a click on one presses it (c: a note for this student; esc: back)."""
    from advocate_tui.screens.student import StudentScreen

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.push_screen(StudentScreen("S1003"))
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        for words in ("esc Back", "i Incident", "c Note", "e Amend", "x Void", "/ Find", "^l Lock", "^p palette"):
            assert words in footer, words
        await pilot.click(offset=(footer.index("c Note") + 3, 35))
        await pilot.pause()
        assert type(app.screen).__name__ == "ContactForm"
        assert "S1003" in screen_text(app)  # the note is for this student
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StudentScreen)
        await pilot.click(offset=(footer.index("esc Back") + 1, 35))
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen"
