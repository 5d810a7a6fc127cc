"""Pane 1: today's incidents, and earlier incidents whose follow-up is due (carried over)."""

from __future__ import annotations

from ..services.rows import Row
from .pane import Pane


class IncidentsPane(Pane):
    """The incident log: time, students with their roles (R/H/W/I), behaviour · location, level."""

    PANE = "incidents"
    NUMBER = 1
    TITLE = "Incidents"
    EMPTY = "No incidents today — i logs one"

    def summary(self, rows: list[Row]) -> str:
        text = super().summary(rows)
        major = sum(1 for r in rows if r.alert) + self.unread(rows, "alert")
        return text + (f" · {major} major" if major else "")
