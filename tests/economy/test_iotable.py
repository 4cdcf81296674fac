"""Readers and balance check: BPS 2020 (balanced), Bungo 2010 (not), and users' own tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import polars as pl
import pytest

from tuntas.economy import (
    BPS_ATTRIBUTION,
    balance_check,
    output_multipliers,
    read_bps_2020_17,
    read_bungo_2010,
    read_io_table,
    table_from_arrays,
)
from tuntas.economy.iotable import parse_number

SIMPLE = """label,Agri,Manuf,Serv,Households,Government,Exports
Agri,10,40,5,30,0,15
Manuf,20,60,25,70,10,65
Serv,5,20,10,60,30,25
Imports,5,25,5,,,
Wages,40,60,70,,,
Surplus,20,45,35,,,
Workers,500,300,400,,,
"""
# Row totals: Agri 10+40+5+30+0+15 = 100; Manuf 20+60+25+70+10+65 = 250; Serv 5+20+10+60+30+25 = 150
# Column totals: Agri 10+20+5+5+40+20 = 100; Manuf 40+60+20+25+60+45 = 250; Serv 5+25+10+5+70+35 = 150


def test_bps_table_published_totals() -> None:
    # SOURCES.md §5: total output 28,700,250,526; intermediate demand 11,719,964,690;
    # compensation of employees 5,810,802,524; household consumption 8,290,490,427 (juta rupiah)
    table = read_bps_2020_17()
    assert table.n_sectors == 17
    assert table.x.sum() == 28_700_250_526
    assert table.Z.sum() == 11_719_964_690
    assert table.labour_income is not None and table.labour_income.sum() == 5_810_802_524
    assert table.household_consumption is not None
    assert table.household_consumption.sum() == 8_290_490_427
    assert table.sector_codes == tuple(str(i) for i in range(1, 18))
    assert table.sectors[0] == "Pertanian, Kehutanan, dan Perikanan"
    assert BPS_ATTRIBUTION in table.source and any(BPS_ATTRIBUTION in note for note in table.notes)
    assert table.import_rows == ("Total Konsumsi Antara Impor",)
    assert table.employment is None


def test_bps_table_is_balanced_exactly() -> None:
    report = balance_check(read_bps_2020_17(), tolerance=0.0)
    assert report.balanced
    assert report.max_gap == 0.0
    assert report.negative_rows == ()
    assert "balanced" in report.message


def test_bps_employment_needs_a_source() -> None:
    with pytest.raises(ValueError, match="employment_source"):
        read_bps_2020_17(employment=np.ones(17))
    table = read_bps_2020_17(employment=np.ones(17), employment_source="test")
    assert table.employment is not None and table.employment_source == "test"


def test_bungo_fixture_is_flagged_unbalanced() -> None:
    table = read_bungo_2010()
    report = balance_check(table)
    assert table.n_sectors == 46
    assert not report.balanced
    # row vs column totals differ by 10–40 % for most sectors (SOURCES.md §4)
    gaps = report.by_sector["relative_gap"].abs()
    share_10_to_60 = ((gaps >= 0.10) & (gaps <= 0.60)).mean()
    assert share_10_to_60 is not None and share_10_to_60 > 0.7
    assert 0.3 < report.median_relative_gap < 0.45
    # the Palm Oil Industry row sums to a negative number
    assert report.negative_rows == ("Palm Oil Industry",)
    palm = report.by_sector.filter(pl.col("sector") == "Palm Oil Industry")
    assert palm["row_total"][0] == pytest.approx(-22285.576, abs=1e-3)
    assert "NOT balanced" in report.message and "Palm Oil Industry" in report.message
    assert any("not balanced" in note for note in table.notes)


def test_bungo_multipliers_with_column_totals() -> None:
    # SOURCES.md §4: with x = column totals, output multipliers run 1.01–4.09, median 1.11
    table = read_bungo_2010()
    np.testing.assert_allclose(table.x, table.Z.sum(axis=0) + table.primary_inputs.sum(axis=0))
    m = output_multipliers(table.Z, table.x)
    assert m.min() == pytest.approx(1.01, abs=0.005)
    assert m.max() == pytest.approx(4.09, abs=0.005)
    assert np.median(m) == pytest.approx(1.11, abs=0.005)
    assert (
        table.employment is not None and table.employment.sum() == 152_949
    )  # sum of 07_labour.csv
    assert table.labour_income is None
    proxy = read_bungo_2010(labour_income_proxy=True)
    assert proxy.labour_income_row == "Factors of Production"


def test_read_simple_csv(tmp_path: Path) -> None:
    file = tmp_path / "kab.csv"
    file.write_text(SIMPLE)
    table = read_io_table(
        file,
        labour_income_row="Wages",
        household_consumption_column="Households",
        import_rows=["Imports"],
        employment_row="workers",
        source="test table",
    )
    assert table.sectors == ("Agri", "Manuf", "Serv")
    assert table.final_demand_names == ("Households", "Government", "Exports")
    assert table.primary_input_names == ("Imports", "Wages", "Surplus")
    np.testing.assert_allclose(table.x, [100, 250, 150])
    assert table.employment is not None
    np.testing.assert_allclose(table.employment, [500, 300, 400])
    assert balance_check(table, tolerance=0).balanced
    assert table.output_basis.startswith("column totals")


def test_read_xlsx_with_output_row_and_ignored_totals(tmp_path: Path) -> None:
    rows = [line.split(",") for line in SIMPLE.strip().splitlines()]
    rows[0].append("Total")
    for row in rows[1:4]:
        row.append(str(sum(float(v) for v in row[1:] if v)))
    rows.append(["Total output", "100", "250", "150"])
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "IO"
    for row in rows:
        sheet.append([float(v) if v.replace(".", "").isdigit() else (v or None) for v in row])
    path = tmp_path / "kab.xlsx"
    book.save(path)
    table = read_io_table(
        path, sheet="IO", output_label="total output", ignore=["Total"], employment_row="Workers"
    )
    np.testing.assert_allclose(table.x, [100, 250, 150])
    assert "Total" not in table.final_demand_names
    assert table.output_basis == "row 'total output'"
    with pytest.raises(ValueError, match="no sheet 'Tabel'"):
        read_io_table(path, sheet="Tabel")


def test_read_bungo_style_folder_and_upstream_names(tmp_path: Path) -> None:
    (tmp_path / "01_sector.csv").write_text("A,g\nB,g\n")
    (tmp_path / "02_intermediate demand.csv").write_text("1,2\n3,4\n")
    (tmp_path / "03_final demand comp.csv").write_text("Households\n")
    (tmp_path / "04_final demand.csv").write_text("7\n3\n")
    (tmp_path / "05_added value comp.csv").write_text("Wages\n")
    (tmp_path / "06_added value.csv").write_text("6,4\n")
    table = read_io_table(tmp_path, labour_income_row="Wages")
    np.testing.assert_allclose(table.x, [10, 10])
    assert balance_check(table).balanced
    assert table.employment is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "label,Agri,Manuf\nAgri,1,x\nManuf,1,1\nWages,1,1\n",
            r"row 2 \('Agri'\), column 3 \('Manuf'\): 'x'",
        ),
        ("label,Agri,Manuf\nFoo,1,2\n", "no sector rows found"),
        ("label,Agri,Manuf\nAgri,1,1\nWages,1,1\nManuf,1,1\n", "'Manuf' comes after the Z block"),
        ("label,Agri,Manuf\nAgri,1,1\nManuf,1,1\n,1,1\n", "have no label"),
        ("label,Agri\nAgri,1\nWages,-5\n", "negative"),
    ],
)
def test_user_file_errors_are_named(tmp_path: Path, text: str, message: str) -> None:
    file = tmp_path / "bad.csv"
    file.write_text(text)
    with pytest.raises(ValueError, match=message) as info:
        read_io_table(file)
    assert "bad.csv" in str(info.value)


def test_user_file_option_errors(tmp_path: Path) -> None:
    file = tmp_path / "io.csv"
    file.write_text(SIMPLE)
    with pytest.raises(ValueError, match="labour_income_row 'Upah' is not a primary-input row"):
        read_io_table(file, labour_income_row="Upah")
    with pytest.raises(ValueError, match="no employment row 'Tenaga kerja'"):
        read_io_table(file, employment_row="Tenaga kerja")
    with pytest.raises(ValueError, match="no row or column 'x'"):
        read_io_table(file, output_label="x")
    with pytest.raises(ValueError, match="no such file"):
        read_io_table(tmp_path / "missing.csv")
    other = tmp_path / "io.txt"
    other.write_text(SIMPLE)
    with pytest.raises(ValueError, match=r"\.csv or \.xlsx"):
        read_io_table(other)
    (tmp_path / "folder").mkdir()
    with pytest.raises(ValueError, match=r"missing 01_sector\.csv"):
        read_io_table(tmp_path / "folder")


def test_parse_number_formats() -> None:
    assert parse_number("1,187,578,694") == 1_187_578_694
    assert parse_number("-35,755,640") == -35_755_640
    assert parse_number(" - ") == 0.0
    assert parse_number("") == 0.0
    assert parse_number("(12.5)") == -12.5
    assert parse_number("3.965.077,71", decimal=",") == pytest.approx(3_965_077.71)
    assert parse_number("1.500", decimal=",") == 1500
    for bad in ("abc", "1,5", "nan", "1.2.3"):
        with pytest.raises(ValueError, match="not a number"):
            parse_number(bad)
    with pytest.raises(ValueError, match="not a number"):
        parse_number("1.5", decimal=",")


def test_indonesian_number_format_and_ambiguous_cells(tmp_path: Path) -> None:
    file = tmp_path / "io.csv"
    file.write_text('label,A,B,RT\nA,"1.000,5",2,"3,5"\nB,1,1,1\nUpah,"2.000",1,\n')
    table = read_io_table(file, decimal=",")
    assert table.Z[0, 0] == 1000.5 and table.final_demand[0, 0] == 3.5
    assert table.primary_inputs[0, 0] == 2000
    with pytest.raises(ValueError, match=r"row 2 \('A'\), column 2 \('A'\): '1.000,5'"):
        read_io_table(file)


def test_xlsx_formula_without_saved_value_is_rejected(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["label", "A", "RT"], ["A", 1, "=B2*2"], ["Upah", 5, None]):
        sheet.append(row)
    path = tmp_path / "formula.xlsx"
    book.save(path)
    with pytest.raises(ValueError, match=r"cell C2 has a formula \(=B2\*2\) without a saved value"):
        read_io_table(path)


def test_table_validates_its_blocks() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        table_from_arrays([[1, 2], [3, 4]], [10, 10], sectors=["a", "a"])
    with pytest.raises(ValueError, match="shape"):
        table_from_arrays([[1, 2], [3, 4]], [10, 10], final_demand=[[1, 2, 3]])


def test_title_and_blank_lines_keep_file_row_numbers(tmp_path: Path) -> None:
    file = tmp_path / "titled.csv"
    file.write_text("\n\nlabel,A,B,RT\nA,1,2,3\n\nB,1,oops,1\nUpah,1,1,\n")
    with pytest.raises(ValueError, match=r"row 6 \('B'\), column 3 \('B'\): 'oops'"):
        read_io_table(file)
