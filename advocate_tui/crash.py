"""Crash reports that never hold student data: exception types and code locations only."""

from __future__ import annotations

import os
import time
import traceback
from pathlib import Path

import platformdirs

from .private import adopt_private_dir, open_private


def crash_dir() -> Path:
    return Path(platformdirs.user_state_dir("advocate-tui", appauthor=False)) / "crash-reports"


def redacted_traceback(exc: BaseException) -> str:
    """The traceback with file, line and function names but no messages or values.

    Exception messages can quote what was typed (a student's name), so only types are kept.
    """
    lines = []
    chain: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and cur not in chain:
        chain.append(cur)
        cur = cur.__cause__ or cur.__context__
    for item in reversed(chain):
        lines.append(f"{type(item).__module__}.{type(item).__qualname__}")
        for frame in traceback.extract_tb(item.__traceback__):
            lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
    return "\n".join(lines) + "\n"


def write_crash_report(exc: BaseException, folder: Path | None = None) -> Path:
    """Write a redacted report (owner-only) and return its path."""
    folder = folder or crash_dir()
    adopt_private_dir(folder)  # every folder made here is owner-only; the app's own is tightened
    path = folder / f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.txt"
    with open_private(path, encoding="utf-8") as fh:
        fh.write("advocate-tui crash report (no field values or messages are recorded)\n\n")
        fh.write(redacted_traceback(exc))
    return path
