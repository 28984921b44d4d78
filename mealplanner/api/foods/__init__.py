"""GET /api/v1/foods and /api/v1/foods/{food_id}."""
