"""The restorative process: its header count (what is due today), its line on a student's page and its part
of a handoff. The process itself (its steps, the board, the figures) is :mod:`..processes`. No Textual here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from ...desk import Desk
from ...models.process_words import ItemStatus
from ...store import Store
from ...store.processes import processes_changed_since, processes_of_students
from .. import keep_apart
from ..keep_apart import KeepApart
from ..process_lists import due_items, kind_name, next_step, process_row, students_line
from ..rows import Look
from .registry import BundlePart, HeaderBit, Kind, listed, register
from ...models.kinds import PROCESS

if TYPE_CHECKING:
    from ...models.base import Record
    from ...models.process import Party, Process
    from ...models.handoff import Handoff
    from ...models.bundle import HandoffBundle
    from ...wording import Words
    from ..stat_table import Figures, StatTable


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
    return listed(desk, PROCESS, processes_changed_since(desk.store, since))


def contents(desk: Desk, rv: Any) -> list[str]:
    """Its bit of the review's one line ("2 processes changed"), none when none changed."""
    n = len(rv.processes)
    return [f"{n} process{'es' * (n != 1)} changed"] if n else []


def review(desk: Desk, rv: Any) -> list[str]:
    """The processes changed since the last handoff, as the sign-off carries them: kind, students, next step."""
    if not rv.processes:
        return []
    lines = [f"Restorative processes changed since the last handoff ({len(rv.processes)}):"]
    return lines + [f"  {kind_name(desk, p.process_kind)} — {students_line(desk, p)} · {next_step(desk, p)}"
                    for p in rv.processes]


def markdown(bundle: "HandoffBundle", words: "Words") -> list[str]:
    """The processes the handoff carries, in its Markdown: kind, started, students, stage, agreement items."""
    if not bundle.processes:
        return []  # (processes ride along with a handoff: no section when none changed)
    from ..markdown import bundle_names, bundle_time, md_table

    rows = []
    for p in bundle.processes:
        students = bundle_names(bundle, p.student_ids()) or p.group_name or "—"
        done = sum(1 for i in p.items if i.status is ItemStatus.DONE)
        items = f"{done} of {len(p.items)} done" if p.items else ""
        rows.append([p.process_kind.replace("_", " ").capitalize(), bundle_time(bundle, p.started_at, words),
                     students, p.stage.label, items])
    return [f"## Restorative processes changed ({len(rows)})", "",
            *md_table(["Kind", "Started", "Students", "Stage", "Agreement items"], rows, words)]


def rekey(process: Process, key) -> Process:
    """Its parties who are students under the coordinator's key; adults keep their names."""
    return process.model_copy(update={"parties": [p.model_copy(update={"student_id": key(p.student_id)})
                                                  if p.student_id else p for p in process.parties]})


# ------------------------------------------------------------------ keep apart
def _other_side(flagged: Party, party: Party) -> bool:
    """Whether ``party`` is on the other side from ``flagged`` (harmed against responsible; a flagged
    party on neither side, a supporter say, is kept apart from both sides)."""
    if not (flagged.role.harmed or flagged.role.responsible):
        return party.role.harmed or party.role.responsible
    return (flagged.role.harmed and party.role.responsible) or (flagged.role.responsible and party.role.harmed)


@keep_apart.register
def keep_apart_pairs(store: Store, student_ids: list[str]) -> list[KeepApart]:
    """Pairs among ``student_ids`` in a (not voided) restorative process where one of them is flagged keep
    apart, the flag not marked resolved, and the other is on the other side (open or closed: the flag
    stands until someone marks it resolved)."""
    if len(student_ids) < 2:
        return []
    asked = set(student_ids)
    out = []
    for process in processes_of_students(store, student_ids):
        students = [p for p in process.parties if p.student_id in asked]
        for flagged in students:
            if not (flagged.keep_apart and not flagged.safety_resolved):
                continue
            for other in students:
                if other.student_id != flagged.student_id and _other_side(flagged, other):
                    a, b = sorted((flagged.student_id, other.student_id))
                    out.append(KeepApart(a, b, f"restorative process ({process.process_kind.replace('_', ' ')}) "
                                               f"started {process.started_at.date().isoformat()}: keep apart"))
    return out



def tables(fig: Figures) -> list[StatTable]:
    """Processes by kind, tier and stage, what came of them and the questionnaires' averages."""
    from ..process_figures import figure_tables

    return figure_tables(fig.desk, fig.range.start, fig.range.end, fig.school)


KIND = register(Kind(
    model=PROCESS, label="Process", links=("referral", "incident"),
    modules=("process", "processes", "process_detail", "process_dialogs", "process_due", "process_lists",
             "process_figures", "process_party_steps", "reply", "reply_apply", "reply_pending", "demo_processes"),
    counts=counts, header=header, history=history,
    # processes go to the coordinator with every handoff, but alone are nothing to sign one for
    bundle=BundlePart(section="processes", ids="process_ids", place=70, pick=pick, alone=False, rekey=rekey,
                      show_place=90, contents=contents, review=review, markdown=markdown), tables=tables,
    tables_place=60,
))
