"""Benchmark: the full costed plan for Klaten (allocation, matching of every eligible person, microsim).

    python benchmarks/bench_plan.py [--runs 3] [--scale 1.0] [--mc 200]

Generates ``synthesize("33.10", seed=1, scale=…)`` once (not timed), then times ``make_plan`` with the
issue's example budgets (KUR subsidy Rp 5 miliar, training Rp 1 miliar, scaled with the data) in the
same interpreter, ``--runs`` times. Prints each run's stage times, the problem sizes (allocation
variables, constraints and non-zeros; matching nodes and arcs), the machine and a markdown row with
the median. Target (DESIGN §8): ≤ 60 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, summary
from tuntas.planning import check_plan, make_plan
from tuntas.synth import synthesize

BUDGETS = {"kur_subsidy": 5_000_000_000.0, "training": 1_000_000_000.0}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--mc", type=int, default=200, help="Monte Carlo runs inside each plan")
    parser.add_argument("--regency", default="33.10")
    args = parser.parse_args()

    started = time.perf_counter()
    data = synthesize(args.regency, seed=1, scale=args.scale)
    print(f"synthetic data generated in {time.perf_counter() - started:.1f} s (not timed)")
    budgets = {k: v * args.scale for k, v in BUDGETS.items()}

    totals: list[float] = []
    stages: dict[str, list[float]] = {}
    plan = None
    for run in range(args.runs):
        t = time.perf_counter()
        plan = make_plan(
            data.tables,
            region=args.regency,
            truth=data.truth,
            budgets=budgets,
            runs=args.mc,
            seed=1,
            date="2026-01-01",
        )
        total = time.perf_counter() - t
        totals.append(total)
        for name, value in plan.summary["seconds"].items():
            stages.setdefault(name, []).append(value)
        problems = check_plan(plan)
        print(
            f"run {run + 1}: {total:.1f} s — "
            + ", ".join(f"{k} {v:.1f}" for k, v in plan.summary["seconds"].items())
            + (f" — PROBLEMS: {problems}" if problems else " — consistent")
        )
    assert plan is not None
    s = plan.summary
    a = s["allocation_size"]
    m = s["matching_size"]
    rows = {name: frame.height for name, frame in data.tables.items()}
    print()
    print(f"machine: {machine()}")
    print(
        f"data: {args.regency} scale {args.scale}: "
        + ", ".join(f"{name} {count:,}" for name, count in rows.items())
    )
    print(
        f"allocation MIP: {a['variables']:,} variables ({a['integer_variables']:,} integer), "
        f"{a['constraints']:,} constraints, {a['nonzeros']:,} non-zeros; {a['classes']:,} enterprise "
        f"classes, {a['options']:,} options, {a['groups']:,} household groups, "
        f"{a['reach_arcs_generated']:,} of {a['reach_arcs']:,} reach arcs generated in "
        f"{a['column_generation_rounds']} pricing rounds; gap {s['solver_gap']:.2e} ({s['solver_status']})"
    )
    print(
        f"matching: {m['persons']:,} eligible persons in {m['households']:,} households, "
        f"{m['slots']:,} slots in {m['pools']:,} pools; flow network {m['nodes']:,} nodes, "
        f"{m['arcs']:,} arcs"
    )
    print(
        f"result: {s['households_lifted']:,} households lifted "
        f"(Monte Carlo {s['households_lifted_interval']['low']:.0f}–"
        f"{s['households_lifted_interval']['high']:.0f}), {s['persons_matched']:,} persons matched, "
        f"{s['self_employment_awards']:,} self-employment awards, cost Rp {s['cost_total']:,.0f}"
        if s["households_lifted_interval"]
        else f"result: {s['households_lifted']:,} households lifted"
    )
    print(
        "stage medians: "
        + ", ".join(f"{k} {statistics.median(v):.2f} s" for k, v in stages.items())
    )
    print("| benchmark | machine | data | LP + MIP | matching | Monte Carlo | total (median) |")
    print("|---|---|---|---:|---:|---:|---:|")
    lp_mip = [x + y for x, y in zip(stages["allocation_lp"], stages["allocation_mip"], strict=True)]
    print(
        f"| plan {args.regency} ×{args.scale} (MC {args.mc}) | {machine()} | "
        f"{rows['households']:,} households, {rows['persons']:,} persons, "
        f"{rows['enterprises']:,} enterprise rows | {statistics.median(lp_mip):.1f} s | "
        f"{statistics.median(stages['matching']):.1f} s | "
        f"{statistics.median(stages['monte_carlo']):.1f} s | **{summary(totals)}** |"
    )


if __name__ == "__main__":
    main()
