"""``make demo``: generate Klaten's synthetic registries, import them, print the summary."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.progress import Progress

DEMO_REGENCY = "33.10"
IMPORT_ORDER = ("households", "persons", "enterprises", "survey", "villages")


def run_demo(
    directory: Path,
    *,
    seed: int,
    scale: float,
    console: Console,
    out: Console,
    progress: Callable[[], Progress],
) -> int:
    """Run the demo; returns the exit code (0 when every import succeeded)."""
    from tuntas.synth import synthesize, write_result
    from tuntas.web.imports.info import database_info, render_info
    from tuntas.web.imports.services import import_file

    started = time.perf_counter()
    console.print(
        f"[bold]TUNTAS demo[/]: Kabupaten Klaten ({DEMO_REGENCY}), seed {seed}, DATA SINTETIS"
    )
    with progress() as bar:
        task = bar.add_task("synth", total=1.0)

        def report(step: str, fraction: float) -> None:
            bar.update(task, description=step, completed=fraction)

        result = synthesize(DEMO_REGENCY, seed=seed, scale=scale, progress=report)
        write_result(result, directory, xlsx=True, progress=report)
    console.print(f"generated in {time.perf_counter() - started:.1f} s → {directory}/")
    console.print(f"kunci / key: {_demo_key()}")
    for kind in IMPORT_ORDER:
        with progress() as bar:
            task = bar.add_task(f"import {kind}", total=1.0)

            def step(
                name: str,
                fraction: float,
                task_id: int = task,
                bar: Progress = bar,
                kind: str = kind,
            ) -> None:
                bar.update(task_id, description=f"{kind}: {name}", completed=fraction)

            outcome = import_file(kind, directory / f"{kind}.parquet", progress=step)
        for line in outcome.summary_lines():
            console.print(line)
        if not outcome.ok:
            return 1
    render_info(database_info(), out)
    _print_poverty(out, truth=result.truth)
    _print_top_sectors(out)
    _make_plan(directory / "rencana", out, console=console, truth=result.truth)
    console.print(f"[bold green]demo selesai[/] in {time.perf_counter() - started:.1f} s")
    return 0


def _demo_key() -> str:
    """The demo's master key: the configured one, else a new key file (the demo may create one)."""
    from tuntas.protect import MasterKeyError, create_key_file, load_master_key

    try:
        return load_master_key().source
    except MasterKeyError:
        created = create_key_file()
        return f"new {created.source} (generated for the demo; keep it safe)"


def _print_poverty(out: Console, *, truth: object) -> None:
    """Issue 3: the regency's poverty summary (March 2024 line), from the imported data."""
    import polars as pl

    from tuntas.cli.data import load_tables
    from tuntas.cli.poverty import render_poverty_summary
    from tuntas.poverty.analysis import poverty_analysis

    tables = load_tables(["survey", "households", "persons", "villages"], region=DEMO_REGENCY)
    report = poverty_analysis(
        tables,
        region=DEMO_REGENCY,
        level="kecamatan",
        year=2024,
        synthetic=True,
        truth=truth if isinstance(truth, pl.DataFrame) else None,
    )
    render_poverty_summary(report, out)


DEMO_BUDGETS = {"kur_subsidy": 5_000_000_000.0, "training": 1_000_000_000.0}
"""The demo's budgets (Rp): KUR interest subsidy Rp 5 miliar, PLUT training Rp 1 miliar."""


def _make_plan(folder: Path, out: Console, *, console: Console, truth: object) -> None:
    """Issue 5: the costed plan under the demo budgets, with its workbook and brief."""
    import datetime as dt

    import polars as pl

    from tuntas.cli.data import load_tables
    from tuntas.cli.plan import masked_matches, print_plan_summary
    from tuntas.economy.opportunity import plan_multipliers, regency_io_table
    from tuntas.planning.plan import make_plan
    from tuntas.reports.plan import PlanContext, write_plan

    tables = load_tables(
        ["households", "persons", "enterprises", "survey", "villages"], region=DEMO_REGENCY
    )
    table, _employment = regency_io_table(
        tables["enterprises"],
        persons=tables["persons"],
        villages=tables["villages"],
        region=DEMO_REGENCY,
    )
    plan = make_plan(
        tables,
        region=DEMO_REGENCY,
        budgets=DEMO_BUDGETS,
        truth=truth if isinstance(truth, pl.DataFrame) else None,
        multipliers=plan_multipliers(table, region=DEMO_REGENCY),
    )
    context = PlanContext(
        region=DEMO_REGENCY,
        region_name="Kabupaten Klaten",
        synthetic=True,
        generated_on=dt.date.today().isoformat(),
        budgets_asked=DEMO_BUDGETS,
    )
    document = write_plan(
        plan, folder, context, matches=masked_matches(plan.matches, from_dir=None)
    )
    print_plan_summary(document)
    console.print(f"rencana → {folder}/ (rencana.xlsx, ringkasan_bupati.pdf, summary.json)")


def _print_top_sectors(out: Console) -> None:
    """Issue 4: the three sectors each kecamatan can grow, from the imported data."""
    from tuntas.cli.data import load_tables
    from tuntas.cli.render_economy import render_top_sectors
    from tuntas.economy.opportunity import analyse_sectors

    tables = load_tables(["households", "persons", "enterprises", "villages"], region=DEMO_REGENCY)
    result = analyse_sectors(tables, region=DEMO_REGENCY, level="kecamatan")
    render_top_sectors(result, out, level="kecamatan", top=3, synthetic=True)
