"""Helpers for the form tests: open a form as the user would, count keys, read what's on screen."""

from __future__ import annotations

from textual.widgets import Static

#: the app size of the form tests
SIZE = (120, 36)


def screen_text(app) -> str:
    """Every Static/Label's text and every input's value on the current screen, one per line."""
    from textual.widgets import Input, OptionList

    out = []
    for widget in app.screen.query("*"):
        if isinstance(widget, OptionList):
            out.extend(str(widget.get_option_at_index(i).prompt) for i in range(widget.option_count))
        elif isinstance(widget, Input):
            out.append(widget.value)
        elif isinstance(widget, Static):
            out.append(str(widget.render()))
        elif hasattr(widget, "render") and type(widget).__name__ == "Choice":
            out.append(str(widget.render()))
    return "\n".join(out)


async def open_form(pilot, key: str, form_cls, **kwargs):
    """Press the main screen's key for a form; if the main screen doesn't open it (yet), push it."""
    app = pilot.app
    await pilot.press(key)
    await pilot.pause()
    if not isinstance(app.screen, form_cls):
        app.push_screen(form_cls(**kwargs), app._form_results.append if hasattr(app, "_form_results") else None)
        await pilot.pause()
    return app.screen


async def type_text(pilot, text: str) -> None:
    """Type characters one by one (as keys)."""
    for ch in text:
        await pilot.press("space" if ch == " " else ch)
    await pilot.pause()


async def burst(pilot, *keys: str) -> None:
    """Send keys all at once, as a fast typist (or a paste) does: no waiting between them."""
    from textual import events

    app = pilot.app
    for key in keys:
        char = {"enter": "\r", "space": " ", "tab": "\t"}.get(key, key if len(key) == 1 else None)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause(0.3)
    await pilot.pause()
