"""Every generated table has exactly the canonical columns, types, codes and ranges."""

from __future__ import annotations

import polars as pl
import pytest

from tuntas.reference import descendants
from tuntas.synth import SynthResult
from tuntas.tables.schemas import TABLES

# Decisions come from the desa and openings from PLUT/Disnaker, not from the generator.
NAMES = sorted(n for n in TABLES if n not in {"verifications", "openings"})


@pytest.mark.parametrize("name", NAMES)
def test_exact_columns_and_types(klaten_small: SynthResult, name: str) -> None:
    frame = klaten_small.tables[name]
    table = TABLES[name]
    assert frame.columns == table.names
    assert dict(frame.schema) == table.polars_schema


@pytest.mark.parametrize("name", NAMES)
def test_required_columns_are_filled(klaten_small: SynthResult, name: str) -> None:
    frame = klaten_small.tables[name]
    for column in TABLES[name].columns:
        if column.required:
            assert frame[column.name].null_count() == 0, column.name


@pytest.mark.parametrize("name", NAMES)
def test_choices_and_ranges(klaten_small: SynthResult, name: str) -> None:
    frame = klaten_small.tables[name]
    for column in TABLES[name].columns:
        values = frame[column.name].drop_nulls()
        if column.choices is not None:
            assert set(values.to_list()) <= set(column.choices), column.name
        if column.minimum is not None and values.len():
            assert values.min() >= column.minimum, column.name
        if column.maximum is not None and values.len():
            assert values.max() <= column.maximum, column.name


@pytest.mark.parametrize("name", NAMES)
def test_keys_are_unique(klaten_small: SynthResult, name: str) -> None:
    frame = klaten_small.tables[name]
    key = list(TABLES[name].key)
    assert frame.select(key).is_duplicated().sum() == 0


def test_every_region_code_is_a_klaten_desa(klaten_small: SynthResult) -> None:
    desa = set(descendants("33.10", level="desa_kelurahan")["code"].to_list())
    for name in ("households", "enterprises", "survey", "villages"):
        codes = set(klaten_small.tables[name]["region_code"].to_list())
        assert codes <= desa, name
    assert set(klaten_small.tables["villages"]["region_code"].to_list()) == desa


def test_truth_and_calibration_frames(klaten_small: SynthResult) -> None:
    truth = klaten_small.truth
    assert truth.columns == ["household_id", "consumption_pc_true", "poor_national", "poor_extreme"]
    assert (
        truth["household_id"].to_list()
        == klaten_small.tables["households"]["household_id"].to_list()
    )
    assert truth["consumption_pc_true"].min() > 0
    assert truth.filter(pl.col("poor_extreme") & ~pl.col("poor_national")).height == 0
    assert klaten_small.calibration.columns == [
        "target", "source", "target_value", "achieved", "tolerance", "ok"
    ]  # fmt: skip
    assert klaten_small.calibration["source"].str.len_chars().min() > 0


def test_manifest(klaten_small: SynthResult) -> None:
    m = klaten_small.manifest
    assert m["synthetic"] is True
    assert m["regency"] == "33.10" and m["seed"] == 1 and m["scale"] == 0.02
    assert m["counts"]["households"] == klaten_small.tables["households"].height
    assert m["lines"]["national"]["value"] == 505826
    assert "detik" in m["lines"]["national"]["reference"]
    assert len(m["assumptions"]) >= 10
