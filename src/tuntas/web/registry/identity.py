"""Who a household or person is: name and NIK, masked by default, revealed only with an audit event."""

from __future__ import annotations

import polars as pl

from tuntas.protect import Protector, mask_name, mask_nik_hash
from tuntas.web.bootstrap import setup_django


def _identities(
    ids: list[str],
    *,
    table: str,
    key: str,
    name_column: str,
    nik_column: str,
    reveal: bool,
    actor: str,
    purpose: str,
    using: str,
    protector: Protector | None,
    audit_detail: dict[str, str] | None = None,
) -> pl.DataFrame:
    setup_django()
    from tuntas.web.imports.bulk import fetch_by_keys

    if reveal and not (actor and purpose):
        raise PermissionError(
            "revealing names and NIK needs an actor and a purpose (they are audited)"
        )
    if reveal:
        from tuntas.web.audit.services import validate_purpose

        purpose = validate_purpose(purpose)
    if protector is None:
        from tuntas.web.keys.services import database_key

        protector = database_key(using=using)
    columns = [key, f"{name_column}_enc", f"{nik_column}_enc", f"{nik_column}_hash"]
    rows = fetch_by_keys(table, columns, key=key, ids=ids, using=using).rows()
    names, niks = [], []
    for _id, name_enc, nik_enc, nik_hash in rows:
        name = protector.decrypt(name_enc) if name_enc else None
        names.append(name if reveal else mask_name(name))
        # A masked NIK comes from the stored keyed hash: nothing to decrypt.
        niks.append(
            (protector.decrypt(nik_enc) if nik_enc else None) if reveal else mask_nik_hash(nik_hash)
        )
    frame = pl.DataFrame(
        {key: [r[0] for r in rows], name_column: names, nik_column: niks},
        schema={key: pl.Utf8, name_column: pl.Utf8, nik_column: pl.Utf8},
    )
    if reveal:
        from tuntas.web.audit.services import record

        record(
            actor=actor,
            protector=protector,
            action="reveal",
            table=table,
            count=frame.height,
            purpose=purpose,
            using=using,
            ids=frame[key].to_list(),
            fields=[name_column, nik_column],
            **(audit_detail or {}),
        )
    return frame


def household_identities(
    household_ids: list[str],
    *,
    reveal: bool = False,
    actor: str = "",
    purpose: str = "",
    using: str = "default",
    protector: Protector | None = None,
    audit_detail: dict[str, str] | None = None,
) -> pl.DataFrame:
    """``household_id, head_name, head_nik`` for the given households.

    Masked (``S****** W***``, ``****-BXEWW2KX``) unless ``reveal``; a reveal needs an ``actor`` and
    a ``purpose`` and is written to the audit log with the number of households and their ids.
    """
    return _identities(
        household_ids,
        table="registry_household",
        key="household_id",
        name_column="head_name",
        nik_column="head_nik",
        reveal=reveal,
        actor=actor,
        purpose=purpose,
        using=using,
        protector=protector,
        audit_detail=audit_detail,
    )


def person_identities(
    person_ids: list[str],
    *,
    reveal: bool = False,
    actor: str = "",
    purpose: str = "",
    using: str = "default",
    protector: Protector | None = None,
) -> pl.DataFrame:
    """``person_id, name, nik`` for the given persons, masked unless an audited ``reveal``."""
    return _identities(
        person_ids,
        table="registry_person",
        key="person_id",
        name_column="name",
        nik_column="nik",
        reveal=reveal,
        actor=actor,
        purpose=purpose,
        using=using,
        protector=protector,
    )
