"""Reading a roster's fields, whatever the export: text trimmed and in NFC, lists as text or JSON, grades in
any spelling (``07``, ``Grade 7``, ``Year 7``), the school's student number among OneRoster ``userIds``, and which
ids are usable."""

from __future__ import annotations

import functools
import json
import re
import unicodedata

from ..models.text import CONTROLS


_ID_RE = re.compile(rf"^[^\s,;{CONTROLS}]{{1,32}}$")
#: userIds types that carry the school's student number, best first (folded: lower-case, a-z0-9 only)
_NUMBER_TYPES = ("sis", "studentid", "studentnumber", "localid", "local", "school", "district", "state")


def clean(value: str | None) -> str:
    """Trimmed NFC text (names exported on a Mac are often decomposed; ASCII is NFC already)."""
    value = (value or "").strip()
    return value if value.isascii() else unicodedata.normalize("NFC", value)


def split_list(value: str) -> list:
    """A OneRoster list: a JSON list, or comma-separated values."""
    value = clean(value)
    if not value:
        return []
    if value.startswith("["):
        try:
            items = json.loads(value)
        except ValueError:
            raise ValueError("not a readable list") from None
        if not isinstance(items, list):
            raise ValueError("not a readable list")
        return [i for i in items if i not in (None, "")]
    return [p.strip() for p in value.split(",") if p.strip()]


#: OneRoster / CEDS grade codes (Ed-Fi uses the same levels): stored as written here
GRADE_CODES = ("IT", "PR", "PK", "TK", "KG", *(f"{n:02d}" for n in range(1, 14)), "PS", "UG", "Other")
_GRADES = {g.upper(): g for g in GRADE_CODES}
#: Ed-Fi GradeLevelDescriptor names and the usual spellings of a simple CSV, folded (a-z0-9 only)
_GRADE_WORDS = {
    "k": "KG", "kindergarten": "KG", "kinder": "KG", "transitionalkindergarten": "TK", "prekindergarten": "PK",
    "preschoolprekindergarten": "PK", "prek": "PK", "infanttoddler": "IT", "preschool": "PR",
    "postsecondary": "PS", "postgraduate": "PS", "ungraded": "UG", "other": "Other", "grade13": "13",
    **{f"{w}grade": f"{n:02d}" for n, w in enumerate(
        ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
         "eleventh", "twelfth"), 1)},
}

_GRADE_NUMBER = re.compile(r"^(?:grade|gr|year|yr|y)?(?P<n>\d{1,2})(?:st|nd|rd|th)?(?:grade)?$")


class GradeError(ValueError):
    """A grade value that is not a grade; ``value`` is the offending item (a short code, never a name)."""

    def __init__(self, value: str):
        super().__init__(value)
        self.value = value


def one_grade(item: str) -> str:
    """'7' → '07', 'kg' → 'KG', 'Kindergarten' → 'KG', 'other' → 'Other'; :class:`GradeError` otherwise."""
    text = str(item).strip()
    if text.isdigit() and 1 <= int(text) <= 13 and len(text) <= 2:
        return f"{int(text):02d}"
    if text.upper() in _GRADES:
        return _GRADES[text.upper()]
    folded = re.sub(r"[^a-z0-9]", "", text.lower())
    word = _GRADE_WORDS.get(folded)
    if word:
        return word
    spelled = _GRADE_NUMBER.match(folded)  # "Grade 9", "Gr. 09", "9th", "9th grade", "Year 9", "Y9"
    if spelled and 1 <= int(spelled["n"]) <= 13:
        return f"{int(spelled['n']):02d}"
    raise GradeError(text)


@functools.lru_cache(maxsize=512)
def grade_of(value: str) -> str | None:
    """'7' → '07', '09,10' → '09,10', '["kg"]' → 'KG' (the first grade when they don't fit in 8 characters).

    Only OneRoster/Ed-Fi grade levels (IT, PR, PK, TK, KG, 01–13, PS, UG, Other) and the numbers 1–13 are
    grades: anything else raises :class:`GradeError` naming the value.
    """
    try:
        items = split_list(value)
    except ValueError:
        raise GradeError(clean(value)) from None
    grades = [one_grade(item) for item in items]
    if not grades:
        return None
    joined = ",".join(dict.fromkeys(grades))
    return joined if len(joined) <= 8 else grades[0]


def number_from_user_ids(value: str) -> str | None:
    """The student number among OneRoster ``userIds`` ({SIS:123},{LDAP:x} or a JSON list)."""
    pairs: list[tuple[str, str]] = []
    for item in split_list(value):
        if isinstance(item, dict):
            low = {str(k).lower(): str(v) for k, v in item.items()}
            pairs.append((low.get("type", ""), low.get("identifier", low.get("id", ""))))
        else:
            text = str(item).strip().strip("{}")
            kind, _, ident = text.partition(":")
            pairs.append((kind, ident) if ident else ("", kind))
    pairs = [(re.sub(r"[^a-z0-9]", "", k.lower()), v.strip()) for k, v in pairs if v.strip()]
    for wanted in _NUMBER_TYPES:
        for kind, ident in pairs:
            if kind == wanted:
                return ident
    return pairs[0][1] if pairs else None


def valid_id(value: str) -> bool:
    return bool(_ID_RE.match(value))
