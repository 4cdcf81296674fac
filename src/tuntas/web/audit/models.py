"""The audit log: every reveal of personal data and every change made by a person (DESIGN §7)."""

from __future__ import annotations

from django.db import models


class AuditEvent(models.Model):
    """One audited action. ``detail`` never holds NIK or names in clear."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.TextField()
    action = models.TextField()
    table = models.TextField()
    record_count = models.IntegerField(default=0)
    purpose = models.TextField(blank=True, default="")
    detail = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.table} ({self.record_count})"
