"""The school's own words and dates, in one place: what a student and a grade are called, how a
short date is written (month-first "11/23" or day-first "23/11") and which grades the school has.

Screens and services ask a :class:`Words` (``desk.words``, made from the profile's ``[terms]``) for
every word and short date they show, instead of writing "student", "gr 09" or "M/D" themselves:

>>> us, uk = Words(), Words(day_first=True, student="pupil", students="pupils", grade="Year", scale="7-13")
>>> us.day(dt.date(2026, 12, 1)), uk.day(dt.date(2026, 12, 1))
('Tue 12/1', 'Tue 1/12')
>>> us.grade_label("09"), uk.grade_label("09")
('gr 09', 'Year 9')

Dates with a year stay ISO (2026-11-23) for a month-first school, as before; a day-first school
gets 23/11/2026. No Textual here.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pendulum

if TYPE_CHECKING:
    from .models import Student
    from .profile import SchoolProfile

__all__ = ["Words", "words_of", "US"]

_SCALE_NAMES = {"9-12": "grades 9–12", "K-12": "grades K–12", "7-13": "7–13"}


@functools.lru_cache(maxsize=2048)
def _formatted(year: int, month: int, day: int, pattern: str) -> str:
    """A day in a pendulum ``pattern``, kept: the panes show the same few days on hundreds of rows, and
    each pendulum ``format`` costs ~0.1 ms (a third of the decade's first read, bench/)."""
    return pendulum.date(year, month, day).format(pattern)


def _format(day: dt.date, pattern: str) -> str:
    return _formatted(day.year, day.month, day.day, pattern)


@dataclass(frozen=True)
class Words:
    """The words and date formats of one school (the defaults are a US high school's)."""

    student: str = "student"
    students: str = "students"
    grade: str = "grade"
    grade_short: str | None = None
    day_first: bool = False
    #: a key of :data:`advocate_tui.profile.GRADE_SCALES` (None: any grade)
    scale: str | None = None

    @classmethod
    def of(cls, profile: SchoolProfile) -> Words:
        """The words of ``profile``'s ``[terms]``."""
        t = profile.terms
        return cls(student=t.student, students=t.students, grade=t.grade, grade_short=t.grade_short,
                    day_first=t.date_order == "day-first", scale=t.grade_scale)

    # --- words ----------------------------------------------------------------------------------
    @property
    def Student(self) -> str:  # noqa: N802 - the word as it starts a label
        """"Student" / "Pupil": the word for one at the start of a label."""
        return _capital(self.student)

    @property
    def Students(self) -> str:  # noqa: N802
        """"Students" / "Pupils"."""
        return _capital(self.students)

    @property
    def Grade(self) -> str:  # noqa: N802
        """"Grade" / "Year"."""
        return _capital(self.grade)

    def count(self, n: int) -> str:
        """"1 student", "3 pupils"."""
        return f"{n} {self.student if n == 1 else self.students}"

    def student_s(self) -> str:
        """"Student(s)" / "Pupil(s)": a column that holds one or more."""
        return f"{self.Student}(s)"

    def label(self, text: str) -> str:
        """A heading or field label in this school's words: "Student(s)" → "Pupil(s)", "Students" →
        "Pupils", "Student" → "Pupil", "Grade" → "Year"; any other text as it is."""
        return {"Student(s)": self.student_s(), "Students": self.Students, "Student": self.Student,
                "Grade": self.Grade}.get(text, text)

    def phrase(self, text: str) -> str:
        """A phrase of the app's own (a title, a note the demo writes) in this school's words: each whole
        word "student(s)" / "Student(s)" → "pupil(s)" / "Pupil(s)"; never for text a person typed."""
        if self.student == "student" and self.students == "students":
            return text
        words = {"student": self.student, "students": self.students, "Student": self.Student,
                 "Students": self.Students}
        return re.sub(r"\b(?:[Ss]tudents?)\b", lambda m: words[m.group(0)], text)

    # --- grades ---------------------------------------------------------------------------------
    @property
    def grades(self) -> tuple[str, ...] | None:
        """The grades this school has, as the roster stores them ("09", "KG"…); None for any."""
        from .profile import GRADE_SCALES

        return GRADE_SCALES[self.scale] if self.scale else None

    @property
    def scale_name(self) -> str:
        """"grades 9–12" / "Year 7–13" ("" without a scale)."""
        if not self.scale:
            return ""
        name = _SCALE_NAMES.get(self.scale, self.scale)
        return name if name.startswith("grades") else f"{self.Grade} {name}"

    def grade_label(self, grade: str) -> str:
        """A stored grade beside a name: "gr 09" (as the roster gives it) or "Year 9" (a UK scale's
        numbers without the leading zero)."""
        short = self.grade_short or ("gr" if self.grade.casefold() == "grade" else self.grade)
        shown = grade
        if self.scale == "7-13":
            shown = ",".join(g.lstrip("0") or "0" if g.isdigit() else g for g in grade.split(","))
        return f"{short} {shown}"

    def in_scale(self, grade: str | None) -> bool:
        """True for no grade, or grades ("09" or "09,10") all of this school's scale ("UG" too)."""
        grades = self.grades
        if not grade or grades is None:
            return True
        return all(g in grades or g == "UG" for g in grade.split(","))

    def describe(self, student: Student) -> str:
        """Name (number · grade · homeroom), to tell namesakes apart."""
        return student.describe(self.grade_label)

    # --- dates ----------------------------------------------------------------------------------
    def _md(self, padded: bool = False) -> str:
        md = ("DD/MM" if self.day_first else "MM/DD") if padded else ("D/M" if self.day_first else "M/D")
        return md

    def date(self, day: dt.date, *, padded: bool = False) -> str:
        """"11/23" / "23/11" (``padded``: "01/12")."""
        return _format(day, self._md(padded))

    def day(self, day: dt.date, *, padded: bool = False) -> str:
        """"Tue 12/1" / "Tue 1/12"."""
        return _format(day, f"ddd {self._md(padded)}")

    def long_day(self, day: dt.date, *, padded: bool = False) -> str:
        """"Tuesday 12/1" / "Tuesday 1/12"."""
        return _format(day, f"dddd {self._md(padded)}")

    def spelled(self, day: dt.date) -> str:
        """"Tuesday, December 1" / "Tuesday 1 December"."""
        return _format(day, "dddd D MMMM" if self.day_first else "dddd, MMMM D")

    def header_day(self, day: dt.date) -> str:
        """The header's date: "Tue Nov 23" / "Tue 23 Nov"."""
        return _format(day, "ddd D MMM" if self.day_first else "ddd MMM D")

    def date_time(self, when: pendulum.DateTime, *, weekday: bool = False, padded: bool = False) -> str:
        """"11/23 14:10" (``weekday``: "Mon 11/23 14:10") / "23/11 14:10", ``when`` already in the school's zone."""
        return when.format(f"{'ddd ' if weekday else ''}{self._md(padded)} HH:mm")

    def full_date(self, day: dt.date) -> str:
        """A date with its year: "2026-11-23" (ISO) / "23/11/2026"."""
        return _format(day, "DD/MM/YYYY") if self.day_first else day.isoformat()

    def stamp(self, when: pendulum.DateTime) -> str:
        """A moment with its year: "2026-11-23 14:10" / "23/11/2026 14:10"."""
        return when.format("DD/MM/YYYY HH:mm" if self.day_first else "YYYY-MM-DD HH:mm")

    def date_example(self) -> str:
        """How a short date is typed here: "11/30" / "30/11"."""
        return "30/11" if self.day_first else "11/30"

    def read_date(self, first: int, second: int) -> tuple[int, int]:
        """(month, day) of a typed short date "a/b" in this school's order."""
        return (second, first) if self.day_first else (first, second)


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:]


US = Words()
"""A US high school's words (the defaults): student, gr 09, month-first dates."""


def words_of(profile: SchoolProfile | None) -> Words:
    """The words of ``profile`` (the US defaults for none)."""
    return Words.of(profile) if profile is not None else US
