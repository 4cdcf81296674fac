"""The fingerprint of the master key that protects this database's NIK and names."""

from __future__ import annotations

from django.db import models


class KeyRecord(models.Model):
    """A master key this database has used: its fingerprint, never the key.

    Exactly one record is active (``retired_at`` null) once personal data is stored; a command whose
    key has another fingerprint is refused. ``tuntas key rotate`` retires the active record and adds
    the new key's.
    """

    fingerprint = models.TextField(unique=True)
    first_used_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True)
    note = models.TextField(default="")

    def __str__(self) -> str:
        state = "active" if self.retired_at is None else f"retired {self.retired_at:%Y-%m-%d}"
        return f"key {self.fingerprint[:8]}… ({state})"
