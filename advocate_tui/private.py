"""Owner-only files and folders: everything the app creates or adopts is 0600 (files) or 0700 (folders).

Modes are set explicitly after creation, so the user's umask (000, 022…) never loosens them. A file or
folder of the app's own found with looser modes (a database copied in as 0644, a ``backups/`` folder made
by hand) is tightened, and a notice says so once: :func:`take_notices` hands the notices to the command
line, which prints them (nothing below the UI prints).

Where modes don't keep other users out (Windows: :func:`~advocate_tui.portable.owner_modes`), nothing
is set or tightened: a file is as private as its folder, and the user's profile folders (where the
data folder is) are closed to other users by default. One notice says so, once a run
(:data:`NO_OWNER_MODES`), never one per file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from . import portable

FILE_MODE = 0o600
DIR_MODE = 0o700

#: said once a run where file modes can't keep other users out (Windows)
NO_OWNER_MODES = ("owner-only file modes (0600/0700) don't exist on this system; what advocate writes is as "
                  "private as its folder (the folders of your user profile, where its data is, are closed to "
                  "other users by default)")

_notices: list[str] = []
_no_modes = {"due": False, "said": False}


def protect(target: int | Path, mode: int = FILE_MODE) -> None:
    """Make the open file descriptor or the path ``target`` owner-only (``mode``), whatever the umask;
    where modes mean nothing of the kind (Windows), leave it as its folder makes it and say so once."""
    if portable.owner_modes():
        portable.set_mode(target, mode)
    else:
        _no_modes["due"] = True


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
        protect(d, DIR_MODE)


def create_private_file(path: Path) -> None:
    """Create an empty file readable and writable by the owner only (refuses an existing one)."""
    fd = portable.open_for_writing(path, exclusive=True, mode=FILE_MODE)
    try:
        protect(fd)
    finally:
        os.close(fd)


def open_private(path: Path, mode: str = "w", **kwargs):
    """Open ``path`` for writing, created (or truncated) owner-only, its missing folders 0700."""
    path = Path(path)
    make_private_dir(path.parent)
    fd = portable.open_for_writing(path, exclusive=False, mode=FILE_MODE)
    try:
        protect(fd)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, mode, **kwargs)


def tighten(path: Path, *, quiet: bool = False) -> None:
    """Make an existing file 0600 (a folder 0700) if others may read or write it; say so once
    (``quiet``: a file that goes with one already said, such as a database's -wal)."""
    path = Path(path)
    if not portable.owner_modes():  # the modes Windows reports (0666, 0777) say nothing about other users
        _no_modes["due"] = True
        return
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
        portable.set_mode(path, new)
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


def drop_notices() -> None:
    """Forget the notices about tightened modes so far (a command says only what it tightened)."""
    _notices.clear()


def take_notices() -> list[str]:
    """The notices about tightened modes since the last call (each said once), and the one about a
    system without owner-only modes the first time it is due in this run."""
    out = list(dict.fromkeys(_notices))
    _notices.clear()
    if _no_modes["due"] and not _no_modes["said"]:
        _no_modes["said"] = True
        out.insert(0, NO_OWNER_MODES)
    return out
