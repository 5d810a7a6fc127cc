"""The de-identified program report (``advocate report``): the coordinator's counts for staff and board.

Same counts and trends as the data screen, with no student names or numbers: the "students with the
most incidents" table becomes how many students had 1, 2–5 or 6+ incidents. Small-cell suppression:
every count from 1 to 4 is shown as "<5"; where a table has exactly one such cell, its next smallest
count is also hidden ("*") so the small one can't be worked out from the total. Markdown and CSV,
written owner-only (0600).

Beside them, the same counts exact and unsuppressed as JSON (:class:`~advocate_tui.models.ProgramReport`,
``report.schema.json``): the district's copy, which ``advocate report --combine`` adds up with other
schools' before suppressing (:mod:`.district`). It names no student but holds small counts, so it is
marked confidential and, like every file here, written 0600.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..models import ProgramReport, ReportRow, ReportSummary, ReportTable
from ..private import open_private
from ..wording import US, Words
from .db_file import DEMO_KEY
from .export import write_csv
from .schools import is_coordinator, school_name, served
from .stats import DateRange, Stats, StatTable, compute

__all__ = ["SMALL", "SUMMARY", "shown", "suppressed_rows", "ReportFiles", "report_markdown", "report_csv_rows",
           "report_json", "write_report", "markdown_of", "write_json", "write_markdown_and_csv"]

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
        behind = table.days if table.suppress_by_days and table.days is not None else table.basis
        return [(label, f"{rate:.1f}" if not 0 < behind.get(label, 0) < SMALL else "–")
                for label, rate in table.rows]
    cells = [(label, shown(n)) for label, n in table.rows]
    if table.parts is not None:
        return _suppressed_pairs(table, cells)
    small = [i for i, (_, n) in enumerate(table.rows) if 0 < n < SMALL]
    if len(small) == 1:
        others = [(n, i) for i, (_, n) in enumerate(table.rows) if n >= SMALL]
        if others:
            _, i = min(others)
            cells[i] = (cells[i][0], HIDDEN)
    return cells


def _suppressed_pairs(table: StatTable, cells: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A table of measures: each part beside its whole is a total of two cells, the part and the rest
    (whole − part). A rest from 1 to 4 is never printed but would be whole − part, so the part is hidden
    too ("*"): the same rule as a table with one small cell, pair by pair (nothing else is hidden)."""
    counts = {label: n for label, n in table.rows}
    out = []
    for label, cell in cells:
        whole = table.parts.get(label)
        if whole in counts and counts[label] >= SMALL and 0 < counts[whole] - counts[label] < SMALL:
            cell = HIDDEN
        out.append((label, cell))
    return out


#: the summary's measures: (attribute of Stats and of the JSON summary, label)
SUMMARY = (("incidents", "Incidents"), ("major", "Major incidents"), ("incident_days", "Days with an incident"),
           ("referrals", "Referrals"), ("followups", "Attendance follow-ups"),
           ("door_exceptions", "Door exceptions"), ("patrol_exceptions", "Patrol exceptions"))


def _tables(stats: Stats) -> list[StatTable]:
    return [t for t in stats.tables if not t.identifying]


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def report_markdown(desk, stats: Stats) -> str:
    """The report as Markdown."""
    name, scope = _scope(desk, stats.school)
    return markdown_of(f"{name} — restorative practices program report", desk.words.stamp(desk.clock.now()),
                       stats, words=desk.words, about=[f"**Schools:** {_md(scope)}", ""] if scope else None)


def markdown_of(heading: str, made: str, stats: Stats, about: list[str] | None = None,
                labels: dict[str, str] | None = None, escape: Callable[[str], str] = _md, words: Words = US) -> str:
    """The report's Markdown under ``heading``, counts suppressed; ``about``: lines after the period,
    ``labels``: other names for summary measures, ``escape``: how text from a file is made literal."""
    labels = labels or {}
    lines = [
        f"# {escape(heading)}",
        "",
        f"**Period:** {words.full_date(stats.range.start)} to {words.full_date(stats.range.end)}  ",
        f"**Prepared:** {made} (school time)",
        "",
        *(about or []),
        f"De-identified: no student names or student numbers. Counts from 1 to {SMALL - 1} are shown as "
        f"\"<{SMALL}\"; \"{HIDDEN}\" marks a count hidden so that a small one can't be worked out from a total; "
        f"a rate is shown as \"–\" when fewer than {SMALL} incidents are behind it (an average: fewer than {SMALL} "
        f"answers or meetings).",
        "",
        "## Summary",
        "",
        "| measure | count |",
        "| --- | ---: |",
        *(f"| {escape(labels.get(attr, label))} | {shown(getattr(stats, attr))} |" for attr, label in SUMMARY),
        "",
    ]
    for table in _tables(stats):
        lines += [f"## {escape(table.title)}", ""]
        if not table.rows or table.total == 0:
            lines += ["None in this period.", ""]
            continue
        lines += [f"| {escape(table.column)} | {escape(table.value)} |", "| --- | ---: |"]
        lines += [f"| {escape(label)} | {count} |" for label, count in suppressed_rows(table)]
        lines.append("")
    return "\n".join(lines)


def report_csv_rows(stats: Stats, labels: dict[str, str] | None = None) -> list[tuple[str, str, str]]:
    """(section, label, count) rows of the report's CSV, counts suppressed as in the Markdown."""
    labels = labels or {}
    rows = [("summary", labels.get(attr, label).lower(), shown(getattr(stats, attr))) for attr, label in SUMMARY]
    for table in _tables(stats):
        rows += [(table.title, label, count) for label, count in suppressed_rows(table)]
    return rows


def _json_table(table: StatTable) -> ReportTable:
    if table.basis is not None:  # a rate: its count and its days, the rate itself is worked out again
        rows = [ReportRow(label=label, count=table.basis[label], days=(table.days or {}).get(label, 0))
                for label, _ in table.rows if label in table.basis]  # (a median has no count to add up)
    else:
        rows = [ReportRow(label=label, count=int(n)) for label, n in table.rows]
    return ReportTable(key=table.key, title=table.title, column=table.column, value=table.value,
                       rate=table.basis is not None, ordered=table.ordered, rows=rows)


def report_json(desk, stats: Stats) -> ProgramReport:
    """The report with exact counts, for the district to combine (confidential; never published)."""
    name, _scope_line = _scope(desk, stats.school)
    short = stats.school or desk.profile.school.short_name or "school"
    return ProgramReport(
        school=name, school_short=short, demo=bool(desk.store.get_meta(DEMO_KEY)),
        period_start=stats.range.start, period_end=stats.range.end, prepared_at=desk.clock.now(),
        summary=ReportSummary(**{attr: getattr(stats, attr) for attr, _ in SUMMARY}),
        tables=[_json_table(t) for t in _tables(stats)],
    )


@dataclass
class ReportFiles:
    """The report's files: Markdown and CSV (suppressed), and the district's JSON (exact; None when not written)."""

    markdown: Path
    csv: Path
    json: Path | None = None


def write_markdown_and_csv(folder: Path, stem: str, markdown: str, stats: Stats,
                           labels: dict[str, str] | None = None) -> ReportFiles:
    """Write ``stem.md`` and ``stem.csv`` (suppressed counts; ``labels`` as in :func:`markdown_of`) in
    ``folder``, 0600."""
    md_path = folder / f"{stem}.md"
    with open_private(md_path, encoding="utf-8", newline="") as fh:
        fh.write(markdown)
    csv_path = write_csv(folder / f"{stem}.csv", ("section", "label", "count"), report_csv_rows(stats, labels))
    return ReportFiles(md_path, csv_path)


def write_json(path: Path, report: ProgramReport) -> Path:
    """Write the JSON report (exact counts) to ``path``, 0600."""
    with open_private(path, encoding="utf-8", newline="\n") as fh:
        fh.write(json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")
    return path


def _scope(desk, school: str | None) -> tuple[str, str]:
    """(the report's title name, the schools it counts) — for a coordinator's database the school counted,
    or every school it serves; for a school's own database its name and nothing more."""
    if not is_coordinator(desk):
        return desk.profile.school.name, ""
    schools = served(desk)
    if school is not None:
        return school_name(desk, school), f"{school} (one of the {len(schools)} this database serves)"
    return desk.profile.school.name, f"all {len(schools)}: " + ", ".join(s.short for s in schools)


def write_report(desk, rng: DateRange, out: str | Path = ".", school: str | None = None) -> ReportFiles:
    """Compute and write ``program-report-SCHOOL-START_END.md``, ``.csv`` and ``.json`` in ``out`` (0600).

    The school's short name is in the name, so the district can gather every school's files in one folder.
    In a coordinator's database ``school`` counts that school's records only (and names the files)."""
    stats = compute(desk, rng, school)
    folder = Path(out).expanduser()
    short = school or desk.profile.school.short_name or "school"
    stem = f"program-report-{short}-{rng.start.isoformat()}_{rng.end.isoformat()}"
    files = write_markdown_and_csv(folder, stem, report_markdown(desk, stats), stats)
    files.json = write_json(folder / f"{stem}.json", report_json(desk, stats))
    return files
