"""Student-list exports of school information systems, known by their header, and column maps.

A school that can't get a OneRoster feed can usually export a student list: PowerSchool
(``Student_Number, First_Name, Last_Name, Grade_Level, Home_Room``), Infinite Campus (``studentNumber,
firstName, lastName, grade, homeroom``), Clever's ``students.csv`` (``School_id, Student_id,
Student_number, …, Last_name, Middle_name, First_name, Grade, …``), Skyward (``Other ID``), Aeries
(``Student ID, Perm ID``) or Synergy (``Perm ID``). :func:`recognise` knows them by their column names,
compared folded (case, spaces and punctuation ignored, and a leading "Student"/"Stu" as in
``Student Last Name`` or ``student.lastName``). Any other layout is named by a column map
(``student_id=Student_Number,given_name=First,…``: :func:`parse_map`), which the school profile can
remember (``[roster.map]``). :func:`resolve` turns a header, a recognised layout and a map into the
column of each field. Nothing here echoes a header it doesn't know: a file without a header row
would have a student on its first line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models.text import CONTROLS, has_controls
from ..profile import ROSTER_FIELDS
from .roster_formats import RosterError, fold

__all__ = ["FIELD_LABELS", "LAYOUTS", "Layout", "Columns", "MapError", "parse_map", "format_map", "recognise",
           "resolve"]

#: what the summary calls each field
FIELD_LABELS = {"student_id": "student id", "given_name": "given name", "family_name": "family name",
                "grade": "grade", "homeroom": "homeroom", "preferred_name": "preferred name"}
REQUIRED = ("student_id", "given_name", "family_name")
_BY_FOLDED = {fold(f): f for f in ROSTER_FIELDS}
_CONTROL = re.compile(f"[{CONTROLS}]")
#: a column name a map may give: printable, and short enough for a header
_MAX_COLUMN = 100
#: the grade codes school systems use beside OneRoster's: 0 is kindergarten, below it pre-kindergarten
_SIS_GRADES = {"0": "KG", "00": "KG", "-1": "PK", "-2": "PK"}
_PREFERRED = ("preferredname", "preferredfirstname", "preferredgivenname", "nickname")
_HOMEROOM = ("homeroom", "homeroomname", "homeroomnumber")


class MapError(RosterError):
    """A column map that can't be used (its text, or its columns against the file); one line."""


@dataclass(frozen=True)
class Layout:
    """A known export: its name, the folded columns that identify it, and each field's columns, best first."""

    name: str
    signature: tuple[str, ...]
    columns: dict[str, tuple[str, ...]]
    #: the export's own grade codes → OneRoster levels (anything else goes through the usual grade rules)
    grades: dict[str, str] = field(default_factory=dict)


def _layout(name: str, signature: tuple[str, ...], student_id: tuple[str, ...], *, given=("firstname",),
            family=("lastname",), grade=("grade",), homeroom=_HOMEROOM, preferred=_PREFERRED,
            grades: dict[str, str] | None = None) -> Layout:
    return Layout(name, signature, {"student_id": student_id, "given_name": given, "family_name": family,
                                    "grade": grade, "homeroom": homeroom, "preferred_name": preferred},
                  dict(_SIS_GRADES if grades is None else grades))


#: The simple CSV this program has always read (kind "simple CSV"), then the school systems' exports,
#: most particular first; the last, any list with a student number and first and last names.
LAYOUTS: tuple[Layout, ...] = (
    _layout("simple CSV", ("studentid", "givenname", "familyname"), ("studentid",), given=("givenname",),
            family=("familyname",), grade=("grades", "grade"), homeroom=("homeroom",),
            preferred=("preferredgivenname", "preferredname"), grades={}),
    # Clever's SFTP students.csv: School_id, Student_id (the SIS id), Student_number, State_id, Last_name,
    # Middle_name, First_name, Grade, Gender, Graduation_year, Dob, Race, Hispanic_Latino, Home_language,
    # Ell_status, Frl_status, Iep_status, Student_street…, Student_email, Contact_…, Username, Password.
    # It has no homeroom; grades are 1-12 or words (Kindergarten, PreKindergarten, Ungraded…).
    _layout("Clever students.csv", ("schoolid", "studentid", "firstname", "lastname"), ("studentnumber", "studentid")),
    # PowerSchool's student export (Quick Export, tab-separated by default): Grade_Level 0 is kindergarten,
    # -1 and -2 pre-kindergarten.
    _layout("PowerSchool student export", ("studentnumber", "firstname", "lastname", "gradelevel"),
            ("studentnumber",), grade=("gradelevel",)),
    # Aeries: Student ID and Perm ID (the district's permanent number, taken first), Grade (or Grd);
    # -1 is transitional kindergarten in California.
    _layout("Aeries student export", ("permid", "studentid", "lastname", "firstname"), ("permid", "studentid"),
            grade=("grade", "grd"), grades={**_SIS_GRADES, "-1": "TK"}),
    # Synergy (Edupoint): Perm ID, Last Name, First Name, Grade, Home Room, Nickname.
    _layout("Synergy student export", ("permid", "lastname", "firstname"), ("permid",)),
    # Skyward: Other ID (the student number the school uses) or Student ID, Last Name, First Name, Grade.
    _layout("Skyward student export", ("otherid", "lastname", "firstname"), ("otherid", "studentid")),
    # Infinite Campus (ad hoc or extract): studentNumber, firstName, lastName, grade, homeroom.
    _layout("Infinite Campus student export", ("studentnumber", "firstname", "lastname", "grade"),
            ("studentnumber",)),
    _layout("student list", (), ("studentnumber", "studentid", "localid", "permid", "otherid", "pupilnumber",
                                 "pupilid"),
            given=("firstname", "givenname", "forename"), family=("lastname", "familyname", "surname"),
            grade=("grade", "gradelevel", "grd", "year", "yeargroup", "nccyear"),
            homeroom=(*_HOMEROOM, "form", "formgroup", "tutorgroup", "reggroup", "registrationgroup")),
)


@dataclass
class Columns:
    """Where each field is in a file: the layout's name, column indexes, and which came from a map."""

    layout: str
    index: dict[str, int]
    names: list[str]
    #: fields whose column a map named, and where the map came from ("--map", "the profile")
    mapped: set[str] = field(default_factory=set)
    mapped_by: str = ""
    grades: dict[str, str] = field(default_factory=dict)

    def shown(self) -> list[tuple[str, str]]:
        """(column as the file writes it, field label) in field order; on a recognised layout, the label of
        a column a map named says "(mapped)"."""
        partly = bool(self.mapped and set(self.index) - self.mapped)
        return [(self.column(f), FIELD_LABELS[f] + (" (mapped)" if partly and f in self.mapped else ""))
                for f in ROSTER_FIELDS if f in self.index]

    def column(self, name: str) -> str:
        """The column of a field as the file writes it, control characters dropped (a recognised column
        name is letters, digits and punctuation around them: 'Last_<ESC>Name' shows as 'Last_Name')."""
        return _CONTROL.sub("", self.names[self.index[name]]).strip()


def _find(header: list[str], wanted: str) -> int | None:
    """The first column that is ``wanted`` (folded), or it after "student" / "stu" ('Student Last Name')."""
    for prefix in ("", "student", "stu"):
        if prefix + wanted in header:
            return header.index(prefix + wanted)
    return None


def _first(header: list[str], candidates: tuple[str, ...]) -> int | None:
    for wanted in candidates:
        at = _find(header, wanted)
        if at is not None:
            return at
    return None


def recognise(header: list[str]) -> tuple[Layout, dict[str, int]] | None:
    """The first layout whose columns the (folded) header holds, and its field → column index."""
    for layout in LAYOUTS:
        if not all(_find(header, col) is not None for col in layout.signature):
            continue
        index = {f: at for f, cols in layout.columns.items() if (at := _first(header, cols)) is not None}
        if all(f in index for f in REQUIRED):
            return layout, index
    return None


def parse_map(text: str | list[str] | tuple[str, ...], option: str = "column map") -> dict[str, str]:
    """``student_id=Student_Number,given_name=First,…`` (one string or several) → {field: column}.

    Fields may be written as ``student_id``, ``student-id`` or ``Student ID``; :class:`MapError` names an
    unknown field, a pair without ``=``, a field given twice or an empty or unprintable column, after
    ``option`` (what the user calls the map: ``--map``, or the screen's field).
    """
    chunks = [text] if isinstance(text, str) else list(text)
    out: dict[str, str] = {}
    for pair in (p.strip() for chunk in chunks for p in chunk.split(",")):
        if not pair:
            continue
        name, sep, column = pair.partition("=")
        if not sep:
            raise MapError(f"{option}: {pair!r} is not FIELD=COLUMN (like student_id=Student_Number)")
        key = _BY_FOLDED.get(fold(name))
        if key is None:
            raise MapError(f"{option}: unknown field {name.strip()!r} (the fields: {', '.join(ROSTER_FIELDS)})")
        if key in out:
            raise MapError(f"{option}: {key} is given twice")
        column = column.strip().strip('"').strip()
        if not column:
            raise MapError(f"{option}: {key}= needs the name of a column, like {key}=Student_Number")
        if has_controls(column) or len(column) > _MAX_COLUMN:
            raise MapError(f"{option}: the column for {key} is not a column name (control characters, or longer "
                           f"than {_MAX_COLUMN} characters)")
        out[key] = column
    if not out:
        raise MapError(f"{option}: empty (give FIELD=COLUMN pairs, like student_id=Student_Number,given_name=First)")
    return out


def format_map(mapping: dict[str, str]) -> str:
    """A map as ``--map`` takes it: ``student_id=Student_Number,given_name=First``."""
    return ",".join(f"{k}={v}" for k, v in mapping.items())


def _map_index(mapping: dict[str, str], header: list[str], names: list[str]) -> dict[str, int] | str:
    """Field → column index for a map, or the first column the file doesn't have."""
    index = {}
    for key, column in mapping.items():
        exact = [i for i, n in enumerate(names) if n == column]
        folded = [i for i, h in enumerate(header) if fold(column) and h == fold(column)]
        found = exact or folded
        if not found:
            return column
        index[key] = found[0]
    return index


def resolve(names: list[str], header: list[str], label: str, *, explicit: dict[str, str] | None = None,
            saved: dict[str, str] | None = None, option: str = "--map") -> Columns | None:
    """Where each field is: a recognised layout, with the columns a map names in place of its own.

    ``explicit`` (``--map``) must fit the file (:class:`MapError` names the first column it lacks);
    ``saved`` (the profile's ``[roster.map]``) is used only when every column it names is in the file.
    None when nothing is recognised and no map fits; :class:`MapError` when a map leaves a needed
    field without a column. ``option`` names the map where the user gives it (``--map``, or the screen's field).
    """
    found = recognise(header)
    layout_name, index, grades = (found[0].name, dict(found[1]), found[0].grades) if found else ("", {}, {})
    mapped_by, mapping = "", None
    if explicit:
        got = _map_index(explicit, header, names)
        if isinstance(got, str):
            raise MapError(f"{option}: column {got!r} is not in the header of {label} (line 1)")
        mapping, mapped_by = got, option
    elif saved:
        got = _map_index(saved, header, names)
        if not isinstance(got, str):
            mapping, mapped_by = got, "the profile's [roster.map]"
    if mapping is None:
        return Columns(layout_name, index, names, grades=grades) if found else None
    index.update(mapping)
    missing = [f for f in REQUIRED if f not in index]
    if missing:
        needed = ",".join(f"{f}=COLUMN" for f in missing)
        which = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
        raise MapError(f"{label}: the column map ({mapped_by}) does not say where {which} "
                       f"{'is' if len(missing) == 1 else 'are'}, and the file is no layout this program knows: "
                       f"add {needed}")
    return Columns(layout_name or "student list", index, names, mapped=set(mapping), mapped_by=mapped_by,
                   grades=grades)
