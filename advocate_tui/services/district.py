"""``advocate report --combine DIR``: one district report from many schools' JSON reports.

Each school's ``program-report-….json`` carries exact counts (:class:`~advocate_tui.models.ProgramReport`).
They are added up first, and only then suppressed, with the report's own rules
(:func:`~advocate_tui.services.report.suppressed_rows`, :func:`~advocate_tui.services.report.shown`):
a total under 5 is "<5" however it was made up, a total of 5 or more is shown even when every school's
share of it was small, and where a combined table has one small cell the next smallest is hidden too.

Rates (incidents per school day, by month) are worked out again from the added counts and days:
incidents ÷ school days open, summed over the schools, so the average school's day. Tables of counts
are added label by label (a label only one school has is that school's count); tables ranked by count
are ranked again. Days with an incident are added up too: school-days, not calendar days.

Every ``*.json`` in the folder must be a program report: anything else, two reports of the same
school for the same or overlapping periods (they would count the same days twice), or the demo
school's report beside a real one is refused, in one line, before anything is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ..models import ProgramReport
from ..models.report import REPORT_FORMAT_VERSION
from .bundle_text import md_text
from .process_figures import OUTCOME_PARTS
from .report import SUMMARY, ReportFiles, markdown_of, write_markdown_and_csv
from .stats import DateRange, Stats, StatTable

__all__ = ["CombineError", "Source", "read_report", "load_reports", "combine", "write_district_report",
           "MAX_REPORT_BYTES"]

#: a school's JSON report is a few kilobytes; anything this big is not one (refused before it is read)
MAX_REPORT_BYTES = 5 * 1024 * 1024
FORMAT = "advocate-tui.report"


class CombineError(Exception):
    """Reports that can't be combined; one line for the user."""


@dataclass(frozen=True)
class Source:
    """One school's report and the file it came from."""

    path: Path
    report: ProgramReport

    @property
    def period(self) -> str:
        return f"{self.report.period_start.isoformat()} to {self.report.period_end.isoformat()}"


def read_report(path: Path) -> ProgramReport:
    """The program report in ``path``; :class:`CombineError` (naming the file, never its content) if it isn't one."""
    name = path.name
    try:
        if path.stat().st_size > MAX_REPORT_BYTES:
            raise CombineError(f"{name} is not a program report (over {MAX_REPORT_BYTES // (1024 * 1024)} MB)")
        data = json.loads(path.read_bytes())
    except OSError as exc:
        raise CombineError(f"cannot read {name}: {exc.strerror or exc}") from None
    except (ValueError, RecursionError):
        raise CombineError(f"{name} is not a program report (not JSON, or cut short)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CombineError(f"{name} is not a program report")
    if data.get("format_version") != REPORT_FORMAT_VERSION:
        raise CombineError(f"{name} is a program report of another version of advocate-tui "
                           f"(format {data.get('format_version')!r}; this one reads {REPORT_FORMAT_VERSION})")
    try:
        return ProgramReport.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "the report"
        raise CombineError(f"{name} is not a sound program report ({where}: {first.get('msg', 'not valid')})") from None


def load_reports(folder: str | Path) -> list[Source]:
    """Every ``*.json`` in ``folder`` as a report, checked to combine (see the module's docstring)."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise CombineError(f"{folder} is not a folder")
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".json" and p.is_file())
    if not paths:
        raise CombineError(f"{folder} holds no JSON report (program-report-….json, written by 'advocate report')")
    sources = [Source(p, read_report(p)) for p in paths]
    for i, a in enumerate(sources):
        for b in sources[i + 1:]:
            ra, rb = a.report, b.report
            if ra.school_short == rb.school_short and ra.period_start <= rb.period_end and rb.period_start <= ra.period_end:
                how = "the same period" if a.period == b.period else f"overlapping periods ({a.period}; {b.period})"
                raise CombineError(f"{a.path.name} and {b.path.name} are both reports of {ra.school_short} for {how}: "
                                   "keep one of them")
    demo = [s for s in sources if s.report.demo]
    if demo and len(demo) < len(sources):
        real = next(s for s in sources if not s.report.demo)
        raise CombineError(f"{demo[0].path.name} is the demo school's report and {real.path.name} a real school's: "
                           "they are not combined")
    return sources


#: tables suppressed by their own rule, as at the school (the JSON carries counts, not how to suppress them):
#: averages by the answers behind each (not their sum), the outcomes of processes pair by pair
_SUPPRESSED_AS = {"proc_averages": {"suppress_by_days": True}, "proc_outcomes": {"parts": OUTCOME_PARTS}}


def _combined_table(first: StatTable, parts: list[tuple[str, int, int | None]]) -> StatTable:
    counts: dict[str, int] = {}
    days: dict[str, int] = {}
    for label, count, n_days in parts:  # labels in the order they first come, summed
        counts[label] = counts.get(label, 0) + count
        if n_days is not None:
            days[label] = days.get(label, 0) + n_days
    if first.basis is not None:  # a rate again: the added counts over the added days
        labels = [label for label in counts if days.get(label)]
        return StatTable(first.key, first.title, [(m, round(counts[m] / days[m], 2)) for m in labels], first.column,
                         value=first.value, basis={m: counts[m] for m in labels}, days={m: days[m] for m in labels},
                         ordered=True, suppress_by_days=first.suppress_by_days)
    rows = list(counts.items())
    if not first.ordered:
        rows.sort(key=lambda kv: (-kv[1], kv[0]))
    return StatTable(first.key, first.title, rows, first.column, value=first.value, ordered=first.ordered,
                     parts=first.parts)


def combine(sources: list[Source]) -> Stats:
    """The schools' exact counts added up (not yet suppressed)."""
    reports = [s.report for s in sources]
    shapes: dict[str, StatTable] = {}
    parts: dict[str, list[tuple[str, int, int | None]]] = {}
    for source in sources:
        for table in source.report.tables:
            shape = shapes.setdefault(table.key, StatTable(
                table.key, table.title, [], table.column, value=table.value, ordered=table.ordered,
                basis={} if table.rate else None, **_SUPPRESSED_AS.get(table.key, {})))
            if (shape.basis is not None) != table.rate:
                raise CombineError(f"{source.path.name}: its table {table.key!r} is not like the other reports'")
            parts.setdefault(table.key, []).extend((r.label, r.count, r.days) for r in table.rows)
    totals = {attr: sum(getattr(r.summary, attr) for r in reports) for attr, _ in SUMMARY}
    rng = DateRange(min(r.period_start for r in reports), max(r.period_end for r in reports))
    return Stats(range=rng, **totals, tables=[_combined_table(shape, parts[key]) for key, shape in shapes.items()])


def write_district_report(sources: list[Source], out: str | Path, made: str) -> ReportFiles:
    """Combine ``sources`` and write ``district-report-START_END.md`` and ``.csv`` (suppressed, 0600) in ``out``."""
    stats = combine(sources)
    schools = sorted({(s.report.school, s.report.school_short) for s in sources}, key=lambda t: t[0].casefold())
    about = [f"**Schools:** {len(schools)}, from {len(sources)} report(s):", ""]
    about += [f"- {md_text(s.report.school)} ({md_text(s.report.school_short)}): {s.period}"
              for s in sorted(sources, key=lambda s: (s.report.school.casefold(), s.report.period_start))]
    about += ["", "Each school's exact counts are added up first; the totals are then suppressed as below. "
                  "Days with an incident are school-days (one per school per day).", ""]
    heading = f"District restorative practices program report — {len(schools)} school{'s' if len(schools) != 1 else ''}"
    stem = f"district-report-{stats.range.start.isoformat()}_{stats.range.end.isoformat()}"
    labels = {"incident_days": "School days with an incident"}
    markdown = markdown_of(heading, made, stats, about, labels=labels, escape=md_text)
    return write_markdown_and_csv(Path(out).expanduser(), stem, markdown, stats, labels)
