"""Run every benchmark in this folder (``make bench``); each prints a markdown table.

Results are pasted into docs/benchmarks.md with the machine line each script prints.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    "bench_synth.py",
    "bench_import.py",
    "bench_poverty.py",
    "bench_economy.py",
    "bench_plan.py",
]

if __name__ == "__main__":
    for script in SCRIPTS:
        print(f"\n## {script}\n", flush=True)
        subprocess.run([sys.executable, str(HERE / script), *sys.argv[1:]], check=True)
