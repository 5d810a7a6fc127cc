"""Pane 5: the referral queue — today's referrals, and earlier ones not closed (carried over)."""

from __future__ import annotations

from ..services.today import Row
from .pane import Pane


class ReferralsPane(Pane):
    """Referrals: students, destination · purpose, status and urgency."""

    PANE = "referrals"
    NUMBER = 5
    TITLE = "Referrals"
    EMPTY = "No open referrals — r makes one"
    COLUMNS = (("Time", "time", 0), ("Student(s)", "students", 3), ("What", "what", 4), ("Status", "status", 2))

    def summary(self, rows: list[Row]) -> str:
        new = sum(1 for r in rows if r.status.startswith("New"))
        return super().summary(rows) + (f" · {new} not handed off" if new else "")
