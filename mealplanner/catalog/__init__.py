"""The food and recipe catalog: reading `foods/`, USDA import, prices, derived recipe facts."""
