"""KBLI 2020 (Klasifikasi Baku Lapangan Usaha Indonesia), all five levels.

Source: Peraturan BPS No. 2 Tahun 2020, as transcribed in github.com/najwan24/hsent_llm_curation
(see ``reference/data/SOURCES.md`` for the licence note). Levels: 1 kategori (``A``), 2 golongan pokok
(``01``), 3 golongan (``011``), 4 subgolongan (``0111``), 5 kelompok (``01111``). Codes keep leading
zeros and are strings.

Examples
--------
>>> kbli_item("23932").title
'Industri Perlengkapan Rumah Tangga Dari Tanah Liat/Keramik'
>>> category_of("24310")
'C'
>>> [item.code for item in kbli_ancestors("01121")]
['A', '01', '011', '0112']
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import polars as pl

KBLI_LEVELS: dict[int, str] = {
    1: "kategori",
    2: "golongan_pokok",
    3: "golongan",
    4: "subgolongan",
    5: "kelompok",
}


@dataclass(frozen=True)
class KbliItem:
    """One KBLI 2020 entry."""

    code: str
    level: int
    category: str
    title: str


@cache
def kbli_table() -> pl.DataFrame:
    """The KBLI 2020 code list: ``code, level, category, title, description`` (2,712 rows)."""
    path = resources.files("tuntas.reference").joinpath("data", "kbli", "kbli2020_codebook.csv.gz")
    raw = pl.read_csv(path.read_bytes(), infer_schema=False)
    return raw.select(
        pl.col("kode").alias("code"),
        pl.col("digit").cast(pl.Int8).alias("level"),
        pl.col("kategori").alias("category"),
        pl.col("judul").str.strip_chars().alias("title"),
        pl.col("deskripsi").alias("description"),
    )


@cache
def _index() -> dict[str, KbliItem]:
    return {
        row[0]: KbliItem(code=row[0], level=row[1], category=row[2], title=row[3])
        for row in kbli_table().select("code", "level", "category", "title").iter_rows()
    }


def is_kbli(code: str) -> bool:
    """Whether ``code`` is a KBLI 2020 code at any level."""
    return code in _index()


def kbli_item(code: str) -> KbliItem:
    """Look up a KBLI code; ``KeyError`` names it when unknown."""
    try:
        return _index()[code]
    except KeyError:
        raise KeyError(f"unknown KBLI 2020 code {code!r}") from None


def category_of(code: str) -> str:
    """The kategori letter (A–U) of any KBLI code."""
    return kbli_item(code).category


def kbli_ancestors(code: str) -> list[KbliItem]:
    """The entries above ``code``, from the kategori down (the code itself excluded)."""
    item = kbli_item(code)
    if item.level == 1:
        return []
    found = [kbli_item(item.category)]
    found.extend(kbli_item(code[:width]) for width in range(2, item.level))
    return found


def kbli_children(code: str) -> pl.DataFrame:
    """The entries directly below ``code``."""
    item = kbli_item(code)
    below = kbli_table().filter(pl.col("level") == item.level + 1)
    if item.level == 1:
        return below.filter(pl.col("category") == item.category)
    return below.filter(pl.col("code").str.starts_with(code))


def kbli_level(level: int | str) -> pl.DataFrame:
    """All entries at one level, by number (1–5) or name (``"kelompok"``)."""
    number = level if isinstance(level, int) else {v: k for k, v in KBLI_LEVELS.items()}[level]
    return kbli_table().filter(pl.col("level") == number)
