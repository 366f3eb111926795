"""Benchmark: importing a 100,000-row ledger workbook, against only reading the same file.

    .venv/bin/python bench/excel_import_bench.py [--rows 100000] [--database postgres://…]

Generates the workbook (title, header, section rows, units merged down over groups of rows, mixed date
forms and states), then in separate processes (so each peak memory is its own): reads it only (the streamed
reader, merged cells included), checks it (dry run), imports it (all or nothing: one transaction), imports it
again (every row unchanged), and verifies the event chains. Prints a Markdown table for BENCHMARKS.md.
Default database: a fresh SQLite file in a temporary directory. Not run in CI.
"""

# Imports follow django.setup() in each phase's process; the subprocess runs this file; the password is a
# throwaway account in a temporary database.
# ruff: noqa: PLC0415, S603, S106

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
UNITS = [f"第{number}车间" for number in range(1, 21)]
CATEGORIES = ["形式主义", "官僚主义", "享乐主义", "奢靡之风", "路灯照明"]
STATES = ["未启动", "整改中", "整改中", "已完成"]
DATES = ["2014年9月30日", "2014.10.15", "2014/11/30", "2014-12-31", "9月底前", "10月中旬", "长期坚持", None]
GROUP = 5  # rows under one merged unit / leader cell


def generate(path: Path, rows: int) -> None:
    from openpyxl import Workbook
    from openpyxl.worksheet.cell_range import CellRange

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("台账")
    sheet.merged_cells.ranges.add(CellRange("A1:N1"))
    header = [
        "序号",
        "问题来源",
        "存在问题",
        "问题类别",
        "整改措施",
        "责任单位",
        "责任领导",
        "责任人",
        "完成时限",
    ]
    header += ["整改进展", "完成数量", "整改状态", "销号时间", "群众满意度"]
    sheet.append(["2014年党的群众路线教育实践活动整改台账（基准测试）"])
    sheet.append(header)
    row_number = 2
    written = 0
    while written < rows:
        section = written // 1000
        # sections are unique, as in a real ledger: 序号 restarts in each
        sheet.append([f"{'一二三四五'[section % 5]}、{CATEGORIES[section % 5]}方面（第{section + 1}批）"])
        row_number += 1
        sheet.merged_cells.ranges.add(CellRange(f"A{row_number}:N{row_number}"))
        size = min(1000, rows - written)
        for offset in range(size):
            number = written + 1
            first_of_group = offset % GROUP == 0
            date = DATES[number % len(DATES)] or dt.datetime(2014, 9, 1) + dt.timedelta(days=number % 120)  # noqa: DTZ001
            state = STATES[number % len(STATES)]
            sheet.append(
                [
                    offset + 1,
                    "职工座谈会",
                    f"第{number}号问题：生活区第{number % 97}号楼附近路灯不亮，影响职工夜间出行",
                    None,
                    "更换灯具，检修线路",
                    UNITS[(number // GROUP) % len(UNITS)] if first_of_group else None,
                    "原卫平" if first_of_group else None,
                    "侯同义",
                    date,
                    "已更换部分灯具" if state != "未启动" else None,
                    f"{number % 10}/10盏",
                    state,
                    "2014-10-08" if state == "已完成" else None,
                    None,
                ]
            )
            row_number += 1
            if first_of_group:
                last = min(row_number + GROUP - 1, row_number + (size - offset) - 1)
                if last > row_number:
                    sheet.merged_cells.ranges.add(CellRange(f"F{row_number}:F{last}"))
                    sheet.merged_cells.ranges.add(CellRange(f"G{row_number}:G{last}"))
            written += 1
    workbook.save(path)


def _django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.config.settings")
    import django

    django.setup()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_read(path: Path) -> dict[str, Any]:
    _django()
    from taizhang.excel.reading import LedgerFile

    started = time.perf_counter()
    count = 0
    with path.open("rb") as handle, LedgerFile(handle, path.name) as ledger:
        for _row in ledger.rows:
            count += 1
    return {"rows": count, "seconds": time.perf_counter() - started, "peak_mb": _peak_mb()}


def phase_setup() -> dict[str, Any]:
    _django()
    from django.core.management import call_command

    from taizhang.ledger.models import Category
    from taizhang.org import services as org
    from taizhang.org.models import Role, Unit

    call_command("migrate", verbosity=0)
    root = org.unit_create(name="山西铝厂", code="sxlc", kind=Unit.Kind.ENTERPRISE)
    for index, name in enumerate(UNITS):
        org.unit_create(name=name, code=f"ws{index}", parent=root)
    supervisor = org.person_create(username="yang", name="杨朝晖", unit=root, password="bench-only-password")
    org.role_grant(person=supervisor, role=Role.SUPERVISOR, unit=root)
    org.person_create(username="yuan", name="原卫平", unit=root)
    org.person_create(username="hou", name="侯同义", unit=root)
    for index, name in enumerate(CATEGORIES):
        Category.objects.create(name=name, code=f"c{index}")
    return {}


def phase_import(path: Path, dry_run: bool) -> dict[str, Any]:
    _django()
    from taizhang.excel import jobs
    from taizhang.org.models import Person

    user = Person.objects.get(username="yang")
    job = jobs.import_job_create(user=user, path=str(path))
    started = time.perf_counter()
    job = jobs.import_job_check(job=job) if dry_run else jobs.import_job_run(job=job)
    seconds = time.perf_counter() - started
    if job.error:
        raise SystemExit(job.error)
    return {
        "rows": job.counts.get("rows_read", 0),
        "counts": job.counts,
        "seconds": seconds,
        "peak_mb": _peak_mb(),
    }


def phase_verify() -> dict[str, Any]:
    _django()
    from taizhang.ledger.integrity import verify_chains
    from taizhang.ledger.models import Event, Problem

    started = time.perf_counter()
    broken = list(verify_chains())
    return {
        "broken": len(broken),
        "problems": Problem.objects.count(),
        "events": Event.objects.count(),
        "seconds": time.perf_counter() - started,
    }


def run(phase: str, *arguments: str, env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--phase", phase, *arguments],
        check=False,
        capture_output=True,
        text=True,
        env=env,
    )
    if done.returncode:
        raise SystemExit(f"{phase} failed:\n{done.stderr[-3000:]}")
    output = done.stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", help="DATABASE_URL (default: a fresh SQLite file)")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.phase:
        path = Path(options.file) if options.file else Path()
        result = {
            "read": lambda: phase_read(path),
            "setup": phase_setup,
            "check": lambda: phase_import(path, dry_run=True),
            "import": lambda: phase_import(path, dry_run=False),
            "verify": phase_verify,
        }[options.phase]()
        print(json.dumps(result, ensure_ascii=False, default=str))
        return
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "TAIZHANG_DATA_DIR": folder, "SECRET_KEY": "bench-only", "LOG_LEVEL": "WARNING"}
        if options.database:
            env["DATABASE_URL"] = options.database
        path = Path(folder) / "ledger.xlsx"
        started = time.perf_counter()
        generate(path, options.rows)
        size = path.stat().st_size / 1e6
        print(
            f"generated {options.rows:,} rows ({size:.1f} MB) in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        run("setup", env=env)
        results = {
            "read only": run("read", "--file", str(path), env=env),
            "check (dry run)": run("check", "--file", str(path), env=env),
            "import (all or nothing)": run("import", "--file", str(path), env=env),
            "re-import (all unchanged)": run("import", "--file", str(path), env=env),
        }
        verified = run("verify", env=env)
    database = "PostgreSQL" if options.database else "SQLite"
    print(f"\n{options.rows:,} data rows, {database}:\n")
    print("| phase | seconds | rows/s | × read time | peak RSS (MB) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    read_seconds = results["read only"]["seconds"]
    for name, result in results.items():
        rate = result["rows"] / result["seconds"]
        ratio = result["seconds"] / read_seconds
        print(f"| {name} | {result['seconds']:.1f} | {rate:,.0f} | {ratio:.1f} | {result['peak_mb']:.0f} |")
    print(f"\nimport counts: {results['import (all or nothing)']['counts']}")
    print(f"re-import counts: {results['re-import (all unchanged)']['counts']}")
    print(
        f"verify: {verified['problems']:,} problems, {verified['events']:,} events, "
        f"{verified['broken']} broken, {verified['seconds']:.1f} s; load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    main()
