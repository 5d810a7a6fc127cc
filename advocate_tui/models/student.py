"""A student on the school's roster (OneRoster users, role student)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pydantic import Field

from .base import Model, Moment, Name, ShortText, StudentId


class Student(Model):
    """A student: the school's number, the roster's sourced id, names, grade and homeroom."""

    local_id: StudentId = Field(description="The school's student number.")
    sourced_id: ShortText | None = Field(None, description="OneRoster sourcedId.")
    given_name: Name
    family_name: Name
    preferred_name: ShortText | None = None
    grade: ShortText | None = Field(None, max_length=8, description="Grade as the roster gives it (e.g. 09, KG).")
    homeroom: ShortText | None = None
    active: bool = True
    updated_at: Moment | None = None

    @property
    def display_name(self) -> str:
        """Preferred (or given) name and family name."""
        return f"{self.preferred_name or self.given_name} {self.family_name}"

    @property
    def sort_name(self) -> str:
        """Family name first, for lists."""
        return f"{self.family_name}, {self.preferred_name or self.given_name}"

    def describe(self, grade_label: Callable[[str], str] | None = None) -> str:
        """Name with grade and homeroom, to tell namesakes apart (``grade_label``: the school's way of
        showing a grade, see ``Words.grade_label``; "gr 09" without)."""
        shown = (grade_label or (lambda g: f"gr {g}"))(self.grade) if self.grade else ""
        bits = [shown, self.homeroom or ""]
        extra = " · ".join(b for b in bits if b)
        return f"{self.display_name} ({self.local_id}{' · ' + extra if extra else ''})"


__all__ = ["Student", "datetime"]
