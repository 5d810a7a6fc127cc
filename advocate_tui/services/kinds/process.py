"""The restorative process: its header count (what is due today), its line on a student's page and its part
of a handoff. The process itself (its steps, the board, the figures) is :mod:`..processes`. No Textual here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ...desk import Desk
from ...models import Handoff, Record
from ...models.process import Process
from ...store.processes import processes_changed_since
from ..processes import due_items, process_row
from ..rows import Look
from .registry import BundlePart, HeaderBit, Kind, listed, register


def counts(look: Look) -> dict[str, Any]:
    """Meetings today, agreement items and check-ins due or overdue."""
    return {"processes_due": len(due_items(look.desk, look.day))}


def header(counts: dict[str, Any], day_off: str | None) -> list[HeaderBit]:
    n = counts["processes_due"]  # only when something is due
    return [HeaderBit(80, f"{n} process item{'s' * (n != 1)} due", f"{n} proc. due", "warning")] if n else []


def history(desk: Desk, process: Process, student_id: str, role: str | None) -> tuple[str, str, str]:
    """On a student's page: "Process · harmed", the kind and their open agreement items, the stage."""
    what, status, role_label = process_row(desk, process, student_id)
    return f"Process · {role_label}", what, status


def pick(desk: Desk, day: date, earlier: list[Handoff]) -> list[Record]:
    """The processes changed since the day's last handoff (every one, at the day's first)."""
    since = earlier[-1].signed_at.isoformat() if earlier else None
    return listed(desk, Process, processes_changed_since(desk.store, since))


def rekey(process: Process, key) -> Process:
    """Its parties who are students under the coordinator's key; adults keep their names."""
    return process.model_copy(update={"parties": [p.model_copy(update={"student_id": key(p.student_id)})
                                                  if p.student_id else p for p in process.parties]})


KIND = register(Kind(
    model=Process, label="Process", links=("referral", "incident"),
    modules=("process", "processes", "process_detail", "process_dialogs", "process_due", "reply"),
    counts=counts, header=header, history=history,
    # processes go to the coordinator with every handoff, but alone are nothing to sign one for
    bundle=BundlePart(section="processes", ids="process_ids", place=70, pick=pick, alone=False, rekey=rekey,
                      show_place=90),
))
