"""The school profile remembers a roster column map: ``[roster.map]`` written into the profile file.

``advocate roster import FILE --map student_id=Pupil No,…`` (and the import screen's column map)
keep the map in the profile the desk runs on, so the next file in the same layout needs none. Only
the ``[roster.map]`` table is rewritten: every other line of the file (comments included) stays as
it was, and the file keeps its mode. The new text is checked by loading it as a profile before it
replaces the old one (written beside it, then renamed), so a profile is never left half-written or
invalid. No Textual here.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from ..portable import set_mode
from ..profile import ProfileError, parse_profile

__all__ = ["remember_map"]

_MAP_TABLE = re.compile(r"^\s*\[\s*roster\s*\.\s*map\s*\]\s*(#.*)?$")
_ANY_TABLE = re.compile(r"^\s*\[")
_COMMENT = ("# The columns of this school's student-list export, written by 'advocate roster import --map':\n"
            "# a roster file with these columns needs no --map (field = \"Column\").\n")


def _toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; DEL must be escaped too)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def with_map(text: str, mapping: dict[str, str]) -> str:
    """Profile TOML ``text`` with its ``[roster.map]`` table replaced by (or ending with) ``mapping``."""
    block = ["[roster.map]\n", _COMMENT, *(f"{key} = {_toml_string(column)}\n" for key, column in mapping.items())]
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if _MAP_TABLE.match(line)), None)
    if start is None:
        head = text if not text or text.endswith("\n") else text + "\n"
        return head + ("\n" if head.strip() else "") + "".join(block)
    end = next((j for j in range(start + 1, len(lines)) if _ANY_TABLE.match(lines[j])), len(lines))
    return "".join(lines[:start] + block + (["\n"] if end < len(lines) else []) + lines[end:])


def remember_map(path: str | Path, mapping: dict[str, str]) -> Path:
    """Write ``mapping`` as the ``[roster.map]`` of the profile at ``path``; the file written.

    :class:`ProfileError` (one line) when the file can't be read or written, or when its roster map is
    written some other way than a ``[roster.map]`` table (then it says to change it by hand).
    """
    target = Path(path).expanduser().resolve()
    try:
        text = target.read_text(encoding="utf-8")
        mode = target.stat().st_mode & 0o777
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    new = with_map(text, mapping)
    try:
        written = parse_profile(new, str(path)).roster.map
    except ProfileError:
        written = None
    if written != mapping:
        raise ProfileError(f"{path}: its roster map is not a [roster.map] table this program can rewrite; set it "
                           "by hand: [roster.map] " + " ".join(f"{k} = {_toml_string(v)}" for k, v in mapping.items()))
    try:
        fd, temp = tempfile.mkstemp(prefix=".profile-", suffix=".toml", dir=target.parent)
    except OSError as exc:
        raise ProfileError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(new)
            fh.flush()
            os.fsync(fh.fileno())
        set_mode(temp, mode)  # the profile keeps its own mode (on Windows: its read-only flag)
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise ProfileError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    return target
