"""Characters that are not text: terminal codes, control characters and bidi overrides.

A name holding one is refused (it came from a roster file or was typed by mistake, and a person must
see what is wrong); a note, reason or summary keeps its tabs and line breaks and drops the rest
(a note pasted from a terminal keeps every character that was visible there, and nothing that would
act on a terminal); the screen shows neither raw (:func:`without_controls`, used by the UI for text
stored before these rules). No Textual here.

Which characters: C0 controls (U+0000–U+001F), DEL and the C1 controls (U+007F–U+009F, U+009B is a
terminal's one-byte "CSI"), the line and paragraph separators (U+2028, U+2029), and the bidi
embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) that reorder what follows them on
screen. Left alone: the bidi *marks* (U+200E, U+200F, U+061C), which right-to-left names need.
"""

from __future__ import annotations

import re
from functools import cache

__all__ = ["CONTROLS", "NAME_PATTERN", "TEXT_PATTERN", "has_controls", "without_controls", "stored_line"]

#: the characters that are not text, as a regular-expression class body (Python, Rust and ECMA-262 alike)
CONTROLS = r"\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
#: a name, a label, a number: none of them
NAME_PATTERN = rf"^[^{CONTROLS}]*$"
#: a note, reason or summary: tab and line feed only
TEXT_PATTERN = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"

#: a whole terminal sequence: what a terminal would act on instead of showing (OSC … BEL/ST, CSI …
#: final byte, DCS/SOS/PM/APC … ST, a two-character ESC sequence)
_SEQUENCE = (
    r"(?:\x1b\]|\x9d)[^\x00-\x1f\x7f-\x9f]*(?:\x07|\x1b\\|\x9c)"              # OSC: title, link, clipboard…
    r"|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x00-\x1f\x7f-\x9f]*(?:\x1b\\|\x9c)"  # DCS, SOS, PM, APC
    r"|(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"                   # CSI: colours, cursor, erase…
    r"|\x1b[\x20-\x7e]?"                                                        # any other ESC x (or a lone ESC)
)
_BREAK = r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]"
_LEFT = r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"


@cache
def _any() -> re.Pattern[str]:
    """Any character :func:`has_controls` looks for, compiled when text is first checked (compiling these
    patterns at import cost every start ~8M instructions, before it had any text to check)."""
    return re.compile(f"[{CONTROLS}]")


@cache
def _cleaners() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The terminal sequences, line breaks and other controls :func:`without_controls` drops, compiled then."""
    return re.compile(_SEQUENCE), re.compile(_BREAK), re.compile(_LEFT)


def has_controls(text: str) -> bool:
    """True if ``text`` holds a control character, terminal code or bidi override (tabs and line breaks count)."""
    return _any().search(text) is not None


def without_controls(text: str, *, lines: bool = True) -> str:
    """``text`` as a terminal would have shown it: terminal sequences and control characters dropped.

    Line breaks (CR LF, CR, VT, FF, NEL, U+2028/9) become ``\\n`` and tabs stay; with ``lines=False``
    both become a space (for one-line text such as a name).
    """
    if text.isprintable() or not _any().search(text):  # (every character cleaned is one isprintable() refuses)
        return text
    sequence, line_break, left = _cleaners()
    text = left.sub("", line_break.sub("\n", sequence.sub("", text)))
    return text if lines else text.replace("\n", " ").replace("\t", " ")


def stored_line(text: str) -> str:
    """A one-line text read back from the database as the models clean it (a name stored before names
    refused control characters): terminal codes and control characters dropped, tabs and line breaks
    made spaces. (A printable text holds none of them: asked first, it spares the search.)"""
    return text if text.isprintable() else without_controls(text, lines=False)
