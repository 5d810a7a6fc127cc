"""CSV export of any list the app shows, safe to open in a spreadsheet.

:func:`safe_cell` neutralises spreadsheet formula injection (OWASP "CSV injection"): a cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` so a spreadsheet shows it
as text instead of running it. Files are created owner-only (0600). Shared by every screen that exports.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..private import open_private

__all__ = ["safe_cell", "safe_row", "write_csv", "export_rows", "unique_path"]

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """``value`` as CSV cell text, with a leading ``'`` if a spreadsheet would read it as a formula.

    Numbers stay numbers (``-3`` is a count, not a formula, when given as an int or float).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if text.startswith(_DANGEROUS):
        return "'" + text
    return text


def safe_row(values: Iterable[Any]) -> list[str]:
    return [safe_cell(v) for v in values]


def write_csv(path: str | Path, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Path:
    """Write a CSV (UTF-8 with BOM, so spreadsheets read names in any script), owner-only; return its path."""
    path = Path(path).expanduser()
    with open_private(path, encoding="utf-8", newline="") as fh:
        fh.write("\ufeff")
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(safe_row(header))
        for row in rows:
            writer.writerow(safe_row(row))
    return path


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "export"


def unique_path(folder: str | Path, stem: str, suffix: str = ".csv") -> Path:
    """``folder/stem.csv``, or ``stem-2.csv``… when that exists (an export never overwrites another)."""
    folder = Path(folder).expanduser()
    stem = _slug(stem)
    candidate = folder / f"{stem}{suffix}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{n}{suffix}"
        n += 1
    return candidate


def export_rows(folder: str | Path, name: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Path:
    """Export a shown list to a new CSV in ``folder`` named after it; return the path."""
    return write_csv(unique_path(folder, name), header, rows)
