"""Who a household is: the head's name and NIK, masked by default, revealed only with an audit event."""

from __future__ import annotations

import polars as pl

from tuntas.protect import Protector, load_or_create_master_key, mask_name, mask_nik
from tuntas.web.bootstrap import setup_django


def household_identities(
    household_ids: list[str],
    *,
    reveal: bool = False,
    actor: str = "",
    purpose: str = "",
    using: str = "default",
    protector: Protector | None = None,
) -> pl.DataFrame:
    """``household_id, head_name, head_nik`` for the given households.

    Masked (``S****** W***``, ``3310********0001``) unless ``reveal``; a reveal needs an ``actor`` and
    a ``purpose`` and is written to the audit log with the number of households and their ids.
    """
    setup_django()
    from django.db import connections

    if reveal and not (actor and purpose):
        raise PermissionError(
            "revealing names and NIK needs an actor and a purpose (they are audited)"
        )
    protector = protector or Protector(load_or_create_master_key(create=False)[0])
    rows: list[tuple[str, str | None, str | None]] = []
    with connections[using].cursor() as cursor:
        for start in range(0, len(household_ids), 500):
            chunk = household_ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                "SELECT household_id, head_name_enc, head_nik_enc FROM registry_household "
                f"WHERE household_id IN ({marks})",
                chunk,
            )
            rows.extend(cursor.fetchall())
    names, niks = [], []
    for _id, name_enc, nik_enc in rows:
        name = protector.decrypt(name_enc) if name_enc else None
        nik = protector.decrypt(nik_enc) if nik_enc else None
        names.append(name if reveal else mask_name(name))
        niks.append(nik if reveal else mask_nik(nik))
    frame = pl.DataFrame(
        {"household_id": [r[0] for r in rows], "head_name": names, "head_nik": niks},
        schema={"household_id": pl.Utf8, "head_name": pl.Utf8, "head_nik": pl.Utf8},
    )
    if reveal:
        from tuntas.web.audit.services import record

        record(
            actor=actor,
            action="reveal",
            table="households",
            count=frame.height,
            purpose=purpose,
            using=using,
            household_ids=frame["household_id"].to_list(),
            fields=["head_name", "head_nik"],
        )
    return frame
