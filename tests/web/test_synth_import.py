"""The synthetic registries go through the real import on SQLite and PostgreSQL.

Counts in the database equal the files; ``database_info`` reports them per table and per kecamatan;
re-importing changes nothing; the P3KE workbook describes the same registry as the Parquet files.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from django.db import connections

from tuntas.synth import synthesize, write_result
from tuntas.web.imports.info import database_info
from tuntas.web.imports.services import import_file

pytestmark = pytest.mark.django_db(databases="__all__", transaction=True)

KINDS = ("households", "persons", "enterprises", "survey", "villages")


@pytest.fixture(scope="session")
def synth_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synth")
    write_result(synthesize("33.10", seed=3, scale=0.01), folder, xlsx=True)
    return folder


def test_import_all_and_info(synth_dir: Path, db_alias: str) -> None:
    for kind in KINDS:
        outcome = import_file(kind, synth_dir / f"{kind}.parquet", using=db_alias)
        assert outcome.ok, outcome.summary_lines()
        assert outcome.synthetic
    info = database_info(using=db_alias)
    frames = {kind: pl.read_parquet(synth_dir / f"{kind}.parquet") for kind in KINDS}
    for kind in KINDS:
        assert info["tables"][kind] == frames[kind].height, kind
    assert info["synthetic"] is True
    households = frames["households"]
    expected = (
        households.group_by(pl.col("region_code").str.slice(0, 8).alias("kecamatan"))
        .agg(pl.len().alias("households"), (pl.col("welfare_decile") == 1).sum().alias("desil_1"))
        .sort("kecamatan")
    )
    got = pl.DataFrame(info["per_kecamatan"]).select("kecamatan", "households", "desil_1")
    assert (
        got.filter(pl.col("households") > 0)
        .sort("kecamatan")
        .equals(expected.with_columns(pl.col("households", "desil_1").cast(pl.Int64)))
    )
    assert sum(row["persons"] for row in info["per_kecamatan"]) == frames["persons"].height
    deciles = {row["welfare_decile"]: row["households"] for row in info["households_by_decile"]}
    assert deciles == dict(households.group_by("welfare_decile").len().iter_rows())


def test_reimport_and_workbook_change_nothing(synth_dir: Path, db_alias: str) -> None:
    for kind in ("households", "persons"):
        assert import_file(kind, synth_dir / f"{kind}.parquet", using=db_alias).ok
    with connections[db_alias].cursor() as cursor:
        cursor.execute("SELECT household_id, row_hash FROM registry_household ORDER BY 1")
        before = cursor.fetchall()
    for kind in ("households", "persons"):
        again = import_file(kind, synth_dir / f"{kind}.parquet", using=db_alias)
        assert (again.inserted, again.updated) == (0, 0), kind
        workbook = import_file(kind, synth_dir / "p3ke_3310.xlsx", preset="p3ke", using=db_alias)
        assert workbook.ok, workbook.summary_lines()
        # The P3KE workbook lacks some columns (e.g. PBI-JKN); those keep their stored values.
        assert (workbook.inserted, workbook.updated) == (0, 0), (kind, workbook.updated)
    with connections[db_alias].cursor() as cursor:
        cursor.execute("SELECT household_id, row_hash FROM registry_household ORDER BY 1")
        assert cursor.fetchall() == before
