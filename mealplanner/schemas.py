"""The plan request schema's former address, kept while code outside the application layer
still imports it from here; the schema itself lives in mealplanner.plans.schemas."""

from mealplanner.plans.schemas import PlanRequestSchema, request_to_json

__all__ = ["PlanRequestSchema", "request_to_json"]
