"""Names and NIK leave the database masked; a reveal needs a purpose and is audited (UU 27/2022)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.builders import registry, write
from tuntas.protect import load_master_key, mask_nik
from tuntas.web.audit.models import AuditEvent
from tuntas.web.imports.services import import_file
from tuntas.web.registry.identity import household_identities

pytestmark = pytest.mark.django_db(databases="__all__", transaction=True)


def test_masked_by_default_revealed_with_audit(tmp_path: Path, db_alias: str) -> None:
    families, _ = registry(households=4)
    import_file("households", write(families, tmp_path / "k.csv"), preset="p3ke", using=db_alias)
    first = families.row(0, named=True)
    masked = household_identities(["KLT00000", "KLT00001"], using=db_alias)
    row = masked.filter(masked["household_id"] == "KLT00000").row(0, named=True)
    # No digit of the NIK is shown: a keyed recognition code stands in for it.
    assert row["head_nik"] == mask_nik(first["NIK"], load_master_key().protector())
    assert row["head_nik"].startswith("****-") and len(row["head_nik"]) == 13
    assert row["head_name"] != first["Kepala Keluarga"] and row["head_name"].startswith("K")
    assert not AuditEvent.objects.using(db_alias).filter(action="reveal").exists()
    with pytest.raises(PermissionError):
        household_identities(["KLT00000"], reveal=True, using=db_alias)
    clear = household_identities(
        ["KLT00000"], reveal=True, actor="tester@host", purpose="daftar pendamping", using=db_alias
    )
    assert clear.row(0, named=True)["head_nik"] == first["NIK"]
    event = AuditEvent.objects.using(db_alias).get(action="reveal")
    assert (event.action, event.record_count, event.actor) == ("reveal", 1, "tester@host")
    assert event.detail["ids"] == ["KLT00000"]
    assert first["NIK"] not in str(event.detail)
