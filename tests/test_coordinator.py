"""The coordinator's view by keys: accept, assign a facilitator, schedule, close with an outcome.

Each change lands in the database and in the referral's history.
"""

from __future__ import annotations

import pytest

from advocate_tui.app import AdvocateApp
from advocate_tui.desk import Desk
from advocate_tui.models import AuditAction, Referral, ReferralOutcome, ReferralStatus, Urgency
from advocate_tui.screens.coordinator import CoordinatorScreen
from advocate_tui.screens.coordinator_dialogs import TrustKeyDialog
from advocate_tui.services import bundle as bs
from advocate_tui.services import coordinator as coord
from advocate_tui.services import handoff as hs
from advocate_tui.services.coordinator import CoordinatorError
from handoff_helpers import busy_day, trust_of

SIZE = (120, 36)
WIDE = (160, 48)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])


@pytest.fixture
def coordinator_desk(desk, profile, clock, tmp_path):
    """The coordinator's own database, holding the advocate's signed handoff (imported from its bundle)."""
    busy_day(desk)
    handoff = hs.sign_off(desk, "JR")
    json_path = bs.write_bundle(desk, handoff)[0]
    clock.advance(days=1)
    d = Desk.open(tmp_path / "coord" / "coord.db", profile, clock=clock, user="coordinator")
    bs.import_bundle(d, json_path, trust=trust_of(desk))
    yield d
    d.close()


def _row_key(screen: CoordinatorScreen) -> str:
    table = screen.query_one("#coordinator-queue")
    return table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value


async def test_accept_assign_schedule_close_by_keys(coordinator_desk):
    desk = coordinator_desk
    app = AdvocateApp(desk, coordinator=True)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CoordinatorScreen)
        table = screen.query_one("#coordinator-queue")
        assert table.row_count == 3
        first = desk.store.get(Referral, _row_key(screen))
        assert first.urgency is Urgency.URGENT  # urgent first
        assert str(table.get_row(first.id)[0]) == "URGENT 1d"  # urgent, a day old
        ref_id = first.id

        await pilot.press("a")
        await pilot.pause()
        assert desk.store.get(Referral, ref_id).status is ReferralStatus.ACCEPTED

        await pilot.press("f")
        await pilot.pause()
        await type_text(pilot, "Ms Delacroix")
        await pilot.press("enter")
        await pilot.pause()
        assert desk.store.get(Referral, ref_id).facilitator == "Ms Delacroix"

        await pilot.press("s")
        await pilot.pause()
        await type_text(pilot, "fri")  # a period that does not exist is refused in the dialog
        await pilot.press("enter")
        await type_text(pilot, "P9")
        await pilot.press("enter", "enter")  # (the place is optional)
        await pilot.pause()
        assert "no period" in str(app.screen.query_one("#ask-error").content)
        await pilot.press("shift+tab")  # back to the time
        await pilot.press(*["backspace"] * 2)
        await type_text(pilot, "2:15pm")
        await pilot.press("enter")  # on to the place (optional), left empty
        await pilot.press("enter")
        await pilot.pause()
        scheduled = desk.store.get(Referral, ref_id).scheduled_for
        assert desk.clock.local(scheduled).format("YYYY-MM-DD HH:mm") == "2026-11-27 14:15"

        await pilot.press("c")
        await pilot.pause()
        await pilot.press("1")
        await type_text(pilot, "Circle held, repair plan agreed")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")  # closing asks first
        await pilot.pause()
        assert table.row_count == 3  # closed today: it stays in its place, the cursor on it (o reopens it)
        assert _row_key(screen) == ref_id
        labels = [str(c.label) for c in table.columns.values()]
        assert str(table.get_row(ref_id)[labels.index("Status")]) == "Closed: Agreement reached"

    closed = desk.store.get(Referral, ref_id)
    assert closed.status is ReferralStatus.CLOSED
    assert closed.outcome is ReferralOutcome.AGREEMENT_REACHED
    assert closed.outcome_note == "Circle held, repair plan agreed"
    assert closed.closed_at is not None and closed.accepted_at is not None
    history = desk.store.history(ref_id)
    assert [e.action for e in history] == [AuditAction.IMPORT, AuditAction.STATUS, AuditAction.STATUS,
                                           AuditAction.STATUS, AuditAction.STATUS]
    assert [e.note for e in history[1:]] == ["accepted", "facilitator: Ms Delacroix",
                                             "scheduled for 2026-11-27 14:15", "closed: Agreement reached"]
    assert history[-1].by == "coordinator"


async def test_escape_cancels_a_dialog_and_changes_nothing(coordinator_desk):
    desk = coordinator_desk
    app = AdvocateApp(desk, coordinator=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ref_id = _row_key(app.screen)
        await pilot.press("c", "2", "escape")
        await pilot.pause()
        assert isinstance(app.screen, CoordinatorScreen)
    assert desk.store.get(Referral, ref_id).status is ReferralStatus.HANDED_OFF
    assert len(desk.store.history(ref_id)) == 1


def test_the_service_refuses_what_makes_no_sense(coordinator_desk, desk):
    ref = coord.queue(coordinator_desk)[0]
    with pytest.raises(CoordinatorError, match="why it is declined"):  # declining needs a reason
        coord.close(coordinator_desk, ref.id, ReferralOutcome.DECLINED)
    coord.close(coordinator_desk, ref.id, ReferralOutcome.DECLINED, "Handled by the school's counselor")
    with pytest.raises(CoordinatorError, match="already closed"):
        coord.accept(coordinator_desk, ref.id)
    with pytest.raises(CoordinatorError, match="why it is reopened"):
        coord.reopen(coordinator_desk, ref.id, " ")
    other = coord.queue(coordinator_desk)[1]
    with pytest.raises(CoordinatorError, match="facilitator"):
        coord.assign(coordinator_desk, other.id, "  ")
    # a referral still on the advocate's desk can't be worked by the coordinator
    new = desk.store.add(Referral(referred_at=desk.clock.now(), students=["S1001"], destination="RJ Coordinator",
                                  reason="Not handed off yet"))
    with pytest.raises(CoordinatorError, match="not been handed off"):
        coord.accept(desk, new.id)


async def test_the_command_palette_opens_the_coordinator_view_and_escape_goes_back(desk):
    busy_day(desk)
    hs.sign_off(desk, "JR")
    app = AdvocateApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "coordinator view")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CoordinatorScreen)
        assert app.screen.query_one("#coordinator-queue").row_count == 3
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CoordinatorScreen)


async def test_import_a_bundle_from_the_coordinator_view(desk, profile, clock, tmp_path):
    busy_day(desk)
    json_path = bs.write_bundle(desk, hs.sign_off(desk, "JR"))[0]
    coord_desk = Desk.open(tmp_path / "c" / "coord.db", profile, clock=clock, user="coordinator")
    try:
        app = AdvocateApp(coord_desk, coordinator=True)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            table = app.screen.query_one("#coordinator-queue")
            assert table.row_count == 0

            async def import_file() -> None:
                await pilot.press("i")  # the bundles in the handoff folder; t types a path instead
                await pilot.pause()
                await pilot.press("t")
                await pilot.pause()
                app.screen.query_one("#ask-path").value = str(json_path)
                await pilot.press("enter")
                await pilot.pause()

            await import_file()
            # a school's first bundle: the dialog shows the key's fingerprint and waits for y
            assert isinstance(app.screen, TrustKeyDialog)
            assert str(app.screen.query_one("#trust-fingerprint").content) == trust_of(desk)
            await pilot.press("enter")  # enter is not a yes
            await pilot.pause()
            assert "Not imported: the key was not trusted" in str(app.screen.query_one("#coordinator-message").content)
            assert coord_desk.store.counts()["referrals"] == 0 and coord_desk.store.trusted_keys("handoff") == []
            await import_file()
            await pilot.press("y")
            await pilot.pause()
            assert table.row_count == 3
            message = str(app.screen.query_one("#coordinator-message").content)
            assert f"Trusted the desk key {trust_of(desk)} for cedar-hollow-hs" in message
            assert "Imported cedar-hollow-hs handoff 2026-11-23 #1" in message
            await import_file()  # the next bundle of the same school needs no question
            assert isinstance(app.screen, CoordinatorScreen)
            assert "Already imported" in str(app.screen.query_one("#coordinator-message").content)
        assert len(coord_desk.store.select(Referral)) == 3
        assert [k.how for k in coord_desk.store.trusted_keys("handoff")] == ["dialog"]
    finally:
        coord_desk.close()


# ---------------------------------------------------------------- QA: quit, help, the note kept, weekends
async def test_close_keeps_the_note_whatever_the_focus_does(coordinator_desk):
    desk = coordinator_desk
    app = AdvocateApp(desk, coordinator=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ref_id = _row_key(app.screen)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("2")  # outcome: services connected; focus goes to the note
        await type_text(pilot, "Counselor")
        await pilot.press("tab")  # focus moves off the note...
        await pilot.pause()
        await type_text(pilot, " connected")  # ...and typing goes on into the note
        await pilot.press("tab", "tab")
        await pilot.pause()
        assert app.screen.query_one("#ask-note").value == "Counselor connected"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")  # yes, close it
        await pilot.pause()
    closed = desk.store.get(Referral, ref_id)
    assert closed.outcome is ReferralOutcome.SERVICES_CONNECTED
    assert closed.outcome_note == "Counselor connected"


async def test_enter_on_the_outcome_saves_a_typed_note_and_escape_asks_first(coordinator_desk):
    desk = coordinator_desk
    app = AdvocateApp(desk, coordinator=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ref_id = _row_key(app.screen)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("3")
        await type_text(pilot, "Family declined")
        await pilot.press("escape")  # typed text: asks first
        await pilot.pause()
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert app.screen.query_one("#ask-note").value == "Family declined"
        await pilot.press("shift+tab")  # back to the outcome list
        await pilot.press("enter")  # enter there saves, with the note...
        await pilot.pause()
        await pilot.press("y")  # ...once the close is confirmed
        await pilot.pause()
        assert isinstance(app.screen, CoordinatorScreen)
    closed = desk.store.get(Referral, ref_id)
    assert closed.outcome is ReferralOutcome.DECLINED and closed.outcome_note == "Family declined"


async def test_help_and_quit_and_quit_asks_when_a_dialog_holds_typed_text(coordinator_desk):
    app = AdvocateApp(coordinator_desk, coordinator=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert "Close with an outcome" in str(app.screen.query_one("#coordinator-help-keys").content.columns[1]._cells)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CoordinatorScreen)
        await pilot.press("f")
        await pilot.pause()
        await type_text(pilot, "Ms Delacroix")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running and "Quit anyway" in str(app.screen.query_one("Static").content)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#ask-facilitator").value == "Ms Delacroix"
        await pilot.press("enter")  # saved
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert any(r.facilitator == "Ms Delacroix" for r in coordinator_desk.store.select(Referral))


async def test_scheduling_on_a_saturday_is_saved_with_a_warning(coordinator_desk):
    desk = coordinator_desk
    app = AdvocateApp(desk, coordinator=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ref_id = _row_key(app.screen)
        await pilot.press("s")
        await pilot.pause()
        await type_text(pilot, "sat")
        await pilot.press("enter")
        await type_text(pilot, "10:00")
        await pilot.press("enter", "enter")  # no place
        await pilot.pause()
        message = app.screen.query_one("#coordinator-message")
        assert "Saturday 11/28 — school is closed" in str(message.content)
        assert message.has_class("-warning")
    when = desk.clock.local(desk.store.get(Referral, ref_id).scheduled_for)
    assert when.format("YYYY-MM-DD HH:mm") == "2026-11-28 10:00"


async def test_the_facilitator_field_offers_the_staff_list(coordinator_desk):
    desk = coordinator_desk
    app = AdvocateApp(desk, coordinator=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ref_id = _row_key(app.screen)
        await pilot.press("f")
        await pilot.pause()
        await type_text(pilot, "castel")                 # the start of a last name on the staff list
        shown = "\n".join(s.text for s in app.screen._compositor.render_strips())
        assert "→ Priya Castellanos" in shown
        await pilot.press("enter")                       # takes her and saves
        await pilot.pause()
        assert isinstance(app.screen, CoordinatorScreen)
    assert desk.store.get(Referral, ref_id).facilitator == "Priya Castellanos"


async def test_a_referral_from_an_incident_reaches_the_coordinator_with_its_roles(desk, profile, clock, tmp_path):
    """R keeps each student's role: the handoff carries them and the coordinator sees who was harmed."""
    from advocate_tui.services import recording

    incident = recording.save(desk, "incident", {
        "students": [{"student_id": "S1001", "role": "responsible"}, {"student_id": "S1003", "role": "harmed"}],
        "behavior": "Disrespect", "location": "Hallway", "description": "name-calling"})
    recording.save(desk, "referral", {**recording.referral_prefill(incident), "destination": "RJ coordinator"})
    json_path = bs.write_bundle(desk, hs.sign_off(desk, "JR"))[0]
    clock.advance(days=1)
    coord_desk = Desk.open(tmp_path / "coord" / "coord.db", profile, clock=clock, user="coordinator")
    try:
        bs.import_bundle(coord_desk, json_path, trust=trust_of(desk))
        [ref] = coord_desk.store.select(Referral)
        school = profile.school.short_name  # a coordinator's database keys students '<school>:<number>'
        assert [(r.student_id, r.role.value) for r in ref.roles] == [
            (f"{school}:S1001", "responsible"), (f"{school}:S1003", "harmed")]
        assert [r.student_id for r in ref.roles] == ref.students
        app = AdvocateApp(coord_desk, coordinator=True)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            detail = " ".join(str(app.screen.query_one("#coordinator-detail").render()).split())
            assert "Ana Garcia (S1001 · gr 09 · H-101) — responsible; Zo Okafor (S1003 · gr 10 · H-150) — harmed" in detail
    finally:
        coord_desk.close()
