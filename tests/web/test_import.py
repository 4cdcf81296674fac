"""Import into SQLite and PostgreSQL: round trip, all-or-nothing, idempotence, flags (DESIGN §7)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl
import pytest
from django.db import connections

from tests.web.builders import registry, write
from tuntas.protect import load_master_key
from tuntas.web.imports.services import import_file

pytestmark = pytest.mark.django_db(databases="__all__", transaction=True)

TABLES = [
    "registry_household",
    "registry_person",
    "enterprises_enterprise",
    "registry_surveyhousehold",
    "registry_villageprofile",
    "imports_dataflag",
    "imports_importbatch",
]


def snapshot(alias: str) -> dict[str, str]:
    """A digest of every row of every data table, to prove that nothing changed."""
    digests = {}
    with connections[alias].cursor() as cursor:
        for table in TABLES:
            columns = "id, kind, file_name, rows" if table == "imports_importbatch" else "*"
            cursor.execute(f"SELECT {columns} FROM {table}")
            rows = sorted(repr(tuple(str(v) for v in row)) for row in cursor.fetchall())
            digests[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest() + f":{len(rows)}"
    return digests


def load_both(
    tmp_path: Path, alias: str, suffix: str = ".csv"
) -> tuple[pl.DataFrame, pl.DataFrame]:
    families, persons = registry()
    first = import_file(
        "households", write(families, tmp_path / f"keluarga{suffix}"), preset="p3ke", using=alias
    )
    assert first.ok, first.summary_lines()
    second = import_file(
        "persons", write(persons, tmp_path / f"individu{suffix}"), preset="p3ke", using=alias
    )
    assert second.ok, second.summary_lines()
    return families, persons


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_round_trip(tmp_path: Path, db_alias: str, suffix: str) -> None:
    families, persons = load_both(tmp_path, db_alias, suffix)
    protector = load_master_key().protector()
    with connections[db_alias].cursor() as cursor:
        cursor.execute(
            "SELECT household_id, region_code, size, floor, pkh FROM registry_household ORDER BY 1"
        )
        stored = cursor.fetchall()
        cursor.execute(
            "SELECT person_id, nik_hash, nik_enc, name_enc, birth_date FROM registry_person ORDER BY 1"
        )
        people = cursor.fetchall()
    assert len(stored) == families.height and len(people) == persons.height
    first = families.row(0, named=True)
    assert stored[0][0] == first["ID Keluarga"]
    assert stored[0][1] == "33.10.03.2006"
    assert stored[0][2] == int(first["Jumlah Anggota Keluarga"])
    assert stored[0][3] == "tanah" and bool(stored[0][4]) is False
    by_id = {row["ID Individu"]: row for row in persons.iter_rows(named=True)}
    for person_id, nik_hash, nik_enc, name_enc, birth in people:
        original = by_id[person_id]
        assert nik_hash == protector.hash_value(original["NIK"])
        assert protector.decrypt(nik_enc) == original["NIK"]
        assert protector.decrypt(name_enc) == original["Nama"]
        assert str(birth)[:10] == "-".join(reversed(original["Tanggal Lahir"].split("-")))


def test_reimport_changes_nothing(tmp_path: Path, db_alias: str) -> None:
    _families, persons = load_both(tmp_path, db_alias)
    before = snapshot(db_alias)
    again = import_file("persons", tmp_path / "individu.csv", preset="p3ke", using=db_alias)
    assert (again.ok, again.inserted, again.updated, again.unchanged) == (
        True,
        0,
        0,
        persons.height,
    )
    after = snapshot(db_alias)
    # The only new row anywhere is the import batch that records the attempt.
    assert {k: v for k, v in after.items() if k != "imports_importbatch"} == {
        k: v for k, v in before.items() if k != "imports_importbatch"
    }


def test_changed_record_is_updated(tmp_path: Path, db_alias: str) -> None:
    families, _ = load_both(tmp_path, db_alias)
    edited = families.with_columns(
        pl.when(pl.col("ID Keluarga") == "KLT00003")
        .then(pl.lit("Keramik"))
        .otherwise(pl.col("Jenis Lantai"))
        .alias("Jenis Lantai")
    )
    outcome = import_file(
        "households", write(edited, tmp_path / "keluarga2.csv"), preset="p3ke", using=db_alias
    )
    assert (outcome.inserted, outcome.updated, outcome.unchanged) == (0, 1, families.height - 1)
    with connections[db_alias].cursor() as cursor:
        cursor.execute("SELECT floor FROM registry_household WHERE household_id = 'KLT00003'")
        assert cursor.fetchone()[0] == "keramik"


def test_malformed_nik_deep_inside_rejects_whole_file(tmp_path: Path, db_alias: str) -> None:
    families, persons = registry(households=300)
    import_file(
        "households", write(families, tmp_path / "keluarga.csv"), preset="p3ke", using=db_alias
    )
    before = snapshot(db_alias)
    deep = persons.height - 17
    broken_nik = persons["NIK"][deep][:10] + "X" + persons["NIK"][deep][11:]
    bad = persons.with_columns(
        pl.when(pl.int_range(pl.len()) == deep)
        .then(pl.lit(broken_nik))
        .otherwise(pl.col("NIK"))
        .alias("NIK")
    )
    report = tmp_path / "laporan.csv"
    outcome = import_file(
        "persons",
        write(bad, tmp_path / "individu.csv"),
        preset="p3ke",
        report_path=report,
        using=db_alias,
    )
    assert not outcome.ok and outcome.errors == 1
    assert snapshot(db_alias) == before  # nothing stored, not even a batch
    lines = pl.read_csv(report)
    assert lines.height == 1
    row = lines.row(0, named=True)
    assert row["row"] == deep + 2  # heading is row 1
    assert (row["column"], row["rule"], row["file"]) == ("nik", "nik_format", "individu.csv")
    assert broken_nik not in report.read_text(encoding="utf-8-sig")  # masked in the report
    assert row["message_id"] and row["message_en"]


def test_interrupted_import_leaves_database_unchanged(tmp_path: Path, db_alias: str) -> None:
    families, persons = registry()
    import_file(
        "households", write(families, tmp_path / "keluarga.csv"), preset="p3ke", using=db_alias
    )
    before = snapshot(db_alias)

    def interrupt(step: str, fraction: float) -> None:
        if fraction >= 0.8:  # after the new rows were written, before the transaction commits
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_file(
            "persons",
            write(persons, tmp_path / "individu.csv"),
            preset="p3ke",
            progress=interrupt,
            using=db_alias,
        )
    assert snapshot(db_alias) == before


def test_persons_before_households_are_refused(tmp_path: Path, db_alias: str) -> None:
    _, persons = registry(households=5)
    outcome = import_file(
        "persons", write(persons, tmp_path / "individu.csv"), preset="p3ke", using=db_alias
    )
    assert not outcome.ok
    assert {item["rule"] for item in outcome.error_summary} == {"household_unknown"}


def test_flags_for_size_mismatch_and_moved_people(tmp_path: Path, db_alias: str) -> None:
    families, persons = registry(households=12)
    # Household KLT00000 claims 9 members; one person's NIK was issued in another kecamatan.
    families = families.with_columns(
        pl.when(pl.col("ID Keluarga") == "KLT00000")
        .then(pl.lit("9"))
        .otherwise(pl.col("Jumlah Anggota Keluarga"))
        .alias("Jumlah Anggota Keluarga")
    )
    moved = persons["NIK"][3][:4] + "21" + persons["NIK"][3][6:]  # kecamatan 33.10.21 (Kemalang)
    persons = persons.with_columns(
        pl.when(pl.int_range(pl.len()) == 3)
        .then(pl.lit(moved))
        .otherwise(pl.col("NIK"))
        .alias("NIK")
    )
    import_file("households", write(families, tmp_path / "k.csv"), preset="p3ke", using=db_alias)
    outcome = import_file(
        "persons", write(persons, tmp_path / "i.csv"), preset="p3ke", using=db_alias
    )
    assert outcome.ok
    with connections[db_alias].cursor() as cursor:
        cursor.execute('SELECT "table", record_key, rule FROM imports_dataflag ORDER BY 1, 2, 3')
        flags = set(cursor.fetchall())
    assert ("households", "KLT00000", "household_size_mismatch") in flags
    assert ("persons", persons["ID Individu"][3], "nik_region_mismatch") in flags
