"""WSGI entry point: `gunicorn wsgi:app` (the same app as `mealplanner.wsgi:app`)."""

from mealplanner.wsgi import app  # noqa: F401
