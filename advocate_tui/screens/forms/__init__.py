"""Quick-entry forms (one Screen per record kind) on the shared :class:`FormScreen` base.

Push with ``app.push_screen(Form(...), callback)``; the callback gets the saved record or None.
"""

from .attendance import AttendanceForm
from .base import FORMS, ConfirmScreen, FormScreen, Invalid
from .contact import ContactForm
from .form_field import FormField
from .incident import IncidentForm
from .item import ItemScreen
from .referral import ReferralForm
from .restore import RestoreDrafts, offer_drafts
from .void import VoidForm

__all__ = [
    "FORMS", "ConfirmScreen", "FormField", "FormScreen", "Invalid",
    "AttendanceForm", "ContactForm", "IncidentForm", "ItemScreen", "ReferralForm", "VoidForm", "RestoreDrafts", "offer_drafts",
]
