"""The failure hook of tests/e2e/conftest.py: a failed browser test leaves a screenshot of every page it had
open, in the `page` fixture's context and in the contexts it opened itself (as test_loop.py does)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page

from tests.e2e import conftest as e2e

COLOURS = {"red": (255, 0, 0), "green": (0, 128, 0), "blue": (0, 0, 255)}


def painted(page: Page, colour: str) -> None:
    page.set_content(f"<body style='margin:0;background:{colour}'><div style='height:200px'></div></body>")


def report(item: pytest.Item, *, when: str, outcome: str) -> pytest.TestReport:
    return pytest.TestReport(
        nodeid=item.nodeid,
        location=item.location,
        keywords={},
        outcome=outcome,  # type: ignore[arg-type]  # a literal of pytest's, given as a plain string here
        longrepr=None if outcome == "passed" else "AssertionError",
        when=when,  # type: ignore[arg-type]  # likewise
    )


def test_a_failure_leaves_a_screenshot_of_every_page_in_every_context_the_test_opened(
    browser: Browser,
    page: Page,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(e2e, "ARTIFACTS", tmp_path)
    painted(page, "red")  # the fixture's page
    own = browser.new_context(viewport={"width": 400, "height": 300})  # as test_loop.new_page() does
    painted(own.new_page(), "green")
    painted(own.new_page(), "blue")

    assert e2e.on_report(request.node, report(request.node, when="call", outcome="passed")) == []
    assert e2e.on_report(request.node, report(request.node, when="teardown", outcome="failed")) == []
    assert list(tmp_path.iterdir()) == []

    saved = e2e.on_report(request.node, report(request.node, when="call", outcome="failed"))
    assert sorted(saved) == sorted(tmp_path.iterdir())
    assert len(saved) == 3
    seen = set()
    for path in saved:
        assert path.name.startswith("tests_e2e_test_screenshots.py_")
        with Image.open(path) as image:
            seen.add(image.convert("RGB").getpixel((5, 5)))
    assert seen == set(COLOURS.values())  # each page once, none missed


def test_a_test_with_one_page_gets_one_file_named_after_it(
    page: Page, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(e2e, "ARTIFACTS", tmp_path)
    painted(page, "blue")
    saved = e2e.on_report(request.node, report(request.node, when="call", outcome="failed"))
    stem = request.node.nodeid.replace("/", "_").replace("::", "_")
    assert saved == [tmp_path / f"{stem}.png"] and saved[0].is_file()
