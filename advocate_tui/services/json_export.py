"""``advocate export --json DIR``: every record, its history and the students, as JSON Lines.

One file per record kind of the registry (:data:`~advocate_tui.models.records.RECORD_TYPES`), so a kind
added later is exported with no change here: ``<kind>.jsonl`` (``incident.jsonl``, ``referral.jsonl``…),
each line one record as its model writes it, voided ones included, valid against the kind's schema in
``schemas/``. Then ``students.jsonl`` and ``audit.jsonl`` (the history: every audit entry of the
exported records and students; without ``--from``/``--to``, the whole trail), and ``manifest.json``,
written last (a folder without it is an export that did not finish).

Without ``--with-names`` no student is named or numbered (see :mod:`.deidentify`): students are
:class:`~advocate_tui.models.PseudonymousStudent` lines and every student number in the records and the
audit trail is the student's pseudonym. ``--from``/``--to`` keep the records whose school day is in the
range, the students they are about and their history. Every file is 0600, a folder made for it 0700;
a folder that already holds anything is refused, and a failed export removes what it wrote.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .. import __version__
from ..models import AuditEntry, ExportFile, ExportManifest, ExportOptions, PseudonymousStudent, Student
from ..models.records import RECORD_TYPES
from ..private import make_private_dir, open_private
from ..schemas import schema_file_of
from ..store import streams
from ..store.rows import plain
from ..store.stats_queries import all_students, former_names
from .db_file import DEMO_KEY
from .deidentify import Deidentifier

__all__ = ["ExportError", "export_json", "kind_file", "MANIFEST", "STUDENTS_FILE", "AUDIT_FILE"]

MANIFEST = "manifest.json"
STUDENTS_FILE = "students.jsonl"
AUDIT_FILE = "audit.jsonl"


class ExportError(Exception):
    """An export that can't be made (a folder in the way); one line for the user."""


def kind_file(kind: str) -> str:
    """The file of one record kind: ``incident.jsonl``."""
    return f"{kind}.jsonl"


def _line(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _prepare(folder: Path) -> bool:
    """Make sure ``folder`` is a new or empty folder; True when it was made here (0700)."""
    if folder.exists():
        if not folder.is_dir():
            raise ExportError(f"{folder} is not a folder")
        if any(folder.iterdir()):
            raise ExportError(f"{folder} is not empty; export into a new folder")
        return False
    try:
        make_private_dir(folder)
    except OSError as exc:
        raise ExportError(f"cannot make {folder}: {exc.strerror or exc}") from None
    return True


class _Writer:
    """Writes the export's files, remembering them so a failed export can take them away."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.written: list[Path] = []

    @contextlib.contextmanager
    def lines(self, name: str) -> Iterator[Callable[[Any], None]]:
        path = self.folder / name
        self.written.append(path)
        with open_private(path, encoding="utf-8", newline="\n") as fh:
            yield lambda data: fh.write(_line(data))

    def remove(self, made_folder: bool) -> None:
        for path in self.written:
            with contextlib.suppress(OSError):
                path.unlink()
        if made_folder:
            with contextlib.suppress(OSError):
                self.folder.rmdir()


def export_json(desk, folder: str | Path, *, start: dt.date | None = None, end: dt.date | None = None,
                with_names: bool = False) -> ExportManifest:
    """Write the export into ``folder`` (new or empty); return its manifest."""
    folder = Path(folder).expanduser()
    made = _prepare(folder)
    writer = _Writer(folder)
    try:
        manifest = _write(desk, writer, start, end, with_names)
    except BaseException:
        writer.remove(made)
        raise
    return manifest


def _write(desk, writer: _Writer, start: dt.date | None, end: dt.date | None, with_names: bool) -> ExportManifest:
    store, tz = desk.store, desk.profile.school.timezone
    ranged = start is not None or end is not None
    files: list[ExportFile] = []
    with streams.snapshot(store):
        roster = all_students(store)
        hide = None if with_names else Deidentifier(roster, former=former_names(store))
        exported: set[tuple[str, str]] = set()
        about: set[str] = set()
        for kind, cls in RECORD_TYPES.items():
            count = 0
            with writer.lines(kind_file(kind)) as put:
                for record in streams.records(store, cls, start, end):
                    exported.add((kind, record.id))
                    about.update(record.student_ids())
                    data = plain(record, tz)
                    put(data if hide is None else hide.fields(cls, data))
                    count += 1
            files.append(ExportFile(file=kind_file(kind), kind=kind, schema_file=schema_file_of(cls), lines=count))

        students = [s for s in roster if not ranged or s.local_id in about]
        with writer.lines(STUDENTS_FILE) as put:
            for student in students:
                put(plain(student, tz) if hide is None else hide.student(student))
        exported.update(("student", s.local_id) for s in students)
        files.append(ExportFile(file=STUDENTS_FILE, kind="student", lines=len(students),
                                schema_file=schema_file_of(Student if hide is None else PseudonymousStudent)))

        numbers = frozenset(s.local_id for s in roster)
        count = 0
        with writer.lines(AUDIT_FILE) as put:
            for entry in streams.audit_entries(store):
                if ranged and (entry.record_type, entry.record_id) not in exported:
                    continue
                data = entry.model_dump(mode="json")
                put(data if hide is None else hide.audit(data, numbers))
                count += 1
        files.append(ExportFile(file=AUDIT_FILE, kind="audit", schema_file=schema_file_of(AuditEntry), lines=count))

        school = desk.profile.school
        manifest = ExportManifest(
            exported_at=desk.clock.now(), school=school.name, school_short=school.short_name or "school",
            timezone=school.timezone, demo=bool(store.get_meta(DEMO_KEY)), app_version=__version__,
            database_schema=store.version, options=ExportOptions(from_day=start, to_day=end, with_names=with_names),
            students="named" if with_names else "pseudonymous", files=files,
        )
    path = writer.folder / MANIFEST
    writer.written.append(path)
    with open_private(path, encoding="utf-8", newline="\n") as fh:
        fh.write(json.dumps(manifest.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")
    return manifest
