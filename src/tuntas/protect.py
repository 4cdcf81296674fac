"""Protection of personal data (UU 27/2022): keyed hashes, encryption and masking of NIK and names.

NIK and names are never stored, logged or shown in clear. Each is stored twice:

- a **keyed hash**, HMAC-SHA256(k_hash, value) as 64 hex characters, for linking and deduplication
  (equal NIKs give equal hashes; without the key a hash cannot be reversed by trying all NIKs);
- an **encrypted copy**, AES-256-GCM(k_enc, nonce, value), stored as URL-safe base64 of
  ``nonce ‖ ciphertext ‖ tag``, for an authorised and audited reveal.

All keys are derived from one 32-byte master key with HKDF-SHA256 (RFC 5869), one label each:
``tuntas nik-hash v1`` (hashes), ``tuntas encrypt v1`` (ciphertexts), ``tuntas audit v1`` (the
audit log's hash chain) and
``tuntas fingerprint v1`` (the key's fingerprint, stored in the database so that a command run with
another key is refused instead of silently storing a second copy of every NIK).

The master key comes from the environment (``TUNTAS_MASTER_KEY``, URL-safe base64) or a key file
(``TUNTAS_KEY_FILE``, else ``./tuntas.key``). It is never created implicitly: :func:`create_key_file`
is called by ``tuntas key init`` and by the demo only.

**Masks.** A masked NIK shows no digit at all: the digits a NIK holds are the kecamatan of issue,
the birth date (+40 for women) and a serial, and the first two sit in clear in the database, so
any shown digit narrows the rest. For recognition a masked NIK carries a short *keyed* code: the
first 40 bits of the NIK's stored keyed hash in Crockford base 32. The same NIK always shows the same
code, without the key the code says nothing about the digits, and a list can be masked from the
stored hashes alone, without the key and without decrypting anything (:func:`mask_nik_hash`).

Examples
--------
>>> protector = Protector(bytes(32))
>>> protector.hash_value("3310034506850001") == protector.hash_value("3310034506850001")
True
>>> protector.decrypt(protector.encrypt("Sumarni"))
'Sumarni'
>>> mask_nik("3310034506850001", protector)
'****-BXEWW2KX'
>>> mask_nik("3310034506850001")
'****'
>>> mask_name("Sumarni Wati")
'S****** W***'
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MASTER_KEY_ENV = "TUNTAS_MASTER_KEY"
KEY_FILE_ENV = "TUNTAS_KEY_FILE"
DEFAULT_KEY_FILE = "tuntas.key"
KEY_BYTES = 32

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base-32 alphabet: no I, L, O or U, so a code read aloud is not misheard."""


class MasterKeyError(Exception):
    """The master key is missing, unreadable or malformed, or does not match the database.

    ``str(error)`` is a bilingual message (Indonesian first) that names where the key was looked
    for and what to do; it never contains key material.
    """


def _derive(master: bytes, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(master)


def _crockford(data: bytes, length: int) -> str:
    number = int.from_bytes(data, "big")
    bits = len(data) * 8
    chars = []
    for i in range(length):
        shift = bits - 5 * (i + 1)
        chars.append(_CROCKFORD[(number >> shift) & 31])
    return "".join(chars)


class Protector:
    """Keyed hashing, encryption, masking codes and audit MACs derived from one master key."""

    def __init__(self, master_key: bytes) -> None:
        if len(master_key) != KEY_BYTES:
            raise ValueError("the master key must be 32 bytes")
        self._hash_key = _derive(master_key, b"tuntas nik-hash v1")
        self._audit_key = _derive(master_key, b"tuntas audit v1")
        self._fingerprint = _derive(master_key, b"tuntas fingerprint v1").hex()[:32]
        self._aead = AESGCM(_derive(master_key, b"tuntas encrypt v1"))

    @property
    def fingerprint(self) -> str:
        """32 hex characters that identify the key (and reveal nothing about it)."""
        return self._fingerprint

    def hash_value(self, value: str) -> str:
        """HMAC-SHA256 of ``value`` under the hash key, as 64 hex characters."""
        return hmac.new(self._hash_key, value.encode("utf-8"), hashlib.sha256).hexdigest()

    def nik_code(self, value: str) -> str:
        """The recognition code of ``value``: :func:`hash_code` of its keyed hash."""
        return hash_code(self.hash_value(value))

    def audit_mac(self, data: bytes) -> str:
        """HMAC-SHA256 of ``data`` under the audit key, as 64 hex characters."""
        return hmac.new(self._audit_key, data, hashlib.sha256).hexdigest()

    def encrypt(self, value: str) -> str:
        """AES-256-GCM encryption with a fresh 96-bit nonce; URL-safe base64 text."""
        nonce = secrets.token_bytes(12)
        sealed = self._aead.encrypt(nonce, value.encode("utf-8"), None)
        return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def decrypt(self, token: str) -> str:
        """Reverse :meth:`encrypt`; raises ``cryptography.exceptions.InvalidTag`` on a wrong key."""
        raw = base64.urlsafe_b64decode(token.encode("ascii"))
        return self._aead.decrypt(raw[:12], raw[12:], None).decode("utf-8")

    def hash_series(self, values: pl.Series) -> pl.Series:
        """Keyed hashes of a string column (nulls stay null)."""
        key = self._hash_key
        new = hmac.new
        sha = hashlib.sha256
        return pl.Series(
            values.name,
            [
                None if v is None else new(key, v.encode("utf-8"), sha).hexdigest()
                for v in values.to_list()
            ],
            dtype=pl.Utf8,
        )

    def encrypt_series(self, values: pl.Series) -> pl.Series:
        """Encrypted copies of a string column (nulls stay null)."""
        encrypt = self._aead.encrypt
        token = secrets.token_bytes
        b64 = base64.urlsafe_b64encode
        out: list[str | None] = []
        for v in values.to_list():
            if v is None:
                out.append(None)
            else:
                nonce = token(12)
                out.append(b64(nonce + encrypt(nonce, v.encode("utf-8"), None)).decode("ascii"))
        return pl.Series(values.name, out, dtype=pl.Utf8)


def hash_code(value_hash: str) -> str:
    """Eight Crockford base-32 characters (40 bits) of a stored keyed hash (64 hex characters)."""
    return _crockford(bytes.fromhex(value_hash[:10]), 8)


NIK_MASK = "****"
"""What a masked NIK shows when no key is at hand to compute its recognition code."""


def mask_nik(nik: str | None, protector: Protector | None = None) -> str:
    """A masked NIK without any of its digits: ``****-`` and the keyed code, or ``****``.

    Empty for a missing NIK. With ``protector`` the code lets a facilitator tell two persons apart
    and recognise the same person in two lists; without it every NIK shows ``****``.
    """
    if not nik:
        return ""
    if protector is None:
        return NIK_MASK
    return f"{NIK_MASK}-{protector.nik_code(str(nik).strip())}"


def mask_nik_hash(nik_hash: str | None) -> str:
    """The masked NIK from its stored keyed hash (no key, no decryption): ``****-`` and the code."""
    if not nik_hash:
        return ""
    return f"{NIK_MASK}-{hash_code(nik_hash)}"


def mask_nik_series(values: pl.Series, protector: Protector | None = None) -> pl.Series:
    """:func:`mask_nik` over a text column (nulls and empty values give empty text)."""
    return pl.Series(values.name, [mask_nik(v, protector) for v in values.to_list()], dtype=pl.Utf8)


def mask_name(name: str | None) -> str:
    """Initials with the rest hidden: ``Sumarni Wati`` → ``S****** W***``."""
    if not name:
        return ""
    return " ".join(part[0] + "*" * (len(part) - 1) for part in name.split())


@dataclass(frozen=True)
class MasterKey:
    """A loaded master key and a description of where it came from (never the key itself)."""

    key: bytes
    source: str
    """``environment variable TUNTAS_MASTER_KEY`` or ``key file PATH``."""
    path: Path | None = None
    """The key file, when the key came from one."""

    def protector(self) -> Protector:
        """The :class:`Protector` of this key."""
        return Protector(self.key)


def key_file_path() -> Path:
    """The key file the commands use: ``TUNTAS_KEY_FILE``, else ``./tuntas.key``."""
    return Path(os.environ.get(KEY_FILE_ENV) or DEFAULT_KEY_FILE)


def _decode_key(text: str, *, where: str) -> bytes:
    cleaned = text.strip()
    if not cleaned:
        raise MasterKeyError(f"Kunci kosong di {where} / the key in {where} is empty.")
    try:
        key = base64.urlsafe_b64decode(cleaned.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise MasterKeyError(
            f"Kunci di {where} bukan base64 yang sah / the key in {where} is not valid "
            "URL-safe base64."
        ) from None
    if len(key) != KEY_BYTES:
        raise MasterKeyError(
            f"Kunci di {where} harus 32 byte, bukan {len(key)} / the key in {where} must hold "
            f"32 bytes, not {len(key)}."
        )
    return key


def load_master_key(key_file: Path | None = None) -> MasterKey:
    """The master key: ``TUNTAS_MASTER_KEY`` if set, else the key file. Never creates one.

    Raises :class:`MasterKeyError` (bilingual) when the variable is set but empty or malformed, or the
    key file is missing, unreadable, empty or malformed.
    """
    env = os.environ.get(MASTER_KEY_ENV)
    if env is not None:
        where = f"variabel lingkungan / environment variable {MASTER_KEY_ENV}"
        return MasterKey(
            _decode_key(env, where=where), source=f"environment variable {MASTER_KEY_ENV}"
        )
    path = key_file or key_file_path()
    if not path.exists():
        raise MasterKeyError(
            f"Tidak ada kunci: berkas {path} tidak ada dan {MASTER_KEY_ENV} tidak diisi. Buat kunci "
            f"baru dengan 'tuntas key init' (hanya untuk basis data baru). / No key: {path} does not "
            f"exist and {MASTER_KEY_ENV} is not set. Create one with 'tuntas key init' (for a new "
            "database only)."
        )
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        raise MasterKeyError(
            f"Berkas kunci {path} tidak dapat dibaca / the key file {path} cannot be read "
            "(permissions, or not a key file)."
        ) from None
    return MasterKey(
        _decode_key(text, where=f"berkas/file {path}"), source=f"key file {path}", path=path
    )


def write_key_file(path: Path, key: bytes) -> None:
    """Write ``key`` to a new file ``path`` readable by the owner only (mode 0600); never overwrites."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(base64.urlsafe_b64encode(key).decode("ascii") + "\n")


def create_key_file(path: Path | None = None) -> MasterKey:
    """Create a new random master key in ``path`` (default :func:`key_file_path`), mode 0600.

    Refuses (:class:`MasterKeyError`) when the file already exists: a key is never replaced.
    """
    target = path or key_file_path()
    if target.exists():
        raise MasterKeyError(
            f"Berkas kunci {target} sudah ada; kunci tidak pernah ditimpa / the key file {target} "
            "already exists; a key is never overwritten (use 'tuntas key rotate' to change it)."
        )
    key = secrets.token_bytes(KEY_BYTES)
    write_key_file(target, key)
    return MasterKey(key, source=f"key file {target}", path=target)
