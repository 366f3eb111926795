"""Smart dispatch: accuracy on the labelled set's held-out fifth, and suggestion latency.

    .venv/bin/python bench/dispatch_bench.py [--repeat 20] [--write]

Accuracy: top-1 and top-3 for category and lead unit, for the model, the majority class and the keyword
rules alone (tests/dispatch/data/, docs/dispatch.md). Latency: one suggestion (segmenting, TF-IDF, both
classifiers, the reasons and the nearest past opinions) against the keyword rules' ranking of the same
text, p50/p95 over every held-out opinion × `--repeat`, in the same run. `--write` replaces the "Smart
dispatch" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.config.settings")
os.environ.setdefault("TAIZHANG_TESTING", "1")  # a SECRET_KEY; nothing is served, no database is used

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "dispatch" / "data"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(function: Callable[[], object], repeat: int) -> list[float]:
    function()  # warm-up
    times = []
    for _round in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def rank_both(rules: Any, text: str) -> tuple[list[str], list[str]]:
    return rules.rank_categories(text), rules.rank_units(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    arguments = parser.parse_args()

    import django  # noqa: PLC0415

    django.setup()
    from taizhang.dispatch import engine, quality  # noqa: PLC0415
    from taizhang.search.text import normalise  # noqa: PLC0415

    samples = quality.load_labelled(DATA / "labelled.jsonl")
    rules = quality.load_rules(DATA / "keywords.json")
    report = quality.evaluate(samples, rules)

    cut = quality.segmenter(samples).cut
    train, held_out = engine.split(samples)
    start = time.perf_counter()
    bundle = engine.fit(train, cut=cut)
    fit_ms = (time.perf_counter() - start) * 1000
    model_ms: list[float] = []
    rules_ms: list[float] = []
    for sample in held_out:
        text = normalise(f"{sample.text} {sample.place}")
        model_ms += timed(
            partial(engine.predict, bundle, sample.text, sample.place, sample.channel, cut=cut),
            arguments.repeat,
        )
        rules_ms += timed(partial(rank_both, rules, text), arguments.repeat)

    def row(name: str, scores: dict[str, quality.Scores]) -> str:
        c, u = scores["category"], scores["unit"]
        return f"| {name} | {c.top1:.1%} | {c.top3:.1%} | {u.top1:.1%} | {u.top3:.1%} |"

    p95_model, p95_rules = percentile(model_ms, 0.95), percentile(rules_ms, 0.95)
    section = "\n".join(
        [
            "## Smart dispatch (`bench/dispatch_bench.py`)",
            "",
            f"The labelled set `tests/dispatch/data/labelled.jsonl` ({len(samples)} opinions, 13 categories, "
            "15 units; written for the tests, see docs/dispatch.md), split once with a fixed seed: "
            f"{report.train} to learn from, {report.held_out} held out. The keyword rules are "
            "`tests/dispatch/data/keywords.json` (category keywords scored as `intake/suggest.py` scores "
            "them, "
            "keyword → unit rules). `tests/dispatch/test_quality.py` fails below the committed floors "
            "(category top-1 ≥ 78 %, top-3 ≥ 92 %; unit top-1 ≥ 75 %, top-3 ≥ 90 %; the model ≥ 3 points "
            "above the keyword rules on top-1).",
            "",
            "| held-out accuracy | category top-1 | category top-3 | unit top-1 | unit top-3 |",
            "| --- | ---: | ---: | ---: | ---: |",
            row("model (TF-IDF + logistic regression)", report.model),
            row("keyword rules alone", report.keywords),
            row("majority class", report.majority),
            "",
            f"Latency of one suggestion, {len(model_ms)} runs ({len(held_out)} held-out opinions × "
            f"{arguments.repeat}), Python {platform.python_version()}, the shared 2-core machine with a load "
            f"average of {os.getloadavg()[0]:.1f} during the run (other people's tests: the p95s are mostly "
            "waiting for a core) (ms):",
            "",
            "| | p50 | p95 | p95 ÷ keyword rules' p95 |",
            "| --- | ---: | ---: | ---: |",
            f"| model suggestion (with reasons and neighbours) | {statistics.median(model_ms):.2f} | "
            f"{p95_model:.2f} | {p95_model / p95_rules:.0f} |",
            f"| keyword rules alone | {statistics.median(rules_ms):.3f} | {p95_rules:.3f} | 1 |",
            "",
            f"Training on {report.train} opinions: {fit_ms:.0f} ms. In production a suggestion adds two "
            "small queries (the active version, the rules) and one insert to the submission; the fitted "
            "model is loaded once per process.",
            "",
        ]
    )
    print(section)
    if arguments.write:
        path = ROOT / "BENCHMARKS.md"
        text = path.read_text(encoding="utf-8")
        pattern = re.compile(r"## Smart dispatch.*?(?=\n## |\Z)", re.DOTALL)
        text = (
            pattern.sub(section.rstrip("\n") + "\n", text)
            if pattern.search(text)
            else text.rstrip("\n") + "\n\n" + section
        )
        path.write_text(text, encoding="utf-8")
        print("BENCHMARKS.md updated", file=sys.stderr)


if __name__ == "__main__":
    main()
