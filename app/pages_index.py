"""The steps of the guided flow, in order: one list read by the navigation and the
"next step" buttons, so the order is written once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageInfo:
    path: str  # relative to app/main.py, as st.Page and AppTest.switch_page want it
    title: str
    icon: str
    url: str


PAGES: list[PageInfo] = [
    PageInfo("app_pages/works.py", "1 · Works", ":material/description:", "works"),
    PageInfo("app_pages/protection.py", "1b · Protected at all?", ":material/copyright:", "protection"),
    PageInfo("app_pages/evidence.py", "2 · Evidence", ":material/compare:", "evidence"),
    PageInfo("app_pages/factor_1.py", "3a · Factor 1: purpose", ":material/flag:", "factor-1"),
    PageInfo("app_pages/factor_2.py", "3b · Factor 2: nature", ":material/menu_book:", "factor-2"),
    PageInfo("app_pages/factor_3.py", "3c · Factor 3: amount", ":material/straighten:", "factor-3"),
    PageInfo("app_pages/factor_4.py", "3d · Factor 4: market", ":material/storefront:", "factor-4"),
    PageInfo("app_pages/assessment.py", "4 · Assessment", ":material/balance:", "assessment"),
    PageInfo("app_pages/memo.py", "5 · Memo", ":material/picture_as_pdf:", "memo"),
]


def next_page(path: str) -> PageInfo | None:
    idx = [p.path for p in PAGES].index(path)
    return PAGES[idx + 1] if idx + 1 < len(PAGES) else None


def previous_page(path: str) -> PageInfo | None:
    idx = [p.path for p in PAGES].index(path)
    return PAGES[idx - 1] if idx > 0 else None
