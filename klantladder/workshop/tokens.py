"""Tokens: random (from `secrets`), stored only as hashes where a leak would matter.

A participant's token lives in an HttpOnly cookie; the server keeps only its
SHA-256, so the session file cannot be used to take over a participant. Each
form carries a CSRF token derived from the cookie's token with HMAC, so it is
bound to that browser, needs no server state and survives a restart.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

JOIN_BYTES = 12
"""The join token is on the projector and in the QR code: short enough to type."""
SECRET_BYTES = 32
"""Facilitator and participant tokens."""

_CSRF_PURPOSE = b"klantladder-workshop-csrf-v1"


def new_join_token() -> str:
    """A fresh join token for the participants' link."""
    return secrets.token_urlsafe(JOIN_BYTES)


def new_secret_token() -> str:
    """A fresh facilitator or participant token."""
    return secrets.token_urlsafe(SECRET_BYTES)


def token_hash(token: str) -> str:
    """The SHA-256 of a token, as stored in the session file."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def csrf_token(session_token: str) -> str:
    """The CSRF token of the forms shown to the holder of ``session_token``."""
    digest = hmac.new(session_token.encode("utf-8"), _CSRF_PURPOSE, hashlib.sha256)
    return digest.hexdigest()


def same(given: str | None, expected: str) -> bool:
    """Compare a token from a request with the expected one in constant time."""
    if given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
