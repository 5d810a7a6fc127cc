"""Small things a user notices, each typed and read off the screen: patrol history as text, pane cells
cut only at word edges, "due Fri" and "overdue Fri" never meaning different weeks, whole-number chart
ticks and plurals, each palette command once, the coordinator's "esc Back" only where escape goes
back, and the quit question promising a draft only where one is kept."""

from __future__ import annotations

import datetime as dt

from textual.command import CommandList
from textual.widgets import Static

from advocate_tui.app import AdvocateApp
from advocate_tui.models import (
    AttendanceFollowUp,
    AttendanceKind,
    CheckpointStatus,
    Incident,
    IncidentStudent,
    Level,
    StudentRole,
)
from advocate_tui.screens.forms import ContactForm
from advocate_tui.screens.forms.confirm import ConfirmScreen
from advocate_tui.services import checklist
from advocate_tui.services.drafts import pending_drafts

from main_seed import at, saved_at, screen_text


def cells_of(app, pane: str, key: str) -> list[str]:
    """The cells of a pane's row as drawn (a wrapped cell's lines joined by a space)."""
    table = app.screen.query_one(f"#{pane}-table")
    index = [r.key for r in app.screen.query_one(f"#{pane}").rows].index(key)
    return [" ".join(str(cell).split()) for cell in table.get_row_at(index)]


def cut_only_at_word_edges(shown: str, full: str) -> bool:
    """``shown`` is ``full``, or ``full`` cut after a whole word with '…'."""
    full = " ".join(full.split())
    if shown == full:
        return True
    kept = shown.removesuffix("…").rstrip()
    return shown.endswith("…") and full.startswith(kept) and full[len(kept):len(kept) + 1] in (" ", "")


async def test_patrol_history_reads_as_text(desk, make_app):
    rnd = checklist.start_round(desk, "North wing")
    rnd = checklist.reach_checkpoint(desk, rnd, "Science hall")
    desk.clock.advance(minutes=3)
    rnd = checklist.reach_checkpoint(desk, rnd, "North stairwell", CheckpointStatus.ISSUE, "Propped fire door")
    checklist.finish_round(desk, rnd)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        pane = app.screen.query_one("#checklist")
        while pane.current_row().key != rnd.id:
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        history = str(app.screen.query_one("#item-history", Static).visual)
        assert "{'" not in history and "checkpoint" not in history
        assert "Checkpoints + North stairwell · issue · P4 · 10:48 · Propped fire door" in history


async def test_pane_cells_wrap_and_cut_only_at_word_edges_at_160x48(desk, make_app):
    then = saved_at(desk.store, at("2026-11-16 12:05"))
    fight = then.add(Incident(
        occurred_at=at("2026-11-16 11:50"), location="Cafeteria", behavior="Physical aggression", level=Level.MAJOR,
        students=[IncidentStudent(student_id="S1004", role=StudentRole.RESPONSIBLE),
                  IncidentStudent(student_id="S1005", role=StudentRole.HARMED),
                  IncidentStudent(student_id="S1006", role=StudentRole.WITNESS)],
        follow_up_date=dt.date(2026, 11, 20)))
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        row = next(r for r in app.screen.query_one("#incidents").rows if r.key == fight.id)
        assert row.status == "Major · follow-up overdue Fri 11/20"
        _time, students, what, status = cells_of(app, "incidents", fight.id)
        assert status == row.status  # all of it, on two lines if need be (not "Major · follow-…")
        assert cut_only_at_word_edges(what, row.what)
        assert "Tomás" in students or "Tomás" in row.students_short  # the third student is named
        for cell, full in ((students, row.students), (students, row.students_short)):
            if cut_only_at_word_edges(cell, full):
                break
        else:
            raise AssertionError(f"students cut inside a word: {students!r}")


async def test_due_and_overdue_weekdays_never_mean_different_weeks(desk, make_app):
    store = saved_at(desk.store, at("2026-11-16 09:00"))
    last_week = store.add(AttendanceFollowUp(student_id="S1001", date=dt.date(2026, 11, 16),
                                             attendance_kind=AttendanceKind.TARDY, due_date=dt.date(2026, 11, 20)))
    next_week = desk.store.add(AttendanceFollowUp(student_id="S1003", date=dt.date(2026, 11, 23),
                                                  attendance_kind=AttendanceKind.TARDY, due_date=dt.date(2026, 12, 4)))
    this_week = desk.store.add(AttendanceFollowUp(student_id="S1004", date=dt.date(2026, 11, 23),
                                                  attendance_kind=AttendanceKind.TARDY, due_date=dt.date(2026, 11, 27)))
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        status = {r.key: r.status for r in app.screen.query_one("#attendance").rows}
        assert status[last_week.id] == "overdue Fri 11/20"  # last week's Friday says its date
        assert status[next_week.id] == "open · due Fri 12/4"  # so does next week's
        assert status[this_week.id] == "open · due Fri"  # this week's Friday is just "Fri"
        for record, shown in ((last_week, "overdue Fri 11/20"), (next_week, "open · due Fri 12/4"),
                              (this_week, "open · due Fri")):
            assert cells_of(app, "attendance", record.id)[-1] == shown  # as drawn, in full


async def test_data_chart_ticks_are_whole_counts_and_counts_have_their_plural(desk, make_app):
    for n, behavior in enumerate(["Defiance"] * 3 + ["Tardy"]):
        desk.store.add(Incident(occurred_at=at(f"2026-11-23 09:0{n}"), location="Gym", behavior=behavior))
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("y")  # (y is not bound on the main screen) then D, the data screen
        await pilot.press("D")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "4 incidents (0 major" in text and "0 referrals" in text and "incident(s)" not in text
        axis = next(line for line in text.splitlines() if "┴" in line or "┬" in line)
        ticks = text.splitlines()[text.splitlines().index(axis) + 1].split()
        assert [t for t in ticks if t.replace(".", "").isdigit()][:4] == ["0", "1", "2", "3"]  # not 0.0 0.8 1.5


async def test_data_labels_are_cut_at_word_edges_at_80x24(desk, make_app):
    desk.store.add(Incident(occurred_at=at("2026-11-23 09:00"), location="Gym", behavior="Technology violation"))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("D")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "Technology violation" in text  # the numbers take the chart's room: the label in full
        assert "Technolog…" not in text and "Technology vio…" not in text


async def test_each_palette_command_is_listed_once(desk, make_app):
    app = make_app()
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause(0.5)
        commands = app.screen.query_one(CommandList)
        names = [str(commands.get_option_at_index(i).prompt).split("\n")[0] for i in range(commands.option_count)]
        assert len(names) == len(set(names))
        for what in ("Lock", "Quit", "Coordinator's data", "New incident", "Door check"):
            assert sum(name.startswith(what) for name in names) == 1, (what, names)


async def test_the_coordinators_footer_offers_esc_back_only_where_escape_goes_back(desk, make_app):
    app = make_app(coordinator=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        footer = "\n".join(screen_text(app).splitlines()[-2:])  # the footer may wrap onto two lines
        assert "Accept" in footer and "Back" not in footer  # advocate --coordinator: nothing behind it
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "CoordinatorScreen"
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"coordinator view")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "CoordinatorScreen"
        assert "esc Back" in "\n".join(screen_text(app).splitlines()[-2:])
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen"


async def test_the_quit_question_promises_no_draft_for_letters_only_in_a_search(desk, make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ContactForm)
        await pilot.press(*"zo")  # letters in the student search, nothing chosen yet
        await pilot.pause(1.2)  # (longer than a draft's wait)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.query(Static).first().visual)
        assert "kept as a draft" not in question and "will be lost" in question
        await pilot.press("y")  # quit: as said, nothing is kept
        await pilot.pause()
    assert pending_drafts(desk, include_live=True) == []

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"zo")
        app.screen.query_one("#field-note").widget.focus()
        await pilot.press(*"ok")  # now something is typed in a field: that is kept
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "kept as a draft" in str(app.screen.query(Static).first().visual)
        await pilot.press("y")
        await pilot.pause()
    [draft] = pending_drafts(desk, include_live=True)  # the promise kept: the note is there to take up
    assert draft.form == "contact" and draft.data["note"] == "ok"
