"""A coordinator revokes a school desk's key (a lost laptop): its next bundle is refused in one line that says
who revoked it and when, with nothing written and no prompt offered; naming the key with --trust trusts it
again; the revocation is in the audit trail."""

from __future__ import annotations

from advocate_tui.cli.main import main
from advocate_tui.clock import Clock
from advocate_tui.desk import Desk
from advocate_tui.models import AuditAction
from advocate_tui.services import bundle as bs
from advocate_tui.services import handoff as hs
from handoff_helpers import busy_day, referral, trust_of

PASSPHRASE = "coordinator pass 1"


def test_a_revoked_desk_key_is_refused_until_trusted_again_by_name(desk, profile, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", PASSPHRASE)
    busy_day(desk)
    first = bs.write_bundle(desk, hs.sign_off(desk, "J. Rivera"))[0]
    coord = tmp_path / "c" / "coord.db"
    fp = trust_of(desk)
    assert main(["handoff", "import", str(first), "--db", str(coord), "--trust", fp]) == 0
    capsys.readouterr()

    assert main(["trust", "--db", str(coord)]) == 0
    listed = capsys.readouterr().out
    assert fp in listed and "school desk cedar-hollow-hs" in listed

    assert main(["trust", "revoke", "nonsense", "--reason", "x", "--db", str(coord)]) == 1
    assert "is not a key fingerprint" in capsys.readouterr().err
    assert main(["trust", "revoke", fp.lower(), "--reason", "Laptop stolen from the office", "--db", str(coord)]) == 0
    assert f"revoked {fp} (cedar-hollow-hs)" in capsys.readouterr().out
    assert main(["trust", "revoke", fp, "--reason", "again", "--db", str(coord)]) == 1
    assert "is not a key this database trusts" in capsys.readouterr().err
    assert main(["trust", "--db", str(coord)]) == 0
    assert fp not in capsys.readouterr().out

    referral(desk, ["S1002"], "Made after the laptop was stolen")
    second = bs.write_bundle(desk, hs.sign_off(desk, "J. Rivera"))[0]
    assert main(["handoff", "import", str(second), "--db", str(coord)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "revoked on" in err and "Laptop stolen from the office" in err
    assert f"--trust {fp}" in err

    c = Desk.open(coord, profile, clock=Clock.frozen(profile, "2026-11-23 16:30"), passphrase=PASSPHRASE)
    try:
        pending = bs.check_import(c, second)
        assert pending.needs_flag and not pending.needs_confirmation   # no prompt or dialog waves it through
        before = c.store.counts()
        [entry] = [e for e in c.store.history(fp) if e.action == AuditAction.REVOKE]
        assert entry.note == "Laptop stolen from the office" and entry.before and entry.after is None
    finally:
        c.close()

    assert main(["handoff", "import", str(second), "--db", str(coord), "--trust", fp]) == 0   # trusted again, by name
    assert "imported" in capsys.readouterr().out
    c = Desk.open(coord, profile, clock=Clock.frozen(profile, "2026-11-23 16:30"), passphrase=PASSPHRASE)
    try:
        assert c.store.counts()["referrals"] == before["referrals"] + 1
        assert [e.action for e in c.store.history(fp)] == [AuditAction.TRUST, AuditAction.REVOKE, AuditAction.TRUST]
    finally:
        c.close()
