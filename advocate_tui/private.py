"""Owner-only files and folders: everything the app creates or adopts is 0600 (files) or 0700 (folders).

Modes are set explicitly after creation, so the user's umask (000, 022…) never loosens them. A file or
folder of the app's own found with looser modes (a database copied in as 0644, a ``backups/`` folder made
by hand) is tightened, and a notice says so once: :func:`take_notices` hands the notices to the command
line, which prints them (nothing below the UI prints).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700

_notices: list[str] = []


def make_private_dir(folder: Path) -> None:
    """Create ``folder`` (and every missing parent) readable by the owner only."""
    missing = []
    p = Path(folder)
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=DIR_MODE)
        except FileExistsError:  # made meanwhile by another desk
            pass
        os.chmod(d, DIR_MODE)


def create_private_file(path: Path) -> None:
    """Create an empty file readable and writable by the owner only (refuses an existing one)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def open_private(path: Path, mode: str = "w", **kwargs):
    """Open ``path`` for writing, created (or truncated) owner-only, its missing folders 0700."""
    path = Path(path)
    make_private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    return os.fdopen(fd, mode, **kwargs)


def tighten(path: Path, *, quiet: bool = False) -> None:
    """Make an existing file 0600 (a folder 0700) if others may read or write it; say so once
    (``quiet``: a file that goes with one already said, such as a database's -wal)."""
    path = Path(path)
    try:
        st = path.stat()
    except OSError:
        return
    want = DIR_MODE if stat.S_ISDIR(st.st_mode) else FILE_MODE
    mode = stat.S_IMODE(st.st_mode)
    if not mode & 0o077:
        return
    new = mode & want
    try:
        os.chmod(path, new)
    except OSError as exc:
        _notices.append(f"{path} is open to other users ({mode:04o}) and could not be made owner-only "
                        f"({exc.strerror or exc})")
        return
    if not quiet:
        _notices.append(f"{path} was open to other users ({mode:04o}); it is now owner-only ({new:04o})")


def adopt_private_dir(folder: Path) -> None:
    """The app's own folder: created 0700 if missing, tightened if it exists with looser modes."""
    folder = Path(folder)
    if folder.is_dir():
        tighten(folder)
    elif not folder.exists():
        make_private_dir(folder)  # (a file in its place: writing into it fails with its own message)


def take_notices() -> list[str]:
    """The notices about tightened modes since the last call (each said once)."""
    out = list(dict.fromkeys(_notices))
    _notices.clear()
    return out
