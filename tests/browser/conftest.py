"""The browser every browser test drives (Debian's chromium, headless) and the site it opens:
the app in a thread on a fresh SQLite database of each test module's own."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.test_browser import ARGS, CHROMIUM, serve


@pytest.fixture(scope="module")
def chrome():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site(request, tmp_path_factory):
    """(app, url) of the app serving this module's tests, on its own database."""
    app, url, stop = serve(tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1]))
    yield app, url
    stop()
