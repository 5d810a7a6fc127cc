"""A coordinator's database serves several schools: which school each imported record came from,
and the replies the coordinator wrote to a school (or a school imported from its coordinator).

``record_schools`` is filled by a handoff import, in the import's transaction; ``replies`` rows are
never changed or deleted (triggers refuse it), and each is written with an audit entry (action
``reply`` for one written, ``import`` for one imported).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from ..models import AuditAction

if TYPE_CHECKING:
    from .core import Store

SENT, RECEIVED = "sent", "received"


@dataclass(frozen=True)
class ReplyRow:
    """A reply as this database keeps it: written here (``sent``) or imported here (``received``)."""

    id: str
    direction: str
    school: str
    coordinator: str
    date: str
    sequence: int
    generated_at: str
    coordinator_name: str = ""
    note: str = ""
    referral_ids: list[str] = field(default_factory=list)
    fingerprint: str = ""
    recorded_at: str = ""
    recorded_by: str = ""


class SchoolsMixin:
    """Schools and replies of :class:`Store`."""

    # ------------------------------------------------------------------ where records came from
    def set_record_school(self: "Store", record_type: str, record_id: str, school: str, handoff_id: str | None) -> bool:
        """Remember that ``school``'s handoff brought this record (the first handoff is kept); True if new."""
        with self.transaction():
            cur = self.db.execute("INSERT OR IGNORE INTO record_schools (record_type, record_id, school, handoff_id) "
                                  "VALUES (?, ?, ?, ?)", [record_type, record_id, school, handoff_id])
            return bool(cur.rowcount)

    def record_schools(self: "Store", record_type: str, ids: Iterable[str]) -> dict[str, str]:
        """The school of each of these records that a handoff brought (id -> school short name)."""
        ids = list(dict.fromkeys(ids))
        out: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows = self.db.execute(f"SELECT record_id, school FROM record_schools WHERE record_type = ? AND record_id IN "
                                   f"({','.join('?' * len(chunk))})", [record_type, *chunk]).fetchall()
            out.update({r[0]: r[1] for r in rows})
        return out

    def school_records(self: "Store", record_type: str, school: str) -> list[str]:
        """Ids of the records of ``record_type`` that ``school``'s handoffs brought."""
        rows = self.db.execute("SELECT record_id FROM record_schools WHERE record_type = ? AND school = ?",
                               [record_type, school]).fetchall()
        return [r[0] for r in rows]

    def schools_on_record(self: "Store") -> list[str]:
        """Every school that records came from (short names, sorted)."""
        return [r[0] for r in self.db.execute("SELECT DISTINCT school FROM record_schools ORDER BY school").fetchall()]

    # ------------------------------------------------------------------ replies
    def add_reply(self: "Store", row: ReplyRow, *, note: str = "") -> ReplyRow:
        """Keep a reply written here or imported here (stamped with who and when), with its audit entry."""
        stamped = ReplyRow(**{**asdict(row), "recorded_at": self.now().isoformat(), "recorded_by": self.user})
        data = {**asdict(stamped), "referral_ids": json.dumps(stamped.referral_ids)}
        action = AuditAction.REPLY if row.direction == SENT else AuditAction.IMPORT
        with self.transaction():
            self.db["replies"].insert(data)
            self._audit(action, "reply", stamped.id, None, json.dumps(asdict(stamped), ensure_ascii=False,
                                                                      sort_keys=True), note=note)
        return stamped

    def reply(self: "Store", reply_id: str) -> ReplyRow | None:
        rows = list(self.db.query("SELECT * FROM replies WHERE id = ?", [reply_id]))
        return _reply(rows[0]) if rows else None

    def replies(self: "Store", direction: str, school: str | None = None, *, since: str | None = None) -> list[ReplyRow]:
        """Replies written (``sent``) or imported (``received``), oldest first; for one school, or since a time."""
        sql, params = "SELECT * FROM replies WHERE direction = ?", [direction]
        if school is not None:
            sql, params = sql + " AND school = ?", [*params, school]
        if since is not None:
            sql, params = sql + " AND generated_at > ?", [*params, since]
        return [_reply(r) for r in self.db.query(sql + " ORDER BY generated_at, sequence", params)]


def _reply(row: dict) -> ReplyRow:
    return ReplyRow(**{**row, "referral_ids": json.loads(row["referral_ids"] or "[]")})
