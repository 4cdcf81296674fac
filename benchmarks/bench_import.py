"""Benchmark: import the whole synthetic Klaten registry into a fresh SQLite (or PostgreSQL) database.

    python benchmarks/bench_import.py [--runs 3] [--data DIR] [--database-url postgresql://…]

Generates Klaten (seed 1, full scale) once into DIR (default: a temporary folder) unless it is
already there, then for each run imports households, persons, enterprises, survey and villages
into a new database and times each kind. Target (DESIGN §8): the whole registry ≤ 120 s on SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import git_revision, machine, summary

KINDS = ("households", "persons", "enterprises", "survey", "villages")


def fresh_postgres_database(url: str, name: str) -> str:
    """Drop and create database ``name`` on the server of ``url``; return its URL."""
    from urllib.parse import urlparse, urlunparse

    import psycopg

    parsed = urlparse(url)
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    return urlunparse(parsed._replace(path=f"/{name}"))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument(
        "--database-url", default=None, help="PostgreSQL URL; default: a new SQLite file"
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="tuntas-bench-"))
    data = args.data or work / "klaten"
    if not (data / "persons.parquet").exists():
        from tuntas.synth import synthesize, write_result

        write_result(synthesize("33.10", seed=1, scale=1.0), data, xlsx=False)
    import polars as pl

    rows = {
        kind: pl.scan_parquet(data / f"{kind}.parquet").select(pl.len()).collect().item()
        for kind in KINDS
    }
    os.environ.setdefault("TUNTAS_MASTER_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
    per_kind: dict[str, list[float]] = {kind: [] for kind in KINDS}
    totals: list[float] = []
    for run in range(args.runs):
        database = work / f"run{run}.sqlite3"
        if args.database_url:
            os.environ["DATABASE_URL"] = fresh_postgres_database(
                args.database_url, f"tuntas_bench_{run}"
            )
        else:
            os.environ["TUNTAS_DB"] = str(database)
        # Each run in a fresh interpreter, so that Django connects to the new database.
        code = (
            "import sys, time, json\n"
            "from pathlib import Path\n"
            "from tuntas.web.bootstrap import setup_django, migrate_database\n"
            "setup_django(); migrate_database()\n"
            "from tuntas.web.imports.services import import_file\n"
            "times = {}\n"
            f"for kind in {KINDS!r}:\n"
            "    t = time.perf_counter()\n"
            f"    outcome = import_file(kind, Path({str(data)!r}) / f'{{kind}}.parquet')\n"
            "    assert outcome.ok, outcome.summary_lines()\n"
            "    times[kind] = time.perf_counter() - t\n"
            "print(json.dumps(times))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        times = json.loads(result.stdout.strip().splitlines()[-1])
        for kind in KINDS:
            per_kind[kind].append(times[kind])
        totals.append(sum(times.values()))
        print(
            f"run {run + 1}: "
            + ", ".join(f"{k} {v:.1f} s" for k, v in times.items())
            + f"; total {totals[-1]:.1f} s"
        )
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print()
    print(f"machine: {machine()}; commit {git_revision()}; backend {backend}")
    print("| kind | rows | median import time |")
    print("|---|---:|---:|")
    for kind in KINDS:
        print(f"| {kind} | {rows[kind]:,} | {summary(per_kind[kind])} |")
    print(f"| **all** | {sum(rows.values()):,} | **{summary(totals)}** |")


if __name__ == "__main__":
    main()
