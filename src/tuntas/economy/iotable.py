"""Input-output tables: the :class:`IOTable` container, its readers and the balance check.

An input-output table (Miller & Blair 2009, *Input-Output Analysis: Foundations and Extensions*,
2nd ed., Cambridge University Press, ch. 2) has, for n sectors: intermediate transactions **Z**
(n×n, sales of row sector i to column sector j), **final demand** (n×k: household and government
consumption, investment, stock changes, exports), **primary inputs** (m×n rows: imports, labour
income, operating surplus, taxes) and total output **x** (n). In a balanced table every sector's
row total (Z row + final demand) equals its column total (Z column + primary inputs) equals xⱼ.

Readers:

* :func:`read_bps_2020_17` — BPS, *Tabel Input-Output Indonesia 2020*, 17 products, domestic
  transactions at basic prices, juta rupiah (shipped; "Sumber: BPS").
* :func:`read_bungo_2010` — Kabupaten Bungo (Jambi) 2010, 46 sectors, juta rupiah (shipped; MIT,
  lumens-shiny; **not balanced**).
* :func:`read_io_table` — a user's own table: one CSV or xlsx sheet (layout in its docstring) or a
  folder of headerless CSVs in the LUMENS/Bungo layout.

Examples
--------
>>> bps = read_bps_2020_17()
>>> bps.n_sectors, bps.unit, balance_check(bps).balanced
(17, 'juta rupiah', True)
>>> report = balance_check(read_bungo_2010())
>>> report.balanced, report.negative_rows
(False, ('Palm Oil Industry',))
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

import numpy as np
import polars as pl
from numpy.typing import ArrayLike

from tuntas.economy.leontief import FloatArray, as_vector

BPS_ATTRIBUTION = "Sumber: Badan Pusat Statistik (BPS), Tabel Input-Output Indonesia 2020"
BPS_TABLE_NAME = (
    "Tabel Input-Output Indonesia 2020, 17 produk, transaksi domestik atas dasar harga dasar"
)
BUNGO_SOURCE = (
    "IO Bungo District 2010, 46 x 46 (Million IDR), from github.com/icraf-indonesia/lumens-shiny "
    "data/regeco (commit acef305d), MIT licence; compiler not stated upstream"
)
DEFAULT_TOLERANCE = 1e-3
"""Relative tolerance of :func:`balance_check`: 0.1 % of a sector's output."""

BPS_SECTOR_CODES = tuple(str(code) for code in range(1, 18))
BPS_FINAL_DEMAND_CODES = ("3011", "3012", "3020", "3030", "3040", "3050", "3060")
BPS_PRIMARY_CODES = ("1950", "2000", "2010", "2020", "2030")
BPS_LABOUR_CODE = "2010"
BPS_HOUSEHOLD_CODE = "3011"
BPS_IMPORT_CODE = "2000"
BPS_OUTPUT_CODE = "7000"
BPS_TOTAL_INPUT_CODE = "2100"

FOLDER_FILES = {
    "sectors": ("01_sector.csv", "01_sector"),
    "intermediate": ("02_intermediate_demand.csv", "02_intermediate demand.csv"),
    "final_demand_names": ("03_final_demand_comp.csv", "03_final demand comp.csv"),
    "final_demand": ("04_final_demand.csv", "04_final demand.csv"),
    "primary_names": ("05_added_value_comp.csv", "05_added value comp.csv"),
    "primary": ("06_added_value.csv", "06_added value.csv"),
    "labour": ("07_labour.csv",),
}
"""The LUMENS folder layout (headerless CSVs); upstream names with spaces are accepted."""

Language = Literal["id", "en"]
Source = str | Path | Traversable


def _names(values: Sequence[str], what: str) -> tuple[str, ...]:
    names = tuple(str(value).strip() for value in values)
    if any(not name for name in names):
        raise ValueError(f"{what} has an empty name")
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"{what} has duplicate names: {duplicates}")
    return names


def _block(values: ArrayLike, shape: tuple[int, int], what: str) -> FloatArray:
    matrix = np.asarray(values, dtype=np.float64)
    if matrix.size == 0 and 0 in shape:
        return np.zeros(shape)
    if matrix.shape != shape:
        raise ValueError(f"{what} has shape {matrix.shape}, expected {shape}")
    if not np.isfinite(matrix).all():
        raise ValueError(
            f"{what} has {int((~np.isfinite(matrix)).sum())} missing or infinite values"
        )
    return matrix


@dataclass(frozen=True, eq=False)
class IOTable:
    """An input-output table with its provenance.

    Attributes
    ----------
    name : str
        Title, e.g. BPS's table name.
    sectors : tuple of str
        Sector names, the order of Z's rows and columns.
    Z : ndarray (n, n)
        Intermediate transactions (``unit``), row i sells to column j.
    final_demand : ndarray (n, k)
        Final demand by category (``unit``); ``final_demand_names`` names the k columns.
    primary_inputs : ndarray (m, n)
        Primary inputs (``unit``): imports, labour income, surplus, taxes; ``primary_input_names``.
    x : ndarray (n,)
        Total output (``unit``); ``output_basis`` says how it was obtained.
    unit : str
        Money unit of Z, final demand, primary inputs and x (e.g. ``"juta rupiah"``).
    source : str
        Provenance and the attribution to show with every result.
    labour_income_row : str or None
        The primary-input row holding labour income (compensation of employees), if any.
    household_consumption_column : str or None
        The final-demand column holding household consumption, if any.
    import_rows : tuple of str
        Primary-input rows that are imports.
    employment : ndarray (n,) or None
        Workers by sector (persons), if known; ``employment_source`` cites it.
    sector_codes : tuple of str or None
        The table's own sector codes.
    notes : tuple of str
        Assumptions and warnings, shown with every result.
    """

    name: str
    sectors: tuple[str, ...]
    Z: FloatArray
    final_demand: FloatArray
    final_demand_names: tuple[str, ...]
    primary_inputs: FloatArray
    primary_input_names: tuple[str, ...]
    x: FloatArray
    unit: str
    source: str
    labour_income_row: str | None = None
    household_consumption_column: str | None = None
    import_rows: tuple[str, ...] = ()
    employment: FloatArray | None = None
    employment_source: str | None = None
    sector_codes: tuple[str, ...] | None = None
    output_basis: str = "given"
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        sectors = _names(self.sectors, "sectors")
        n = len(sectors)
        if n == 0:
            raise ValueError("the table has no sectors")
        fd_names = _names(self.final_demand_names, "final demand columns")
        pi_names = _names(self.primary_input_names, "primary input rows")
        setattr_ = object.__setattr__
        setattr_(self, "sectors", sectors)
        setattr_(self, "final_demand_names", fd_names)
        setattr_(self, "primary_input_names", pi_names)
        setattr_(self, "Z", _block(self.Z, (n, n), "Z"))
        setattr_(
            self, "final_demand", _block(self.final_demand, (n, len(fd_names)), "final demand")
        )
        setattr_(
            self,
            "primary_inputs",
            _block(self.primary_inputs, (len(pi_names), n), "primary inputs"),
        )
        setattr_(self, "x", as_vector(self.x, "x", n))
        if (self.x < 0).any():
            raise ValueError(f"negative output for {self._named(self.x < 0)}")
        if self.employment is not None:
            jobs = as_vector(self.employment, "employment", n)
            if (jobs < 0).any():
                raise ValueError(f"negative employment for {self._named(jobs < 0)}")
            setattr_(self, "employment", jobs)
        if self.sector_codes is not None:
            setattr_(self, "sector_codes", _names(self.sector_codes, "sector codes"))
            if len(self.sector_codes) != n:
                raise ValueError(f"{len(self.sector_codes)} sector codes for {n} sectors")
        if self.labour_income_row is not None and self.labour_income_row not in pi_names:
            raise ValueError(
                f"labour_income_row {self.labour_income_row!r} is not a primary-input row; "
                f"the rows are {list(pi_names)}"
            )
        if (
            self.household_consumption_column is not None
            and self.household_consumption_column not in fd_names
        ):
            raise ValueError(
                f"household_consumption_column {self.household_consumption_column!r} is not a "
                f"final-demand column; the columns are {list(fd_names)}"
            )
        unknown = [row for row in self.import_rows if row not in pi_names]
        if unknown:
            raise ValueError(f"import_rows {unknown} are not primary-input rows {list(pi_names)}")
        setattr_(self, "import_rows", tuple(self.import_rows))
        setattr_(self, "notes", tuple(self.notes))

    def _named(self, mask: np.ndarray) -> list[str]:
        return [self.sectors[i] for i in np.flatnonzero(mask)]

    @property
    def n_sectors(self) -> int:
        """Number of sectors n."""
        return len(self.sectors)

    def primary_input(self, name: str) -> FloatArray:
        """One primary-input row by name (``unit``)."""
        if name not in self.primary_input_names:
            raise ValueError(
                f"no primary-input row {name!r}; rows are {list(self.primary_input_names)}"
            )
        return self.primary_inputs[self.primary_input_names.index(name)]

    def final_demand_column(self, name: str) -> FloatArray:
        """One final-demand column by name (``unit``)."""
        if name not in self.final_demand_names:
            raise ValueError(
                f"no final-demand column {name!r}; columns are {list(self.final_demand_names)}"
            )
        return self.final_demand[:, self.final_demand_names.index(name)]

    @property
    def labour_income(self) -> FloatArray | None:
        """Labour income by sector (``unit``), or ``None`` when the table has no such row."""
        if self.labour_income_row is None:
            return None
        return self.primary_input(self.labour_income_row)

    @property
    def household_consumption(self) -> FloatArray | None:
        """Household consumption by sector (``unit``), or ``None``."""
        if self.household_consumption_column is None:
            return None
        return self.final_demand_column(self.household_consumption_column)

    @property
    def attribution(self) -> str:
        """Name and source, for every output that uses the table."""
        return f"{self.name}. {self.source}"

    def with_notes(self, *notes: str) -> IOTable:
        """A copy with ``notes`` appended."""
        return dataclasses.replace(self, notes=(*self.notes, *notes))


@dataclass(frozen=True)
class BalanceReport:
    """How far a table is from balance (:func:`balance_check`).

    ``by_sector`` has, per sector (all in the table's unit except the relative gap):
    ``sector, output, row_total, column_total, gap, relative_gap`` where row total = Σⱼzᵢⱼ +
    Σₖfᵢₖ, column total = Σᵢzᵢⱼ + Σᵣvᵣⱼ, gap = row total − column total and relative gap =
    gap / output. ``balanced`` is true when every row and column total is within ``tolerance``
    (relative to the sector's output) of the output.
    """

    table: str
    by_sector: pl.DataFrame
    max_gap: float
    max_relative_gap: float
    median_relative_gap: float
    negative_rows: tuple[str, ...]
    tolerance: float
    balanced: bool

    @property
    def message(self) -> str:
        """One line for reports and the table's notes."""
        if self.balanced:
            return (
                f"{self.table}: balanced (row and column totals within "
                f"{self.tolerance:.2%} of output for every sector)"
            )
        text = (
            f"{self.table}: NOT balanced. Row totals (intermediate + final demand) and column "
            f"totals (intermediate + primary inputs) differ by up to {self.max_relative_gap:.0%} "
            f"of output (median {self.median_relative_gap:.0%})"
        )
        if self.negative_rows:
            text += f"; row total is negative for {', '.join(self.negative_rows)}"
        return text


def balance_check(table: IOTable, *, tolerance: float = DEFAULT_TOLERANCE) -> BalanceReport:
    """Compare each sector's row total, column total and output.

    Row total rᵢ = Σⱼ zᵢⱼ + Σₖ fᵢₖ (uses), column total cⱼ = Σᵢ zᵢⱼ + Σᵣ vᵣⱼ (inputs); in a balanced
    table rᵢ = cᵢ = xᵢ (Miller & Blair 2009, §2.2). The relative gap is
    (rᵢ − cᵢ)/xᵢ; ``balanced`` holds when |rᵢ − xᵢ| and |cᵢ − xᵢ| are both ≤ ``tolerance``·|xᵢ| for
    every sector (with xᵢ = 0, both totals must be 0 within ``tolerance`` in the table's unit).

    Parameters
    ----------
    table : IOTable
    tolerance : float, keyword-only
        Relative tolerance (default 0.001, i.e. 0.1 % of output).

    Returns
    -------
    BalanceReport

    Examples
    --------
    >>> report = balance_check(read_bungo_2010())
    >>> report.balanced, f"{report.median_relative_gap:.0%}"
    (False, '38%')
    """
    if tolerance < 0:
        raise ValueError("tolerance must be ≥ 0")
    row_total = table.Z.sum(axis=1) + table.final_demand.sum(axis=1)
    column_total = table.Z.sum(axis=0) + table.primary_inputs.sum(axis=0)
    output = table.x
    gap = row_total - column_total
    scale = np.where(output != 0, np.abs(output), 1.0)
    relative = np.where(output != 0, gap / scale, np.where(gap != 0, np.inf, 0.0))
    off = np.maximum(np.abs(row_total - output), np.abs(column_total - output)) / scale
    by_sector = pl.DataFrame(
        {
            "sector": list(table.sectors),
            "output": output,
            "row_total": row_total,
            "column_total": column_total,
            "gap": gap,
            "relative_gap": relative,
        }
    )
    negative = tuple(table.sectors[i] for i in np.flatnonzero(row_total < 0))
    return BalanceReport(
        table=table.name,
        by_sector=by_sector,
        max_gap=float(np.abs(gap).max()),
        max_relative_gap=float(np.abs(relative).max()),
        median_relative_gap=float(np.median(np.abs(relative))),
        negative_rows=negative,
        tolerance=tolerance,
        balanced=bool((off <= tolerance).all()),
    )


# ----------------------------------------------------------------------------------------------
# Shipped tables


def _io_data(*parts: str) -> Traversable:
    return resources.files("tuntas.reference").joinpath("data", "io", *parts)


def _bps_codes() -> dict[str, tuple[str, str]]:
    codes = pl.read_csv(
        _io_data("bps_indonesia_2020_17", "codes.csv").read_bytes(), infer_schema=False
    )
    return {row["kode"]: (row["nama"], row["name_en"]) for row in codes.iter_rows(named=True)}


def read_bps_2020_17(
    *,
    language: Language = "id",
    employment: ArrayLike | None = None,
    employment_source: str | None = None,
) -> IOTable:
    """BPS's national input-output table 2020, 17 industries, domestic transactions at basic prices.

    Z is rows/columns 1–17; final demand is columns 3011 (households), 3012 (NPISH), 3020
    (government), 3030 (GFCF), 3040 (inventories), 3050–3060 (exports); primary inputs are rows
    1950 (taxes less subsidies on products), 2000 (imported intermediate inputs), 2010
    (compensation of employees, the labour-income row), 2020 (gross operating surplus, incl. the
    mixed income of the self-employed) and 2030 (other net taxes on production); x is column
    7000 (domestic output at basic prices), which equals row 2100 (total input). The table is
    balanced to the rupiah. Unit: juta rupiah (Rp million), year 2020.

    The table has no employment row: pass ``employment`` (workers by the 17 industries, e.g.
    from Sakernas August 2020) and cite it in ``employment_source`` to get employment multipliers.

    Source: BPS, *Tabel Input-Output Indonesia 2020* (the "17 Produk" domestic table), via
    github.com/seanprb/indonesia-gva-map; see ``tuntas/reference/data/SOURCES.md`` §5.
    Attribution: "Sumber: Badan Pusat Statistik (BPS), Tabel Input-Output Indonesia 2020".

    Parameters
    ----------
    language : {"id", "en"}, keyword-only
        Sector and category names in Indonesian (BPS, verbatim) or English (our gloss).
    employment : array (17,), optional
        Workers by industry (persons), in BPS code order 1–17.
    employment_source : str, optional
        Citation of ``employment``; required with it.

    Examples
    --------
    >>> table = read_bps_2020_17(language="en")
    >>> table.sectors[2], table.labour_income_row, table.household_consumption_column
    ('Manufacturing', 'Compensation of employees', 'Household consumption')
    >>> f"{table.x.sum():,.0f}"
    '28,700,250,526'
    """
    if language not in ("id", "en"):
        raise ValueError(f"language must be 'id' or 'en', not {language!r}")
    names = _bps_codes()
    label = {code: pair[0] if language == "id" else pair[1] for code, pair in names.items()}
    raw = pl.read_csv(
        _io_data("bps_indonesia_2020_17", "iot_2020_17_domestic_basic.csv").read_bytes(),
        infer_schema=False,
    )
    numeric = raw.with_columns(pl.exclude("kode", "uraian").cast(pl.Float64).fill_null(0.0))
    rows = {code: i for i, code in enumerate(numeric["kode"].to_list())}
    sector_rows = numeric[[rows[c] for c in BPS_SECTOR_CODES]]
    primary_rows = numeric[[rows[c] for c in BPS_PRIMARY_CODES]]
    x = sector_rows[BPS_OUTPUT_CODE].to_numpy()
    total_input = numeric[rows[BPS_TOTAL_INPUT_CODE]].select(BPS_SECTOR_CODES).to_numpy().ravel()
    if employment is not None and not employment_source:
        raise ValueError("employment_source must cite where the employment numbers come from")
    notes = [
        BPS_ATTRIBUTION + ".",
        "Domestic transactions at basic prices: imported intermediate inputs are a primary-input "
        f"row ({label[BPS_IMPORT_CODE]}), so L measures domestic linkages only.",
        f"x = column 7000 (domestic output at basic prices); it equals row 2100 (total input) "
        f"within {np.abs(total_input - x).max():.0f} juta rupiah.",
        f"Labour income = row 2010 ({label[BPS_LABOUR_CODE]}): employees only; the mixed income "
        "of the self-employed is inside gross operating surplus (row 2020).",
        "Row i.f. (adjustment) is all zero in this table and is left out.",
    ]
    if employment is None:
        notes.append("No employment by sector: employment multipliers are not available.")
    return IOTable(
        name=BPS_TABLE_NAME
        if language == "id"
        else "Input-Output Table of Indonesia 2020, 17 products, domestic transactions at basic prices",
        sectors=tuple(label[c] for c in BPS_SECTOR_CODES),
        Z=sector_rows.select(BPS_SECTOR_CODES).to_numpy(),
        final_demand=sector_rows.select(BPS_FINAL_DEMAND_CODES).to_numpy(),
        final_demand_names=tuple(label[c] for c in BPS_FINAL_DEMAND_CODES),
        primary_inputs=primary_rows.select(BPS_SECTOR_CODES).to_numpy(),
        primary_input_names=tuple(label[c] for c in BPS_PRIMARY_CODES),
        x=x,
        unit="juta rupiah",
        source=BPS_ATTRIBUTION + " (17 produk, transaksi domestik atas dasar harga dasar)",
        labour_income_row=label[BPS_LABOUR_CODE],
        household_consumption_column=label[BPS_HOUSEHOLD_CODE],
        import_rows=(label[BPS_IMPORT_CODE],),
        employment=None if employment is None else as_vector(employment, "employment", 17),
        employment_source=employment_source,
        sector_codes=BPS_SECTOR_CODES,
        output_basis="column 7000 (domestic output at basic prices)",
        notes=tuple(notes),
    )


def read_bungo_2010(*, labour_income_proxy: bool = False) -> IOTable:
    """Kabupaten Bungo (Jambi) input-output table 2010, 46 sectors, juta rupiah, **not balanced**.

    Layout (LUMENS folder, headerless CSVs): Z 46×46; final demand Households (301),
    Government (302), Investment (303), Export (305); primary inputs Import (200), Factors of
    Production (201–203: wages and salaries, operating surplus, depreciation together) and Net
    Indirect Taxes (204); workers by sector. x = column totals (Z + primary inputs), as in the
    upstream xlsx (row 210 "Input"). Row and column totals differ by 10–40 % for most sectors
    and the Palm Oil Industry row sums to a negative number (investment column): see
    :func:`balance_check`. A realistic test fixture, not an authoritative table.

    The table has no separate labour-income row. With ``labour_income_proxy=True`` the row
    "Factors of Production" (all value added at factor cost) stands in for household income,
    which overstates income multipliers; the default leaves income multipliers unavailable.

    Source: github.com/icraf-indonesia/lumens-shiny ``data/regeco`` (MIT), see
    ``tuntas/reference/data/SOURCES.md`` §4.

    Examples
    --------
    >>> table = read_bungo_2010()
    >>> table.n_sectors, table.employment is not None, table.labour_income_row
    (46, True, None)
    """
    table = read_io_table(
        _io_data("bungo_2010"),
        name="IO Bungo District 2010 (46 sectors)",
        source=BUNGO_SOURCE,
        unit="juta rupiah",
        household_consumption_column="Households",
        import_rows=("Import",),
        labour_income_row="Factors of Production" if labour_income_proxy else None,
        employment_source="07_labour.csv of the same table (workers by sector, persons)",
    )
    notes = [
        "x = column totals (intermediate + primary inputs), as in the source workbook.",
        "The table is not balanced (see the balance check); multipliers use x = column totals.",
        "Negative final demand (investment column) in 11 sectors: stock changes seem to be netted "
        "into investment.",
    ]
    if labour_income_proxy:
        notes.append(
            "Labour income proxy: 'Factors of Production' (all value added at factor cost) is "
            "used as household income; income and Type II multipliers are overstated."
        )
    else:
        notes.append("No labour-income row: income and Type II multipliers are not available.")
    return table.with_notes(*notes)


# ----------------------------------------------------------------------------------------------
# User tables


def _read_text(source: Source) -> str:
    if isinstance(source, str | Path):
        return Path(source).read_text(encoding="utf-8-sig")
    return source.read_text(encoding="utf-8-sig")


def _csv_grid(text: str) -> list[list[str]]:
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def _xlsx_rows(path: Path, sheet: str | None, *, data_only: bool) -> list[tuple[object, ...]]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise ValueError(f"{path.name} has no sheet {sheet!r}; sheets are {book.sheetnames}")
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        return [tuple(row) for row in worksheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _xlsx_cell(value: object, decimal: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        text = repr(float(value)) if isinstance(value, float) else str(value)
        return text.replace(".", ",") if decimal == "," else text
    return str(value).strip()


def _xlsx_grid(path: Path, sheet: str | None, *, decimal: str) -> list[list[str]]:
    """Cell texts of one sheet; numbers keep full precision in the ``decimal`` convention.

    A formula whose value was never saved (a workbook written by a program and not opened in a
    spreadsheet since) would read as blank, i.e. 0: that is an error naming the cell.
    """
    from openpyxl.utils import get_column_letter

    values = _xlsx_rows(path, sheet, data_only=True)
    formulas = _xlsx_rows(path, sheet, data_only=False)
    for r, (value_row, formula_row) in enumerate(zip(values, formulas, strict=False)):
        for c, (value, formula) in enumerate(zip(value_row, formula_row, strict=False)):
            if value is None and isinstance(formula, str) and formula.startswith("="):
                raise ValueError(
                    f"{path.name}: cell {get_column_letter(c + 1)}{r + 1} has a formula "
                    f"({formula}) without a saved value; open and save the file in a spreadsheet"
                )
    return [[_xlsx_cell(value, decimal) for value in row] for row in values]


_NUMBER = {
    ".": re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$"),
    ",": re.compile(r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d*)(?:,\d+)?(?:[eE][+-]?\d+)?$"),
}


def parse_number(cell: str, *, decimal: str = ".") -> float:
    """One table cell as a number: blank or "-" is 0; thousands separators are dropped.

    ``decimal="."`` reads ``1,234.5``; ``decimal=","`` reads ``1.234,5`` (Indonesian style);
    ``(12)`` is −12. A separator that is not a thousands separator in that convention (``1,5``
    with ``decimal="."``) is an error rather than a guess, as is any other text.

    Examples
    --------
    >>> parse_number(" 1,187,578,694 "), parse_number("-"), parse_number("1.234,5", decimal=",")
    (1187578694.0, 0.0, 1234.5)
    >>> parse_number("1,5")
    Traceback (most recent call last):
    ...
    ValueError: '1,5' is not a number with decimal mark '.'
    """
    if decimal not in _NUMBER:
        raise ValueError(f"decimal must be '.' or ',', not {decimal!r}")
    text = cell.strip().replace("\u00a0", "").replace(" ", "")
    if text in ("", "-", "–"):
        return 0.0
    if text.startswith("(") and text.endswith(")"):
        text = "-" + text[1:-1]
    if not _NUMBER[decimal].match(text) or not any(ch.isdigit() for ch in text):
        raise ValueError(f"{cell.strip()!r} is not a number with decimal mark {decimal!r}")
    thousands = "," if decimal == "." else "."
    return float(text.replace(thousands, "").replace(decimal, "."))


def _numbers(
    grid: list[list[str]],
    rows: Sequence[int],
    columns: Sequence[int],
    *,
    where: str,
    decimal: str,
) -> FloatArray:
    out = np.zeros((len(rows), len(columns)))
    header = next(row for row in grid if any(cell for cell in row))
    for a, r in enumerate(rows):
        line = grid[r]
        for b, c in enumerate(columns):
            cell = line[c] if c < len(line) else ""
            try:
                out[a, b] = parse_number(cell, decimal=decimal)
            except ValueError:
                raise ValueError(
                    f"{where}: row {r + 1} ({line[0]!r}), column {c + 1} ({header[c]!r}): "
                    f"{cell!r} is not a number"
                ) from None
    return out


def _find_label(labels: Sequence[str], wanted: str | None) -> int | None:
    if wanted is None:
        return None
    folded = [label.casefold() for label in labels]
    return folded.index(wanted.casefold()) if wanted.casefold() in folded else None


def _sheet_table(
    grid: list[list[str]],
    *,
    where: str,
    name: str,
    source: str,
    unit: str,
    labour_income_row: str | None,
    household_consumption_column: str | None,
    import_rows: Sequence[str],
    employment_row: str | None,
    employment_source: str | None,
    output_label: str | None,
    ignore: Sequence[str],
    decimal: str,
) -> IOTable:
    filled = [r for r, row in enumerate(grid) if any(cell for cell in row)]
    if len(filled) < 2:
        raise ValueError(f"{where}: needs a header row and at least one sector row")
    width = max(len(row) for row in grid)
    grid = [row + [""] * (width - len(row)) for row in grid]
    top = filled[0]
    header = grid[top]
    skip = {label.casefold() for label in ignore}
    columns = [c for c in range(1, width) if header[c] and header[c].casefold() not in skip]
    column_labels = [header[c] for c in columns]
    rows = [r for r in filled if r > top]
    body = [r for r in rows if grid[r][0] and grid[r][0].casefold() not in skip]
    unlabelled = [r + 1 for r in rows if not grid[r][0]]
    if unlabelled:
        raise ValueError(f"{where}: row(s) {unlabelled} have no label in the first column")
    row_labels = [grid[r][0] for r in body]
    n = 0
    while n < min(len(row_labels), len(column_labels)) and row_labels[n] == column_labels[n]:
        n += 1
    if n == 0:
        raise ValueError(
            f"{where}: no sector rows found. The first data rows must be the sectors, labelled "
            f"as the first columns after the label column, in the same order (first row "
            f"{row_labels[0] if row_labels else None!r}, first columns {column_labels[:3]})"
        )
    sectors = row_labels[:n]
    total = (output_label or "").casefold()
    misplaced = [
        label for label in row_labels[n:] if label in column_labels and label.casefold() != total
    ]
    if misplaced:
        raise ValueError(
            f"{where}: row {misplaced[0]!r} comes after the Z block but is also a column label. "
            "The sectors must be in the same order on rows and columns, and primary-input rows "
            "need labels that differ from every column label"
        )
    output_column = _find_label(column_labels, output_label)
    output_row = _find_label([grid[r][0] for r in body], output_label)
    employment_at = _find_label([grid[r][0] for r in body], employment_row)
    if employment_row is not None and employment_at is None:
        raise ValueError(f"{where}: no employment row {employment_row!r}")
    if output_label is not None and output_column is None and output_row is None:
        raise ValueError(f"{where}: no row or column {output_label!r} for total output")
    fd_columns = [columns[i] for i in range(n, len(columns)) if i != output_column]
    primary = [body[i] for i in range(n, len(body)) if i not in (output_row, employment_at)]
    sector_rows = body[:n]
    sector_columns = columns[:n]
    Z = _numbers(grid, sector_rows, sector_columns, where=where, decimal=decimal)
    final_demand = _numbers(grid, sector_rows, fd_columns, where=where, decimal=decimal)
    primary_inputs = _numbers(grid, primary, sector_columns, where=where, decimal=decimal)
    if output_row is not None:
        x = _numbers(grid, [body[output_row]], sector_columns, where=where, decimal=decimal)[0]
        basis = f"row {output_label!r}"
    elif output_column is not None:
        x = _numbers(grid, sector_rows, [columns[output_column]], where=where, decimal=decimal)[
            :, 0
        ]
        basis = f"column {output_label!r}"
    else:
        x = Z.sum(axis=0) + primary_inputs.sum(axis=0)
        basis = "column totals (intermediate + primary inputs)"
    employment = None
    if employment_at is not None:
        employment = _numbers(
            grid, [body[employment_at]], sector_columns, where=where, decimal=decimal
        )[0]
    return _user_table(
        name=name,
        sectors=sectors,
        Z=Z,
        final_demand=final_demand,
        final_demand_names=[header[c] for c in fd_columns],
        primary_inputs=primary_inputs,
        primary_input_names=[grid[r][0] for r in primary],
        x=x,
        basis=basis,
        where=where,
        source=source,
        unit=unit,
        labour_income_row=labour_income_row,
        household_consumption_column=household_consumption_column,
        import_rows=import_rows,
        employment=employment,
        employment_source=employment_source,
    )


def _user_table(
    *,
    name: str,
    sectors: Sequence[str],
    Z: FloatArray,
    final_demand: FloatArray,
    final_demand_names: Sequence[str],
    primary_inputs: FloatArray,
    primary_input_names: Sequence[str],
    x: FloatArray,
    basis: str,
    where: str,
    source: str,
    unit: str,
    labour_income_row: str | None,
    household_consumption_column: str | None,
    import_rows: Sequence[str],
    employment: FloatArray | None,
    employment_source: str | None,
) -> IOTable:
    if (x < 0).any():
        bad = [sectors[int(i)] for i in np.flatnonzero(x < 0)]
        raise ValueError(f"{where}: total output ({basis}) is negative for {bad}")
    try:
        return IOTable(
            name=name,
            sectors=tuple(sectors),
            Z=Z,
            final_demand=final_demand,
            final_demand_names=tuple(final_demand_names),
            primary_inputs=primary_inputs,
            primary_input_names=tuple(primary_input_names),
            x=x,
            unit=unit,
            source=source or f"user table {where}",
            labour_income_row=labour_income_row,
            household_consumption_column=household_consumption_column,
            import_rows=tuple(import_rows),
            employment=employment,
            employment_source=employment_source if employment is not None else None,
            output_basis=basis,
            notes=(f"x = {basis}.",),
        )
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None


def _folder_file(folder: Traversable, key: str, *, required: bool = True) -> Traversable | None:
    for candidate in FOLDER_FILES[key]:
        item = folder.joinpath(candidate)
        if item.is_file():
            return item
    if required:
        raise ValueError(f"{folder}: missing {FOLDER_FILES[key][0]} (the LUMENS folder layout)")
    return None


def _folder_matrix(item: Traversable, shape: tuple[int, int], *, decimal: str) -> FloatArray:
    grid = [row for row in _csv_grid(_read_text(item)) if any(row)]
    if len(grid) != shape[0] or any(len(row) != shape[1] for row in grid):
        found = (len(grid), max((len(row) for row in grid), default=0))
        raise ValueError(
            f"{item.name}: expected {shape[0]} rows × {shape[1]} columns, found {found}"
        )
    out = np.zeros(shape)
    for i, row in enumerate(grid):
        for j, cell in enumerate(row):
            try:
                out[i, j] = parse_number(cell, decimal=decimal)
            except ValueError:
                raise ValueError(
                    f"{item.name}: row {i + 1}, column {j + 1}: {cell!r} is not a number"
                ) from None
    return out


def _folder_table(
    folder: Traversable,
    *,
    name: str,
    source: str,
    unit: str,
    labour_income_row: str | None,
    household_consumption_column: str | None,
    import_rows: Sequence[str],
    employment_source: str | None,
    decimal: str,
) -> IOTable:
    def names(key: str) -> list[str]:
        item = _folder_file(folder, key)
        assert item is not None
        return [row[0] for row in _csv_grid(_read_text(item)) if row and row[0]]

    sectors = names("sectors")
    fd_names = names("final_demand_names")
    pi_names = names("primary_names")
    n = len(sectors)

    def matrix(key: str, shape: tuple[int, int]) -> FloatArray:
        item = _folder_file(folder, key)
        assert item is not None
        return _folder_matrix(item, shape, decimal=decimal)

    Z = matrix("intermediate", (n, n))
    final_demand = matrix("final_demand", (n, len(fd_names)))
    primary_inputs = matrix("primary", (len(pi_names), n))
    labour = _folder_file(folder, "labour", required=False)
    employment = None if labour is None else _folder_matrix(labour, (n, 1), decimal=decimal)[:, 0]
    return _user_table(
        name=name,
        sectors=sectors,
        Z=Z,
        final_demand=final_demand,
        final_demand_names=fd_names,
        primary_inputs=primary_inputs,
        primary_input_names=pi_names,
        x=Z.sum(axis=0) + primary_inputs.sum(axis=0),
        basis="column totals (intermediate + primary inputs)",
        where=str(folder),
        source=source,
        unit=unit,
        labour_income_row=labour_income_row,
        household_consumption_column=household_consumption_column,
        import_rows=import_rows,
        employment=employment,
        employment_source=employment_source,
    )


def read_io_table(
    path: Source,
    *,
    name: str | None = None,
    source: str = "",
    unit: str = "juta rupiah",
    sheet: str | None = None,
    labour_income_row: str | None = None,
    household_consumption_column: str | None = None,
    import_rows: Sequence[str] = (),
    employment_row: str | None = None,
    employment_source: str | None = None,
    output_label: str | None = None,
    ignore: Sequence[str] = (),
    decimal: str = ".",
) -> IOTable:
    """Read a user's input-output table from a CSV or xlsx sheet, or a LUMENS-style folder.

    **One sheet (CSV or xlsx).** The first row is the header, the first column the row labels::

        label,      Agri, Manuf, Serv, Households, Government, Exports
        Agri,         10,    40,    5,         30,          0,      15
        Manuf,        20,    60,   25,         70,         10,      65
        Serv,          5,    20,   10,         60,         30,      25
        Imports,       5,    25,    5
        Wages,        40,    60,   70
        Surplus,      20,    45,   35
        Workers,     500,   300,  400

    * **Sectors**: the first data rows whose labels are also column labels, in the same order as
      the first columns after the label column: that square block is Z.
    * **Final demand**: every other labelled column (e.g. households, government, investment,
      stock changes, exports); do not include totals, or name them in ``ignore``.
    * **Primary inputs**: every other labelled row (imports, wages, surplus, taxes), except the
      ``employment_row`` (workers by sector, persons) and the ``output_label`` row.
    * **Output x**: the row or column labelled ``output_label`` if given, else the column totals
      (Z column + primary inputs), as BPS's "total input" row.
    * Cells: blank or "-" mean 0; thousands separators are dropped; ``decimal=","`` reads
      Indonesian ``1.234,5``; a cell that is ambiguous in the chosen convention (``1,5`` with
      ``decimal="."``) is an error, never a guess. Cells of primary-input rows under the
      final-demand columns are ignored. Label matching of ``output_label``, ``employment_row``
      and ``ignore`` is case-insensitive; primary-input rows need labels that differ from every
      column label.
    * xlsx: the first sheet unless ``sheet`` is given; a formula without a saved value (a file
      written by a program and never opened in a spreadsheet) is an error naming the cell.

    **Folder (LUMENS layout, headerless CSVs)**: ``01_sector.csv`` (sector names),
    ``02_intermediate_demand.csv`` (n×n), ``03_final_demand_comp.csv`` (k names),
    ``04_final_demand.csv`` (n×k), ``05_added_value_comp.csv`` (m names), ``06_added_value.csv``
    (m×n), optional ``07_labour.csv`` (n workers). x = column totals.

    Every problem raises ``ValueError`` naming the file, row, column and value.

    Parameters
    ----------
    path : str, Path or Traversable
        The CSV/xlsx file or the folder.
    name, source, unit : str, keyword-only
        Title, provenance (shown with every result) and money unit.
    sheet : str, optional
        xlsx sheet (default the first).
    labour_income_row, household_consumption_column, import_rows : keyword-only
        Which primary-input row is labour income, which final-demand column household
        consumption, which rows are imports (needed for income and Type II multipliers).
    employment_row, employment_source : str, optional
        The row with workers by sector and its citation.
    output_label : str, optional
        Row or column holding total output.
    ignore : sequence of str
        Row or column labels to skip (totals, subtotals).
    decimal : {".", ","}
        Decimal mark.

    Examples
    --------
    >>> text = '''label,Agri,Manuf,Households,Exports
    ... Agri,10,40,30,20
    ... Manuf,20,60,70,50
    ... Wages,40,60,,
    ... Surplus,30,40,,
    ... '''
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     file = pathlib.Path(folder, "io.csv")
    ...     _ = file.write_text(text)
    ...     table = read_io_table(file, labour_income_row="Wages",
    ...                           household_consumption_column="Households")
    >>> table.sectors, table.x.tolist(), balance_check(table).balanced
    (('Agri', 'Manuf'), [100.0, 200.0], True)
    """
    where = str(path)
    if isinstance(path, str | Path):
        path = Path(path)
        if not path.exists():
            raise ValueError(f"{path}: no such file or folder")
    title = name or (Path(str(path)).stem if not path.is_dir() else Path(str(path)).name)
    if path.is_dir():
        return _folder_table(
            path,
            name=title,
            source=source,
            unit=unit,
            labour_income_row=labour_income_row,
            household_consumption_column=household_consumption_column,
            import_rows=import_rows,
            employment_source=employment_source,
            decimal=decimal,
        )
    suffix = Path(str(path)).suffix.lower()
    if suffix == ".csv":
        grid = _csv_grid(_read_text(path))
    elif suffix in (".xlsx", ".xlsm"):
        grid = _xlsx_grid(Path(str(path)), sheet, decimal=decimal)
    else:
        raise ValueError(
            f"{where}: expected a .csv or .xlsx file or a folder, not {suffix or 'no suffix'!r}"
        )
    return _sheet_table(
        grid,
        where=where,
        name=title,
        source=source,
        unit=unit,
        labour_income_row=labour_income_row,
        household_consumption_column=household_consumption_column,
        import_rows=import_rows,
        employment_row=employment_row,
        employment_source=employment_source,
        output_label=output_label,
        ignore=ignore,
        decimal=decimal,
    )


def table_from_arrays(
    Z: ArrayLike,
    x: ArrayLike,
    *,
    sectors: Sequence[str] | None = None,
    final_demand: ArrayLike | None = None,
    final_demand_names: Sequence[str] = ("final demand",),
    primary_inputs: ArrayLike | None = None,
    primary_input_names: Sequence[str] = ("value added",),
    labour_income: ArrayLike | None = None,
    household_consumption: ArrayLike | None = None,
    employment: ArrayLike | None = None,
    name: str = "table",
    source: str = "arrays",
    unit: str = "money",
) -> IOTable:
    """Build an :class:`IOTable` from arrays; missing blocks are derived so the table balances.

    Final demand defaults to x − Z·1 (one column); primary inputs default to x − 1ᵀZ (one row,
    "value added"). ``labour_income`` and ``household_consumption``, when given, are added as
    a primary-input row "labour income" (taken out of "value added") and a final-demand column
    "household consumption" (taken out of "final demand").

    Examples
    --------
    >>> t = table_from_arrays([[150, 500], [200, 100]], [1000, 2000], labour_income=[300, 500],
    ...                       household_consumption=[50, 400])
    >>> t.primary_input_names, t.final_demand_names
    (('labour income', 'value added'), ('household consumption', 'final demand'))
    >>> balance_check(t).balanced
    True
    """
    transactions = np.asarray(Z, dtype=np.float64)
    output = np.asarray(x, dtype=np.float64).reshape(-1)
    n = output.size
    names = tuple(sectors) if sectors is not None else tuple(f"sector {i + 1}" for i in range(n))
    fd = (
        np.asarray(final_demand, dtype=np.float64).reshape(n, -1)
        if final_demand is not None
        else (output - transactions.sum(axis=1)).reshape(n, 1)
    )
    fd_names = tuple(final_demand_names)
    pi = (
        np.asarray(primary_inputs, dtype=np.float64).reshape(-1, n)
        if primary_inputs is not None
        else (output - transactions.sum(axis=0)).reshape(1, n)
    )
    pi_names = tuple(primary_input_names)
    labour_row = None
    household_column = None
    if labour_income is not None:
        wages = as_vector(labour_income, "labour_income", n)
        if primary_inputs is None:
            pi = pi - wages
        pi, pi_names, labour_row = (
            np.vstack([wages, pi]),
            ("labour income", *pi_names),
            "labour income",
        )
    if household_consumption is not None:
        spend = as_vector(household_consumption, "household_consumption", n)
        if final_demand is None:
            fd = fd - spend[:, np.newaxis]
        fd = np.hstack([spend[:, np.newaxis], fd])
        fd_names, household_column = ("household consumption", *fd_names), "household consumption"
    return IOTable(
        name=name,
        sectors=names,
        Z=transactions,
        final_demand=fd,
        final_demand_names=fd_names,
        primary_inputs=pi,
        primary_input_names=pi_names,
        x=output,
        unit=unit,
        source=source,
        labour_income_row=labour_row,
        household_consumption_column=household_column,
        employment=None if employment is None else as_vector(employment, "employment", n),
        employment_source=None if employment is None else source,
    )


def sector_vector(table: IOTable, values: ArrayLike | Mapping[str, float], what: str) -> FloatArray:
    """A vector aligned to the table's sectors from an array or a {sector: value} mapping.

    Sectors missing from a mapping get 0; unknown names are an error.

    Examples
    --------
    >>> t = table_from_arrays([[1, 2], [3, 4]], [10, 20], sectors=["a", "b"])
    >>> sector_vector(t, {"b": 5}, "shock").tolist()
    [0.0, 5.0]
    """
    if isinstance(values, Mapping):
        unknown = [key for key in values if key not in table.sectors]
        if unknown:
            raise ValueError(
                f"{what}: unknown sector(s) {unknown}; the table has {list(table.sectors)}"
            )
        return np.array([float(values.get(sector, 0.0)) for sector in table.sectors])
    return as_vector(values, what, table.n_sectors)
