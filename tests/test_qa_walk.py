"""What a new advocate ran into on a walk through the demo in tmux (80x24 and 160x48), each typed and read
off the screen (or the database): wide (CJK) text cut by screen cells; the Peace Room's minutes named
apart and its counts whole; a roster import held up by a busy database; punctuation in the `/` search;
the palette and F1 help; a busy day's header counts; a kept handoff summary and keys typed in one burst
(handoff, process dialogs); the demo's coordinator view; process kinds and dates said in their dialogs;
cancelling an amend; the coordinator's and the board's cut columns."""

from __future__ import annotations

from rich.cells import cell_len

from advocate_tui.models import ContactNote

from main_seed import at, find, screen_text, seed_day


async def test_wide_text_is_cut_by_screen_cells_with_no_gap_before_the_ellipsis(make_app, desk):
    """A note in Chinese (two cells a character, no spaces between words) on the student page at 80
    columns: each line of its cell fits the column, ends right after the last character it keeps,
    and no line is cut short of room it had (a cut by character count overflowed the column and left
    '你好 …'; a break only at spaces left the first line at "[/]" and the rest of it empty)."""
    seed_day(desk.store)
    wide = "[/] " + "王小明和李华在走廊里争吵然后老师把他们带到和平室谈话" * 2
    desk.store.add(ContactNote(student_id="S1003", at=at("2026-11-23 10:30"), note=wide))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await find(pilot, "okaf")
        await pilot.press("enter")
        await pilot.pause()
        table = app.screen.query_one("#student-history-table")
        column = [c for c in table.columns.values() if str(c.label) == "What"][0]
        cell = str(table.get_row_at(0)[list(table.columns).index(column.key)])
        lines = cell.split("\n")
        assert lines[-1].endswith("…") and " …" not in cell
        assert wide.startswith("".join(lines).removesuffix("…"))  # the note's start, nothing left out
        for line in lines:
            assert cell_len(line) <= column.width
        for line in lines[:-1]:
            assert cell_len(line) >= column.width - 1  # filled (a wide character may leave one cell over)
        assert sum(cell_len(line) for line in lines) >= column.width  # a long note fills a line at least
        assert lines[0][:8] in screen_text(app)


async def test_the_peace_rooms_two_minute_columns_say_which_minutes(desk, make_app, clock):
    """One student in the room now, one back in class: the room-now table counts minutes in the room,
    today's visits minutes of class missed — two different counts, both headed "Min" before. Each
    heading is shown whole at 80 columns and says which minutes its number is."""
    from textual.widgets import DataTable

    from advocate_tui.services import peace_room

    back = peace_room.check_in(desk, {"student": "S1001", "reason": "Cool down"})
    clock.advance(minutes=12)
    peace_room.check_out(desk, back, returned_to_class=True)
    peace_room.check_in(desk, {"student": "S1003", "reason": "Cool down"})
    clock.advance(minutes=5)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("P")
        await pilot.pause()
        heads = {sel: [str(c.label) for c in app.screen.query_one(sel, DataTable).columns.values()]
                 for sel in ("#room-now", "#room-today")}
        now_minutes = [h for h in heads["#room-now"] if "min" in h.lower()]
        today_minutes = [h for h in heads["#room-today"] if "min" in h.lower()]
        assert len(now_minutes) == len(today_minutes) == 1 and now_minutes != today_minutes
        assert "room" in now_minutes[0] and "class" in today_minutes[0]
        text = screen_text(app)
        assert now_minutes[0] in text and today_minutes[0] in text


async def test_the_peace_rooms_title_line_is_whole_at_80_columns(desk, make_app, clock):
    """The counts above the Peace Room's tables ("… · 17 min out of class · 1 back to class") were cut
    at the 80th column ("1 back to"); they wrap onto a second line instead."""
    from advocate_tui.services import peace_room

    for student in ("S1001", "S1002", "S1004"):
        visit = peace_room.check_in(desk, {"student": student, "reason": "Cool down"})
        clock.advance(minutes=110)
        peace_room.check_out(desk, visit, returned_to_class=True)
    peace_room.check_in(desk, {"student": "S1003", "reason": "Cool down"})
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("P")
        await pilot.pause()
        title = str(app.screen.query_one("#room-title").render())
        assert len(title) > 78 and title.endswith("3 back to class")
        shown = " ".join(line.strip() for line in screen_text(app).splitlines()[:3])
        assert title in shown


async def test_a_roster_import_held_up_by_a_busy_database_says_so_and_what_to_do(tmp_path, make_app, desk,
                                                                                  monkeypatch):
    """Another program holds the database while a roster with one bad row is imported from the screen:
    the message says the database was busy and to try again (the file needs nothing), and the bad row
    is listed as what will be rejected — not under "Nothing was imported" as if it were why. Once the
    database is free, ctrl+s again imports it."""
    from advocate_tui.screens.data_commands import open_roster_import
    from advocate_tui.store import engine

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_S", 0.3)
    roster = tmp_path / "students.csv"
    roster.write_text("student_id,given_name,family_name,grade\nS9001,Ilse,Brenner,9\nS9002,Tariq\n",
                      encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        open_roster_import(app)
        await pilot.pause()
        app.screen.query_one("#roster-path").value = str(roster)
        # another desk's write, held (its own connection, as another process's: the app's SQLite, since
        # a second SQLite library in one process doesn't see the first one's file locks)
        other = engine.connect(desk.store.path, create=False)
        other.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("ctrl+s")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            message = str(app.screen.query_one("#roster-message").render())
            summary = str(app.screen.query_one("#roster-summary").render())
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert message.startswith("Nothing was imported: the database is busy")
        assert "ctrl+s" in message and "try again" in message
        assert "nothing was saved, try again" not in message  # said once, not twice
        lines = summary.splitlines()
        assert lines[0] == "The file was read: 1 student ready to import, 1 row that will be rejected:"
        assert lines[1].startswith("line 3:")
        assert "Brenner" not in summary and "Tariq" not in summary
        assert not desk.store.find_students("Brenner")
        await pilot.press("ctrl+s")  # the database free again: the same file goes in
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        message = str(app.screen.query_one("#roster-message").render())
        assert message.startswith("Imported, but 1 row was rejected")
        assert [s.local_id for s in desk.store.find_students("Brenner")] == ["S9001"]


async def test_punctuation_typed_in_the_search_finds_the_names_that_have_it(make_app, desk):
    """The `/` search goes by what a name has in it: "[/" (two characters, neither a letter) finds the
    student whose name has it, as "crash[/" and "h[/x" did; punctuation no name has says so and that
    letters or the number find students (not "try fewer letters", which can't help)."""
    from advocate_tui.models import Student

    desk.store.upsert_student(Student(local_id="S2001", given_name="Crash[/x]", family_name="O'Neil", grade="10"))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for typed in ("[/", "crash[/", "h[/x", "'n", "o'neil"):
            await find(pilot, typed)
            assert app.screen.query_one("#student-matches").option_count == 1, typed
            assert "Crash[/x] O'Neil (S2001" in screen_text(app)
            await pilot.press("escape")
            await pilot.pause()
        await find(pilot, "#%")
        hint = str(app.screen.query_one("#student-search-hint").render())
        assert hint == "No student's name has \"#%\" in it — type letters of a name or the student number"
        await pilot.press("enter")  # nothing to open: the search stays, says so
        await pilot.pause()
        assert type(app.screen).__name__ == "StudentSearch"


async def test_the_palette_names_the_keys_the_small_footer_leaves_out_each_on_one_line(make_app, desk):
    """At 80x24 the footer has no room for R, s, P, C and S: ctrl+p lists them with their keys, and a
    command's help line no longer repeats its name word for word (every command took two lines, so
    half as many showed at once)."""
    from textual.command import CommandList

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause(0.5)
        commands = app.screen.query_one(CommandList)
        prompts = [str(commands.get_option_at_index(i).prompt).split("\n") for i in range(commands.option_count)]
        names = [p[0] for p in prompts]
        for name, key in (("Referral from the selected incident", "R"), ("Hall sweep", "s"), ("Peace Room", "P"),
                          ("Check-In/Check-Out", "C"), ("End-of-shift report", "S")):
            [found] = [n for n in names if n.startswith(name)]
            assert found.endswith(f"({key})"), found
        for lines in prompts:
            assert not (len(lines) > 1 and lines[0].startswith(lines[1])), lines


async def test_f1_opens_help_as_question_mark_does_and_help_names_both(make_app, desk):
    """F1, the key a new user tries for help, opens the keys (it did nothing); F1 again closes them;
    help names both keys and the footer keeps its one "? Help"."""
    from advocate_tui.screens.help import HelpScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "? Help" in screen_text(app)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "? / F1" in screen_text(app)
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen"
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_every_count_of_a_busy_day_shows_whole_in_the_header_at_80_columns(make_app, desk, clock):
    """A busy morning at 80x24 — a door propped, referrals, attendance due, a student in the Peace
    Room, a CICO card to check in: the counts' line was cut at the screen's edge ("… · 3 proc. due · 1"),
    losing what the advocate acts on. Now every count is there whole, the line broken between counts."""
    from advocate_tui.services import cico, peace_room
    from advocate_tui.widgets.status import StatusHeader

    seed_day(desk.store)
    peace_room.check_in(desk, {"student": "S1004", "reason": "Cool down"})
    cico.enrol(desk, "S1005", periods=["P1", "P2"], on=clock.today())
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = app.screen.query_one(StatusHeader)
        bits = [b.narrow for b in header.counts.bits]
        assert len(" · ".join(bits)) > 78  # more than one line holds
        top = "\n".join(screen_text(app).splitlines()[:header.size.height])
        for bit in bits:
            assert bit in top, (bit, top)
        panes = app.screen.query_one("#incidents")
        assert panes.region.y >= header.region.bottom  # the panes start below it, nothing drawn over


async def test_a_kept_shift_summary_is_continued_at_its_end(make_app, desk):
    """H, a summary typed, escape (kept for later), H again: what is typed next goes after the kept
    summary — it went in front of it ("and the rest" + "Quiet morning…"), the cursor at the start."""
    seed_day(desk.store)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("H")
        await pilot.pause(0.5)
        await pilot.press(*"Quiet morning.")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("H")
        await pilot.pause(0.5)
        await pilot.press(*" Then lunch.", "tab", *"JD")
        await pilot.pause()
        assert app.screen.query_one("#handoff-summary").text == "Quiet morning. Then lunch."
        assert app.screen.query_one("#handoff-signer").value == "JD"


def test_the_demo_opens_the_coordinators_view_as_the_readme_says_either_way(demo_file, tmp_path, monkeypatch):
    """`advocate demo --coordinator` (what a new user types to see the coordinator's side of the demo)
    was refused as an unknown option; only `advocate --coordinator demo` worked. Both open the
    coordinator's view now, and `advocate demo` alone the advocate's."""
    import shutil

    from advocate_tui.app import AdvocateApp
    from advocate_tui.cli.main import main

    db = tmp_path / "demo.db"
    shutil.copy(demo_file, db)
    opened: list[bool] = []
    monkeypatch.setattr(AdvocateApp, "run", lambda self, *a, **k: opened.append(self.coordinator))
    assert main(["demo", "--db", str(db), "--coordinator"]) == 0
    assert main(["--coordinator", "demo", "--db", str(db)]) == 0
    assert main(["demo", "--db", str(db)]) == 0
    assert opened == [True, True, False]


async def test_the_coordinators_narrow_list_shows_how_long_each_referral_has_waited(demo_desk):
    """At 80 columns the urgency column is "URG 9d", "soon 6d": a "soon" referral waiting ten days or
    more was "soon…", its age — what the coordinator sorts their day by — cut off."""
    from advocate_tui.app import AdvocateApp

    app = AdvocateApp(demo_desk, coordinator=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#coordinator-queue")
        urgency = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert any(u.startswith("soon ") and len(u) >= 8 for u in urgency), urgency  # (the demo has some)
        assert not [u for u in urgency if "…" in u], urgency


async def test_a_process_kind_not_known_is_said_in_the_dialog_with_what_was_typed_kept(demo_desk):
    """b, s, a referral, a kind the school doesn't have ("harm"), a facilitator, enter: the dialog
    closed, the board said "Not a kind of process" and the facilitator typed was gone. Now the dialog
    stays, says it under the fields with the kinds to type, and keeps both; nothing is started."""
    from advocate_tui.app import AdvocateApp
    from advocate_tui.screens.process_dialogs import ProcessAsk

    app = AdvocateApp(demo_desk)
    before = demo_desk.store.db.execute("SELECT count(*) FROM processes").fetchone()[0]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause(0.3)
        await pilot.press("s")
        await pilot.pause(0.3)
        await pilot.press("1", *"harm", "enter", *"Ms X", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ProcessAsk)
        assert app.screen.values()["kind"] == "harm" and app.screen.values()["facilitator"] == "Ms X"
        error = str(app.screen.query_one("#pask-error").render())
        assert error.startswith("Not a kind of process: harm — type one of") and "harm_circle" in error
        assert "Not a kind of process: harm" in screen_text(app)
        await pilot.press("shift+tab", "home", "ctrl+k", *"harm_circle", "ctrl+s")  # put right: started
        await pilot.pause()
        assert not isinstance(app.screen, ProcessAsk)
    assert demo_desk.store.db.execute("SELECT count(*) FROM processes").fetchone()[0] == before + 1


async def test_a_preparation_date_that_cant_be_read_is_said_in_the_dialog_with_the_note_kept(demo_desk):
    """p on a party: a note of what was talked through, a date mistyped ("nxt tue"), enter: the dialog
    closed and the note was gone, the error on the process page. Now the dialog says it and keeps the
    note; a date put right saves it."""
    from advocate_tui.app import AdvocateApp
    from advocate_tui.models.process import Process
    from advocate_tui.screens.process_detail import ProcessDetail
    from advocate_tui.screens.process_dialogs import ProcessAsk

    process = next(p for p in demo_desk.store.select(Process) if p.parties and p.closed_at is None)
    preparations = sum(len(x.preparation) for x in process.parties)
    app = AdvocateApp(demo_desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(ProcessDetail(process.id))
        await pilot.pause(0.3)
        for _ in range(30):
            if (app.screen._key() or "").startswith("party:"):
                break
            await pilot.press("down")
        await pilot.press("p")
        await pilot.pause()
        await pilot.press(*"Talked through the plan", "enter", *"nxt tue", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ProcessAsk)
        assert app.screen.values()["note"] == "Talked through the plan"
        assert str(app.screen.query_one("#pask-error").render()).startswith("date ")
        await pilot.press("shift+tab", "home", "ctrl+k", *"today", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProcessDetail)
    after = demo_desk.store.get(Process, process.id)
    assert sum(len(x.preparation) for x in after.parties) == preparations + 1


async def test_cancelling_an_amend_asks_about_the_changes_not_the_record(make_app, desk):
    """e on an incident, a word typed, escape: the question was "Discard this incident? What you typed
    will be lost." — read as throwing the incident away. It asks about the changes, says the incident
    stays, and y leaves it as it was."""
    from advocate_tui.models import Incident
    from advocate_tui.screens.forms.confirm import ConfirmScreen

    ids = seed_day(desk.store)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one("#incidents")
        while pane.current_row().key != ids["fight"]:
            await pilot.press("down")
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("tab", "tab", "end", *" again")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question == "Discard your changes? The incident stays as it was."
        await pilot.press("y")
        await pilot.pause()
    kept = desk.store.get(Incident, ids["fight"])
    assert kept.description == "Name-calling at the lockers" and not kept.amended and not kept.voided


async def test_a_summary_typed_fast_then_tab_then_initials_puts_the_initials_in_the_signature(make_app, desk):
    """At a real terminal the keys come in one burst: " more", tab, "JD". The tab moved the cursor only
    once it had gone up to the app, after "JD" was already given to the summary ("… moreJD", the
    signature empty). Now the summary moves the cursor itself (as the forms' fields do) and keys
    already given to it follow the cursor."""
    from textual import events

    seed_day(desk.store)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("H")
        await pilot.pause(0.5)
        for key, char in [("space", " "), *[(c, c) for c in "more"], ("tab", "\t"), ("J", "J"), ("D", "D")]:
            app.post_message(events.Key(key, char))  # one burst: nothing handled in between
        await pilot.pause(0.3)
        assert app.screen.query_one("#handoff-summary").text == " more"
        assert app.screen.query_one("#handoff-signer").value == "JD"


async def test_a_process_started_in_one_burst_of_keys_puts_each_answer_in_its_field(demo_desk):
    """At a terminal "1", "harm_circle", enter, "Ms X" come in one burst: the letters after the number
    key were given to the referral list (and lost) before the cursor reached Kind, and the name after
    enter landed in Kind ("harm_circleMs X"). Each now lands where the cursor went, as in the forms."""
    from textual import events

    from advocate_tui.app import AdvocateApp
    from advocate_tui.screens.process_dialogs import ProcessAsk

    app = AdvocateApp(demo_desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause(0.3)
        await pilot.press("s")
        await pilot.pause(0.3)
        burst = [("1", "1"), *[(c if c != "_" else "underscore", c) for c in "harm_circle"], ("enter", "\r"),
                 *[(c if c != " " else "space", c) for c in "Ms X"]]
        for key, char in burst:
            app.post_message(events.Key(key, char))
        await pilot.pause(0.3)
        assert isinstance(app.screen, ProcessAsk)
        assert app.screen.values()["kind"] == "harm_circle"
        assert app.screen.values()["facilitator"] == "Ms X"


async def test_the_boards_overdue_items_show_since_when_at_80_columns(demo_desk):
    """b at 80x24: an overdue agreement item's "Due" was "OVERDUE…" — the date it fell due cut off. The
    column holds "OVERDUE 11/20" whole."""
    from advocate_tui.app import AdvocateApp

    app = AdvocateApp(demo_desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause(0.3)
        table = app.screen.query_one("#board-due")
        due = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        overdue = [d for d in due if d.startswith("OVERDUE")]
        assert overdue, due  # (the demo has one)
        assert all("…" not in d and d.count("/") == 1 for d in overdue), overdue
