"""Rich renderings of the sector analysis and of multiplier tables, for the CLI and the demo.

The functions write to the console they are given (never to standard output themselves), so the
library stays free of side effects; the command line passes its ``out`` console.

Examples
--------
>>> import io
>>> from rich.console import Console
>>> from tuntas.economy.iotable import table_from_arrays
>>> t = table_from_arrays([[150, 500], [200, 100]], [1000, 2000], labour_income=[300, 500],
...                       household_consumption=[50, 400], employment=[100, 50], name="M&B 2.3")
>>> console = Console(record=True, width=120, file=io.StringIO())
>>> render_multipliers(t, console)
>>> text = console.export_text()
>>> "Employment I" in text, "balanced" in text
(True, True)
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from tuntas.economy.iotable import IOTable, balance_check
from tuntas.economy.multipliers import multiplier_table
from tuntas.economy.opportunity import SectorAnalysis


def _number(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def render_top_sectors(
    result: SectorAnalysis,
    console: Console,
    *,
    level: str | None = None,
    top: int = 3,
    synthetic: bool | None = None,
) -> None:
    """Print the ``top`` sectors of every area (kecamatan or desa) with score and reason.

    ``level`` must match the analysis (it is there so the demo can state what it prints).
    Writes a Rich table (area, rank, sector key, score, reason), the weights, the IO table's name
    and source and the number of assumed parameters.

    Examples
    --------
    >>> import io
    >>> import polars as pl
    >>> from rich.console import Console
    >>> from tuntas.economy.opportunity import analyse_sectors
    >>> rows = [("E1", y, "33.10.11.2015", "24310", 3, 9e7, False, "perorangan", "Batur")
    ...         for y in (2023, 2024)]
    >>> enterprises = pl.DataFrame(rows, orient="row", schema=["enterprise_id", "year",
    ...     "region_code", "kbli", "workers", "turnover_year", "is_cooperative", "legal_form",
    ...     "cluster"])
    >>> result = analyse_sectors({"enterprises": enterprises}, region="33.10.11", level="kecamatan")
    >>> console = Console(record=True, width=200, file=io.StringIO())
    >>> render_top_sectors(result, console, level="kecamatan", top=1)
    >>> "Pengecoran logam (sentra): LQ 1.0, 1 usaha" in console.export_text()
    True
    """
    if level is not None and level != result.level:
        raise ValueError(f"the analysis is by {result.level}, not {level}")
    title = (
        f"Sektor peluang per {result.level} — {result.region_name} ({result.region}), "
        f"snapshot {result.base_year}→{result.final_year}"
    )
    if synthetic:
        title += " — DATA SINTETIS"
    table = Table(title=title, show_lines=False, expand=False)
    table.add_column(result.level.capitalize(), style="bold", no_wrap=True)
    table.add_column("#", justify="right")
    table.add_column("Sektor", no_wrap=True)
    table.add_column("Skor", justify="right")
    table.add_column("Alasan")
    names = dict(zip(result.areas["code"], result.areas["name"], strict=True))
    previous = None
    for row in result.top(top).iter_rows(named=True):
        area = row["area"]
        label = f"{names.get(area, area)} ({area})" if area != previous else ""
        previous = area
        table.add_row(label, str(row["rank"]), row["sector"], f"{row['score']:.2f}", row["reason"])
    console.print(table)
    weights = ", ".join(f"{k} {v:.2f}" for k, v in result.settings.normalised_weights.items())
    console.print(f"Bobot: {weights}; normalisasi {result.settings.normalisation}.")
    console.print(f"Tabel IO: {result.table.name}. {result.table.source}")
    console.print(
        f"{len(result.settings.assumptions)} parameter berstatus asumsi "
        "(lihat --json untuk daftar dan catatan)."
    )


def render_multipliers(
    table: IOTable,
    console: Console,
    *,
    household_income: float | None = None,
    notes: tuple[str, ...] = (),
) -> None:
    """Print the balance check, Type I and II output, income and employment multipliers, notes."""
    report = balance_check(table)
    multipliers = multiplier_table(table, household_income=household_income)
    console.print(f"[bold]{table.name}[/]")
    console.print(table.source)
    console.print(f"Balance check: {report.message}")
    grid = Table(title="Multipliers (Type I: households exogenous; Type II: endogenous)")
    grid.add_column("Sector")
    for header in (
        "Output I",
        "Output II",
        "Income I",
        "Income II",
        "Employment I",
        "Employment II",
        "Workers per juta Rp",
    ):
        grid.add_column(header, justify="right")
    for row in multipliers.iter_rows(named=True):
        grid.add_row(
            row["sector"],
            _number(row["output_multiplier"]),
            _number(row["output_multiplier_type_ii"]),
            _number(row["income_type_i"]),
            _number(row["income_type_ii"]),
            _number(row["employment_type_i"]),
            _number(row["employment_type_ii"]),
            _number(row["employment_coefficient"], 5),
        )
    console.print(grid)
    for note in (*table.notes, *notes):
        console.print(f"• {note}", highlight=False)
