"""Every workbook and CSV file the project writes goes through here (spreadsheet formula injection).

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which some
programs strip before reading a formula) becomes a live formula when a spreadsheet opens the file,
and a registry file is input from outside: a "name" such as ``=HYPERLINK("http://…", "klik")``
would run in the regency office's Excel. Following OWASP's *CSV Injection* guidance, such text is
prefixed with a single quote (``'``), which spreadsheets show as text, and workbooks are written
with every automatic conversion off (``strings_to_formulas``, ``strings_to_urls``,
``strings_to_numbers``), so that a string is always a string cell.

Only text is changed; numbers, dates and booleans are written as they are.

Examples
--------
>>> neutralise('=HYPERLINK("http://x","klik")')
'\\'=HYPERLINK("http://x","klik")'
>>> neutralise("Sumarni"), neutralise("-"), neutralise("")
('Sumarni', "'-", '')
>>> import polars as pl
>>> neutralise_frame(pl.DataFrame({"a": ["@cmd", "ok"], "n": [-1, 2]})).rows()
[("'@cmd", -1), ('ok', 2)]
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP CSV Injection)."""

_TRIGGER_PATTERN = r"^[=+\-@\t\r]"

WORKBOOK_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
"""xlsxwriter options: a string is always written as a string cell."""


def neutralise(text: str) -> str:
    """``text`` prefixed with ``'`` when it starts with a formula trigger, else unchanged."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def neutralise_expr(column: pl.Expr) -> pl.Expr:
    """:func:`neutralise` as a Polars expression over a text column (nulls stay null)."""
    return (
        pl.when(column.str.contains(_TRIGGER_PATTERN)).then(pl.lit("'") + column).otherwise(column)
    )


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text column of ``frame`` neutralised; other columns unchanged."""
    text = [name for name, dtype in frame.schema.items() if dtype in (pl.Utf8, pl.Categorical)]
    if not text:
        return frame
    return frame.with_columns(
        [neutralise_expr(pl.col(name).cast(pl.Utf8)).alias(name) for name in text]
    )


def create_private_file(path: Path) -> None:
    """Create ``path`` empty and readable by its owner only (0600), or tighten it if it exists.

    Writers then open the file for writing, which keeps the mode.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    path.chmod(0o600)


def write_csv(frame: pl.DataFrame, path: Path, *, bom: bool = False, private: bool = False) -> Path:
    """Write ``frame`` as CSV with its text neutralised; ``bom`` adds a UTF-8 BOM (for Excel),
    ``private`` creates the file readable by its owner only."""
    if private:
        create_private_file(path)
    safe = neutralise_frame(frame)
    with path.open("wb") as handle:
        if bom:
            handle.write(b"\xef\xbb\xbf")
        safe.write_csv(handle)
    return path


def open_workbook(path: Path, *, private: bool = False, **options: Any) -> xlsxwriter.Workbook:
    """An xlsxwriter workbook with every automatic string conversion off.

    ``private`` creates the file readable by its owner only before xlsxwriter writes it.
    """
    if private:
        create_private_file(path)
    return xlsxwriter.Workbook(str(path), {**WORKBOOK_OPTIONS, **options})


def write_cell(sheet: Worksheet, row: int, col: int, value: Any, fmt: Format | None = None) -> None:
    """Write one value: text neutralised as a string cell, numbers as numbers, ``None`` blank."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, fmt)
    else:
        sheet.write_string(row, col, neutralise(str(value)), fmt)
