"""A student on the school's roster (OneRoster users, role student)."""

from collections.abc import Callable
from datetime import datetime

from pydantic import Field, model_validator

from .base import STUDENT_NUMBER_MAX, Model, Moment, Name, SchoolShort, ShortText, StudentId


def student_key(school: str, number: str) -> str:
    """How a coordinator's database keys a school's student: ``<school short name>:<number>``."""
    return f"{school}:{number}"


class Student(Model):
    """A student: the school's number, the roster's sourced id, names, grade and homeroom.

    At a school ``local_id`` is the school's student number. A coordinator's database serves several
    schools, which may use the same numbers: there every student has ``school`` (the school's short
    name) and ``local_id`` is ``<school>:<number>`` (:func:`student_key`), so two schools' S1001 are
    two students; :attr:`number` is the school's own number either way.
    """

    local_id: StudentId = Field(description="The school's student number (in a coordinator's database, "
                                            "'<school>:<number>').")
    sourced_id: ShortText | None = Field(None, description="OneRoster sourcedId.")
    given_name: Name
    family_name: Name
    preferred_name: ShortText | None = None
    grade: ShortText | None = Field(None, max_length=8, description="Grade as the roster gives it (e.g. 09, KG).")
    homeroom: ShortText | None = None
    active: bool = True
    updated_at: Moment | None = None
    school: SchoolShort | None = Field(None, description="In a coordinator's database: the short name of the school "
                                                         "the student belongs to (None at the school itself).")

    @model_validator(mode="after")
    def _number_fits(self) -> "Student":
        if self.school is not None and not self.local_id.startswith(f"{self.school}:"):
            raise ValueError("a student of a served school is keyed '<school>:<number>'")
        if len(self.number) > STUDENT_NUMBER_MAX:
            raise ValueError(f"a student number is at most {STUDENT_NUMBER_MAX} characters")
        return self

    @property
    def number(self) -> str:
        """The school's own student number (``local_id`` without a coordinator's ``<school>:``)."""
        if self.school is not None:
            return self.local_id[len(self.school) + 1:]
        return self.local_id

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
        return f"{self.display_name} ({self.number}{' · ' + extra if extra else ''})"


__all__ = ["Student", "student_key", "datetime"]
