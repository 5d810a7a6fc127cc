"""A full day through the app by keys: referrals, `H`, a summary, sign-off, the files; the coordinator
imports them; the next morning shows what was not handed off as carried over.

The referrals are entered through the referral form (`r`) by keys; the rest of the day (incidents,
doors, patrol, notes) is saved through the store (handoff_helpers.busy_day).
"""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest

from advocate_tui.app import AdvocateApp
from advocate_tui.desk import Desk
from advocate_tui.models import Handoff, Referral, ReferralStatus
from advocate_tui.screens.forms.referral import ReferralForm
from advocate_tui.screens.handoff import HandoffScreen
from advocate_tui.services import bundle as bs
from advocate_tui.services import handoff as hs
from advocate_tui.services.bundle import BundleError
from conftest import reopen
from handoff_helpers import as_the_coordinator_keeps_it, busy_day, referral, trust_of

SIZE = (120, 36)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])


async def open_handoff(app, pilot) -> HandoffScreen:
    """`H` from the main screen (pushing the screen directly if the main screen's binding is not merged)."""
    await pilot.press("H")
    await pilot.pause()
    if not isinstance(app.screen, HandoffScreen):
        app.push_screen(HandoffScreen())
        await pilot.pause()
    assert isinstance(app.screen, HandoffScreen)
    return app.screen


async def enter_referral(app, pilot, students: list[str], keys: str, reason: str) -> None:
    """`5` `r` (a new, empty referral), the students by number, then destination, purpose and urgency by
    the start of each (``keys``: one word a field, each taken by enter), the reason, ctrl+s."""
    await pilot.press("5", "r")
    await pilot.pause()
    if not isinstance(app.screen, ReferralForm):  # the main screen's `r` not merged yet
        app.push_screen(ReferralForm())
        await pilot.pause()
    for sid in students:
        await type_text(pilot, sid)
        await pilot.pause()
        await pilot.press("enter")
    await pilot.press("enter")
    for letters in keys.split():
        await pilot.press(*letters, "enter")
    await type_text(pilot, reason)
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert not isinstance(app.screen, ReferralForm), "the referral form did not save"


def _text(screen, selector: str) -> str:
    return str(screen.query_one(selector).content)


async def test_a_full_day_by_keys_then_import_then_the_next_morning(desk, clock, profile, tmp_path):
    busy_day(desk, referrals=False)
    app = AdvocateApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # a key picks when it starts exactly one option: destination r = RJ coordinator, cou = Counselor;
        # purpose co = conference, ci = circle, e = re-entry (r also starts "review"); urgency r/s/u = routine/soon/urgent
        await enter_referral(app, pilot, ["S1001"], "r co r", "Conflict with a peer in the cafeteria")
        await enter_referral(app, pilot, ["S1003", "S1004"], "r ci u", "Rumour spreading needs a circle")
        await enter_referral(app, pilot, ["S1005"], "cou e s", "Re-entry after absence")
        refs = desk.store.select(Referral)
        assert len(refs) == 3
        assert {(tuple(r.students), r.urgency.value, r.purpose.value) for r in refs} == {
            (("S1001",), "routine", "conference"), (("S1003", "S1004"), "urgent", "circle"),
            (("S1005",), "soon", "reentry_meeting")}
        screen = await open_handoff(app, pilot)
        table = screen.query_one("#handoff-referrals")
        assert table.row_count == 3
        assert "3 referrals to hand off" in _text(screen, "#handoff-title")
        others = _text(screen, "#handoff-others")
        assert others.index("Fighting") < others.index("Disruption")  # major incident first
        assert "North Exit" in others and "Stairwell 2" in others and "Asked to talk" in others
        await type_text(pilot, "Circle for the rumour tomorrow")
        await pilot.press("tab")
        await type_text(pilot, "JR")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert desk.store.select(Handoff) == []  # it asks first: a signed handoff can't be undone
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        result = _text(screen, "#handoff-result")
        assert "Signed handoff 2026-11-23 #1" in result and "3 referrals handed off" in result
        assert table.row_count == 0  # the queue is handed over
    handoffs = desk.store.select(Handoff)
    assert len(handoffs) == 1 and handoffs[0].signed_by == "JR"
    assert handoffs[0].summary == "Circle for the rumour tomorrow"
    assert all(desk.store.get(Referral, r.id).status is ReferralStatus.HANDED_OFF for r in refs)

    folder = desk.store.path.parent / "handoffs"
    stem = "handoff-cedar-hollow-hs-2026-11-23-1"
    json_path, md_path, csv_path = (folder / f"{stem}.{e}" for e in ("json", "md", "csv"))
    assert str(json_path) in result
    jsonschema.Draft202012Validator(bs.bundle_schema()).validate(json.loads(json_path.read_text("utf-8")))
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text("utf-8-sig"))))
    md = md_path.read_text("utf-8")
    assert {r["referral_id"] for r in rows} == {r.id for r in refs}
    assert all(r.id[:8] in md for r in refs)

    # the coordinator's own, empty database
    coord = Desk.open(tmp_path / "coord" / "coord.db", profile, clock=clock, user="coordinator")
    try:
        assert coord.store.select(Referral) == []
        bs.import_bundle(coord, json_path, trust=trust_of(desk))
        theirs = {r.id: r.model_dump() for r in coord.store.select(Referral)}
        assert theirs == {r.id: as_the_coordinator_keeps_it(desk.store.get(Referral, r.id)) for r in refs}
        counts, audit = coord.store.counts(), len(coord.store.audit_trail(limit=100000))
        bs.import_bundle(coord, json_path)
        cut = tmp_path / "cut.json"
        cut.write_bytes(json_path.read_bytes()[:-200])
        tampered = tmp_path / "tampered.json"
        tampered.write_text(json_path.read_text("utf-8").replace("Re-entry after absence", "Re-entry"), "utf-8")
        for bad in (cut, tampered):
            with pytest.raises(BundleError):
                bs.import_bundle(coord, bad)
        assert coord.store.counts() == counts
        assert len(coord.store.audit_trail(limit=100000)) == audit
    finally:
        coord.close()

    # a late referral after the sign-off is not handed off: it carries over to the next morning
    clock.set("2026-11-23 15:50")
    late = referral(desk, ["S1006"], "Dismissal conflict, after the handoff")
    clock.set("2026-11-24 07:40")
    desk = reopen(desk)
    try:
        app = AdvocateApp(desk)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_handoff(app, pilot)
            assert "1 carried over from earlier days" in _text(screen, "#handoff-title")
            table = screen.query_one("#handoff-referrals")
            assert table.row_count == 1
            assert "carried over" in str(table.get_row(late.id)[1])
        assert [r.id for r in hs.carried_over(desk)] == [late.id]
        assert desk.store.get(Referral, late.id).status is ReferralStatus.NEW
        try:  # the main screen's referral pane (services/today.py) marks it carried over too
            from advocate_tui.services import today
        except ImportError:
            today = None
        if today is not None:
            carried = {row.key: row for row in today.pane_rows(desk, "referrals") if row.carried}
            assert late.id in carried and carried[late.id].status.startswith("New")
    finally:
        desk.close()


async def test_sign_off_without_a_name_asks_for_one_and_saves_nothing(desk):
    busy_day(desk)
    app = AdvocateApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_handoff(app, pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "name or initials" in _text(screen, "#handoff-result")
        assert screen.focused.id == "handoff-signer"
        # the summary typed before escape is still there when the screen opens again
        screen.query_one("#handoff-summary").focus()
        await type_text(pilot, "Half written")
        await pilot.press("escape")
        await pilot.pause()
        screen = await open_handoff(app, pilot)
        assert screen.query_one("#handoff-summary").text == "Half written"
    assert desk.store.select(Handoff) == []


async def test_when_the_files_cannot_be_written_the_handoff_stays_signed_and_says_how_to_export(desk, tmp_path):
    busy_day(desk)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    desk.profile = desk.profile.model_copy(update={"handoff_folder": str(blocker / "handoffs")})
    app = AdvocateApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_handoff(app, pilot)
        await pilot.press("tab")
        await type_text(pilot, "JR")
        await pilot.press("enter", "y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        result = _text(screen, "#handoff-result")
        assert "Signed handoff 2026-11-23 #1" in result
        assert "advocate handoff export --date 2026-11-23" in result
    assert len(desk.store.select(Handoff)) == 1
    paths = bs.write_bundle(desk, desk.store.select(Handoff)[0], tmp_path / "later")
    assert all(p.exists() for p in paths)
