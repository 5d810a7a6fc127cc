"""The roster look-up's ranks (as SQL and as Python tests of a search key) and the active students'
search keys held in memory between keystrokes (:class:`Roster`): what :meth:`Store.find_students` uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .core import Store

#: markers in a search key: the given, family and preferred names each follow their own
#: (a control character never typed, so a typed word never matches one)
GIVEN, FAMILY, PREFERRED = "\x1fg", "\x1ff", "\x1fp"


def _escape(word: str) -> str:
    """A typed word made safe inside a LIKE pattern (escape character: backslash)."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def rank_tests(words: list[str]) -> list[tuple[str, list[str], Callable[[str], bool]]]:
    """How well a student matches the typed words, best first: (SQL condition, its parameters, the same
    test of a search key in Python for :class:`Roster`).

    Ranks (the row falls into the first that holds): the number itself; a given name then
    family-name starts, in that order ('ivan m' → Iván Martínez; a whole given name, then a whole
    name the student goes by, before one that only starts with the word), or one word that is a
    whole name; a family name then a given name; every word starting a word of the names; last, a
    word found inside a name ('vanov' → Ivanova)."""
    w = [" " + x for x in words]
    if len(words) == 1:
        best = [_instr([f" {words[0]} "])]
    else:
        # a whole given name before one that only starts so ('maria g': María García, then Mariana)
        best = [_like([GIVEN, w[0] + " ", FAMILY, *w[1:], PREFERRED]),
                # the name the student goes by, whole ('ben wil': Benjamin 'Ben' Wilson before
                # Benjamin 'Sky' Wilson)
                _like([FAMILY, *w[1:], PREFERRED, w[0] + " "]),
                _like([GIVEN, w[0], FAMILY, *w[1:], PREFERRED]),
                _like([FAMILY, *w[1:], PREFERRED, w[0]])]
        if len(words) == 2:
            best.append(_like([GIVEN, w[1], FAMILY, w[0], PREFERRED]))
    return best + [_instr(w)]


def _instr(parts: list[str]) -> tuple[str, list[str], Callable[[str], bool]]:
    """A search key holding each of ``parts``."""
    sql = " AND ".join("instr(search_key, ?) > 0" for _ in parts)
    if len(parts) == 1:
        part = parts[0]
        return sql, parts, lambda key: part in key
    return sql, parts, lambda key: all(p in key for p in parts)


def _like(parts: list[str]) -> tuple[str, list[str], Callable[[str], bool]]:
    """A search key holding ``parts`` in this order (``LIKE '%a%b%'``; a search key is folded already,
    so LIKE's case-blindness changes nothing)."""

    def holds(key: str) -> bool:
        at = 0
        for part in parts:
            at = key.find(part, at)
            if at < 0:
                return False
            at += len(part)
        return True

    return r"search_key LIKE ? ESCAPE '\'", ["%" + "%".join(_escape(p) for p in parts) + "%"], holds


#: SQLite's NOCASE: A–Z as a–z, every other character as it is
_NOCASE = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class Roster:
    """The active students' numbers and search keys in memory, in the order :meth:`find_students`
    shows a rank's students (family, then given name): what each keystroke of a look-up searches,
    instead of a scan of every student's row (the decade's 25,000 students, 3,000 of them active:
    3–6 ms a key in SQLCipher, ~1 ms here). Made on the first look-up; dropped when this desk writes
    students, and made again when another connection has written to the file (``data_version``)."""

    __slots__ = ("version", "ids", "keys", "at")

    def __init__(self, store: "Store", version: int) -> None:
        self.version = version
        rows = store.db.conn.execute(
            "SELECT local_id, search_key, family_name, given_name FROM students WHERE active = 1").fetchall()
        # ORDER BY family_name COLLATE NOCASE, given_name COLLATE NOCASE, local_id — sorted here (NOCASE
        # folds A–Z alone and compares UTF-8 bytes, which order as code points do): 12 → 4 ms
        rows.sort(key=lambda r: (r[2].translate(_NOCASE), r[3].translate(_NOCASE), r[0]))
        self.ids: list[str] = [r[0] for r in rows]
        self.keys: list[str] = [r[1] for r in rows]
        self.at = {sid: n for n, sid in enumerate(self.ids)}

    def find(self, number: str, params: list[str], ranks: list, limit: int) -> list[str]:
        """The numbers of the first ``limit`` students holding every one of ``params``, ranked as the
        SQL of :meth:`StudentsMixin.find_students` ranks them: the number itself, then each of
        ``ranks`` in turn, then the rest; within a rank, in the roster's order."""
        keys = self.keys
        if len(params) == 1:
            part = params[0]
            found = [n for n, key in enumerate(keys) if part in key]
        else:
            found = [n for n, key in enumerate(keys) if all(p in key for p in params)]
        chosen: list[int] = []
        exact = self.at.get(number)
        if exact is not None and all(p in keys[exact] for p in params):
            chosen.append(exact)
        for _sql, _params, holds in ranks:
            if len(chosen) >= limit:
                break
            taken = set(chosen)
            for n in found:
                if n not in taken and holds(keys[n]):
                    chosen.append(n)
                    if len(chosen) >= limit:
                        break
        if len(chosen) < limit:  # (every student of a better rank is chosen already)
            taken = set(chosen)
            chosen.extend([n for n in found if n not in taken][: limit - len(chosen)])
        return [self.ids[n] for n in chosen[:limit]]
