"""What ``advocate export --json DIR`` writes besides the records: the manifest and a de-identified student.

The records themselves are written one JSON Lines file per kind, each line a record of its own model
(``incident.schema.json``...), and their history as audit entries (``audit-entry.schema.json``).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from .base import Model, Moment, Name, ShortText, StudentId

EXPORT_FORMAT_VERSION = 1
#: file names in an export: lowercase letters, digits, ``_`` and ``-``, then ``.jsonl``
EXPORT_FILE_PATTERN = r"^[a-z0-9_-]+\.jsonl$"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class PseudonymousStudent(Model):
    """A student in an export without names: a pseudonym in place of the student number, no names.

    The pseudonym is an HMAC-SHA256 of the student number under a random key made for that one export
    and then forgotten: the same student has the same pseudonym in every file of the export (records,
    audit trail, this list), and a different one in the next export. Homeroom, preferred name and the
    roster's sourced id are left out (a homeroom and a grade narrow a student down to a classroom).
    """

    pseudonym: StudentId = Field(description="Stands for the student everywhere in this export (records, audit "
                                             "trail); not the student number, and not the same in another export.")
    grade: ShortText | None = Field(None, max_length=8, description="Grade as the roster gives it (e.g. 09, KG).")
    active: bool = Field(True, description="False once the student left the roster.")


class ExportOptions(Model):
    """The options the export was made with."""

    from_day: date | None = Field(None, description="First school day of the records (--from); none: from the start.")
    to_day: date | None = Field(None, description="Last school day of the records (--to); none: to the end.")
    with_names: bool = Field(False, description="Names and student numbers included (--with-names).")


class ExportFile(Model):
    """One JSON Lines file of the export, the schema each of its lines follows, and how many lines it has."""

    file: str = Field(max_length=100, pattern=EXPORT_FILE_PATTERN)
    kind: ShortText = Field(description="The record kind (as in the audit trail's record_type), 'student' or 'audit'.")
    schema_file: str = Field(max_length=100, pattern=r"^[a-z0-9-]+\.schema\.json$",
                             description="The file in schemas/ every line of this file is valid against.")
    lines: int = Field(ge=0)


class ExportManifest(Model):
    """``manifest.json`` of an export: what was exported, from which school and database, with which options."""

    format: Literal["advocate-tui.export"] = "advocate-tui.export"
    format_version: Literal[1] = EXPORT_FORMAT_VERSION
    exported_at: Moment
    school: Name
    school_short: str = Field(max_length=100, pattern=SLUG_PATTERN)
    timezone: ShortText
    demo: bool = Field(False, description="True for the demo school (fictional students).")
    app_version: ShortText
    database_schema: int = Field(ge=0, description="The database's schema version when exported.")
    options: ExportOptions
    students: Literal["pseudonymous", "named"] = Field(
        description="pseudonymous: no names; student numbers replaced by pseudonyms everywhere, and a roster name "
                    "in free text replaced by [name]. named: as in the database (--with-names).")
    files: list[ExportFile]


__all__ = ["EXPORT_FORMAT_VERSION", "PseudonymousStudent", "ExportOptions", "ExportFile", "ExportManifest"]
