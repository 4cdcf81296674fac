"""The audit log: every reveal of personal data and every change made by a person (DESIGN §7).

Events form a keyed hash chain: each row's ``mac`` is an HMAC (audit key derived from the master
key) over its own fields and the previous row's ``mac``; :class:`AuditHead` holds the sequence
number and ``mac`` of the last row, itself sealed. An edited, inserted or deleted row (the last one
included) breaks the chain, which ``tuntas audit verify`` reports; without the key the chain cannot
be rebuilt over a change.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """One audited action. ``detail`` never holds NIK or names in clear."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.TextField()
    action = models.TextField()
    table = models.TextField()
    record_count = models.IntegerField(default=0)
    purpose = models.TextField(blank=True, default="")
    detail = models.JSONField(default=dict)
    seq = models.BigIntegerField(null=True, unique=True)
    """Position in the chain (1, 2, …); null only for rows written before the chain existed, which
    are sealed into it, in id order, the next time an event is recorded."""
    prev_mac = models.TextField(default="")
    mac = models.TextField(default="")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.table} ({self.record_count})"


class AuditHead(models.Model):
    """The end of the chain (one row): its sequence number, last ``mac`` and a seal over both."""

    seq = models.BigIntegerField()
    last_mac = models.TextField()
    seal = models.TextField()
