"""The stored form of a validated table: personal columns replaced by hashes and ciphertexts.

For each personal column ``c`` (NIK, names) the stored table has ``c_enc`` (AES-GCM ciphertext) and,
for NIKs, ``c_hash`` (keyed HMAC used for linking and deduplication); the clear value is dropped.
``row_hash`` fingerprints a record's content (non-personal values, the NIK hashes and keyed hashes
of names) so that re-importing an unchanged record is recognised and changes nothing: ciphertexts
differ on every encryption, fingerprints do not.

Examples
--------
>>> stored_columns("persons")[:4]
['person_id', 'household_id', 'relationship', 'sex']
>>> [c for c in stored_columns("persons") if c.endswith(("_hash", "_enc"))]
['nik_hash', 'nik_enc', 'name_enc', 'row_hash']
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
            if column.kind == "nik":
                names.append(f"{column.name}_hash")
            names.append(f"{column.name}_enc")
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

    ``frame`` is a validated table (:class:`tuntas.tables.validate.Validation` ``.frame``); hashes of
    NIK columns already computed by validation (``nik_hash``) are reused.
    """
    table = TABLES[kind]
    work = frame
    fingerprint_parts: list[pl.Expr] = []
    for column in table.columns:
        if not column.personal:
            fingerprint_parts.append(pl.col(column.name).cast(pl.Utf8).fill_null("\x00"))
            continue
        name = column.name
        if column.kind == "nik":
            if f"{name}_hash" not in work.columns:
                work = work.with_columns(protector.hash_series(work[name].alias(f"{name}_hash")))
            fingerprint_parts.append(pl.col(f"{name}_hash").fill_null("\x00"))
        else:
            keyed = protector.hash_series(work[name].alias(f"__{name}_keyed"))
            work = work.with_columns(keyed)
            fingerprint_parts.append(pl.col(f"__{name}_keyed").fill_null("\x00"))
        work = work.with_columns(protector.encrypt_series(work[name].alias(f"{name}_enc")))
    joined = work.select(pl.concat_str(fingerprint_parts, separator=SEPARATOR).alias("j"))["j"]
    work = work.with_columns(_fingerprint(joined))
    return work.select(stored_columns(kind))
