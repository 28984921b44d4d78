"""The plans this browser made, with their owner tokens, kept encrypted in its session cookie.

Flask's session cookie is signed, not encrypted: whoever sees the cookie (a shared computer, a
proxy's log) could read what is in it. The owner tokens are therefore sealed with Fernet
(AES-CBC and HMAC) under a key derived from SECRET_KEY; the cookie holds only the sealed text.
The newest few plans only, to keep the cookie small. A cookie from before the sealing (a plain
mapping) is sealed the first time it is read.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app, session

OWNED_KEY = "owned_plans"
OWNED_KEPT = 20
KEY_PURPOSE = b"mealplanner: owner tokens in the session cookie"


def _fernet() -> Fernet:
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    key = hmac.new(secret, KEY_PURPOSE, hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def owned_plans() -> dict[str, str]:
    """Plan id -> owner token, for the plans this browser made (oldest first)."""
    sealed = session.get(OWNED_KEY)
    if isinstance(sealed, dict):  # a cookie from before the sealing
        _keep({str(k): str(v) for k, v in sealed.items()})
        return dict(sealed)
    if not isinstance(sealed, str):
        return {}
    try:
        owned = json.loads(_fernet().decrypt(sealed.encode("ascii")))
    except (InvalidToken, ValueError, UnicodeError):  # another key, or changed on the way
        return {}
    return owned if isinstance(owned, dict) else {}


def _keep(owned: dict[str, str]) -> None:
    owned = dict(list(owned.items())[-OWNED_KEPT:])
    session[OWNED_KEY] = _fernet().encrypt(json.dumps(owned).encode("utf-8")).decode("ascii")


def remember_owner(plan_id: str, owner_token: str) -> None:
    owned = owned_plans()
    owned.pop(plan_id, None)
    owned[plan_id] = owner_token
    _keep(owned)


def forget_owner(plan_id: str) -> None:
    owned = owned_plans()
    if owned.pop(plan_id, None) is not None:
        _keep(owned)


def owner_token_of(plan_id: str) -> str | None:
    return owned_plans().get(plan_id)
