"""Pane 5: the referral queue — today's meetings first, then today's referrals and earlier ones not
closed (carried over), each with the coordinator's word once they have answered."""

from __future__ import annotations

from ..services.rows import Row
from .pane import Pane


class ReferralsPane(Pane):
    """Referrals: students, destination · purpose, status (the coordinator's word) and urgency."""

    PANE = "referrals"
    NUMBER = 5
    TITLE = "Referrals"
    EMPTY = "No open referrals — r makes one"
    COLUMNS = (("Time", "time", 0), ("Student(s)", "students", 3), ("What", "what", 4), ("Status", "status", 3))

    def open_row(self, screen, row: Row) -> bool:
        """The coordinator's note shows whole."""
        if row.kind != "reply_note":
            return False
        screen.notify(row.what, title=row.status, timeout=20)
        return True

    def summary(self, rows: list[Row]) -> str:
        # the same words as the header: "N to hand off" (still new) · "N open" (not closed)
        # (what each row holds, unvalidated: a summary validates no record, see services.rows.Row.held)
        refs = [r for r in rows if r.kind == "referral" and r.held is not None]
        carried = sum(r.carried for r in refs)
        new = sum(1 for r in refs if r.held.status.value == "new")
        open_ = sum(1 for r in refs if r.held.status.value != "closed")
        bits = [f"{len(refs) - carried} today"] + ([f"{carried} carried over"] if carried else [])
        meetings = [r for r in rows if r.kind == "meeting"]
        if meetings:  # before the counts: students to collect
            now = self.app.desk.clock.now()
            upcoming = [r for r in meetings if r.held.scheduled_for >= now]
            bits.append(f"{len(meetings)} meeting{'s' * (len(meetings) != 1)}"
                        + (f" (next {upcoming[0].time})" if upcoming else ""))
        bits += [f"{new} to hand off", f"{open_} open"]
        return " · ".join(bits)
