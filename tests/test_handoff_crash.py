"""A sign-off killed (SIGKILL) part-way leaves either the whole handoff or none of it.

A child process signs off; the test wraps the store's writes in the CHILD only (nothing in the
product reads a test switch) so it can stop the child between any two steps and kill it, and it
also kills children at random moments. Each time the database must pass SQLite's integrity check
and hold either the handoff with every referral handed off, or no handoff and every referral new.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from advocate_tui.desk import Desk
from advocate_tui.models import AuditAction, Handoff, Referral, ReferralStatus
from conftest import ROSTER
from handoff_helpers import busy_day

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import sys, time
from advocate_tui.clock import Clock
from advocate_tui.desk import Desk
from advocate_tui.profile import demo_profile
from advocate_tui.store import Store
from advocate_tui.services import handoff

db, target = sys.argv[1], int(sys.argv[2])
step = 0

def checkpoint(name):
    global step
    print(f"step {step} {name}", flush=True)
    if step == target:
        print("paused", flush=True)
        time.sleep(60)
    step += 1

def wrap(name):
    real = getattr(Store, name)
    def wrapped(self, *a, **kw):
        checkpoint("before " + name)
        out = real(self, *a, **kw)
        checkpoint("after " + name)
        return out
    setattr(Store, name, wrapped)

profile = demo_profile()
desk = Desk.open(db, profile, clock=Clock.frozen(profile, "2026-11-23 15:30"))
wrap("add")
wrap("set_status")
print("ready", flush=True)
handoff.sign_off(desk, "JR", "end of day")
checkpoint("committed")
print("done", flush=True)
"""

#: steps of a sign-off of three referrals: before/after add, before/after each set_status, committed
STEPS = 2 + 3 * 2 + 1


def _prepare(path: Path, profile, clock) -> list[str]:
    desk = Desk.open(path, profile, clock=clock)
    desk.store.upsert_students(ROSTER)
    refs = busy_day(desk)["referrals"]
    desk.close()
    return [r.id for r in refs]


def _spawn(path: Path, target: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(target)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def _assert_all_or_nothing(path: Path, profile, clock, ref_ids: list[str]) -> bool:
    """Check the file; return True if the handoff is there (complete), False if none of it is."""
    desk = Desk.open(path, profile, clock=clock)
    try:
        store = desk.store
        assert store.integrity_check() == []
        handoffs = store.select(Handoff, include_voided=True)
        refs = [store.get(Referral, rid) for rid in ref_ids]
        handoff_audit = [e for e in store.audit_trail(limit=100000) if e.action is AuditAction.HANDOFF]
        if handoffs:
            (h,) = handoffs
            assert set(h.referral_ids) == set(ref_ids)
            assert all(r.status is ReferralStatus.HANDED_OFF and r.handoff_id == h.id for r in refs)
            assert len(handoff_audit) == len(ref_ids)
            return True
        assert all(r.status is ReferralStatus.NEW and r.handoff_id is None for r in refs)
        assert handoff_audit == []
        return False
    finally:
        desk.close()


@pytest.mark.parametrize("target", range(STEPS))
def test_killed_between_any_two_steps_leaves_all_or_nothing(tmp_path, profile, clock, target):
    path = tmp_path / "advocate.db"
    ref_ids = _prepare(path, profile, clock)
    child = _spawn(path, target)
    try:
        for line in child.stdout:
            if line.strip() == "paused":
                break
        else:
            pytest.fail(f"the child ended before step {target}")
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    complete = _assert_all_or_nothing(path, profile, clock, ref_ids)
    # only a kill after the commit leaves the handoff; any earlier kill leaves none of it
    assert complete == (target == STEPS - 1)


def test_killed_at_random_moments_leaves_all_or_nothing(tmp_path, profile, clock):
    rng = random.Random(20261123)
    outcomes = set()
    for run in range(6):
        path = tmp_path / f"run{run}" / "advocate.db"
        ref_ids = _prepare(path, profile, clock)
        child = _spawn(path, -1)
        try:
            assert child.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0, 0.02))
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=10)
        finally:
            if child.poll() is None:
                child.kill()
        outcomes.add(_assert_all_or_nothing(path, profile, clock, ref_ids))
    assert outcomes <= {True, False}
