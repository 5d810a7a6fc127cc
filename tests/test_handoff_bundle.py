"""Handoff bundles: the files written, the schema, import on the coordinator's side, and refusals."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import stat

import jsonschema
import pytest

from advocate_tui.cli.main import main
from advocate_tui.desk import Desk
from advocate_tui.models import AuditAction, Handoff, HandoffBundle, Referral, ReferralOutcome, ReferralStatus
from advocate_tui.services import bundle as bs
from advocate_tui.services import coordinator as coord
from advocate_tui.services import handoff as hs
from advocate_tui.services.bundle import BundleError
from advocate_tui.services.bundle_text import safe_cell
from advocate_tui.services.signing import sign_document, verify_document
from handoff_helpers import as_the_coordinator_keeps_it, busy_day, trust_of


@pytest.fixture
def signed(desk):
    """A busy day, signed off, with its files written; returns (day, handoff, paths)."""
    day = busy_day(desk)
    handoff = hs.sign_off(desk, "J. Rivera", "Circle needed tomorrow")
    return day, handoff, bs.write_bundle(desk, handoff)


@pytest.fixture
def coordinator_desk(profile, clock, tmp_path):
    d = Desk.open(tmp_path / "coordinator" / "coord.db", profile, clock=clock, user="coordinator")
    yield d
    d.close()


def _snapshot(desk):
    """Counts of every table and the audit trail's length: what 'nothing written' compares."""
    return desk.store.counts(), len(desk.store.audit_trail(limit=100000))


def test_files_are_named_private_and_beside_the_database(desk, signed):
    _, _, paths = signed
    names = [p.name for p in paths]
    assert names == [f"handoff-cedar-hollow-hs-2026-11-23-1.{ext}" for ext in ("json", "md", "csv")]
    folder = paths[0].parent
    assert folder == desk.store.path.parent / "handoffs"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in paths)
    assert not [p for p in folder.iterdir() if p.name.startswith(".tmp")]


def test_json_validates_against_the_schema_and_carries_version_and_signature(desk, signed):
    _, _, paths = signed
    data = json.loads(paths[0].read_text(encoding="utf-8"))
    schema = bs.bundle_schema()
    assert schema is not None
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["format_version"] == 2 and "checksum" not in data
    assert data["signature"]["fingerprint"] == trust_of(desk)
    assert verify_document(data).fingerprint == trust_of(desk)
    assert HandoffBundle.model_validate(data).signature.algorithm == "ed25519"


def test_csv_and_markdown_hold_every_referral(signed):
    day, handoff, paths = signed
    md = paths[1].read_text(encoding="utf-8")
    raw = paths[2].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM so spreadsheets read UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {r["referral_id"] for r in rows} == set(handoff.referral_ids) == {r.id for r in day["referrals"]}
    assert rows[0]["urgency"] == "Urgent"  # urgent first
    formula = next(r for r in rows if "HYPERLINK" in r["reason"])
    assert formula["reason"].startswith("'=")  # formula injection neutralised
    for ref in day["referrals"]:
        assert ref.id[:8] in md
    assert md.index("URGENT") < md.index("Re-entry") < md.index("Conflict with a peer")
    for heading in ("## Shift summary", "## Referrals (3)", "## Incidents (2)", "## Open attendance follow-ups (1)",
                    "## Door and patrol exceptions (2)", "## Contact notes for the coordinator (1)"):
        assert heading in md
    assert md.index("Fighting") < md.index("Disruption")  # major incidents first


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_get_an_apostrophe(text):
    assert safe_cell(text) == "'" + text
    assert safe_cell("plain text") == "plain text"


def test_import_into_an_empty_database_gives_the_same_referrals_and_again_adds_nothing(desk, signed, coordinator_desk):
    day, handoff, paths = signed
    result = bs.import_bundle(coordinator_desk, paths[0], trust=trust_of(desk))
    assert result.added["referrals"] == 3 and result.changed
    for ref in day["referrals"]:
        theirs = coordinator_desk.store.get(Referral, ref.id)
        ours = desk.store.get(Referral, ref.id)
        assert theirs.model_dump() == as_the_coordinator_keeps_it(ours)
        assert coordinator_desk.store.history(ref.id)[-1].action is AuditAction.IMPORT
    assert coordinator_desk.store.get(Handoff, handoff.id).signed_by == "J. Rivera"
    before = _snapshot(coordinator_desk)
    again = bs.import_bundle(coordinator_desk, paths[0])
    assert not again.changed
    assert _snapshot(coordinator_desk) == before


def test_an_older_bundle_never_sets_back_the_coordinators_work(desk, signed, coordinator_desk):
    day, _, paths = signed
    bs.import_bundle(coordinator_desk, paths[0], trust=trust_of(desk))
    ref_id = day["referrals"][0].id
    coord.close(coordinator_desk, ref_id, ReferralOutcome.AGREEMENT_REACHED)
    result = bs.import_bundle(coordinator_desk, paths[0])
    assert result.kept == 1
    assert coordinator_desk.store.get(Referral, ref_id).status is ReferralStatus.CLOSED


def _tampered(path, tmp_path, desk):
    """A referral changed, and the sha256 checksum of format 1 recomputed as anyone could (no secret)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data["referrals"][0]["urgency"] = "routine"
    body = {k: v for k, v in data.items() if k not in ("checksum", "signature")}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if "checksum" in data:
        data["checksum"] = "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    out = tmp_path / "tampered.json"
    out.write_text(json.dumps(data), encoding="utf-8")
    return out


def _bad_schema(path, tmp_path, desk):
    """Signed by the school's own desk, but not a valid bundle (as a desk with a bug might write)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data["referrals"][0]["urgency"] = "whenever"
    out = tmp_path / "bad-schema.json"
    out.write_text(json.dumps(sign_document(desk, data)), encoding="utf-8")
    return out


def _cut_short(path, tmp_path, desk):
    out = tmp_path / "cut.json"
    out.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    return out


def _not_json(path, tmp_path, desk):
    out = tmp_path / "notes.json"
    out.write_text("these are not the droids", encoding="utf-8")
    return out


def _unsealed(path, tmp_path, desk):
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("signature")
    out = tmp_path / "unsealed.json"
    out.write_text(json.dumps(data), encoding="utf-8")
    return out


@pytest.mark.parametrize("spoil, expected", [
    (_tampered, "signature does not match its content"), (_bad_schema, "not a valid handoff bundle"),
    (_cut_short, "cut short"), (_not_json, "cut short or not JSON"), (_unsealed, "is not signed"),
])
def test_a_bad_bundle_is_refused_and_nothing_is_written(desk, signed, coordinator_desk, tmp_path, spoil, expected):
    _, _, paths = signed
    bs.import_bundle(coordinator_desk, paths[0], trust=trust_of(desk))  # the school's key is trusted already
    bad = spoil(paths[0], tmp_path, desk)
    before = _snapshot(coordinator_desk)
    with pytest.raises(BundleError, match=expected) as err:
        bs.import_bundle(coordinator_desk, bad)
    assert "\n" not in str(err.value)
    assert _snapshot(coordinator_desk) == before


def test_cli_export_for_a_past_day_and_import_print_paths_and_counts_only(desk, signed, tmp_path, capsys, clock,
                                                                         monkeypatch):
    _, handoff, _ = signed
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", "coordinator pass 1")  # the new coordinator database is encrypted
    db = str(desk.store.path)
    clock.advance(days=3)  # the command line reads the wall clock: --date picks the day
    out = tmp_path / "export"
    assert main(["handoff", "export", "--date", "2026-11-23", "--out", str(out), "--db", db]) == 0
    printed = capsys.readouterr()
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(f"handoff-cedar-hollow-hs-2026-11-23-1.{e}" for e in ("csv", "json", "md"))
    assert desk.store.select(Handoff) == [desk.store.get(Handoff, handoff.id)]  # nothing new signed
    coord_db = str(tmp_path / "c" / "coord.db")
    assert main(["handoff", "import", str(out / files[1]), "--db", coord_db, "--trust", trust_of(desk)]) == 0
    assert main(["handoff", "import", str(out / files[1]), "--db", coord_db]) == 0
    printed2 = capsys.readouterr()
    assert "nothing changed" in printed2.out
    (tmp_path / "cut.json").write_bytes((out / files[1]).read_bytes()[:300])
    assert main(["handoff", "import", str(tmp_path / "cut.json"), "--db", str(tmp_path / "never.db")]) == 1
    printed3 = capsys.readouterr()
    assert not (tmp_path / "never.db").exists()
    assert len(printed3.err.strip().splitlines()) == 1
    for text in (printed.out, printed.err, printed2.out, printed2.err, printed3.err):
        for name in ("Garcia", "Okafor", "Lindqvist", "Ramanathan", "Herrera", "S100", "cafeteria"):
            assert name not in text
    assert main(["handoff", "export", "--date", "2026-11-20", "--db", db]) == 1
    assert "no handoff was signed on 2026-11-20" in capsys.readouterr().err


def test_a_bundle_that_conflicts_with_the_roster_is_refused_whole(desk, coordinator_desk):
    from advocate_tui.models import Student

    desk.store.upsert_students([Student(local_id="S1001", sourced_id="or-77", given_name="Ana", family_name="Garcia")])
    busy_day(desk)
    json_path = bs.write_bundle(desk, hs.sign_off(desk, "JR"))[0]
    coordinator_desk.store.upsert_students([Student(local_id="T9", sourced_id="or-77", given_name="Kai", family_name="Moreno")])
    before = _snapshot(coordinator_desk)
    with pytest.raises(BundleError, match="nothing was written"):
        bs.import_bundle(coordinator_desk, json_path, trust=trust_of(desk))
    assert _snapshot(coordinator_desk) == before


def test_a_summary_too_long_is_one_readable_line(desk):
    busy_day(desk)
    with pytest.raises(hs.HandoffError, match="summary: is too long"):
        hs.sign_off(desk, "JR", "x" * 5000)
    assert desk.store.select(Handoff) == []


def test_a_very_busy_days_bundle_is_written_with_its_whole_shift_report(desk, clock):
    """~90 contact notes with long notes made a shift report over the bundle's old 200,000-character limit:
    the sign-off went through but the bundle could not be built (the benchmark's decade day crashed there)."""
    from advocate_tui.models import ContactNote

    note = "Long account of what was said at the desk, " * 60            # ~2,600 characters
    for minute in range(90):
        desk.store.add(ContactNote(student_id="S1001", at=clock.now().subtract(minutes=minute), note=note))
    desk.store.add(Referral(referred_at=clock.now(), students=["S1002"], destination="Counselor", reason="Asked"))
    path = bs.write_bundle(desk, hs.sign_off(desk, "JR"))[0]
    bundle = HandoffBundle.model_validate_json(path.read_text("utf-8"))
    assert len(bundle.shift_report) > 200_000 and bundle.shift_report.count("Long account") >= 90 * 60


def test_a_report_longer_than_a_bundle_holds_is_cut_at_a_line_and_says_so():
    from advocate_tui.services.shift_report import cut_to

    text = "".join(f"| row {i} | {'x' * 50} |\n" for i in range(1000))
    cut = cut_to(text, 5_000)
    assert len(cut) <= 5_000 and "The report is cut here" in cut and f"{len(text):,} characters" in cut
    assert cut.split("\n\n*The report")[0].endswith("|\n")          # no row is cut in half
    assert cut_to(text, len(text)) == text


def test_the_markdown_and_csv_written_are_those_of_the_bundle_read_back_from_its_json(desk, signed):
    """The .md and .csv are made from the records the bundle was written from (not from the whole document
    validated again): byte for byte what the coordinator's side makes of the .json it reads, odd text and all."""
    from advocate_tui.services.bundle_text import bundle_csv, bundle_markdown

    _, _handoff, paths = signed
    back = bs.load_bundle(paths[0])
    assert back.referrals and back.incidents and back.shift_report
    assert paths[1].read_text(encoding="utf-8") == bundle_markdown(back, desk.words)
    assert paths[2].read_bytes() == bundle_csv(back).encode("utf-8-sig")
