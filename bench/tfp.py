"""The USDA Thrifty Food Plan (TFP): what a household's food costs at the thrifty level.

Source: USDA Food and Nutrition Service (FNS), Center for Nutrition Policy and Promotion,
"Official USDA Thrifty Food Plan: U.S. Average, September 2025", from the Cost of Food monthly
reports: the table "Thrifty Food Plan: September 2025" (weekly and monthly cost by age-sex
group; the report is that one table and its footnotes, on one page), as published on
  https://fns-prod.azureedge.us/research/cnpp/usda-food-plans/cost-food-monthly-reports
(the FNS site; www.fns.usda.gov serves the same page). The weekly costs below are the table's
"Weekly Cost" column, figure by figure, in cents; issue 12 quotes two of them (female 20-50
$57.40, male 20-50 $72.10), which match.

The household-size adjustment (HOUSEHOLD_SIZE_ADJUSTMENT) is USDA's, as issue 12 states it:
the copy of the page read for this file ends before the report's footnotes, so it was not
checked against this month's footnote.

The report's age groups are kept as it names them: children by age only (1, 2-3, 4-5, 6-8,
9-11 years), then females and males 12-13, 14-19, 20-50, 51-70 and 71+ years. Babies under one
year have no figure in the report, so no household here has one.
"""

from __future__ import annotations

from collections.abc import Iterable

SOURCE = ("USDA FNS, Official USDA Thrifty Food Plan: U.S. Average, September 2025 "
          "(Cost of Food monthly reports), weekly cost by age-sex group")

# (sex, lowest age, highest age) -> weekly cost in cents; sex None for children 1-11 years
# (the report does not split them by sex). The highest age of the last group is open.
TFP_WEEKLY_CENTS: dict[tuple[str | None, int, int], int] = {
    (None, 1, 1): 2580,
    (None, 2, 3): 3890,
    (None, 4, 5): 4250,
    (None, 6, 8): 4720,
    (None, 9, 11): 5460,
    ("female", 12, 13): 5050,
    ("female", 14, 19): 5860,
    ("female", 20, 50): 5740,
    ("female", 51, 70): 5350,
    ("female", 71, 200): 5880,
    ("male", 12, 13): 5830,
    ("male", 14, 19): 7360,
    ("male", 20, 50): 7210,
    ("male", 51, 70): 6370,
    ("male", 71, 200): 6070,
}

# Household size -> share added to the sum of the members' costs (footnote of the report):
# 1 person +20 %, 2 +10 %, 3 +5 %, 4 none, 5-6 -5 %, 7 or more -10 %.
HOUSEHOLD_SIZE_ADJUSTMENT = {1: 0.20, 2: 0.10, 3: 0.05, 4: 0.0, 5: -0.05, 6: -0.05}
LARGE_HOUSEHOLD_ADJUSTMENT = -0.10  # 7 or more people

Member = tuple[str, int]  # (sex: "female" or "male", age in whole years)


def group_of(member: Member) -> tuple[str | None, int, int]:
    """The report's age-sex group of a household member; KeyError outside the table."""
    sex, age = member
    if sex not in ("female", "male"):
        raise KeyError(f"sex must be female or male, not {sex!r}")
    for key in TFP_WEEKLY_CENTS:
        group_sex, low, high = key
        if low <= age <= high and group_sex in (None, sex):
            return key
    raise KeyError(f"no Thrifty Food Plan figure for a {sex} of {age} (the report starts at 1)")


def member_weekly_cents(member: Member) -> int:
    return TFP_WEEKLY_CENTS[group_of(member)]


def size_adjustment(people: int) -> float:
    if people < 1:
        raise ValueError("a household has at least one member")
    return HOUSEHOLD_SIZE_ADJUSTMENT.get(people, LARGE_HOUSEHOLD_ADJUSTMENT)


def household_tfp(members: Iterable[Member]) -> float:
    """The household's weekly Thrifty Food Plan cost in USD: the members' weekly costs summed
    and adjusted for the household's size, rounded to the cent."""
    members = list(members)
    total = sum(member_weekly_cents(m) for m in members)
    return round(total * (1 + size_adjustment(len(members))) / 100, 2)
