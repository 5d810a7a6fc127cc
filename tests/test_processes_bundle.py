"""The handoff bundle carries restorative processes to the coordinator: those changed since the last
handoff, as they are now; the coordinator's import adds them (and again changes nothing); a process
changed later goes with the next handoff only."""

from __future__ import annotations

import json
from datetime import date

from advocate_tui.desk import Desk
from advocate_tui.models import Handoff
from advocate_tui.models.process import ItemStatus, Party, Process, Stage
from advocate_tui.services import bundle as bs
from advocate_tui.services import handoff as hs
from advocate_tui.services import processes as svc
from advocate_tui.services import process_lists
from district_helpers import district  # noqa: F401 - the fixture
from handoff_helpers import referral, trust_of


def test_a_handoff_carries_the_processes_changed_since_the_last_one(desk, profile, clock, tmp_path):
    ref = referral(desk, ["S1001", "S1003"], "Name-calling in class")
    process = svc.start_from_referral(desk, ref.id)
    svc.hold_meeting(desk, process.id, reason="both ready", agreement_reached=True)
    process = svc.add_item(desk, process.id, what="Apologise", owner=process.parties[0].id, due=date(2026, 11, 25))
    circle = svc.log_circle(desk, group_name="H-101", participants=21)
    first = hs.sign_off(desk, "JR")
    assert set(first.process_ids) == {process.id, circle.id}
    json_path = bs.write_bundle(desk, first)[0]
    data = json.loads(json_path.read_text())
    assert {p["id"] for p in data["processes"]} == {process.id, circle.id}
    assert {"S1001", "S1003"} <= {s["local_id"] for s in data["students"]}

    coord = Desk.open(tmp_path / "coord" / "coord.db", profile, clock=clock, user="coordinator")
    try:
        result = bs.import_bundle(coord, json_path, trust=trust_of(desk))
        assert result.added.get("processes") == 2
        got, sent = coord.store.get(Process, process.id), desk.store.get(Process, process.id)
        # the coordinator's database keys the school's students '<school>:<number>'; nothing else changes
        school = profile.school.short_name
        assert got.student_ids() == [f"{school}:{sid}" for sid in sent.student_ids()]
        assert got.model_dump(exclude={"parties"}) == sent.model_dump(exclude={"parties"})
        assert got.stage is Stage.FOLLOWING
        assert [p.id for p in process_lists.board(coord)[Stage.FOLLOWING]] == [process.id]
        again = bs.import_bundle(coord, json_path)
        assert not again.changed and coord.store.select(Process, include_voided=True).__len__() == 2

        # the advocate marks the item done: the next handoff carries that process only
        clock.advance(hours=2)
        svc.mark_item(desk, process.id, process.items[0].id, ItemStatus.DONE)
        second = hs.sign_off(desk, "JR", "item done")
        assert second.process_ids == [process.id]
        bs.import_bundle(coord, bs.write_bundle(desk, second)[0])
        assert coord.store.get(Process, process.id).items[0].status is ItemStatus.DONE
        assert coord.store.get(Handoff, second.id).process_ids == [process.id]
    finally:
        coord.close()


async def test_a_schools_process_in_a_district_database_names_that_schools_student(district):
    """Two schools use the same numbers: Lincoln's process with its S1001 (Bea Lindgren) comes into the
    district's database under 'lincoln-ms:S1001', not as Cedar Hollow's S1001; the board shows it."""
    from textual.widgets import DataTable

    from advocate_tui.app import AdvocateApp
    from advocate_tui.screens.processes import ProcessBoard

    lincoln, coord = district.lincoln, district.coord
    ref = referral(lincoln, ["S1001", "S1003"], "Shoving at the bus stop")
    process = svc.start_from_referral(lincoln, ref.id)
    bs.import_bundle(coord, bs.write_bundle(lincoln, hs.sign_off(lincoln, "M. Okoro"))[0])

    got = coord.store.get(Process, process.id)
    assert got.student_ids() == ["lincoln-ms:S1001", "lincoln-ms:S1003"]
    assert coord.store.student("lincoln-ms:S1001").family_name == "Lindgren"
    assert [p.id for p in process_lists.board(coord)[Stage.REFERRED]] == [process.id]
    assert "Bea Lindgren" in process_lists.students_line(coord, got)
    assert [p for p, _role, _items in process_lists.student_processes(coord, "lincoln-ms:S1001")] == [got]
    assert process_lists.student_processes(coord, "cedar-hollow-hs:S1001") == []
    again = bs.import_bundle(coord, district.lincoln_bundle)
    assert not again.changed

    app = AdvocateApp(coord, coordinator=True)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ProcessBoard)
        table = app.screen.query_one("#board", DataTable)
        rows = [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        assert any("Bea Lindgren" in row for row in rows), rows
        assert not any("Ana Garcia" in row for row in rows), rows


def test_a_bundle_with_a_process_it_does_not_list_is_refused(desk, tmp_path):
    ref = referral(desk, ["S1001"], "Late again")
    p = svc.start(desk, "conference", [Party(student_id="S1001", role="responsible")], referral_id=ref.id)
    handoff = hs.sign_off(desk, "JR")
    bundle = bs.build_bundle(desk, handoff)
    doc = json.loads(bundle.model_dump_json())
    doc["handoff"]["process_ids"] = []
    try:
        bs._check_consistent(type(bundle).model_validate(doc), "x.json")
    except bs.BundleError as exc:
        assert "processes" in str(exc)
    else:
        raise AssertionError(f"a bundle holding process {p.id} its handoff does not list was accepted")


def test_the_json_export_carries_processes_without_names_or_numbers(desk, tmp_path):
    from jsonschema import Draft202012Validator

    from advocate_tui.services.json_export import export_json
    from test_schemas import validator

    process = svc.start(desk, "conference", [Party(student_id="S1003", role="harmed", wishes="Zoë wants an apology"),
                                             Party(name="Mr. Okafor", relation="parent_caregiver", role="supporter")])
    svc.hold_meeting(desk, process.id, reason="ready", agreement_reached=True)
    svc.add_item(desk, process.id, what="Say sorry to Zoë", owner=process.parties[0].id, due=date(2026, 11, 30))
    export_json(desk, tmp_path / "out")
    [line] = (tmp_path / "out" / "process.jsonl").read_text().splitlines()
    data = json.loads(line)
    record = data.get("record", data)
    assert "S1003" not in line and "Okafor" not in line and "Zoë" not in line
    parties = record["parties"]
    assert parties[0]["student_id"].startswith("anon-") and parties[1]["name"] == "[name]"
    assert record["items"][0]["what"] == "Say sorry to [name]"
    assert isinstance(validator("process.schema.json"), Draft202012Validator)
    assert validator("process.schema.json").is_valid(record)


def test_the_processes_changed_since_a_handoff_are_found_from_the_processes_not_the_whole_audit(desk, monkeypatch):
    """The handoff review finds the processes changed since the last handoff from each process's own audit
    entries: it never reads the whole audit trail (a decade's 290,000 entries took ~5 s encrypted, bench/)."""
    from advocate_tui.store.processes import processes_changed_since

    ref = referral(desk, ["S1001", "S1003"], "Name-calling in class")
    process = svc.start_from_referral(desk, ref.id)
    db = desk.store.db
    real, plans = db.execute, []

    def execute(query, params=(), *args, **kwargs):
        plans.append([r[-1] for r in real("EXPLAIN QUERY PLAN " + query, params).fetchall()])
        return real(query, params, *args, **kwargs)

    monkeypatch.setattr(db, "execute", execute)
    assert processes_changed_since(desk.store, None) == [process.id]
    assert processes_changed_since(desk.store, "2999-01-01T00:00:00+00:00") == []
    assert plans and all(not step.startswith(("SCAN a", "SCAN audit")) for plan in plans for step in plan), plans


async def test_the_handoff_review_shows_the_processes_it_will_carry(desk):
    """What a sign-off carries is on the review screen before it is signed: the processes changed since
    the last handoff, each with its kind, students and next step, and "N processes changed" in the line
    of contents."""
    from advocate_tui.app import AdvocateApp
    from advocate_tui.screens.handoff import HandoffScreen

    ref = referral(desk, ["S1001", "S1003"], "Name-calling in class")
    process = svc.start_from_referral(desk, ref.id)
    svc.log_circle(desk, group_name="H-101 [/] advisory", participants=21)
    app = AdvocateApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("H")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HandoffScreen)
        others = str(screen.query_one("#handoff-others").render())
        assert "Restorative processes changed since the last handoff (2):" in others
        assert process_lists.kind_name(desk, process.process_kind) in others
        assert "H-101 [/] advisory, 21 took part" in others  # a typed name shown as typed, never markup
        await pilot.press("tab", "J", "R", "enter")  # the sign-off asks, saying what it carries
        await pilot.pause()
        assert "2 processes changed" in app.screen.question


def test_the_handoff_markdown_lists_the_processes_it_carries(desk):
    """The coordinator's Markdown of a handoff has the processes it carries: kind, students, stage, items."""
    ref = referral(desk, ["S1001", "S1003"], "Name-calling in class")
    process = svc.start_from_referral(desk, ref.id)
    svc.hold_meeting(desk, process.id, reason="both ready", agreement_reached=True)
    svc.add_item(desk, process.id, what="Apologise", owner=process.parties[0].id, due=date(2026, 11, 25))
    svc.log_circle(desk, group_name="H-101 *advisory*", participants=21)
    handoff = hs.sign_off(desk, "JR")
    md = next(p for p in bs.write_bundle(desk, handoff) if p.suffix == ".md").read_text(encoding="utf-8")
    section = md.split("## Restorative processes changed (2)", 1)[1]
    assert "S1001" in section and "S1003" in section and "0 of 1 done" in section
    assert "Agreement being followed" in section and "Closed" in section
    assert "H-101 \\*advisory\\*" in section  # a typed name is text in the Markdown, never emphasis
