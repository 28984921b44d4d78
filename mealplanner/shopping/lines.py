"""One line of the shopping list: a food bought, and the parts of it bought on its line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LinePart:
    """One food bought on a line: lemon juice on the lemons' line, or the lemon itself."""

    food_id: str
    name: str
    part: str  # "juice", "zest"; "whole" for the food itself
    packages: int
    needed_g: float
    price_cents: int


@dataclass(frozen=True)
class ShoppingLine:
    """One food: household grams over the plan (or trip) and the whole packages that cover them."""

    food_id: str
    name: str
    aisle: str
    needed_g: float  # household grams as eaten
    pantry_g: int  # grams taken from what is on hand
    staple: bool  # assumed on hand, never bought
    on_hand: bool  # nothing to buy: staple, or the pantry covers it all
    packages: int
    package_g: int  # as sold (gross)
    package: str  # the word a shopper reads: can, bag, bunch...
    label: str  # "2 x 400 g can", "on hand", "staple, assumed on hand"
    household: str | None  # "3 medium onions", "about 1½ cups"
    price_cents: int
    leftover_g: float  # edible grams bought (or taken from the pantry) and not eaten
    fermented: bool
    live_cultures: bool
    prebiotic: bool
    marks: tuple[str, ...]  # why a gut-health food is on the list
    note: str | None  # "staple, assumed on hand", "use 150 g on hand"
    # what a shopper reads (shopping/wording.py), in the form the food is bought
    shop_name: str = ""  # "Chickpeas, dried", "Lemons"
    buy: str = ""  # "Buy 2 x 400 g can — you need 620 g", "On hand — you need 150 g"
    need: str | None = None  # "you need 180 g dry (about 430 g cooked)", "for zest (1)"
    leftover: str | None = None  # "about ½ can left", "310 g left of a 2,268 g bag"
    parts: tuple[LinePart, ...] = ()  # the foods bought on this line, when several (parts.py)

    @property
    def price(self) -> float:
        return round(self.price_cents / 100, 2)
