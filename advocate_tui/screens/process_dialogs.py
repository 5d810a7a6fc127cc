"""The small questions of a restorative process's steps (a pick from a list by number keys, a few text
fields) and the Tier 1 circle form, on the shared :class:`~.ask_dialog.AskDialog` (nothing typed is lost).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input

from ..widgets.form_input import FormInput
from .ask_dialog import AskDialog

__all__ = ["ProcessAsk", "CircleForm", "Field"]

#: (key, label, placeholder, text already in the field)
Field = tuple[str, str, str, str]


class ProcessAsk(AskDialog):
    """A pick from a list (keys 1-9, or arrows and enter) and/or a few text fields."""

    PREFIX = "pask"
    KEYS = "enter next / save · ctrl+s save · escape cancel"
    KEYS_ID = "pask-keys"

    def __init__(self, title: str, fields: list[Field] = (), *, choices: list[tuple[object, str]] | None = None,
                 choice_label: str = "", check: Callable[[dict], str | None] | None = None,
                 chosen: int = 0) -> None:
        super().__init__(title, [(k, label, placeholder) for k, label, placeholder, _ in fields],
                         initial={k: value for k, _, _, value in fields}, choices=choices or [],
                         choice_label=choice_label, chosen=chosen, check=check)

    def field_input(self, n: int, key: str, placeholder: str) -> Input:
        # enter moves on at once (what is typed straight after lands in the next field), the last saves
        return FormInput(self.initial.get(key, ""), id=f"pask-{key}", placeholder=placeholder, max_length=400,
                         select_on_focus=False, compact=True, next_on_enter=n < len(self.asked) - 1)


class CircleForm(ProcessAsk):
    """A Tier 1 circle: the class or group, how many took part, the topic, the facilitator (no names).

    From the board: c, the class, tab, the number, ctrl+s — ``b c 1 0 1 tab 2 4 ctrl+s`` is nine keys
    from the main screen."""

    def __init__(self, facilitator: str = "") -> None:
        super().__init__("Tier 1 circle (held now): no names needed", [
            ("group", "Class or group", "H-101, 9th grade advisory…", ""),
            ("participants", "How many took part", "24", ""),
            ("topic", "Topic (optional)", "respect in the hallway", ""),
            ("facilitator", "Facilitator", "name", facilitator),
        ], check=_circle_problem)


def _circle_problem(values: dict) -> str | None:
    if not values["group"].strip():
        return "type the class or group"
    count = values["participants"].strip()
    if count and not (count.isdigit() and int(count) <= 500):
        return "how many took part: a whole number (0–500)"
    return None
