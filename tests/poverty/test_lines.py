"""Poverty lines from the dated parameters: values, fallback, errors, tables and overrides."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tuntas.params import ParameterError, baseline
from tuntas.poverty.lines import (
    LineNotFoundError,
    custom_line,
    defined_lines,
    line_date,
    line_for,
    line_table,
    load_line_overrides,
    with_line_overrides,
)


def test_klaten_national_lines_are_the_published_bps_values() -> None:
    # BPS Kabupaten Klaten (detikJateng 19/9/2024; BRS Klaten 2020), as in params/poverty_lines.yaml
    expected = {2019: 405537, 2020: 419510, 2023: 488102, 2024: 505826}
    for year, rupiah in expected.items():
        line = line_for("33.10", year=year, kind="national")
        assert line.rupiah == rupiah
        assert line.status == "published"
        assert line.basis == "BPS-CBN"
        assert line.date == dt.date(year, 3, 1)
        assert line.region == "33.10"
        assert "BPS" in line.reference


def test_extreme_line_basis_follows_the_date() -> None:
    old = line_for("33.10", year=2023)
    assert (old.rupiah, old.basis, old.status) == (351957.0, "USD1.90-PPP2011", "published")
    new = line_for("33.10", year=2024)
    assert (new.rupiah, new.basis, new.status) == (391000.0, "USD2.15-PPP2017", "assumption")
    assert new.is_assumption and new.region == ""
    assert new.to_dict()["region"] == "national"


def test_lower_levels_inherit_and_other_regencies_fall_back_to_the_province() -> None:
    assert line_for("33.10.03.2006", year=2024, kind="national").rupiah == 505826.0
    sukoharjo = line_for("33.11", year=2024, kind="national")
    assert (sukoharjo.rupiah, sukoharjo.region, sukoharjo.asked_region) == (507001.0, "33", "33.11")


def test_missing_line_names_the_region_and_province() -> None:
    with pytest.raises(LineNotFoundError, match=r"region 35\.01 \(nor its province 35\)"):
        line_for("35.01", year=2024, kind="national")
    with pytest.raises(ParameterError):  # a LineNotFoundError is a ParameterError
        line_for("35.01", year=2024, kind="national")
    with pytest.raises(LineNotFoundError, match="extreme"):
        line_for("33.10", year=2019, kind="extreme")  # the first extreme value is dated 2021


def test_year_means_first_of_march_and_date_is_exact() -> None:
    assert line_date(year=2024) == dt.date(2024, 3, 1)
    assert line_for("33.10", date="2024-02-29", kind="national").rupiah == 488102.0
    assert line_for("33.10", date="2024-03-01", kind="national").rupiah == 505826.0
    with pytest.raises(ValueError, match="year or date"):
        line_for("33.10", year=2024, date="2024-03-01")
    with pytest.raises(ValueError, match="kind"):
        line_for("33.10", year=2024, kind="poverty")


def test_line_table_has_every_combination_and_marks_gaps() -> None:
    table = line_table(["33.10", "35.01"], [2023, 2024])
    assert table.height == 8
    missing = table.filter(table["status"] == "missing")
    assert missing["region_code"].unique().to_list() == ["35.01"]
    assert missing["kind"].to_list() == ["national", "national"]
    assert missing["rupiah"].null_count() == 2
    # the extreme line is national, so 35.01 has it
    row = table.filter((table["region_code"] == "35.01") & (table["kind"] == "extreme"))
    assert row["rupiah"].to_list() == [351957.0, 391000.0]


def test_defined_lines_is_the_canonical_lines_table() -> None:
    table = defined_lines()
    assert {"region_code", "year", "kind", "basis", "rupiah", "source"} <= set(table.columns)
    klaten = table.filter((table["region_code"] == "33.10") & (table["kind"] == "national"))
    assert klaten.height == 7
    assert set(table.filter(table["kind"] == "extreme")["basis"]) == {
        "USD1.90-PPP2011",
        "USD2.15-PPP2017",
    }


def test_csv_override_replaces_adds_and_records_basis_and_status(tmp_path: Path) -> None:
    csv = tmp_path / "lines.csv"
    csv.write_text(
        "region_code,year,kind,rupiah,basis,source\n"
        "33.10,2024,national,510000,BPS-CBN,Perbup Klaten (contoh)\n"
        "35.01,2024,national,450000,,\n"
        "33.10,2025,extreme,420000,USD3.00-PPP2021,World Bank June 2025\n",
        encoding="utf-8",
    )
    params = with_line_overrides(csv)
    replaced = line_for("33.10", year=2024, kind="national", params=params)
    assert (replaced.rupiah, replaced.status, replaced.reference) == (
        510000.0,
        "published",
        "Perbup Klaten (contoh)",
    )
    assert replaced.source_file == str(csv)
    added = line_for("35.01", year=2024, kind="national", params=params)
    assert (added.rupiah, added.status) == (450000.0, "assumption")
    extreme = line_for("33.10.03.2006", year=2025, params=params)
    assert (extreme.rupiah, extreme.basis) == (420000.0, "USD3.00-PPP2021")
    # other regions and years keep the shipped values; the baseline itself is unchanged
    assert line_for("33.11", year=2025, params=params).rupiah == 391000.0
    assert line_for("33.10", year=2023, kind="national", params=params).rupiah == 488102.0
    assert line_for("33.10", year=2024, kind="national").rupiah == 505826.0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("region_code,year,kind,rupiah\n33.10,2024,ekstrem,1\n", "kind"),
        ("region_code,year,kind,rupiah\n33.10,2024,national,abc\n", "not a number"),
        ("region_code,year,kind,rupiah\n33.10,2024,national,-5\n", "positive"),
        ("region_code,year,rupiah\n33.10,2024,5\n", "missing columns"),
        (
            "region_code,year,kind,rupiah\n33.10,2024,national,1\n33.10,2024,national,2\n",
            "second national line",
        ),
        (
            "region_code,year,kind,rupiah,source,status\n33.10,2024,national,1,,published\n",
            "needs a source",
        ),
    ],
)
def test_bad_csv_overrides_are_rejected_with_the_row(
    tmp_path: Path, body: str, message: str
) -> None:
    csv = tmp_path / "lines.csv"
    csv.write_text(body, encoding="utf-8")
    with pytest.raises(ParameterError, match=message):
        load_line_overrides(csv)


def test_yaml_override_through_the_parameter_loader(tmp_path: Path) -> None:
    yaml_file = tmp_path / "klaten.yaml"
    yaml_file.write_text(
        "poverty_lines.national_line:\n"
        "  unit: rupiah_per_capita_per_month\n"
        "  values:\n"
        "    - date: 2024-03-01\n"
        "      value: 499999\n"
        '      region: "33.10"\n'
        "      status: assumption\n",
        encoding="utf-8",
    )
    params = with_line_overrides(yaml_file)
    line = line_for("33.10", year=2024, kind="national", params=params)
    assert (line.rupiah, line.status) == (499999.0, "assumption")
    assert baseline().value("poverty_lines.national_line", region="33.10", date="2024-03-01") == (
        505826
    )
    with pytest.raises(ParameterError, match=r"\.csv or \.yaml"):
        load_line_overrides(tmp_path / "lines.txt")


def test_custom_line_is_an_assumption() -> None:
    line = custom_line(450000, region="33.10", date=dt.date(2024, 3, 1))
    assert (line.kind, line.basis, line.status, line.is_assumption) == (
        "custom",
        "custom",
        "assumption",
        True,
    )
    assert line.to_dict()["value"] == 450000.0
    with pytest.raises(ValueError, match="positive"):
        custom_line(0)
