"""Planner benchmark: the optimizer against a random-dish baseline on the profiles in profiles.py.

    python bench/planner_bench.py [--limit N] [--only NAME,...] [--out FILE] [--baseline-samples K]

For every profile the request goes through make_plan (the service path: candidates, model,
CP-SAT, plan document, checker, and the explanation when no plan exists), timed on the wall
clock, with the solver's own figures (status, gap, wall_seconds) taken from the main solve.
Every returned plan is checked once more with check_plan; a plan failing the checker is a bug
and is reported loudly.

The baseline is what a rule-based planner does: for each (day, slot) a uniformly random
eligible dish (build_candidates(...).by_slot, so diet, allergens, dislikes and time are
respected) at portion 1.0, seeded with random.Random(profile index). Both plans are scored by
`evaluate` below, which judges every requirement of the request's rule set with the checker's
own arithmetic (sums over ingredient grams), without reading the solver's model.

Results: a table on stdout and JSON in --out (default bench/results/planner-<date>.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import random
import resource
import subprocess
import sys
import time
import traceback
from dataclasses import asdict
from pathlib import Path
from typing import Any

import ortools
from profiles import PROFILES, request_dict

from mealplanner.catalog.store import Catalog, load_catalog
from mealplanner.planner import pipeline as service
from mealplanner.planner.candidates import Candidates
from mealplanner.planner.checker import check_plan, judge, plan_facts
from mealplanner.planner.families import plants, variety
from mealplanner.planner.nutrient_report import nutrients_document
from mealplanner.planner.pipeline import Prepared, prepare
from mealplanner.planner.purchase import compute_purchases
from mealplanner.planner.report import day_totals, meal_document
from mealplanner.planner.request import PlanRequest
from mealplanner.planner.units import quarters
from mealplanner.plans.schemas import PlanRequestSchema
from mealplanner.rules.requirements import PREBIOTIC_TOLERANCE

BENCH_DIR = Path(__file__).resolve().parent
# The standing speed budget (two cores): a 7-day, 4-meal plan p50 <= 0.25 s, p95 <= 0.6 s.
GOAL_P50_SECONDS = 0.25
GOAL_P95_SECONDS = 0.6
DAILY_KEYS = ("energy", "fiber", "prebiotic", "fermented", "sodium", "saturated_fat")
TOTALS = ("energy_kcal", "fiber_g", "prebiotic_g", "fermented_servings", "sodium_mg",
          "saturated_fat_g")
REPORTED_DAILY = ("fiber", "prebiotic", "fermented", "energy")

Meal = tuple[int, str, str, float]  # day, slot, recipe id, portion


# --- timing the phases inside make_plan ------------------------------------------------------

class Probe:
    """Wraps one function that make_plan calls (looked up in mealplanner.planner.pipeline) to
    time each call and keep a summary of its result, taken at once (make_plan may change the
    result afterwards). Missing names are skipped, so the bench survives a refactor."""

    def __init__(self, name: str, summarize=None) -> None:
        self.name = name
        self.original = getattr(service, name, None)
        self.summarize = summarize
        self.calls: list[dict[str, Any]] = []
        if self.original is not None:
            setattr(service, name, self)

    def __call__(self, *args, **kwargs):
        started = time.perf_counter()
        result = self.original(*args, **kwargs)
        call: dict[str, Any] = {"wall_seconds": round(time.perf_counter() - started, 3)}
        if self.summarize is not None:
            call.update(self.summarize(result))
        self.calls.append(call)
        return result

    def seconds(self) -> float:
        return round(sum(c["wall_seconds"] for c in self.calls), 3)


def install_probes() -> dict[str, Probe]:
    return {
        # the local search over the week (search/): does its plan meet every rule?
        "search_week": Probe("search_week", lambda r: {
            "found_plan": r is not None and not r.broken,
            "broken": None if r is None else r.broken,
            "objective": None if r is None else r.objective}),
        # CP-SAT over the best alternatives per meal, from the search's plan
        "polish": Probe("polish", lambda s: {"figures": asdict(s.figures),
                                             "found_plan": bool(s.meals)}),
        # the full weekly CP-SAT solve, when the search's plan misses a rule other than budget
        "solve_model": Probe("solve_model", lambda s: {"figures": asdict(s.figures),
                                                       "found_plan": bool(s.meals)}),
        # the explanation when the weekly solve finds nothing (it may find a plan)
        "explain_infeasible": Probe(
            "explain_infeasible",
            lambda e: {"found_plan": bool(getattr(e, "found_meals", None)),
                       "reason": getattr(e, "reason", None)}),
    }


# --- evaluation shared by the optimizer's plan and the baseline -----------------------------

def evaluate(meals: list[Meal], request: PlanRequest, catalog: Catalog,
             prepared: Prepared) -> dict[str, Any]:
    """Score a plan (one dish per slot) against every requirement of the request's rule set,
    through the checker's own arithmetic (ingredient grams), so that the bench and the
    checker cannot disagree on what a rule is."""
    rule_set = prepared.rule_set
    day_docs: dict[int, list[dict[str, Any]]] = {d: [] for d in range(1, request.days + 1)}
    for day, slot, rid, portion in meals:
        day_docs[day].append(meal_document(catalog, slot, rid, quarters(portion)))
    documents = [{"day": d, "meals": m} for d, m in day_docs.items()]
    facts = plan_facts(documents, catalog, request.use_staples)
    verdicts = {r.key: judge(r, facts) for r in rule_set.linear()}
    days: list[dict[str, Any]] = []
    for d in day_docs:
        met = {key: all(v.ok for v in verdicts.get(key, []) if d in v.days)
               for key in DAILY_KEYS}
        met["prebiotic"] = met["prebiotic"] and all(
            v.ok for v in verdicts.get(PREBIOTIC_TOLERANCE, []) if d in v.days)
        days.append({"day": d, "totals": {k: round(v, 2) for k, v in facts.totals[d].items()
                                          if k in TOTALS},
                     "met": met})
    mediterranean: dict[str, dict[str, Any]] = {}
    skipped = {s["rule"] for s in rule_set.skipped}
    for rule, key in rule_set.mediterranean:
        if rule.id in skipped:
            mediterranean[rule.id] = {"skipped": True, "met": True}
            continue
        found = verdicts[key]
        worst = (min if rule.is_minimum else max)(found, key=lambda v: v.value)
        bound = rule_set.requirement(key).bounds[0]
        mediterranean[rule.id] = {
            "met": all(v.ok for v in found), "value": round(worst.value, 1),
            "bound": round(bound.low if bound.low is not None else bound.high, 1)}
    purchases = compute_purchases(
        [(d, rid, quarters(portion)) for d, _s, rid, portion in meals], request.people,
        prepared.candidates.pantry_g, catalog, request.use_staples, request.days,
    )
    cost_cents = sum(p.cost_cents for p in purchases)
    within_budget = None if rule_set.budget_cents is None else (
        cost_cents <= rule_set.budget_cents)
    plant_count = len(plants.plant_foods({i["food_id"] for i in facts.ingredients}, catalog))
    plants_met = plant_count >= rule_set.plants_target
    seen = {(d, s): rid for d, s, rid, _p in meals}
    # the nutrients a dietitian checks, as the plan's table reports them (planner/report.py)
    nutrient_rows = nutrients_document(
        [{"day": d, "totals": day_totals(catalog, m)} for d, m in day_docs.items()],
        prepared.targets, list(rule_set.skipped), rule_set)
    nutrients_met = {row["nutrient"]: row["status"] in ("met", "covered")
                     for row in nutrient_rows}
    all_days = all(all(day["met"].values()) for day in days)
    all_med = all(r["met"] for r in mediterranean.values())
    every = (all_days and all_med and within_budget is not False
             and (plants_met or not rule_set.plants_hard))
    return {
        "days": days,
        "days_met": {k: sum(day["met"][k] for day in days) for k in DAILY_KEYS},
        "day_count": len(days),
        "mediterranean": mediterranean,
        "mediterranean_all": all_med,
        "cost": round(cost_cents / 100, 2),
        "within_budget": within_budget,
        "plants": plant_count,
        "plants_target": rule_set.plants_target,
        "plants_met": plants_met,
        "variety_ok": not variety.check(seen, rule_set),
        "nutrients": nutrients_met,
        "nutrients_all": all(nutrients_met.values()),
        "every_target": every,
    }


def meals_of_document(document: dict[str, Any]) -> list[Meal]:
    return [(day["day"], m["slot"], m["recipe_id"], m["portion"])
            for day in document["days"] for m in day["meals"]]


def baseline_meals(request: PlanRequest, candidates: Candidates, seed: int) -> list[Meal] | None:
    """A uniformly random eligible dish per slot at portion 1.0; None if a slot has none."""
    rng = random.Random(seed)
    meals = []
    for slot in request.slots:
        eligible = candidates.by_slot.get(slot.slot, [])
        if not eligible:
            return None
        meals.append((slot.day, slot.slot, rng.choice(eligible), 1.0))
    return meals


# --- running one profile --------------------------------------------------------------------

def run_optimizer(request: PlanRequest, catalog: Catalog, probes: dict[str, Probe],
                  prepared: Prepared) -> dict[str, Any]:
    for probe in probes.values():
        probe.calls.clear()
    record: dict[str, Any] = {"crash": None, "checker_problems": []}
    started = time.perf_counter()
    try:
        outcome = service.make_plan(request, catalog)
    except service.PlanCheckError as error:
        record.update(wall_seconds=round(time.perf_counter() - started, 3),
                      status="checker_failure", crash=f"PlanCheckError: {error}")
        record["checker_problems"] = str(error).split("; ")
        return _with_phases(record, probes)
    except Exception as error:  # a crash is a finding: record it and keep going
        record.update(wall_seconds=round(time.perf_counter() - started, 3), status="crash",
                      crash=f"{type(error).__name__}: {error}",
                      traceback=traceback.format_exc())
        return _with_phases(record, probes)
    record["wall_seconds"] = round(time.perf_counter() - started, 3)
    _with_phases(record, probes)
    document = outcome.document
    solver_status = record.get("solver", {}).get("status")
    if outcome.ok:
        record["status"] = "optimal" if solver_status == "optimal" else "feasible"
        record["plan_source"] = plan_source(probes)
        record["gap"] = document["solver"].get("gap")
        record["cost"] = document["cost"]["total"]
        record["skipped_rules"] = [s["rule"] for s in document.get("skipped_rules", [])]
        problems = check_plan(document, request, catalog)
        record["checker_problems"] = problems
        if problems:
            record["status"] = "checker_failure"
        meals = meals_of_document(document)
        record["meals"] = [list(m) for m in meals]
        record["evaluation"] = evaluate(meals, request, catalog, prepared)
    else:
        # what the answer says, not the last solver call (an explanation's fix checks solve too)
        record["status"] = "timeout" if document.get("reason") == "timeout" else "infeasible"
        record["reason"] = document.get("reason")
        record["message"] = document.get("message")
        record["conflicts"] = [
            {k: c.get(k) for k in ("requirement", "label", "limit", "best_value", "unit",
                                   "best_reachable")}
            for c in document.get("conflicts", [])
        ]
        record["contradiction"] = contradiction(record["conflicts"], prepared)
    return record


def reference(prepared: Prepared, kicks: int, objective: float | None) -> dict[str, Any]:
    """The same search given `kicks` rounds: how much a longer search would still save."""
    from mealplanner.planner.search.iterated import search_week

    started = time.perf_counter()
    problem = prepared.problem()
    found = search_week(problem, kicks=kicks)
    record: dict[str, Any] = {"kicks": kicks, "seconds": round(time.perf_counter() - started, 3),
                              "objective": found.objective if found else None,
                              "cost": found.cost_cents / 100 if found else None,
                              "meets_every_rule": bool(found) and not found.broken}
    if objective is not None and record["meets_every_rule"]:
        record["excess"] = round((objective - found.objective) / abs(found.objective), 6)
    return record


def contradiction(conflicts: list[dict[str, Any]], prepared: Prepared) -> str | None:
    """An explanation that names the budget as the only conflict, yet reports a plan meeting
    every other requirement at a cost within the budget: that plan meets everything, so the
    request should not have failed."""
    if len(conflicts) != 1 or conflicts[0]["requirement"] != "budget":
        return None
    value, limit = conflicts[0].get("best_value"), conflicts[0].get("limit") or {}
    allowed = limit.get("max")  # both per week, as the budget is set
    if value is not None and allowed is not None and value <= allowed:
        return (f"the budget is named as the conflict, but the cheapest plan meeting every "
                f"other requirement costs {value:.2f} <= {allowed:.2f} a week")
    return None


def plan_source(probes: dict[str, Probe]) -> str:
    """Which phase produced the returned plan (make_plan keeps the first it has)."""
    def found(name: str) -> bool:
        return any(call.get("found_plan") for call in probes[name].calls)

    if found("polish"):
        return "search + polish"
    if found("solve_model"):
        return "weekly solve"
    if found("explain_infeasible"):
        return "explanation search"
    return "unknown"


def _with_phases(record: dict[str, Any], probes: dict[str, Probe]) -> dict[str, Any]:
    """The figures of the solve that made the plan and the seconds spent in each phase."""
    solves = probes["polish"].calls or probes["solve_model"].calls
    if solves:
        record["solver"] = solves[0]["figures"]
    searches = probes["search_week"].calls
    if searches and probes["polish"].calls:
        before = searches[0]["objective"]
        after = probes["polish"].calls[0]["figures"]["objective"]
        if before and after is not None:
            record["polish_gain"] = round((before - after) / abs(before), 6)
    record["phase_seconds"] = {name: probe.seconds() for name, probe in probes.items()
                               if probe.calls}
    return record


def run_baseline(index: int, samples: int, request: PlanRequest, catalog: Catalog,
                 prepared: Prepared) -> list[dict[str, Any]]:
    runs = []
    for k in range(samples):
        seed = index + 1000 * k  # sample 0 is random.Random(profile index)
        meals = baseline_meals(request, prepared.candidates, seed)
        if meals is None:
            runs.append({"seed": seed, "plan": False})
            continue
        runs.append({"seed": seed, "plan": True,
                     "evaluation": evaluate(meals, request, catalog, prepared)})
    return runs


# --- figures ----------------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def share(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def score(evaluations: list[tuple[PlanRequest, dict[str, Any] | None]]) -> dict[str, Any]:
    """Shares over all requests; a request without a plan counts as meeting nothing."""
    total_days = sum(r.days for r, _e in evaluations)
    met_days = dict.fromkeys(DAILY_KEYS, 0)
    med_rules: dict[str, list[int]] = {}
    med_all = every = budget_total = budget_met = variety = plants = plans = 0
    nutrients_all, by_nutrient = 0, {}
    for request, evaluation in evaluations:
        if request.budget is not None:
            budget_total += 1
        if evaluation is None:
            continue
        plans += 1
        for key in DAILY_KEYS:
            met_days[key] += evaluation["days_met"][key]
        for rule_id, row in evaluation["mediterranean"].items():
            tally = med_rules.setdefault(rule_id, [0, 0])
            if not row.get("skipped"):
                tally[0] += row["met"]
                tally[1] += 1
        med_all += evaluation["mediterranean_all"]
        budget_met += bool(evaluation["within_budget"])
        variety += evaluation["variety_ok"]
        plants += evaluation["plants_met"]
        every += evaluation["every_target"]
        nutrients_all += evaluation.get("nutrients_all", False)
        for name, met in evaluation.get("nutrients", {}).items():
            by_nutrient[name] = by_nutrient.get(name, 0) + met
    n = len(evaluations)
    return {
        "requests": n,
        "plans": plans,
        "days": total_days,
        "days_meeting": {k: share(v, total_days) for k, v in met_days.items()},
        "mediterranean_all": share(med_all, n),
        "mediterranean_by_rule": {k: share(m, t) for k, (m, t) in med_rules.items()},
        "within_budget": share(budget_met, budget_total),
        "requests_with_budget": budget_total,
        "plants_target_met": share(plants, n),
        "variety_rules_met": share(variety, n),
        "every_target": share(every, n),
        "nutrients_all": share(nutrients_all, n),
        "nutrients_by_name": {k: share(v, n) for k, v in sorted(by_nutrient.items())},
    }


def timing(records: list[dict[str, Any]]) -> dict[str, Any]:
    walls = [r["optimizer"]["wall_seconds"] for r in records]
    solver = [r["optimizer"]["solver"]["wall_seconds"] for r in records
              if "solver" in r["optimizer"]]
    with_plan = [r["optimizer"]["wall_seconds"] for r in records
                 if "evaluation" in r["optimizer"]]

    def pair(values):
        p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
        return {"n": len(values), "p50": _r(p50), "p95": _r(p95),
                "max": _r(max(values)) if values else None}

    phases = {}
    for name in ("search_week", "polish", "solve_model", "explain_infeasible"):
        phases[name] = pair([r["optimizer"]["phase_seconds"][name] for r in records
                             if name in r["optimizer"].get("phase_seconds", {})])
    return {"make_plan": pair(walls), "solver": pair(solver),
            "make_plan_with_plan": pair(with_plan), "phases": phases}


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def summarize(records: list[dict[str, Any]], requests: list[PlanRequest]) -> dict[str, Any]:
    n = len(records)
    statuses: dict[str, int] = {}
    for r in records:
        statuses[r["optimizer"]["status"]] = statuses.get(r["optimizer"]["status"], 0) + 1
    gaps = [r["optimizer"]["gap"] for r in records if r["optimizer"].get("gap") is not None]
    sources: dict[str, int] = {}
    for r in records:
        if r["optimizer"].get("plan_source"):
            name = r["optimizer"]["plan_source"]
            sources[name] = sources.get(name, 0) + 1
    week4 = [r for r, q in zip(records, requests, strict=True)
             if q.days == 7 and len(q.meals) == 4]
    week4_timing = timing(week4)
    p50, p95 = week4_timing["make_plan"]["p50"], week4_timing["make_plan"]["p95"]
    baseline_samples = max((len(r["baseline"]) for r in records), default=0)
    baseline_evals = [
        (q, run.get("evaluation"))
        for r, q in zip(records, requests, strict=True) for run in r["baseline"]
    ]
    gains = [r["optimizer"]["polish_gain"] for r in records
             if r["optimizer"].get("polish_gain") is not None]
    excess = [r["optimizer"]["reference"]["excess"] for r in records
              if "excess" in r["optimizer"].get("reference", {})]
    return {
        "profiles": n,
        "reference": {"n": len(excess), "mean_excess": _r(sum(excess) / len(excess))
                      if excess else None, "max_excess": _r(max(excess, default=None)),
                      "median_excess": _r(percentile(excess, 0.5))},
        "polish_gains": {"n": len(gains), "improved": sum(1 for g in gains if g > 0),
                         "mean": sum(gains) / len(gains) if gains else None,
                         "max": max(gains, default=None)},
        "status_counts": statuses,
        "share_optimal": share(statuses.get("optimal", 0), n),
        "share_with_plan": share(sum(1 for r in records if "evaluation" in r["optimizer"]), n),
        "plan_sources": sources,
        "plans_with_gap": len(gaps),
        "mean_gap": _r(sum(gaps) / len(gaps)) if gaps else None,
        "median_gap": _r(percentile(gaps, 0.5)),
        "timing_all": timing(records),
        "timing_7x4": week4_timing,
        "goal_7x4": {
            "p50_within_budget": p50 is not None and p50 <= GOAL_P50_SECONDS,
            "p95_within_budget": p95 is not None and p95 <= GOAL_P95_SECONDS,
        },
        "optimizer": score([(q, r["optimizer"].get("evaluation"))
                            for r, q in zip(records, requests, strict=True)]),
        "baseline": score(baseline_evals),
        "baseline_samples_per_profile": baseline_samples,
        "checker_failures": [
            {"profile": r["name"], "problems": r["optimizer"]["checker_problems"]}
            for r in records if r["optimizer"]["checker_problems"]
        ],
        "crashes": [
            {"profile": r["name"], "error": r["optimizer"]["crash"]}
            for r in records if r["optimizer"]["status"] == "crash"
        ],
        "self_contradicting_explanations": [
            {"profile": r["name"], "problem": r["optimizer"]["contradiction"],
             "message": r["optimizer"]["message"]}
            for r in records if r["optimizer"].get("contradiction")
        ],
        "evaluation_disagreements": [
            {"profile": r["name"], "unmet": r["disagreement"]}
            for r in records if r.get("disagreement")
        ],
    }


def unmet(evaluation: dict[str, Any], request: PlanRequest) -> list[str]:
    """What an evaluation says is not met (for a checked plan this should be empty)."""
    out = [f"day {day['day']} {k}" for day in evaluation["days"]
           for k, ok in day["met"].items() if not ok]
    out += [f"mediterranean {k}" for k, row in evaluation["mediterranean"].items()
            if not row["met"]]
    if evaluation["within_budget"] is False:
        out.append(f"budget ({evaluation['cost']:.2f} > {request.budget.amount:.2f})")
    return out


# --- output -----------------------------------------------------------------------------------

def _pct(value: float | None) -> str:
    return "  -  " if value is None else f"{100 * value:5.1f}%"


def _days_cell(evaluation: dict[str, Any] | None, key: str) -> str:
    if evaluation is None:
        return "  -"
    return f"{evaluation['days_met'][key]}/{evaluation['day_count']}"


def _yes(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "no")


SOURCE_MARK = {"search + polish": "/P", "weekly solve": "/W", "explanation search": "/E"}


def print_profile_table(records: list[dict[str, Any]]) -> None:
    header = (f"{'#':>2} {'profile':32} {'status':15} {'wall s':>6} {'solve s':>7} {'gap':>6} "
              f"{'cost':>7} {'budget':>7} {'all':>4} | baseline: {'fib':>4} {'pre':>4} "
              f"{'fer':>4} {'kcal':>4} {'med':>3} {'bud':>3} {'all':>3}")
    print(header)
    print("-" * len(header))
    for r in records:
        o = r["optimizer"]
        solve = o.get("solver", {}).get("wall_seconds")
        gap = o.get("gap")
        evaluation = o.get("evaluation")
        b = r["baseline"][0].get("evaluation") if r["baseline"] else None
        budget = r["request"].get("budget")
        cost = "" if o.get("cost") is None else f"{o['cost']:.2f}"
        amount = f"{budget['amount']:.0f}" if budget else ""
        status = o["status"] + SOURCE_MARK.get(o.get("plan_source"), "")
        print(
            f"{r['index']:>2} {r['name'][:32]:32} {status[:15]:15} {o['wall_seconds']:6.2f} "
            f"{'' if solve is None else f'{solve:.2f}':>7} "
            f"{'' if gap is None else f'{gap:.3f}':>6} "
            f"{cost:>7} {amount:>7} "
            f"{_yes(evaluation['every_target'] if evaluation else False):>4} | "
            f"{'':9} {_days_cell(b, 'fiber'):>4} {_days_cell(b, 'prebiotic'):>4} "
            f"{_days_cell(b, 'fermented'):>4} {_days_cell(b, 'energy'):>4} "
            f"{_yes(b['mediterranean_all'] if b else None):>3} "
            f"{_yes(b['within_budget'] if b else None):>3} "
            f"{_yes(b['every_target'] if b else None):>3}"
        )


def print_summary(summary: dict[str, Any]) -> None:
    t_all, t_week = summary["timing_all"], summary["timing_7x4"]
    print()
    print(f"Profiles: {summary['profiles']}   status: {summary['status_counts']}")
    load = summary.get("load_average_1min", {})
    print(f"1-min load average during the run: {load.get('min')} - {load.get('max')} "
          f"({os.cpu_count()} CPUs; above ~2 other work competed for the cores)")
    for label, t in (("all profiles", t_all), ("7 days x 4 meals", t_week)):
        mp, sv = t["make_plan"], t["solver"]
        print(f"make_plan wall time, {label} (n={mp['n']}): p50 {mp['p50']} s, "
              f"p95 {mp['p95']} s, max {mp['max']} s;  solver wall_seconds p50 {sv['p50']} s, "
              f"p95 {sv['p95']} s")
        phases = ", ".join(f"{name} p50 {v['p50']} s (n={v['n']})"
                           for name, v in t["phases"].items() if v["n"])
        print(f"  phases, {label}: {phases}")
    with_plan = t_week["make_plan_with_plan"]
    if with_plan["n"]:  # the goal counts the explained too (explanations: p95 <= 2 s of their own)
        print(f"  7 days x 4 meals with a plan (n={with_plan['n']}): p50 {with_plan['p50']} s, "
              f"p95 {with_plan['p95']} s, max {with_plan['max']} s")
    goal = summary["goal_7x4"]
    p50_met = "MET" if goal["p50_within_budget"] else "NOT MET"
    p95_met = "MET" if goal["p95_within_budget"] else "NOT MET"
    print(f"Goal (7x4): p50 <= {GOAL_P50_SECONDS:g} s {p50_met}, "
          f"p95 <= {GOAL_P95_SECONDS:g} s {p95_met}")
    print(f"Proven optimal: {_pct(summary['share_optimal'])}   with a plan: "
          f"{_pct(summary['share_with_plan'])}   mean gap {summary['mean_gap']} "
          f"(median {summary['median_gap']}; over the {summary['plans_with_gap']} plans with a "
          f"proven bound)")
    print(f"Plans came from: {summary['plan_sources']}")
    print(f"Peak memory of the bench process: {summary.get('peak_rss_mib')} MiB")
    print()
    o, b = summary["optimizer"], summary["baseline"]
    print(f"{'share meeting':44} {'optimizer':>10} {'baseline':>10}")
    rows = [(f"days: {k}", o["days_meeting"][k], b["days_meeting"][k])
            for k in (*REPORTED_DAILY, "sodium", "saturated_fat")]
    rows += [
        ("plans: every Mediterranean rule", o["mediterranean_all"], b["mediterranean_all"]),
        *[(f"  plans: med rule {k}", o["mediterranean_by_rule"].get(k),
           b["mediterranean_by_rule"].get(k)) for k in b["mediterranean_by_rule"]],
        (f"plans: within budget (n={o['requests_with_budget']} with a budget)",
         o["within_budget"], b["within_budget"]),
        ("plans: plant-foods target (soft by default)", o["plants_target_met"],
         b["plants_target_met"]),
        ("plans: variety rules (context, not a target)", o["variety_rules_met"],
         b["variety_rules_met"]),
        ("requests: every target", o["every_target"], b["every_target"]),
        ("plans: every nutrient a dietitian checks (met or covered)", o["nutrients_all"],
         b["nutrients_all"]),
        *[(f"  plans: {k}", o["nutrients_by_name"].get(k), b["nutrients_by_name"].get(k))
          for k in sorted(o["nutrients_by_name"])],
    ]
    for label, a, c in rows:
        print(f"{label:44} {_pct(a):>10} {_pct(c):>10}")
    print("(status /P: plan from the local search and CP-SAT polish, /W: the full weekly "
          "CP-SAT solve, /E: the explanation's relaxed search)")
    ref = summary["reference"]
    if ref["n"]:
        print(f"Objective above the longer reference search (n={ref['n']}): mean "
              f"{_pct(ref['mean_excess'])}, median {_pct(ref['median_excess'])}, "
              f"max {_pct(ref['max_excess'])}")
    gains = summary["polish_gains"]
    if gains["n"]:
        print(f"CP-SAT polish improved {gains['improved']} of {gains['n']} search plans; "
              f"mean objective gain {_pct(gains['mean'])}, max {_pct(gains['max'])}")
    print("(a request without a plan counts as meeting nothing; baseline: "
          f"{summary['baseline_samples_per_profile']} random plan(s) per profile)")
    loud = (("CHECKER FAILURES", summary["checker_failures"]), ("CRASHES", summary["crashes"]),
            ("EVALUATION DISAGREES WITH CHECKER", summary["evaluation_disagreements"]),
            ("NO PLAN RETURNED THOUGH THE EXPLANATION FOUND ONE WITHIN BUDGET",
             summary["self_contradicting_explanations"]))
    for title, items in loud:
        if items:
            print()
            print(f"!!!!!! {title}: {len(items)} !!!!!!")
            for item in items:
                print(f"  {json.dumps(item)}")
    if not any(items for _t, items in loud):
        print("No checker failures, crashes, evaluation disagreements or self-contradicting "
              "explanations.")


def source_version() -> dict[str, Any]:
    """The commit measured, and whether the planner's files differ from it (read-only git)."""
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], cwd=BENCH_DIR.parent, capture_output=True,
                                  text=True, timeout=10, check=True)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip()

    changed = git("status", "--porcelain", "--", "mealplanner", "constraints", "foods")
    return {"commit": git("rev-parse", "--short", "HEAD"),
            "uncommitted_planner_changes": None if changed is None else bool(changed)}


def machine() -> dict[str, Any]:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "platform": platform.platform(),
            "python": platform.python_version(), "ortools": ortools.__version__}


# --- main -------------------------------------------------------------------------------------


def select(entries: list[dict], only: str | None, limit: int | None, parser, noun: str
           ) -> list[dict]:
    """The entries `--only` names (comma-separated; an unknown name is an error), then the
    first `--limit` of them, in their order: one reading for every bench."""
    chosen = list(entries)
    if only:
        wanted = set(only.split(","))
        unknown = wanted - {e["name"] for e in entries}
        if unknown:
            parser.error(f"unknown {noun}(s): {', '.join(sorted(unknown))}")
        chosen = [e for e in chosen if e["name"] in wanted]
    return chosen[:limit] if limit else chosen

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="run only the first N profiles")
    parser.add_argument("--out", type=Path, default=None,
                        help="JSON results (default bench/results/planner-<date>.json)")
    parser.add_argument("--only", default=None,
                        help="comma-separated profile names to run (seeds keep their index)")
    parser.add_argument("--baseline-samples", type=int, default=1,
                        help="random baseline plans per profile (default 1)")
    parser.add_argument("--reference-kicks", type=int, default=0,
                        help="also run the local search with this many rounds on each profile "
                             "with a plan and report how far the plan is from that (slower) "
                             "reference: no useful lower bound exists, see README")
    args = parser.parse_args(argv)
    today = dt.date.today().isoformat()
    out = args.out or BENCH_DIR / "results" / f"planner-{today}.json"

    started = time.perf_counter()
    catalog = load_catalog()
    catalog_seconds = time.perf_counter() - started
    probes = install_probes()
    source = source_version()
    print(f"commit {source['commit']}, uncommitted planner changes: "
          f"{source['uncommitted_planner_changes']}; {len(catalog.recipes)} recipes, "
          f"{len(catalog.foods)} foods", flush=True)
    # Warm-up (imports, first model): not recorded.
    service.make_plan(PlanRequestSchema().load(
        {"days": 1, "meals": ["lunch"], "time_limit_seconds": 1}), catalog)

    picked = {id(p) for p in select(PROFILES, args.only, args.limit, parser, "profile")}
    chosen = [(i, p) for i, p in enumerate(PROFILES) if id(p) in picked]
    records, requests = [], []
    for position, (index, profile) in enumerate(chosen):
        load_before = os.getloadavg()[0]
        data = request_dict(profile)
        request = PlanRequestSchema().load(data)
        prepared = prepare(request, catalog)
        optimizer = run_optimizer(request, catalog, probes, prepared)
        if args.reference_kicks and "evaluation" in optimizer:
            optimizer["reference"] = reference(prepared, args.reference_kicks,
                                               optimizer.get("solver", {}).get("objective"))
        baseline = run_baseline(index, args.baseline_samples, request, catalog, prepared)
        record = {"index": index, "name": profile["name"], "request": data,
                  "optimizer": optimizer, "baseline": baseline,
                  "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)]}
        if "evaluation" in optimizer and not optimizer["checker_problems"]:
            record["disagreement"] = unmet(optimizer["evaluation"], request)
        records.append(record)
        requests.append(request)
        print(f"[{position + 1}/{len(chosen)}] {profile['name']}: {optimizer['status']} in "
              f"{optimizer['wall_seconds']:.2f} s"
              + (f" -- {optimizer['crash']}" if optimizer["crash"] else ""), flush=True)
        if optimizer["checker_problems"]:
            print(f"!!!!!! CHECKER FAILURE on {profile['name']}: "
                  f"{optimizer['checker_problems']}", flush=True)

    summary = summarize(records, requests)
    # ru_maxrss is in KiB on Linux: the whole process (catalog, models, search arrays)
    summary["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    loads = [x for r in records for x in r["load_average_1min"]]
    summary["load_average_1min"] = {"min": min(loads, default=None),
                                    "max": max(loads, default=None)}
    print()
    print_profile_table(records)
    print_summary(summary)

    results = {
        "date": today,
        "machine": machine(),
        "source": source,
        "catalog": {"foods": len(catalog.foods), "recipes": len(catalog.recipes),
                    "load_seconds": round(catalog_seconds, 3)},
        "arguments": {"limit": args.limit, "only": args.only,
                      "baseline_samples": args.baseline_samples,
                      "reference_kicks": args.reference_kicks},
        "total_seconds": round(time.perf_counter() - started, 1),
        "summary": summary,
        "profiles": records,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, default=str) + "\n")
    print(f"\nResults written to {out}")
    return 1 if summary["checker_failures"] or summary["crashes"] else 0


if __name__ == "__main__":
    sys.exit(main())
