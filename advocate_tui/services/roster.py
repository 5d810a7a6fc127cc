"""Roster import: OneRoster 1.1/1.2, a school system's student list or a simple CSV into the students
table, in one transaction.

:func:`read_roster` reads everything first (a file it can't read at all raises :class:`RosterError`
before the database is touched); :func:`apply_roster` upserts the students keyed on the roster's
sourced id (or the student number) through ``store.upsert_students`` in ONE write transaction.
Running it twice changes nothing. A full roster deactivates the students missing from it (never
deletes them: their records stay); ``partial=True`` (or a OneRoster delta) does not, and neither does
a roster with rejected rows or one missing half or more of the active students (a wrong or cut-off
file) unless ``deactivate_missing=True``. Rows marked ``tobedeleted`` deactivate their student.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..models import Student
from ..store.stats_queries import all_students
from ..wording import Words
from .roster_formats import DELIMITERS, ParsedRoster, Rejected, RosterError, _Source, read_table
from .roster_layouts import MapError, resolve
from .roster_rows import oneroster_students, student_list
from .roster_summary import APP_OPTIONS, CLI_OPTIONS, MISSING_SHARE_LIMIT, ImportSummary

__all__ = ["RosterError", "MapError", "Rejected", "ImportSummary", "MISSING_SHARE_LIMIT", "CLI_OPTIONS", "APP_OPTIONS",
           "read_roster", "apply_roster", "import_roster"]

Progress = Callable[[int, int], None]
_ONEROSTER_REQUIRED = ("sourcedid", "givenname", "familyname")


# ---------------------------------------------------------------- reading


def read_roster(path: str | Path, *, encoding: str | None = None, org: str | None = None,
                column_map: dict[str, str] | None = None, saved_map: dict[str, str] | None = None,
                map_option: str = "--map", words: Words | None = None) -> ParsedRoster:
    """Read a roster file, folder or zip; :class:`RosterError` if it can't be read at all.

    ``org``: in a district-wide OneRoster export, take only the students of this org (school) sourcedId.
    ``column_map`` (``--map``: field → column) names the columns of a student list; ``saved_map`` (the
    profile's ``[roster.map]``) does when every column it names is in the file. ``map_option`` is what
    the messages call the map (``--map``, or the import screen's field). With the school's ``words``, a
    row whose grade is outside the profile's grade scale is rejected.
    """
    path = Path(path).expanduser()
    if not path.exists():
        raise RosterError(f"{path}: no such file or folder")
    try:
        source = _Source(path, encoding)
        text = source.text("users.csv")
    except PermissionError:
        raise RosterError(f"cannot read {path}: permission denied") from None
    except OSError as exc:
        raise RosterError(f"cannot read {path}: {exc.strerror or exc}") from None
    assert text is not None
    label = "users.csv" if (source.zip or path.is_dir()) else path.name
    read = read_table(text, label)
    details = [DELIMITERS[read.delimiter]] if read.delimiter != "," else []
    if source.encodings.get("users.csv", "UTF-8") != "UTF-8":
        details.append(source.encodings["users.csv"])
    oneroster = all(h in read.header for h in _ONEROSTER_REQUIRED)
    if oneroster and column_map:
        raise MapError(f"{map_option}: {label} is a OneRoster users.csv, whose columns are known: import it without "
                       "a column map")
    if oneroster:
        parsed = oneroster_students(source, label, read.header, read.rows, org)
    else:
        columns = resolve(read.names, read.header, label, explicit=column_map, saved=saved_map, option=map_option)
        if columns is None:
            raise RosterError(
                f"{label} is not a roster: expected OneRoster users.csv columns (sourcedId, givenName, familyName, "
                "role…), a student list from PowerSchool, Infinite Campus, Clever, Skyward, Aeries or Synergy, or "
                f"student_id,given_name,family_name,grade; or name its columns once with {map_option} "
                "student_id=COLUMN,given_name=COLUMN,family_name=COLUMN[,grade=COLUMN,homeroom=COLUMN]")
        parsed = student_list(label, read, columns)
        if columns.mapped_by:
            details.append(f"columns from {columns.mapped_by}")
    parsed.details = details
    if words is not None and words.grades is not None:
        _keep_the_schools_grades(parsed, words)
    return parsed


def _keep_the_schools_grades(parsed: ParsedRoster, words: Words) -> None:
    """Move the rows with a grade outside the school's scale to the rejected ones (and keep those
    students from being deactivated as missing)."""
    kept = []
    for row in parsed.students:
        if words.in_scale(row.grade):
            kept.append(row)
            continue
        outside = next(g for g in (row.grade or "").split(",") if not words.in_scale(g))
        parsed.rejected.append(Rejected(row.line, f"grade: {words.grade_label(outside)} is outside this "
                                                  f"school's {words.scale_name}"))
        parsed.protected.add(row.local_id)
    parsed.students = kept


# ---------------------------------------------------------------- writing


def _plan(parsed: ParsedRoster, existing: list[Student], summary: ImportSummary, partial: bool
          ) -> tuple[list[Student], list[Student], list[Student]]:
    """(students to upsert, marked for deletion and active, missing from a full roster and active).

    Conflicts are added to the summary's rejected rows and marked rows counted in ``summary.marked``.
    """
    by_sourced = {s.sourced_id: s for s in existing if s.sourced_id}
    by_local = {s.local_id: s for s in existing}
    upserts: list[Student] = []
    deactivate: dict[str, Student] = {}
    kept: set[str] = set()
    first_line: dict[str, int] = {}
    for row in parsed.students:
        current = by_sourced.get(row.sourced_id) if row.sourced_id else None
        if current is not None and current.local_id != row.local_id:
            summary.rejected.append(Rejected(row.line, "identifier: differs from the student number already on file "
                                             "for this sourcedId (student numbers can't change)"))
            kept.add(current.local_id)
            continue
        current = current or by_local.get(row.local_id)
        if current is not None and row.sourced_id and current.sourced_id and current.sourced_id != row.sourced_id:
            summary.rejected.append(Rejected(row.line, "identifier: already on file for another sourcedId"))
            kept.add(current.local_id)
            continue
        if row.local_id in first_line:
            summary.rejected.append(Rejected(row.line, f"{parsed.id_name}: same student number as line "
                                                       f"{first_line[row.local_id]}"))
            continue
        first_line[row.local_id] = row.line
        kept.add(row.local_id)
        if row.delete:
            summary.marked[row.delete] = summary.marked.get(row.delete, 0) + 1
            if current is not None and current.active:
                deactivate[current.local_id] = current.model_copy(update={"active": False})
            continue
        upserts.append(Student(
            local_id=row.local_id, sourced_id=row.sourced_id or (current.sourced_id if current else None),
            given_name=row.given_name, family_name=row.family_name, preferred_name=row.preferred_name,
            grade=row.grade, homeroom=row.homeroom, active=True,
            updated_at=current.updated_at if current else None))
    missing: list[Student] = []
    if not partial:
        kept |= {s.local_id for s in existing if s.sourced_id in parsed.protected or s.local_id in parsed.protected}
        missing = [s.model_copy(update={"active": False}) for s in existing
                   if s.active and s.local_id not in kept and s.local_id not in deactivate]
    return upserts, list(deactivate.values()), missing


def _hold_back(summary: ImportSummary, missing: list[Student], active: int, deactivate_missing: bool) -> str:
    """Why the students missing from a full roster must stay active ("" when they may be deactivated)."""
    if not missing or deactivate_missing:
        return ""
    if summary.rejected:
        return "rejected"
    if len(missing) >= active * MISSING_SHARE_LIMIT:
        return "many"
    return ""


def apply_roster(store, parsed: ParsedRoster, *, partial: bool = False, deactivate_missing: bool = False,
                 progress: Progress | None = None) -> ImportSummary:
    """Upsert the parsed roster in one transaction; return what changed.

    The good rows are imported even when some are rejected. Students missing from a full roster are
    deactivated only when no row was rejected and they are fewer than half of the active students
    (:data:`MISSING_SHARE_LIMIT`), unless ``deactivate_missing``; otherwise the summary says why not.
    Rows marked ``tobedeleted`` deactivate their student in any case.
    """
    partial = partial or parsed.delta
    summary = ImportSummary(source=parsed.source, kind=parsed.kind + (" (delta)" if parsed.delta else ""),
                            rows=parsed.rows, partial=partial, skipped_by_role=dict(parsed.skipped_by_role),
                            rejected=list(parsed.rejected), details=list(parsed.details),
                            columns=list(parsed.columns))
    if not parsed.students:
        raise RosterError(f"{parsed.source}: no student could be imported ({len(parsed.rejected)} row(s) rejected, "
                          f"{sum(parsed.skipped_by_role.values())} of other roles); nothing was changed")
    with store.transaction():
        existing = all_students(store)
        upserts, marked, missing = _plan(parsed, existing, summary, partial)
        summary.active_before = sum(1 for s in existing if s.active)
        summary.held_back_reason = _hold_back(summary, missing, summary.active_before, deactivate_missing)
        if summary.held_back_reason:
            summary.held_back, missing = len(missing), []
        total = len(upserts) + len(marked) + len(missing)
        note = f"roster import ({parsed.kind})"
        counts = store.upsert_students(_counted(upserts, 0, total, progress), note=note,
                                       on_file={s.local_id: s for s in existing})
        gone = store.upsert_students(_counted(marked + missing, len(upserts), total, progress), note=note)
    summary.added, summary.updated, summary.unchanged = counts["added"], counts["updated"], counts["unchanged"]
    summary.deactivated = gone["updated"]
    summary.marked_deactivated = len(marked)
    summary.rejected.sort(key=lambda r: (r.file, r.line))
    return summary


def _counted(items: Iterable[Student], start: int, total: int, progress: Progress | None) -> Iterator[Student]:
    for n, item in enumerate(items, start + 1):
        yield item
        if progress is not None and (n % 250 == 0 or n == total):
            progress(n, total)


def import_roster(desk, path: str | Path, *, partial: bool = False, deactivate_missing: bool = False,
                  encoding: str | None = None, org: str | None = None, column_map: dict[str, str] | None = None,
                  saved_map: dict[str, str] | None = None, progress: Progress | None = None) -> ImportSummary:
    """Read and import a roster for ``desk`` (``advocate roster import`` and the app's import screen)."""
    parsed = read_roster(path, encoding=encoding, org=org, column_map=column_map, saved_map=saved_map,
                         words=getattr(desk, "words", None))  # (a bare store's desk: any grade)
    return apply_roster(desk.store, parsed, partial=partial, deactivate_missing=deactivate_missing,
                        progress=progress)
