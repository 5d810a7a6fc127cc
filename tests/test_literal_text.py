"""Text from a person or a file is shown exactly as typed, on every screen, and never reaches the
terminal as a code (issue 10, section 1).

Names such as ``Brack[/x]`` or ``[link=https://example.org]Ann`` crashed the handoff screen, the
coordinator view, the ``/`` search, the student pickers and the data screen; ``[redacted]`` and
``[sic]`` vanished from tables; a draft note ``Mom [/] dad split`` crashed every later start; and a
note or name holding ``ESC ]0;…BEL`` retitled the terminal. Each screen is driven with hostile names
and notes (a few fixed hypothesis examples each, plus the issue's own), reading what the widgets
show and checking every text segment the terminal would get (:func:`hostile.rendered`).
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pendulum
from hypothesis import example, given
from hostile import MARKUP, SCREEN_SETTINGS, TERMINAL, WIDE, fits, hostile_names, hostile_texts, one_line, rendered, \
    shows
from textual import events
from textual.widgets import DataTable, Input, OptionList, Static

from advocate_tui.app import AdvocateApp
from advocate_tui.desk import Desk
from advocate_tui.models import (
    AttendanceFollowUp,
    AttendanceKind,
    ContactNote,
    Incident,
    IncidentStudent,
    Referral,
    Student,
    StudentRole,
)
from advocate_tui.models.text import without_controls
from advocate_tui.services import drafts
from advocate_tui.services import handoff as handoff_service

from conftest import ROSTER, reopen

SIZE = (160, 48)
SID = "S9001"
TZ = "America/Chicago"
TODAY = dt.date(2026, 11, 23)


def at(text: str) -> pendulum.DateTime:
    return pendulum.parse(text, tz=TZ)


def fresh_desk(tmp_path_factory, profile, clock) -> Desk:
    desk = Desk.open(tmp_path_factory.mktemp("school") / "advocate.db", profile, clock=clock)
    desk.store.upsert_students(ROSTER)
    return desk


def seed(desk: Desk, name: str, text: str) -> dict[str, str]:
    """A student named ``name`` (family name Test) and, today, one record of each kind about them
    holding ``text`` (the note flagged for the coordinator, the incident major, the referral urgent)."""
    store = desk.store
    store.upsert_students([Student(local_id=SID, given_name=name, family_name="Test", grade="10", homeroom="H-1")])
    ids = {"note": store.add(ContactNote(student_id=SID, at=at("2026-11-23 09:40"), note=text,
                                         for_coordinator=True)).id}
    ids["incident"] = store.add(Incident(occurred_at=at("2026-11-23 09:12"), location="Hallway", behavior="Disrespect",
                                         level="major", description=text, staff=[name],
                                         students=[IncidentStudent(student_id=SID, role=StudentRole.RESPONSIBLE)])).id
    ids["attendance"] = store.add(AttendanceFollowUp(student_id=SID, date=TODAY, attendance_kind=AttendanceKind.TARDY,
                                                     cause=text)).id
    ids["referral"] = store.add(Referral(referred_at=at("2026-11-23 09:55"), students=[SID], destination="Counselor",
                                         urgency="urgent", reason=text)).id
    return ids


def text_of(widget) -> str:
    """What a Static (or Label) shows, as plain text."""
    return str(widget.visual)


def cells(table: DataTable) -> list[str]:
    return [str(cell) for i in range(table.row_count) for cell in table.get_row_at(i)]


def prompts(options: OptionList) -> list[str]:
    return [str(getattr(options.get_option_at_index(i).prompt, "plain", options.get_option_at_index(i).prompt))
            for i in range(options.option_count)]


def assert_pane_shows_its_rows(pane) -> None:
    """Every cell of a pane is its row's text as typed (cut with "…" where the column is too narrow)."""
    table = pane.table
    for index, row in enumerate(pane.rows):
        shown = [str(cell) for cell in table.get_row_at(index)]
        for (_label, attr, _w), cell in zip(pane.COLUMNS, shown):
            if attr == "time":
                continue
            expected = one_line(getattr(row, attr))
            assert shows(cell, expected) or (attr == "students" and shows(cell, one_line(row.students_short))), \
                (attr, cell, expected)


async def type_keys(pilot, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])
    await pilot.pause()


async def paste(pilot, text: str) -> None:
    """Paste ``text`` as a terminal does (bracketed paste): one Paste event to the app."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


def run(coro) -> None:
    asyncio.run(coro)


# --- the crash: a draft with brackets, then a restart ---------------------------------------------------


async def test_a_draft_note_with_brackets_is_offered_back_after_a_restart(desk, make_app):
    from forms_helpers import type_text

    from advocate_tui.screens.forms import ContactForm, RestoreDrafts

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ContactForm)
        await type_text(pilot, "S1001")
        await pilot.press("enter", "tab")                      # student, then past the kind
        await pilot.pause()
        await pilot.press(*["space" if c == " " else c for c in "Mom "], "left_square_bracket", "slash",
                          "right_square_bracket", *["space" if c == " " else c for c in " dad split"])
        await pilot.pause()
        assert app.screen.values()["note"] == "Mom [/] dad split"
        await pilot.press("ctrl+q", "y")                       # quit, keeping the draft
        await pilot.pause()
    fresh = reopen(desk)
    try:
        app2 = AdvocateApp(fresh)
        async with app2.run_test(size=SIZE) as pilot:           # before the fix: MarkupError at start
            await pilot.pause()
            assert isinstance(app2.screen, RestoreDrafts)
            [line] = prompts(app2.screen.query_one(OptionList))
            assert line.endswith("· Ana Garcia · Mom [/] dad split")
            assert "Mom [/] dad split" in rendered(app2)
            await pilot.press("enter")
            await pilot.pause()
            assert app2.screen.values()["note"] == "Mom [/] dad split"
            await pilot.press("ctrl+s")
            await pilot.pause()
            contacts = app2.screen.query_one("#contacts")
            assert contacts.rows[0].what == "Check-in · Mom [/] dad split"
            assert_pane_shows_its_rows(contacts)
        [saved] = fresh.store.on_day(ContactNote, TODAY)
        assert saved.note == "Mom [/] dad split"
    finally:
        fresh.close()


@SCREEN_SETTINGS
@given(name=hostile_names(), text=hostile_texts())
@example(name="[redacted]", text="Mom [/] dad split\x1b]0;pwned\x07")
def test_any_draft_is_offered_back_as_typed(tmp_path_factory, profile, clock, name, text):
    """A draft left by a crash (typed before pastes were cleaned, so it may even hold terminal codes)."""
    from advocate_tui.screens.forms import RestoreDrafts

    desk = fresh_desk(tmp_path_factory, profile, clock)
    desk.store.upsert_students([Student(local_id=SID, given_name=name, family_name="Test")])
    drafts.save_draft(desk, "contact:new:1", "contact", {"student": SID, "note": text, "contact_kind": "check_in"})
    desk = reopen(desk)

    async def go():
        app = AdvocateApp(desk)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, RestoreDrafts)
            [line] = prompts(app.screen.query_one(OptionList))
            first = without_controls(text).splitlines()[0][:40]
            assert line.startswith("Contact note · ")
            assert f" · {name} Test" in line and line.endswith(one_line(first).strip() if first.strip() else "Test")
            screen = rendered(app)
            if fits(f"{name} Test", 30):
                assert f"{name} Test" in screen
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen.values()["note"] == without_controls(text)   # what was visible is all there
            rendered(app)
    try:
        run(go())
    finally:
        desk.close()


# --- the shift's screens with a hostile name and notes ----------------------------------------------------------


@SCREEN_SETTINGS
@given(name=hostile_names(), text=hostile_texts())
@example(name="Brack[/x]", text="Mom [/] dad split")
@example(name="[link=https://example.org]Ann", text="[@click=app.quit]Quit[/]")
@example(name="[redacted]", text="[sic] \x1b]0;pwned\x07 said so")
@example(name="[sic]", text="\x1b[31m[on red]Alarm\x1b[0m\n2nd line")
def test_main_screen_student_page_and_item_show_names_and_notes_as_typed(tmp_path_factory, profile, clock, name,
                                                                           text):
    desk = fresh_desk(tmp_path_factory, profile, clock)
    ids = seed(desk, name, text)
    who = f"{name} Test"
    note = desk.store.get(ContactNote, ids["note"]).note             # as saved: the model dropped any terminal code
    assert note == without_controls(text).strip()

    async def go():
        app = AdvocateApp(desk)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            for pane in ("incidents", "contacts", "attendance", "referrals"):
                assert_pane_shows_its_rows(app.screen.query_one(f"#{pane}"))
            screen = rendered(app)
            if fits(who, 12):
                assert who in screen                                     # [redacted] and [sic] stay visible

            await pilot.press("slash")                                   # find the student
            await type_keys(pilot, SID)
            [match] = prompts(app.screen.query_one(OptionList))
            assert match == f"{who} ({SID} · gr 10 · H-1)"
            rendered(app)
            await pilot.press("enter")
            await pilot.pause()
            page = app.screen
            assert text_of(page.query_one("#student-who")) == f"{who} ({SID} · gr 10 · H-1)"
            assert len(page.rows) == 4
            rendered(app)

            page.query_one("#student-history-table", DataTable).move_cursor(
                row=[r.key for r in page.rows].index(ids["note"]))
            await pilot.press("enter")                                   # the note, opened
            await pilot.pause()
            fields = text_of(app.screen.query_one("#item-fields"))
            assert f"{who} ({SID} · gr 10 · H-1)" in fields
            assert note in fields
            screen = rendered(app)
            if fits(note, 60) and "\n" not in note:
                assert note in screen
            await pilot.press("escape", "escape")
            await pilot.pause()
            assert app.return_code is None                               # nothing crashed, nothing quit
    try:
        run(go())
    finally:
        desk.close()
