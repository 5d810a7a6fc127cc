"""Passphrase rules, the idle-lock PIN (salted scrypt hash in the store's meta table), unlock delays.

The passphrase opens (decrypts) the database and is needed to start the app. A shorter PIN may unlock
the idle lock of a running app: only its scrypt hash and a per-desk random salt are stored, inside the
(encrypted) database. Wrong PINs slow down: each one adds to the wait before the next try, at every desk on the file.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (annotations only: the command line's passphrase checks import this module early)
    from ..desk import Desk

MIN_PASSPHRASE = 8
MIN_PIN = 4
MAX_SECRET = 1024
PIN_SALT_KEY = "lock.pin_salt"
PIN_HASH_KEY = "lock.pin_hash"
#: wrong unlock tries in a row at any desk on this database, and the wall-clock time of the last one
FAILURES_KEY = "lock.failures"
FAILED_AT_KEY = "lock.failed_at"
#: scrypt cost: ~50 ms a try here, and the salt makes a table of hashes useless.
SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
#: the wait after the first wrong try, doubling with each one, and its ceiling (seconds)
FIRST_DELAY = 1.0
MAX_DELAY = 60.0
#: seconds after the last wrong try when the count of wrong tries starts again
FORGET_AFTER = 15 * 60.0


class SecretError(ValueError):
    """A passphrase or PIN that does not follow the rules; str() is one clear line."""


def check_passphrase(passphrase: str | None) -> str:
    """Return the passphrase if it follows the rules, else raise :class:`SecretError`."""
    if passphrase is None or not passphrase.strip():
        raise SecretError("the passphrase is empty")
    if len(passphrase) < MIN_PASSPHRASE:
        raise SecretError(f"the passphrase must be at least {MIN_PASSPHRASE} characters")
    if len(passphrase) > MAX_SECRET:
        raise SecretError(f"the passphrase must be at most {MAX_SECRET} characters")
    if any(ch in passphrase for ch in "\r\n\x00"):
        raise SecretError("the passphrase can't contain line breaks")
    return passphrase


def check_pin(pin: str | None) -> str:
    """Return the PIN if it follows the rules (at least 4 characters, no spaces), else raise."""
    if pin is None or not pin:
        raise SecretError("the PIN is empty")
    if len(pin) < MIN_PIN:
        raise SecretError(f"the PIN must be at least {MIN_PIN} characters")
    if len(pin) > 64 or any(ch.isspace() for ch in pin):
        raise SecretError("the PIN must be at most 64 characters, without spaces")
    return pin


def _hash(secret: str, salt: bytes) -> bytes:
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, **SCRYPT)


def has_pin(desk: Desk) -> bool:
    """True when an idle-lock PIN is set for this desk."""
    return bool(desk.store.get_meta(PIN_HASH_KEY))


def set_pin(desk: Desk, pin: str) -> None:
    """Set (or replace) the idle-lock PIN: a fresh random salt and the scrypt hash go to meta."""
    check_pin(pin)
    salt = secrets.token_bytes(16)
    with desk.store.transaction():
        desk.store.set_meta(PIN_SALT_KEY, salt.hex())
        desk.store.set_meta(PIN_HASH_KEY, _hash(pin, salt).hex())


def clear_pin(desk: Desk) -> None:
    """Remove the PIN: the passphrase unlocks the idle lock again."""
    with desk.store.transaction():
        desk.store.set_meta(PIN_SALT_KEY, "")
        desk.store.set_meta(PIN_HASH_KEY, "")


def verify_pin(desk: Desk, pin: str) -> bool:
    """True when ``pin`` matches the stored hash (constant-time comparison)."""
    stored = desk.store.get_meta(PIN_HASH_KEY)
    salt = desk.store.get_meta(PIN_SALT_KEY)
    if not stored or not salt or not pin or len(pin) > MAX_SECRET:
        return False
    return hmac.compare_digest(_hash(pin, bytes.fromhex(salt)), bytes.fromhex(stored))


def verify_passphrase(desk: Desk, passphrase: str) -> bool:
    """True when ``passphrase`` is the one this (encrypted) database was opened with."""
    known = getattr(desk.store, "_passphrase", None)
    if not known or not passphrase:
        return False
    return hmac.compare_digest(known.encode("utf-8"), passphrase.encode("utf-8"))


def is_encrypted(desk: Desk) -> bool:
    """True when the desk's database is encrypted (it was opened with a passphrase)."""
    return bool(getattr(desk.store, "_passphrase", None))


#: what opens the lock of a desk with neither PIN nor passphrase (an unencrypted database): a
#: deliberate word, so a stray Enter or a passer-by's key does not
UNLOCK_WORD = "unlock"


def lock_needs_secret(desk: Desk) -> bool:
    """False only for a desk with nothing to check against (an unencrypted database without a PIN)."""
    return has_pin(desk) or is_encrypted(desk)


def delay_after(failures: int) -> float:
    """Seconds to wait after ``failures`` wrong tries in a row: 1, 2, 4, 8… up to a minute."""
    if failures < 1:
        return 0.0
    return min(MAX_DELAY, FIRST_DELAY * 2 ** min(failures - 1, 16))


class Unlocker:
    """Checks what is typed on the lock screen and makes each wrong try cost more waiting.

    The count of wrong tries in a row and the time of the last one are kept in the database (meta), so
    every desk on the same file (a browser tab of ``advocate serve``, a second terminal) waits as
    long: opening a new tab does not start the count again. ``clock`` gives seconds of wall-clock time
    (injectable for tests); a wait is never longer than its rule, whatever the clocks say.
    ``try_unlock`` refuses without checking while a wait is running.
    """

    def __init__(self, desk: Desk, clock: Callable[[], float] = time.time):
        self.desk = desk
        self.clock = clock
        self.failures = 0
        self.wait_until = 0.0
        #: the shared record (failures, time of the last) as last read, to notice another desk's tries
        self._seen: tuple[int, float] = (0, 0.0)
        self._sync()

    def _read_shared(self) -> tuple[int, float]:
        try:
            failures = int(self.desk.store.get_meta(FAILURES_KEY) or 0)
            at = float(self.desk.store.get_meta(FAILED_AT_KEY) or 0)
        except Exception:  # noqa: BLE001 - a value that is not a number, a busy file: the lock must still work
            return self._seen
        if failures > 0 and self.clock() - at > FORGET_AFTER:
            return 0, at  # a quarter of an hour without a wrong try: the count starts again
        return max(0, failures), at

    def _sync(self) -> None:
        """Take up wrong tries made at another desk since the last look (they start a wait here too)."""
        shared = self._read_shared()
        if shared == self._seen:
            return
        self._seen = shared
        failures, at = shared
        self.failures = failures
        delay = delay_after(failures)
        self.wait_until = min(at + delay, self.clock() + delay) if failures else 0.0

    def _write_shared(self) -> None:
        self._seen = (self.failures, self.clock())
        try:
            with self.desk.store.transaction():
                self.desk.store.set_meta(FAILURES_KEY, str(self._seen[0]))
                self.desk.store.set_meta(FAILED_AT_KEY, repr(self._seen[1]))
        except Exception:  # noqa: BLE001 - a busy or read-only file: this desk's own wait still holds
            pass

    def wait_left(self) -> float:
        """Seconds before the next try is accepted (0 when it may be tried now)."""
        self._sync()
        return max(0.0, self.wait_until - self.clock())

    def check(self, secret: str) -> bool:
        """True for the PIN (when one is set) or the passphrase; nothing to check → the word "unlock"."""
        if not lock_needs_secret(self.desk):
            return secret.strip().lower() == UNLOCK_WORD
        return verify_pin(self.desk, secret) or verify_passphrase(self.desk, secret)

    def try_unlock(self, secret: str) -> bool:
        """Check ``secret``; a wrong one starts a longer wait (at every desk). Refused (False) while waiting."""
        if self.wait_left() > 0:
            return False
        if self.check(secret):
            had_failures = self.failures or self._seen[0]
            self.failures = 0
            self.wait_until = 0.0
            if had_failures:
                self._write_shared()
            return True
        self.failures = max(self.failures, self._read_shared()[0]) + 1
        self.wait_until = self.clock() + delay_after(self.failures)
        self._write_shared()
        return False
