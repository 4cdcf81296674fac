"""The stored form of a validated table: personal columns replaced by hashes and ciphertexts.

For each personal column ``c`` (NIK, names) the stored table has ``c_hash`` (keyed HMAC, used for
linking and deduplication and to tell whether a value changed) and ``c_enc`` (AES-GCM ciphertext,
for an audited reveal); the clear value is dropped. ``row_hash`` fingerprints a record's content
(non-personal values and the keyed hashes) so that re-importing an unchanged record is recognised
and changes nothing: ciphertexts differ on every encryption, fingerprints do not.

When a file lacks a column, the importer carries the stored values of that column (for personal
columns: their ``_hash`` and ``_enc``) into the frame before :func:`to_stored`, so that a partial
file never wipes what it does not mention.

Examples
--------
>>> stored_columns("persons")[:4]
['person_id', 'household_id', 'relationship', 'sex']
>>> [c for c in stored_columns("persons") if c.endswith(("_hash", "_enc"))]
['nik_hash', 'nik_enc', 'name_hash', 'name_enc', 'row_hash']
"""

from __future__ import annotations

import hashlib

import polars as pl

from tuntas.protect import Protector
from tuntas.tables.schemas import TABLES

SEPARATOR = "\x1f"


def personal_columns(kind: str) -> list[str]:
    """The personal columns of table ``kind`` (never stored in clear)."""
    return [c.name for c in TABLES[kind].columns if c.personal]


def stored_columns(kind: str) -> list[str]:
    """Column names of the stored table, in order."""
    table = TABLES[kind]
    names = [c.name for c in table.columns if not c.personal]
    for column in table.columns:
        if column.personal:
            names.extend([f"{column.name}_hash", f"{column.name}_enc"])
    names.append("row_hash")
    return names


def _fingerprint(values: pl.Series) -> pl.Series:
    blake = hashlib.blake2b
    return pl.Series(
        "row_hash",
        [blake(v.encode("utf-8"), digest_size=16).hexdigest() for v in values.to_list()],
        dtype=pl.Utf8,
    )


def to_stored(kind: str, frame: pl.DataFrame, *, protector: Protector) -> pl.DataFrame:
    """Replace personal columns by keyed hashes and ciphertexts and add ``row_hash``.

    ``frame`` is a validated table (:class:`tuntas.tables.validate.Validation` ``.frame``). For a
    personal column ``c``: where the clear value is present it is hashed and encrypted (hashes
    already computed by validation, such as ``nik_hash``, are reused); where it is null and the frame
    carries stored ``c_hash``/``c_enc`` (a column absent from the file), those are kept.
    """
    table = TABLES[kind]
    work = frame
    fingerprint_parts: list[pl.Expr] = []
    for column in table.columns:
        name = column.name
        if not column.personal:
            fingerprint_parts.append(pl.col(name).cast(pl.Utf8).fill_null("\x00"))
            continue
        # A hash already in the frame is either validation's (from this file's clear values) or
        # carried from the database (the file lacks the column): hash only when there is none.
        if f"{name}_hash" not in work.columns:
            work = work.with_columns(protector.hash_series(work[name].alias(f"{name}_hash")))
        fresh_enc = protector.encrypt_series(work[name].alias("__enc"))
        if f"{name}_enc" in work.columns:
            fresh_enc = (
                pl.select(
                    pl.when(work[name].is_not_null()).then(fresh_enc).otherwise(work[f"{name}_enc"])
                )
                .to_series()
                .alias("__enc")
            )
        work = work.with_columns(fresh_enc.alias(f"{name}_enc"))
        fingerprint_parts.append(pl.col(f"{name}_hash").fill_null("\x00"))
    joined = work.select(pl.concat_str(fingerprint_parts, separator=SEPARATOR).alias("j"))["j"]
    work = work.with_columns(_fingerprint(joined))
    return work.select(stored_columns(kind))
