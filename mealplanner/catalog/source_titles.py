"""The title of a source key (`ndsu_lentil`) as foods/SOURCES.md cites it, for pages.

A page names the work behind a figure ("Johnson CR, Thavarajah D et al. "Prebiotics in
Lentil", North Dakota State University"), never the key a data file uses for it.
"""

from __future__ import annotations

import re
from functools import cache

from mealplanner.paths import foods_dir

ROW = re.compile(r"^\|\s*`(?P<key>[a-z0-9_]+)`\s*\|\s*(?P<citation>[^|]+)\|")
# a citation's title ends where its detail begins: a colon, a bracket or "as reproduced"
TITLE_END = re.compile(r":\s|\s\(|,\s+as reproduced")


@cache
def source_titles() -> dict[str, str]:
    """Source key -> short citation, from the tables of foods/SOURCES.md."""
    path = foods_dir() / "SOURCES.md"
    if not path.exists():
        return {}
    titles, in_keys = {}, False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            in_keys = in_keys or line.replace(" ", "").startswith("|key|citation|")
        else:
            in_keys = False
        match = ROW.match(line) if in_keys else None
        if match:
            citation = match["citation"].replace("*", "").strip()
            end = TITLE_END.search(citation)
            titles.setdefault(match["key"], (citation[:end.start()] if end else citation)
                              .strip(" .,;"))
    return titles


def source_title(key: str | None) -> str:
    """The source's title, or the key in words when SOURCES.md does not cite it."""
    if not key:
        return ""
    return source_titles().get(key) or key.replace("_", " ")
