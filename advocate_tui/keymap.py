"""The desk's own keys: the profile's ``[keys]`` (action id = key) checked against the desk's actions.

:func:`resolve` turns what the profile asks for into a keymap for Textual's ``App.set_keymap`` and at
most one line saying what could not be used: an unknown action id, a key that is no key, or a clash
(two actions on one key, or a key the app keeps for itself). Whatever cannot be used keeps its
default key; everything else takes the profile's. No Textual here: the caller passes the defaults
and how to normalise and recognise a key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

__all__ = ["RESERVED", "resolve"]

#: keys the app keeps for itself on every screen (quit, palette, next/previous field, back)
RESERVED = {"ctrl+q": "quit", "ctrl+p": "the command palette", "ctrl+c": "copy", "tab": "next field",
            "shift+tab": "previous field", "escape": "back / cancel"}


def resolve(wanted: Mapping[str, str], defaults: Mapping[str, str], *,
            normalize: Callable[[str], str] = str.strip,
            is_key: Callable[[str], bool] = lambda key: bool(key)) -> tuple[dict[str, str], str]:
    """(keymap of the usable remaps, "" or one line naming every problem).

    ``wanted``: action id → key(s) from the profile ("n", or "n,f2"); ``defaults``: every remappable
    action id → its default key(s); ``normalize`` turns a key list into Textual's names ("?" →
    "question_mark"); ``is_key`` says whether one key name is a key at all.
    """
    problems: list[str] = []
    keymap: dict[str, str] = {}
    for action, keys in wanted.items():
        if action not in defaults:
            problems.append(f"{action}: no such action (the actions: {', '.join(sorted(defaults))})")
            continue
        names = normalize(keys)
        bad = [k for k in names.split(",") if not is_key(k)]
        if bad or not names:
            problems.append(f"{action} = {keys!r}: {bad[0] if bad else 'nothing'} is not a key")
            continue
        reserved = [k for k in names.split(",") if k in RESERVED]
        if reserved:
            problems.append(f"{action} = {keys!r}: {reserved[0]} is kept for {RESERVED[reserved[0]]}")
            continue
        keymap[action] = names
    # A clash: two actions would share a key. Those asked for go back to their own key until none is left.
    while True:
        holders: dict[str, list[str]] = {}
        for action in defaults:
            for key in keymap.get(action, normalize(defaults[action])).split(","):
                holders.setdefault(key, []).append(action)
        clash = next(((key, acts) for key, acts in holders.items() if len(acts) > 1
                      and any(a in keymap for a in acts)), None)
        if clash is None:
            break
        key, actions = clash
        asked = [a for a in actions if a in keymap]
        typed = next((wanted[a].strip() for a in asked if "," not in wanted[a]), key)  # "?" as the profile has it
        problems.append(f"{typed} would be both {' and '.join(actions)}: {' and '.join(asked)} "
                        f"keep{'s' * (len(asked) == 1)} {'its' if len(asked) == 1 else 'their'} own key")
        for action in actions:
            keymap.pop(action, None)
    if not problems:
        return keymap, ""
    return keymap, "profile [keys]: " + "; ".join(problems) + " — the other keys are as the profile says"
