"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser) against a live server.

A failing test leaves a screenshot of every page it had open, in every browser context it created (the `page`
fixture's and those a test opens itself with `browser.new_context()`), in test-artifacts/:
`<test id>[-<context>-<page>].png`. Contexts a test created are closed after it, failed or not.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = os.environ.get("TAIZHANG_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; the live server's ORM calls from the test body are
# still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    created = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    yield created
    created.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened
    opened.close()


#: The browser and the contexts it already had when a test started; what is new belongs to the test.
CONTEXTS_BEFORE = pytest.StashKey[tuple[Browser, frozenset[BrowserContext]]]()


@pytest.fixture(autouse=True)
def _contexts_of_the_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """Remember which contexts exist before the test, so the failure hook finds the ones it created (also
    those opened without a fixture), and close those afterwards."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser: Browser = request.getfixturevalue("browser")
    request.node.stash[CONTEXTS_BEFORE] = (browser, frozenset(browser.contexts))
    yield
    for created in contexts_created(request.node):
        # A route handler still busy with a request of a page being closed would raise into the next test
        # ("Fetch response has been disposed"): drop the handlers first, ignoring their errors.
        for opened in created.pages:
            opened.unroute_all(behavior="ignoreErrors")
        created.unroute_all(behavior="ignoreErrors")
        created.close()


def contexts_created(item: pytest.Item) -> list[BrowserContext]:
    browser, before = item.stash.get(CONTEXTS_BEFORE, (None, frozenset()))
    return [] if browser is None else [context for context in browser.contexts if context not in before]


def save_screenshots(
    nodeid: str, contexts: Iterable[BrowserContext], folder: Path | None = None
) -> list[Path]:
    """A full-page screenshot of every open page of `contexts`; one that cannot be taken (a crashed page)
    must not hide the test's own failure, so it is skipped."""
    folder = folder or ARTIFACTS
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", nodeid)[-150:]
    pages = [(c, p, opened) for c, context in enumerate(contexts) for p, opened in enumerate(context.pages)]
    saved: list[Path] = []
    for c, p, opened in pages:
        path = folder / (f"{stem}.png" if len(pages) == 1 else f"{stem}-{c}-{p}.png")
        try:
            opened.screenshot(path=str(path), full_page=True, timeout=5_000)
        except PlaywrightError:
            continue
        saved.append(path)
    return saved


def on_report(item: pytest.Item, report: pytest.TestReport) -> list[Path]:
    """After a failed test (or a failed set-up), while its pages are still open: screenshot them."""
    if report.when not in ("setup", "call") or not report.failed:
        return []
    contexts = contexts_created(item)
    return save_screenshots(item.nodeid, contexts) if contexts else []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Iterator[None]:
    outcome = yield
    on_report(item, outcome.get_result())  # type: ignore[attr-defined]  # pluggy's result object


def log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
