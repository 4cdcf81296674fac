"""Protection of personal data (UU 27/2022): keyed hashes, encryption and masking of NIK and names.

NIK and names are never stored, logged or shown in clear. Each is stored twice:

- a **keyed hash**, HMAC-SHA256(k_hash, value) as 64 hex characters, for linking and deduplication
  (equal NIKs give equal hashes; without the key a hash cannot be reversed by trying all NIKs);
- an **encrypted copy**, AES-256-GCM(k_enc, nonce, value), stored as URL-safe base64 of
  ``nonce ‖ ciphertext ‖ tag``, for an authorised and audited reveal.

Both keys are derived from one 32-byte master key with HKDF-SHA256 (RFC 5869) using the labels
``tuntas nik-hash v1`` and ``tuntas encrypt v1``. The master key comes from the environment
(``TUNTAS_MASTER_KEY``, URL-safe base64) or a key file; :func:`load_or_create_master_key` creates a
key file for the demo.

Examples
--------
>>> protector = Protector(bytes(32))
>>> protector.hash_value("3310034506850001") == protector.hash_value("3310034506850001")
True
>>> protector.decrypt(protector.encrypt("Sumarni"))
'Sumarni'
>>> mask_nik("3310034506850001")
'3310********0001'
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

import polars as pl
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MASTER_KEY_ENV = "TUNTAS_MASTER_KEY"
KEY_FILE_ENV = "TUNTAS_KEY_FILE"
DEFAULT_KEY_FILE = "tuntas.key"


def _derive(master: bytes, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(master)


class Protector:
    """Keyed hashing and encryption with keys derived from one master key."""

    def __init__(self, master_key: bytes) -> None:
        if len(master_key) != 32:
            raise ValueError("the master key must be 32 bytes")
        self._hash_key = _derive(master_key, b"tuntas nik-hash v1")
        self._aead = AESGCM(_derive(master_key, b"tuntas encrypt v1"))

    def hash_value(self, value: str) -> str:
        """HMAC-SHA256 of ``value`` under the hash key, as 64 hex characters."""
        return hmac.new(self._hash_key, value.encode("utf-8"), hashlib.sha256).hexdigest()

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


def mask_nik(nik: str | None) -> str:
    """Show the first four and last four digits only: ``3310********0001``."""
    if not nik:
        return ""
    return nik[:4] + "*" * max(len(nik) - 8, 0) + nik[-4:]


def mask_name(name: str | None) -> str:
    """Initials with the rest hidden: ``Sumarni Wati`` → ``S****** W***``."""
    if not name:
        return ""
    return " ".join(part[0] + "*" * (len(part) - 1) for part in name.split())


def load_or_create_master_key(
    key_file: Path | None = None, *, create: bool = True
) -> tuple[bytes, str]:
    """The master key and where it came from.

    Order: the ``TUNTAS_MASTER_KEY`` environment variable (URL-safe base64 of 32 bytes); else the key
    file (``TUNTAS_KEY_FILE`` or ``./tuntas.key``); else, when ``create``, a new random key written to
    that file with mode 0600.
    """
    env = os.environ.get(MASTER_KEY_ENV)
    if env:
        key = base64.urlsafe_b64decode(env.strip().encode("ascii"))
        if len(key) != 32:
            raise ValueError(f"{MASTER_KEY_ENV} must be URL-safe base64 of 32 bytes")
        return key, f"environment variable {MASTER_KEY_ENV}"
    path = key_file or Path(os.environ.get(KEY_FILE_ENV, DEFAULT_KEY_FILE))
    if path.exists():
        key = base64.urlsafe_b64decode(path.read_text(encoding="ascii").strip().encode("ascii"))
        if len(key) != 32:
            raise ValueError(f"key file {path} does not hold a 32-byte key")
        return key, f"key file {path}"
    if not create:
        raise FileNotFoundError(f"no master key: set {MASTER_KEY_ENV} or create {path}")
    key = secrets.token_bytes(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(base64.urlsafe_b64encode(key).decode("ascii") + "\n")
    return key, f"new key file {path} (generated; keep it safe)"
