"""GET /api/v1/recipes and /api/v1/recipes/{recipe_id}."""
