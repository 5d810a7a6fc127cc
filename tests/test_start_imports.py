"""What a start does not import before its first screen: each costs every start a measurable part of
its time (benchmarks in BENCHMARKS.md), and is imported where it is first needed."""

from __future__ import annotations

import subprocess
import sys


def test_the_trust_rules_a_start_reads_do_not_import_cryptography():
    """The main screen's counts read the Peace Room, whose school rules import the trust rules (for
    Signer and fingerprints): cryptography (~0.05 s) is imported where a key is made or checked."""
    script = ("import sys; import advocate_tui.services.peace_room, advocate_tui.services.trust; "
              "print('cryptography' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
