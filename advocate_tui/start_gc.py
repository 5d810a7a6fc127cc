"""Python's garbage collector while the app starts: paused, then what the start made is frozen.

Before the app runs, a start imports ~600 modules and builds the profile and the desk: ~90,000
objects that live as long as the process. Left on, the collector walks them again and again while
they are being made (~120 collections, 45–65 ms of the main thread measured before ``App.run``).
:func:`pause` (the command line, for the app's start only) turns it off; :func:`resume` (just before
the app runs) moves everything alive then out of every later collection (``gc.freeze``: it would
survive them anyway, and every later full collection, while a person types, has that much less to
walk). The app's own start (``enable=False``) keeps the collector off until its first screen is
painted (:func:`after_first_screen`, called by the app then): the first screen's reads and pane fills
make ~100,000 short-lived objects on a decade's file, and a full collection among them (~17 ms of the
main thread, measured by i16-decade) was on the way to the first frame; afterwards it is back on for
the rest of the day. The start's own cyclic garbage until then is kept: measured, ~350 small objects
(argparse's help formatters, a few classes), no file, connection or thread. No Textual here.
"""

from __future__ import annotations

import gc

_paused = False
_frozen = False


def pause() -> None:
    """Turn the collector off for the start (left alone if it is already off: someone chose that)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume(*, freeze: bool = True, enable: bool = True) -> None:
    """The start is over: freeze what is alive (``freeze``, once a process) and turn the collector back
    on (``enable``; else at :func:`after_first_screen`); nothing to do unless :func:`pause` turned it off."""
    global _paused, _frozen
    if not _paused:
        return
    if freeze and not _frozen:
        _frozen = True
        gc.freeze()
    if enable:
        after_first_screen()


def after_first_screen() -> None:
    """The app's first screen is painted (or the app has ended): the collector back on, if the start
    turned it off."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()
