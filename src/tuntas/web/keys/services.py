"""Make sure every command uses the key this database was protected with, and rotate it.

A database remembers the fingerprint of its master key (:class:`~tuntas.web.keys.models.KeyRecord`)
from the first import that stores personal data. Any later command whose key has another
fingerprint is refused before it reads or writes anything: with another key, the same NIK would be
stored twice (uniqueness compares keyed hashes), an unchanged file would rewrite every row and
reveals would fail. A database from before fingerprints were kept is checked by decrypting one
stored ciphertext, and adopts the key when it decrypts.

``tuntas key rotate`` re-hashes and re-encrypts every NIK and name, recomputes the records'
fingerprints and re-seals the audit chain under the new key, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from cryptography.exceptions import InvalidTag
from django.db import connections, transaction
from django.utils import timezone

from tuntas.protect import (
    MASTER_KEY_ENV,
    MasterKey,
    MasterKeyError,
    Protector,
    key_file_path,
    load_master_key,
)
from tuntas.tables.schemas import TABLES
from tuntas.tables.stored import personal_columns, stored_columns, to_stored

PERSONAL_KINDS = ("households", "persons")
"""Tables that hold NIK or names (as keyed hashes and ciphertexts)."""

Progress = Callable[[str, float], None]


def pending_key_path(path: Path) -> Path:
    """Where ``tuntas key rotate`` puts the new key before the database has switched to it."""
    return path.with_name(path.name + ".new")


def active_record(*, using: str = "default"):  # type: ignore[no-untyped-def]
    """The active :class:`KeyRecord`, or ``None``."""
    from tuntas.web.keys.models import KeyRecord

    return KeyRecord.objects.using(using).filter(retired_at__isnull=True).first()


def _sample_ciphertext(using: str) -> str | None:
    queries = (
        "SELECT nik_enc FROM registry_person WHERE nik_enc IS NOT NULL LIMIT 1",
        "SELECT head_nik_enc FROM registry_household WHERE head_nik_enc IS NOT NULL LIMIT 1",
        "SELECT head_name_enc FROM registry_household WHERE head_name_enc IS NOT NULL LIMIT 1",
    )
    with connections[using].cursor() as cursor:
        for sql in queries:
            cursor.execute(sql)
            row = cursor.fetchone()
            if row:
                return str(row[0])
    return None


def _decrypts(protector: Protector, token: str) -> bool:
    try:
        protector.decrypt(token)
    except (InvalidTag, ValueError):
        return False
    return True


def _mismatch(master: MasterKey, stored: str | None) -> MasterKeyError:
    given = master.protector().fingerprint
    hint = ""
    if master.path is not None:
        pending = pending_key_path(master.path)
        if pending.exists():
            try:
                if load_master_key(pending).protector().fingerprint == stored:
                    hint = (
                        f" Kunci baru hasil rotasi ada di {pending}: pindahkan ke {master.path}. / "
                        f"The rotated key is in {pending}: move it to {master.path}."
                    )
            except MasterKeyError:
                pass
    known = f"{stored[:8]}…" if stored else "(sandi tersimpan / stored ciphertexts)"
    return MasterKeyError(
        f"Kunci dari {master.source} bukan kunci basis data ini (tersimpan {known}, kunci ini "
        f"{given[:8]}…); tidak ada yang dibaca atau diubah. Pakai berkas kunci atau "
        "TUNTAS_MASTER_KEY yang benar; untuk mengganti kunci pakai 'tuntas key rotate'. / The key "
        f"from {master.source} is not this database's key (stored {known}, this key {given[:8]}…); "
        "nothing was read or changed. Use the right key file or TUNTAS_MASTER_KEY; to change the "
        "key use 'tuntas key rotate'." + hint
    )


def check_key(master: MasterKey, *, using: str = "default") -> bool:
    """Refuse ``master`` unless it is this database's key; True when it must still be recorded.

    Raises :class:`MasterKeyError` when the database has another key's fingerprint, or holds
    ciphertexts the key cannot decrypt. Returns True when the database has no fingerprint yet (a
    new database, or one from before fingerprints were kept whose ciphertexts the key decrypts):
    the caller records it with :func:`record_key` in its write transaction.
    """
    record = active_record(using=using)
    fingerprint = master.protector().fingerprint
    if record is not None:
        if record.fingerprint != fingerprint:
            raise _mismatch(master, record.fingerprint)
        return False
    sample = _sample_ciphertext(using)
    if sample is not None and not _decrypts(master.protector(), sample):
        raise _mismatch(master, None)
    return True


def record_key(master: MasterKey, *, using: str = "default", note: str = "first use") -> None:
    """Store ``master``'s fingerprint as the database's active key (inside the caller's transaction)."""
    from tuntas.web.keys.models import KeyRecord

    KeyRecord.objects.using(using).create(
        fingerprint=master.protector().fingerprint, first_used_at=timezone.now(), note=note
    )


def check_configured_key(*, using: str = "default") -> None:
    """Refuse to go on when a key is configured and is not this database's (commands that read).

    A command that needs no key (an analysis) runs without one; a configured key that does not
    match says that the wrong key or the wrong database is in use, so it is refused all the same.
    """
    configured = os.environ.get(MASTER_KEY_ENV) is not None or key_file_path().exists()
    if not configured:
        return
    master = load_master_key()  # a configured key that cannot be read is an error, not "no key"
    record = active_record(using=using)
    if record is not None and record.fingerprint != master.protector().fingerprint:
        raise _mismatch(master, record.fingerprint)


def database_key(*, using: str = "default") -> Protector:
    """The configured key's protector after :func:`check_key` (for reveals and masks)."""
    master = load_master_key()
    check_key(master, using=using)
    return master.protector()


@dataclass(frozen=True)
class Rotation:
    """What ``tuntas key rotate`` changed."""

    households: int
    persons: int
    audit_events: int
    old_fingerprint: str
    new_fingerprint: str


def _reprotect(kind: str, old: Protector, new: Protector, *, using: str) -> int:
    """Decrypt every personal value of ``kind`` with ``old``, store it again under ``new``."""
    from tuntas.web.imports.bulk import fetch_rows, update_frame
    from tuntas.web.registry.loaders import TABLE_NAMES, typed_like

    columns = stored_columns(kind)
    stored = typed_like(
        kind,
        fetch_rows(
            f"SELECT {', '.join(columns)} FROM {TABLE_NAMES[kind]}", using=using, columns=columns
        ),
    )
    if stored.height == 0:
        return 0
    clear: dict[str, list[str | None]] = {}
    failed = 0
    for name in personal_columns(kind):
        values: list[str | None] = []
        for token in stored[f"{name}_enc"].to_list():
            if token is None:
                values.append(None)
                continue
            try:
                values.append(old.decrypt(token))
            except (InvalidTag, ValueError):
                failed += 1
                values.append(None)
        clear[name] = values
    if failed:
        raise MasterKeyError(
            f"{failed:,} nilai di {kind} tidak dapat dibuka dengan kunci saat ini (disimpan dengan "
            f"kunci lain); kunci tidak diganti. / {failed:,} values in {kind} cannot be decrypted "
            "with the current key (stored under another key); the key was not rotated."
        )
    hashes = [c for c in stored.columns if c.endswith(("_hash", "_enc")) or c == "row_hash"]
    frame = stored.drop(hashes).with_columns(
        [pl.Series(name, values, dtype=pl.Utf8) for name, values in clear.items()]
    )
    restored = to_stored(kind, frame, protector=new)
    keys = list(TABLES[kind].key)
    update_frame(TABLE_NAMES[kind], restored, keys=keys, using=using)
    return restored.height


def import_lock(using: str) -> None:
    """Serialise writers of registry data (imports, rotation) inside the caller's transaction.

    SQLite transactions start IMMEDIATE (one writer at a time already); PostgreSQL takes a
    transaction-level advisory lock, waiting at most the configured lock timeout.
    """
    from tuntas.web.settings import lock_timeout_seconds

    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{int(lock_timeout_seconds() * 1000)}ms'")
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('tuntas-import'))")


def rotate_key(
    current: MasterKey,
    new: MasterKey,
    *,
    actor: str,
    using: str = "default",
    progress: Progress | None = None,
) -> Rotation:
    """Re-hash and re-encrypt every NIK and name under ``new``, in one transaction.

    Also recomputes each record's fingerprint (it covers the keyed hashes), re-seals the audit
    chain, retires the old key's record, records the new one and audits the rotation. Nothing
    changes when any step fails.
    """
    from tuntas.web.audit.services import rechain, record
    from tuntas.web.keys.models import KeyRecord

    step = progress or (lambda _s, _f: None)
    old_p, new_p = current.protector(), new.protector()
    if old_p.fingerprint == new_p.fingerprint:
        raise MasterKeyError("Kunci baru sama dengan kunci lama. / The new key equals the old one.")
    with transaction.atomic(using=using):
        import_lock(using)
        needs_record = check_key(current, using=using)
        if needs_record:
            record_key(current, using=using, note="adopted before rotation")
        step("keluarga / households", 0.1)
        households = _reprotect("households", old_p, new_p, using=using)
        step("anggota / persons", 0.4)
        persons = _reprotect("persons", old_p, new_p, using=using)
        step("jejak audit / audit", 0.9)
        events = rechain(old_p, new_p, using=using)
        now = timezone.now()
        KeyRecord.objects.using(using).filter(retired_at__isnull=True).update(retired_at=now)
        record_key(new, using=using, note=f"rotated {now:%Y-%m-%d %H:%M}")
        record(
            actor=actor,
            action="key_rotate",
            table="registry",
            count=households + persons,
            protector=new_p,
            using=using,
            old=old_p.fingerprint[:8],
            new=new_p.fingerprint[:8],
        )
    step("selesai / done", 1.0)
    return Rotation(households, persons, events, old_p.fingerprint, new_p.fingerprint)


def retired_key_path(path: Path) -> Path:
    """Where the old key file is kept after a rotation (for restoring older backups)."""
    return path.with_name(f"{path.name}.retired-{dt.datetime.now():%Y%m%d%H%M%S}")
