"""Plans: create, read, delete, swap a meal, regenerate, shopping list."""
