"""Calendar feed tokens: the read token a plan's subscribable calendar URL carries.

HMAC-SHA256 of the plan id under the app's SECRET_KEY, so nothing is stored and the URL can be
pasted into a calendar app. The plan id alone already reads the plan (ids are the capability,
see api/plans/resources.py), so the token is checked when given, never required: a wrong one
(a URL edited, or issued under another secret key) is refused rather than ignored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def feed_token(secret_key: str, plan_id: str) -> str:
    """128 bits of HMAC-SHA256("calendar-feed:" + plan id), URL-safe base64 without padding."""
    digest = hmac.new(secret_key.encode("utf-8"), f"calendar-feed:{plan_id}".encode(),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode("ascii")


def is_feed_token(secret_key: str, plan_id: str, token: str) -> bool:
    return hmac.compare_digest(feed_token(secret_key, plan_id).encode(), token.encode("utf-8"))
