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
        # the same words as the header: "N to hand off" (still new) · "N open" (not closed)
        new = sum(1 for r in rows if r.record is not None and r.record.status.value == "new")
        open_ = sum(1 for r in rows if r.record is not None and r.record.status.value != "closed")
        return super().summary(rows) + f" · {new} to hand off · {open_} open"
