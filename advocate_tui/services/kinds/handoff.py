"""The handoff itself: the day's-end sign-off that carries the referral queue (and each kind's part) to the
coordinator. It is the container of the other kinds' parts, so it has no pane, line or part of its own;
its modules (``services/handoff.py``, ``bundle*.py``, ``screens/handoff.py``…) may name the referral,
whose queue it hands over. No Textual here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .registry import Kind, register
from ...models.kinds import HANDOFF

if TYPE_CHECKING:
    from ...models.handoff import Handoff

KIND = register(Kind(
    model=HANDOFF, label="Handoff", links=("referral",),
    modules=("handoff", "handoffs", "handoff_cmds", "bundle", "bundle_text", "bundle_read", "late", "trust", "trust_cmds"),
))
