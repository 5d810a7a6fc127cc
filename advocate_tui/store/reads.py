"""Reading records back: one by id, by a condition, of a day, a record's audit history, the audit trail,
a student's records, the counts per table and SQLite's integrity check (the :class:`Store`'s reads)."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from ..models.kinds import STORED
from . import schema
from .rows import from_row, table_of

if TYPE_CHECKING:
    from ..models.audit import AuditEntry
    from ..models.base import Record
    from .core import Store

R = TypeVar("R", bound="Record")
#: ids a query of :meth:`ReadsMixin.get_many` asks for at most (well under SQLite's limit of bound values)
_MANY = 500


class ReadsMixin:
    """The :class:`~advocate_tui.store.core.Store`'s reads of records and of the audit trail."""

    def get(self: "Store", record_type: type[R], record_id: str) -> R | None:
        """The record with this id, or None."""
        rows = list(self.db.query(f"SELECT * FROM {table_of(record_type)} WHERE id = ?", [record_id]))
        return from_row(record_type, rows[0]) if rows else None  # type: ignore[return-value]

    def get_many(self: "Store", record_type: type[R], ids: list[str]) -> list[R]:
        """The records with these ids, in the ids' order (voided ones too; an id not on file left out): a
        query per 500 ids, not one per id."""
        found: dict[str, R] = {}
        wanted = list(dict.fromkeys(ids))
        for start in range(0, len(wanted), _MANY):
            chunk = wanted[start:start + _MANY]
            for row in self.db.query(f"SELECT * FROM {table_of(record_type)} WHERE id IN ({','.join('?' * len(chunk))})",
                                     chunk):
                found[row["id"]] = from_row(record_type, row)  # type: ignore[assignment]
        return [found[i] for i in ids if i in found]

    def select(self: "Store", record_type: type[R], where: str = "", params: list | dict | None = None, *,
               order_by: str | None = None, limit: int | None = None, include_voided: bool = False,
               stored: bool = False) -> list[R]:
        """Records matching a SQL condition (for services; the UI never calls this with SQL); ``stored``:
        each as a :class:`~.stored.Stored`, validated only when more than a pane's row is asked of it."""
        clauses = [f"({where})"] if where else []
        if not include_voided:
            clauses.append("voided = 0")
        sql = f"SELECT * FROM {table_of(record_type)}"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += f" ORDER BY {order_by or record_type.time_field + ' DESC'}"
        if limit:
            sql += f" LIMIT {int(limit)}"
        if stored:
            from .stored import Stored

            return [Stored(record_type, row) for row in self.db.query(sql, params or [])]  # type: ignore[misc]
        return [from_row(record_type, row) for row in self.db.query(sql, params or [])]  # type: ignore[misc]

    def on_day(self: "Store", record_type: type[R], day: date | str, *, include_voided: bool = False,
               stored: bool = False) -> list[R]:
        """Records of one school day, newest first (``stored``: see :meth:`select`)."""
        return self.select(record_type, "day = ?", [str(day)], include_voided=include_voided, stored=stored)

    def history(self: "Store", record_id: str) -> list[AuditEntry]:
        """Every audit entry of one record, oldest first."""
        rows = self.db.query("SELECT * FROM audit WHERE record_id = ? ORDER BY seq", [record_id])
        return [_entry(r) for r in rows]

    def audit_trail(self: "Store", *, since_seq: int = 0, limit: int = 1000) -> list[AuditEntry]:
        """Audit entries after ``since_seq``, oldest first."""
        rows = self.db.query("SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?", [since_seq, limit])
        return [_entry(r) for r in rows]

    def student_records(self: "Store", student_id: str) -> list[tuple[Record, str | None]]:
        """Everything on file for a student, newest first, each with the student's role (incidents)."""
        from .history import records_of, student_heads

        return records_of(self, student_heads(self, student_id))

    def counts(self: "Store") -> dict[str, int]:
        """Rows per table (for ``advocate check``)."""
        return {t: self.db[t].count for t in ("students", *schema.RECORD_TABLES, "audit")}

    def integrity_check(self: "Store") -> list[str]:
        """Problems SQLite finds in the file ([] when it is sound)."""
        rows = [r[0] for r in self.db.execute("PRAGMA integrity_check").fetchall()]
        return [] if rows == ["ok"] else rows


def _entry(row: dict[str, Any]) -> AuditEntry:
    from ..models.audit import AuditEntry

    return AuditEntry.model_validate(dict(
        seq=row["seq"], at=row["at"], by=row["by"], action=row["action"], record_type=row["record_type"],
        record_id=row["record_id"], before=json.loads(row["before"]) if row["before"] else None,
        after=json.loads(row["after"]) if row["after"] else None, note=row["note"],
    ), context=STORED)
