"""Text from a person or a file, shown exactly as typed: never markup, never a terminal code.

Textual reads markup in plain strings almost everywhere — a ``str`` cell of a DataTable, Static and
Label content, OptionList prompts, command-palette hits, border titles, toasts — so a name like
``Brack[/x]`` raises MarkupError and ``[redacted]`` silently vanishes. Every piece of text a screen
shows goes through :func:`literal`, which makes a ``rich.text.Text`` (Textual never parses one for
markup); an API that only takes a string and shows it as it is (a toast with ``markup=False``, a
plotext label, an input's value) gets :func:`plain`. Both drop terminal codes and other control
characters (:func:`advocate_tui.models.text.without_controls`): the models refuse or drop them on the
way in, and this keeps text stored before that (or never modelled: drafts, audit notes) off the
terminal too.

A text field is the one place text can't simply lose its control characters (the cursor counts
characters, and what is saved is the field's value): :data:`VISIBLE_CONTROLS`, the highlighter of
every form field, shows each as a visible mark instead (a line break of a note amended in a one-line
field as ``↵``), one for one; the models drop them when the record is saved.
"""

from __future__ import annotations

import re

from rich.highlighter import Highlighter
from rich.style import Style
from rich.text import Text

from ..models.text import CONTROLS, has_controls, without_controls

__all__ = ["literal", "plain", "VisibleControls", "VISIBLE_CONTROLS"]

_CONTROL = re.compile(f"[{CONTROLS}]")
#: how a control character shows in a text field (anything not listed: U+FFFD)
_MARKS = {"\n": "↵", "\t": "→"}


def plain(value: object, *, one_line: bool = False) -> str:
    """``value`` as a string with no terminal codes or control characters (tabs and line breaks kept,
    or made spaces with ``one_line``). ``None`` is ``""``."""
    text = "" if value is None else str(value)
    return without_controls(text, lines=not one_line)


def literal(value: object, style: str | Style = "", *, one_line: bool = False, width: int | None = None) -> Text:
    """``value`` as a Text shown exactly as typed (``[b]`` stays ``[b]``), in ``style``.

    ``one_line``: tabs and line breaks become spaces and the text never wraps (cut with "…" where
    it has no room); ``width``: at most that many cells, ending in "…" when cut.
    """
    text = Text(plain(value, one_line=one_line), style=style, no_wrap=one_line or None,
                overflow="ellipsis" if one_line else None)
    if width is not None and text.cell_len > width:
        text.truncate(max(width, 1), overflow="ellipsis")
    return text


class VisibleControls(Highlighter):
    """A text field's highlighter: each control character or terminal code in its value shows as a
    visible mark (``↵`` for a line break, ``→`` for a tab, ``�`` for the rest), one for one, so the
    cursor stays on the right character; the value itself is not changed."""

    def highlight(self, text: Text) -> None:
        if has_controls(text.plain):
            text.plain = _CONTROL.sub(lambda m: _MARKS.get(m.group(), "\ufffd"), text.plain)


#: the one instance the form fields share
VISIBLE_CONTROLS = VisibleControls()


def update_text(static, text) -> None:
    """Show ``text`` in ``static`` unless it shows that already (an update lays the screen out again)."""
    if static.content != text:
        static.update(text)
