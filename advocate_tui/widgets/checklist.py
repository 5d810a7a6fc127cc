"""Pane 2: the shift checklist — patrol due, every exterior door (exceptions in red), today's rounds."""

from __future__ import annotations

from ..services.rows import Row
from .pane import Pane


class ChecklistPane(Pane):
    """Doors and patrol: an exception stays red until a later check of that door clears it."""

    PANE = "checklist"
    NUMBER = 2
    TITLE = "Doors & patrol"
    COLUMNS = (("Time", "time", 0), ("What", "what", 4), ("Status", "status", 5))
    EMPTY = "No doors in the profile"

    def open_row(self, screen, row: Row) -> bool:
        """A door starts its check; the patrol line, or the round under way, continues the patrol."""
        if row.kind == "door":
            screen.open_form("door_check", row.door)
        elif row.kind == "patrol_due" or (row.held is not None and row.held.kind == "patrol_round"
                                          and row.held.finished_at is None):
            screen.open_form("patrol_round")  # continues the open round, or starts the next
        else:
            return False
        return True

    def summary(self, rows: list[Row]) -> str:
        doors = [r for r in rows if r.kind == "door"]
        unchecked = sum(1 for r in doors if r.held is None or "not checked" in r.status)
        exceptions = sum(1 for r in doors if r.alert)
        patrol = next((r.status for r in rows if r.kind == "patrol_due"), "patrol in progress")
        if patrol.startswith("no school"):  # a day without school: nothing is due, say why
            bits = [patrol] + ([f"{exceptions} door exception{'s' * (exceptions != 1)}"] if exceptions else [])
            return " · ".join(bits)
        bits = [f"{unchecked} of {len(doors)} doors to check"]
        if exceptions:
            bits.append(f"{exceptions} door exception{'s' * (exceptions != 1)}")
        bits.append(patrol)
        return " · ".join(bits)

    def short_summary(self, rows: list[Row]) -> str:
        """"patrol by 11:30 · 7/7 doors to check · 1 exception": the patrol first (it falls due), short."""
        doors = [r for r in rows if r.kind == "door"]
        unchecked = sum(1 for r in doors if r.held is None or "not checked" in r.status)
        exceptions = sum(1 for r in doors if r.alert)
        due = next((r for r in rows if r.kind == "patrol_due"), None)
        if due is not None and due.status.startswith("no school"):
            return " · ".join([due.status] + ([f"{exceptions} exception{'s' * (exceptions != 1)}"] if exceptions else []))
        if due is None:
            patrol = "patrol on"
        elif due.alert:
            patrol = f"patrol overdue {due.time}".strip()
        elif due.status.startswith("patrol due"):
            patrol = f"patrol due {due.time}".strip()
        else:
            patrol = f"patrol by {due.time}" if due.time else "no patrol due"
        bits = [patrol, f"{unchecked}/{len(doors)} doors to check"]
        if exceptions:
            bits.append(f"{exceptions} exception{'s' * (exceptions != 1)}")
        return " · ".join(bits)
