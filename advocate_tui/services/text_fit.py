"""Text that fits a width: cut or wrapped at the edge of a word, never in the middle of one; counts
with their word in the singular or plural ("1 incident", "3 incidents").

"Major · follow-up overdue Fri" in 20 cells is "Major · follow-up…", not "Major · follow-…"; a
single word longer than the width is the only thing ever cut inside a word. Widths are screen cells
(a wide, CJK character takes two), and a line may also break next to a wide character, as Chinese
and Japanese text has no spaces between words. Used by the panes, the
item view, the handoff review and the data screen (no Textual here).
"""

from __future__ import annotations

from rich.cells import cell_len

__all__ = ["counted", "cut_words", "wrap_words"]

ELLIPSIS = "…"
#: left off the end of a cut line (a separator with nothing after it says nothing)
_DANGLING = " ,;:·→—"


#: characters one screen cell wide (Latin with its accents, Greek, Cyrillic, the punctuation, arrows and
#: box shapes the screens use: "·", "…", "—", "→", "↩"): a text of these alone is as wide as it is long,
#: and breaks only at its spaces (measuring each character to look for a wide one took ~0.1 ms a cell:
#: 500 cells at a decade's start, bench/)
_NARROW = frozenset(chr(c) for start, end in ((0x20, 0x7E), (0xA0, 0x2FF), (0x370, 0x482), (0x2010, 0x2027),
                                               (0x2030, 0x205E), (0x2190, 0x21FF), (0x2500, 0x25FC))
                    for c in range(start, end + 1))
_narrow = _NARROW.issuperset


def _flat(text: object) -> str:
    return " ".join(str(text or "").split())


def _chars_in(text: str, cells: int) -> int:
    """How many of ``text``'s first characters fit in ``cells`` screen cells (a wide, CJK character
    takes two)."""
    if _narrow(text):
        return min(len(text), max(cells, 0))
    used = 0
    for n, ch in enumerate(text):
        used += cell_len(ch)
        if used > cells:
            return n
    return len(text)


def _wide_edge(text: str, at: int, width: int) -> bool:
    """True if a line ``width`` cells wide may break before ``text[at]`` though no space is there: next
    to a wide (CJK) character, inside a run longer than the line (Chinese and Japanese are written
    without spaces between words; a short run, a name, is kept whole like any word)."""
    if not 0 < at < len(text) or _narrow(text) or not (cell_len(text[at - 1]) > 1 or cell_len(text[at]) > 1):
        return False
    start, end = text.rfind(" ", 0, at) + 1, text.find(" ", at)
    return cell_len(text[start:end if end >= 0 else len(text)]) > width


def _last_wide_edge(text: str, fits: int, width: int) -> int:
    """The last place (at most ``fits``) where :func:`_wide_edge` lets ``text`` break, or -1."""
    if _narrow(text):
        return -1
    return next((at for at in range(min(fits, len(text) - 1), 0, -1) if _wide_edge(text, at, width)), -1)


def cut_words(text: object, width: int) -> str:
    """``text`` on one line in at most ``width`` cells, cut at a word's edge with '…' when too long."""
    flat = _flat(text)
    narrow = _narrow(flat)
    if (len(flat) if narrow else cell_len(flat)) <= width:
        return flat
    if width <= 1:
        return ELLIPSIS[:max(width, 0)]
    room = flat[: width - 1] if narrow else flat[: _chars_in(flat, width - 1)]
    if flat[len(room)] != " " and " " in room and (narrow or not _wide_edge(flat, len(room), width)):  # the cut falls inside a word: back to its start
        room = room[: room.rfind(" ")]
    keep = room.rstrip(_DANGLING)
    return (keep or room) + ELLIPSIS


def wrap_words(text: object, width: int, max_lines: int = 2) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken between words; the last of ``max_lines``
    lines (or the line where a word longer than ``width`` comes) is cut with '…' when the text does
    not fit."""
    rest = _flat(text)
    if width <= 0:
        return [""]
    narrow = _narrow(rest)  # (then as wide as it is long, and no break but at a space)
    size = len if narrow else cell_len
    lines: list[str] = []
    while size(rest) > width and len(lines) < max_lines - 1:
        if narrow:
            fits = min(len(rest), width)  # the characters of ``rest`` that fit the line
            edge = rest.rfind(" ", 0, fits + 1)
        else:
            fits = _chars_in(rest, width)
            edge = max(rest.rfind(" ", 0, fits + 1), _last_wide_edge(rest, fits, width))
        # rather between two parts ("Minor · | not handed off", "Ana G. (R), | Zo O. (H)") when the
        # rest then still fits the lines left
        left = width * (max_lines - len(lines) - 1)
        for sep in (" · ", ", "):
            part = rest.rfind(sep, 0, fits + 1 - len(sep) + 1)
            if part > 0 and size(rest[part + len(sep):]) <= left:
                edge = part + len(sep) - 1
                break
        if edge <= 0:  # a word longer than the line: cut here rather than break inside the word
            break
        lines.append(rest[:edge].rstrip())
        rest = rest[edge:].lstrip()
    lines.append(cut_words(rest, width))
    return lines


def fits_in_lines(value: str, width: int, lines: int) -> bool:
    """True if ``value`` wraps at word edges into ``lines`` lines of ``width`` without being cut."""
    wrapped = wrap_words(value, width, lines)
    return not wrapped[-1].endswith("…") or value.endswith("…")


def counted(n: int, word: str, plural: str | None = None) -> str:
    """'1 incident', '3 incidents', '0 referrals' ('entry' → 'entries'; ``plural`` for anything else)."""
    if n == 1:
        return f"{n} {word}"
    if plural is None:
        plural = word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"
    return f"{n} {plural}"
