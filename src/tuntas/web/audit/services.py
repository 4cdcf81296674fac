"""Write, list and verify audit events (a keyed hash chain, see :mod:`tuntas.web.audit.models`).

``mac(row) = HMAC(k_audit, canonical(row) ‖ prev_mac)`` where ``canonical`` is the JSON of the
row's sequence number, time (UTC, microseconds), actor, action, table, count, purpose and detail
with sorted keys; the first row's ``prev_mac`` is :data:`GENESIS`. The head's seal is
``HMAC(k_audit, "head" ‖ seq ‖ last_mac)``.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import re
import socket
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, transaction

from tuntas.protect import Protector
from tuntas.web.audit.models import AuditEvent, AuditHead

GENESIS = "0" * 64
"""``prev_mac`` of the first event."""

USER_ENV = "TUNTAS_USER"
"""The TUNTAS user a command acts as, when ``--actor`` is not given."""

PLACEHOLDER_PURPOSES = frozenset(
    {
        "test",
        "testing",
        "tes",
        "coba",
        "cobacoba",
        "asdf",
        "qwerty",
        "xxx",
        "abc",
        "na",
        "none",
        "purpose",
        "tujuan",
        "alasan",
        "reason",
        "lihat",
        "perlu",
        "iseng",
        "dummy",
        "foo",
        "bar",
    }
)


class AuditRefused(Exception):  # noqa: N818 (a refusal, not a fault)
    """An audited action lacks a named actor or a real purpose; the message is bilingual."""


def command_line_actor() -> str:
    """Who runs a command-line action: ``user@host`` of the operating system (context only)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


@dataclass(frozen=True)
class Actor:
    """A named actor: a TUNTAS user, or a name given explicitly with ``--actor``."""

    name: str
    kind: str
    """``user`` (a TUNTAS account) or ``explicit`` (named on the command line)."""


def resolve_actor(explicit: str | None, *, using: str = "default") -> Actor:
    """The actor of a command-line action: ``--actor NAME``, else the TUNTAS user ``TUNTAS_USER``.

    A name that is an active TUNTAS account is a ``user``; any other ``--actor`` is recorded as an
    ``explicit`` name. ``TUNTAS_USER`` must be an account; the operating-system user alone is never
    an actor.
    """
    from django.contrib.auth import get_user_model

    name = (explicit or "").strip()
    from_env = not name
    if from_env:
        name = os.environ.get(USER_ENV, "").strip()
    if not name:
        raise AuditRefused(
            "Tindakan ini dicatat di jejak audit dan perlu nama pelaku: --actor NAMA atau "
            f"{USER_ENV}=pengguna_TUNTAS. / This action is audited and needs a named actor: "
            f"--actor NAME or {USER_ENV}=a_TUNTAS_user."
        )
    if len(name) > 150 or re.search(r"[\x00-\x1f\x7f]", name):
        raise AuditRefused(
            "Nama pelaku tidak sah (maks. 150 karakter, tanpa karakter kontrol). / Invalid actor "
            "name (at most 150 characters, no control characters)."
        )
    account = get_user_model().objects.using(using).filter(username=name).first()
    if account is not None:
        if not account.is_active:
            raise AuditRefused(f"Pengguna {name} tidak aktif. / User {name} is not active.")
        return Actor(name=name, kind="user")
    if from_env:
        raise AuditRefused(
            f"{USER_ENV}={name} bukan pengguna TUNTAS; pakai --actor NAMA. / {USER_ENV}={name} is not "
            "a TUNTAS user; use --actor NAME."
        )
    return Actor(name=name, kind="explicit")


def validate_purpose(text: str | None) -> str:
    """The purpose of an audited reveal, if it is real text; :class:`AuditRefused` otherwise.

    Real text: at least 10 characters and two words of two or more letters, not a placeholder
    (``test``, ``coba``, ``-``…), not one character repeated.

    >>> validate_purpose("  verifikasi musdes Desa Melikan  ")
    'verifikasi musdes Desa Melikan'
    """
    cleaned = " ".join((text or "").split())
    words = re.findall(r"[^\W\d_]{2,}", cleaned)
    squashed = re.sub(r"[\W_]+", "", cleaned.lower())
    if (
        len(cleaned) < 10
        or len(words) < 2
        or squashed in PLACEHOLDER_PURPOSES
        or all(w.lower() in PLACEHOLDER_PURPOSES for w in words)
        or len(set(squashed)) <= 2
        or len(cleaned) > 500
    ):
        raise AuditRefused(
            "Tujuan harus berupa kalimat yang nyata (min. 10 karakter, 2 kata), mis. 'verifikasi "
            "musdes Desa Melikan'. / The purpose must be real text (at least 10 characters, two "
            "words), e.g. 'village consultation in Melikan'."
        )
    return cleaned


def _utc(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical(event: AuditEvent) -> bytes:
    """The bytes an event's ``mac`` covers (without ``prev_mac``)."""
    body = {
        "seq": event.seq,
        "at": _utc(event.at),
        "actor": event.actor,
        "action": event.action,
        "table": event.table,
        "record_count": event.record_count,
        "purpose": event.purpose,
        "detail": event.detail,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def event_mac(event: AuditEvent, protector: Protector) -> str:
    """``HMAC(k_audit, canonical(event) ‖ prev_mac)``."""
    return protector.audit_mac(canonical(event) + event.prev_mac.encode("ascii"))


def head_seal(seq: int, last_mac: str, protector: Protector) -> str:
    """The head's seal ``HMAC(k_audit, "head" ‖ seq ‖ last_mac)``."""
    return protector.audit_mac(f"head|{seq}|{last_mac}".encode("ascii"))


def _lock(using: str) -> None:
    """Serialise writers of the chain (SQLite transactions already start IMMEDIATE)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('tuntas-audit'))")


def _append(
    event: AuditEvent, head: AuditHead | None, protector: Protector, using: str
) -> AuditHead:
    seq = head.seq + 1 if head else 1
    event.seq = seq
    event.prev_mac = head.last_mac if head else GENESIS
    event.mac = event_mac(event, protector)
    event.save(using=using)
    if head is None:
        head = AuditHead(seq=seq, last_mac=event.mac, seal="")
    head.seq, head.last_mac = seq, event.mac
    head.seal = head_seal(seq, event.mac, protector)
    head.save(using=using)
    return head


def _seal_unchained(head: AuditHead | None, protector: Protector, using: str) -> AuditHead | None:
    """Chain rows written before the chain existed (``seq`` null), in id order."""
    for event in AuditEvent.objects.using(using).filter(seq__isnull=True).order_by("id"):
        head = _append(event, head, protector, using)
    return head


def record(
    *,
    actor: str,
    action: str,
    table: str,
    count: int,
    protector: Protector,
    purpose: str = "",
    using: str = "default",
    **detail: Any,
) -> AuditEvent:
    """Append one audit event to the chain and return it."""
    with transaction.atomic(using=using):
        _lock(using)
        head = AuditHead.objects.using(using).select_for_update().first()
        head = _seal_unchained(head, protector, using)
        event = AuditEvent(
            actor=actor,
            action=action,
            table=table,
            record_count=count,
            purpose=purpose,
            detail=detail,
        )
        _append(event, head, protector, using)
    return event


@dataclass
class ChainCheck:
    """The outcome of :func:`verify_chain`."""

    events: int = 0
    unchained: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every row and the head check out."""
        return not self.problems


def verify_chain(protector: Protector, *, using: str = "default") -> ChainCheck:
    """Recompute the chain: every ``mac``, every link, the sequence and the head's seal."""
    check = ChainCheck()
    expected_prev, expected_seq = GENESIS, 1
    rows = AuditEvent.objects.using(using).filter(seq__isnull=False).order_by("seq")
    for event in rows.iterator():
        check.events += 1
        where = f"seq {event.seq} (id {event.id})"
        if event.seq != expected_seq:
            check.problems.append(
                f"{where}: urutan terputus, diharapkan {expected_seq} (baris dihapus?) / sequence "
                f"broken, expected {expected_seq} (row deleted?)"
            )
        if event.prev_mac != expected_prev:
            check.problems.append(
                f"{where}: rantai terputus (baris sebelumnya dihapus atau diubah) / chain broken "
                "(the previous row was deleted or changed)"
            )
        if event.mac != event_mac(event, protector):
            check.problems.append(f"{where}: isi baris diubah / the row was edited")
        expected_prev, expected_seq = event.mac, event.seq + 1
    check.unchained = AuditEvent.objects.using(using).filter(seq__isnull=True).count()
    head = AuditHead.objects.using(using).first()
    if head is None:
        if check.events:
            check.problems.append("kepala rantai hilang / the chain's head is missing")
    else:
        if head.seal != head_seal(head.seq, head.last_mac, protector):
            check.problems.append("segel kepala rantai tidak sah / the head's seal is invalid")
        if head.seq != expected_seq - 1 or head.last_mac != expected_prev:
            check.problems.append(
                f"baris terakhir (seq {head.seq}) hilang atau diganti / the last rows (up to seq "
                f"{head.seq}) were deleted or replaced"
            )
    return check


def rechain(old: Protector, new: Protector, *, using: str = "default") -> int:
    """Re-seal the whole chain under a new key (key rotation), inside the caller's transaction.

    The chain is verified under the old key first; a broken chain is never re-sealed (that would
    hide the change): :class:`AuditRefused` says where it broke.
    """
    _lock(using)
    head = _seal_unchained(AuditHead.objects.using(using).first(), old, using)
    check = verify_chain(old, using=using)
    if not check.ok:
        raise AuditRefused(
            "Jejak audit rusak, kunci tidak diganti; jalankan 'tuntas audit verify'. / The audit "
            "chain is broken, the key was not rotated; run 'tuntas audit verify'. "
            + "; ".join(check.problems[:3])
        )
    prev = GENESIS
    count = 0
    for event in AuditEvent.objects.using(using).order_by("seq"):
        event.prev_mac = prev
        event.mac = event_mac(event, new)
        event.save(using=using, update_fields=["prev_mac", "mac"])
        prev = event.mac
        count += 1
    if head is not None:
        head.last_mac = prev
        head.seal = head_seal(head.seq, prev, new)
        head.save(using=using)
    return count


def list_events(*, limit: int = 50, using: str = "default") -> list[dict[str, Any]]:
    """The newest ``limit`` events, newest first, as plain dicts (no personal data is stored)."""
    rows = AuditEvent.objects.using(using).order_by("-seq", "-id")[:limit]
    return [
        {
            "seq": e.seq,
            "at": e.at.isoformat(timespec="seconds"),
            "actor": e.actor,
            "action": e.action,
            "table": e.table,
            "record_count": e.record_count,
            "purpose": e.purpose,
            "detail": e.detail,
        }
        for e in rows
    ]
