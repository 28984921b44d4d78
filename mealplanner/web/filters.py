"""Template filters: the names templates use for mealplanner.formatting, the one way to
write numbers."""

from __future__ import annotations

from flask import Flask

from mealplanner import formatting as fmt
from mealplanner.catalog.source_titles import source_title

FILTERS = {
    "grams": fmt.grams,
    "amount": fmt.number,
    "significant": fmt.significant,
    "quantity": fmt.quantity,
    "money": fmt.money,
    "money_cents": fmt.money_cents,
    "portion": fmt.portion,
    "fraction": fmt.fraction,
    "count": fmt.count,
    "plural": fmt.plural,
    "label": fmt.label,
    "words": fmt.words,
    "percent": fmt.percent,
    "currency_name": fmt.currency_name,
    "symbols": fmt.symbols,
    "figures_in": fmt.figures_in,
    "signed": fmt.signed,
    "signed_money": fmt.signed_money,
    "source_title": source_title,
}


def register_filters(app: Flask) -> None:
    app.jinja_env.filters.update(FILTERS)
