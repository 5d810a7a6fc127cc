"""The readable faces of a handoff bundle: Markdown to read and print, CSV of the referrals for a spreadsheet.

Urgent referrals come first, then the oldest. CSV cells that a spreadsheet would run as a formula
(starting with ``= + - @``, tab or CR) get a leading apostrophe. In the Markdown, text from a person
or a file (names, notes, reasons, the summary, the school's name) is escaped (:func:`md_text`): HTML,
links, images, code and emphasis typed into it show as the characters typed, never as markup.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pendulum

from ..models import HandoffBundle, Level, Referral
from ..wording import US, Words

__all__ = ["bundle_markdown", "bundle_csv", "safe_cell", "sorted_referrals", "is_change", "state_text", "md_text",
           "md_table"]

CSV_COLUMNS = ["urgency", "referred_at", "students", "student_ids", "destination", "purpose", "reason",
               "status", "incident_id", "referral_id"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text (formula injection neutralised)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def sorted_referrals(bundle: HandoffBundle) -> list[Referral]:
    """Urgent first, then oldest first."""
    return sorted(bundle.referrals, key=lambda r: (r.urgency.rank, r.referred_at))


def is_change(bundle: HandoffBundle, referral: Referral) -> bool:
    """True for a referral of an earlier handoff carried again because it was voided or amended."""
    return referral.handoff_id is not None and referral.handoff_id != bundle.handoff.id


def state_text(referral: Referral) -> str:
    """'Void: <reason>', 'Handed off (amended)' or the status label."""
    if referral.voided:
        return f"Void: {referral.void_reason}"
    return referral.status.label + (" (amended)" if referral.amended else "")


def _local(bundle: HandoffBundle, when: datetime | None, words: Words = US) -> str:
    if when is None:
        return ""
    return words.stamp(pendulum.instance(when).in_timezone(bundle.timezone))


def _names(bundle: HandoffBundle, ids: list[str]) -> str:
    roster = {s.local_id: s for s in bundle.students}
    return ", ".join(f"{roster[i].display_name} ({i})" if i in roster else i for i in ids)


def bundle_csv(bundle: HandoffBundle) -> str:
    """The referrals, one row each, with a header row (CRLF line ends, as spreadsheets expect)."""
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for r in sorted_referrals(bundle):
        writer.writerow([safe_cell(v) for v in (
            r.urgency.label, _local(bundle, r.referred_at), _names(bundle, r.students), " ".join(r.students),
            r.destination, r.purpose.label, r.reason, state_text(r), r.incident_id or "", r.id,
        )])
    return buf.getvalue()


#: Characters that start Markdown (CommonMark and GitHub's tables and strikethrough) inline syntax:
#: a backslash before each makes it literal. ``<`` covers HTML and <autolinks>, ``[`` links and images,
#: ``&`` entity references, ``|`` table cells.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~#!])")
#: What makes a line a list item or a setext heading when it starts one (the escape goes on its mark).
_MD_LINE_START = re.compile(r"^(\d*)([-+=.)])")


def md_text(value: object) -> str:
    """Text from a person or a file, for Markdown: one line, every character shown as typed."""
    text = " ".join(str(value or "").split())
    return _MD_LINE_START.sub(r"\1\\\2", _MD_SPECIAL.sub(r"\\\1", text), count=1)


def _cell(value: object) -> str:
    """Text safe inside a Markdown table cell: one line, escaped (:func:`md_text`); a dash when empty."""
    return md_text(value) or "—"


def md_table(header: list[str], rows: list[list[object]], words: Words | None = None) -> list[str]:
    """A Markdown table (each cell one escaped line, :func:`md_text`), its header in the school's ``words``
    (when given), with a blank line after it."""
    lines = ["| " + " | ".join(words.label(h) if words else h for h in header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines + [""]


def md_rows(header: list[str], rows: list[list[object]], words: Words | None = None) -> list[str]:
    """The rows of a table as a list for a narrow screen, one row a line: the first cell in bold, then the
    others but the empty ones; a short cell that means nothing without its heading (yes, no, a number)
    keeps it ("Signed yes", "Pass none")."""
    heads = [words.label(h) if words else h for h in header]
    lines = []
    for row in rows:
        cells = [md_text(c) for c in row]
        bits = [f"{h} {c}" if _needs_heading(c) else c for h, c in zip(heads[1:], cells[1:]) if c not in ("", "—")]
        lines.append(f"- **{cells[0] or '—'}**" + (" · " + " · ".join(bits) if bits else ""))
    return lines + [""]


def _needs_heading(cell: str) -> bool:
    return cell in ("yes", "no", "none") or cell.rstrip("%").isdigit()


def _table(words: Words, header: list[str], rows: list[list[object]]) -> list[str]:
    return md_table(header, rows, words)


def bundle_markdown(bundle: HandoffBundle, words: Words = US) -> str:
    """The handoff as a printable document: heading, summary, then one section per kind of item, in
    the school's ``words`` and date order."""
    h = bundle.handoff

    out = [f"# Handoff — {md_text(bundle.school)} — {words.full_date(bundle.date)} (#{bundle.sequence})", "",
           f"Signed by **{_cell(h.signed_by)}** at {_local(bundle, h.signed_at, words)} ({md_text(bundle.timezone)}).", ""]
    if h.summary:
        out += ["## Shift summary", "",
                *[f"> {md_text(line)}" if line.strip() else ">" for line in h.summary.splitlines()], ""]
    every = sorted_referrals(bundle)
    refs = [r for r in every if not is_change(bundle, r)]
    changes = [r for r in every if is_change(bundle, r)]
    if changes:
        out += [f"## Changes to earlier handoffs ({len(changes)})", "",
                "Referrals handed off before, voided or corrected since: their current state.", ""]
        out += _table(words, ["Now", "Students", "Purpose", "To", "Reason", "Referred", "Id"],
                      [[state_text(r), _names(bundle, r.students), r.purpose.label, r.destination, r.reason,
                        _local(bundle, r.referred_at, words), r.id[:8]] for r in changes])
    out += [f"## Referrals ({len(refs)})", ""]
    if refs:
        out += _table(words, ["Urgency", "Students", "Purpose", "To", "Reason", "Referred", "Id"],
                      [[("**URGENT**" if r.urgency.value == "urgent" else r.urgency.label),
                        _names(bundle, r.students), r.purpose.label, r.destination, r.reason,
                        _local(bundle, r.referred_at, words), r.id[:8]] for r in refs])
    else:
        out += ["No referrals in this handoff.", ""]
    incidents = sorted(bundle.incidents, key=lambda i: (i.level is not Level.MAJOR, i.occurred_at))
    out += [f"## Incidents ({len(incidents)})", ""]
    if incidents:
        out += _table(words, ["Level", "When", "Where", "Behavior", "Students", "Actions", "Description"],
                      [[i.level.label, _local(bundle, i.occurred_at, words), i.location, i.behavior,
                        _names(bundle, i.student_ids()), ", ".join(a.label for a in i.actions), i.description]
                       for i in incidents])
    else:
        out += ["None.", ""]
    out += [f"## Open attendance follow-ups ({len(bundle.attendance)})", ""]
    if bundle.attendance:
        out += _table(words, ["Date", "Student", "Kind", "Periods", "Due", "Note"],
                      [[words.full_date(a.date), _names(bundle, [a.student_id]), a.attendance_kind.label,
                        ", ".join(a.periods), words.full_date(a.due_date) if a.due_date else "", a.cause or a.note]
                       for a in bundle.attendance])
    else:
        out += ["None.", ""]
    found = [(d.checked_at, f"Door: {d.door}", d.status.label, d.note) for d in bundle.door_checks]
    for p in bundle.patrol_rounds:
        found += [(c.reached_at, f"Patrol {p.zone}: {c.checkpoint}", c.status.label, c.note) for c in p.issues]
    exceptions = [[_local(bundle, when, words), *rest] for when, *rest in sorted(found)]  # in time order
    out += [f"## Door and patrol exceptions ({len(exceptions)})", ""]
    out += _table(words, ["When", "Where", "Found", "Note"], sorted(exceptions)) if exceptions else ["None.", ""]
    out += [f"## Contact notes for the coordinator ({len(bundle.contact_notes)})", ""]
    if bundle.contact_notes:
        out += _table(words, ["When", "Student", "Kind", "Note"],
                      [[_local(bundle, n.at, words), _names(bundle, [n.student_id]), n.contact_kind.label, n.note]
                       for n in bundle.contact_notes])
    else:
        out += ["None.", ""]
    if bundle.shift_report:  # the day's end-of-shift report (issue 14), a level below the handoff's headings
        out += [("#" + line) if line.startswith("#") else line for line in bundle.shift_report.splitlines()] + [""]
    out += ["---", "", f"Signed with the Ed25519 desk key {bundle.signature.fingerprint} of {md_text(bundle.school_short)}"
                       f" · generated {_local(bundle, bundle.generated_at, words)}", ""]
    return "\n".join(out)
