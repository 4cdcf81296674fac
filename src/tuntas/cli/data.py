"""Where an analysis command gets its tables: the database, or a folder of files (``--from DIR``)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tuntas.tables.schemas import TABLES


class FolderError(FileNotFoundError):
    """A ``--from`` folder lacks a table; the message is bilingual and names folder and table."""


def read_folder_table(folder: Path, kind: str, *, region: str | None = None) -> pl.DataFrame:
    """A canonical table from ``folder`` (``KIND.parquet``, else ``KIND.csv``), personal columns dropped.

    Files written by ``tuntas synth`` or exported in the canonical layout; for other layouts,
    ``tuntas import`` them first.
    """
    parquet, csv = folder / f"{kind}.parquet", folder / f"{kind}.csv"
    if parquet.exists():
        frame = pl.read_parquet(parquet)
    elif csv.exists():
        frame = pl.read_csv(csv, schema_overrides=TABLES[kind].polars_schema)
    else:
        raise FolderError(
            f"{folder}: tidak ada {kind}.parquet atau {kind}.csv / no {kind}.parquet or {kind}.csv "
            "(a folder written by tuntas synth, or import the files first)"
        )
    keep = [c.name for c in TABLES[kind].columns if not c.personal and c.name in frame.columns]
    frame = frame.select(keep)
    if region and "region_code" in frame.columns:
        frame = frame.filter(
            (pl.col("region_code") == region) | pl.col("region_code").str.starts_with(region + ".")
        )
    return frame


def load_tables(
    kinds: list[str], *, region: str | None = None, from_dir: Path | None = None
) -> dict[str, pl.DataFrame]:
    """Tables by kind, from ``from_dir`` when given, else from the database.

    Persons read from a folder are kept when their household is in the loaded households.
    """
    if from_dir is not None:
        tables = {kind: read_folder_table(from_dir, kind, region=region) for kind in kinds}
        if "persons" in tables and region:
            households = tables.get(
                "households", read_folder_table(from_dir, "households", region=region)
            )
            tables["persons"] = tables["persons"].join(
                households.select("household_id"), on="household_id", how="semi"
            )
        return tables
    from tuntas.web.registry.loaders import load_table

    return {kind: load_table(kind, region=region) for kind in kinds}


def folder_is_synthetic(folder: Path) -> bool:
    """Whether a folder holds synthetic data: ``manifest.json`` says so, or a Parquet file's
    schema metadata carries ``tuntas.synthetic = true`` (as ``tuntas synth`` writes them)."""
    import json

    import pyarrow.parquet as pq

    manifest = folder / "manifest.json"
    if manifest.exists():
        try:
            return bool(json.loads(manifest.read_text(encoding="utf-8")).get("synthetic", False))
        except (OSError, ValueError):
            pass
    for path in sorted(folder.glob("*.parquet")):
        metadata = pq.read_schema(path).metadata or {}
        if metadata.get(b"tuntas.synthetic", b"").lower() == b"true":
            return True
    return False


def database_is_synthetic() -> bool:
    """Whether any accepted import into the database was synthetic (``imports_importbatch``)."""
    from tuntas.web.bootstrap import ensure_schema, setup_django

    setup_django()
    ensure_schema()
    from tuntas.web.imports.models import ImportBatch

    return bool(ImportBatch.objects.filter(synthetic=True).exists())


def data_is_synthetic(from_dir: Path | None) -> bool:
    """Whether the data an analysis reads are synthetic: the folder's, else the database's."""
    return folder_is_synthetic(from_dir) if from_dir is not None else database_is_synthetic()
