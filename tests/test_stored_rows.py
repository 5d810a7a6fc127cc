"""The main screen's rows are built from the stored columns, each record validated only when its row is
opened (issue 16: a decade's start validated ~900 records and ~760 students, and imported pydantic, to
show the first screen): the rows are the same as those built from the validated records, text stored by
hand or by an older version is shown cleaned and literal, and a record its model refuses is refused
when opened, with a message, never a traceback."""

from __future__ import annotations

import dataclasses

import pytest
from main_seed import seed_day

from advocate_tui.models import DoorCheck, Incident
from advocate_tui.services import today
from advocate_tui.store import guards
from advocate_tui.store.stored import Stored

#: stored as an older version or a hand edit could have: markup, a link, terminal codes, a bidi override
HOSTILE = "[/]Brack [link=https://x.example]x[/link] \x1b[31mred\x1b[0m \u202eevil\x07"
CLEAN = "[/]Brack [link=https://x.example]x[/link] red evil"
CONTROL = set(map(chr, [*range(0x20), *range(0x7f, 0xa0), 0x2028, 0x2029, *range(0x202a, 0x202f),
                        *range(0x2066, 0x206a)]))


def _write_raw(store, sql: str, params: list) -> None:
    """As an older version (or a hand edit) wrote it: past the audit guards."""
    table = sql.split()[1]
    with store.transaction():
        store.db.execute(f"DROP TRIGGER {table}_update_audited")
        store.db.execute(sql, params)
        guards.install_guards(store.db)


def _hostile_day(desk) -> dict[str, str]:
    ids = seed_day(desk.store)
    store = desk.store
    _write_raw(store, "UPDATE incidents SET behavior = ?, location = ? WHERE id = ?", [HOSTILE, HOSTILE, ids["fight"]])
    _write_raw(store, "UPDATE contact_notes SET note = ? WHERE id = ?", [HOSTILE + "\nline two", ids["note"]])
    _write_raw(store, "UPDATE attendance_followups SET cause = ?, periods = ? WHERE id = ?",
               [HOSTILE, '["P1\\u001b[2J"]', ids["attendance"]])
    _write_raw(store, "UPDATE referrals SET destination = ? WHERE id = ?", [HOSTILE, ids["referral"]])
    _write_raw(store, "UPDATE door_checks SET note = ? WHERE id = ?", [HOSTILE, ids["propped"]])
    _write_raw(store, "UPDATE patrol_rounds SET zone = ? WHERE id = ?", [HOSTILE, ids["round"]])
    _write_raw(store, "UPDATE students SET given_name = ?, family_name = ? WHERE local_id = 'S1001'",
               ["\x1b]0;pwned\x07Ana[/]", "Gar\x9b31mcia [b]"])
    return ids


def _as_models(monkeypatch) -> None:
    """Every read validated whole, as before rows were built from the stored columns."""
    from advocate_tui.store import door_checks, rows, students
    from advocate_tui.store.reads import ReadsMixin

    select = ReadsMixin.select
    monkeypatch.setattr(ReadsMixin, "select", lambda self, *a, stored=False, **kw: select(self, *a, **kw))
    monkeypatch.setattr(door_checks, "Stored", lambda later, data: rows.from_row(later, data))
    monkeypatch.setattr(students, "StoredStudent", None, raising=False)
    monkeypatch.setattr(students, "_label", lambda row: students.student_model().model_validate(
        dict(zip(students.LABEL_COLUMNS, row)), context={"stored": True}))


def _texts(view) -> dict[str, list[tuple]]:
    return {pane: [tuple(getattr(r, f.name) for f in dataclasses.fields(r) if f.name != "record") for r in rows]
            for pane, rows in view.panes.items()}


@pytest.mark.parametrize("now", ["2026-11-23 10:45", "2026-11-24 08:05", "2026-11-20 16:00"])
def test_rows_from_the_stored_columns_are_the_rows_of_the_validated_records(desk, profile, monkeypatch, now):
    """Every pane's rows — each text, flag, key and their order — are those the validated records make,
    on the day the records were saved, the next (carried over, logged late) and before; text stored with
    markup and terminal codes is shown literal and without the codes; a row's record is built when it is
    first read (the validated record, as before)."""
    import pendulum

    from advocate_tui.clock import Clock

    _hostile_day(desk)
    desk.clock = Clock.frozen(profile, pendulum.parse(now, tz="America/Chicago"))
    stored = today.load(desk)
    held = [r.held for rows in stored.panes.values() for r in rows if isinstance(r.held, Stored)]
    assert held  # (the rows of this day hold records as stored)
    with monkeypatch.context() as patch:
        _as_models(patch)
        validated = today.load(desk)
    assert _texts(stored) == _texts(validated)
    for pane, rows in stored.panes.items():
        for row, model_row in zip(rows, validated.panes[pane]):
            assert row.record == model_row.record   # validated now, the same record
            for text in (row.time, row.students, row.students_short, row.what, row.status, row.time_long):
                assert not CONTROL & set(text), (pane, text)
    shown = " ".join(r.what + " " + r.students for rows in stored.panes.values() for r in rows)
    if now.startswith("2026-11-23"):
        assert CLEAN in shown and "Ana[/] Garcia [b]" in shown


def test_a_row_validates_its_record_only_when_it_is_first_read(desk):
    seed_day(desk.store)
    rows = today.load(desk).panes["incidents"]
    row = rows[0]
    assert isinstance(row.held, Stored) and "_record" not in row.held.__dict__
    record = row.record
    assert isinstance(record, Incident) and row.record is record and record.id == row.key
    assert record == desk.store.get(Incident, row.key)


async def test_a_record_its_model_refuses_is_refused_when_opened_with_a_message(desk, make_app):
    """A record changed by hand so that its model refuses it (a place longer than a name may be) still
    shows its row; opening it (enter, amend, void, a referral from it) says it is damaged, where the user is looking, and
    the main screen stays — never a traceback. (Before, the whole main screen failed to load.)"""
    from advocate_tui.screens.main import MainScreen

    ids = seed_day(desk.store)
    _write_raw(desk.store, "UPDATE incidents SET location = ? WHERE id = ?", ["Hall" * 40, ids["fight"]])
    _write_raw(desk.store, "UPDATE door_checks SET door = door WHERE id = ?", [ids["propped"]])  # (untouched)
    app = make_app()
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        pane = screen.pane("incidents")
        index = next(i for i, r in enumerate(pane.rows) if r.key == ids["fight"])
        screen.focus_pane("incidents")
        pane.table.move_cursor(row=index)
        await pilot.pause()
        for key in ("enter", "e", "x", "R"):
            app.clear_notifications()
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen, key
            messages = [n.message for n in app._notifications]
            assert len(messages) == 1 and "incident is damaged in the database and can't be opened" in messages[0], \
                (key, messages)
            assert "location" in messages[0]
    assert isinstance(desk.store.get(DoorCheck, ids["propped"]), DoorCheck)
