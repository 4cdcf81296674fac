"""Benchmark: generate full-scale synthetic Klaten and write every file (xlsx included).

    python benchmarks/bench_synth.py [--runs 3] [--scale 1.0] [--regency 33.10] [--no-xlsx]

Each run is a fresh interpreter (as ``tuntas synth`` is) that times ``synthesize`` and
``write_result`` separately into a temporary folder. Prints each run, then the machine, the data
sizes and a markdown row with the median. Target (DESIGN §8): ≤ 60 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, summary

RUN = """
import json, sys, time
started = time.perf_counter()
from tuntas.synth import synthesize, write_result
imported = time.perf_counter()
result = synthesize({regency!r}, seed=1, scale={scale!r})
generated = time.perf_counter()
paths = write_result(result, {out!r}, xlsx={xlsx!r})
written = time.perf_counter()
print(json.dumps({{
    "import": imported - started,
    "synthesize": generated - imported,
    "write": written - generated,
    "total": written - started,
    "rows": {{name: frame.height for name, frame in result.tables.items()}},
    "bytes": sum(p.stat().st_size for p in paths),
    "ok": bool(result.calibration["ok"].all()),
}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--regency", default="33.10")
    parser.add_argument("--no-xlsx", dest="xlsx", action="store_false")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="tuntas-bench-synth-"))
    totals: list[float] = []
    parts: dict[str, list[float]] = {"synthesize": [], "write": []}
    last: dict[str, object] = {}
    try:
        for run in range(args.runs):
            out = work / f"run{run}"
            code = RUN.format(regency=args.regency, scale=args.scale, out=str(out), xlsx=args.xlsx)
            done = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            )
            last = json.loads(done.stdout.strip().splitlines()[-1])
            totals.append(float(last["total"]))  # type: ignore[arg-type]
            for key, values in parts.items():
                values.append(float(last[key]))  # type: ignore[arg-type]
            print(
                f"run {run + 1}: synthesize {last['synthesize']:.1f} s, write {last['write']:.1f} s, "
                f"total {last['total']:.1f} s (calibration ok: {last['ok']})"
            )
            shutil.rmtree(out, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    rows = last.get("rows", {})
    assert isinstance(rows, dict)
    size = ", ".join(f"{name} {count:,}" for name, count in rows.items())
    mib = float(last.get("bytes", 0)) / 2**20  # type: ignore[arg-type]
    print()
    print(f"machine: {machine()}")
    print(f"data: {args.regency} scale {args.scale}: {size}; files {mib:,.0f} MiB")
    print(
        "| benchmark | machine | data | synthesize | write (xlsx {}) | total (median) |".format(
            "on" if args.xlsx else "off"
        )
    )
    print("|---|---|---|---:|---:|---:|")
    print(
        f"| synth {args.regency} ×{args.scale} | {machine()} | {size} | "
        f"{statistics.median(parts['synthesize']):.1f} s | {statistics.median(parts['write']):.1f} s | "
        f"**{summary(totals)}** |"
    )


if __name__ == "__main__":
    main()
