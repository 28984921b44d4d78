"""The one way numbers, money, counts and codes are written (mealplanner/formatting.py)."""

from __future__ import annotations

import pytest

from mealplanner import formatting as fmt


@pytest.mark.parametrize(("value", "digits", "shown"), [
    (1838.4, 0, "1,838"),  # thousands separated, as the grid and the charts both write it
    (60.0, 1, "60"),  # never "60.0"
    (1.46, 1, "1.5"),  # decimals only where they mean something
    (2.25, 1, "2.3"),  # halves round up, as people expect (not to even)
    (0.25, 2, "0.25"),
    (-0.01, 1, "0"),  # never "-0"
    (12345.678, 2, "12,345.68"),
])
def test_number(value, digits, shown):
    assert fmt.number(value, digits) == shown


def test_plain_is_for_machines():
    assert fmt.plain(1250.0) == "1250" and fmt.plain(37.5) == "37.5" and fmt.plain(0.0) == "0"
    assert fmt.plain(2.7, fixed=True) == "2.70"
    assert fmt.plain(1e-7) == "0"  # never an exponent


@pytest.mark.parametrize(("value", "shown"), [
    (12, "12 g"), (1.46, "1.5 g"), (60.0, "60 g"), (1250.4, "1,250 g"), (99.96, "100 g"),
])
def test_grams(value, shown):
    assert fmt.grams(value) == shown


def test_money_has_one_style():
    assert fmt.money(150) == "$150.00"
    assert fmt.money(1234.5) == "$1,234.50"
    assert fmt.money_cents(988) == "$9.88"
    assert fmt.money(None) == ""
    assert fmt.currency_name("USD") == "US dollars"
    assert fmt.measured(216.857, "USD a week") == "$216.86 a week"
    assert fmt.measured(38.71, "g fiber") == "38.7 g fiber"
    assert fmt.measured(12.5, "% of energy") == "12.5% of energy"


@pytest.mark.parametrize(("value", "shown"), [
    (1, "1 serving"), (2, "2 servings"), (1.46, "1.5 servings"), (0, "0 servings"),
    (1.04, "1 serving"),  # shown as 1, read as 1
])
def test_counts_agree_with_their_word(value, shown):
    assert fmt.count(value, "serving") == shown


def test_count_with_an_irregular_plural():
    assert fmt.count(3, "more week", "more weeks", digits=0) == "3 more weeks"
    assert fmt.count(1, "time") == "1 time"


@pytest.mark.parametrize(("value", "shown"), [
    (2.5, "2½"), (0.75, "¾"), (3, "3"), (1.25, "1¼"), (0.1, "0"), (2.13, "2¼"),
])
def test_fractions_in_quarters(value, shown):
    assert fmt.fraction(value) == shown


def test_portions():
    assert fmt.portion(0.75) == "¾ portion"
    assert fmt.portion(1) == "1 portion"
    assert fmt.portion(1.5) == "1½ portions"


def test_codes_become_words():
    assert fmt.words("tree_nuts") == "tree nuts"
    assert fmt.label("tree_nuts") == "Tree nuts"


def test_changes_are_signed_with_a_true_minus():
    assert fmt.signed(2.6) == "+2.6" and fmt.signed(-1.74) == "\u22121.7"
    assert fmt.signed(0.01) == "0"
    assert fmt.signed_money(-1.63) == "\u2212$1.63" and fmt.signed_money(0.001) == "$0.00"


def test_percent_and_symbols():
    assert fmt.percent(0.456) == "46%"
    assert fmt.symbols("fiber >= 28 g, sodium <= 2,300 mg") == "fiber ≥ 28 g, sodium ≤ 2,300 mg"


def test_quoted_figures_are_written_the_pages_way():
    cited = "Lentils (Dried), 1.8390 USD per pound (1135 g from a bag); FNDDS 61113010, 2022"
    assert fmt.figures_in(cited) == ("Lentils (Dried), $1.8390 per pound (1,135 g from a bag); "
                                     "FNDDS 61113010, 2022")
