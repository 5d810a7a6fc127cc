"""Signed handoff bundles: forgeries, unknown and wrong desks, the wrong database, the future, size and
depth, older bundles, demo and real, trust on first use (prompt, --trust, fingerprints shown)."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from advocate_tui.cli.main import main
from advocate_tui.clock import Clock
from advocate_tui.desk import Desk
from advocate_tui.models import AuditAction, Referral, Student
from advocate_tui.services import bundle as bs
from advocate_tui.services import handoff as hs
from advocate_tui.services.bundle import BundleError
from advocate_tui.services.signing import SignatureError, sign_document, sign_with, verify_document
from advocate_tui.services.trust import ROLE_KEY, served
from conftest import ROSTER
from handoff_helpers import busy_day, referral, trust_of

PASSPHRASE = "coordinator pass 1"


@pytest.fixture
def bundle_path(desk):
    """The school's first handoff (a busy day), signed and written."""
    busy_day(desk)
    return bs.write_bundle(desk, hs.sign_off(desk, "J. Rivera", "Circle tomorrow"))[0]


@pytest.fixture
def coord(profile, tmp_path):
    """The coordinator's own database, on its own clock (late afternoon of the same day)."""
    d = Desk.open(tmp_path / "coord" / "coord.db", profile, clock=Clock.frozen(profile, "2026-11-23 16:00"),
                  user="coordinator")
    yield d
    d.close()


def other_desk(profile, clock, folder, *, name=None, short=None):
    """Another desk with its own database (and key): the same school, or another one when named."""
    if name:
        profile = profile.model_copy(update={"school": profile.school.model_copy(update={"name": name,
                                                                                        "short_name": short})})
    d = Desk.open(folder / "advocate.db", profile, clock=clock)
    d.store.upsert_students(ROSTER)
    return d


def snapshot(desk):
    """Everything an import could write: row counts, the audit trail, trusted keys, the database's role."""
    store = desk.store
    return (store.counts(), len(store.audit_trail(limit=100000)), store.trusted_keys("handoff"),
            store.get_meta(ROLE_KEY), [s.model_dump() for s in store.students_by_id([s.local_id for s in ROSTER]).values()])


def rewrite(path, out, change):
    """The bundle at ``path`` changed by ``change(data)`` and written to ``out``; a format-1 checksum is
    recomputed with hashlib as anyone could (it had no secret)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    if "checksum" in data:
        body = {k: v for k, v in data.items() if k != "checksum"}
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        data["checksum"] = "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    out.write_text(json.dumps(data), encoding="utf-8")
    return out


def refused(coord, path, match, **kwargs):
    """Import ``path``: refused with one line matching ``match``, and nothing written."""
    before = snapshot(coord)
    with pytest.raises(BundleError, match=match) as err:
        bs.import_bundle(coord, path, **kwargs)
    assert "\n" not in str(err.value)
    assert snapshot(coord) == before
    return str(err.value)


def _edit_referral(data):
    data["referrals"][0]["reason"] = "Nothing happened, close it"


def _add_void(data):
    data["referrals"][0].update(voided=True, void_reason="Entered by mistake")


def _rename_student(data):
    data["students"][0]["family_name"] = "Someone-Else"


# ------------------------------------------------------------------------------------ the signature
def test_the_bundle_is_signed_with_the_desks_key_over_every_member(desk, bundle_path):
    data = json.loads(bundle_path.read_text(encoding="utf-8"))
    assert data["signature"]["fingerprint"] == trust_of(desk)
    assert verify_document(data).fingerprint == trust_of(desk)
    changes = {"school": "Another School", "school_short": "another", "date": "2026-11-24", "sequence": 2,
               "format_version": 3, "demo": True, "generated_at": "2026-11-23T10:45:01-06:00"}
    for key, value in changes.items():
        with pytest.raises(SignatureError):
            verify_document({**data, key: value})
    for section in ("referrals", "students", "incidents", "attendance", "contact_notes", "door_checks",
                    "patrol_rounds"):
        changed = json.loads(json.dumps(data))
        first = changed[section][0]
        first[next(k for k, v in first.items() if isinstance(v, str) and k != "id")] += "!"
        with pytest.raises(SignatureError):
            verify_document(changed)
        del changed[section][0]
        with pytest.raises(SignatureError):
            verify_document(changed)


@pytest.mark.parametrize("forge", [_edit_referral, _add_void, _rename_student])
def test_a_changed_bundle_is_refused_even_with_its_checksum_recomputed(desk, coord, bundle_path, tmp_path, forge):
    bs.import_bundle(coord, bundle_path, trust=trust_of(desk))
    forged = rewrite(bundle_path, tmp_path / "forged.json", forge)
    refused(coord, forged, "signature does not match its content")


def test_a_bundle_re_signed_with_another_key_is_refused(desk, coord, bundle_path, tmp_path):
    bs.import_bundle(coord, bundle_path, trust=trust_of(desk))
    data = json.loads(bundle_path.read_text(encoding="utf-8"))
    _edit_referral(data)
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(sign_with(Ed25519PrivateKey.generate(), data)), encoding="utf-8")
    assert "does not trust for cedar-hollow-hs" in refused(coord, forged, "not imported")


def test_another_schools_bundle_needs_its_own_trust_and_a_key_speaks_for_one_school(desk, coord, bundle_path,
                                                                                    profile, clock, tmp_path):
    bs.import_bundle(coord, bundle_path, trust=trust_of(desk))
    birch = other_desk(profile, clock, tmp_path / "birch", name="Birch Lane Middle", short="birch-lane")
    try:
        referral(birch, ["S1001"], "Birch Lane referral")
        theirs = bs.write_bundle(birch, hs.sign_off(birch, "K. Osei"))[0]
        assert "birch-lane is not a school this database serves yet" in refused(coord, theirs, "not imported")
        # the first school's desk key, signing a bundle that names the other school
        named = json.loads(bundle_path.read_text(encoding="utf-8"))
        named["school_short"] = "birch-lane"
        posing = tmp_path / "posing.json"
        posing.write_text(json.dumps(sign_document(desk, named)), encoding="utf-8")
        refused(coord, posing, "signed by the key of cedar-hollow-hs's desk but names birch-lane")
        refused(coord, posing, "names birch-lane", trust=trust_of(desk))
        # the other school, once its own key is confirmed
        assert bs.import_bundle(coord, theirs, trust=trust_of(birch)).trusted_now
        assert {(k.party, k.fingerprint) for k in served(coord)} == {("cedar-hollow-hs", trust_of(desk)),
                                                                     ("birch-lane", trust_of(birch))}
    finally:
        birch.close()


def test_a_bundle_is_never_imported_into_an_advocates_database(desk, bundle_path, capsys):
    refused(desk, bundle_path, "is an advocate's database", trust=trust_of(desk))
    before = snapshot(desk)
    assert main(["handoff", "import", str(bundle_path), "--db", str(desk.store.path), "--trust", trust_of(desk),
                 "--allow-plain"]) == 1  # (the fixture desk is unencrypted: the flag gets past that refusal)
    err = capsys.readouterr().err
    assert "advocate's database" in err and len(err.strip().splitlines()) == 1
    assert snapshot(desk) == before


def test_a_bundle_from_the_future_is_refused_and_blocks_no_later_correction(desk, coord, clock):
    ref = referral(desk, ["S1001"], "Conflict in the cafeteria")
    bs.import_bundle(coord, bs.write_bundle(desk, hs.sign_off(desk, "JR"))[0], trust=trust_of(desk))
    clock.set("2099-11-23 10:00")  # the school desk's clock is wrong
    desk.store.amend(desk.store.get(Referral, ref.id).model_copy(update={"reason": "Amended under a wrong clock"}))
    future = bs.write_bundle(desk, hs.sign_off(desk, "JR"))[0]
    assert "is dated 2099-11-23 10:00, in the future" in refused(coord, future, "not imported")
    clock.set("2026-11-23 11:30")  # the clock is put right; the advocate corrects the referral
    desk.store.amend(desk.store.get(Referral, ref.id).model_copy(update={"reason": "Conflict, both want a circle"}))
    later = bs.write_bundle(desk, hs.sign_off(desk, "JR"))[0]
    assert bs.import_bundle(coord, later).updated["referrals"] == 1
    assert coord.store.get(Referral, ref.id).reason == "Conflict, both want a circle"


def test_a_few_minutes_of_clock_difference_are_accepted(desk, coord, clock):
    referral(desk, ["S1001"], "Conflict in the cafeteria")
    clock.set("2026-11-23 16:04")  # four minutes ahead of the coordinator's clock
    assert bs.import_bundle(coord, bs.write_bundle(desk, hs.sign_off(desk, "JR"))[0], trust=trust_of(desk)).changed


# ------------------------------------------------------------------------------ trust on first use
def test_a_new_school_is_trusted_only_with_its_fingerprint(desk, coord, bundle_path):
    fingerprint = trust_of(desk)
    message = refused(coord, bundle_path, "not a school this database serves yet")
    assert fingerprint in message and "--trust" in message and "advocate check" in message
    someone = sign_with(Ed25519PrivateKey.generate(), {"x": 1})["signature"]["fingerprint"]
    refused(coord, bundle_path, "is not this file's key", trust=someone)
    refused(coord, bundle_path, "is not a key fingerprint", trust="1234")
    typed = fingerprint.lower().replace("-", " ")  # as a person might type it
    result = bs.import_bundle(coord, bundle_path, trust=typed)
    assert result.trusted_now and result.added["referrals"] == 3
    [key] = coord.store.trusted_keys("handoff")
    assert (key.fingerprint, key.party, key.how, key.trusted_by) == (fingerprint, "cedar-hollow-hs", "--trust",
                                                                     "coordinator")
    assert [e.action for e in coord.store.history(fingerprint)] == [AuditAction.TRUST]
    assert coord.store.get_meta(ROLE_KEY) == "coordinator"
    # the same signed bundle again: nothing doubles, nothing more to trust
    before = snapshot(coord)
    again = bs.import_bundle(coord, bundle_path)
    assert not again.changed and not again.trusted_now
    assert snapshot(coord) == before


def test_a_second_key_for_the_same_school_is_refused(desk, coord, bundle_path, profile, clock, tmp_path):
    bs.import_bundle(coord, bundle_path, trust=trust_of(desk))
    second = other_desk(profile, clock, tmp_path / "desk2")
    try:
        referral(second, ["S1002"], "From a second desk")
        theirs = bs.write_bundle(second, hs.sign_off(second, "M. Chen"))[0]
        message = refused(coord, theirs, "does not trust for cedar-hollow-hs")
        assert trust_of(second) in message and trust_of(desk) in message
        pending = bs.check_import(coord, theirs)
        assert pending.needs_flag and not pending.needs_confirmation  # no prompt or dialog can wave it through
    finally:
        second.close()


def test_demo_and_real_bundles_never_mix(desk, bundle_path, profile, clock, tmp_path):
    demo = other_desk(profile, clock, tmp_path / "demo")
    demo.store.set_meta("demo_seed", "1")
    real_coord = Desk.open(tmp_path / "real-coord.db", profile, clock=clock)
    demo_coord = Desk.open(tmp_path / "demo-coord.db", profile, clock=clock)
    try:
        referral(demo, ["S1001"], "A demo referral")
        demo_bundle = bs.write_bundle(demo, hs.sign_off(demo, "Demo"))[0]
        assert json.loads(demo_bundle.read_text(encoding="utf-8"))["demo"] is True
        bs.import_bundle(real_coord, bundle_path, trust=trust_of(desk))
        refused(real_coord, demo_bundle, "demo school's bundle", trust=trust_of(demo))
        bs.import_bundle(demo_coord, demo_bundle, trust=trust_of(demo))
        refused(demo_coord, bundle_path, "holds the demo school's bundles", trust=trust_of(desk))
    finally:
        for d in (demo, real_coord, demo_coord):
            d.close()


# --------------------------------------------------------------------------------- size and depth
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(coord, tmp_path, monkeypatch, capsys):
    big = tmp_path / "big.json"
    with big.open("wb") as fh:
        fh.truncate(bs.MAX_BUNDLE_BYTES + 1)

    def never(*args, **kwargs):
        raise AssertionError("parsed")
    monkeypatch.setattr(bs.json, "loads", never)
    refused(coord, big, "larger than a handoff bundle can be")
    new = tmp_path / "new.db"
    assert main(["handoff", "import", str(big), "--db", str(new)]) == 1
    err = capsys.readouterr().err
    assert "larger than a handoff bundle can be (20 MB)" in err and len(err.strip().splitlines()) == 1
    assert not new.exists()


@pytest.mark.parametrize("depth", [bs.MAX_DEPTH + 1, 100_000])
def test_nesting_deeper_than_a_bundle_is_refused_in_one_line(coord, tmp_path, capsys, depth):
    deep = tmp_path / "deep.json"
    inner = "[" * (depth - 1) + "]" * (depth - 1)
    deep.write_text('{"format": "advocate-tui.handoff", "format_version": 2, "x": ' + inner + "}", encoding="utf-8")
    refused(coord, deep, "nests deeper than a bundle's")
    assert main(["handoff", "import", str(deep), "--db", str(tmp_path / "new.db")]) == 1
    err = capsys.readouterr().err
    assert "nests deeper" in err and len(err.strip().splitlines()) == 1 and "unexpected" not in err


def test_the_depth_limit_is_the_deepest_the_bundle_schema_allows():
    schema = bs.bundle_schema()

    def depth(node, level=0):
        if "$ref" in node:
            return depth(schema["$defs"][node["$ref"].rsplit("/", 1)[-1]], level)
        alternatives = node.get("anyOf") or node.get("oneOf") or node.get("allOf")
        if alternatives:
            return max(depth(n, level) for n in alternatives)
        if node.get("type") == "object":
            assert node.get("additionalProperties") is False  # no free-form objects: the depth is bounded
            return max([depth(n, level + 1) for n in node.get("properties", {}).values()] or [level + 1])
        if node.get("type") == "array":
            return depth(node["items"], level + 1)
        return level
    assert depth(schema) == bs.MAX_DEPTH


# ------------------------------------------------------------------------------ students and time
def test_an_older_bundle_never_reverts_a_students_name_or_active_flag(desk, coord, clock):
    referral(desk, ["S1001", "S1003"], "Before the roster changed")
    older = bs.write_bundle(desk, hs.sign_off(desk, "JR"))[0]
    clock.advance(hours=1)
    garcia, okafor = desk.store.student("S1001"), desk.store.student("S1003")
    desk.store.upsert_student(garcia.model_copy(update={"family_name": "Garcia-Lopez"}))
    desk.store.upsert_student(okafor.model_copy(update={"active": False}))
    referral(desk, ["S1001", "S1003"], "After the roster changed")
    newer = bs.write_bundle(desk, hs.sign_off(desk, "JR"))[0]

    bs.import_bundle(coord, newer, trust=trust_of(desk))
    result = bs.import_bundle(coord, older)
    assert result.students["kept"] == 2 and result.added["referrals"] == 1
    assert coord.store.student("cedar-hollow-hs:S1001").family_name == "Garcia-Lopez"
    assert coord.store.student("cedar-hollow-hs:S1003").active is False
    # a bundle newer than both still brings the school's latest word
    clock.advance(hours=1)
    desk.store.upsert_student(desk.store.student("S1003").model_copy(update={"active": True}))
    referral(desk, ["S1003"], "Back on the roster")
    bs.import_bundle(coord, bs.write_bundle(desk, hs.sign_off(desk, "JR"))[0])
    assert coord.store.student("cedar-hollow-hs:S1003").active is True


def test_an_unsigned_format_1_bundle_is_refused_with_what_to_do(coord, bundle_path, tmp_path):
    old = rewrite(bundle_path, tmp_path / "old.json", lambda d: (d.pop("signature"), d.update(format_version=1,
                                                                                              checksum="")))
    refused(coord, old, "unsigned bundle from an older advocate-tui .* 'advocate handoff export --date DAY'")


# ------------------------------------------------------------------------------ the command line
def test_cli_needs_the_fingerprint_confirmed_for_a_new_school(desk, bundle_path, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", PASSPHRASE)
    new = tmp_path / "c" / "coord.db"
    args = ["handoff", "import", str(bundle_path), "--db", str(new)]
    assert main(args) == 1  # no terminal, no --trust
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and f"--trust {trust_of(desk)}" in err
    assert not new.exists()
    assert main([*args, "--trust", "not-a-fingerprint"]) == 2
    someone = sign_with(Ed25519PrivateKey.generate(), {"x": 1})["signature"]["fingerprint"]
    assert main([*args, "--trust", someone]) == 1
    assert "is not this file's key" in capsys.readouterr().err and not new.exists()
    assert main([*args, "--trust", trust_of(desk)]) == 0
    out = capsys.readouterr().out
    assert f"trusted the desk key {trust_of(desk)} for cedar-hollow-hs" in out and "imported cedar-hollow-hs · handoff" in out
    assert main(args) == 0  # served now: no --trust needed
    assert "nothing changed" in capsys.readouterr().out


@pytest.mark.parametrize("answer, code", [("n\n", 1), ("\n", 1), ("y\n", 0)])
def test_cli_at_a_terminal_shows_the_fingerprint_and_asks(desk, bundle_path, tmp_path, monkeypatch, capsys,
                                                        answer, code):
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", PASSPHRASE)
    monkeypatch.setattr("advocate_tui.cli.passphrase.interactive", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO(answer))
    new = tmp_path / "c" / "coord.db"
    assert main(["handoff", "import", str(bundle_path), "--db", str(new)]) == code
    printed = capsys.readouterr()
    assert f"\n    {trust_of(desk)}\n" in printed.err and "[y/N]" in printed.err
    assert new.exists() is (code == 0)
    if code:
        assert "the key was not trusted" in printed.err
    else:
        coord = Desk.open(new, desk.profile, clock=desk.clock, passphrase=PASSPHRASE)
        try:
            assert [k.how for k in coord.store.trusted_keys("handoff")] == ["prompt"]
        finally:
            coord.close()


def test_check_and_the_handoff_screen_show_the_desk_key(desk, bundle_path, tmp_path, monkeypatch, capsys):
    assert main(["check", "--db", str(desk.store.path)]) == 0
    assert f"desk key: {trust_of(desk)}" in capsys.readouterr().out
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", PASSPHRASE)
    coord_db = tmp_path / "c" / "coord.db"
    assert main(["handoff", "import", str(bundle_path), "--db", str(coord_db), "--trust", trust_of(desk)]) == 0
    assert main(["check", "--db", str(coord_db)]) == 0
    out = capsys.readouterr().out
    assert f"trusted school desk key: cedar-hollow-hs {trust_of(desk)}" in out


async def test_the_handoff_screen_shows_the_desk_key(desk):
    from advocate_tui.app import AdvocateApp
    from advocate_tui.screens.handoff import HandoffScreen

    app = AdvocateApp(desk)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.push_screen(HandoffScreen())
        await pilot.pause()
        assert trust_of(desk) in str(app.screen.query_one("#handoff-key").content)


def test_the_private_key_stays_in_the_encrypted_database(profile, clock, tmp_path):
    from advocate_tui.services.backup import export_plain

    d = Desk.open(tmp_path / "school.db", profile, clock=clock, passphrase="school pass 1")
    try:
        trust_of(d)
        private = d.store.desk_key().private_key
        plain = export_plain(d, tmp_path / "plain.db")
    finally:
        d.close()
    conn = sqlite3.connect(plain)
    try:
        assert conn.execute("SELECT count(*) FROM desk_keys").fetchone()[0] == 0
    finally:
        conn.close()
    assert private.encode() not in plain.read_bytes()
    assert private.encode() not in (tmp_path / "school.db").read_bytes()


# ------------------------------------------------------------------------------------ the Markdown
HOSTILE = ["<script>alert(1)</script>", "[click](http://evil.example)", "![pixel](http://evil.example/p.png)",
           "<http://evil.example/auto>", "`rm -rf` and ``two``", "**loud** _quiet_ ~~gone~~", "&lt;b&gt; &amp;",
           "a | b", "<img src=x onerror=alert(1)>", "[ref]: http://evil.example"]


def test_the_markdown_shows_text_from_people_literally(desk, tmp_path):
    markdown_it = pytest.importorskip("markdown_it")
    store = desk.store
    store.upsert_student(Student(local_id="S2001", given_name="[Ann](http://evil.example)", family_name="<b>Lee</b>"))
    for text in HOSTILE:
        referral(desk, ["S2001"], text)
    from advocate_tui.services import peace_room, sweeps  # the shift report in the bundle (issue 14)

    for text in HOSTILE[:5]:
        sweeps.log(desk, {"place": "Hallway", "students": ["S2001"], "note": text, "when": "-5m"})
    peace_room.check_in(desk, {"student": "S2001", "reason": "Cool down", "sent_by": HOSTILE[5], "note": HOSTILE[6]})
    summary = "\n".join(["- a list?", "1. numbered?", "# heading?", "> quote?", *HOSTILE])
    md = bs.bundle_markdown(bs.build_bundle(desk, hs.sign_off(desk, "<b>JR</b> [x](http://evil.example)", summary)))
    parser = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])
    tokens = parser.parse(md)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in (t.children or [])}
    assert not kinds & {"link_open", "image", "html_inline", "html_block", "code_inline", "s_open", "em_open",
                        "bullet_list_open", "ordered_list_open", "code_block", "fence"}
    strong = [t.children[i + 1].content for t in tokens for i, c in enumerate(t.children or []) if c.type == "strong_open"]
    assert set(strong) <= {"URGENT", "<b>JR</b> [x](http://evil.example)"}  # the app's own bold, literal inside
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    handoff_headings = headings[:headings.index(next(h for h in headings if h.startswith("End-of-shift report")))]
    assert len(handoff_headings) == 7 and not [h for h in headings if "?" in h]
    shown = ["".join(c.content for c in t.children or []) for t in tokens if t.type == "inline"]
    for hostile in [*HOSTILE, "[Ann](http://evil.example) <b>Lee</b> (S2001)", "- a list?", "1. numbered?",
                    "# heading?", "> quote?"]:
        assert any(hostile in line for line in shown), hostile
