"""The coordinator's reply as a person reads it: the Markdown written beside the signed file (the note, then one line
per referral and per restorative process, students by the school's numbers)."""

from __future__ import annotations

from ..desk import Desk
from ..models import (
    ProcessReply,
    ReplyBundle,
    Referral,
)
from .referral_word import word
from .schools import number_of


def reply_markdown(desk: Desk, reply: ReplyBundle, refs: list[Referral]) -> str:
    """The reply to read or print: the note, then one line per referral (students by the school's numbers)."""
    from .bundle_text import md_table, md_text
    from .schools import number_of

    students = desk.store.students_by_id([s for r in refs for s in r.students])

    def names(ref: Referral) -> str:
        out = []
        for sid in ref.students:
            s = students.get(sid)
            out.append(f"{s.display_name} ({s.number})" if s else number_of(sid, reply.school_short))
        return ", ".join(out)

    out = [f"# Reply from {md_text(reply.coordinator)} to {md_text(reply.school)} — {reply.date.isoformat()} "
           f"(#{reply.sequence})", ""]
    if reply.note:
        out += ["## Note for the advocate", "",
                *[f"> {md_text(line)}" if line.strip() else ">" for line in reply.note.splitlines()], ""]
    out += [f"## Referrals ({len(refs)})", ""]
    out += md_table(["Students", "Purpose", "The coordinator's word", "Note", "Id"],
                    [[names(r), r.purpose.label, word(desk.clock, r, dated=True), r.coordinator_note, r.id[:8]] for r in refs]) \
        if refs else ["No referrals in this reply.", ""]
    if reply.processes:
        out += _markdown_processes(desk, reply)
    out += ["---", "", f"Signed with the Ed25519 desk key {reply.signature.fingerprint} of "
                       f"{md_text(reply.coordinator_short)} · generated "
                       f"{desk.clock.local(reply.generated_at).format('YYYY-MM-DD HH:mm')}", ""]
    return "\n".join(out)


def _markdown_processes(desk: Desk, reply: ReplyBundle) -> list[str]:
    """The reply's restorative processes: students (the school's numbers), kind, stage, open agreement items."""
    from ..models.process import ItemStatus
    from ..wording import words_of
    from .bundle_text import md_table
    from .process_lists import kind_name, students_line

    keyed = desk.store.students_by_id([f"{reply.school_short}:{p.student_id}" for r in reply.processes
                                       for p in r.parties if p.student_id])
    roster = {number_of(sid, reply.school_short): s for sid, s in keyed.items()}
    date_of = words_of(desk.profile).date

    def items(process: ProcessReply) -> str:
        return "; ".join(f"{i.what} (due {date_of(i.due)})" for i in sorted(process.items, key=lambda i: i.due)
                         if i.status is ItemStatus.OPEN)

    return [f"## Restorative processes ({len(reply.processes)})", "",
            *md_table(["Students", "Kind", "Stage", "Open agreement items", "Id"],
                      [[students_line(desk, p, roster), kind_name(desk, p.process_kind), p.stage.label, items(p),
                        p.id[:8]] for p in reply.processes])]
