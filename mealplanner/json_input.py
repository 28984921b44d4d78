"""JSON from outside, read so that what no field may hold is named, never a 500.

Python's json module reads numbers of any length (and a 5,001-digit integer raises ValueError
deep in the parser: a 500), NaN and Infinity (which JSON does not have), and strings holding
the NUL character (PostgreSQL cannot store \\u0000 in JSON: every later JSON query on the table
would fail). `loads` reads numbers of more than MAX_DIGITS digits and NaN/Infinity as
`Unreadable` values; `problems` names each of those, and each string with a NUL, by its path
("exclude_foods.0", "budget.amount"), for a 422 that says which field to fix.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

MAX_DIGITS = 100  # far past any quantity a plan has (grams, kcal, cents, seconds)
NUL_PROBLEM = "must not contain the NUL character (\\u0000)"


class Unreadable:
    """A value the parser did not turn into a number: why, for the field's error."""

    def __init__(self, problem: str) -> None:
        self.problem = problem

    def __repr__(self) -> str:
        return f"Unreadable({self.problem!r})"


def loads(text: str | bytes) -> Any:
    """json.loads, with over-long numbers and NaN/Infinity read as Unreadable values; raises
    json.JSONDecodeError (a ValueError) for text that is not JSON."""
    return json.loads(text, parse_int=_integer, parse_float=_number, parse_constant=_constant)


def _too_long(text: str) -> bool:
    return sum(c.isdigit() for c in text) > MAX_DIGITS


def _integer(text: str) -> int | Unreadable:
    if _too_long(text):
        return Unreadable(f"a number of more than {MAX_DIGITS} digits")
    return int(text)


def _number(text: str) -> float | Unreadable:
    if _too_long(text):
        return Unreadable(f"a number of more than {MAX_DIGITS} digits")
    return float(text)


def _constant(name: str) -> Unreadable:
    return Unreadable(f"{name} is not a number JSON allows")


def problems(value: Any, path: str = "") -> dict[str, list[str]]:
    """Each unreadable number and each string holding a NUL, by its dotted path."""
    found: dict[str, list[str]] = {}
    if isinstance(value, Unreadable):
        found[path or "body"] = [value.problem]
    elif isinstance(value, str):
        if "\x00" in value:
            found[path or "body"] = [NUL_PROBLEM]
    elif isinstance(value, Mapping):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                found[where.replace("\x00", "\\u0000")] = [f"a field name {NUL_PROBLEM}"]
            found.update(problems(item, where))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found.update(problems(item, f"{path}.{index}" if path else str(index)))
    return found


def nested(found: Mapping[str, list[str]]) -> dict[str, Any]:
    """Dotted paths as marshmallow nests its messages: {"budget": {"amount": [...]}}."""
    tree: dict[str, Any] = {}
    for path, messages in found.items():
        *parents, last = path.split(".")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = messages
    return tree
