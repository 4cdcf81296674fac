"""Validation rules (DESIGN §7): each rule fires on a hand-made row and names row, column and value."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tuntas.protect import Protector
from tuntas.tables.mapping import map_headings, resolve_preset, to_canonical_text
from tuntas.tables.validate import ROW, Context, validate_table, with_messages

PROTECTOR = Protector(bytes(32))
TODAY = dt.date(2026, 11, 28)


def run(kind: str, frame: pl.DataFrame, *, preset: str | None = None, **context: object):
    preset_obj = resolve_preset(preset, kind)
    mapping = map_headings(frame.columns, kind, preset=preset_obj)
    text = to_canonical_text(frame, mapping, preset=preset_obj).with_columns(
        (pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias(ROW)
    )
    return validate_table(kind, text, context=Context(protector=PROTECTOR, today=TODAY, **context))


def households(**overrides: list[object]) -> pl.DataFrame:
    data: dict[str, list[object]] = {
        "household_id": ["K1", "K2", "K3"],
        "region_code": ["3310032006", "33.10.03.2007", "33.10.17.2008"],
        "size": ["4", "2", "1"],
        "welfare_decile": ["1", "2", "3"],
        "decile_source": ["P3KE-2023"] * 3,
        "floor": ["Tanah", "semen", "keramik"],
        "pkh": ["YA", "Tidak", "1"],
        "head_nik": ["3310031203800001", "3310034506850002", "3310171010700003"],
    }
    data.update({k: list(v) for k, v in overrides.items()})
    return pl.DataFrame(data, schema=dict.fromkeys(data, pl.Utf8))


def rules(findings: pl.DataFrame) -> set[tuple[int, str, str]]:
    return set(findings.select("row", "column", "rule").iter_rows())


def test_clean_file_types_values() -> None:
    result = run("households", households())
    assert result.ok, result.errors
    frame = result.frame
    assert frame["region_code"].to_list() == ["33.10.03.2006", "33.10.03.2007", "33.10.17.2008"]
    assert frame["floor"].to_list() == ["tanah", "semen", "keramik"]
    assert frame["pkh"].to_list() == [True, False, True]
    assert frame["size"].dtype == pl.Int64
    assert "head_nik_hash" in frame.columns


@pytest.mark.parametrize(
    ("column", "bad", "rule"),
    [
        ("size", "empat", "type"),
        ("size", "0", "range"),
        ("welfare_decile", "11", "range"),
        ("welfare_decile", None, "required"),
        ("floor", "marmer biru", "choice"),
        ("region_code", "33.10.03", "region_unknown"),
        ("region_code", "33.10.03.9999", "region_unknown"),
        ("region_code", "Wedi", "region_format"),
        ("head_nik", "331003120380001", "nik_format"),
        ("head_nik", "3310031203800000", "nik_format"),
        ("head_nik", "3310033213800001", "nik_format"),
        ("household_id", "K1", "duplicate_key"),
    ],
)
def test_each_error_rule_names_row_column_value(column: str, bad: object, rule: str) -> None:
    frame = households()
    values = frame[column].to_list()
    values[2] = bad
    result = run("households", frame.with_columns(pl.Series(column, values, dtype=pl.Utf8)))
    assert not result.ok
    assert (4, column, rule) in rules(result.errors)  # the third record is on row 4 of the file
    reported = with_messages(result.errors.filter(pl.col("rule") == rule))
    assert reported["message_id"][0] and reported["message_en"][0]
    if column == "head_nik" and bad is not None:
        # Personal values are masked in reports.
        assert reported["value"][0] != bad and "*" in reported["value"][0]


def test_moved_household_is_flagged_not_rejected() -> None:
    # K3 lives in Polanharjo (33.10.17) but the head's NIK was issued in Wedi (33.10.03).
    frame = households(head_nik=["3310031203800001", "3310034506850002", "3310031010700003"])
    result = run("households", frame)
    assert result.ok
    assert (4, "head_nik", "nik_region_mismatch") in rules(result.flags)


def test_numbers_written_the_indonesian_way() -> None:
    frame = households(size=["4", "2,0", "1.0"])
    assert run("households", frame).frame["size"].to_list() == [4, 2, 1]


def test_person_rules_against_database_context() -> None:
    persons = pl.DataFrame(
        {
            "ID Keluarga": ["K1", "K1", "K9", "K1"],
            "ID Individu": ["P1", "P2", "P3", "P4"],
            "NIK": ["3310031203800001", "3310035506820003", "3310034506850002", "3310031203800001"],
            "Nama": ["Slamet", "Sri", "Sumarni", "Tukiyem"],
            "Jenis Kelamin": ["Laki-laki", "LAKI-LAKI", "Perempuan", "Perempuan"],
            "Hubungan Dengan Kpl. Keluarga": [
                "Kepala Keluarga",
                "Istri/Suami",
                "Kepala Keluarga",
                "Anak",
            ],
            "Tanggal Lahir": ["12-03-1980", "15/06/1982", "1985-06-05", "2030-01-01"],
            "Pekerjaan": [
                "Petani/Pekebun",
                "Mengurus Rumah Tangga",
                "Pedagang",
                "Pelajar/Mahasiswa",
            ],
        }
    )
    context = {
        "household_regions": pl.DataFrame(
            {"household_id": ["K1"], "region_code": ["33.10.03.2006"]}
        ),
        "existing_nik": pl.DataFrame(
            {"nik_hash": [PROTECTOR.hash_value("3310034506850002")], "person_id": ["OTHER"]}
        ),
    }
    result = run("persons", persons, preset="p3ke", **context)
    errors = rules(result.errors)
    assert (4, "household_id", "household_unknown") in errors  # K9 is not stored
    assert (4, "nik", "duplicate_nik_in_database") in errors  # stored for person OTHER
    assert (5, "nik", "duplicate_nik_in_file") in errors  # same NIK as row 2
    assert (5, "birth_date", "date_future") in errors
    flags = rules(result.flags)
    assert (3, "nik", "nik_sex_mismatch") in flags  # NIK says woman (day 55), record says man
    assert result.frame.filter(pl.col("person_id") == "P1")["activity"].item() == "working"
    assert result.frame.filter(pl.col("person_id") == "P1")["sector"].item() == "A"


def test_enterprise_nib_rules() -> None:
    frame = pl.DataFrame(
        {
            "enterprise_id": ["E1", "E2", "E3", "E1"],
            "year": ["2024", "2024", "2024", "2023"],
            "nib": ["9120001234567", "9120001234567", "12345", "9120001234567"],
            "name": ["Gerabah Sri", "Cor Logam Jaya", "Warung Bu Tini", "Gerabah Sri"],
            "legal_form": ["perorangan", "cv", "perorangan", "perorangan"],
            "kbli": ["23932", "24310", "G", "23932"],
            "region_code": ["33.10.03.2010", "33.10.11.2001", "33.10.17.2001", "33.10.03.2010"],
            "workers": ["3", "12", "1", "2"],
            "is_cooperative": ["tidak", "tidak", "tidak", "tidak"],
        }
    )
    result = run("enterprises", frame)
    errors = rules(result.errors)
    assert (3, "nib", "duplicate_nib") in errors  # E2 uses E1's NIB
    assert (4, "nib", "nib_format") in errors
    assert not any(row == 5 for row, _c, _r in errors)  # E1 again in another year is fine


def test_unknown_kbli_is_rejected() -> None:
    frame = pl.DataFrame(
        {
            "enterprise_id": ["E1"],
            "year": ["2024"],
            "name": ["X"],
            "legal_form": ["perorangan"],
            "kbli": ["99999"],
            "region_code": ["33.10.03.2010"],
            "workers": ["1"],
            "is_cooperative": ["TIDAK"],
        }
    )
    assert (2, "kbli", "kbli_unknown") in rules(run("enterprises", frame).errors)


def test_decimal_and_thousands_separators() -> None:
    frame = pl.DataFrame(
        {
            "enterprise_id": ["E1", "E2", "E3", "E4"],
            "year": ["2024"] * 4,
            "name": ["A", "B", "C", "D"],
            "legal_form": ["perorangan"] * 4,
            "kbli": ["G"] * 4,
            "region_code": ["33.10.03.2010"] * 4,
            "workers": ["1.500", "2", "3", "4"],
            "lon": ["110.556", "110,6", "110.6", "110"],
            "turnover_year": ["Rp 1.500.000", "1,500,000.50", "2.500.000,75", "12000000"],
            "is_cooperative": ["TIDAK"] * 4,
        }
    )
    result = run("enterprises", frame)
    assert result.ok, result.errors
    assert result.frame["lon"].to_list() == [110.556, 110.6, 110.6, 110.0]
    assert result.frame["workers"].to_list() == [1500, 2, 3, 4]
    assert result.frame["turnover_year"].to_list() == [
        1_500_000.0,
        1_500_000.5,
        2_500_000.75,
        12_000_000.0,
    ]
