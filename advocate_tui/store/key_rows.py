"""The rows of the store's keys (:mod:`.keys`): this desk's key pair, a trusted key and a revocation.

Their own module: a start reads no key, and defining them (frozen dataclasses) cost it ~13M instructions.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DeskKeyRow", "TrustedKey", "Revocation"]


@dataclass(frozen=True)
class DeskKeyRow:
    """This desk's key pair as stored (base64 of the raw 32-byte keys)."""

    fingerprint: str
    public_key: str
    private_key: str
    created_at: str


@dataclass(frozen=True)
class TrustedKey:
    """Another desk's public key this database trusts, for one party (a school's short name)."""

    fingerprint: str
    public_key: str
    #: what the key signs here: "handoff" (a school's desk) or "reply" (a coordinator)
    kind: str
    party: str
    party_name: str = ""
    demo: bool = False
    trusted_at: str = ""
    trusted_by: str = ""
    #: how the fingerprint was confirmed: "prompt", "--trust" or "dialog"
    how: str = ""


@dataclass(frozen=True)
class Revocation:
    """A key no longer trusted: whose it was, when, by whom and why."""

    fingerprint: str
    party: str
    at: str
    by: str
    reason: str
