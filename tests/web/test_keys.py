"""The master key is never replaced silently, and can be rotated (SQLite and PostgreSQL).

A database records its key's fingerprint at the first import; a command with another key is
refused with a clear message and changes nothing (before, it stored every NIK a second time under
another hash and later reveals failed with ``InvalidTag``). ``rotate_key`` re-hashes and
re-encrypts in one transaction: the clear values come back the same under the new key.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from django.db import connections

from tests.web.builders import registry, write
from tests.web.test_import import snapshot
from tuntas.protect import (
    MASTER_KEY_ENV,
    MasterKey,
    MasterKeyError,
    create_key_file,
    load_master_key,
)
from tuntas.web.audit.services import verify_chain
from tuntas.web.imports.services import import_file
from tuntas.web.keys.models import KeyRecord
from tuntas.web.keys.services import check_key, rotate_key
from tuntas.web.registry.identity import household_identities, person_identities

pytestmark = pytest.mark.django_db(databases="__all__", transaction=True)

OTHER = MasterKey(bytes(range(1, 33)), source="test key B")


def current() -> MasterKey:
    return load_master_key()


def load(tmp_path: Path, alias: str) -> tuple[Path, Path]:
    families, persons = registry(households=12)
    k = write(families, tmp_path / "k.csv")
    p = write(persons, tmp_path / "p.csv")
    assert import_file("households", k, preset="p3ke", using=alias).ok
    assert import_file("persons", p, preset="p3ke", using=alias).ok
    return k, p


def test_first_import_records_the_fingerprint_and_another_key_is_refused(
    tmp_path: Path, db_alias: str
) -> None:
    k, p = load(tmp_path, db_alias)
    record = KeyRecord.objects.using(db_alias).get()
    assert record.fingerprint == current().protector().fingerprint
    before = snapshot(db_alias)
    outcome = import_file("persons", p, preset="p3ke", using=db_alias, key=OTHER)
    assert not outcome.ok
    assert (
        "bukan kunci basis data ini" in outcome.message
        and "is not this database" in outcome.message
    )
    assert snapshot(db_alias) == before  # nothing stored twice, nothing rewritten
    with pytest.raises(MasterKeyError):
        check_key(OTHER, using=db_alias)
    # Every import says where its key came from.
    again = import_file("households", k, preset="p3ke", using=db_alias)
    assert again.ok and again.key_source == current().source
    assert any(line.startswith("Kunci / key:") for line in again.summary_lines())


def test_database_without_fingerprint_adopts_only_a_key_that_decrypts(
    tmp_path: Path, db_alias: str
) -> None:
    """A database from before fingerprints were kept: its ciphertexts decide."""
    _k, p = load(tmp_path, db_alias)
    KeyRecord.objects.using(db_alias).all().delete()
    with pytest.raises(MasterKeyError):
        check_key(OTHER, using=db_alias)
    assert check_key(current(), using=db_alias) is True  # decrypts: to be recorded
    assert import_file("persons", p, preset="p3ke", using=db_alias).ok
    assert KeyRecord.objects.using(db_alias).get().fingerprint == current().protector().fingerprint


def test_rotation_keeps_every_value_and_switches_the_key(tmp_path: Path, db_alias: str) -> None:
    k, p = load(tmp_path, db_alias)
    old = current()
    ids = [f"KLT{i:05d}" for i in range(12)]
    heads = household_identities(
        ids, reveal=True, actor="Tester", purpose="uji rotasi kunci", using=db_alias
    )
    person_ids = [f"KLT00000-{m:02d}" for m in (1, 2)]
    members = person_identities(
        person_ids, reveal=True, actor="Tester", purpose="uji rotasi kunci", using=db_alias
    )
    with connections[db_alias].cursor() as cursor:
        cursor.execute("SELECT nik_hash FROM registry_person ORDER BY person_id")
        hashes_before = [r[0] for r in cursor.fetchall()]
    new = MasterKey(bytes(range(100, 132)), source="rotated test key")
    rotation = rotate_key(old, new, actor="Tester", using=db_alias)
    assert rotation.households == 12 and rotation.persons == len(hashes_before)
    with connections[db_alias].cursor() as cursor:
        cursor.execute("SELECT nik_hash FROM registry_person ORDER BY person_id")
        hashes_after = [r[0] for r in cursor.fetchall()]
    assert not set(hashes_before) & set(hashes_after)  # every hash is under the new key
    with pytest.raises(MasterKeyError):
        check_key(old, using=db_alias)
    p_new = new.protector()
    assert (
        household_identities(
            ids,
            reveal=True,
            actor="Tester",
            purpose="uji rotasi kunci",
            using=db_alias,
            protector=p_new,
        )
        .sort("household_id")
        .equals(heads.sort("household_id"))
    )
    assert (
        person_identities(
            person_ids,
            reveal=True,
            actor="Tester",
            purpose="uji rotasi kunci",
            using=db_alias,
            protector=p_new,
        )
        .sort("person_id")
        .equals(members.sort("person_id"))
    )
    # The same files under the new key change nothing (fingerprints were recomputed).
    for kind, path in (("households", k), ("persons", p)):
        outcome = import_file(kind, path, preset="p3ke", using=db_alias, key=new)
        assert outcome.ok and (outcome.inserted, outcome.updated) == (0, 0), kind
    check = verify_chain(p_new, using=db_alias)
    assert check.ok and check.events >= 6, check.problems
    assert not verify_chain(old.protector(), using=db_alias).ok
    records = KeyRecord.objects.using(db_alias).order_by("id")
    assert [r.retired_at is None for r in records] == [False, True]


def test_rotation_is_all_or_nothing(tmp_path: Path, db_alias: str) -> None:
    """A value stored under another key stops the rotation before anything changes."""
    load(tmp_path, db_alias)
    stray = OTHER.protector().encrypt("Nama Lain")
    with connections[db_alias].cursor() as cursor:
        cursor.execute(
            "UPDATE registry_person SET name_enc = %s WHERE person_id = %s", [stray, "KLT00003-01"]
        )
    before = snapshot(db_alias)
    new = MasterKey(bytes(range(100, 132)), source="rotated test key")
    with pytest.raises(MasterKeyError, match="cannot be decrypted"):
        rotate_key(current(), new, actor="Tester", using=db_alias)
    assert snapshot(db_alias) == before
    assert KeyRecord.objects.using(db_alias).get().fingerprint == current().protector().fingerprint


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "is empty"),
        ("not base64 at all!!", "not valid"),
        (base64.urlsafe_b64encode(bytes(16)).decode(), "must hold 32 bytes"),
    ],
)
def test_malformed_keys_are_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str, expected: str
) -> None:
    monkeypatch.setenv(MASTER_KEY_ENV, content)
    with pytest.raises(MasterKeyError, match=expected) as env_error:
        load_master_key()
    assert MASTER_KEY_ENV in str(env_error.value)
    monkeypatch.delenv(MASTER_KEY_ENV)
    key_file = tmp_path / "tuntas.key"
    key_file.write_text(content)
    with pytest.raises(MasterKeyError, match=expected):
        load_master_key(key_file)


def test_missing_or_unreadable_key_file_and_no_silent_creation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(MASTER_KEY_ENV)
    missing = tmp_path / "none.key"
    with pytest.raises(MasterKeyError, match="tuntas key init"):
        load_master_key(missing)
    assert not missing.exists()  # never created implicitly
    folder = tmp_path / "a-folder.key"
    folder.mkdir()
    with pytest.raises(MasterKeyError, match="cannot be read"):
        load_master_key(folder)
    created = create_key_file(tmp_path / "new.key")
    assert oct((tmp_path / "new.key").stat().st_mode & 0o777) == "0o600"
    assert load_master_key(tmp_path / "new.key").key == created.key
    with pytest.raises(MasterKeyError, match="never overwritten"):
        create_key_file(tmp_path / "new.key")
    assert os.environ.get(MASTER_KEY_ENV) is None
