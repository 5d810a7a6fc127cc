"""The readable faces of a handoff bundle: Markdown to read and print, CSV of the referrals for a spreadsheet.

Urgent referrals come first, then the oldest. The Markdown has a section per kind, each written by the
kind's part of :mod:`.kinds`. Text from a person or a file is escaped (:mod:`.markdown`): it shows as
typed, never as markup or a spreadsheet formula.
"""

from __future__ import annotations

import csv
import io

from ..models import HandoffBundle
from ..wording import US, Words
from .kinds import shown_parts
from .kinds.referral import is_change, sorted_referrals, state_text
from .markdown import bundle_names, bundle_time, md_rows, md_table, md_text, safe_cell

__all__ = ["bundle_markdown", "bundle_csv", "safe_cell", "sorted_referrals", "is_change", "state_text", "md_text",
           "md_table", "md_rows"]

CSV_COLUMNS = ["urgency", "referred_at", "students", "student_ids", "destination", "purpose", "reason",
               "status", "incident_id", "referral_id"]


def bundle_csv(bundle: HandoffBundle) -> str:
    """The referrals, one row each, with a header row (CRLF line ends, as spreadsheets expect)."""
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for r in sorted_referrals(bundle):
        writer.writerow([safe_cell(v) for v in (
            r.urgency.label, bundle_time(bundle, r.referred_at), bundle_names(bundle, r.students), " ".join(r.students),
            r.destination, r.purpose.label, r.reason, state_text(r), r.incident_id or "", r.id,
        )])
    return buf.getvalue()


def bundle_markdown(bundle: HandoffBundle, words: Words = US) -> str:
    """The handoff as a printable document: heading, summary, then one section per kind of item, in
    the school's ``words`` and date order."""
    h = bundle.handoff

    out = [f"# Handoff — {md_text(bundle.school)} — {words.full_date(bundle.date)} (#{bundle.sequence})", "",
           f"Signed by **{md_text(h.signed_by) or '—'}** at {bundle_time(bundle, h.signed_at, words)} "
           f"({md_text(bundle.timezone)}).", ""]
    if h.summary:
        out += ["## Shift summary", "",
                *[f"> {md_text(line)}" if line.strip() else ">" for line in h.summary.splitlines()], ""]
    for part in shown_parts():
        if part.markdown is not None:
            out += part.markdown(bundle, words)
    if bundle.shift_report:  # the day's end-of-shift report (issue 14), a level below the handoff's headings
        out += [("#" + line) if line.startswith("#") else line for line in bundle.shift_report.splitlines()] + [""]
    out += ["---", "", f"Signed with the Ed25519 desk key {bundle.signature.fingerprint} of {md_text(bundle.school_short)}"
                       f" · generated {bundle_time(bundle, bundle.generated_at, words)}", ""]
    return "\n".join(out)

