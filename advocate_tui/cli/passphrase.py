"""Asking for the desk passphrase: from $ADVOCATE_PASSPHRASE / --passphrase-file, else a prompt on a tty.

A new school database is encrypted at first start under a passphrase of at least 8 characters,
typed twice, and an optional idle-lock PIN, typed twice. Nothing typed is echoed: prompts use
getpass, and echo stays off from the last prompt until the app takes the terminal (keys typed in
between are dropped). A wrong passphrase at the prompt may be retried (three tries, then exit 1). The passphrase never comes from a command-line argument (it would show in ``ps`` and
shell history) and is never printed or logged.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from ..services.security import SecretError, check_passphrase, check_pin
from .common import PASSPHRASE_ENV, CliError, read_passphrase_file, resolve_passphrase

NEW_PASSPHRASE_ENV = "ADVOCATE_NEW_PASSPHRASE"


def interactive() -> bool:
    """True when a person can be asked (stdin and stderr are terminals)."""
    try:
        return sys.stdin.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _ask(prompt: str) -> str:
    try:
        return getpass.getpass(prompt, stream=sys.stderr)
    except EOFError:
        raise CliError("no passphrase given") from None


#: wrong passphrases allowed at the prompt before the command exits 1
TRIES = 3
_held_echo: list = []


def hold_echo() -> None:
    """Turn terminal echo off from the last prompt until the app takes the terminal, so keys typed
    meanwhile (a PIN typed too early) never show in the scrollback. No-op off a terminal."""
    if _held_echo or not interactive():
        return
    import atexit

    from ..portable import hold_echo as hold

    try:
        token = hold(sys.stdin.fileno())
    except (OSError, ValueError, AttributeError):
        return
    if token is not None:
        _held_echo.append(token)
        atexit.register(release_echo)


def release_echo() -> None:
    """Drop what was typed while echo was held (it may be a secret) and give the echo back."""
    from ..portable import release_echo as release

    while _held_echo:
        release(_held_echo.pop())


def ask_pin() -> str | None:
    """The idle-lock PIN at first start: typed twice, not echoed; Enter for none (up to three tries)."""
    for _ in range(TRIES):
        pin = _ask("PIN for the idle lock (at least 4 characters; Enter for none, the passphrase unlocks): ")
        if not pin:
            return None
        try:
            check_pin(pin)
        except SecretError as exc:
            print(f"advocate: {exc}", file=sys.stderr)
            continue
        if _ask("Type the PIN again: ") != pin:
            print("advocate: the two entries differ", file=sys.stderr)
            continue
        return pin
    print("advocate: no PIN set (the passphrase unlocks; 'advocate pin' sets one)", file=sys.stderr)
    return None


def ask_existing(db: Path) -> str | None:
    """The passphrase of the encrypted ``db`` from the prompt: three tries, then one line and exit 1."""
    from ..store import StoreError
    from ..store.engine import connect_readonly

    for attempt in range(1, TRIES + 1):
        given = _ask(f"Passphrase for {db.name}: ") or None
        if given is None:
            continue
        try:
            connect_readonly(db, passphrase=given).close()
        except StoreError as exc:
            if "wrong passphrase" not in str(exc):
                return given  # another problem: opening the file says it in one line
            if attempt < TRIES:
                print("advocate: wrong passphrase, try again", file=sys.stderr)
            continue
        return given
    raise CliError(f"wrong passphrase for {db.name} ({TRIES} tries); nothing was opened")


def ask_new(what: str = "passphrase") -> str:
    """Prompt twice for a new passphrase that follows the rules (up to three attempts)."""
    for _ in range(3):
        first = _ask(f"New {what} (at least 8 characters): ")
        try:
            check_passphrase(first)
        except SecretError as exc:
            print(f"advocate: {exc}", file=sys.stderr)
            continue
        if _ask(f"Type the {what} again: ") != first:
            print("advocate: the two entries differ", file=sys.stderr)
            continue
        return first
    raise CliError(f"no {what} set; nothing was changed")


def existing_nonempty(db: Path) -> bool:
    """True for a file with something in it (the only kind a passphrase can open)."""
    try:
        return db.is_file() and db.stat().st_size > 0
    except OSError:
        return False


def _creatable(db: Path) -> bool:
    """False when the database could not be created (its folder is a file, or not writable)."""
    if db.exists():
        return True
    parent = db.parent
    while not parent.exists():
        parent = parent.parent
    return parent.is_dir() and os.access(parent, os.W_OK)


def startup_passphrase(args: argparse.Namespace, db: Path) -> str | None:
    """The passphrase to open (or, at first start, to create) the school database at ``db``.

    - an existing encrypted file: the given passphrase, else a prompt on a tty, else one clear error;
    - an existing plain file: whatever was given (it is ignored by the store);
    - no file yet (first start): the given passphrase if it follows the rules, else typed twice at
      a tty; a script with no passphrase gets one clear error and nothing is created.
    """
    from ..store.engine import is_encrypted

    given = resolve_passphrase(args)
    if db.is_dir() or not _creatable(db):
        return given  # the store refuses it with its own clear line
    if existing_nonempty(db):
        if given is None and is_encrypted(db) and interactive():
            given = ask_existing(db)
            hold_echo()
        return given
    return _first_passphrase(args, db, given)


def _first_passphrase(args: argparse.Namespace, db: Path, given: str | None) -> str:
    """The passphrase a new (or empty) school database is encrypted under: the given one if it follows
    the rules, else typed twice at a tty; a script with no passphrase gets one clear error."""
    if given is None:
        if not interactive():
            raise CliError(f"a new school database is encrypted: give a passphrase of at least 8 characters "
                           f"with {PASSPHRASE_ENV} or --passphrase-file (nothing was created)")
        then = "; then the school's profile, on screen" if getattr(args, "school_setup", False) else ""
        print(f"advocate: first start: {db} will be encrypted under a desk passphrase{then}.", file=sys.stderr)
        given = ask_new()
        args.new_pin = ask_pin()
        hold_echo()  # until the app takes the terminal: nothing typed early is echoed
        return given
    try:
        return check_passphrase(given)
    except SecretError as exc:
        raise CliError(f"{exc} (nothing was created)") from None


def school_passphrase(args: argparse.Namespace, db: Path) -> str | None:
    """The passphrase for a command that writes a school's data into ``db`` (the app, ``roster import``,
    ``handoff import``): as :func:`startup_passphrase`, and a school's data never goes into an
    unencrypted file unless ``--allow-plain`` was given (the demo school is unencrypted by design):

    - an unencrypted file with nothing of a school in it is encrypted now, as a new database would be;
    - an unencrypted school database is refused in one line ('advocate rekey' encrypts it).
    """
    from ..services.backup import encrypt_empty, plain_state

    allow = bool(getattr(args, "allow_plain", False))
    state = plain_state(db)
    if state == "demo":
        return None
    given = resolve_passphrase(args)
    if state == "school":
        if allow or not os.access(db, os.W_OK):
            return None  # (a read-only file: the store refuses it with its own line)
        from ..store.engine import verify_readonly

        verify_readonly(db)  # a damaged file says so first: rekey would not help
        why = "though a passphrase was given" if given else "and a school's data is kept only encrypted"
        raise CliError(f"{db} is not encrypted, {why}: 'advocate rekey --db {db}' encrypts it "
                       "(--allow-plain writes into it unencrypted); nothing was written")
    if allow and given is None and state in ("missing", "empty"):
        return None
    if state == "empty":
        passphrase = _first_passphrase(args, db, given)
        try:
            encrypt_empty(db, passphrase)
        except SecretError as exc:
            raise CliError(str(exc)) from None
        return passphrase
    return startup_passphrase(args, db)


def new_passphrase(args: argparse.Namespace) -> str:
    """The new passphrase for ``rekey``: $ADVOCATE_NEW_PASSPHRASE, --new-passphrase-file or a prompt."""
    pfile = getattr(args, "new_passphrase_file", None)
    if pfile:
        text = read_passphrase_file(pfile, "")
    elif os.environ.get(NEW_PASSPHRASE_ENV):
        text = os.environ[NEW_PASSPHRASE_ENV]
    elif interactive():
        return ask_new("passphrase")
    else:
        raise CliError(f"give the new passphrase with {NEW_PASSPHRASE_ENV} or --new-passphrase-file")
    try:
        return check_passphrase(text)
    except SecretError as exc:
        raise CliError(str(exc)) from None
