"""KBLI 2020 categories (A–U) and the 17 industries of BPS's national accounts and IO table.

BPS publishes PDB/PDRB by 17 *lapangan usaha* built from KBLI categories, and the 17-product IO
table 2020 uses the same 17 headings: one category each, except **13 Jasa Perusahaan = KBLI M + N**
and **17 Jasa lainnya = KBLI R + S + T + U**. The mapping is data in
``economy/data/kbli_to_bps17.csv`` (columns ``kbli_category, kbli_title, bps17_code, bps17_name,
note``). Sources: Peraturan BPS No. 2 Tahun 2020 (KBLI 2020) for the categories; BPS, *Produk
Domestik Bruto Indonesia menurut Lapangan Usaha* (2010 = 100 series, 17 categories) and
*Tabel Input-Output Indonesia 2020* (17 produk) for the headings (``reference/data/io/
bps_indonesia_2020_17/codes.csv``). Note that some Sakernas tables group differently (e.g. "D,E",
"L,M,N"); aggregate them to these 17 before use.

Examples
--------
>>> bps17_of("N"), bps17_of("T")
('13', '17')
>>> frame = pl.DataFrame({"kbli": ["23932", "24310", "A", "56102"], "workers": [5, 7, 2, 3]})
>>> with_kbli_category(frame)["category"].to_list()
['C', 'C', 'A', 'I']
>>> bps17_vector(with_kbli_category(frame), category="category", value="workers")[[0, 2, 8]].tolist()
[2.0, 12.0, 3.0]
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import polars as pl

from tuntas.economy.leontief import FloatArray
from tuntas.reference.kbli import kbli_table

BPS17_CODES = tuple(str(code) for code in range(1, 18))


@cache
def kbli_bps17_map() -> pl.DataFrame:
    """The 21 KBLI categories with their BPS 17-industry code and name.

    Examples
    --------
    >>> kbli_bps17_map().height, kbli_bps17_map()["bps17_code"].n_unique()
    (21, 17)
    """
    path = resources.files("tuntas.economy").joinpath("data", "kbli_to_bps17.csv")
    return pl.read_csv(path.read_bytes(), infer_schema=False).with_columns(
        pl.col("note").fill_null("")
    )


def bps17_of(category: str) -> str:
    """The BPS 17-industry code ("1"–"17") of a KBLI category letter; ``ValueError`` if unknown.

    Examples
    --------
    >>> bps17_of("C")
    '3'
    """
    found = kbli_bps17_map().filter(pl.col("kbli_category") == category.strip().upper())
    if found.is_empty():
        raise ValueError(f"{category!r} is not a KBLI 2020 category (A–U)")
    return str(found["bps17_code"][0])


def with_kbli_category(
    frame: pl.DataFrame, *, column: str = "kbli", name: str = "category"
) -> pl.DataFrame:
    """Add the KBLI category letter of a KBLI code column (any level: ``A``, ``23``, ``23932``).

    ``ValueError`` lists codes that are not KBLI 2020.

    Examples
    --------
    >>> with_kbli_category(pl.DataFrame({"kbli": ["10794", "47"]}))["category"].to_list()
    ['C', 'G']
    """
    codes = kbli_table().select(pl.col("code").alias(column), pl.col("category").alias(name))
    joined = frame.join(codes, on=column, how="left", maintain_order="left")
    unknown = joined.filter(pl.col(name).is_null() & pl.col(column).is_not_null())[column].unique()
    if unknown.len():
        raise ValueError(f"{column}: not KBLI 2020 codes: {sorted(unknown.to_list())[:10]}")
    return joined


def with_kbli_division(
    frame: pl.DataFrame, *, column: str = "kbli", name: str = "division"
) -> pl.DataFrame:
    """Add the 2-digit KBLI division (*golongan pokok*) of codes with 2 or more digits, else null.

    Examples
    --------
    >>> with_kbli_division(pl.DataFrame({"kbli": ["23932", "C"]}))["division"].to_list()
    ['23', None]
    """
    code = pl.col(column)
    return frame.with_columns(
        pl.when(code.str.contains(r"^\d{2}")).then(code.str.slice(0, 2)).otherwise(None).alias(name)
    )


def bps17_vector(
    frame: pl.DataFrame, *, category: str = "category", value: str = "workers"
) -> FloatArray:
    """Sum ``value`` by BPS 17 industry (codes 1–17, in order) from a KBLI category column.

    Use it to turn regional workers by KBLI category into the regional employment vector of
    :func:`tuntas.economy.regionalise.regionalise` for the BPS 17-sector table.

    Examples
    --------
    >>> v = bps17_vector(pl.DataFrame({"category": ["M", "N", "S"], "workers": [1, 2, 4]}))
    >>> float(v[12]), float(v[16]), v.size
    (3.0, 4.0, 17)
    """
    mapping = kbli_bps17_map().select(pl.col("kbli_category").alias(category), pl.col("bps17_code"))
    joined = frame.select(category, value).join(mapping, on=category, how="left")
    unknown = joined.filter(pl.col("bps17_code").is_null())[category].unique().to_list()
    if unknown:
        raise ValueError(f"{category}: not KBLI categories A–U: {sorted(map(str, unknown))}")
    sums = joined.group_by("bps17_code").agg(pl.col(value).cast(pl.Float64).sum())
    totals = dict(zip(sums["bps17_code"].to_list(), sums[value].to_list(), strict=True))
    return np.array([float(totals.get(code, 0.0)) for code in BPS17_CODES])
