"""``advocate handoff reply`` and ``advocate handoff import REPLY``: paths and counts on stdout, every refusal
one line on stderr with a non-zero exit and nothing written; ``advocate report --school``."""

from __future__ import annotations

import io
import json

import pytest

from advocate_tui.cli.main import main
from advocate_tui.models import Referral, ReferralStatus
from advocate_tui.services import coordinator as co
from district_helpers import district, one_line, profile_file  # noqa: F401 - the fixture
from handoff_helpers import trust_of


def counts(desk) -> tuple:
    return desk.store.counts(), len(desk.store.audit_trail(limit=100_000)), [
        r.model_dump() for r in desk.store.select(Referral, include_voided=True)]


@pytest.fixture
def cli_district(district, tmp_path):
    """The district with its coordinator's decisions; the command lines for the coordinator's database."""
    c = district.coord
    first, urgent, _ = district.cedar_day["referrals"]
    co.accept(c, first.id)
    co.decline(c, urgent.id, "Handled by the school's counselor")
    district.coord_args = ["--db", str(c.store.path), "--profile",
                           str(profile_file(tmp_path, "District RJ Office", "district-rj"))]
    return district


def test_reply_prints_paths_and_counts_and_writes_private_files(cli_district, capsys, tmp_path):
    d = cli_district
    note = tmp_path / "note.txt"
    note.write_text("Two of yours decided\n", encoding="utf-8")
    assert main(["handoff", "reply", *d.coord_args, "--note-file", str(note)]) == 0
    out = capsys.readouterr().out
    assert "reply to cedar-hollow-hs" in out and "2 referral(s) (1 accepted, 1 declined)" in out
    assert "lincoln-ms" not in out  # nothing new for Lincoln
    assert "Ana" not in out and "S1001" not in out  # counts and paths, never a student
    folder = d.coord.store.path.parent / "handoffs"
    files = sorted(folder.glob("reply-cedar-hollow-hs-*"))
    assert [p.suffix for p in files] == [".json", ".md"]
    assert all(oct(p.stat().st_mode & 0o777) == "0o600" for p in files)
    data = json.loads(files[0].read_text("utf-8"))
    assert data["note"] == "Two of yours decided" and data["coordinator_short"] == "district-rj"

    assert main(["handoff", "reply", *d.coord_args]) == 1  # nothing new since
    assert "nothing new to tell any school" in one_line(capsys.readouterr().err)
    assert main(["handoff", "reply", *d.coord_args, "--school", "oak-elementary"]) == 1
    assert "oak-elementary is not a school this database serves" in one_line(capsys.readouterr().err)
    assert main(["handoff", "reply", *d.coord_args, "--school", "cedar-hollow-hs", "--all", "--out",
                 str(tmp_path / "out")]) == 0
    assert "2 referral(s)" in capsys.readouterr().out and len(list((tmp_path / "out").glob("*.json"))) == 1
    # the school's own database needs no reply
    assert main(["handoff", "reply", "--db", str(d.cedar.store.path)]) == 1
    assert "not a coordinator's database" in one_line(capsys.readouterr().err)


def test_import_of_a_reply_trusts_once_then_changes_nothing_again(cli_district, capsys, monkeypatch):
    d = cli_district
    assert main(["handoff", "reply", *d.coord_args]) == 0
    reply = next((d.coord.store.path.parent / "handoffs").glob("reply-cedar-hollow-hs-*.json"))
    school = ["--db", str(d.cedar.store.path), "--allow-plain"]
    before = counts(d.cedar)
    assert main(["handoff", "import", str(reply), *school]) == 1  # no terminal, no --trust
    err = one_line(capsys.readouterr().err)
    assert f"--trust {trust_of(d.coord)}" in err and "district-rj is not a coordinator" in err
    assert counts(d.cedar) == before

    monkeypatch.setattr("advocate_tui.cli.passphrase.interactive", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    assert main(["handoff", "import", str(reply), *school]) == 0
    printed = capsys.readouterr()
    assert f"\n    {trust_of(d.coord)}\n" in printed.err and "[y/N]" in printed.err
    assert "trusted the coordinator's desk key" in printed.out and "imported reply" in printed.out
    assert "1 accepted, 1 declined" in printed.out
    assert d.cedar.store.get(Referral, d.cedar_day["referrals"][0].id).status is ReferralStatus.ACCEPTED
    once = counts(d.cedar)
    assert main(["handoff", "import", str(reply), *school]) == 0
    assert "already imported, nothing changed" in capsys.readouterr().out
    assert counts(d.cedar) == once


def test_import_refuses_in_one_line_and_writes_nothing(cli_district, capsys, tmp_path):
    d = cli_district
    co.accept(d.coord, d.lincoln_day["referrals"][0].id)
    assert main(["handoff", "reply", *d.coord_args]) == 0
    capsys.readouterr()
    folder = d.coord.store.path.parent / "handoffs"
    cedar = next(folder.glob("reply-cedar-hollow-hs-*.json"))
    lincoln = next(folder.glob("reply-lincoln-ms-*.json"))
    forged = tmp_path / "forged.json"
    forged.write_text(cedar.read_text("utf-8").replace('"accepted"', '"scheduled"', 1), "utf-8")
    trust = ["--trust", trust_of(d.coord)]
    school = ["--db", str(d.cedar.store.path), "--allow-plain", *trust]
    before, coord_before = counts(d.cedar), counts(d.coord)
    for args, words in (
        ([str(lincoln), *school], "is a reply to lincoln-ms, and this database is cedar-hollow-hs's"),
        ([str(forged), *school], "signature does not match its content"),
        ([str(cedar), *d.coord_args, "--allow-plain", *trust], "is a coordinator's database"),
        ([str(cedar), "--db", str(tmp_path / "nowhere.db"), *trust], "no database at"),
        ([str(cedar), *school[:-1], "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567"], "is not this file's key"),
    ):
        assert main(["handoff", "import", *args]) == 1, words
        assert words in one_line(capsys.readouterr().err)
    assert counts(d.cedar) == before and counts(d.coord) == coord_before
    assert not (tmp_path / "nowhere.db").exists()


def test_report_per_school_and_for_all(cli_district, capsys, tmp_path):
    d = cli_district
    out = tmp_path / "reports"
    assert main(["report", *d.coord_args, "--from", "2026-11-23", "--to", "2026-11-23", "--out", str(out),
                 "--school", "lincoln-ms"]) == 0
    md = next(out.glob("program-report-lincoln-ms-*.md")).read_text("utf-8")
    assert "# Lincoln Middle School" in md and "| Incidents | <5 |" in md
    assert main(["report", *d.coord_args, "--from", "2026-11-23", "--to", "2026-11-23", "--out", str(out)]) == 0
    md = next(out.glob("program-report-district-rj-*.md")).read_text("utf-8")
    assert "all 2: cedar-hollow-hs, lincoln-ms" in md
    assert main(["report", *d.coord_args, "--school", "oak"]) == 2
    assert "--school 'oak' is not a school this database holds" in one_line(capsys.readouterr().err)
