"""Import batches (one per accepted file) and the flags raised on records."""

from __future__ import annotations

from django.db import models


class ImportBatch(models.Model):
    """One accepted import of a file: what was read, what changed, and whether it was synthetic.

    A rejected file leaves no batch: the database is unchanged and the report is a file.
    """

    kind = models.TextField()
    file_name = models.TextField()
    file_sha256 = models.TextField(db_index=True)
    file_format = models.TextField()
    sheet = models.TextField(null=True)
    preset = models.TextField(null=True)
    synthetic = models.BooleanField(default=False)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    rows = models.IntegerField()
    inserted = models.IntegerField()
    updated = models.IntegerField()
    unchanged = models.IntegerField()
    flagged = models.IntegerField()
    columns = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"


class DataFlag(models.Model):
    """A problem found on a stored record that did not block the import (DESIGN §7).

    ``value`` is masked for personal columns. One flag per record, rule and column: re-importing the
    same file changes nothing.
    """

    table = models.TextField()
    record_key = models.TextField()
    rule = models.TextField()
    column = models.TextField()
    value = models.TextField(null=True)
    detail = models.TextField(null=True)
    region_code = models.TextField(null=True, db_index=True)
    batch = models.ForeignKey(
        ImportBatch, null=True, on_delete=models.SET_NULL, related_name="flags"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["table", "record_key", "rule", "column"], name="one_flag_per_record_rule"
            )
        ]
        indexes = [models.Index(fields=["table", "rule"])]
