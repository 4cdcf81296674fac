"""KBLI 2020 categories ↔ BPS 17 industries."""

from __future__ import annotations

from importlib import resources

import polars as pl
import pytest

from tuntas.economy import (
    bps17_of,
    bps17_vector,
    kbli_bps17_map,
    read_bps_2020_17,
    with_kbli_category,
)
from tuntas.economy.sectors import with_kbli_division
from tuntas.reference import kbli_level


def test_mapping_covers_every_category_and_industry() -> None:
    mapping = kbli_bps17_map()
    assert mapping["kbli_category"].to_list() == kbli_level(1)["code"].to_list()
    assert sorted(mapping["bps17_code"].unique().to_list(), key=int) == [
        str(i) for i in range(1, 18)
    ]
    # the two grouped industries
    grouped = (
        mapping.group_by("bps17_code")
        .agg(pl.col("kbli_category"))
        .filter(pl.col("kbli_category").list.len() > 1)
    )
    assert sorted(map(tuple, grouped.sort("bps17_code")["kbli_category"].to_list())) == [
        ("M", "N"),
        ("R", "S", "T", "U"),
    ]


def test_mapping_names_match_the_bps_table() -> None:
    codes = pl.read_csv(
        resources.files("tuntas.reference")
        .joinpath("data", "io", "bps_indonesia_2020_17", "codes.csv")
        .read_bytes(),
        infer_schema=False,
    )
    names = dict(zip(codes["kode"], codes["nama"], strict=True))
    for row in kbli_bps17_map().iter_rows(named=True):
        assert row["bps17_name"] == names[row["bps17_code"]]
    table = read_bps_2020_17()
    assert table.sectors == tuple(names[str(i)] for i in range(1, 18))


def test_helpers() -> None:
    assert bps17_of("a") == "1"
    with pytest.raises(ValueError, match="not a KBLI 2020 category"):
        bps17_of("Z")
    frame = pl.DataFrame(
        {"kbli": ["01121", "23932", "24310", "47", "N"], "workers": [1, 2, 3, 4, 5]}
    )
    categorised = with_kbli_category(frame)
    assert categorised["category"].to_list() == ["A", "C", "C", "G", "N"]
    assert with_kbli_division(frame)["division"].to_list() == ["01", "23", "24", "47", None]
    vector = bps17_vector(categorised, category="category", value="workers")
    assert vector.tolist() == [1, 0, 5, 0, 0, 0, 4, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0]
    with pytest.raises(ValueError, match="not KBLI 2020 codes"):
        with_kbli_category(pl.DataFrame({"kbli": ["99999"]}))
    with pytest.raises(ValueError, match="not KBLI categories"):
        bps17_vector(pl.DataFrame({"category": ["Z"], "workers": [1]}))
