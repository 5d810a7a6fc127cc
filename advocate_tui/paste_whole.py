"""A bracketed paste taken whole, terminal codes and all, as one paste.

Textual's input parser (8.x) reads a terminal code inside a bracketed paste as the start of an escape
sequence of the terminal's own: the characters after the ESC leave the paste and come as key presses,
in another order than pasted (``[link]x \\x1b]8;;https://evil\\x1b\\\\ev`` arrived as the keys
``^ ] 8 ; ; h t t p s …`` and then a paste of the rest). A note pasted from a web page that hid such
codes was stored scrambled, with the code's text in it, and on the main screen those key presses
were the desk's own keys (``i``, ``H``, ``q``…). Here everything between the paste's start and end
markers is one :class:`~textual.events.Paste`, which the app then cleans of its codes whole
(:meth:`AdvocateApp.on_event <advocate_tui.app.AdvocateApp.on_event>`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from textual import events
from textual._xterm_parser import XTermParser

PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"


class PasteWholeParser(XTermParser):
    """Textual's parser, except that what lies between a bracketed paste's markers is one paste."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pasted: list[str] | None = None  # the paste read so far, while inside one

    def feed(self, data: str) -> Iterable[events.Event]:
        if not data:
            yield from super().feed(data)
            return
        while data:
            if self._pasted is None:
                start = data.find(PASTE_START)
                if start < 0:
                    yield from super().feed(data)
                    return
                if start:
                    yield from super().feed(data[:start])
                self._pasted, data = [], data[start + len(PASTE_START):]
                continue
            joined = "".join(self._pasted) + data
            end = joined.find(PASTE_END)
            if end < 0:
                self._pasted = [joined]  # (an end marker cut between two reads is found in the next)
                return
            self._pasted, data = None, joined[end + len(PASTE_END):]
            yield events.Paste(joined[:end].replace("\x00", ""))


def install(driver_class: type) -> None:
    """Have the terminal driver ``driver_class`` read its input with :class:`PasteWholeParser`."""
    module = sys.modules.get(driver_class.__module__)
    if module is not None and getattr(module, "XTermParser", None) is XTermParser:
        module.XTermParser = PasteWholeParser
