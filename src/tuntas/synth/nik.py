"""NIK (Nomor Induk Kependudukan) for synthetic persons, with the flaws real registries carry.

Structure (DESIGN §7, Permendagri on Dukcapil numbering): 16 digits =
``PPKKCC`` (province, regency, kecamatan code without dots) + ``DDMMYY`` (birth date, with 40 added
to DD for women) + ``SSSS`` (a serial, never 0000). Every generated NIK is well formed and unique.

Realistic flaws (flagged by an importer, never rejected):

* **moved households** — :data:`MOVED_HOUSEHOLD_SHARE` of households keep the NIK issued in another
  kecamatan (70% elsewhere in the regency, 30% elsewhere in the province);
* **birth-date mismatch** — :data:`DATE_MISMATCH_SHARE` of persons have a NIK whose date differs
  from the recorded birth date by 1–365 days (typing errors, late registration).

Examples
--------
>>> import numpy as np, datetime as dt
>>> nik = build_nik(np.array(["331003", "331003"]), np.array(["1980-05-07", "1990-12-25"],
...     dtype="datetime64[D]"), np.array([False, True]), np.random.default_rng(0))
>>> [n[:12] for n in nik]
['331003070580', '331003651290']
>>> parse_nik(nik[1])[1:]
(datetime.date(1990, 12, 25), 'P')
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

MOVED_HOUSEHOLD_SHARE = 0.02
"""Share of households whose members' NIKs carry another kecamatan (moved; assumption)."""
MOVED_WITHIN_REGENCY = 0.70
"""Of moved households, the share that came from another kecamatan of the same regency."""
DATE_MISMATCH_SHARE = 0.005
"""Share of persons whose NIK birth date disagrees with the recorded birth date (assumption)."""
NOT_MATCHED_SHARE = 0.01
"""Extra share of persons marked ``Padan Dukcapil = TIDAK`` besides the date mismatches."""

ASSUMPTIONS = (
    f"NIK flaws: {MOVED_HOUSEHOLD_SHARE:.0%} of households moved (their NIKs carry another "
    f"kecamatan; {MOVED_WITHIN_REGENCY:.0%} from the same regency), {DATE_MISMATCH_SHARE:.1%} of "
    "persons have a NIK birth date 1–365 days off the recorded one; no malformed NIK is produced.",
)


def build_nik(
    kecamatan6: np.ndarray, birth: np.ndarray, female: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """16-digit NIKs from 6-digit kecamatan codes, birth dates (``datetime64[D]``) and sex.

    Serials start at a random offset per (kecamatan, date, sex) group and count up within it, so
    NIKs are unique and the serial is never 0000.
    """
    days = birth.astype("datetime64[D]")
    years = days.astype("datetime64[Y]")
    months = days.astype("datetime64[M]")
    dd = (days - months).astype(np.int64) + 1 + 40 * female.astype(np.int64)
    mm = (months - years).astype(np.int64) + 1
    yy = years.astype(np.int64) + 1970
    frame = pl.DataFrame(
        {
            "kec": kecamatan6.astype(str),
            "dd": dd,
            "mm": mm,
            "yy": yy % 100,
            "start": rng.integers(1, 9000, kecamatan6.size),
        }
    ).with_columns(
        pl.concat_str(
            pl.col("kec"),
            pl.col("dd").cast(pl.Utf8).str.zfill(2),
            pl.col("mm").cast(pl.Utf8).str.zfill(2),
            pl.col("yy").cast(pl.Utf8).str.zfill(2),
        ).alias("prefix")
    )
    frame = frame.with_columns(
        (pl.col("start").first().over("prefix") + pl.int_range(pl.len()).over("prefix")).alias(
            "serial"
        )
    )
    if (
        int(frame.select(pl.col("serial").max()).item() or 0) > 9999
    ):  # pragma: no cover - needs >1,000 people per day
        raise ValueError(
            "too many persons share a kecamatan, birth date and sex for 4-digit serials"
        )
    nik = frame.select(
        pl.concat_str(pl.col("prefix"), pl.col("serial").cast(pl.Utf8).str.zfill(4))
    ).to_series()
    return nik.to_numpy().astype(object)


def shifted_dates(birth: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Birth dates moved by ±1–365 days (never the same date, never in the future of the original + 1y)."""
    shift = rng.integers(1, 366, birth.size) * np.where(rng.random(birth.size) < 0.5, -1, 1)
    return birth.astype("datetime64[D]") + shift.astype("timedelta64[D]")


def parse_nik(nik: str) -> tuple[str, dt.date, str]:
    """``(kecamatan code with dots, birth date, sex)`` of a well-formed NIK; ``ValueError`` otherwise.

    The century is taken as 19YY when YY is above the current two-digit year, else 20YY.
    """
    if len(nik) != 16 or not nik.isdigit() or nik[12:] == "0000":
        raise ValueError(f"malformed NIK {nik!r}")
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "P" if day > 40 else "L"
    day -= 40 if day > 40 else 0
    century = 1900 if yy > dt.date.today().year % 100 else 2000
    date = dt.date(century + yy, month, day)
    return f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}", date, sex


def nik_parts(nik: pl.Expr) -> list[pl.Expr]:
    """Polars expressions splitting a NIK column: ``nik_kecamatan, nik_day, nik_month, nik_yy, nik_sex``."""
    day = nik.str.slice(6, 2).cast(pl.Int64, strict=False)
    return [
        pl.concat_str(
            nik.str.slice(0, 2), nik.str.slice(2, 2), nik.str.slice(4, 2), separator="."
        ).alias("nik_kecamatan"),
        pl.when(day > 40).then(day - 40).otherwise(day).alias("nik_day"),
        nik.str.slice(8, 2).cast(pl.Int64, strict=False).alias("nik_month"),
        nik.str.slice(10, 2).cast(pl.Int64, strict=False).alias("nik_yy"),
        pl.when(day > 40).then(pl.lit("P")).otherwise(pl.lit("L")).alias("nik_sex"),
    ]
