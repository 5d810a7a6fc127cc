"""The de-identified program report (``advocate report``): the coordinator's counts for staff and board.

Same counts and trends as the data screen, with no student names or numbers: the "students with the
most incidents" table becomes how many students had 1, 2–5 or 6+ incidents. Small-cell suppression:
every count from 1 to 4 is shown as "<5"; where a table has exactly one such cell, its next smallest
count is also hidden ("*") so the small one can't be worked out from the total. Markdown and CSV,
written owner-only (0600).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..private import open_private
from .export import write_csv
from .stats import DateRange, Stats, StatTable, compute

__all__ = ["SMALL", "shown", "suppressed_rows", "ReportFiles", "report_markdown", "report_csv_rows", "write_report"]

#: counts from 1 up to SMALL - 1 are never shown
SMALL = 5
HIDDEN = "*"


def shown(n: int) -> str:
    """A count as the report prints it: 0, "<5" for 1–4, else the number."""
    return "<5" if 0 < n < SMALL else str(n)


def suppressed_rows(table: StatTable) -> list[tuple[str, str]]:
    """The table's rows with small cells suppressed (and the one cell that would give a lone one away).

    A table of rates shows a rate only where the count behind it is 0 or at least 5 ("–" otherwise).
    """
    if table.basis is not None:
        return [(label, f"{rate:.1f}" if not 0 < table.basis.get(label, 0) < SMALL else "–")
                for label, rate in table.rows]
    cells = [(label, shown(n)) for label, n in table.rows]
    small = [i for i, (_, n) in enumerate(table.rows) if 0 < n < SMALL]
    if len(small) == 1:
        others = [(n, i) for i, (_, n) in enumerate(table.rows) if n >= SMALL]
        if others:
            _, i = min(others)
            cells[i] = (cells[i][0], HIDDEN)
    return cells


def _tables(stats: Stats) -> list[StatTable]:
    return [t for t in stats.tables if not t.identifying]


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def report_markdown(desk, stats: Stats) -> str:
    """The report as Markdown."""
    school = desk.profile.school.name
    made = desk.clock.now().format("YYYY-MM-DD HH:mm")
    lines = [
        f"# {_md(school)} — restorative practices program report",
        "",
        f"**Period:** {stats.range.start.isoformat()} to {stats.range.end.isoformat()}  ",
        f"**Prepared:** {made} (school time)",
        "",
        f"De-identified: no student names or student numbers. Counts from 1 to {SMALL - 1} are shown as "
        f"\"<{SMALL}\"; \"{HIDDEN}\" marks a count hidden so that a small one can't be worked out from a total; "
        f"a rate is shown as \"–\" when fewer than {SMALL} incidents are behind it.",
        "",
        "## Summary",
        "",
        "| measure | count |",
        "| --- | ---: |",
        f"| Incidents | {shown(stats.incidents)} |",
        f"| Major incidents | {shown(stats.major)} |",
        f"| Days with an incident | {shown(stats.incident_days)} |",
        f"| Referrals | {shown(stats.referrals)} |",
        f"| Attendance follow-ups | {shown(stats.followups)} |",
        f"| Door exceptions | {shown(stats.door_exceptions)} |",
        f"| Patrol exceptions | {shown(stats.patrol_exceptions)} |",
        "",
    ]
    for table in _tables(stats):
        lines += [f"## {_md(table.title)}", ""]
        if not table.rows or table.total == 0:
            lines += ["None in this period.", ""]
            continue
        lines += [f"| {_md(table.column)} | {_md(table.value)} |", "| --- | ---: |"]
        lines += [f"| {_md(label)} | {count} |" for label, count in suppressed_rows(table)]
        lines.append("")
    return "\n".join(lines)


def report_csv_rows(stats: Stats) -> list[tuple[str, str, str]]:
    """(section, label, count) rows of the report's CSV, counts suppressed as in the Markdown."""
    rows = [("summary", label, shown(n)) for label, n in (
        ("incidents", stats.incidents), ("major incidents", stats.major), ("days with an incident", stats.incident_days),
        ("referrals", stats.referrals), ("attendance follow-ups", stats.followups),
        ("door exceptions", stats.door_exceptions), ("patrol exceptions", stats.patrol_exceptions))]
    for table in _tables(stats):
        rows += [(table.title, label, count) for label, count in suppressed_rows(table)]
    return rows


@dataclass
class ReportFiles:
    """The report's two files."""

    markdown: Path
    csv: Path


def write_report(desk, rng: DateRange, out: str | Path = ".") -> ReportFiles:
    """Compute and write ``program-report-START_END.md`` and ``.csv`` in ``out`` (0600)."""
    stats = compute(desk, rng)
    folder = Path(out).expanduser()
    stem = f"program-report-{rng.start.isoformat()}_{rng.end.isoformat()}"
    md_path = folder / f"{stem}.md"
    with open_private(md_path, encoding="utf-8", newline="") as fh:
        fh.write(report_markdown(desk, stats))
    csv_path = write_csv(folder / f"{stem}.csv", ("section", "label", "count"), report_csv_rows(stats))
    return ReportFiles(md_path, csv_path)
