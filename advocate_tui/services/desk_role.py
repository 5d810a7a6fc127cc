"""What a database is for, kept in its meta: a coordinator's once it takes handoff bundles.

A module of its own so that reading the role (the main screen's counts, per-school filters) does not
bring in the trust rules and their signing (kept out of a start)."""

from __future__ import annotations

#: meta key marking what a database is for; "coordinator" once it takes handoff bundles
ROLE_KEY = "desk.role"
COORDINATOR = "coordinator"

__all__ = ["ROLE_KEY", "COORDINATOR"]
