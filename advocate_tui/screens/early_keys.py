"""Keys typed while a screen is opening go where that screen puts the cursor.

``H`` then the summary straight away: the first ``H`` of a session loads the handoff screen's code
(signing included) before the screen is shown, and keys typed meanwhile reach it before its fields
are laid out: a text area then takes them without showing them, and tab finds nothing to move to.
:class:`EarlyKeys`, mixed into the App, holds the keys that arrive while a screen it just pushed is
still being mounted and laid out, then hands them on in order, as if typed then — to whatever that
screen has focused (its first field). Keys typed while held keys wait are held behind them, so
nothing overtakes. A screen that needs longer before its keys (a form until its values are loaded)
says when it is ready with ``ready_for_keys()``.

A screen's own keys (``h`` on a process page) act only once the key has gone through the focused widget
and back up to the app, and by then the keys typed behind it have already been handed to that widget: a
key coming back up from a screen that another has covered meanwhile is held too, and goes to the screen
now in front, as if typed then (it would otherwise be lost: it acts on neither screen). And a screen's key
that acts at once (a priority binding: a student page's enter) typed while the key before it is still on
that way waits for it, then goes to the screen in front (``a``, enter: the form ``a`` opened gets the enter).
"""

from __future__ import annotations

import weakref

from textual import events
from textual.screen import Screen

__all__ = ["EarlyKeys"]

#: frames a new screen gets, once mounted, to focus a field before its held keys go to it as they are
SETTLE_FRAMES = 2
#: seconds between looks at whether a key handed on has gone all the way (through the widgets it
#: passes, up to the app), and how many looks at most before the next key goes anyway
REPLAY_POLL = 0.005
MAX_WAITS = 100
#: where a key handed to a widget notes the screen it was typed on
TYPED_ON = "_advocate_typed_on"


class EarlyKeys:
    """An App mixin: hold keys typed while a pushed screen is still being mounted and laid out."""

    _settling: Screen | None = None

    def push_screen(self, screen, *args, **kwargs):  # type: ignore[override]
        result = super().push_screen(screen, *args, **kwargs)  # type: ignore[misc]
        self._settle_first(self.screen)  # type: ignore[attr-defined]
        return result

    def _settle_first(self, screen) -> None:
        """Hold the keys typed until ``screen`` (just pushed, or the app's first) is ready for them."""
        if isinstance(screen, Screen) and not screen.is_mounted:
            self._settling = screen
            screen.call_after_refresh(self._settle, screen, SETTLE_FRAMES)

    def hold_early_key(self, event: events.Event) -> bool:
        """True if ``event`` (a key not yet routed, or one coming back up from a screen covered since it was
        typed) is held until the screen in front is ready for it."""
        if not isinstance(event, events.Key):
            return False
        held = self.__dict__.setdefault("_held", [])
        if event.is_forwarded:
            typed_on = event.__dict__.get(TYPED_ON)
            if typed_on is None or typed_on is self.screen or typed_on not in self.screen_stack:  # type: ignore[attr-defined]
                return False
            held.append(event)  # covered meanwhile: for the screen in front, behind any key already waiting
            if self._settling is None and len(held) == 1:
                self.call_later(self._replay)  # type: ignore[attr-defined]
            return True
        if not held and (self._settling is None or self._settling is not self.screen):  # type: ignore[attr-defined]
            if self._overtakes(event):  # would act before the key typed before it: behind it instead
                held.append(event)
                self.call_later(self._replay)  # type: ignore[attr-defined]
                return True
            event.__dict__[TYPED_ON] = self.screen  # type: ignore[attr-defined]
            screen = self.screen  # type: ignore[attr-defined]
            # (weak: a closed screen must be let go, whatever key was typed on it last)
            self.__dict__["_in_flight"] = (weakref.ref(screen), weakref.ref(screen.focused or screen))
            return False
        held.append(event)  # (behind any key already waiting)
        return True

    def _overtakes(self, event: events.Key) -> bool:
        """True if ``event`` is a key of the screen's own that acts at once (a priority binding, as a student
        page's enter) while the key typed before it on the same screen is still on its way through the
        widgets (the page's ``a``, to open a form): it would act first ("a", enter opened the selected item
        instead of adding, and the ``a`` then went to that item). It then waits until that key has gone all
        the way, and goes to whatever screen is in front by then (the form the ``a`` opened)."""
        flight = self.__dict__.get("_in_flight")
        screen = self.screen  # type: ignore[attr-defined]
        widget = flight[1]() if flight is not None and flight[0]() is screen else None
        if widget is None:
            return False
        if not any(b.priority for b in screen._bindings.key_to_bindings.get(event.key, ())):
            return False
        chain = [*widget.ancestors_with_self]
        if not any(_busy(pump) for pump in chain):
            return False
        self.__dict__["_replay_chain"] = _weak(chain)
        self.__dict__["_replay_waited"] = 0
        return True

    async def _settle(self, screen: Screen, frames: int) -> None:
        if screen is self.screen and (not screen.is_mounted or (screen.focused is None and frames > 0)  # type: ignore[attr-defined]
                                      or not _ready(screen)):
            screen.call_after_refresh(self._settle, screen, frames - 1 if screen.is_mounted else frames)
            return
        if self._settling is screen:
            self._settling = None
        await self._replay()

    async def _replay(self) -> None:
        """Hand on the first held key, as if typed now; the next once this one has gone all the way
        (every widget it passes through, up to the app, has handled it: a tab has moved the cursor, a
        key has opened a screen — and the keys after it are then held for that screen)."""
        held = self.__dict__.get("_held", [])
        if not held or self._settling is not None:
            return
        chain = [pump for pump in (ref() for ref in self.__dict__.get("_replay_chain", ())) if pump is not None]
        waited = self.__dict__.get("_replay_waited", 0)
        if chain and waited < MAX_WAITS and any(_busy(pump) for pump in chain):
            self.__dict__["_replay_waited"] = waited + 1
            self.set_timer(REPLAY_POLL, self._replay)  # type: ignore[attr-defined]
            return
        event = held.pop(0)
        key = events.Key(event.key, event.character)
        key.set_sender(self)  # type: ignore[arg-type]
        screen = self.screen  # type: ignore[attr-defined]
        key.__dict__[TYPED_ON] = screen
        target = screen.focused or screen
        self.__dict__["_replay_chain"] = _weak(target.ancestors_with_self)
        self.__dict__["_replay_waited"] = 0
        if held:
            self.set_timer(REPLAY_POLL, self._replay)  # type: ignore[attr-defined]
        await super().on_event(key)  # type: ignore[misc]


def _weak(nodes: list) -> list[weakref.ref]:
    """The widgets a key passes through, held weakly (a screen closed meanwhile is let go)."""
    return [weakref.ref(node) for node in nodes]


def _ready(screen: Screen) -> bool:
    """True when the screen says it is ready for keys (``ready_for_keys()``, as a form once loaded with a
    field focused); a screen that does not say is ready once mounted and focused (or after a few frames)."""
    ready = getattr(screen, "ready_for_keys", None)
    return ready() if callable(ready) else True


def _busy(pump) -> bool:
    """True while a widget (or the app) still has messages to handle."""
    queue = getattr(pump, "_message_queue", None)
    return queue is not None and not queue.empty()
