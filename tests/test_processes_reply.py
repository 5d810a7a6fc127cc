"""The coordinator's reply carries restorative processes back to the school (issue 12 on issue 13's loop):
a process the district's coordinator started from a school's referral, with its agreement items, comes
back in the signed reply with the school's own student numbers; the school takes it in once (again:
nothing doubles), its due line shows the item; a change made at the school since is kept."""

from __future__ import annotations

import json

from advocate_tui.app import AdvocateApp
from advocate_tui.models import Referral
from advocate_tui.models.process import ItemStatus, Process
from advocate_tui.services import processes as svc
from advocate_tui.services import process_lists
from advocate_tui.services import reply as rp
from district_helpers import district, everything  # noqa: F401 - the fixture
from handoff_helpers import trust_of
from main_seed import screen_text


async def test_a_process_the_coordinator_works_comes_back_to_the_school_with_its_items(district):
    school, c, clock = district.cedar, district.coord, district.coord.clock
    first = district.cedar_day["referrals"][0]
    keyed = c.store.get(Referral, first.id).students
    assert keyed == [f"cedar-hollow-hs:{sid}" for sid in first.students]
    process = svc.start_from_referral(c, first.id)
    svc.hold_meeting(c, process.id, reason="both ready", agreement_reached=True)
    process = svc.add_item(c, process.id, what="Write an apology to the class", owner=process.parties[0].id,
                           due=clock.today())

    written = rp.write_replies(c)
    assert [w.reply.school_short for w in written] == ["cedar-hollow-hs"]  # Lincoln's processes: none
    data = json.loads(written[0].paths[0].read_text("utf-8"))
    assert data["format_version"] == 2
    [sent] = data["processes"]
    assert [p["student_id"] for p in sent["parties"]] == first.students  # the school's own numbers
    assert "cedar-hollow-hs:" not in written[0].paths[0].read_text("utf-8")
    assert "Write an apology" in written[0].paths[1].read_text("utf-8")  # the .md to read lists it

    assert process_lists.due_items(school) == []
    taken = rp.import_reply(school, written[0].paths[0], trust=trust_of(c))
    assert taken.applied == {"processes": 1}
    got = school.store.get(Process, process.id)
    assert got.student_ids() == first.students and got.referral_id == first.id
    assert [i.what for i in got.items] == ["Write an apology to the class"]
    [due] = process_lists.due_items(school)
    assert "Write an apology" in due.text
    once = everything(school)
    again = rp.import_reply(school, written[0].paths[0])
    assert not again.changed and again.unchanged == 1 and everything(school) == once

    app = AdvocateApp(school)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert "Write an apology" in screen_text(app)  # the main screen's due line

    # the advocate marks the item done at the school; a later reply with the coordinator's older copy keeps it
    clock.advance(minutes=5)
    svc.mark_item(school, process.id, got.items[0].id, ItemStatus.DONE)
    kept = rp.import_reply(school, written[0].paths[0])
    assert kept.kept == 1 and school.store.get(Process, process.id).items[0].status is ItemStatus.DONE


def test_a_reply_without_processes_is_still_format_version_1(district):
    from advocate_tui.services import coordinator as co

    c = district.coord
    co.accept(c, district.cedar_day["referrals"][0].id)
    written = rp.write_reply(c, "cedar-hollow-hs")
    data = json.loads(written.paths[0].read_text("utf-8"))
    assert data["format_version"] == 1 and data["processes"] == []
    assert rp.import_reply(district.cedar, written.paths[0], trust=trust_of(c)).applied == {"accepted": 1}
