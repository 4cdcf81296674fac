"""Benchmark: all sector analysis for Klaten — 401 desa and 26 kecamatan × all sectors, plus multipliers.

    python benchmarks/bench_economy.py [--runs 5] [--data DIR] [--scale 1.0]

Generates Klaten (33.10, seed 1, full scale) once into DIR (default: a temporary folder) unless it is
already there. Each run is a fresh interpreter (as ``tuntas sectors`` is) that times:

* ``load``: reading enterprises, persons, households and villages (Parquet);
* ``desa``: :func:`tuntas.economy.analyse_sectors` by desa — regency employment, BPS 2020
  regionalised by FLQ, multipliers, sector keys, LQ, clusters, shift-share, labour supply and
  enterprises within reach, normalisation, scores and reasons for every desa-sector cell;
* ``kecamatan``: the same by kecamatan;
* ``multipliers``: BPS 2020 with Sakernas employment, Type I/II multipliers of the national and the
  regional table, the balance checks, and the multiplier effect of 1,000 new jobs in 5 sectors.

Target (issue 4): the analysis ≤ 5 s at full scale.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import git_revision, machine, summary

KINDS = ("enterprises", "persons", "households", "villages")

RUN = """
import json, time
started = time.perf_counter()
import polars as pl
from tuntas.economy import (
    analyse_sectors, balance_check, closure_income, multiplier_table, national_employment,
    read_bps_2020_17, sector_effect,
)
imported = time.perf_counter()
tables = {{kind: pl.read_parquet(f"{data}/{{kind}}.parquet") for kind in {kinds!r}}}
loaded = time.perf_counter()
desa = analyse_sectors(tables, region="33.10", level="desa")
by_desa = time.perf_counter()
kecamatan = analyse_sectors(tables, region="33.10", level="kecamatan")
by_kecamatan = time.perf_counter()
workers, citation = national_employment()
national = read_bps_2020_17(employment=workers, employment_source=citation)
for table in (national, desa.table):
    income, _ = closure_income(table)
    multiplier_table(table, household_income=income)
    balance_check(table)
effect = sector_effect(
    desa.table, {{"23932": 200, "24310": 200, "13121": 200, "10792": 200, "47112": 200}},
    kind="jobs", household_income=closure_income(desa.table)[0],
)
multiplied = time.perf_counter()
print(json.dumps({{
    "import": imported - started,
    "load": loaded - imported,
    "desa": by_desa - loaded,
    "kecamatan": by_kecamatan - by_desa,
    "multipliers": multiplied - by_kecamatan,
    "analysis": multiplied - loaded,
    "rows": {{kind: frame.height for kind, frame in tables.items()}},
    "desa_cells": desa.scores.height,
    "desa_areas": desa.areas.height,
    "kecamatan_cells": kecamatan.scores.height,
    "sectors": desa.scores["sector"].n_unique(),
    "jobs_total": effect.totals.filter(pl.col("measure") == "jobs")["total"][0],
}}))
"""

STEPS = ("load", "desa", "kecamatan", "multipliers", "analysis")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()

    data = args.data or Path(tempfile.mkdtemp(prefix="tuntas-bench-economy-")) / "klaten"
    if not (data / "enterprises.parquet").exists():
        from tuntas.synth import synthesize, write_result

        write_result(synthesize("33.10", seed=1, scale=args.scale), data, xlsx=False)
    times: dict[str, list[float]] = {step: [] for step in STEPS}
    last: dict[str, object] = {}
    for run in range(args.runs):
        code = RUN.format(data=str(data), kinds=KINDS)
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        last = json.loads(result.stdout.strip().splitlines()[-1])
        for step in STEPS:
            times[step].append(float(last[step]))  # type: ignore[arg-type]
        print(
            f"run {run + 1}: "
            + ", ".join(f"{step} {float(last[step]):.2f} s" for step in STEPS)  # type: ignore[arg-type]
            + f" (import {float(last['import']):.1f} s)"  # type: ignore[arg-type]
        )
    rows = last["rows"]
    assert isinstance(rows, dict)
    print()
    print(f"machine: {machine()}; commit {git_revision()}")
    print(
        "data: Klaten 33.10, seed 1, scale "
        f"{args.scale}: "
        + ", ".join(f"{kind} {count:,}" for kind, count in rows.items())
        + f"; {last['desa_areas']} desa × {last['sectors']} sector keys → {last['desa_cells']:,} "
        f"desa-sector cells, {last['kecamatan_cells']:,} kecamatan-sector cells"
    )
    print("| step | median (min–max, runs) | median, ms |")
    print("|---|---:|---:|")
    for step in STEPS:
        label = "**analysis (desa + kecamatan + multipliers)**" if step == "analysis" else step
        print(f"| {label} | {summary(times[step])} | {statistics.median(times[step]) * 1000:.0f} |")
    print("Target: analysis ≤ 5 s.")


if __name__ == "__main__":
    main()
