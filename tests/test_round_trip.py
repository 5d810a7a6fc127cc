"""The round trip as people make it, with real files in tmp_path: the advocate signs the shift off by keys
(the bundle files), the district coordinator imports it and another school's from the command line, decides
by keys in the coordinator view (accept, decline with a reason, schedule a time and place, close with an
outcome, close and reopen), writes the signed reply with `R`; the school imports it from the command line
twice (nothing doubles) and its main screen shows the coordinator's word and today's meeting. Replies from
an untrusted key, forged, or for another school are refused in one line with nothing written."""

from __future__ import annotations

import json

import pytest

from advocate_tui.app import AdvocateApp
from advocate_tui.cli.main import main
from advocate_tui.clock import Clock
from advocate_tui.desk import Desk
from advocate_tui.models import Referral, ReferralOutcome, ReferralStatus
from advocate_tui.screens.coordinator import CoordinatorScreen
from advocate_tui.screens.coordinator_dialogs import CloseConfirm, CoordinatorAsk
from advocate_tui.screens.handoff import HandoffScreen
from advocate_tui.services import bundle as bs
from advocate_tui.services import handoff as hs
from advocate_tui.services import school
from advocate_tui.services.signing import sign_with
from district_helpers import LINCOLN_ROSTER, everything, one_line, profile_file, renamed
from handoff_helpers import busy_day, trust_of
from main_seed import screen_text

WIDE = (160, 48)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])


def message(screen) -> str:
    return str(screen.query_one("#coordinator-message").content)


async def go_to(pilot, screen: CoordinatorScreen, ref_id: str) -> None:
    """Move the cursor by arrow keys to the referral's row."""
    table = screen._table()
    target = table.get_row_index(ref_id)
    step = "down" if target > table.cursor_row else "up"
    await pilot.press(*[step] * abs(target - table.cursor_row))
    await pilot.pause()
    assert table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value == ref_id


async def answer(pilot, app, *fields: str) -> None:
    """Fill a dialog's fields in turn (enter after each: the last one saves)."""
    assert isinstance(app.screen, CoordinatorAsk)
    for text in fields:
        await type_text(pilot, text)
        await pilot.press("enter")
    await pilot.pause()


@pytest.fixture
def at_school_time(clock, monkeypatch):
    """The command lines open their databases at the test's school time (the frozen clock), as the app does."""
    monkeypatch.setattr("advocate_tui.desk.Clock", lambda profile: Clock.frozen(profile, clock.now()))


async def test_a_shift_handed_off_decided_by_keys_answered_and_imported_twice(
        desk, profile, clock, tmp_path, capsys, at_school_time):
    cedar_day = busy_day(desk)
    first, urgent, reentry = cedar_day["referrals"]

    # 1. the advocate signs the shift off by keys: the bundle files are written
    app = AdvocateApp(desk)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("H")
        await pilot.pause()
        assert isinstance(app.screen, HandoffScreen)
        await type_text(pilot, "Quiet morning; a fight in the gym")
        await pilot.press("tab")
        await type_text(pilot, "JR")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")  # signing asks first
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Signed handoff 2026-11-23 #1" in str(app.screen.query_one("#handoff-result").content)
    cedar_bundle = desk.store.path.parent / "handoffs" / "handoff-cedar-hollow-hs-2026-11-23-1.json"
    assert cedar_bundle.exists()

    # another school, with the same student numbers for other students
    lincoln = Desk.open(tmp_path / "lincoln" / "school.db", renamed(profile, "Lincoln Middle School", "lincoln-ms",
                                                                   demo=False), clock=clock)
    school.claim(lincoln)  # its first start records which school the database is
    lincoln.store.upsert_students(LINCOLN_ROSTER)
    lincoln_day = busy_day(lincoln)
    lincoln_bundle = bs.write_bundle(lincoln, hs.sign_off(lincoln, "M. Okoro"))[0]
    clock.advance(minutes=5)

    # 2. the district coordinator imports both bundles from the command line into a database of their own
    coord_db = tmp_path / "district" / "coord.db"
    coord_profile = profile_file(tmp_path, "District RJ Office", "district-rj")
    coord_args = ["--db", str(coord_db), "--profile", str(coord_profile), "--allow-plain"]
    for bundle, sender in ((cedar_bundle, desk), (lincoln_bundle, lincoln)):
        assert main(["handoff", "import", str(bundle), *coord_args, "--trust", trust_of(sender)]) == 0
    out = capsys.readouterr().out
    assert "imported cedar-hollow-hs · handoff 2026-11-23 #1" in out and "imported lincoln-ms · handoff" in out
    assert "Ana" not in out and "S1001" not in out  # paths and counts, never a student

    coord = Desk.open(coord_db, renamed(profile, "District RJ Office", "district-rj"), clock=clock,
                      user="coordinator")
    lincoln_first, lincoln_urgent, _ = lincoln_day["referrals"]
    try:
        assert coord.store.student("cedar-hollow-hs:S1001").display_name == "Ana Garcia"
        assert coord.store.student("lincoln-ms:S1001").display_name == "Bea Lindgren"

        # 3. the coordinator decides by keys
        app = AdvocateApp(coord, coordinator=True)
        async with app.run_test(size=WIDE) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, CoordinatorScreen) and screen._table().row_count == 6

            await go_to(pilot, screen, first.id)
            await pilot.press("a")
            await pilot.pause()
            await pilot.press("n")
            await answer(pilot, app, "Bring the class list")

            await go_to(pilot, screen, urgent.id)
            await pilot.press("d")
            await pilot.pause()
            await answer(pilot, app, "Handled by the school's counselor")
            assert "Declined" in message(screen)

            await go_to(pilot, screen, reentry.id)
            await pilot.press("s")
            await pilot.pause()
            await answer(pilot, app, "today", "11:00", "Room 114")
            assert message(screen).startswith("Scheduled.")
            await pilot.press("f")
            await pilot.pause()
            await answer(pilot, app, "Ms Delacroix")

            await go_to(pilot, screen, lincoln_first.id)
            await pilot.press("c", "1")
            await type_text(pilot, "Circle held, repair plan agreed")
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, CloseConfirm)
            await pilot.press("y")
            await pilot.pause()

            # a close by mistake, undone: it asks first, and reopening takes a reason
            await go_to(pilot, screen, lincoln_urgent.id)
            await pilot.press("c", "4", "enter", "y")
            await pilot.pause()
            assert coord.store.get(Referral, lincoln_urgent.id).status is ReferralStatus.CLOSED
            await pilot.press("o")
            await pilot.pause()
            await answer(pilot, app, "Closed the wrong one")
            assert message(screen) == "Reopened."
            assert screen._table().coordinate_to_cell_key((screen._table().cursor_row, 0)).row_key.value \
                == lincoln_urgent.id  # the cursor stays on the row

            # the whole handoff, each row naming its school
            await pilot.press("2")
            await pilot.pause()
            shown = screen_text(app)
            for what in ("Fighting", "North Exit", "Asked to talk to the coordinator", "Stairwell 2",
                         "cedar-hollow-hs", "lincoln-ms"):
                assert what in shown, what
            await pilot.press("1")
            await pilot.pause()

            # the reply to every school with something new, signed and written from the screen
            await pilot.press("R")
            await pilot.pause()
            assert "cedar-hollow-hs (3)" in screen_text(app) and "lincoln-ms (2)" in screen_text(app)
            await answer(pilot, app, "Two of yours decided today")
            assert "Signed and written: reply-" in message(screen)

        assert coord.store.get(Referral, lincoln_urgent.id).status is ReferralStatus.HANDED_OFF
        folder = coord_db.parent / "handoffs"
        cedar_reply = one(folder.glob("reply-cedar-hollow-hs-*.json"))
        lincoln_reply = one(folder.glob("reply-lincoln-ms-*.json"))
        assert oct(cedar_reply.stat().st_mode & 0o777) == "0o600"
        assert "S1001" not in cedar_reply.read_text("utf-8")  # referrals by id, never a student
        coord_fingerprint = trust_of(coord)

        # 4. the school imports the reply from the command line: refusals first, nothing written
        school_args = ["--db", str(desk.store.path), "--allow-plain"]
        before = everything(desk)
        resigned = tmp_path / "resigned.json"
        forged = tmp_path / "forged.json"
        data = json.loads(cedar_reply.read_text("utf-8"))
        data["referrals"][0]["decision"] = "closed"
        data["referrals"][0]["outcome"] = "no_further_action"
        forged.write_text(json.dumps(data), "utf-8")
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        resigned.write_text(json.dumps(sign_with(Ed25519PrivateKey.generate(), data)), "utf-8")
        for path, extra, words in (
            (cedar_reply, [], f"--trust {coord_fingerprint}"),  # nobody confirmed the coordinator's key yet
            (resigned, [], "district-rj is not a coordinator this database has taken a reply from"),
            (forged, ["--trust", coord_fingerprint], "signature does not match its content"),
            (lincoln_reply, ["--trust", coord_fingerprint], "is a reply to lincoln-ms, and this database is "
                                                            "cedar-hollow-hs's"),
        ):
            assert main(["handoff", "import", str(path), *school_args, *extra]) == 1, words
            assert words in one_line(capsys.readouterr().err)
        assert everything(desk) == before

        assert main(["handoff", "import", str(cedar_reply), *school_args, "--trust", coord_fingerprint]) == 0
        out = capsys.readouterr().out
        assert "trusted the coordinator's desk key" in out and "imported reply" in out
        assert "1 accepted" in out and "1 scheduled" in out and "1 declined" in out
        once = everything(desk)
        assert main(["handoff", "import", str(cedar_reply), *school_args]) == 0
        assert "already imported, nothing changed" in capsys.readouterr().out
        assert everything(desk) == once  # nothing doubles, not even the audit trail
        # a key trusted for district-rj, another one signing as it is still refused
        assert main(["handoff", "import", str(resigned), *school_args]) == 1
        assert "does not trust for district-rj" in one_line(capsys.readouterr().err)
        assert everything(desk) == once

        # Lincoln takes its own reply (a profile of another school at hand is refused): the close, and the
        # close undone
        lincoln_args = ["--db", str(lincoln.store.path), "--allow-plain", "--trust", coord_fingerprint]
        before = everything(lincoln)
        cedar_profile = profile_file(tmp_path, "Cedar Hollow High School", "cedar-hollow-hs", demo=False)
        assert main(["handoff", "import", str(lincoln_reply), *lincoln_args, "--profile", str(cedar_profile)]) == 1
        assert "belongs to Lincoln Middle School (lincoln-ms), but the profile is for Cedar Hollow High School" \
            in one_line(capsys.readouterr().err)
        assert everything(lincoln) == before
        assert main(["handoff", "import", str(lincoln_reply), *lincoln_args, "--profile",
                     str(profile_file(tmp_path, "Lincoln Middle School", "lincoln-ms", demo=False))]) == 0
        closed = lincoln.store.get(Referral, lincoln_first.id)
        assert (closed.status, closed.outcome, closed.outcome_note) == (
            ReferralStatus.CLOSED, ReferralOutcome.AGREEMENT_REACHED, "Circle held, repair plan agreed")
        assert lincoln.store.get(Referral, lincoln_urgent.id).status is ReferralStatus.HANDED_OFF
    finally:
        coord.close()
        lincoln.close()

    # 5. the school's main screen shows the coordinator's word and today's meeting
    store = desk.store
    assert store.get(Referral, first.id).status is ReferralStatus.ACCEPTED
    assert store.get(Referral, first.id).coordinator_note == "Bring the class list"
    declined = store.get(Referral, urgent.id)
    assert (declined.status, declined.outcome, declined.outcome_note) == (
        ReferralStatus.CLOSED, ReferralOutcome.DECLINED, "Handled by the school's counselor")
    scheduled = store.get(Referral, reentry.id)
    assert (scheduled.place, scheduled.facilitator) == ("Room 114", "Ms Delacroix")
    assert desk.clock.local(scheduled.scheduled_for).format("YYYY-MM-DD HH:mm") == "2026-11-23 11:00"

    app = AdvocateApp(desk)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        pane = app.screen.query_one("#referrals")
        status = {row.key: row.status for row in pane.rows}
        assert status[reentry.id].startswith("Accepted · re-entry meeting today 11:00, Room 114")
        assert status[urgent.id].startswith("Declined: Handled by the school")
        assert status[first.id] == "Accepted — “Bring the class list”"  # the coordinator's note too
        meeting = pane.rows[0]
        assert (meeting.kind, meeting.time, meeting.students) == ("meeting", "11:00", "Priya Ramanathan (H-102)")
        assert "Room 114" in meeting.what and meeting.status.startswith("from P4")
        assert "Note from District RJ Office: Two of yours decided today" in [r.what for r in pane.rows]
        text = screen_text(app)
        assert "meeting 11:00" in text  # the header: the next meeting


def one(paths):
    found = list(paths)
    assert len(found) == 1, found
    return found[0]
