"""Pane 4: today's attendance follow-ups, and earlier ones still open (carried over)."""

from __future__ import annotations

from ..services.rows import Row
from .pane import Pane


class AttendancePane(Pane):
    """Attendance follow-ups: student, tardy/absent and periods, open/overdue/resolved."""

    PANE = "attendance"
    NUMBER = 4
    TITLE = "Attendance"
    EMPTY = "No attendance follow-ups — a adds one"
    COLUMNS = (("Time", "time", 0), ("Student(s)", "students", 3), ("What", "what", 3), ("Status", "status", 3))

    def summary(self, rows: list[Row]) -> str:
        open_ = sum(1 for r in rows if not r.status.startswith("resolved")) + self.unread(rows, "open")
        return super().summary(rows) + f" · {open_} open"
