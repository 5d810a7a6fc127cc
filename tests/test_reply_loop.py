"""The loop closes: a district coordinator's database serving two schools, the coordinator's decisions
and a signed reply, the school importing it (twice: nothing doubles) and showing the coordinator's word on
its main screen, student page and next handoff; a forged or wrong-school reply refused, nothing written."""

from __future__ import annotations

import json

import pendulum
import pytest

from advocate_tui.app import AdvocateApp
from advocate_tui.desk import Desk
from advocate_tui.models import AuditAction, Referral, ReferralOutcome, ReferralStatus, ReplyDecision, Student
from advocate_tui.services import bundle as bs
from advocate_tui.services import coordinator as co
from advocate_tui.services import handoff as hs
from advocate_tui.services import reply as rp
from advocate_tui.services.bundle import BundleError
from advocate_tui.services.signing import sign_with
from advocate_tui.services.stats import DateRange, compute
from district_helpers import district, everything  # noqa: F401 - the fixture
from handoff_helpers import busy_day, trust_of
from main_seed import screen_text


def _decide(district) -> dict[str, Referral]:
    """The coordinator accepts Cedar's first referral, schedules its third (today 11:00, Room 114) and declines
    its second with a reason; Lincoln's referrals stay as they came."""
    c = district.coord
    first, urgent, reentry = district.cedar_day["referrals"]
    co.accept(c, first.id)
    co.schedule(c, reentry.id, c.clock.at(c.clock.today(), pendulum.time(11, 0)), "Room 114")
    co.assign(c, reentry.id, "Ms Delacroix")
    co.decline(c, urgent.id, "Handled by the school's counselor")
    co.note(c, first.id, "Bring the class list")
    return {"accepted": first, "declined": urgent, "scheduled": reentry}


# ------------------------------------------------------------------ one database, several schools
def test_two_schools_with_the_same_student_numbers_stay_apart(district):
    c = district.coord.store
    cedar, lincoln = c.student("cedar-hollow-hs:S1001"), c.student("lincoln-ms:S1001")
    assert (cedar.display_name, cedar.school, cedar.number) == ("Ana Garcia", "cedar-hollow-hs", "S1001")
    assert (lincoln.display_name, lincoln.school, lincoln.number) == ("Bea Lindgren", "lincoln-ms", "S1001")
    assert c.student("S1001") is None  # nobody is filed under a bare number
    # each school's referral names its own student
    cedar_ref = c.get(Referral, district.cedar_day["referrals"][0].id)
    lincoln_ref = c.get(Referral, district.lincoln_day["referrals"][0].id)
    assert cedar_ref.students == ["cedar-hollow-hs:S1001"] and lincoln_ref.students == ["lincoln-ms:S1001"]
    assert [r.id for r, _ in c.student_records("lincoln-ms:S1001")][0] in {r.id for r in district.lincoln_day["referrals"]} | {
        district.lincoln_day["minor"].id}
    # the queue and the data per school
    queue = co.queue(district.coord)
    schools = co.school_of_referrals(district.coord, queue)
    assert sorted(schools.values()) == ["cedar-hollow-hs"] * 3 + ["lincoln-ms"] * 3
    only = co.queue(district.coord, filters=co.Filters(school="lincoln-ms"))
    assert {r.id for r in only} == {r.id for r in district.lincoln_day["referrals"]}
    day = DateRange(district.coord.clock.today(), district.coord.clock.today())
    assert compute(district.coord, day).incidents == 4
    assert compute(district.coord, day, "lincoln-ms").incidents == 2
    students = compute(district.coord, day, "lincoln-ms").table("students")
    assert all("lincoln-ms" in label for label, _ in students.rows)


def test_a_bundle_holding_another_schools_record_is_refused_whole(district, tmp_path):
    """Lincoln's desk can't overwrite a Cedar referral by sending its id: refused, nothing written."""
    cedar_ref = district.cedar_day["referrals"][0]
    lincoln = district.lincoln
    lincoln.store.add(Referral.model_validate({**cedar_ref.model_dump(), "students": ["S1002"],
                                               "created_at": None, "created_by": ""}))
    bundle = bs.write_bundle(lincoln, hs.sign_off(lincoln, "M. Okoro"))[0]
    before = everything(district.coord)
    with pytest.raises(BundleError, match="lincoln-ms's bundle holds records that cedar-hollow-hs's handoff"):
        bs.import_bundle(district.coord, bundle)
    assert everything(district.coord) == before


# ------------------------------------------------------------------ the whole round trip
async def test_the_coordinators_word_comes_back_to_the_school(district):
    school, c = district.cedar, district.coord
    decided = _decide(district)
    written = rp.write_replies(c, note="Two of yours decided today")
    assert [w.reply.school_short for w in written] == ["cedar-hollow-hs"]  # Lincoln has nothing new
    reply_path = written[0].paths[0]
    assert oct(reply_path.stat().st_mode & 0o777) == "0o600"
    data = json.loads(reply_path.read_text("utf-8"))
    assert {i["decision"] for i in data["referrals"]} == {"accepted", "scheduled", "declined"}
    assert data["processes"] == [] and "S1001" not in reply_path.read_text("utf-8")  # no student in the JSON
    assert "Ana Garcia" in written[0].paths[1].read_text("utf-8")  # the .md to read names them
    with pytest.raises(rp.ReplyError, match="nothing new to tell cedar-hollow-hs"):
        rp.write_reply(c, "cedar-hollow-hs")

    first = rp.import_reply(school, reply_path, trust=trust_of(c))
    assert first.trusted_now and first.applied == {"accepted": 1, "scheduled": 1, "declined": 1}
    once = everything(school)
    again = rp.import_reply(school, reply_path)
    assert not again.changed and again.unchanged == 3
    assert everything(school) == once  # nothing doubles, not even the audit trail

    store = school.store
    accepted = store.get(Referral, decided["accepted"].id)
    assert accepted.status is ReferralStatus.ACCEPTED and accepted.coordinator_note == "Bring the class list"
    declined = store.get(Referral, decided["declined"].id)
    assert (declined.status, declined.outcome, declined.outcome_note) == (
        ReferralStatus.CLOSED, ReferralOutcome.DECLINED, "Handled by the school's counselor")
    scheduled = store.get(Referral, decided["scheduled"].id)
    assert scheduled.place == "Room 114" and scheduled.facilitator == "Ms Delacroix"
    assert school.clock.local(scheduled.scheduled_for).format("HH:mm") == "11:00"
    assert store.history(scheduled.id)[-1].action is AuditAction.IMPORT

    app = AdvocateApp(school)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one("#referrals")
        rows = {row.key: row for row in pane.rows}
        assert rows[scheduled.id].status == "Accepted · re-entry meeting today 11:00, Room 114 · soon"
        assert rows[declined.id].status.startswith("Declined: Handled by the school")
        # today's meeting first: who (and their homeroom), from which class, when, where
        meeting = pane.rows[0]
        assert (meeting.kind, meeting.time, meeting.students) == ("meeting", "11:00", "Priya Ramanathan (H-102)")
        assert meeting.what == "Meeting · Re-entry meeting · Room 114"
        assert meeting.status == "from P4 · in 5 min" and meeting.alert  # (10:55 now: time to go)
        assert "Note from District RJ Office: Two of yours decided today" in [r.what for r in pane.rows]
        text = screen_text(app)
        counts = app.screen.query_one("#status").counts
        assert (counts.meetings_today, counts.next_meeting) == (1, "11:00")
        assert "meeting 11:00" in text  # the header
        assert "1 meeting (next 11:00)" in text  # the pane's summary

        # the student page
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"ramanathan")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        page = "\n".join(r.status for r in app.screen.query_one("#student-history").rows)
        assert "Accepted · re-entry meeting today 11:00, Room 114 · with Ms Delacroix" in page

    # the next handoff lists the coordinator's word since the last one
    rv = hs.review(school)
    assert {r.id for r in rv.answered} == {r.id for r in decided.values()}
    from advocate_tui.screens.handoff import HandoffScreen

    app = AdvocateApp(school)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.push_screen(HandoffScreen())
        await pilot.pause()
        others = str(app.screen.query_one("#handoff-others").content)
        assert "The coordinator's word since your last handoff (3):" in others
        assert "Ana Garcia (S1001): Accepted · with" not in others
        assert "Ana Garcia (S1001): Accepted — “Bring the class list”" in others


def _rewritten(path, out, change, key=None):
    data = json.loads(path.read_text("utf-8"))
    change(data)
    if key is not None:
        data = sign_with(key, data)
    out.write_text(json.dumps(data), "utf-8")
    return out


def test_a_forged_or_wrong_school_reply_is_refused_and_nothing_is_written(district, tmp_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    school, c = district.cedar, district.coord
    _decide(district)
    path = rp.write_reply(c, "cedar-hollow-hs").paths[0]
    co.accept(c, district.lincoln_day["referrals"][0].id)
    other = rp.write_reply(c, "lincoln-ms").paths[0]
    trust = trust_of(c)
    before = everything(school)

    def accepted_instead(data):
        data["referrals"][0]["decision"] = "closed"
        data["referrals"][0]["outcome"] = "no_further_action"

    forged = _rewritten(path, tmp_path / "forged.json", accepted_instead)
    with pytest.raises(BundleError, match="signature does not match its content"):
        rp.import_reply(school, forged, trust=trust)
    resigned = _rewritten(path, tmp_path / "resigned.json", accepted_instead, Ed25519PrivateKey.generate())
    with pytest.raises(BundleError, match="not a coordinator this database has taken a reply from"):
        rp.import_reply(school, resigned)
    with pytest.raises(BundleError, match="is a reply to lincoln-ms, and this database is cedar-hollow-hs's"):
        rp.import_reply(school, other, trust=trust)
    with pytest.raises(BundleError, match="not imported: .* is a coordinator's database"):
        rp.import_reply(c, path, trust=trust)
    with pytest.raises(BundleError, match="not imported: district-rj is not a coordinator this database has taken"):
        rp.import_reply(school, path)  # an unknown key, nobody confirmed it
    assert everything(school) == before

    # trusted once, another key for the same coordinator is refused even with a fingerprint typed
    rp.import_reply(school, path, trust=trust)
    after = everything(school)
    with pytest.raises(BundleError, match="does not trust for district-rj"):
        rp.import_reply(school, resigned)
    assert everything(school) == after


def test_an_older_reply_never_sets_back_a_newer_word_and_a_void_stays(district):
    school, c = district.cedar, district.coord
    decided = _decide(district)
    older = rp.write_reply(c, "cedar-hollow-hs").paths[0]
    c.clock.advance(minutes=30)
    co.reopen(c, decided["declined"].id, "The counselor asked us to take it after all")
    newer = rp.write_reply(c, "cedar-hollow-hs").paths[0]
    school.store.void(Referral, decided["accepted"].id, "Entered twice")

    result = rp.import_reply(school, newer, trust=trust_of(c))
    assert result.applied == {"received": 1}
    result = rp.import_reply(school, older)  # arrives late: only what the newer one did not say is taken
    assert result.applied == {"scheduled": 1} and result.kept == 2  # a newer word here; a voided referral
    reopened = school.store.get(Referral, decided["declined"].id)
    assert reopened.status is ReferralStatus.HANDED_OFF and reopened.outcome is None  # the newer word holds
    assert school.store.get(Referral, decided["accepted"].id).voided  # a void is final


def test_the_decision_of_each_state():
    from advocate_tui.services.reply_pending import decision_of

    base = dict(referred_at=pendulum.now("UTC"), students=["S1"], destination="RJ", reason="r")
    assert decision_of(Referral(**base, status="handed_off")) is ReplyDecision.RECEIVED
    assert decision_of(Referral(**base, status="accepted")) is ReplyDecision.ACCEPTED
    assert decision_of(Referral(**base, status="accepted", scheduled_for=pendulum.now("UTC"))) is ReplyDecision.SCHEDULED
    assert decision_of(Referral(**base, status="closed", outcome="declined")) is ReplyDecision.DECLINED
    assert decision_of(Referral(**base, status="closed", outcome="agreement_reached")) is ReplyDecision.CLOSED


def test_students_of_a_served_school_are_keyed_by_it():
    with pytest.raises(ValueError, match="keyed '<school>:<number>'"):
        Student(local_id="S1001", given_name="A", family_name="B", school="lincoln-ms")
    with pytest.raises(ValueError, match="at most 32"):
        Student(local_id="S" * 33, given_name="A", family_name="B")
    long = Student(local_id="lincoln-ms:" + "S" * 32, given_name="A", family_name="B", school="lincoln-ms")
    assert long.number == "S" * 32


def test_a_district_export_gives_each_schools_student_its_own_pseudonym(district, tmp_path):
    """Cedar's S1001 and Lincoln's S1001 are two students: two pseudonyms, and neither number in the files."""
    from advocate_tui.services.json_export import export_json

    c = district.coord
    export_json(c, tmp_path / "export")
    lines = [json.loads(line) for line in (tmp_path / "export" / "students.jsonl").read_text("utf-8").splitlines()]
    assert len(lines) == 12 and len({line["pseudonym"] for line in lines}) == 12
    cedar_ref, lincoln_ref = (district.cedar_day["referrals"][0], district.lincoln_day["referrals"][0])
    referrals = {json.loads(line)["id"]: json.loads(line) for line in
                 (tmp_path / "export" / "referral.jsonl").read_text("utf-8").splitlines()}
    cedar_anon, lincoln_anon = referrals[cedar_ref.id]["students"], referrals[lincoln_ref.id]["students"]
    assert cedar_anon != lincoln_anon and all(s.startswith("anon-") for s in cedar_anon + lincoln_anon)
    every = "".join(p.read_text("utf-8") for p in (tmp_path / "export").iterdir())
    assert "S1001" not in every and "Lindgren" not in every and "Garcia" not in every


def test_the_main_screens_rows_bring_no_signing_into_a_start(desk, tmp_path):
    """The coordinator's notes on the main screen are read without the reply's module (bundles, signing,
    cryptography): main keeps those out of a start."""
    import subprocess
    import sys

    desk.close()
    code = ("import sys; from advocate_tui.desk import Desk; from advocate_tui.profile import demo_profile; "
            "from advocate_tui.services import today; "
            f"d = Desk.open({str(desk.store.path)!r}, demo_profile()); today.pane_rows(d, 'referrals'); today.counts(d); "
            "sys.exit(sorted(m for m in sys.modules if m.split('.')[0] == 'cryptography' "
            "or m.startswith(('advocate_tui.services.reply', 'advocate_tui.services.signing')))[:3] or 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
