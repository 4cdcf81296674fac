"""Where an analysis command gets its tables: the database, or a folder of files (``--from DIR``)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tuntas.tables.schemas import TABLES


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
        raise FileNotFoundError(f"{folder}: no {kind}.parquet or {kind}.csv")
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
