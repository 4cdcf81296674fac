"""The audit log is a keyed hash chain: an edited, inserted or deleted row is detected.

Reveals need a named actor and a real purpose; the operating-system user alone is never an actor.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connections

from tuntas.protect import Protector, load_master_key
from tuntas.web.audit.models import AuditEvent, AuditHead
from tuntas.web.audit.services import (
    AuditRefused,
    record,
    resolve_actor,
    validate_purpose,
    verify_chain,
)

pytestmark = pytest.mark.django_db(databases="__all__", transaction=True)


def key() -> Protector:
    return load_master_key().protector()


def chain(alias: str, n: int = 5) -> None:
    for i in range(n):
        record(
            actor=f"pendamping {i}",
            action="reveal",
            table="registry_household",
            count=i + 1,
            purpose="verifikasi musdes desa",
            protector=key(),
            using=alias,
            ids=[f"K{i}"],
            share=0.5,
        )


def sql(alias: str, statement: str, params: list[object] | None = None) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute(statement, params or [])


def test_intact_chain_verifies(db_alias: str) -> None:
    chain(db_alias)
    check = verify_chain(key(), using=db_alias)
    assert check.ok and check.events == 5, check.problems
    assert AuditHead.objects.using(db_alias).get().seq == 5
    assert not verify_chain(Protector(bytes(32)), using=db_alias).ok  # another key: not ours


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        ("UPDATE audit_auditevent SET purpose = 'lain' WHERE seq = 3", "edited"),
        ("UPDATE audit_auditevent SET record_count = 99 WHERE seq = 1", "edited"),
        ("UPDATE audit_auditevent SET detail = '{}' WHERE seq = 2", "edited"),
        ("DELETE FROM audit_auditevent WHERE seq = 3", "sequence broken"),
        ("DELETE FROM audit_auditevent WHERE seq = 5", "last rows"),
        ("DELETE FROM audit_audithead", "head is missing"),
        ("UPDATE audit_audithead SET seq = 4", "seal"),
    ],
)
def test_tampering_is_detected(db_alias: str, tamper: str, expected: str) -> None:
    chain(db_alias)
    sql(db_alias, tamper)
    check = verify_chain(key(), using=db_alias)
    assert not check.ok
    assert any(expected in problem for problem in check.problems), check.problems


def test_a_forged_row_with_a_plain_hash_is_detected(db_alias: str) -> None:
    """Recomputing an unkeyed SHA-256 over an edited row does not repair the chain."""
    import hashlib

    chain(db_alias)
    event = AuditEvent.objects.using(db_alias).get(seq=2)
    event.purpose = "diubah"
    event.mac = hashlib.sha256(event.purpose.encode()).hexdigest()
    event.save(using=db_alias)
    assert not verify_chain(key(), using=db_alias).ok


def test_rows_from_before_the_chain_are_sealed_at_the_next_event(db_alias: str) -> None:
    AuditEvent.objects.using(db_alias).create(actor="lama", action="reveal", table="t")
    assert verify_chain(key(), using=db_alias).unchained == 1
    chain(db_alias, 1)
    check = verify_chain(key(), using=db_alias)
    assert check.ok and check.events == 2 and check.unchained == 0


@pytest.mark.parametrize(
    "purpose",
    ["", "   ", "test", "x", "-", "coba coba", "aaaaaaaaaaaa", "asdf asdf", "12345678901"],
)
def test_placeholder_purposes_are_refused(purpose: str) -> None:
    with pytest.raises(AuditRefused, match="real text"):
        validate_purpose(purpose)


@pytest.mark.parametrize(
    "purpose", ["musyawarah desa Melikan", "verifikasi calon penerima KUR", "daftar pendamping"]
)
def test_real_purposes_are_accepted(purpose: str) -> None:
    assert validate_purpose(purpose) == purpose


def test_actor_is_a_tuntas_user_or_an_explicit_name(
    db_alias: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TUNTAS_USER", raising=False)
    monkeypatch.setenv("USER", "root")
    with pytest.raises(AuditRefused, match="named actor"):
        resolve_actor(None, using=db_alias)
    monkeypatch.setenv("TUNTAS_USER", "bukan_pengguna")
    with pytest.raises(AuditRefused, match="not a TUNTAS user"):
        resolve_actor(None, using=db_alias)
    get_user_model().objects.db_manager(db_alias).create_user("sri", password="x" * 12)
    monkeypatch.setenv("TUNTAS_USER", "sri")
    assert resolve_actor(None, using=db_alias).kind == "user"
    assert resolve_actor("Pak Budi (Bappeda)", using=db_alias).kind == "explicit"
    with pytest.raises(AuditRefused):
        resolve_actor("nama\x00", using=db_alias)
