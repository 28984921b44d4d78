"""Fixed-point units for the CP-SAT model, in one place (CP-SAT takes integers only).

Portions are counted in quarters (0.75 = 3, 1.5 = 6) so grams stay exact; nutrients are
rounded per dish and portion so that the model never claims more than the food gives:
amounts that must reach a minimum round down, amounts under a cap round up.
"""

from __future__ import annotations

import math

QUARTERS_PER_PORTION = 4
DECIGRAMS_PER_G = 10  # fiber, prebiotic, saturated fat
CENTI_SERVINGS = 100  # fermented servings
CENTS_PER_USD = 100


def quarters(portion: float) -> int:
    return round(portion * QUARTERS_PER_PORTION)


def portion_of(quarter_count: int) -> float:
    return quarter_count / QUARTERS_PER_PORTION


def floor_units(value: float, scale: int) -> int:
    """For amounts that must reach a minimum: never overstate."""
    return math.floor(value * scale + 1e-9)


def ceil_units(value: float, scale: int) -> int:
    """For amounts under a cap: never understate."""
    return math.ceil(value * scale - 1e-9)


def cents(usd: float) -> int:
    return round(usd * CENTS_PER_USD)
