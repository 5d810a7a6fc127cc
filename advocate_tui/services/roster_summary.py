"""What a roster import did (:class:`ImportSummary`) and the guard on deactivating missing students.

The summary's lines carry counts, line numbers, field names and grade values only: never a student's
name or number, so they can go to a terminal, a log or the screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .roster_formats import Rejected

__all__ = ["ImportSummary", "MISSING_SHARE_LIMIT", "CLI_OPTIONS", "APP_OPTIONS"]

#: A full roster may deactivate the students missing from it only while they are fewer than this share
#: of the active students (a wrong file, one grade's list or half an export must not empty the roster);
#: ``deactivate_missing=True`` (``--deactivate-missing``) overrides it.
MISSING_SHARE_LIMIT = 0.5

#: How the two options are named where the summary is shown (the command line or the app's screen).
CLI_OPTIONS = {"partial": "--partial", "deactivate": "--deactivate-missing"}
APP_OPTIONS = {"partial": "the 'partial roster' box", "deactivate": "the 'deactivate missing students anyway' box"}


@dataclass
class ImportSummary:
    """What an import did: counts, the roles skipped, the rows marked for deletion and every rejected row.

    ``held_back`` is how many students missing from a full roster were left active by a guard, and
    ``held_back_reason`` why ("rejected" rows, or too "many" of the active roster); :attr:`complete`
    is False when either happened (the command exits 3).
    """

    source: str
    kind: str
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    partial: bool = False
    skipped_by_role: dict[str, int] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)
    #: rows with a OneRoster status that removes the student ("tobedeleted", "inactive") → how many
    marked: dict[str, int] = field(default_factory=dict)
    #: of those, how many were on file and active, and so deactivated (included in ``deactivated``)
    marked_deactivated: int = 0
    held_back: int = 0
    held_back_reason: str = ""
    active_before: int = 0
    #: how the file was read: "tab-separated", "Windows-1252", "columns mapped with --map"…
    details: list[str] = field(default_factory=list)
    #: a student list's (column as the file writes it, field) pairs: the mapping used
    columns: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.deactivated

    @property
    def skipped(self) -> int:
        return sum(self.skipped_by_role.values())

    @property
    def complete(self) -> bool:
        """No row rejected and no deactivation held back."""
        return not self.rejected and not self.held_back

    def lines(self, options: dict[str, str] = CLI_OPTIONS) -> list[str]:
        """The summary as short lines (counts, grade values and line numbers only, no student data)."""
        roles = ", ".join(f"{n} {r}" for r, n in sorted(self.skipped_by_role.items(), key=lambda kv: (-kv[1], kv[0])))
        details = f" ({', '.join(self.details)})" if self.details else ""
        out = [f"{self.kind}{details}: {self.rows} row(s) read"]
        if self.columns:
            out.append("columns: " + ", ".join(f"{column}→{name}" for column, name in self.columns))
        out += [
            f"added {self.added} · updated {self.updated} · unchanged {self.unchanged} · "
            f"deactivated {self.deactivated} · skipped {self.skipped} · rejected {len(self.rejected)}",
        ]
        if roles:
            out.append(f"skipped by role: {roles}")
        if self.marked:
            marks = ", ".join(f"marked {status}: {n}" for status, n in sorted(self.marked.items()))
            marked = sum(self.marked.values())
            if self.marked_deactivated == marked:
                out.append(f"{marks} (deactivated)")
            elif self.marked_deactivated == 0:
                out.append(f"{marks} (not on file or already inactive: nothing to deactivate)")
            else:
                out.append(f"{marks} ({self.marked_deactivated} deactivated; the others were not on file or "
                           "already inactive)")
        if self.partial:
            out.append("partial roster: students missing from it were left as they were")
        if self.held_back_reason == "rejected":
            n = len(self.rejected)
            out.append(f"no one was deactivated because {n} row{'s were' if n != 1 else ' was'} rejected "
                       f"({self.held_back} student(s) missing from this roster stay active); fix "
                       f"{'them' if n != 1 else 'it'} or use {options['partial']} "
                       f"({options['deactivate']} to deactivate them anyway)")
        elif self.held_back_reason == "many":
            out.append(f"no one was deactivated: {self.held_back} of the {self.active_before} active students "
                       f"are missing from this roster (half or more; is it the whole school's file?); "
                       f"use {options['partial']} for part of the school, or {options['deactivate']} "
                       "if they really have left")
        out += [f"rejected {r}" for r in self.rejected]
        return out
