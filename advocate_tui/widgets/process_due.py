"""The main screen's line of what restorative processes need today: meetings (who to collect from which
class, when), agreement items due or overdue, check-ins. ``b`` opens the board with the cursor on the
first of them (``d`` done, ``n`` not done). Hidden when nothing is due."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ..services import process_lists
from .literal import literal

__all__ = ["ProcessDue"]


class ProcessDue(Static):
    """One or two lines: today's process meetings first, then items and check-ins due (overdue in red)."""

    DEFAULT_CSS = """
    ProcessDue { height: auto; max-height: 2; padding: 0 1; background: $boost; display: none; }
    ProcessDue.-due { display: block; }
    """

    def show(self, desk) -> int:
        """Read today's due items (through the service) and show them; return how many."""
        items = process_lists.due_items(desk)
        self.set_class(bool(items), "-due")
        if not items:
            self.update("")
            return 0
        roster = desk.store.students_by_id({s for d in items for s in d.student_ids})
        text = Text()
        text.append_text(literal("Processes: ", "bold"))
        for n, d in enumerate(items[:4]):
            if n:
                text.append(" │ ")
            if d.what == "meeting":
                when = desk.clock.local(d.when)
                period = desk.profile.period_at(when.time())
                who = ", ".join(f"{roster[s].display_name} ({roster[s].homeroom})" if s in roster and roster[s].homeroom
                                else roster[s].display_name if s in roster else s for s in d.student_ids)
                text.append_text(literal(f"{when:%H:%M}{' ' + period.name if period else ''} {d.text}"
                                         f"{' in ' + d.place if d.place else ''}: collect {who}", one_line=True))
            else:
                label = "OVERDUE " if d.overdue else ""
                owner = d.owner or ", ".join(roster[s].display_name if s in roster else s for s in d.student_ids)
                text.append_text(literal(label, "bold red") if label else Text())
                text.append_text(literal(f"{d.text} ({owner})", one_line=True))
        if len(items) > 4:
            text.append(f" │ +{len(items) - 4} more")
        text.append(" · b board", style="dim")
        self.update(text)
        return len(items)
