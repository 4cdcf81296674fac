"""NIK structure (DESIGN §7, Permendagri 7/2019): property tests with hypothesis."""

import datetime as dt

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from tuntas.tables.nik import make_nik, nib_problem, nik_checks, nik_problem, parse_nik

KECAMATAN = st.sampled_from(["33.10.03", "33.10.17", "11.01.01", "94.71.02", "31.71.01"])
BIRTH = st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2025, 12, 31))
SEX = st.sampled_from(["L", "P"])
SERIAL = st.integers(min_value=1, max_value=9999)


def _vectorised_ok(nik: str) -> bool:
    checks = nik_checks(pl.col("n"))
    row = pl.DataFrame({"n": [nik]}).select(
        (checks["length"] | checks["province"] | checks["date"] | checks["serial"]).alias("bad")
    )
    return not row["bad"][0]


@given(KECAMATAN, BIRTH, SEX, SERIAL)
def test_composed_niks_are_valid_and_round_trip(
    kec: str, birth: dt.date, sex: str, serial: int
) -> None:
    nik = make_nik(kec, birth.year, birth.month, birth.day, sex, serial)
    assert len(nik) == 16 and nik.isdigit()
    assert nik_problem(nik) is None
    assert _vectorised_ok(nik)
    parts = parse_nik(nik)
    assert (parts.kecamatan, parts.birth_day, parts.birth_month, parts.sex) == (
        kec,
        birth.day,
        birth.month,
        sex,
    )
    assert parts.birth_year_2d == birth.year % 100
    assert int(parts.serial) == serial


@given(KECAMATAN, BIRTH, SEX)
def test_serial_0000_is_rejected(kec: str, birth: dt.date, sex: str) -> None:
    nik = make_nik(kec, birth.year, birth.month, birth.day, sex, 1)[:12] + "0000"
    assert "serial" in str(nik_problem(nik))
    assert not _vectorised_ok(nik)


@given(st.text(alphabet="0123456789", min_size=0, max_size=20).filter(lambda s: len(s) != 16))
def test_wrong_length_is_rejected(text: str) -> None:
    assert nik_problem(text) is not None
    assert not _vectorised_ok(text)


@given(
    KECAMATAN, BIRTH, SEX, SERIAL, st.integers(min_value=0, max_value=15), st.sampled_from("aX -/.")
)
def test_any_non_digit_is_rejected(
    kec: str, birth: dt.date, sex: str, serial: int, position: int, junk: str
) -> None:
    nik = make_nik(kec, birth.year, birth.month, birth.day, sex, serial)
    broken = nik[:position] + junk + nik[position + 1 :]
    assert nik_problem(broken) is not None
    assert not _vectorised_ok(broken)


@given(
    KECAMATAN,
    st.integers(min_value=0, max_value=99),
    st.integers(min_value=1, max_value=12),
    SERIAL,
)
def test_impossible_days_are_rejected(kec: str, year: int, month: int, serial: int) -> None:
    code = kec.replace(".", "")
    for day in (0, 32, 40, 72, 99):
        nik = f"{code}{day:02d}{month:02d}{year:02d}{serial:04d}"
        assert nik_problem(nik) is not None, nik
        assert not _vectorised_ok(nik), nik


def test_calendar_edges() -> None:
    # 29 February exists in 1996 (leap) but not in 1997; women add 40 to the day (69 = 29 + 40).
    assert nik_problem("3310032902960001") is None
    assert nik_problem("3310036902960001") is None
    assert nik_problem("3310032902970001") is not None
    assert nik_problem("3310033104850001") is not None  # 31 April
    assert nik_problem("9910030101850001") is not None  # no province 99


def test_number_in_excel_gets_a_hint() -> None:
    assert "scientific" in str(nik_problem("3.31003450685e+15"))


def test_nib() -> None:
    assert nib_problem("9120001234567") is None
    assert nib_problem("912000123456") is not None
    assert nib_problem("0000000000000") is not None
    assert nib_problem("91200012345AB") is not None
