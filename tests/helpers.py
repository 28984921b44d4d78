"""Helpers shared by the test layers: a small plan request and the API's error shape."""

from __future__ import annotations

import re

PLAN_REQUEST = {"days": 1, "time_limit_seconds": 1}
PLAN_ID = re.compile(r"[A-Za-z0-9_-]{22}")  # secrets.token_urlsafe(16): 128 random bits


def error_of(response, status: int, code: str | None = None) -> dict:
    """The response is an error in the API's one shape; returns its body's `error`."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)
    if code:
        assert body["error"]["code"] == code
    return body["error"]
