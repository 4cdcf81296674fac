"""Dated parameters: the lookup rule, provenance, overrides and the shipped values (DESIGN §5)."""

import datetime as dt
from pathlib import Path

import pytest

from tuntas.params import (
    ParameterError,
    ParameterSet,
    baseline,
    load_override_file,
    parse_parameter_text,
)

TREE = """
line:
  description: test line
  unit: rupiah_per_capita_per_month
  values:
    - {date: 2020-01-01, value: 100, reference: national 2020}
    - {date: 2022-01-01, value: 120, reference: national 2022}
    - {date: 2021-01-01, value: 150, region: "33", reference: province 2021}
    - {date: 2023-01-01, value: 190, region: "33.10", reference: regency 2023, status: published}
    - {date: 2024-01-01, value: 999, region: "33.10", status: assumption}
"""


@pytest.fixture
def params() -> ParameterSet:
    return ParameterSet(parse_parameter_text(TREE, root="t", source_file="test.yaml"))


def test_most_specific_region_then_latest_date(params: ParameterSet) -> None:
    assert params.value("t.line", region="34.01", date="2022-06-01") == 120
    assert params.value("t.line", region="33.01", date="2022-06-01") == 150
    assert params.value("t.line", region="33.10.03.2006", date="2023-06-01") == 190
    # Before the regency has a value, the province's applies.
    assert params.value("t.line", region="33.10", date="2022-06-01") == 150
    got = params.get("t.line", region="33.10", date=dt.date(2023, 1, 1))
    assert (got.reference, got.date, got.region) == ("regency 2023", dt.date(2023, 1, 1), "33.10")


def test_no_value_before_first_date(params: ParameterSet) -> None:
    with pytest.raises(ParameterError, match="no value"):
        params.get("t.line", region="33.10", date="2019-12-31")


def test_assumptions_are_listed(params: ParameterSet) -> None:
    assumed = params.assumptions()
    assert [(v.path, v.value) for v in assumed] == [("t.line", 999)]
    assert params.get("t.line", region="33.10", date="2024-02-01").is_assumption


def test_published_value_needs_reference() -> None:
    with pytest.raises(ParameterError, match="needs a reference"):
        parse_parameter_text(
            "x: {unit: rupiah, values: [{date: 2020-01-01, value: 1}]}",
            root="t",
            source_file="bad.yaml",
        )


def test_bad_unit_names_file_and_path() -> None:
    with pytest.raises(ParameterError, match=r"bad.yaml: t.x: unit 'furlongs'"):
        parse_parameter_text(
            "x: {unit: furlongs, values: [{date: 2020-01-01, value: 1, reference: r}]}",
            root="t",
            source_file="bad.yaml",
        )


def test_override_takes_precedence(params: ParameterSet, tmp_path: Path) -> None:
    override = tmp_path / "scenario.yaml"
    override.write_text(
        "t.line:\n  unit: rupiah_per_capita_per_month\n  values:\n"
        "    - {date: 2023-01-01, value: 200, region: '33.10', reference: scenario}\n",
        encoding="utf-8",
    )
    reformed = params.with_overrides(load_override_file(override))
    assert reformed.value("t.line", region="33.10", date="2023-06-01") == 200
    assert reformed.value("t.line", region="33.01", date="2022-06-01") == 150  # untouched
    assert params.value("t.line", region="33.10", date="2023-06-01") == 190  # baseline unchanged


@pytest.mark.parametrize(
    ("path", "region", "date", "expected"),
    [
        # Klaten poverty lines (BPS Kabupaten Klaten; DESIGN §5).
        ("poverty_lines.national_line", "33.10", "2019-06-01", 405_537),
        ("poverty_lines.national_line", "33.10", "2020-06-01", 419_510),
        ("poverty_lines.national_line", "33.10", "2023-06-01", 488_102),
        ("poverty_lines.national_line", "33.10", "2024-06-01", 505_826),
        # Klaten UMK (SK Gubernur Jawa Tengah each year).
        ("wages.umk", "33.10", "2024-06-01", 2_244_012),
        ("wages.umk", "33.10", "2025-06-01", 2_389_872.78),
        # PP 7/2021 size classes.
        ("enterprise_size.micro.max_capital", "33.10", "2024-01-01", 1_000_000_000),
        ("enterprise_size.micro.max_sales", "33.10", "2024-01-01", 2_000_000_000),
        # Permenko 1/2023 KUR.
        ("kur.super_mikro.ceiling", "33.10", "2024-01-01", 10_000_000),
    ],
)
def test_shipped_values(path: str, region: str, date: str, expected: float) -> None:
    assert baseline().value(path, region=region, date=date) == expected


def test_every_shipped_published_value_has_a_reference() -> None:
    params = baseline()
    assert len(params.paths()) > 30
    for path in params.paths():
        for value in params.parameter(path).values:
            assert value.is_assumption or value.reference, path
