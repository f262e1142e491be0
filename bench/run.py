"""Runs every benchmark (bench/bench_*.py) and prints one table.

Each module exposes BENCHMARKS: callables taking the options and returning a
list of Result rows. The database is whatever DATABASE_URL says (a fresh
SQLite file under CONCEJO_DATA_DIR by default); it is migrated first.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concejo.conf.settings")


@dataclass
class Result:
    metric: str
    dataset: str
    value: float
    unit: str


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--label", default="", help="Database label for the table.")
    parser.add_argument("--only", default="", help="Run only benchmarks whose name contains this.")
    parser.add_argument("--scale", type=float, default=1.0, help="Multiply dataset sizes.")
    options = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    label = options.label or connection.vendor
    rows: list[Result] = []
    import bench

    for module_info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda m: m.name):
        if not module_info.name.startswith("bench_"):
            continue
        module = importlib.import_module(f"bench.{module_info.name}")
        for benchmark in module.BENCHMARKS:
            if options.only and options.only not in benchmark.__name__:
                continue
            rows.extend(benchmark(options))

    cores = os.cpu_count()
    print(f"\nConcejo benchmarks · database: {label} · machine: {cores} cores")
    print(f"{'metric':<48} {'dataset':<34} {'value':>12}  unit")
    for row in rows:
        print(f"{row.metric:<48} {row.dataset:<34} {row.value:>12.1f}  {row.unit}")
    failed = [r for r in rows if r.unit == "errors" and r.value > 0]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
