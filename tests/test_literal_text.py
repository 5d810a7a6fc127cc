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
from advocate_tui.store import guards

from conftest import ROSTER, reopen

SIZE = (160, 48)
#: the issue's four roster names in one (each crashed a screen or vanished from a table)
ISSUE_NAMES = "Brack[/x] [link=https://example.org]Ann [redacted] [sic]"
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
    """Every cell of a pane is its row's text as typed (wrapped at word edges onto a second line, and cut
    with "…" where the column is too narrow for that)."""
    table = pane.table
    for index, row in enumerate(pane.rows):
        shown = [str(cell).replace("\n", " ") for cell in table.get_row_at(index)]
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


# --- the issue's crash: a draft with brackets, then a restart ---------------------------------------------------


async def test_a_draft_note_with_brackets_is_offered_back_after_a_restart(desk, make_app):
    from forms_helpers import type_text

    from advocate_tui.screens.forms import ContactForm, RestoreDrafts

    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
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
        async with app2.run_test(size=SIZE, notifications=True) as pilot:           # before the fix: MarkupError at start
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
        async with app.run_test(size=SIZE, notifications=True) as pilot:
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
        async with app.run_test(size=SIZE, notifications=True) as pilot:
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


async def toasts(pilot) -> list[str]:
    """The toasts on screen now, as shown."""
    from textual.widgets._toast import Toast

    await pilot.pause(0.1)
    return [str(toast.render()) for toast in pilot.app.screen.query(Toast)]


@SCREEN_SETTINGS
@given(name=hostile_names(), text=hostile_texts())
@example(name=ISSUE_NAMES, text="\x1b[31mred\x1b[0m [/] \x1b]0;pwned\x07ok [b]not bold[/b]\ttab")
def test_forms_pick_amend_and_void_with_names_and_notes_as_typed(tmp_path_factory, profile, clock, name, text):
    """The student pickers (one student, several with roles), a pasted note, an amend and a void."""
    from advocate_tui.screens.forms import ContactForm, IncidentForm
    from advocate_tui.screens.forms.void import VoidForm

    desk = fresh_desk(tmp_path_factory, profile, clock)
    ids = seed(desk, name, text)
    who = f"{name} Test"
    described = f"{who} ({SID} · gr 10 · H-1)"
    stored = desk.store.get(ContactNote, ids["note"])
    pasted = f"note {text}"
    typed = without_controls(pasted).splitlines()[0]      # a one-line field takes a paste's first line

    async def go():
        app = AdvocateApp(desk)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.pause()
            await pilot.press("i")                                   # incident: students with roles
            await pilot.pause()
            assert isinstance(app.screen, IncidentForm)
            await type_keys(pilot, SID)
            picker = app.screen.query_one("#field-students").widget
            assert text_of(picker._match_list) == f"▸ {described}"
            await pilot.press("enter")
            await pilot.pause()
            assert text_of(picker._chosen_line) == f"{described} — Involved"
            assert text_of(picker._role_line).startswith(f"Role of {who}? ")
            rendered(app)
            await pilot.press("escape", "escape", "y")               # (role prompt, then the form: discard)
            await pilot.pause()

            await pilot.press("c")                                   # a contact note, the note pasted
            await pilot.pause()
            form = app.screen
            assert isinstance(form, ContactForm)
            await type_keys(pilot, SID)
            await pilot.press("enter")
            await pilot.pause()
            assert text_of(form.query_one("#field-student").widget._chosen_line) == described
            form.query_one("#field-note").widget.focus()
            await paste(pilot, pasted)
            assert form.values()["note"] == typed                    # the visible text, every character
            rendered(app)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert not isinstance(app.screen, ContactForm)
            assert "Contact note saved" in await toasts(pilot)
            saved = [n for n in desk.store.on_day(ContactNote, TODAY) if n.id != ids["note"]]
            assert [n.note for n in saved] == [typed.strip()]
            rendered(app)

            contacts = app.screen.query_one("#contacts")
            contacts.select_key(ids["note"])
            contacts.focus_table()
            await pilot.press("e")                                   # amend the seeded note
            await pilot.pause()
            form = app.screen
            assert isinstance(form, ContactForm) and form.record.id == ids["note"]
            assert form.values()["note"] == stored.note
            assert text_of(form.query_one("#field-student").widget._chosen_line) == described
            rendered(app)                                            # a line break shows as ↵, never raw
            await pilot.press("escape")
            await pilot.pause()

            await pilot.press("x")                                   # void it, with a pasted reason
            await pilot.pause()
            assert isinstance(app.screen, VoidForm)
            summary = text_of(app.screen.query_one("#void-summary"))
            assert summary.startswith("Contact note · ") and f" · {who} · " in summary
            assert one_line(stored.note.splitlines()[0][:60]).strip() in one_line(summary)
            rendered(app)
            await paste(pilot, f"why {text}")
            await pilot.press("enter")
            await pilot.pause()
            assert "Contact note voided" in await toasts(pilot)
            voided = desk.store.get(ContactNote, ids["note"])
            assert voided.voided and voided.void_reason == without_controls(f"why {text}").splitlines()[0].strip()
            rendered(app)
    try:
        run(go())
    finally:
        desk.close()


@SCREEN_SETTINGS
@given(name=hostile_names(), text=hostile_texts())
@example(name=ISSUE_NAMES, text="Mom [/] dad split [redacted] \x1b[2J\x1b]0;pwned\x07")
def test_handoff_and_coordinator_show_names_and_notes_as_typed(tmp_path_factory, profile, clock, name, text):
    """H (the review, a hostile signer), then the coordinator's view (`--coordinator`) of the same file."""
    from advocate_tui.screens.coordinator import CoordinatorScreen
    from advocate_tui.screens.handoff import HandoffScreen

    desk = fresh_desk(tmp_path_factory, profile, clock)
    ids = seed(desk, name, text)
    who = f"{name} Test"
    reason = desk.store.get(Referral, ids["referral"]).reason

    async def go():
        app = AdvocateApp(desk)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.pause()
            await pilot.press("H")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, HandoffScreen)
            table = screen.query_one("#handoff-referrals", DataTable)
            labels = [str(c.label) for c in table.columns.values()]
            row = [str(c) for c in table.get_row_at(0)]
            assert shows(row[labels.index("Students")], one_line(f"{who} ({SID})"))
            assert shows(row[labels.index("Reason")], one_line(reason))
            detail = text_of(screen.query_one("#handoff-detail"))
            assert detail.startswith(f"{who} ({SID}) · Urgent · ") and detail.endswith(f"Reason: {reason}")
            others = text_of(screen.query_one("#handoff-others"))
            assert f"Disrespect at Hallway — {who} ({SID})" in others
            assert f"{who} ({SID}): Check-in — {reason}" in others
            rendered(app)
            screen.query_one("#handoff-signer", Input).focus()
            await paste(pilot, name)                                 # signed by a hostile name
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert f"as {name.strip()}?" in "\n".join(text_of(w) for w in app.screen.query(Static))  # asks first
            await pilot.press("y")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert f" by {name}: 1 referral handed off." in text_of(screen.query_one("#handoff-result"))
            assert "Handoff\nHandoff #1 signed" in await toasts(pilot)
            rendered(app)

        app = AdvocateApp(desk, coordinator=True)                    # advocate --coordinator
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, CoordinatorScreen)
            table = screen.query_one("#coordinator-queue", DataTable)
            labels = [str(c.label) for c in table.columns.values()]
            assert shows(str(table.get_row_at(0)[labels.index("Students")]), one_line(who))
            detail = text_of(screen.query_one("#coordinator-detail"))
            assert f"{who} ({SID} · " in detail and "Urgent" in detail and f"Reason: {reason}" in detail
            rendered(app)
            await pilot.press("f")                                   # a facilitator with a hostile name
            await pilot.pause()
            await paste(pilot, name)
            await pilot.press("enter")
            await pilot.pause()
            assert shows(str(table.get_row_at(0)[labels.index("Facilitator")]), one_line(name))
            assert f"with {name}" in text_of(screen.query_one("#coordinator-detail"))
            rendered(app)
    try:
        run(go())
    finally:
        desk.close()


@SCREEN_SETTINGS
@given(name=hostile_names())
@example(name=ISSUE_NAMES)
def test_data_screen_palette_and_export_toast_show_names_as_typed(tmp_path_factory, profile, clock, name):
    """D (the students with the most incidents, as a table and a chart), the palette's student hits,
    and the export's toast quoting a folder with brackets in its name."""
    from textual.command import CommandList

    from advocate_tui.screens.data import BarChart, DataScreen

    desk = fresh_desk(tmp_path_factory, profile, clock)
    seed(desk, name, "note")
    who = f"{name} Test"
    folder = tmp_path_factory.mktemp("exports") / "[b]exports[/b]"
    desk.extras["export_dir"] = str(folder)

    async def go():
        app = AdvocateApp(desk)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.pause()
            await pilot.press("D")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, DataScreen)
            while screen.shown != "students":
                await pilot.press("down")
                await pilot.pause()
            grid = screen.query_one("#data-table", DataTable)
            [label] = [str(grid.get_row_at(i)[0]) for i in range(grid.row_count)]
            described = f"{who} ({SID} · gr 10 · H-1)"
            assert shows(label, one_line(described))
            assert screen.query_one(BarChart).bars == [(described, 1)]
            rendered(app)                                            # the chart (plotext) and the table
            await pilot.press("e")
            await pilot.pause()
            [path] = list(folder.glob("students-*.csv"))
            assert f"CSV export\nExported to {path}" in await toasts(pilot)
            assert text_of(screen.query_one("#data-message")) == f"Exported 1 row to {path}"
            await pilot.press("escape")
            await pilot.pause()

            await pilot.press("ctrl+p")
            await pilot.pause()
            await type_keys(pilot, SID)
            await pilot.pause(0.5)
            hits = [str(o.prompt).split("\n")[0] for o in app.screen.query_one(CommandList)._options]
            assert f"Student: {who} ({SID} · gr 10 · H-1)" in hits
            rendered(app)
            await pilot.press("enter")                               # the hit opens the student's page
            await pilot.pause()
            assert text_of(app.screen.query_one("#student-who")) == f"{who} ({SID} · gr 10 · H-1)"
    try:
        run(go())
    finally:
        desk.close()


# --- a school named with brackets: header, lock screen, coordinator view ----------------------------------------


async def test_a_school_name_with_brackets_shows_as_typed_on_the_header_lock_and_coordinator(tmp_path, profile,
                                                                                             clock):
    from advocate_tui.screens.coordinator import CoordinatorScreen
    from advocate_tui.screens.lock import LockScreen
    from advocate_tui.services.security import UNLOCK_WORD

    school = "[b]Cedar[/b] Hollow [sic] School"
    named = profile.model_copy(update={"school": profile.school.model_copy(update={"name": school})})
    desk = Desk.open(tmp_path / "school.db", named, clock=clock)
    try:
        app = AdvocateApp(desk)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.pause()
            assert text_of(app.screen.query_one("#status-school")) == school
            assert school in rendered(app)
            await pilot.press("ctrl+l")
            await pilot.pause()
            assert isinstance(app.screen, LockScreen)
            assert text_of(app.screen.query_one("#lock-school")) == school and school in rendered(app)
            await type_keys(pilot, UNLOCK_WORD)
            await pilot.press("enter")
            await pilot.pause()
            assert not isinstance(app.screen, LockScreen)
        app = AdvocateApp(desk, coordinator=True)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, CoordinatorScreen)
            title = text_of(app.screen.query_one("#coordinator-title"))
            assert title.endswith(": 0 open") and "[" not in title.replace(school, "")  # short name, no markup
            screen = rendered(app)
            assert school in screen and f"advocate-tui — {school}" in screen        # the header's subtitle
    finally:
        desk.close()


# --- text stored before this fix: shown without its terminal codes -----------------------------------------------


async def test_terminal_codes_stored_by_an_earlier_version_never_reach_the_terminal(desk):
    """A database written before names refused (and notes dropped) control characters still opens,
    and every screen shows that text without the codes (what a terminal would have shown)."""
    from advocate_tui.screens.handoff import HandoffScreen

    ids = seed(desk, "Ana", "fine")
    with desk.store.transaction():              # as an earlier version wrote them (before the audit guards)
        for guard in ("students_update_audited", "contact_notes_update_audited", "referrals_update_audited"):
            desk.store.db.execute(f"DROP TRIGGER {guard}")
        desk.store.db.execute("UPDATE students SET given_name = ?, homeroom = ? WHERE local_id = ?",
                              ["\x1b]0;pwned\x07Ana\x9b31m", "H\x1b[2J-1", SID])
        desk.store.db.execute("UPDATE contact_notes SET note = ? WHERE id = ?",
                              ["\x1b[31mred\x1b[0m [/] \u202eevil\x07", ids["note"]])
        desk.store.db.execute("UPDATE referrals SET reason = ?, destination = ? WHERE id = ?",
                              ["why\x1b]8;;https://x.example\x07link\x1b]8;;\x07", "Coun\x00selor", ids["referral"]])
        guards.install_guards(desk.store.db)
    assert desk.store.student(SID).given_name == "Ana"
    assert desk.store.get(ContactNote, ids["note"]).note == "red [/] evil"
    app = AdvocateApp(desk)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        for pane in ("incidents", "contacts", "attendance", "referrals"):
            assert_pane_shows_its_rows(app.screen.query_one(f"#{pane}"))
        screen = rendered(app)
        assert "Ana Test" in screen and "Check-in · red [/] ev" in screen
        await pilot.press("slash")
        await type_keys(pilot, SID)
        assert prompts(app.screen.query_one(OptionList)) == [f"Ana Test ({SID} · gr 10 · H-1)"]
        rendered(app)
        await pilot.press("enter")
        await pilot.pause()
        assert text_of(app.screen.query_one("#student-who")) == f"Ana Test ({SID} · gr 10 · H-1)"
        rendered(app)
        await pilot.press("escape", "H")
        await pilot.pause()
        assert isinstance(app.screen, HandoffScreen)
        assert text_of(app.screen.query_one("#handoff-detail")).endswith("Reason: whylink")
        assert "Ana Test (S9001): Check-in — red [/] evil" in text_of(app.screen.query_one("#handoff-others"))
        rendered(app)


async def test_an_error_quoting_what_was_typed_shows_it_as_typed(desk, make_app):
    from advocate_tui.screens.forms import ContactForm

    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ContactForm)
        app.screen.query_one("#field-when").widget.focus_input()
        await pilot.press("left_square_bracket", "b", "right_square_bracket", "x", "left_square_bracket", "slash",
                          "right_square_bracket")
        await pilot.pause()
        parsed = text_of(app.screen.query_one("#field-when .when-parsed"))
        assert parsed.startswith('"[b]x[/]" is not a time')          # before: "[b]" made the rest bold, or a crash
        assert '"[b]x[/]" is not a time' in rendered(app)
