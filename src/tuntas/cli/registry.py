"""Registry commands: ``synth``, ``migrate``, ``import``, ``info``, ``demo``."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from tuntas.cli.common import app, console, out, progress_bar


@app.command()
def synth(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the files into.")],
    regency: Annotated[str, typer.Option(help="Kemendagri code of the kabupaten/kota.")] = "33.10",
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same files.")] = 1,
    scale: Annotated[
        float, typer.Option(help="Fraction of the full population to generate.")
    ] = 1.0,
    xlsx: Annotated[bool, typer.Option(help="Also write the P3KE-style Excel workbook.")] = True,
) -> None:
    """Generate SYNTHETIC registries for a regency, calibrated to published figures.

    Writes households, persons, enterprises (two yearly snapshots, with cooperatives and BUMDes),
    a Susenas-like survey sample, village profiles and the ground-truth consumption file, as Parquet
    and CSV, plus households and persons as a P3KE-style xlsx. Every file is marked synthetic.
    """
    from tuntas.reference.regions import normalize_code, region
    from tuntas.synth import synthesize, write_result

    if not 0 < scale <= 10:
        raise typer.BadParameter(
            f"--scale harus di antara 0 dan 10 / must be in (0, 10], not {scale}",
            param_hint="--scale",
        )
    try:
        found = region(regency)
    except (KeyError, ValueError):
        found = None
    if found is None or found.level != "kabupaten_kota":
        raise typer.BadParameter(
            f"{regency!r} bukan kode kabupaten/kota Kepmendagri 2025 / is not a Kepmendagri 2025 "
            "kabupaten/kota code (e.g. 33.10)",
            param_hint="--regency",
        )
    regency = normalize_code(regency)
    started = time.perf_counter()
    with progress_bar() as bar:
        task = bar.add_task("synth", total=1.0)

        def report(step: str, fraction: float) -> None:
            bar.update(task, description=step, completed=fraction)

        result = synthesize(regency, seed=seed, scale=scale, progress=report)
        paths = write_result(result, out_dir, xlsx=xlsx, progress=report)
    console.print(
        f"[green]SINTETIS[/] {regency}: "
        + ", ".join(f"{name} {frame.height:,}" for name, frame in result.tables.items())
        + f" → {out_dir} ({len(paths)} files, {time.perf_counter() - started:.1f} s)"
    )


@app.command()
def migrate() -> None:
    """Create or update the database schema."""
    from tuntas.web.bootstrap import migrate_database

    migrate_database(verbose=True)


@app.command(name="import")
def import_(
    kind: Annotated[
        str,
        typer.Argument(help="households, persons, enterprises, survey, villages or verifications."),
    ],
    file: Annotated[
        Path, typer.Argument(help="CSV, xlsx or Parquet file.", exists=True, dir_okay=False)
    ],
    preset: Annotated[str | None, typer.Option(help="Column preset, e.g. p3ke.")] = None,
    sheet: Annotated[str | None, typer.Option(help="Worksheet to read from an xlsx file.")] = None,
    report: Annotated[
        Path | None, typer.Option(help="Where to write the error report (default: next to FILE).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")] = False,
) -> None:
    """Validate FILE and load it into the database, all or nothing.

    A file with errors changes nothing: the command writes a report (row, column, value, rule and a
    message in Indonesian and English), prints a summary and exits with status 1. Importing the same
    file again changes nothing.
    """
    from tuntas.web.imports.services import import_file

    with progress_bar() as bar:
        task = bar.add_task(f"import {kind}", total=1.0)

        def progress(step: str, fraction: float) -> None:
            bar.update(task, description=step, completed=fraction)

        outcome = import_file(
            kind, file, preset=preset, sheet=sheet, report_path=report, progress=progress
        )
    if as_json:
        out.print_json(json.dumps(outcome.as_dict()))
    else:
        for line in outcome.summary_lines():
            (console if not outcome.ok else out).print(line)
    if not outcome.ok:
        raise typer.Exit(code=1)


@app.command()
def info(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Counts per table and per kecamatan, and what was flagged on import."""
    from tuntas.web.imports.info import database_info, render_info

    summary = database_info()
    if as_json:
        out.print_json(json.dumps(summary))
    else:
        render_info(summary, out)


@app.command()
def demo(
    directory: Annotated[Path, typer.Option("--dir", help="Folder for the demo files.")] = Path(
        "demo"
    ),
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
    scale: Annotated[float, typer.Option(help="Fraction of Klaten to generate.")] = 1.0,
) -> None:
    """The demo: generate Klaten (33.10), import it into SQLite and print the summary."""
    from tuntas.web.demo import run_demo

    code = run_demo(
        directory, seed=seed, scale=scale, console=console, out=out, progress=progress_bar
    )
    if code:
        raise typer.Exit(code=code)
