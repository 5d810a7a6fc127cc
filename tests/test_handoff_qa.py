"""QA findings on the handoff path, each pinned by a test on real SQLite files (no mocks)."""

from __future__ import annotations

import pytest

from advocate_tui.cli.main import main
from advocate_tui.desk import Desk
from advocate_tui.models import Referral
from advocate_tui.services import bundle as bs
from advocate_tui.services import handoff as hs
from advocate_tui.store.engine import is_encrypted
from handoff_helpers import busy_day, trust_of


@pytest.fixture
def bundle_path(desk):
    busy_day(desk)
    handoff = hs.sign_off(desk, "J. Rivera")
    return bs.write_bundle(desk, handoff)[0]


# ---------------------------------------------------------------- 1: a new coordinator database is encrypted
def test_import_into_a_new_database_without_a_passphrase_creates_nothing(desk, bundle_path, tmp_path, capsys):
    new = tmp_path / "coord" / "coord.db"
    assert main(["handoff", "import", str(bundle_path), "--db", str(new), "--trust", trust_of(desk)]) == 1
    err = capsys.readouterr().err
    assert "encrypted" in err and "nothing was created" in err
    assert len(err.strip().splitlines()) == 1
    assert not new.exists()


def test_import_into_a_new_database_encrypts_it_with_the_given_passphrase(desk, bundle_path, tmp_path, monkeypatch,
                                                                          profile, clock, capsys):
    new = tmp_path / "coord" / "coord.db"
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", "coordinator pass 1")
    assert main(["handoff", "import", str(bundle_path), "--db", str(new), "--trust", trust_of(desk)]) == 0
    assert is_encrypted(new)
    monkeypatch.delenv("ADVOCATE_PASSPHRASE")
    with pytest.raises(Exception):
        Desk.open(new, profile, clock=clock).close()
    coord = Desk.open(new, profile, clock=clock, passphrase="coordinator pass 1")
    try:
        assert len(coord.store.select(Referral)) == 3
    finally:
        coord.close()


def test_import_reads_the_passphrase_file_and_refuses_a_short_one(desk, bundle_path, tmp_path, capsys):
    short = tmp_path / "short.txt"
    short.write_text("abc\n", encoding="utf-8")
    new = tmp_path / "coord.db"
    trust = ["--trust", trust_of(desk)]
    assert main(["handoff", "import", str(bundle_path), "--db", str(new), "--passphrase-file", str(short), *trust]) == 1
    assert "nothing was created" in capsys.readouterr().err
    assert not new.exists()
    good = tmp_path / "pass.txt"
    good.write_text("a long passphrase\n", encoding="utf-8")
    assert main(["handoff", "import", str(bundle_path), "--db", str(new), "--passphrase-file", str(good), *trust]) == 0
    assert is_encrypted(new)


# ---------------------------------------------------------------- 2: bundles never overwrite each other
@pytest.fixture
def second_desk(profile, clock, tmp_path):
    from conftest import ROSTER

    d = Desk.open(tmp_path / "desk2" / "advocate.db", profile, clock=clock)
    d.store.upsert_students(ROSTER)
    yield d
    d.close()


def test_two_desks_same_day_write_two_bundles_and_both_import(desk, second_desk, profile, clock, tmp_path):
    from handoff_helpers import referral

    from advocate_tui.models import Handoff

    out = tmp_path / "shared"
    referral(desk, ["S1001"], "Desk one referral")
    referral(second_desk, ["S1002"], "Desk two referral")
    h1 = hs.sign_off(desk, "J. Rivera")
    clock.advance(minutes=5)
    h2 = hs.sign_off(second_desk, "M. Chen")
    assert (h1.date, h1.sequence) == (h2.date, h2.sequence)
    p1 = bs.write_bundle(desk, h1, out)
    p2 = bs.write_bundle(second_desk, h2, out)
    assert p1[0].name == "handoff-cedar-hollow-hs-2026-11-23-1.json"
    assert p2[0].name == f"handoff-cedar-hollow-hs-2026-11-23-1-{h2.id[:8]}.json"
    assert len(list(out.iterdir())) == 6
    assert bs.load_bundle(p1[0]).handoff.id == h1.id  # the first desk's bundle is intact
    # re-exporting the first desk's handoff refreshes its own files, no new name
    assert bs.write_bundle(desk, h1, out)[0] == p1[0]
    assert len(list(out.iterdir())) == 6

    coord = Desk.open(tmp_path / "coord.db", profile, clock=clock, user="coordinator")
    try:
        r1 = bs.import_bundle(coord, p1[0], trust=trust_of(desk))
        # another database of the same school signs with its own key: taken only when named (--trust)
        with pytest.raises(bs.BundleError, match="does not trust for cedar-hollow-hs"):
            bs.import_bundle(coord, p2[0])
        r2 = bs.import_bundle(coord, p2[0], trust=trust_of(second_desk))
        assert r1.added["referrals"] == 1 and r2.added["referrals"] == 1
        assert {h.id for h in coord.store.select(Handoff)} == {h1.id, h2.id}
        assert "J. Rivera" in r1.line() and "M. Chen" in r2.line() and r1.line() != r2.line()
        assert not bs.import_bundle(coord, p2[0]).changed
    finally:
        coord.close()


def test_default_folder_is_beside_the_database_not_the_current_directory(profile, clock, tmp_path, monkeypatch):
    from handoff_helpers import referral

    from conftest import ROSTER

    monkeypatch.chdir(tmp_path)
    d = Desk.open("school/advocate.db", profile, clock=clock)
    try:
        d.store.upsert_students(ROSTER)
        referral(d, ["S1001"], "Relative path")
        paths = bs.write_bundle(d, hs.sign_off(d, "J. Rivera"))
    finally:
        d.close()
    assert paths[0].is_absolute() and paths[0].parent == tmp_path / "school" / "handoffs"
    assert not (tmp_path / "handoffs").exists()


async def test_coordinator_view_tells_two_handoffs_numbered_1_apart(desk, second_desk, profile, clock, tmp_path):
    from handoff_helpers import referral

    from advocate_tui.app import AdvocateApp

    referral(desk, ["S1001"], "Desk one referral")
    referral(second_desk, ["S1002"], "Desk two referral")
    h1 = hs.sign_off(desk, "J. Rivera")
    clock.advance(minutes=5)
    h2 = hs.sign_off(second_desk, "M. Chen")
    coord = Desk.open(tmp_path / "coord.db", profile, clock=clock, user="coordinator")
    try:
        for d, h in ((desk, h1), (second_desk, h2)):
            bs.import_bundle(coord, bs.write_bundle(d, h, tmp_path / "shared")[0], trust=trust_of(d))
        app = AdvocateApp(coord, coordinator=True)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            seen = []
            for _ in range(2):
                seen.append(str(app.screen.query_one("#coordinator-detail").content))
                await pilot.press("down")
                await pilot.pause()
        details = "\n".join(seen)
        assert f"#1 · J. Rivera 10:45 · {h1.id[:8]}" in details
        assert f"#1 · M. Chen 10:50 · {h2.id[:8]}" in details
    finally:
        coord.close()


# ---------------------------------------------------------------- 3: voids and amendments after a handoff reach the coordinator
async def test_a_void_and_an_amendment_after_the_handoff_reach_the_coordinator(desk, profile, clock, tmp_path):
    from handoff_helpers import referral

    from advocate_tui.app import AdvocateApp
    from advocate_tui.models import ReferralStatus
    from advocate_tui.screens.handoff import HandoffScreen
    from advocate_tui.services import coordinator as coord

    keep = referral(desk, ["S1001"], "Conflict in the cafeteria")
    gone = referral(desk, ["S1003"], "Rumour spreading")
    h1 = hs.sign_off(desk, "J. Rivera")
    b1 = bs.write_bundle(desk, h1)[0]
    fresh = referral(desk, ["S1005"], "Not handed off yet")
    assert hs.void_warning(desk, desk.store.get(Referral, gone.id)) is not None
    assert "coordinator already has" in hs.void_warning(desk, desk.store.get(Referral, gone.id))
    assert hs.void_warning(desk, fresh) is None

    coordinator = Desk.open(tmp_path / "coord.db", profile, clock=clock, user="coordinator")
    try:
        bs.import_bundle(coordinator, b1, trust=trust_of(desk))
        coord.accept(coordinator, keep.id)  # the coordinator's own work, never undone

        clock.advance(hours=1)
        desk.store.void(Referral, gone.id, "Entered for the wrong student")
        current = desk.store.get(Referral, keep.id)
        desk.store.amend(current.model_copy(update={"reason": "Conflict in the cafeteria, both agreed to a circle"}))
        rv = hs.review(desk)
        assert {r.id for r in rv.changes} == {keep.id, gone.id}
        assert [r.id for r in rv.referrals] == [fresh.id]

        # the review screen lists them
        app = AdvocateApp(desk)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            app.push_screen(HandoffScreen())
            await pilot.pause()
            others = str(app.screen.query_one("#handoff-others").content)
            assert "Changes to earlier handoffs (2)" in others
            assert "VOIDED" in others and "Entered for the wrong student" in others

        h2 = hs.sign_off(desk, "J. Rivera")
        assert set(h2.referral_ids) == {fresh.id, keep.id, gone.id}
        assert desk.store.get(Referral, gone.id).handoff_id == h1.id
        assert hs.review(desk).changes == []  # carried once, not again
        b2 = bs.write_bundle(desk, h2)[0]
        md = b2.with_suffix(".md").read_text(encoding="utf-8")
        assert "## Changes to earlier handoffs (2)" in md and "Void: Entered for the wrong student" in md
        assert "Void: Entered for the wrong student" in b2.with_suffix(".csv").read_text(encoding="utf-8-sig")

        result = bs.import_bundle(coordinator, b2)
        assert result.updated["referrals"] == 2 and result.added["referrals"] == 1
        voided = coordinator.store.get(Referral, gone.id)
        assert voided.voided and voided.void_reason == "Entered for the wrong student"
        amended = coordinator.store.get(Referral, keep.id)
        assert amended.reason.endswith("both agreed to a circle")
        assert amended.status is ReferralStatus.ACCEPTED  # not set back to handed off
        # the older bundle again changes nothing
        assert not bs.import_bundle(coordinator, b1).changed
        assert coordinator.store.get(Referral, gone.id).voided
        assert coordinator.store.get(Referral, keep.id).reason.endswith("both agreed to a circle")

        app = AdvocateApp(coordinator, coordinator=True)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            table = app.screen.query_one("#coordinator-queue")
            assert table.row_count == 3
            labels = [str(c.label) for c in table.columns.values()]
            statuses = [str(table.get_row_at(i)[labels.index("Status")]) for i in range(table.row_count)]
            assert any(s.startswith("VOIDED") for s in statuses)
            table.move_cursor(row=table.get_row_index(gone.id))
            await pilot.pause()
            assert "VOIDED by the advocate" in str(app.screen.query_one("#coordinator-detail").content)
            await pilot.press("a")
            await pilot.pause()
            assert "voided" in str(app.screen.query_one("#coordinator-message").content)
        assert not coordinator.store.get(Referral, gone.id).status is ReferralStatus.ACCEPTED
    finally:
        coordinator.close()


# ---------------------------------------------------------------- 5: the tables fit 80×24
@pytest.mark.parametrize("size", [(80, 24), (120, 36), (160, 48)])
async def test_review_and_coordinator_tables_fit_the_terminal(desk, profile, clock, tmp_path, size):
    from advocate_tui.app import AdvocateApp
    from advocate_tui.screens.handoff import HandoffScreen

    day = busy_day(desk)
    app = AdvocateApp(desk)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.push_screen(HandoffScreen())
        await pilot.pause()
        table = app.screen.query_one("#handoff-referrals")
        labels = [str(c.label) for c in table.columns.values()]
        assert {"Students", "Purpose", "Reason"} <= set(labels)
        assert table.virtual_size.width <= table.size.width  # nothing pushed off-screen
        assert all(c.width >= 6 for c in table.columns.values())
        detail = str(app.screen.query_one("#handoff-detail").content)
        urgent = day["referrals"][1]
        assert urgent.reason in detail and urgent.destination in detail  # full text of the selected row
    bundle = bs.write_bundle(desk, hs.sign_off(desk, "J. Rivera"))[0]
    coordinator = Desk.open(tmp_path / "coord.db", profile, clock=clock, user="coordinator")
    try:
        bs.import_bundle(coordinator, bundle, trust=trust_of(desk))
        app = AdvocateApp(coordinator, coordinator=True)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            table = app.screen.query_one("#coordinator-queue")
            labels = [str(c.label) for c in table.columns.values()]
            narrow = size[0] < 130
            # narrow: "For" (the purpose) and "Next step" (status, meeting, facilitator); "To" in the detail
            assert {"Students", "For", "Next step"} <= set(labels) if narrow else \
                {"Students", "Purpose", "Status", "Facilitator", "Meeting", "To"} <= set(labels)
            assert table.virtual_size.width <= table.size.width
            purpose = labels.index("For" if narrow else "Purpose")
            cells = [str(table.get_row_at(i)[purpose]) for i in range(table.row_count)]
            assert "Circle" in cells and any(c.startswith("Re-entry") for c in cells)
            if narrow:
                steps = [str(table.get_row_at(i)[labels.index("Next step")]) for i in range(table.row_count)]
                assert all(s.startswith("New → accept") for s in steps)
                assert "RJ Coordinator" in str(app.screen.query_one("#coordinator-detail").content)
            else:
                to = [str(table.get_row_at(i)[labels.index("To")]) for i in range(table.row_count)]
                assert all(t == "RJ Coordinator" for t in to)
    finally:
        coordinator.close()
