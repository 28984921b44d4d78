"""The browser every browser test drives: Debian's chromium, headless."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.test_browser import ARGS, CHROMIUM


@pytest.fixture(scope="module")
def chrome():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=ARGS)
        yield browser
        browser.close()
