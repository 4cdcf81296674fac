"""Load stored tables into Polars for the analyses (set-based SQL, one query per table).

Only non-personal columns are loaded: analyses never see NIK or names, in clear or encrypted.
"""

from __future__ import annotations

import polars as pl

from tuntas.tables.schemas import TABLES
from tuntas.web.bootstrap import ensure_schema, setup_django

TABLE_NAMES = {
    "households": "registry_household",
    "persons": "registry_person",
    "survey": "registry_surveyhousehold",
    "villages": "registry_villageprofile",
    "enterprises": "enterprises_enterprise",
    "openings": "enterprises_jobopening",
    "verifications": "registry_verificationdecision",
}
"""Database table of each canonical table (kind)."""


def analysis_columns(kind: str) -> list[str]:
    """The canonical columns an analysis may read (personal columns excluded)."""
    return [c.name for c in TABLES[kind].columns if not c.personal]


def load_table(kind: str, *, region: str | None = None, using: str = "default") -> pl.DataFrame:
    """Stored rows of table ``kind`` as a typed Polars frame with canonical column names.

    ``region`` (a Kemendagri code prefix such as ``33.10`` or ``33.10.03``) keeps the rows of that
    region; persons are selected through their household's region.
    """
    setup_django()
    ensure_schema(using=using)
    from django.db import connections

    columns = analysis_columns(kind)
    table = TABLE_NAMES[kind]
    if kind == "persons":
        select = ", ".join(f"p.{c}" for c in columns)
        sql = f"SELECT {select} FROM {table} p"
        if region:
            sql += (
                " JOIN registry_household h ON h.household_id = p.household_id"
                " WHERE h.region_code = %s OR h.region_code LIKE %s"
            )
    else:
        sql = f"SELECT {', '.join(columns)} FROM {table}"
        if region:
            sql += " WHERE region_code = %s OR region_code LIKE %s"
    params = [region, f"{region}.%"] if region else []
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    frame = pl.DataFrame(rows, schema=columns, orient="row", infer_schema_length=None)
    return typed_like(kind, frame)


def typed_like(kind: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Cast columns read back from the database to their canonical types.

    SQLite returns dates as ISO text and booleans as 0/1; columns that are not canonical (hashes,
    ciphertexts, fingerprints) become text.
    """
    table = TABLES[kind]
    casts = []
    for name in frame.columns:
        column = pl.col(name)
        if not table.has(name):
            casts.append(column.cast(pl.Utf8))
        elif table.column(name).dtype == pl.Date and frame.schema[name] == pl.Utf8:
            casts.append(column.str.slice(0, 10).str.to_date("%Y-%m-%d").alias(name))
        else:
            casts.append(column.cast(table.column(name).dtype))
    return frame.select(casts)
