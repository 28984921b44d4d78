"""Parts of one food on one line: lemon, lemon juice and lemon zest are all bought as lemons.

Which food a part comes from is data (foods/parts.csv, FoodRecord.part_of). The merged line
keeps the sums (packages, grams, price), so the list's total is still the plan's cost, and
names what each part is for: "Lemons: buy 5 — for juice (4) and zest (1)".
"""

from __future__ import annotations

import re
from dataclasses import replace

from mealplanner.catalog.measures import counted_noun, item_noun
from mealplanner.catalog.records import FoodRecord
from mealplanner.catalog.store import Catalog
from mealplanner.shopping.lines import LinePart, ShoppingLine
from mealplanner.shopping.wording import buy_text, package_label, packages_text


def part_word(part: FoodRecord, whole: FoodRecord) -> str:
    """ "Lemon juice, fresh" of "Lemon" -> "juice"."""
    head = part.name.split(",")[0].strip()
    whole_head = re.escape(whole.name.split(",")[0].strip())
    word = re.sub(rf"^{whole_head}\s*", "", head, flags=re.IGNORECASE).strip()
    return (word or head).lower()


def merge_parts(lines: list[ShoppingLine], catalog: Catalog) -> list[ShoppingLine]:
    """Bought parts joined to the line of the food they come from (made when absent)."""
    groups: dict[str, list[ShoppingLine]] = {}
    for line in lines:
        whole = catalog.foods[line.food_id].part_of
        if whole and whole in catalog.foods and line.packages and not line.staple:
            groups.setdefault(whole, []).append(line)
    if not groups:
        return lines
    own = {line.food_id: line for line in lines
           if line.food_id in groups and line.packages and not line.staple}
    joined = {id(line) for line in own.values()} | {
        id(line) for parts in groups.values() for line in parts}
    merged = [line for line in lines if id(line) not in joined]
    for whole_id, parts in groups.items():
        whole_line = [own[whole_id]] if whole_id in own else []
        merged.append(_joined(catalog.foods[whole_id], whole_line + parts, catalog))
    return merged


def _joined(whole: FoodRecord, lines: list[ShoppingLine], catalog: Catalog) -> ShoppingLine:
    parts = tuple(
        LinePart(line.food_id, line.name,
                 "whole" if line.food_id == whole.id else
                 part_word(catalog.foods[line.food_id], whole),
                 line.packages, line.needed_g, line.price_cents)
        for line in lines)
    packages = sum(part.packages for part in parts)
    need = "for " + _listed([f"{part.part} ({part.packages})" for part in parts])
    first = lines[0]
    return replace(
        first,
        food_id=whole.id, name=whole.name, aisle=whole.aisle,
        needed_g=sum(line.needed_g for line in lines),
        pantry_g=sum(line.pantry_g for line in lines),
        packages=packages, package_g=whole.package_g, package=whole.package,
        label=package_label(packages, whole),
        household=f"{packages} {item_noun(whole, packages)}" if whole.package == "each"
        else None,
        price_cents=sum(line.price_cents for line in lines),
        leftover_g=sum(line.leftover_g for line in lines),
        fermented=any(line.fermented for line in lines),
        live_cultures=any(line.live_cultures for line in lines),
        prebiotic=any(line.prebiotic for line in lines),
        marks=tuple(dict.fromkeys(mark for line in lines for mark in line.marks)),
        note="; ".join(line.note for line in lines if line.note) or None,
        shop_name=_plural_name(whole, packages),
        buy=buy_text(packages_text(whole, packages), need),
        need=need,
        leftover=None,  # a part's leftover (juice not squeezed) is not a lemon left
        parts=parts,
    )


def _plural_name(whole: FoodRecord, packages: int) -> str:
    if whole.package != "each":
        return whole.name
    return counted_noun(whole.name.split(",")[0].strip(), 2).capitalize()


def _listed(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
