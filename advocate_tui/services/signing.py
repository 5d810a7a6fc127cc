"""Ed25519 signatures on the files a desk writes (the handoff bundle; the coordinator's reply the same way).

Each desk (each database) has one key pair, made on first need (the app's start, the handoff screen,
the first bundle written). Its private key lives only inside the database, which is encrypted for a
real school; its public key travels in every file the desk signs, and its *fingerprint* — base32 of
the first 20 bytes of the key's SHA-256, in eight groups of four (``7QK4-M2XA-…``) — is what people
compare: ``advocate check`` and the handoff screen show it at the writing desk, the importing side
shows it before it trusts the key.

:func:`sign_document` adds a ``signature`` member to a JSON document (a dict) covering the canonical
form of every other member (see :mod:`advocate_tui.models.signature`); :func:`verify_document` checks
it and returns the signer's key, without deciding whether that key is trusted (see
:mod:`advocate_tui.services.trust`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any


from ..desk import Desk

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

# cryptography (~0.05 s to import) is imported where a key is made, used or checked: a start imports this
# module (through the schools' trust rules) only for Signer and fingerprints

__all__ = ["SignatureError", "Signer", "fingerprint_of", "normalize_fingerprint", "canonical", "desk_signer",
           "sign_document", "sign_with", "verify_document"]

#: bytes of the SHA-256 of the public key shown as the fingerprint (160 bits: 32 base32 characters)
FINGERPRINT_BYTES = 20


class SignatureError(ValueError):
    """A document whose signature does not hold; str() is one line (no content of the document)."""


@dataclass(frozen=True)
class Signer:
    """A desk's public key as a signed document carries it."""

    public_key: str  # base64 of the raw 32 bytes
    fingerprint: str


def fingerprint_of(public_key: bytes) -> str:
    """``XXXX-XXXX-…`` (8 groups): base32 of the first 20 bytes of SHA-256 of the raw public key."""
    text = base64.b32encode(hashlib.sha256(public_key).digest()[:FINGERPRINT_BYTES]).decode("ascii")
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def normalize_fingerprint(text: str) -> str | None:
    """A typed fingerprint in the shown form (case, spaces, dashes and colons ignored); None if it can't be one."""
    bare = re.sub(r"[\s:\-]", "", text or "").upper()
    if not re.fullmatch(r"[A-Z2-7]{32}", bare):
        return None
    return "-".join(bare[i:i + 4] for i in range(0, 32, 4))


def canonical(document: Mapping[str, Any]) -> bytes:
    """The signed bytes: every member but ``signature``, as JSON with sorted keys and no whitespace, UTF-8."""
    body = {k: v for k, v in document.items() if k != "signature"}
    try:
        return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                          allow_nan=False).encode("utf-8")
    except (ValueError, TypeError, UnicodeEncodeError):  # NaN, a lone surrogate: nothing this app writes
        raise SignatureError("its content can't be put in canonical form (not plain JSON text)") from None


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _raw_public(key: Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def _private_key(desk: Desk) -> Ed25519PrivateKey:
    """This desk's private key, made and kept in the database on first need."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    store = desk.store
    row = store.desk_key()
    if row is None:
        key = Ed25519PrivateKey.generate()
        public = _raw_public(key)
        private = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        row = store.add_desk_key(fingerprint_of(public), _b64(public), _b64(private))
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(row.private_key))


def desk_signer(desk: Desk) -> Signer:
    """This desk's public key and fingerprint (the key pair is made now if the desk has none yet)."""
    public = _raw_public(_private_key(desk))
    return Signer(_b64(public), fingerprint_of(public))


def sign_document(desk: Desk, document: Mapping[str, Any]) -> dict[str, Any]:
    """``document`` with a ``signature`` member: this desk's Ed25519 signature of its canonical form."""
    return sign_with(_private_key(desk), document)


def sign_with(key: Ed25519PrivateKey, document: Mapping[str, Any]) -> dict[str, Any]:
    """``document`` signed with ``key`` (:func:`sign_document` with the desk's own key)."""
    public = _raw_public(key)
    body = {k: v for k, v in document.items() if k != "signature"}
    value = key.sign(canonical(body))
    return {**body, "signature": {"algorithm": "ed25519", "public_key": _b64(public),
                                  "fingerprint": fingerprint_of(public), "value": _b64(value)}}


def verify_document(document: Mapping[str, Any]) -> Signer:
    """The key that signed ``document``; :class:`SignatureError` unless its signature holds for its content."""
    from cryptography.exceptions import InvalidSignature
    from pydantic import ValidationError

    from ..models.signature import Signature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    raw = document.get("signature")
    if raw is None:
        raise SignatureError("it is not signed")
    try:
        sig = Signature.model_validate(raw)
    except ValidationError:
        raise SignatureError("its signature is not in the expected form (Ed25519, base64)") from None
    public = base64.b64decode(sig.public_key)
    if fingerprint_of(public) != sig.fingerprint:
        raise SignatureError("the fingerprint it shows is not its key's")
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(base64.b64decode(sig.value), canonical(document))
    except InvalidSignature:
        raise SignatureError("its signature does not match its content: it was changed after it was signed, "
                             "or not signed by the key it carries") from None
    except ValueError:
        raise SignatureError("its signing key is not a valid Ed25519 key") from None
    return Signer(sig.public_key, sig.fingerprint)
