"""The store's tables that are not records and are not audited: ``meta`` (settings and the file's
identity) and ``drafts`` (what an open form holds). Services write them only through these methods."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .core import Store


class UnauditedMixin:
    """Meta and draft operations of :class:`Store`."""

    def get_meta(self: "Store", key: str, default: str | None = None) -> str | None:
        rows = list(self.db.query("SELECT value FROM meta WHERE key = ?", [key]))
        return rows[0]["value"] if rows else default

    def get_metas(self: "Store", *keys: str) -> dict[str, str]:
        """The values of ``keys`` in one read (a key not set is not in the result)."""
        return dict(self.db.execute(f"SELECT key, value FROM meta WHERE key IN ({','.join('?' * len(keys))})",
                                    list(keys)).fetchall())

    def set_meta(self: "Store", key: str, value: str) -> None:
        with self.transaction():
            self.db.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                            "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])

    def put_draft(self: "Store", form_key: str, form: str, record_id: str | None, data: str) -> None:
        """Keep (or replace) the draft under ``form_key``: ``data`` is the form's JSON, stamped now."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO drafts (form_key, form, record_id, data, updated_at) VALUES (?,?,?,?,?) "
                "ON CONFLICT(form_key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                [form_key, form, record_id, data, self.now().isoformat()],
            )

    def drop_draft(self: "Store", form_key: str) -> None:
        """Forget the draft under ``form_key``."""
        with self.transaction():
            self.db.execute("DELETE FROM drafts WHERE form_key = ?", [form_key])

    def draft_row(self: "Store", form_key: str) -> dict | None:
        """The stored row of the draft under ``form_key`` (its columns by name), or None."""
        rows = list(self.db.query("SELECT * FROM drafts WHERE form_key = ?", [form_key]))
        return rows[0] if rows else None

    def draft_rows(self: "Store") -> list[dict]:
        """Every stored draft's row, the most recently typed first."""
        return list(self.db.query("SELECT * FROM drafts ORDER BY updated_at DESC"))
