"""Kemendagri 2025 administrative regions: codes, names, levels, parents and lookups.

Source: Kepmendagri No. 300.2.2-2138 Tahun 2025 as compiled by github.com/cahyadsn/wilayah (MIT);
see ``reference/data/SOURCES.md``. Codes carry dots: ``33`` (provinsi), ``33.10`` (kabupaten/kota),
``33.10.03`` (kecamatan), ``33.10.03.2006`` (desa/kelurahan). For desa codes the first digit of the
last four tells the kind: 1 = kelurahan, 2 = desa, 3 = desa adat.

Examples
--------
>>> region("33.10").name
'Kabupaten Klaten'
>>> [r.code for r in ancestors("33.10.03.2006")]
['33', '33.10', '33.10.03']
>>> normalize_code("3310032006")
'33.10.03.2006'
>>> children("33.10").height
26
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import polars as pl

LEVELS: tuple[str, ...] = ("provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan")
"""Region levels, from the top. The level of a code follows from its length."""

_LEVEL_BY_LENGTH = {2: "provinsi", 5: "kabupaten_kota", 8: "kecamatan", 13: "desa_kelurahan"}
_KIND_BY_DIGIT = {"1": "kelurahan", "2": "desa", "3": "desa_adat"}
_DOTTED = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_UNDOTTED_LENGTHS = {2: (2,), 4: (2, 2), 6: (2, 2, 2), 10: (2, 2, 2, 4)}


@dataclass(frozen=True)
class Region:
    """One administrative region."""

    code: str
    name: str
    level: str
    parent_code: str | None
    kind: str | None
    population: int | None


def _data_path(*parts: str) -> resources.abc.Traversable:
    return resources.files("tuntas.reference").joinpath("data", *parts)


def normalize_code(raw: object) -> str:
    """Return a region code in dotted form, accepting codes with or without dots.

    ``3310032006`` → ``33.10.03.2006``; ``33.10.03.2006`` stays; ``33.10.3`` is rejected. Raises
    ``ValueError`` when the input cannot be a Kemendagri code (it does not check existence; see
    :func:`exists`).
    """
    text = str(raw).strip()
    if _DOTTED.match(text):
        return text
    digits = text.replace(".", "").replace(" ", "")
    if digits.isdigit() and len(digits) in _UNDOTTED_LENGTHS:
        parts, pos = [], 0
        for width in _UNDOTTED_LENGTHS[len(digits)]:
            parts.append(digits[pos : pos + width])
            pos += width
        return ".".join(parts)
    raise ValueError(f"not a Kemendagri region code: {raw!r}")


def normalize_codes(codes: pl.Expr) -> pl.Expr:
    """Vectorised :func:`normalize_code` for a string column; values that cannot be codes become null."""
    digits = codes.cast(pl.Utf8).str.strip_chars().str.replace_all(r"[.\s]", "")
    length = digits.str.len_chars()
    ok = digits.str.contains(r"^\d+$")
    return (
        pl.when(ok & (length == 2))
        .then(digits)
        .when(ok & (length == 4))
        .then(pl.concat_str([digits.str.slice(0, 2), digits.str.slice(2, 2)], separator="."))
        .when(ok & (length == 6))
        .then(
            pl.concat_str(
                [digits.str.slice(0, 2), digits.str.slice(2, 2), digits.str.slice(4, 2)],
                separator=".",
            )
        )
        .when(ok & (length == 10))
        .then(
            pl.concat_str(
                [
                    digits.str.slice(0, 2),
                    digits.str.slice(2, 2),
                    digits.str.slice(4, 2),
                    digits.str.slice(6, 4),
                ],
                separator=".",
            )
        )
        .otherwise(None)
    )


def level_of(code: str) -> str:
    """The level of a dotted code, from its length."""
    try:
        return _LEVEL_BY_LENGTH[len(code)]
    except KeyError:
        raise ValueError(f"not a dotted Kemendagri region code: {code!r}") from None


@cache
def all_regions() -> pl.DataFrame:
    """All 91,599 regions: ``code, name, level, parent_code, kind, population, area_km2``.

    ``population`` (Dukcapil, December 2024) and ``area_km2`` (BIG, December 2024) are known for
    provinces and kabupaten/kota only; they are null below.
    """
    raw = pl.read_csv(
        _data_path("wilayah", "wilayah_kepmendagri_2025.csv.gz").read_bytes(),
        schema_overrides={
            "kode": pl.Utf8,
            "nama": pl.Utf8,
            "tingkat": pl.Utf8,
            "kode_induk": pl.Utf8,
        },
    )
    population = pl.read_csv(
        _data_path("wilayah", "wilayah_penduduk.csv").read_bytes(),
        schema_overrides={"kode": pl.Utf8},
    ).select(pl.col("kode").alias("code"), pl.col("total").cast(pl.Int64).alias("population"))
    area = pl.read_csv(
        _data_path("wilayah", "wilayah_luas.csv").read_bytes(), schema_overrides={"kode": pl.Utf8}
    ).select(pl.col("kode").alias("code"), pl.col("luas_km2").cast(pl.Float64).alias("area_km2"))
    frame = raw.select(
        pl.col("kode").alias("code"),
        pl.col("nama").alias("name"),
        pl.col("tingkat").alias("level"),
        pl.col("kode_induk").alias("parent_code"),
    ).with_columns(
        pl.when(pl.col("level") == "desa_kelurahan")
        .then(pl.col("code").str.slice(9, 1).replace_strict(_KIND_BY_DIGIT, default=None))
        .otherwise(None)
        .alias("kind")
    )
    return (
        frame.join(population, on="code", how="left").join(area, on="code", how="left").sort("code")
    )


@cache
def _index() -> dict[str, Region]:
    return {
        row["code"]: Region(**{k: row[k] for k in Region.__dataclass_fields__})
        for row in all_regions().iter_rows(named=True)
    }


def exists(code: str, *, level: str | None = None) -> bool:
    """Whether ``code`` is a region (optionally at ``level``)."""
    found = _index().get(code)
    return found is not None and (level is None or found.level == level)


def region(code: str) -> Region:
    """Look up one region by code (dotted or not); ``KeyError`` names the code when it is unknown."""
    key = normalize_code(code)
    try:
        return _index()[key]
    except KeyError:
        raise KeyError(f"unknown region code {key!r} (Kepmendagri 2025)") from None


def ancestors(code: str) -> list[Region]:
    """The regions above ``code``, from the province down (the region itself excluded)."""
    key = normalize_code(code)
    parts = key.split(".")
    return [region(".".join(parts[:i])) for i in range(1, len(parts))]


def children(code: str) -> pl.DataFrame:
    """The regions directly below ``code``."""
    key = normalize_code(code)
    return all_regions().filter(pl.col("parent_code") == key)


def descendants(code: str, *, level: str | None = None) -> pl.DataFrame:
    """All regions below ``code`` (optionally only those at ``level``)."""
    key = normalize_code(code)
    frame = all_regions().filter(pl.col("code").str.starts_with(key + "."))
    return frame if level is None else frame.filter(pl.col("level") == level)


def by_prefix(prefix: str) -> pl.DataFrame:
    """Every region whose code starts with ``prefix`` (the region itself included)."""
    key = normalize_code(prefix)
    return all_regions().filter((pl.col("code") == key) | pl.col("code").str.starts_with(key + "."))


def name_of(code: str) -> str:
    """The region's name."""
    return region(code).name
