"""Fixed-point units for the CP-SAT model, in one place (CP-SAT takes integers only).

Portions are counted in quarters (0.75 = 3, 1.5 = 6) so grams stay exact; nutrients are
rounded per dish and portion so that the model never claims more than the food gives:
amounts that must reach a minimum round down, amounts under a cap round up.

Short names used across the planner, explained once here:
  qg  grams x quarters of a portion (an exact integer: 60 g at portion 1.25 is 300 qg)
  dg  decigrams (fiber, prebiotic fibre, saturated fat in the model)
  cs  centi-servings (live-culture servings in the model)
  pm  the PlanModel being built (cpsat/model.py)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from mealplanner.rules.requirements import GROUP_PREFIX

QUARTERS_PER_PORTION = 4
DECIGRAMS_PER_G = 10  # fiber, prebiotic, saturated fat
CENTI_SERVINGS = 100  # fermented servings
CENTS_PER_USD = 100


def quarters(portion: float) -> int:
    return round(portion * QUARTERS_PER_PORTION)


def portion_of(quarter_count: int) -> float:
    return quarter_count / QUARTERS_PER_PORTION


def cents(usd: float) -> int:
    return round(usd * CENTS_PER_USD)


# --- a requirement's linear bounds in model integers ------------------------------------------
# Model units per unit of each quantity (rules/ruleset.py names them): fiber in decigrams,
# fermented in centi-servings, food-group grams as grams x quarters of a portion.
MODEL_UNITS = {
    "energy_kcal": 1,
    "fiber_g": DECIGRAMS_PER_G,
    "prebiotic_g": DECIGRAMS_PER_G,
    "prebiotic_most_g": DECIGRAMS_PER_G,
    "fermented_servings": CENTI_SERVINGS,
    "sodium_mg": 1,
    "saturated_fat_g": DECIGRAMS_PER_G,
    "eaten_cents": 1,
    # the nutrients a dietitian checks, in units fine enough for a day's amount
    "protein_g": DECIGRAMS_PER_G, "calcium_mg": 1, "iron_mg": 10, "potassium_mg": 1,
    "magnesium_mg": 1, "zinc_mg": 10, "folate_ug": 1, "vitamin_c_mg": 1,
    "vitamin_b12_ug": 100, "vitamin_d_ug": 10, "ala_g": 100, "epa_dha_g": 1000,
    "added_sugars_g": DECIGRAMS_PER_G,
}
GROUP_UNITS = QUARTERS_PER_PORTION


def model_units(quantity: str) -> int:
    return GROUP_UNITS if quantity.startswith(GROUP_PREFIX) else MODEL_UNITS[quantity]


def figure(fig, quantity: str, understate: bool) -> int:
    """A dish's amount of a quantity in model units, rounded so the model never claims more
    than the food gives: understated for what must reach a minimum, overstated under a cap."""
    if quantity.startswith(GROUP_PREFIX):
        return fig.group_qg.get(quantity[len(GROUP_PREFIX):], 0)
    return (fig.floor if understate else fig.ceil)[quantity]


@dataclass(frozen=True)
class IntegerBound:
    """One side of a requirement's bound as the solvers see it:
    sum over the period's meals of column(option) >= low (or <= high), all integers.

    `multiplier` is model units per unit of the rule's weighted sum, so a model value v reads
    as v / multiplier; `size` is what a miss of 1.0 means to the local search."""

    key: str
    coefficients: tuple[tuple[str, int, bool], ...]  # (quantity, integer weight, understate)
    low: int | None
    high: int | None
    multiplier: int
    size: float

    def column(self, fig) -> int:
        return sum(w * figure(fig, q, under) for q, w, under in self.coefficients)

    @property
    def bound(self) -> int:
        return self.low if self.low is not None else self.high


def integer_bounds(requirement, day: int | None = None) -> list[IntegerBound]:
    """A linear requirement's bounds in model integers, one per side (a window is two); on
    `day`, the bounds that hold that day (an exception moves a bound, never its terms, so the
    list has the same columns in the same order as the rule's own).

    Each term becomes weight / model units per unit; the least common multiple of the
    denominators makes every weight an integer. Bounds round inwards (a minimum up, a cap down)
    and each term's figure is rounded against the rule, so an integer plan that meets them
    meets the rule in grams."""
    found = []
    for bound in (requirement.bounds if day is None else requirement.bounds_on(day)):
        for side, value in (("low", bound.low), ("high", bound.high)):
            if value is None:
                continue
            ratios = [Fraction(term.weight).limit_denominator(1000) / model_units(term.quantity)
                      for term in bound.terms]
            multiplier = math.lcm(*(r.denominator for r in ratios))
            weights = [int(r * multiplier) for r in ratios]
            common = math.gcd(*weights)
            weights = [w // common for w in weights]
            multiplier = Fraction(multiplier, common)
            coefficients = tuple(
                (term.quantity, w, (side == "low") == (w > 0))
                for term, w in zip(bound.terms, weights, strict=True))
            scaled = value * multiplier
            low = math.ceil(scaled - 1e-9) if side == "low" else None
            high = math.floor(scaled + 1e-9) if side == "high" else None
            size = (float(bound.scale * multiplier) if bound.scale is not None
                    else abs(low if low is not None else high))
            found.append(IntegerBound(requirement.key, coefficients, low, high,
                                      multiplier, max(1.0, size)))
    return found


def soft_level(requirement, bound: IntegerBound) -> int:
    """A cap's comfortable level (requirement.soft_high) in the bound's integers, rounded down
    as the cap is: the same number for CP-SAT and the local search."""
    return math.floor(requirement.soft_high * bound.multiplier + 1e-9)
