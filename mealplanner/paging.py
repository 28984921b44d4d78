"""Page arithmetic shared by the API's paginated lists and the browse pages.

Pages count from 1. The API answers a page past the last with an empty list (its X-Pagination
header says where the pages are); the browse pages show the last page instead (`clamped`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PageWindow:
    number: int  # the page asked for, from 1
    size: int  # items per page
    total: int  # items over all pages

    @property
    def page_count(self) -> int:
        """Pages that hold items (0 when there are none)."""
        return -(-self.total // self.size)

    @property
    def pages(self) -> int:
        """Pages to show: at least one, if only to say that nothing matches."""
        return max(1, self.page_count)

    @property
    def start(self) -> int:
        return (self.number - 1) * self.size

    @property
    def stop(self) -> int:
        return min(self.total, self.start + self.size)

    @property
    def first(self) -> int:
        """The 1-based position of the page's first item (0 on an empty page)."""
        return self.start + 1 if self.start < self.total else 0

    @property
    def last(self) -> int:
        return self.stop if self.first else 0

    def clamped(self) -> PageWindow:
        """The same window moved onto the pages that exist (page 1 to the last)."""
        return PageWindow(min(max(1, self.number), self.pages), self.size, self.total)

    def metadata(self) -> dict[str, int]:
        """The API's X-Pagination fields: total, total_pages and, when there are items,
        first_page, last_page and (on an existing page) page, previous_page, next_page."""
        data = {"total": self.total, "total_pages": self.page_count}
        if self.total:
            data.update(first_page=1, last_page=self.page_count)
            if self.number <= self.page_count:
                data["page"] = self.number
                if self.number > 1:
                    data["previous_page"] = self.number - 1
                if self.number < self.page_count:
                    data["next_page"] = self.number + 1
        return data


@dataclass(frozen=True)
class Page(PageWindow):
    items: Sequence[Any] = ()


def page_of(items: Sequence[Any], number: int, size: int) -> Page:
    """One page of `items` for a browse page: a page number out of range shows the nearest."""
    window = PageWindow(number, size, len(items)).clamped()
    return Page(window.number, size, len(items), items[window.start:window.stop])
