"""What :mod:`.file_contents` answers about a file besides its identity: its keys and, unencrypted, what it
holds. Their own module: a start reads only the identity, and defining these (frozen dataclasses) cost it
~8M instructions.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FileKeys", "PlainContents"]


@dataclass(frozen=True)
class FileKeys:
    """The keys in a database file: this desk's own fingerprint (None before it has one) and the keys it
    trusts, as (kind, party, fingerprint, trusted_at, how) rows ordered by kind, party and date."""

    own: str | None
    trusted: list[tuple[str, str, str, str, str]]


@dataclass(frozen=True)
class PlainContents:
    """What an unencrypted database file holds: its ``application_id`` and ``user_version``, its tables,
    whether its meta marks it as the demo school, and how many students and audit entries it has."""

    application_id: int
    user_version: int
    tables: frozenset[str]
    demo: bool
    used: int
