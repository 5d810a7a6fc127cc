"""This desk's own settings (the theme chosen with ctrl+p), kept between starts in ``desk.json`` in the
user config folder: owner-only (0600, its folder 0700), written whole and swapped in, so a crash never
leaves half a file. A missing or unreadable file is no settings. No Textual here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import platformdirs

from .private import open_private

__all__ = ["settings_path", "load_settings", "save_setting"]


def settings_path() -> Path:
    """``desk.json`` in the user config folder (``~/.config/advocate-tui/desk.json`` on Linux)."""
    return Path(platformdirs.user_config_dir("advocate-tui", appauthor=False)) / "desk.json"


def load_settings(path: Path | None = None) -> dict[str, Any]:
    """The saved settings ({} when there are none or the file is not a settings file)."""
    try:
        data = json.loads((path or settings_path()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_setting(name: str, value: Any, path: Path | None = None) -> None:
    """Remember ``name`` = ``value`` (the other settings kept); raises OSError when it can't be written."""
    path = path or settings_path()
    data = load_settings(path) | {name: value}
    part = path.with_name(path.name + ".part")
    with open_private(part, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2)
        fh.write("\n")
    os.replace(part, path)
