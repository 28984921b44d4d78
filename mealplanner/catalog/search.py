"""Word search over names, shared by the JSON API and the browse pages."""

from __future__ import annotations


def words(text: str) -> list[str]:
    """Lower-case words; ids count as names, so '_' and '-' separate words too."""
    return text.lower().replace("_", " ").replace("-", " ").split()


def matches_name(query: str | None, *names: str) -> bool:
    """Every word of the query appears in one of the names; an empty query matches all."""
    if not query:
        return True
    haystack = " ".join(" ".join(words(n)) for n in names)
    return all(word in haystack for word in words(query))
