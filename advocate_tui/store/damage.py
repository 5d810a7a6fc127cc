"""Telling a damaged encrypted database from a wrong passphrase.

SQLCipher authenticates every page with an HMAC under a key derived from the passphrase (and the salt
in the file's first 16 bytes). A wrong passphrase and a damaged first page fail the same way ("file is
not a database"), so the error alone can't tell them apart. Two independent witnesses can:

- the other pages: ``PRAGMA cipher_integrity_check`` checks every page's HMAC. With a wrong passphrase
  every page fails; when some pages pass, the passphrase is right and the failing pages are damaged;
- this database's own backups: when every page fails (the salt itself is damaged, or the file has one
  page), a backup beside it that opens with the same passphrase shows the passphrase is right.

And a plain file cut short (:func:`cut_short`): shorter than its own header says SQLite wrote it.
"""

from __future__ import annotations

import re
from pathlib import Path

import sqlcipher3

from .held import SQLITE_HEADER, read_head

_HMAC_FAILED = re.compile(r"HMAC verification failed for page (\d+)")
#: backups tried (newest first) when no page of the file itself vouches for the passphrase
BACKUPS_TRIED = 1


def _whole_pages(path: Path, page_size: int) -> set[int]:
    """Page numbers (from 1) of the whole pages that are not all zeros (SQLCipher lets a zeroed page
    pass its check, and a page cut short is never checked)."""
    from .held import reading

    pages = set()
    with reading(path) as read:  # (never open() and close(): that would drop this process's locks)
        n = 0
        while len(chunk := read(page_size, n * page_size)) == page_size:
            n += 1
            if chunk.strip(b"\0"):
                pages.add(n)
    return pages


def _page_check(conn, path: Path) -> tuple[int, set[int], list[str]]:
    """(page size, pages failing their HMAC, other problems) from ``cipher_integrity_check``."""
    page_size = int(conn.execute("PRAGMA cipher_page_size").fetchone()[0] or 4096)
    failed: set[int] = set()
    other: list[str] = []
    for (row,) in conn.execute("PRAGMA cipher_integrity_check").fetchall():
        match = _HMAC_FAILED.search(str(row))
        if match:
            failed.add(int(match[1]))
        else:
            other.append(str(row))
    return page_size, failed, other


def _opening_backup(path: Path, passphrase: str) -> Path | None:
    """The newest of this database's backups that opens with ``passphrase`` (None if none does)."""
    from . import engine, files

    for backup in reversed(files.backups_of(path)[-BACKUPS_TRIED:]):
        try:
            engine.connect_readonly(backup, passphrase=passphrase, diagnose=False).close()
        except engine.StoreError:
            continue
        return backup
    return None


def diagnose(path: Path, passphrase: str, conn=None) -> str | None:
    """Why the encrypted file at ``path`` can't be opened with ``passphrase``, when the file is damaged
    and the passphrase right (a short reason), or None when the passphrase looks wrong.

    ``conn``: the connection whose open failed, already keyed (saves deriving the key again).
    Reads only; on a large file it reads every page once.
    """
    from .engine import apply_key

    path = Path(path)
    own = conn is None
    if own:
        conn = sqlcipher3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        apply_key(conn, passphrase)
    try:
        size = path.stat().st_size
        page_size, failed, other = _page_check(conn, path)
    except (sqlcipher3.Error, OSError):
        return None
    finally:
        if own:
            conn.close()
    pages = -(-size // page_size)
    if size < page_size:
        return f"it is {size} bytes long, less than one page: cut short"
    sound = _whole_pages(path, page_size) - failed
    if sound:  # these pages decrypt and authenticate under this passphrase: it is the right one
        if failed:
            verb = "fails its" if len(failed) == 1 else "fail their"
            return (f"{len(failed)} of its {pages} pages {verb} check, page {min(failed)} first; "
                    "the passphrase is right: it opens the other pages")
        if size % page_size:
            return f"it ends in the middle of page {pages}: cut short"
        if other:
            return f"{other[0]}; the passphrase is right"
        return f"its {pages} pages check out but do not fit together: cut short or partly overwritten"
    if other and not failed:
        return other[0]
    backup = _opening_backup(path, passphrase)
    if backup is not None:
        return (f"no page passes its check, yet the same passphrase opens its backup {backup.name}: "
                "the start of the file is damaged")
    return None


def cut_short(path: Path) -> str | None:
    """Why a plain SQLite file is shorter than SQLite wrote it (None when it is whole).

    Its header gives the page size and, once valid, the number of pages: a file that ends inside a
    page, or before the last page, was cut (a copy that stopped, a full disk). SQLite itself reads the
    missing bytes as zeros and ``quick_check`` can miss it. While a write-ahead log is pending the
    header may be ahead of the file (a checkpoint cut short), which the log repairs: not judged then.
    """
    try:
        size = path.stat().st_size
        head = read_head(path, 100)  # (never open() and close(): that would drop this process's locks)
    except OSError:
        return None
    if not head.startswith(SQLITE_HEADER):
        return None
    if len(head) < 100:
        return f"cut short: {size} bytes, not even its header"
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    if page < 512 or page & (page - 1):
        return "its header is damaged"
    if size % page:
        return f"cut short inside a page: {size} bytes, pages of {page}"
    pages, valid = int.from_bytes(head[28:32], "big"), head[24:28] == head[92:96]
    wal = Path(f"{path}-wal")
    pending = wal.exists() and wal.stat().st_size > 0
    if valid and pages and size < pages * page and not pending:
        return f"cut short: {size // page} of its {pages} pages"
    return None
