"""QA findings on the handoff path, each pinned by a test on real SQLite files (no mocks)."""

from __future__ import annotations

import pytest

from advocate_tui.cli.main import main
from advocate_tui.desk import Desk
from advocate_tui.models import Referral
from advocate_tui.services import bundle as bs
from advocate_tui.services import handoff as hs
from advocate_tui.store.engine import is_encrypted
from handoff_helpers import busy_day


@pytest.fixture
def bundle_path(desk):
    busy_day(desk)
    handoff = hs.sign_off(desk, "J. Rivera")
    return bs.write_bundle(desk, handoff)[0]


# ---------------------------------------------------------------- 1: a new coordinator database is encrypted
def test_import_into_a_new_database_without_a_passphrase_creates_nothing(bundle_path, tmp_path, capsys):
    new = tmp_path / "coord" / "coord.db"
    assert main(["handoff", "import", str(bundle_path), "--db", str(new)]) == 1
    err = capsys.readouterr().err
    assert "encrypted" in err and "nothing was created" in err
    assert len(err.strip().splitlines()) == 1
    assert not new.exists()


def test_import_into_a_new_database_encrypts_it_with_the_given_passphrase(bundle_path, tmp_path, monkeypatch,
                                                                          profile, clock, capsys):
    new = tmp_path / "coord" / "coord.db"
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", "coordinator pass 1")
    assert main(["handoff", "import", str(bundle_path), "--db", str(new)]) == 0
    assert is_encrypted(new)
    monkeypatch.delenv("ADVOCATE_PASSPHRASE")
    with pytest.raises(Exception):
        Desk.open(new, profile, clock=clock).close()
    coord = Desk.open(new, profile, clock=clock, passphrase="coordinator pass 1")
    try:
        assert len(coord.store.select(Referral)) == 3
    finally:
        coord.close()


def test_import_reads_the_passphrase_file_and_refuses_a_short_one(bundle_path, tmp_path, capsys):
    short = tmp_path / "short.txt"
    short.write_text("abc\n", encoding="utf-8")
    new = tmp_path / "coord.db"
    assert main(["handoff", "import", str(bundle_path), "--db", str(new), "--passphrase-file", str(short)]) == 1
    assert "nothing was created" in capsys.readouterr().err
    assert not new.exists()
    good = tmp_path / "pass.txt"
    good.write_text("a long passphrase\n", encoding="utf-8")
    assert main(["handoff", "import", str(bundle_path), "--db", str(new), "--passphrase-file", str(good)]) == 0
    assert is_encrypted(new)
