"""GET /api/v1/meta: the names and rule sets a client needs to build a request."""
