"""Owner tokens: 128-bit, shown once when a plan is made, stored only as their SHA-256."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token() -> str:
    """128 random bits, URL-safe, never starting with '-' or '_': an id that begins with '-'
    reads as an option on a command line (`mealplanner shopping-list -wQd...`)."""
    while True:
        token = secrets.token_urlsafe(16)
        if token[0].isalnum():
            return token


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def is_owner(token: str | None, stored_hash: str | None) -> bool:
    """True when `token` is the one whose hash was stored (plans made before tokens: never)."""
    return bool(token and stored_hash
                and hmac.compare_digest(token_hash(token), stored_hash))
