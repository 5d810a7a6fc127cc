"""Every kind of record the app knows, each in its own module, gathered in one registry (:mod:`.registry`).

Importing this package imports each kind's module, which registers its :class:`~.registry.Kind`; the
order here is the main screen's panes' order (1 incidents, 2 doors and patrol, 3 contact notes,
4 attendance, 5 referrals) and the student page's (Peace Room, then sweeps, then the CICO chart).
A new kind is one more module here. No Textual here.
"""

from . import incident, checklist, contact, attendance, referral, process, peace_room, sweep, cico, handoff  # noqa: F401  (they register)
from .registry import (
    BundlePart, HeaderBit, Kind, bundle_parts, carried_by, kind_named, kind_of, kind_of_form, kinds, listed, panes, register,
    shown_parts,
)

__all__ = ["Kind", "HeaderBit", "BundlePart", "register", "kinds", "kind_named", "kind_of", "panes", "bundle_parts",
           "shown_parts", "kind_of_form", "carried_by", "listed"]
