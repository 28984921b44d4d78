"""mealplanner: weekly Mediterranean-style meal plans for gut health."""

from mealplanner.app import create_app

__all__ = ["create_app"]
