"""Keys typed faster than focus moves still land in the right field.

When enter (or tab) picks a student or a choice, focus moves to the next field; keys the person
already typed may have been queued to the field they just left. Those are passed on, in order, to
the field that has focus now. Form fields move the focus on tab themselves (:func:`move_on_tab`)
rather than wait for the app's binding, which acts only after the keys behind it were read. ``FormInput`` is an Input that does this; other form widgets call
:func:`forward_if_blurred` first thing in their key handler.
"""

from __future__ import annotations

from textual import events
from textual.geometry import Region, Size
from textual.widget import Widget
from textual.widgets import Input

from .literal import VISIBLE_CONTROLS


def forward_if_blurred(widget: Widget, event: events.Key) -> bool:
    """Pass a key on to the focused widget if ``widget`` lost focus meanwhile; True if passed on.

    If ``widget``'s screen has closed meanwhile (a door check saved by its ``s``), the key goes back
    to the app as if just typed, for the screen now in front (the next ``d`` of a sweep)."""
    try:
        screen, focused = widget.screen, widget.screen.focused
        closed = screen is not widget.app.screen and screen not in widget.app.screen_stack
    except Exception:
        return False
    if closed:
        event.stop()
        event.prevent_default()
        widget.app.post_message(events.Key(event.key, event.character))
        return True
    if focused is None or focused is widget:
        return False
    event.stop()
    event.prevent_default()
    key = events.Key(event.key, event.character)
    key.set_sender(widget)
    focused.post_message(key)
    return True


def move_on_tab(widget: Widget, event: events.Key) -> bool:
    """tab / shift+tab: move the focus now, from the field itself (True if it did).

    Left to the app's binding, tab would move the focus only once it has bubbled up to the app, and
    the keys typed right after it would already have landed in the field it was meant to leave."""
    if event.key not in ("tab", "shift+tab"):
        return False
    event.stop()
    event.prevent_default()
    widget.screen.focus_next() if event.key == "tab" else widget.screen.focus_previous()
    return True


class SteadyInput(Input):
    """An Input whose size never depends on its text (its width and height are not ``auto``): a key
    redraws the field, not the whole screen. Textual's Input sets its scroll range (``virtual_size``,
    a layout reactive) to the text's width on every change, which lays out the whole screen — a
    form of ten fields over the main screen, each key (~5 ms, bench/); here the range is set
    without the layout, and the scroll position kept within it as a layout would."""

    def _watch_value(self, value: str) -> None:
        if self.is_mounted and self.size.width and not self.styles.auto_dimensions:
            self.set_reactive(Widget.virtual_size, Size(self.content_width, 1))
            self._scroll_update(self.virtual_size)
        super()._watch_value(value)  # (sets the same range: no layout)

    def _on_resize(self, event: events.Resize) -> None:
        # the terminal made narrower: the scroll kept from the wider field would leave the cursor past
        # its right edge, out of sight until the next key (Textual's Input scrolls only on a key)
        if self.has_focus and not self._initial_value:
            self.scroll_to_region(Region(self._cursor_offset, 0, width=1, height=1), force=True, animate=False)


class FormInput(SteadyInput):
    """A one-line text field of a form: enter moves to the next field at once, keys queued before a
    focus change follow the focus, coming into a filled field puts the cursor at the end of its text
    (nothing selected: the next key adds to the text, never replaces it), and a control character in
    its value shows as a visible mark."""

    async def _on_key(self, event: events.Key) -> None:
        if forward_if_blurred(self, event):
            return
        if move_on_tab(self, event):
            return
        if event.key == "enter" and self.next_on_enter:
            event.stop()
            event.prevent_default()
            self.screen.focus_next()
            return
        for binding in self._bindings.key_to_bindings.get(event.key, []):
            # the field's own editing keys (backspace, delete, arrows, home/end…) act now, in the order
            # typed: as bindings they would act only after the keys typed behind them were inserted
            event.stop()
            event.prevent_default()
            await self.run_action(binding.action)
            return
        await super()._on_key(event)

    def __init__(self, *args, next_on_enter: bool = True, **kwargs) -> None:
        kwargs.setdefault("highlighter", VISIBLE_CONTROLS)  # a value from an old record never reaches the terminal raw
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)
        #: enter moves to the next field (False: enter posts Input.Submitted as usual)
        self.next_on_enter = next_on_enter

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        if not self.select_on_focus:
            self.cursor_position = len(self.value)
