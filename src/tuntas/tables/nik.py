"""NIK (Nomor Induk Kependudukan) structure, and NIB (Nomor Induk Berusaha) format.

A NIK has 16 digits (Permendagri 7/2019 on the population register; DESIGN §7):

- digits 1–6: the kecamatan where it was issued, ``PPKKCC`` (province, regency, district);
- digits 7–12: the date of birth ``DDMMYY``, with 40 added to ``DD`` for women;
- digits 13–16: a serial number, never ``0000``.

A malformed NIK (wrong length, non-digits, impossible date, serial 0000, unknown province) is
*rejected*; a well-formed NIK that disagrees with the record (region, birth date, sex) is *flagged*,
because people move and records have errors.

A NIB, issued by the OSS system (PP 5/2021), has 13 digits.

Examples
--------
>>> nik_problem("3310034506850001") is None
True
>>> nik_problem("3310030000850001")
'the date part 000085 is not a valid DDMMYY date (women add 40 to the day)'
>>> parse_nik("3310034506850001")
NikParts(kecamatan='33.10.03', birth_day=5, birth_month=6, birth_year_2d=85, sex='P', serial='0001')
>>> make_nik("33.10.03", 1985, 6, 5, "P", 1)
'3310034506850001'
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import polars as pl

_DIGITS16 = re.compile(r"^\d{16}$")
_DIGITS13 = re.compile(r"^\d{13}$")


@dataclass(frozen=True)
class NikParts:
    """The parts of a well-formed NIK."""

    kecamatan: str
    birth_day: int
    birth_month: int
    birth_year_2d: int
    sex: str
    serial: str


def _province_codes() -> frozenset[str]:
    from tuntas.reference.regions import all_regions

    return frozenset(all_regions().filter(pl.col("level") == "provinsi")["code"].to_list())


def nik_problem(nik: str) -> str | None:
    """Why ``nik`` is malformed, in English, or ``None`` when it is well formed."""
    text = str(nik).strip()
    if not _DIGITS16.match(text):
        if re.match(r"^\d(\.\d+)?[eE]\+?\d+$", text):
            return "the NIK was stored as a number (scientific notation) and lost digits"
        return f"a NIK has exactly 16 digits, this has {len(text)} characters"
    if text[:2] not in _province_codes():
        return f"the province code {text[:2]} does not exist"
    day, month, year = int(text[6:8]), int(text[8:10]), int(text[10:12])
    if day > 40:
        day -= 40
    try:
        # 20YY has the same leap years as 19YY for every birth year a living person can have.
        dt.date(2000 + year, month, day)
    except ValueError:
        return f"the date part {text[6:12]} is not a valid DDMMYY date (women add 40 to the day)"
    if text[12:] == "0000":
        return "the serial number (digits 13-16) cannot be 0000"
    return None


def parse_nik(nik: str) -> NikParts:
    """Split a well-formed NIK into its parts; ``ValueError`` says why when it is malformed."""
    problem = nik_problem(nik)
    if problem:
        raise ValueError(problem)
    day = int(nik[6:8])
    return NikParts(
        kecamatan=f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}",
        birth_day=day - 40 if day > 40 else day,
        birth_month=int(nik[8:10]),
        birth_year_2d=int(nik[10:12]),
        sex="P" if day > 40 else "L",
        serial=nik[12:],
    )


def make_nik(kecamatan: str, year: int, month: int, day: int, sex: str, serial: int) -> str:
    """Compose a NIK from its parts (``sex`` is ``L`` or ``P``)."""
    code = kecamatan.replace(".", "")
    if len(code) != 6 or not 1 <= serial <= 9999:
        raise ValueError("kecamatan must have 6 digits and serial must be 1-9999")
    dd = day + 40 if sex == "P" else day
    return f"{code}{dd:02d}{month:02d}{year % 100:02d}{serial:04d}"


def nik_checks(nik: pl.Expr) -> dict[str, pl.Expr]:
    """Vectorised NIK structure checks on a text column.

    Returns expressions (each true where the rule is broken, null where the NIK is null):
    ``length`` (not 16 digits), ``province`` (unknown province), ``date`` (impossible DDMMYY),
    ``serial`` (0000); and the derived parts ``kecamatan`` (dotted), ``sex`` and ``birth_ddmmyy``
    (``DDMMYY`` with the 40 removed), for the consistency flags.
    """
    text = nik.str.strip_chars()
    well_formed = text.str.contains(r"^\d{16}$")
    day_raw = text.str.slice(6, 2).cast(pl.Int32, strict=False)
    day = pl.when(day_raw > 40).then(day_raw - 40).otherwise(day_raw)
    month = text.str.slice(8, 2).cast(pl.Int32, strict=False)
    year = text.str.slice(10, 2).cast(pl.Int32, strict=False)
    as_date = pl.date(2000 + year, month.clip(1, 12), 1)
    month_end = as_date.dt.month_end().dt.day()
    bad_date = (month < 1) | (month > 12) | (day < 1) | (day > month_end)
    provinces = list(_province_codes())
    return {
        "length": ~well_formed,
        "province": well_formed & ~text.str.slice(0, 2).is_in(provinces),
        "date": well_formed & bad_date,
        "serial": well_formed & (text.str.slice(12, 4) == "0000"),
        "kecamatan": pl.concat_str(
            [text.str.slice(0, 2), text.str.slice(2, 2), text.str.slice(4, 2)], separator="."
        ),
        "sex": pl.when(day_raw > 40).then(pl.lit("P")).otherwise(pl.lit("L")),
        "birth_ddmmyy": pl.concat_str(
            [
                day.cast(pl.Utf8).str.zfill(2),
                text.str.slice(8, 2),
                text.str.slice(10, 2),
            ]
        ),
    }


def nib_problem(nib: str) -> str | None:
    """Why ``nib`` is not a NIB (13 digits, not all zeros), or ``None``.

    >>> nib_problem("1234567890123") is None
    True
    >>> nib_problem("12345")
    'a NIB has exactly 13 digits, this has 5 characters'
    """
    text = str(nib).strip()
    if not _DIGITS13.match(text):
        return f"a NIB has exactly 13 digits, this has {len(text)} characters"
    if set(text) == {"0"}:
        return "a NIB cannot be all zeros"
    return None
