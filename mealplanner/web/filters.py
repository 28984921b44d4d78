"""Template filters: numbers, money and labels as a person reads them."""

from __future__ import annotations

from flask import Flask

from mealplanner.shopping.export import number

FRACTIONS = {0.25: "¼", 0.5: "½", 0.75: "¾"}


def grams(value: float) -> str:
    """'12 g', '1.5 g', '1,250 g'."""
    if value >= 100:
        return f"{round(value):,} g"
    return f"{number(round(value, 1))} g"


def amount(value: float, digits: int = 1) -> str:
    """A plain decimal with at most `digits` decimals: 28, 31.2, 0.5."""
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(value: float | None, currency: str = "USD") -> str:
    if value is None:
        return ""
    symbol = "$" if currency == "USD" else f"{currency} "
    return f"{symbol}{value:,.2f}"


def portion(value: float) -> str:
    """0.75 -> '¾ portion', 1.5 -> '1½ portions'."""
    whole, part = divmod(value, 1)
    text = (str(int(whole)) if whole else "") + FRACTIONS.get(round(part, 2), "")
    if not text:
        text = number(value)
    return f"{text} portion" + ("" if value <= 1 else "s")


def label(value: str) -> str:
    """'tree_nuts' -> 'Tree nuts'."""
    return value.replace("_", " ").capitalize()


def percent(value: float) -> str:
    return f"{value:.0%}"


def symbols(text: str) -> str:
    """The planner's plain-text '>=' and '<=' as the signs people read."""
    return text.replace(">=", "≥").replace("<=", "≤")


def signed(value: float, digits: int = 1) -> str:
    """A change: '+2.6', '−1.7' (a true minus sign), '0'."""
    text = amount(abs(value), digits)
    if text == "0":
        return "0"
    return ("+" if value > 0 else "\u2212") + text


def signed_money(value: float, currency: str = "USD") -> str:
    """A change of money: '+$2.09', '−$1.63', '$0.00'."""
    text = money(abs(value), currency)
    if round(value, 2) == 0:
        return text
    return ("+" if value > 0 else "\u2212") + text


def register_filters(app: Flask) -> None:
    for name, fn in (("grams", grams), ("amount", amount), ("money", money),
                     ("portion", portion), ("label", label), ("percent", percent),
                     ("symbols", symbols), ("signed", signed), ("signed_money", signed_money)):
        app.jinja_env.filters[name] = fn
