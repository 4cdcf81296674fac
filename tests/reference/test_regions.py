"""Kemendagri 2025 regions: counts published with Kepmendagri 300.2.2-2138/2025 and lookups."""

import polars as pl
import pytest

from tuntas.reference import (
    all_regions,
    ancestors,
    by_prefix,
    children,
    descendants,
    exists,
    level_of,
    name_of,
    normalize_code,
    region,
)


def test_national_counts_match_kepmendagri_2025() -> None:
    # Kepmendagri No. 300.2.2-2138 Tahun 2025: 38 provinsi, 514 kabupaten/kota, 7,285 kecamatan,
    # 83,762 desa/kelurahan (figures also in shared/data/SOURCES.md).
    counts = dict(all_regions().group_by("level").len().iter_rows())
    assert counts == {
        "provinsi": 38,
        "kabupaten_kota": 514,
        "kecamatan": 7285,
        "desa_kelurahan": 83762,
    }


def test_every_parent_exists_and_is_one_level_up() -> None:
    frame = all_regions()
    parents = frame.filter(pl.col("parent_code").is_not_null()).join(
        frame.select(pl.col("code").alias("parent_code"), pl.col("level").alias("parent_level")),
        on="parent_code",
        how="left",
    )
    assert parents["parent_level"].null_count() == 0
    order = {"provinsi": 0, "kabupaten_kota": 1, "kecamatan": 2, "desa_kelurahan": 3}
    steps = parents.select(
        pl.col("level").replace_strict(order) - pl.col("parent_level").replace_strict(order)
    ).to_series()
    assert steps.unique().to_list() == [1]


def test_klaten_has_26_kecamatan_and_401_desa() -> None:
    assert region("33.10").name == "Kabupaten Klaten"
    assert region("33.10").population == 1_302_648  # Dukcapil, semester II 2024
    assert children("33.10").height == 26
    desa = descendants("33.10", level="desa_kelurahan")
    assert desa.height == 401
    assert dict(desa.group_by("kind").len().iter_rows()) == {"desa": 391, "kelurahan": 10}


def test_lookups() -> None:
    assert normalize_code("3310032006") == "33.10.03.2006"
    assert normalize_code(" 33.10.03 ") == "33.10.03"
    assert level_of("33.10.03") == "kecamatan"
    assert [r.name for r in ancestors("33.10.03.2006")] == [
        "Jawa Tengah",
        "Kabupaten Klaten",
        "Wedi",
    ]
    assert name_of("33.10.17") == "Polanharjo"
    assert by_prefix("33.10.03").height == 1 + 19
    assert exists("33.10.03.2006", level="desa_kelurahan")
    assert not exists("33.10.03.2006", level="kecamatan")
    assert not exists("33.10.99")


@pytest.mark.parametrize("bad", ["33.1", "331", "abc", "33.10.03.20066"])
def test_malformed_codes_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="Kemendagri"):
        normalize_code(bad)


def test_unknown_code_names_itself() -> None:
    with pytest.raises(KeyError, match=r"33\.10\.99"):
        region("33.10.99")
