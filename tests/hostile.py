"""Hostile text for tests: markup, terminal codes, control and bidi characters, very long words, wide
characters — and how to check that a screen shows it as typed and never hands the terminal a code.

Shared by every test of "text from a person or a file is data": import the examples, the
strategies and :func:`rendered` from here (``from hostile import ...``).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from advocate_tui.models.text import has_controls, without_controls

#: Text that Rich/Textual would read as markup: each must show exactly as typed (the issue's first
#: four crashed screens or silently vanished from tables).
MARKUP = (
    "Brack[/x]", "[link=https://example.org]Ann", "[redacted]", "[sic]", "Mom [/] dad split",
    "[b]Bold[/b] claim", "[@click=app.quit]Quit[/]", "[on red]Alarm", "[i]x", "a]b[c", "\\[x]", "[/link]",
    "$accent [$error]",
)
#: Terminal codes and other control characters: never to reach the terminal.
TERMINAL = (
    "\x1b]0;pwned\x07", "\x1b[31mred\x1b[0m", "\x1b[2J", "bell\x07", "nul\x00", "\x9b31mC1", "del\x7f",
    "\u202eevil\u202c", "\u2066iso\u2069", "\x1bP+q\x1b\\", "cr\rlf", "line\u2028sep",
)
#: Wide characters and words longer than any column.
WIDE = ("👩‍👩‍👧 family", "漢字かな交じり", "Zoë Ω ß", "x" * 120)

_NAME_PIECES = st.sampled_from(MARKUP + WIDE[:3] + ("x" * 60, "Ana", " ", "-", "'", "ʻ", "\u200f"))
_TEXT_PIECES = _NAME_PIECES | st.sampled_from(TERMINAL + ("\t", "\n", "\r\n"))
_LETTERS = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")), max_size=5)


def hostile_names() -> st.SearchStrategy[str]:
    """A name a roster or a person could give that the models accept: markup, wide characters,
    long words, right-to-left marks — but no control character (those are refused)."""
    return (st.lists(_NAME_PIECES | _LETTERS, min_size=1, max_size=5).map("".join).map(str.strip)
            .filter(lambda s: 0 < len(s) <= 100 and not has_controls(s)))


def hostile_texts() -> st.SearchStrategy[str]:
    """A note or reason as typed or pasted: anything above plus terminal codes, tabs and line breaks
    (with something visible left once the controls are gone)."""
    return (st.lists(_TEXT_PIECES | _LETTERS, min_size=1, max_size=6).map("".join)
            .filter(lambda s: without_controls(s).strip() and len(s) <= 400))


#: few examples per screen (each drives a whole app), always the same ones (derandomized), no
#: shrinking (a failing example is reported as drawn); ADVOCATE_HYPOTHESIS_SCREENS raises the count
SCREEN_SETTINGS = settings(
    max_examples=int(os.environ.get("ADVOCATE_HYPOTHESIS_SCREENS", "2")), deadline=None, derandomize=True,
    database=None, phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def rendered(app) -> str:
    """The current screen as the terminal gets it, as text lines — after checking that no text
    segment holds a character a terminal would act on (ESC, BEL, C1, bidi override…)."""
    lines = []
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            if not segment.control:
                assert not has_controls(segment.text), f"sent to the terminal raw: {segment.text!r}"
        lines.append(strip.text)
    return "\n".join(lines)


def one_line(text: str) -> str:
    """``text`` as a one-line cell shows it (whitespace runs and line breaks as one space, no controls)."""
    return " ".join(without_controls(text, lines=False).split())


def shows(shown: str, text: str) -> bool:
    """True if ``shown`` (a cell, a line) is ``text`` as typed — or its start, cut with "…" for lack of room
    (a wide character that does not fit leaves a space before the "…")."""
    if shown == text:
        return True
    return shown.endswith("…") and len(shown) > 1 and text.startswith(shown[:-1].rstrip(" "))


def fits(text: str, cells: int) -> bool:
    return cell_len(text) <= cells
