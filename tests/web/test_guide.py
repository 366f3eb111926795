"""docs/guide.zh-CN.md: it exists, every picture it shows is there, and every picture is one the browser test
of the whole loop takes (tests/e2e/test_loop.py, `TAIZHANG_GUIDE_SCREENSHOTS=1 make test-e2e` refreshes them),
taken on the phone or the desk screen that test uses for that step."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from PIL import Image

from tests.e2e import test_loop

DOCS = Path(__file__).resolve().parents[2] / "docs"
GUIDE = DOCS / "guide.zh-CN.md"
LOOP = Path(test_loop.__file__)


def pictures() -> list[str]:
    """The images the guide shows, as paths relative to docs/."""
    return re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", GUIDE.read_text(encoding="utf-8"))


def screenshots_taken() -> dict[str, bool]:
    """{name: taken on the phone?} for each `shot(page, "name")` in the loop test, from its source: a page is
    a phone's when it was opened with `new_page(browser, mobile=True)`."""
    tree = ast.parse(LOOP.read_text(encoding="utf-8"))
    phones = {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id == "new_page"
        and any(ast.unparse(keyword) == "mobile=True" for keyword in node.value.keywords)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    taken: dict[str, bool] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "shot":
            page, name = node.args
            assert isinstance(page, ast.Name) and isinstance(name, ast.Constant), ast.unparse(node)
            assert name.value not in taken, f"two screenshots named {name.value}"
            taken[str(name.value)] = page.id in phones
    return taken


def test_the_guide_exists_with_a_part_per_role() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert text.startswith("# 台账 使用指南")
    for part in ("员工群众", "督导组", "经办人与责任领导", "公示栏"):
        assert re.search(rf"^## .*{part}", text, re.MULTILINE), part


def test_every_picture_of_the_guide_exists_and_is_a_png() -> None:
    shown = pictures()
    assert shown, "the guide shows no screenshots"
    for relative in shown:
        path = DOCS / relative
        assert path.is_file(), f"{relative} is missing"
        with Image.open(path) as image:
            assert image.format == "PNG", relative


def test_the_guide_shows_exactly_the_screenshots_the_browser_test_takes() -> None:
    taken = screenshots_taken()
    assert len(taken) >= 7  # the loop's steps, from the submission to the board
    assert sorted(pictures()) == sorted(f"guide/{name}.png" for name in taken)
    on_disk = sorted(path.name for path in (DOCS / "guide").glob("*.png"))
    assert on_disk == sorted(f"{name}.png" for name in taken)  # nothing stale left behind


def test_each_screenshot_has_the_size_of_the_screen_it_was_taken_on() -> None:
    for name, on_phone in screenshots_taken().items():
        viewport = test_loop.PHONE if on_phone else test_loop.DESK
        with Image.open(DOCS / "guide" / f"{name}.png") as image:
            assert image.size == (viewport["width"], viewport["height"]), name
