"""Set-based reads and writes between Polars frames and the database (SQLite and PostgreSQL).

Imports move hundreds of thousands of rows; the ORM's per-object path is far too slow for that, so
these helpers use ``executemany`` on SQLite and ``COPY`` on PostgreSQL, always inside the caller's
transaction.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import polars as pl
from django.db import connections


def _quote(connection: object, name: str) -> str:
    return connection.ops.quote_name(name)  # type: ignore[attr-defined]


def fetch_frame(
    sql: str, params: Sequence[object] = (), *, using: str, schema: dict[str, pl.DataType]
) -> pl.DataFrame:
    """Run a query and return its rows as a frame with ``schema`` (column names in select order)."""
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema=schema, orient="row")


def fetch_rows(
    sql: str, params: Sequence[object] = (), *, using: str, columns: Sequence[str]
) -> pl.DataFrame:
    """Run a query and return its rows with types inferred from the values (names in ``columns``)."""
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema=list(columns), orient="row", infer_schema_length=None)


def fetch_by_keys(
    table: str,
    columns: Sequence[str],
    *,
    key: str,
    ids: Sequence[str],
    using: str,
    chunk: int = 500,
) -> pl.DataFrame:
    """Rows of ``table`` whose ``key`` is in ``ids`` (queried in chunks), types inferred."""
    connection = connections[using]
    select = ", ".join(_quote(connection, c) for c in columns)
    rows: list[tuple[object, ...]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(ids), chunk):
            part = list(ids[start : start + chunk])
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(
                f"SELECT {select} FROM {_quote(connection, table)} "
                f"WHERE {_quote(connection, key)} IN ({marks})",
                part,
            )
            rows.extend(cursor.fetchall())
    return pl.DataFrame(rows, schema=list(columns), orient="row", infer_schema_length=None)


def _python_rows(frame: pl.DataFrame) -> list[tuple[object, ...]]:
    # SQLite keeps dates as ISO text (as Django does); booleans as 0/1.
    converted = frame.with_columns(
        [
            pl.col(name).dt.strftime("%Y-%m-%d")
            for name, dtype in frame.schema.items()
            if dtype == pl.Date
        ]
    )
    return converted.rows()


def _copy_csv(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False, null_value="\\N", date_format="%Y-%m-%d")
    return buffer.getvalue()


def insert_frame(table: str, frame: pl.DataFrame, *, using: str, chunk_rows: int = 50_000) -> int:
    """Insert every row of ``frame`` into ``table`` (columns named as in the frame)."""
    if frame.height == 0:
        return 0
    connection = connections[using]
    columns = ", ".join(_quote(connection, c) for c in frame.columns)
    quoted_table = _quote(connection, table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statement = f"COPY {quoted_table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
            for start in range(0, frame.height, chunk_rows):
                with cursor.cursor.copy(statement) as copy:
                    copy.write(_copy_csv(frame.slice(start, chunk_rows)))
        else:
            marks = ", ".join(["%s"] * frame.width)
            statement = f"INSERT INTO {quoted_table} ({columns}) VALUES ({marks})"
            for start in range(0, frame.height, chunk_rows):
                cursor.executemany(statement, _python_rows(frame.slice(start, chunk_rows)))
    return frame.height


def update_frame(table: str, frame: pl.DataFrame, *, keys: Sequence[str], using: str) -> int:
    """Update the rows of ``table`` matching ``keys`` with the frame's other columns."""
    if frame.height == 0:
        return 0
    connection = connections[using]
    q = lambda name: _quote(connection, name)  # noqa: E731
    values = [c for c in frame.columns if c not in keys]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            staging = f"tuntas_staging_{table}"
            cursor.execute(
                f"CREATE TEMP TABLE {q(staging)} (LIKE {q(table)} INCLUDING DEFAULTS) ON COMMIT DROP"
            )
            insert_frame(staging, frame, using=using)
            assignments = ", ".join(f"{q(c)} = s.{q(c)}" for c in values)
            matches = " AND ".join(f"t.{q(k)} = s.{q(k)}" for k in keys)
            cursor.execute(
                f"UPDATE {q(table)} AS t SET {assignments} FROM {q(staging)} AS s WHERE {matches}"
            )
            cursor.execute(f"DROP TABLE {q(staging)}")
        else:
            assignments = ", ".join(f"{q(c)} = %s" for c in values)
            matches = " AND ".join(f"{q(k)} = %s" for k in keys)
            ordered = frame.select([*values, *keys])
            cursor.executemany(
                f"UPDATE {q(table)} SET {assignments} WHERE {matches}", _python_rows(ordered)
            )
    return frame.height


def delete_ids(table: str, ids: Sequence[int], *, using: str, id_column: str = "id") -> int:
    """Delete rows of ``table`` by integer id."""
    if not ids:
        return 0
    connection = connections[using]
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"DELETE FROM {_quote(connection, table)} WHERE {_quote(connection, id_column)} IN ({marks})",
                chunk,
            )
    return len(ids)
