"""What differs between POSIX (Linux, macOS) and Windows, in one place, each with its fallback.

Every other module is plain Python that runs on both; ``tests/test_portable.py`` keeps POSIX-only
calls (``os.fchmod``, ``os.kill(pid, 0)``, ``termios``, ``fcntl``, ``resource``, ``signal.SIGKILL``,
``pass_fds``, ``/proc``…) out of them. (Named ``portable``, not ``platform``, so that it never stands in
for the standard library's ``platform`` module.)

=========================  ==============================  =============================================
what                       POSIX                           elsewhere (Windows)
=========================  ==============================  =============================================
owner-only files           mode 0600 / 0700 on the file    no such modes (``os.chmod`` only sets or clears
                                                           read-only): a file is as private as its folder
is a process running       signal 0 (``os.kill(pid, 0)``)  unknown (on Windows ``os.kill`` would *end* it)
echo off until the app     ``termios``                     getpass echoes nothing; keys typed meanwhile
                                                           are dropped (``msvcrt``)
database open elsewhere    ``fcntl`` probe of SQLite's     unknown (False)
                           shared-lock bytes
``advocate serve``         passphrase on a ``pass_fds``    not supported
                           pipe
=========================  ==============================  =============================================

POSIX is told by ``os.getuid``, which only POSIX systems have (a test takes it away to stand in for
Windows).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


def is_posix() -> bool:
    """True on Linux and macOS: files have an owner, modes keep other users out, signals exist."""
    return os.name == "posix" and hasattr(os, "getuid")


def owner_modes() -> bool:
    """True where a file's mode bits decide whether other users may read it (POSIX). On Windows
    ``os.chmod`` only sets or clears read-only, and ``os.fchmod`` is missing before Python 3.13."""
    return is_posix() and hasattr(os, "fchmod")


def set_mode(target: int | str | Path, mode: int) -> None:
    """Give the open file descriptor or the path ``target`` the mode ``mode``. Call it only where
    :func:`owner_modes` is True (elsewhere there is nothing to set)."""
    if isinstance(target, int):
        os.fchmod(target, mode)
    else:
        os.chmod(target, mode)


def not_a_file(mode: int) -> str | None:
    """What a path of ``mode`` (``st_mode``) is when it is not a regular file ("a folder", "a pipe",
    "a device"…), or None for a file. A pipe or terminal opened to be read waits for a writer."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def open_for_reading(path: str | Path) -> tuple[int, os.stat_result]:
    """Open ``path`` read-only without waiting for a writer; the fd and what ``fstat`` says of it.

    A pipe or terminal typed (or planted) where a file was expected would otherwise hold the reader until
    something wrote to it: it is opened without blocking (``O_NONBLOCK``, POSIX) and, once it is known to be
    a regular file, put back into blocking mode for reading. The caller checks the kind (``st_mode``) and
    closes the fd. In binary mode on Windows (``O_BINARY``).
    """
    nonblock = getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, os.O_RDONLY | nonblock | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if nonblock and stat.S_ISREG(st.st_mode):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def open_for_writing(path: str | Path, *, exclusive: bool, mode: int = 0o600) -> int:
    """Open ``path`` write-only, created with ``mode`` (new only if ``exclusive``, else truncated); the fd.

    In binary mode on Windows too (``O_BINARY``): a descriptor opened without it turns every ``\\n``
    written into ``\\r\\n`` there (a CSV's ``\\r\\n`` would become ``\\r\\r\\n``).

    A link in ``path``'s place is never written through (``O_NOFOLLOW``: a link planted in a shared folder
    under the name of the next report would have it overwrite the file it points to), and an existing
    file of another user is not written into (they could read what it is given): either is an
    :class:`OSError` naming the file.
    """
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags | os.O_EXCL if exclusive else flags, mode)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OSError(exc.errno, f"{path} is a link (not written through it)") from None
        raise
    try:
        if hasattr(os, "geteuid") and os.fstat(fd).st_uid != os.geteuid():
            raise OSError(errno.EPERM, f"{path} belongs to another user (not written into it)")
        if not exclusive:
            os.ftruncate(fd, 0)  # (only once it is known to be ours)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_at(fd: int, size: int, offset: int) -> bytes:
    """``size`` bytes from ``offset`` of the open file ``fd`` (fewer at its end), leaving no position
    behind (``os.pread``; where it is missing, Windows, a seek and a read)."""
    if hasattr(os, "pread"):
        return os.pread(fd, size, offset)
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, size)


def process_running(pid: int) -> bool | None:
    """True if process ``pid`` of this machine is running, False if it is not, None where this can't
    be told without harm (not POSIX: on Windows ``os.kill(pid, 0)`` terminates the process)."""
    if not is_posix():
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: it exists
    except OSError:
        return None
    return True


def hold_echo(fd: int):
    """Turn off the echo of the terminal ``fd`` (keys typed from now on don't show); a token for
    :func:`release_echo`, or None when there is nothing to hold (not a terminal).

    POSIX: ``termios``. Windows: the console echoes only while a line is being read, which nobody
    does between the prompt and the app; the token only says to drop what was typed meanwhile."""
    try:
        import termios
    except ImportError:
        return ("console", fd) if _msvcrt() is not None else None
    try:
        saved = termios.tcgetattr(fd)
        quiet = termios.tcgetattr(fd)
        quiet[3] &= ~(termios.ECHO | termios.ECHONL)
        termios.tcsetattr(fd, termios.TCSADRAIN, quiet)
    except (OSError, ValueError, termios.error):
        return None
    return ("termios", fd, saved)


def release_echo(token) -> None:
    """Drop what was typed while echo was held (it may be a secret) and give the echo back."""
    if token is None:
        return
    if token[0] == "console":
        msvcrt = _msvcrt()
        try:
            while msvcrt is not None and msvcrt.kbhit():
                msvcrt.getwch()
        except OSError:
            pass
        return
    try:
        import termios

        _, fd, saved = token
        termios.tcflush(fd, termios.TCIFLUSH)
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
    except (ImportError, OSError, ValueError):
        pass


def _msvcrt():
    """Windows' console functions, or None elsewhere."""
    try:
        import msvcrt
    except ImportError:
        return None
    return msvcrt


def open_elsewhere(path: str | Path) -> bool:
    """True when another process has the SQLite database at ``path`` open (it holds SQLite's shared lock
    on the file, as every desk that has read from it does in WAL mode), without opening it with SQLite.
    False when it isn't, and where this can't be told (no ``fcntl``: Windows)."""
    try:
        import fcntl
    except ImportError:
        return False
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return False
    try:
        # SQLite's SHARED lock range: PENDING_BYTE (0x40000000) + 2, 510 bytes long
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 510, 0x40000002, os.SEEK_SET)
    except OSError:
        return True
    finally:
        os.close(fd)  # closing the file releases the probe's lock
    return False


def serve_supported() -> bool:
    """``advocate serve`` hands each desk it starts the passphrase on an inherited pipe (``pass_fds``),
    which only POSIX has."""
    return is_posix()

