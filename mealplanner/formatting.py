"""Numbers, money, counts, dates and codes as a person reads them: one way, for every page and
export.

Babel (locale en_US) writes the digits, thousands separators, currency and plural forms, so
"1,838 kcal" reads the same in the grid, the charts and the shopping list. Decimals appear only
where they mean something ("60 g", never "60.0"), halves round up as people expect, amounts of
food count in quarters ("2½"), and codes become words ("tree_nuts" -> "tree nuts").
"""

from __future__ import annotations

import decimal
import re
from datetime import date

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent, get_currency_name

LOCALE = Locale.parse("en_US")
FRACTIONS = {0: "", 1: "¼", 2: "½", 3: "¾"}
MINUS = "\u2212"  # the sign people read, not a hyphen
_CODE_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?) (USD)\b")
_BARE_THOUSANDS = re.compile(r"(?<![\d.,])(\d{4,})(?= ?(?:g|kg|mg|kcal)\b)")


def _decimal(value: float, digits: int) -> decimal.Decimal:
    """The value rounded half up to `digits` decimals (Babel would round half to even)."""
    with decimal.localcontext() as context:
        context.rounding = decimal.ROUND_HALF_UP
        rounded = decimal.Decimal(repr(float(value))).quantize(decimal.Decimal(1).scaleb(-digits))
    return rounded + 0 if rounded else decimal.Decimal(0)  # no "-0"


def number(value: float, digits: int = 1) -> str:
    """At most `digits` decimals, none that are zero, thousands separated: 1,838 · 31.2 · 60."""
    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    return format_decimal(_decimal(value, digits), format=pattern, locale=LOCALE)


def plain(value: float, digits: int = 2, fixed: bool = False) -> str:
    """A machine-readable decimal for CSV cells: no separators, no exponent: 1250, 37.5, 0;
    `fixed` keeps every decimal (prices: 2.70)."""
    pattern = "0" + ("." + ("0" if fixed else "#") * digits if digits > 0 else "")
    return format_decimal(_decimal(value, digits), format=pattern, locale=LOCALE,
                          group_separator=False)


def significant(value: float) -> str:
    """As many decimals as a small figure needs: 1,250 · 31.2 · 2.45 (nutrients, targets)."""
    return number(value, 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2)


def grams(value: float) -> str:
    """'12 g', '1.5 g', '1,250 g'."""
    return f"{number(value, 0 if value >= 100 else 1)} g"


def quantity(value: float, unit: str) -> str:
    """A measured amount in its unit: '1,838 kcal', '31.2 g', '0.45 mg'."""
    return f"{significant(value)} {unit}"


def money(value: float | None, currency: str = "USD") -> str:
    """'$150.00' for every price and budget; '' for none."""
    if value is None:
        return ""
    return format_currency(_decimal(value, 2), currency, locale=LOCALE)


def measured(value: float, unit: str, digits: int = 1) -> str:
    """A value in a limit's unit: 'USD a week' as money ('$216.86 a week'), a percentage
    ('12.5% of energy'), else the number and the unit ('38.7 g fiber')."""
    code, _, rest = unit.partition(" ")
    if len(code) == 3 and code.isupper():
        return f"{money(value, code)} {rest}".strip()
    if unit.startswith("%"):
        return f"{number(value, digits)}{unit}"
    return f"{number(value, digits)} {unit}".strip()


def money_cents(cents: int, currency: str = "USD") -> str:
    return money(cents / 100, currency)


def currency_name(currency: str = "USD") -> str:
    """'USD' -> 'US dollars': a code never stands alone on a page."""
    return get_currency_name(currency, count=2, locale=LOCALE)


def percent(value: float) -> str:
    """0.456 -> '46%'."""
    return format_percent(_decimal(value, 2), locale=LOCALE)


def plural(count: float, singular: str, plural_word: str | None = None) -> str:
    """The word for `count`, by the locale's plural rules: 1 serving, 1.5 servings."""
    form = LOCALE.plural_form(abs(count))
    return singular if form == "one" else (plural_word or singular + "s")


def count(value: float, singular: str, plural_word: str | None = None, digits: int = 1) -> str:
    """'1 serving', '2 servings', '1.5 servings' (never 'serving(s)')."""
    shown = number(value, digits)
    return f"{shown} {plural(float(_decimal(value, digits)), singular, plural_word)}"


def fraction(value: float) -> str:
    """To the nearest quarter: 2.5 -> '2½', 0.75 -> '¾', 3 -> '3'; '0' below an eighth."""
    quarters = int(_decimal(value * 4, 0))
    whole, part = divmod(quarters, 4)
    text = (str(whole) if whole else "") + FRACTIONS[part]
    return text or "0"


def portion(value: float) -> str:
    """0.75 -> '¾ portion', 1.5 -> '1½ portions'."""
    return f"{fraction(value)} portion" + ("" if value <= 1 else "s")


def words(code: str) -> str:
    """A code as the words it stands for: 'tree_nuts' -> 'tree nuts'."""
    return code.replace("_", " ")


def in_sentence(text: str) -> str:
    """A phrase that starts a sentence, to go inside one: "Vitamin B12" -> "vitamin B12"."""
    return text[:1].lower() + text[1:]


def label(code: str) -> str:
    """A code as a heading: 'tree_nuts' -> 'Tree nuts'."""
    return words(code).capitalize()


def signed(value: float, digits: int = 1) -> str:
    """A change: '+2.6', '−1.7' (a true minus sign), '0'."""
    text = number(abs(value), digits)
    if text == "0":
        return "0"
    return ("+" if value > 0 else MINUS) + text


def signed_money(value: float, currency: str = "USD") -> str:
    """A change of money: '+$2.09', '−$1.63', '$0.00'."""
    text = money(abs(value), currency)
    if _decimal(value, 2) == 0:
        return text
    return ("+" if value > 0 else MINUS) + text


def figures_in(text: str) -> str:
    """A quoted source's figures written the page's way, digits kept as cited:
    '1.8390 USD per pound' -> '$1.8390 per pound', '1135 g' -> '1,135 g'."""
    text = _CODE_AMOUNT.sub(lambda m: LOCALE.currency_symbols.get(m[2], m[2]) + m[1], text)
    return _BARE_THOUSANDS.sub(lambda m: number(int(m[1]), 0), text)


def symbols(text: str) -> str:
    """The planner's plain-text '>=' and '<=' as the signs people read."""
    return text.replace(">=", "≥").replace("<=", "≤")


def long_date(when: date) -> str:
    """"Monday 7 December": the weekday, the day of the month and the month."""
    return format_date(when, "EEEE d MMMM", locale=LOCALE)


def short_date(when: date) -> str:
    """"Mon 7": under a chart's bar."""
    return format_date(when, "EEE d", locale=LOCALE)


def date_span(first: date, last: date) -> str:
    """"Monday 7 - Thursday 10 December" (one day: "Monday 7 December"; the first month said
    too when the span crosses one)."""
    if first == last:
        return long_date(first)
    same_month = (first.year, first.month) == (last.year, last.month)
    head = format_date(first, "EEEE d" if same_month else "EEEE d MMMM", locale=LOCALE)
    return f"{head} - {long_date(last)}"
