"""Long listings split into pages of PER_PAGE cards, and the pager that links them.

Page 1 keeps the listing's own URL (/c/museum/), so links made before pagination keep
working; page n lives one folder down (/c/museum/2/). Everything is plain links: the pager
works without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass

# 50 cards are ~6 KB of gzip: a category page's first view (HTML, scripts, styles) stays
# near 80 KB gzip however large the atlas grows, and a phone scrolls 50 cards comfortably.
PER_PAGE = 50


def page_count(total: int, per_page: int = PER_PAGE) -> int:
    """How many pages ``total`` items fill; an empty listing still has its one page."""
    return max(1, -(-total // per_page))


def page_numbers(current: int, count: int, around: int = 1) -> list[int | None]:
    """The page numbers a pager shows, None for a gap ("…"): the first and last page and
    ``around`` pages either side of the current one, e.g. 1 … 4 5 6 … 40. A gap of a single
    page shows that page instead, which takes the same room: 1 2 3 4 … 40, not 1 … 3 4 … 40."""
    if not 1 <= current <= count:
        raise ValueError(f"page {current} of {count}")
    shown = sorted({1, count, *range(max(1, current - around), min(count, current + around) + 1)})
    numbers: list[int | None] = []
    previous = 0
    for n in shown:
        if n - previous == 2:
            numbers.append(n - 1)
        elif n - previous > 2:
            numbers.append(None)
        numbers.append(n)
        previous = n
    return numbers


def page_path(base: str, number: int) -> str:
    """The Markdown path of page ``number`` of the listing at ``base`` ("c/museum")."""
    return f"{base}.md" if number == 1 else f"{base}/{number}.md"


@dataclass(frozen=True)
class Pager:
    number: int  # this page, from 1
    count: int  # pages in the listing
    total: int  # items across all its pages

    def href(self, number: int) -> str:
        """A relative link from this page to page ``number`` of the same listing."""
        up = "../" if self.number > 1 else ""
        return (up + (f"{number}/" if number > 1 else "")) or "./"

    @property
    def previous(self) -> str:
        return self.href(self.number - 1) if self.number > 1 else ""

    @property
    def next(self) -> str:
        return self.href(self.number + 1) if self.number < self.count else ""

    @property
    def links(self) -> list[dict | None]:
        return [
            {"number": n, "href": self.href(n), "current": n == self.number} if n else None
            for n in page_numbers(self.number, self.count)
        ]
