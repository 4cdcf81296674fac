"""Village-economy commands (issue 4): ``sectors`` and ``multipliers``."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Annotated, Any

import polars as pl
import typer

from tuntas.cli.common import FromDir, app, console, out
from tuntas.cli.data import data_is_synthetic

TableOption = Annotated[
    str,
    typer.Option(
        "--table",
        help="'bps2020' (BPS national 2020, 17 industries) or a CSV/xlsx file or LUMENS folder.",
    ),
]


def _tables(region: str, from_dir: Path | None) -> dict[str, pl.DataFrame]:
    """Enterprises (required) and persons, households, villages (optional) of ``region``."""
    from tuntas.cli.data import load_tables

    tables = load_tables(["enterprises"], region=region, from_dir=from_dir)
    for kind in ("households", "persons", "villages"):
        try:
            tables.update(load_tables([kind], region=region, from_dir=from_dir))
        except FileNotFoundError:
            console.print(f"[yellow]no {kind} in {from_dir}: continuing without[/]")
    return tables


def _user_table(
    spec: str,
    *,
    labour_income_row: str | None,
    household_column: str | None,
    employment_row: str | None,
    import_rows: list[str] | None,
    unit: str,
    source: str,
    sheet: str | None,
    decimal: str,
) -> Any:
    from tuntas.economy.iotable import read_io_table

    path = Path(spec)
    if not path.exists():
        raise typer.BadParameter(f"{spec}: no such file or folder (or use 'bps2020')")
    return read_io_table(
        path,
        source=source,
        unit=unit,
        sheet=sheet,
        labour_income_row=labour_income_row,
        household_consumption_column=household_column,
        import_rows=tuple(import_rows or ()),
        employment_row=employment_row,
        employment_source=f"{path.name}, row {employment_row}" if employment_row else None,
        decimal=decimal,
    )


LabourRow = Annotated[
    str | None, typer.Option(help="User table: the primary-input row of labour income.")
]
HouseholdColumn = Annotated[
    str | None, typer.Option(help="User table: the final-demand column of household consumption.")
]
EmploymentRow = Annotated[
    str | None, typer.Option(help="User table: the row of workers by sector.")
]
ImportRows = Annotated[
    list[str] | None, typer.Option("--import-row", help="User table: an import row (repeatable).")
]
Unit = Annotated[str, typer.Option(help="User table: money unit.")]
Source = Annotated[str, typer.Option(help="User table: provenance shown with every result.")]
Sheet = Annotated[str | None, typer.Option(help="User table: xlsx sheet.")]
Decimal = Annotated[str, typer.Option(help="User table: decimal mark, '.' or ','.")]


@app.command()
def sectors(
    region: Annotated[str, typer.Option(help="Kemendagri code, e.g. 33.10 (Klaten).")],
    level: Annotated[str, typer.Option(help="desa or kecamatan.")] = "desa",
    top: Annotated[int, typer.Option(help="Sectors per area.", min=1)] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write the JSON result to this file.")
    ] = None,
    from_dir: FromDir = None,
    table: Annotated[
        str,
        typer.Option(
            "--table",
            help="'bps2020' (BPS 2020 regionalised to REGION by FLQ) or the region's own IO "
            "table file (used as is for employment multipliers).",
        ),
    ] = "bps2020",
    labour_income_row: LabourRow = None,
    household_column: HouseholdColumn = None,
    employment_row: EmploymentRow = None,
    import_rows: ImportRows = None,
    unit: Unit = "juta rupiah",
    source: Source = "",
    sheet: Sheet = None,
    decimal: Decimal = ".",
) -> None:
    """Rank the sectors every desa or kecamatan can grow, with the score's parts and a reason.

    The opportunity score combines specialisation (LQ), clusters, growth between the two
    enterprise snapshots, labour intensity, the employment multiplier of the regional IO table,
    the extreme-poor labour supply within reach whose skills fit, and the enterprises able to
    absorb workers; weights and every other choice are dated parameters (economy.yaml).
    """
    from tuntas.cli.render_economy import render_top_sectors
    from tuntas.economy.opportunity import LEVELS, analyse_sectors

    if level not in LEVELS:
        raise typer.BadParameter(f"--level must be one of {LEVELS}")
    started = time.perf_counter()
    tables = _tables(region, from_dir)
    io_table = None
    if table != "bps2020":
        io_table = _user_table(
            table,
            labour_income_row=labour_income_row,
            household_column=household_column,
            employment_row=employment_row,
            import_rows=import_rows,
            unit=unit,
            source=source,
            sheet=sheet,
            decimal=decimal,
        )
    try:
        result = analyse_sectors(tables, region=region, level=level, table=io_table)
    except ValueError as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(code=1) from None
    synthetic = data_is_synthetic(from_dir)
    payload = _finite(result.to_dict(top=top, synthetic=synthetic))
    if out_file is not None:
        out_file.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
        console.print(f"→ {out_file}")
    if as_json:
        _emit_json(payload)
    elif out_file is None:
        render_top_sectors(result, out, top=top, synthetic=synthetic)
    console.print(
        f"{len(payload['areas'])} {level} ranked in {time.perf_counter() - started:.1f} s"
        + (" [yellow]DATA SINTETIS[/]" if synthetic else "")
    )


@app.command()
def multipliers(
    table: TableOption = "bps2020",
    regionalise_to: Annotated[
        str | None,
        typer.Option(
            "--regionalise-to",
            help="Regionalise the table by FLQ to this regency, with employment from the "
            "database or --from.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    from_dir: FromDir = None,
    labour_income_row: LabourRow = None,
    household_column: HouseholdColumn = None,
    employment_row: EmploymentRow = None,
    import_rows: ImportRows = None,
    unit: Unit = "juta rupiah",
    source: Source = "",
    sheet: Sheet = None,
    decimal: Decimal = ".",
) -> None:
    """Type I and II output, income and employment multipliers of an IO table, with its balance check.

    'bps2020' is BPS's national 2020 table (17 industries, "Sumber: BPS") with national
    employment from Sakernas August 2020; --regionalise-to 33.10 derives Klaten's table by
    Flegg's location quotient with the regency's employment (enterprise and registry data).
    """
    from tuntas.cli.render_economy import render_multipliers
    from tuntas.economy.iotable import balance_check, read_bps_2020_17
    from tuntas.economy.multipliers import multipliers_frame
    from tuntas.economy.opportunity import Settings
    from tuntas.economy.regional_table import (
        closure_income,
        national_employment,
        regency_employment,
        regional_io_table,
    )
    from tuntas.reference.regions import name_of

    settings = Settings.from_params(region=regionalise_to or "")
    if table == "bps2020":
        workers, citation = national_employment()
        io_table = read_bps_2020_17(employment=workers, employment_source=citation)
    else:
        io_table = _user_table(
            table,
            labour_income_row=labour_income_row,
            household_column=household_column,
            employment_row=employment_row,
            import_rows=import_rows,
            unit=unit,
            source=source,
            sheet=sheet,
            decimal=decimal,
        )
    synthetic = None
    if regionalise_to:
        tables = _tables(regionalise_to, from_dir)
        villages = tables.get("villages")
        employment = regency_employment(
            enterprises=tables["enterprises"],
            persons=tables.get("persons"),
            population=None if villages is None else float(villages["population"].sum()),
            basis=settings.employment_basis,
            enterprise_weight=settings.enterprise_share_weight,
        )
        try:
            io_table = regional_io_table(
                employment,
                region=name_of(regionalise_to),
                delta=settings.flq_delta,
                table=None if table == "bps2020" else io_table,
            )
        except ValueError as error:
            console.print(f"[red]{error}[/]")
            raise typer.Exit(code=1) from None
        synthetic = data_is_synthetic(from_dir)
        assumptions = [
            v
            for v in settings.assumptions
            if v.path.startswith(("economy.regional_table", "economy.multipliers"))
        ]
    else:
        assumptions = [v for v in settings.assumptions if v.path.startswith("economy.multipliers")]
    income, closure_note = closure_income(io_table, settings.type_ii_household_income)
    if as_json:
        report = balance_check(io_table)
        payload = {
            "table": io_table.name,
            "source": io_table.source,
            "unit": io_table.unit,
            "employment_source": io_table.employment_source,
            "synthetic": synthetic,
            "balance": {
                "balanced": report.balanced,
                "message": report.message,
                "max_relative_gap": report.max_relative_gap,
                "median_relative_gap": report.median_relative_gap,
                "tolerance": report.tolerance,
                "by_sector": report.by_sector.to_dicts(),
            },
            "closure": closure_note,
            "multipliers": multipliers_frame(io_table, household_income=income).to_dicts(),
            "notes": list(io_table.notes),
            "assumptions": [
                {"parameter": v.path, "value": v.value, "status": v.status, "note": v.note}
                for v in assumptions
            ],
        }
        _emit_json(_finite(payload))
        return
    employment_note = (
        f"Employment by sector: {io_table.employment_source}"
        if io_table.employment_source
        else "No employment by sector: employment multipliers are not available."
    )
    assumed = "; ".join(f"{v.path} = {v.value}" for v in assumptions)
    render_multipliers(
        io_table,
        out,
        household_income=income,
        notes=(closure_note, employment_note, f"Parameters marked assumption: {assumed}."),
    )
    if synthetic:
        out.print("[yellow]Regional employment from SYNTHETIC data (DATA SINTETIS).[/]")


def _emit_json(payload: dict[str, Any]) -> None:
    """Write JSON to standard output as plain text (Rich's highlighting takes seconds on 2 MB)."""
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=1, default=str))


def _finite(value: Any) -> Any:
    """The value with NaN and infinite floats replaced by None (JSON has no NaN)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value
