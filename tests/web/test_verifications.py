"""Village-consultation decisions (berita acara) update the household's verification status."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from django.db import connections

from tests.web.builders import registry, write
from tuntas.web.imports.services import import_file

pytestmark = pytest.mark.django_db(databases="__all__", transaction=True)


def status(alias: str, household_id: str) -> tuple[object, ...]:
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT verification_status, verification_reason, verification_minutes_ref "
            "FROM registry_household WHERE household_id = %s",
            [household_id],
        )
        return tuple(cursor.fetchone())


def test_decisions_become_current_status(tmp_path: Path, db_alias: str) -> None:
    families, _ = registry(households=6)
    assert import_file(
        "households", write(families, tmp_path / "k.csv"), preset="p3ke", using=db_alias
    ).ok
    first = pl.DataFrame(
        {
            "ID Keluarga": ["KLT00000", "KLT00001"],
            "Hasil Verifikasi": ["Miskin Ekstrem", "Bukan Miskin Ekstrem"],
            "Tanggal Musdes": ["12-08-2022", "12-08-2022"],
            "Diverifikasi Oleh": ["Pemdes Melikan", "Pemdes Melikan"],
            "Alasan": ["Pengeluaran di bawah garis ekstrem", "Memiliki penghasilan tetap"],
            "Nomor Berita Acara": ["BA/12/VIII/2022", "BA/12/VIII/2022"],
        }
    )
    outcome = import_file("verifications", write(first, tmp_path / "musdes1.csv"), using=db_alias)
    assert outcome.ok, outcome.summary_lines()
    assert status(db_alias, "KLT00000") == (
        "verified_extreme",
        "Pengeluaran di bawah garis ekstrem",
        "BA/12/VIII/2022",
    )
    assert status(db_alias, "KLT00001")[0] == "not_extreme"
    # A later consultation changes one decision; the older minutes stay in the history.
    later = first.head(1).with_columns(
        pl.lit("Bukan Miskin Ekstrem").alias("Hasil Verifikasi"),
        pl.lit("03-02-2024").alias("Tanggal Musdes"),
        pl.lit("Sudah bekerja tetap").alias("Alasan"),
        pl.lit("BA/03/II/2024").alias("Nomor Berita Acara"),
    )
    assert import_file("verifications", write(later, tmp_path / "musdes2.csv"), using=db_alias).ok
    assert status(db_alias, "KLT00000") == ("not_extreme", "Sudah bekerja tetap", "BA/03/II/2024")
    with connections[db_alias].cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM registry_verificationdecision WHERE household_id = 'KLT00000'"
        )
        assert cursor.fetchone()[0] == 2
    # The households file (without verification columns) imported again changes nothing.
    again = import_file("households", tmp_path / "k.csv", preset="p3ke", using=db_alias)
    assert (again.inserted, again.updated) == (0, 0)
    assert status(db_alias, "KLT00000")[0] == "not_extreme"


def test_decision_for_unknown_household_is_rejected(tmp_path: Path, db_alias: str) -> None:
    frame = pl.DataFrame(
        {
            "household_id": ["NOPE"],
            "status": ["verified_extreme"],
            "decided_on": ["2022-08-12"],
            "decided_by": ["Pemdes"],
            "reason": ["x"],
            "minutes_ref": ["BA/1"],
        }
    )
    outcome = import_file("verifications", write(frame, tmp_path / "v.csv"), using=db_alias)
    assert not outcome.ok
    assert {item["rule"] for item in outcome.error_summary} == {"household_unknown"}
