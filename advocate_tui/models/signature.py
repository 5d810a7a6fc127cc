"""The signature a desk puts on a file it writes (a handoff bundle; later the coordinator's reply).

The signed message is the *canonical form* of the file's JSON: every top-level member except
``signature``, serialized as UTF-8 JSON with object keys sorted, no whitespace (separators ``,`` and
``:``) and non-ASCII characters written as they are (``json.dumps(body, sort_keys=True,
separators=(",", ":"), ensure_ascii=False)``). So the signature covers the format and its version,
the school, the date and sequence, every record and every student. The algorithm is Ed25519; the
public key travels with the file, and the reader decides whether it trusts that key.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Model

#: Base64 (standard alphabet, padded) of a 32-byte Ed25519 public key and of a 64-byte signature.
PUBLIC_KEY_PATTERN = r"^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$"
SIGNATURE_PATTERN = r"^[A-Za-z0-9+/]{85}[AQgw]==$"
#: What a person compares: SHA-256 of the public key, its first 20 bytes in base32, in groups of four.
FINGERPRINT_PATTERN = r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){7}$"


class Signature(Model):
    """An Ed25519 signature of a file's canonical JSON by a desk's key, with that key."""

    algorithm: Literal["ed25519"] = "ed25519"
    public_key: str = Field(pattern=PUBLIC_KEY_PATTERN, description="The signing desk's Ed25519 public key "
                                                                     "(32 bytes, base64).")
    fingerprint: str = Field(pattern=FINGERPRINT_PATTERN,
                             description="The public key's fingerprint as the desk shows it: base32 of the first "
                                         "20 bytes of its SHA-256, in groups of four (checked against the key).")
    value: str = Field(pattern=SIGNATURE_PATTERN, description="The signature (64 bytes, base64) of the canonical "
                                                              "JSON of every other top-level member of the file.")
