"""WSGI entry point: `gunicorn wsgi:app`."""

from mealplanner import create_app

app = create_app()
