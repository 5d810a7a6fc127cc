"""Signing keys in the store: the desk's own key pair and the other desks' keys it trusts.

The private key is kept only in this table of the (encrypted) database; a plain export leaves it
out. Trusting a key writes an audit entry (action ``trust``) in the same transaction.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING

from ..models import AuditAction

if TYPE_CHECKING:
    from .core import Store
    from .key_rows import DeskKeyRow, Revocation, TrustedKey

#: the key rows, defined in :mod:`.key_rows` when first asked for (``from advocate_tui.store.keys import TrustedKey``)
_ROWS = ("DeskKeyRow", "TrustedKey", "Revocation")


def __getattr__(name: str):
    if name in _ROWS:
        from . import key_rows

        return getattr(key_rows, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class KeysMixin:
    """Key operations of :class:`Store`."""

    def desk_key(self: "Store") -> DeskKeyRow | None:
        """This desk's key pair, or None before it is made."""
        from .key_rows import DeskKeyRow

        rows = list(self.db.query("SELECT fingerprint, public_key, private_key, created_at FROM desk_keys WHERE id = 1"))
        return DeskKeyRow(**rows[0]) if rows else None

    def has_desk_key(self: "Store") -> bool:
        """Whether this desk has its key pair yet (asked at every start: no key row made for it)."""
        return self.db.execute("SELECT 1 FROM desk_keys WHERE id = 1").fetchone() is not None

    def add_desk_key(self: "Store", fingerprint: str, public_key: str, private_key: str) -> DeskKeyRow:
        """Keep a new key pair as this desk's, unless it has one already (then that one is returned)."""
        with self.transaction():
            self.db.execute("INSERT OR IGNORE INTO desk_keys (id, fingerprint, public_key, private_key, created_at) "
                            "VALUES (1, ?, ?, ?, ?)", [fingerprint, public_key, private_key, self.now().isoformat()])
            return self.desk_key()  # type: ignore[return-value]

    def trusted_keys(self: "Store", kind: str, party: str | None = None) -> list[TrustedKey]:
        """The keys trusted for ``kind`` (and ``party``), oldest first."""
        sql = "SELECT * FROM trusted_keys WHERE kind = ?" + (" AND party = ?" if party is not None else "")
        params = [kind] + ([party] if party is not None else [])
        return [_trusted(r) for r in self.db.query(sql + " ORDER BY trusted_at, fingerprint", params)]

    def trusted_key(self: "Store", fingerprint: str) -> TrustedKey | None:
        rows = list(self.db.query("SELECT * FROM trusted_keys WHERE fingerprint = ?", [fingerprint]))
        return _trusted(rows[0]) if rows else None

    def add_trusted_key(self: "Store", key: TrustedKey, *, note: str = "") -> TrustedKey:
        """Trust ``key`` from now on (stamped with who, the desk's user, and when), with its audit entry."""
        from .key_rows import TrustedKey

        stamped = TrustedKey(**{**asdict(key), "trusted_at": self.now().isoformat(), "trusted_by": self.user})
        with self.transaction():
            self.db["trusted_keys"].insert({**asdict(stamped), "demo": int(stamped.demo)})
            self._audit(AuditAction.TRUST, "trusted_key", stamped.fingerprint, None,
                        json.dumps(asdict(stamped), ensure_ascii=False, sort_keys=True), note=note)
        return stamped

    def revoke_trusted_key(self: "Store", fingerprint: str, reason: str) -> TrustedKey | None:
        """Trust ``fingerprint`` no more (its row goes; its audit entry, action ``revoke``, keeps the key, who,
        when and ``reason``). None when the key was not trusted."""
        with self.transaction():
            key = self.trusted_key(fingerprint)
            if key is None:
                return None
            self.db.execute("DELETE FROM trusted_keys WHERE fingerprint = ?", [fingerprint])
            self._audit(AuditAction.REVOKE, "trusted_key", fingerprint,
                        json.dumps(asdict(key), ensure_ascii=False, sort_keys=True), None, note=reason)
        return key

    def revocation(self: "Store", fingerprint: str) -> Revocation | None:
        """The last revocation of ``fingerprint`` when it is not trusted again since, else None."""
        row = self.db.execute(
            "SELECT action, at, by, note, before FROM audit WHERE record_type = 'trusted_key' AND record_id = ? "
            "AND action IN (?, ?) ORDER BY seq DESC LIMIT 1",
            [fingerprint, AuditAction.TRUST.value, AuditAction.REVOKE.value]).fetchone()
        if row is None or row[0] != AuditAction.REVOKE.value:
            return None
        party = json.loads(row[4] or "{}").get("party", "")
        from .key_rows import Revocation

        return Revocation(fingerprint=fingerprint, party=party, at=row[1], by=row[2], reason=row[3] or "")

    def has_own_records(self: "Store") -> bool:
        """True when a record was made or a handoff signed at this desk (not only imported)."""
        return self.db.execute("SELECT 1 FROM audit WHERE action IN (?, ?) LIMIT 1",
                               [AuditAction.CREATE.value, AuditAction.HANDOFF.value]).fetchone() is not None


def _trusted(row: dict) -> TrustedKey:
    from .key_rows import TrustedKey

    return TrustedKey(**{**row, "demo": bool(row["demo"])})


def forget_private_key(path) -> None:
    """Take the desk's private key out of a plain copy of the database (``advocate export --plain``).

    ``secure_delete`` overwrites the deleted row's bytes, so the key does not linger in a free page.
    """
    import sqlcipher3

    conn = sqlcipher3.connect(str(path), isolation_level=None)
    try:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'desk_keys'").fetchone():
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("DELETE FROM desk_keys")
    finally:
        conn.close()
