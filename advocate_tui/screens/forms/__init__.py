"""Quick-entry forms (one Screen per record kind) on the shared :class:`FormScreen` base."""

from .base import FORMS, ConfirmScreen, FormField, FormScreen, Invalid

__all__ = ["FORMS", "ConfirmScreen", "FormField", "FormScreen", "Invalid"]
