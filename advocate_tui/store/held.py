"""Reading a database's bytes without dropping this process's SQLite locks on it.

A process's POSIX locks on a file all go when it closes *any* descriptor of that file (fcntl(2)), not
only the one SQLite locked through. Reading a database's first bytes with open() and close() while a
connection of this process has it open dropped that connection's shared lock: another desk (or
sqlite3, Datasette, `advocate check`) closing the file then took it for the last one and deleted
the write-ahead log from under this desk, whose saves went on into the deleted log — unseen by the
other desks, and lost at a crash. So while a store has the file open, its bytes are read through one
descriptor held open until the last store of this process on that file closes (:func:`hold`).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlcipher3

from ..portable import is_posix, read_at

SQLITE_HEADER = b"SQLite format 3\x00"
#: an encrypted file's salt: its first bytes
SALT_BYTES = 16

_held: dict[tuple[int, int], list[int]] = {}  # (device, inode) -> [descriptor, stores holding it]
_held_lock = threading.Lock()


def hold(path: str | Path) -> tuple[int, int] | None:
    """Keep a descriptor of the file at ``path`` open while a store has it open (:func:`release` with
    what this returns when it closes); None when the file can't be opened (nothing to release), and
    where locks are not POSIX ones (Windows: there an open descriptor would only keep the file from
    being renamed)."""
    if not is_posix():
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    key = (st.st_dev, st.st_ino)
    with _held_lock:
        entry = _held.get(key)
        if entry is not None:
            entry[1] += 1
            return key
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        except OSError:
            return None
        found = os.fstat(fd)
        key = (found.st_dev, found.st_ino)  # the file as opened (should it have been replaced meanwhile)
        if key in _held:  # a second descriptor of a held file is never closed (see above): left open
            _held[key][1] += 1
        else:
            _held[key] = [fd, 1]
        return key


def release(key: tuple[int, int] | None) -> None:
    """One store fewer on the held file; the descriptor is closed after the last one's connection."""
    if key is None:
        return
    with _held_lock:
        entry = _held.get(key)
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] > 0:
            return
        del _held[key]
    os.close(entry[0])


class HeldConnection(sqlcipher3.Connection):
    """A connection of this app: it holds the file (:func:`hold`) from before its first read of the
    file's bytes until it is closed, and lets go only after SQLite has closed it."""

    _held: tuple[int, int] | None = None

    def close(self) -> None:
        super().close()
        held, self._held = self._held, None
        release(held)


def held_connection(box: list, conn):
    """``conn`` (a :class:`HeldConnection`, or a ``(exc, conn)`` pair from :func:`_keyed`) made the owner
    of the hold in ``box`` (taken out of it), so closing it lets go."""
    held, box[0] = box[0], None
    target = conn[1] if isinstance(conn, tuple) else conn
    if isinstance(target, HeldConnection):
        target._held = held
    else:
        release(held)
    return conn


@contextlib.contextmanager
def reading(path: str | Path) -> Iterator[Callable[[int, int], bytes]]:
    """``read(size, offset)`` on the file at ``path`` (raises :class:`OSError` as ``open`` does), through
    the held descriptor while a store of this process has the file open, so its locks stay."""
    st = os.stat(path)
    key = (st.st_dev, st.st_ino)
    with _held_lock:
        held = key in _held
    if not held:
        with open(path, "rb") as fh:
            def read(size: int, offset: int) -> bytes:
                fh.seek(offset)
                return fh.read(size)

            yield read
        return

    def read_held(size: int, offset: int) -> bytes:
        with _held_lock:  # (the descriptor can't be closed meanwhile; nor a seek and a read interleave)
            entry = _held.get(key)
            if entry is not None:
                return read_at(entry[0], size, offset)
        with open(path, "rb") as fh:  # the last store closed meanwhile: no lock left to lose
            fh.seek(offset)
            return fh.read(size)

    yield read_held


def read_head(path: str | Path, size: int) -> bytes:
    """The first ``size`` bytes of the file at ``path`` (see :func:`reading`)."""
    with reading(path) as read:
        return read(size, 0)


def is_encrypted(path: str | Path) -> bool:
    """True when the file exists, is not empty and does not start with SQLite's plain header."""
    try:
        head = read_head(path, 16)
    except OSError:
        return False
    return bool(head) and head != SQLITE_HEADER


def file_salt(path: str | Path) -> bytes | None:
    """The salt of an encrypted file (its first 16 bytes), or None (missing, empty, plain or too short)."""
    try:
        head = read_head(path, SALT_BYTES)
    except OSError:
        return None
    return head if len(head) == SALT_BYTES and head != SQLITE_HEADER else None
