"""Text from a person or a file in Markdown and CSV: escaped so it shows as typed, never as markup or a
spreadsheet formula; and a handoff bundle's times and students as its Markdown shows them. No Textual here.

In the Markdown, text from a person or a file (names, notes, reasons, the summary, the school's name) is
escaped (:func:`md_text`): HTML, links, images, code and emphasis typed into it show as the characters
typed. CSV cells that a spreadsheet would run as a formula (starting with ``= + - @``, tab or CR) get a
leading apostrophe (:func:`safe_cell`).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

import pendulum

from ..wording import US, Words
from .export import safe_cell  # the one CSV cell rule (formula injection) for every CSV the app writes

if TYPE_CHECKING:
    from ..models import HandoffBundle

__all__ = ["md_text", "md_table", "md_rows", "safe_cell", "bundle_time", "bundle_names", "none_or_table"]


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


def none_or_table(words: Words, header: list[str], rows: list[list[object]]) -> list[str]:
    """:func:`md_table` of the rows, or "None." when there are none."""
    return md_table(header, rows, words) if rows else ["None.", ""]


def bundle_time(bundle: "HandoffBundle", when: datetime | None, words: Words = US) -> str:
    """A moment of a bundle in its school's zone and words ("" for none)."""
    if when is None:
        return ""
    return words.stamp(pendulum.instance(when).in_timezone(bundle.timezone))


def bundle_names(bundle: "HandoffBundle", ids: list[str]) -> str:
    """'Ana Garcia (S1001), S1009' — the bundle's students by number (the number alone when not in it)."""
    roster = {s.local_id: s for s in bundle.students}
    return ", ".join(f"{roster[i].display_name} ({i})" if i in roster else i for i in ids)
