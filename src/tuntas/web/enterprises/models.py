"""Enterprises: UMKM, cooperatives and BUMDes, one row per enterprise and snapshot year."""

from __future__ import annotations

from django.db import models

from tuntas.web.imports.models import ImportBatch


class Enterprise(models.Model):
    """One enterprise in one snapshot year (canonical table ``enterprises``)."""

    enterprise_id = models.TextField()
    year = models.SmallIntegerField()
    nib = models.TextField(null=True, db_index=True)
    name = models.TextField()
    legal_form = models.TextField()
    kbli = models.TextField()
    region_code = models.TextField(db_index=True)
    lat = models.FloatField(null=True)
    lon = models.FloatField(null=True)
    workers = models.IntegerField()
    turnover_year = models.FloatField(null=True)
    assets = models.FloatField(null=True)
    established = models.DateField(null=True)
    cluster = models.TextField(null=True)
    is_cooperative = models.BooleanField()
    members = models.IntegerField(null=True)
    wage_month = models.FloatField(null=True)
    kur_accesses = models.SmallIntegerField(null=True)
    owner_household_id = models.TextField(null=True)
    row_hash = models.TextField()
    batch = models.ForeignKey(ImportBatch, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise_id", "year"], name="one_row_per_enterprise_year"
            )
        ]
        indexes = [models.Index(fields=["region_code", "kbli"])]


class JobOpening(models.Model):
    """A recorded job opening (lowongan) that the plan's matching can fill."""

    opening_id = models.TextField(primary_key=True)
    region_code = models.TextField(db_index=True)
    kbli = models.TextField()
    wage_month = models.FloatField()
    capacity = models.IntegerField()
    enterprise_id = models.TextField(null=True)
    posted_on = models.DateField(null=True)
    source = models.TextField(null=True)
    note = models.TextField(null=True)
    row_hash = models.TextField()
    batch = models.ForeignKey(ImportBatch, null=True, on_delete=models.SET_NULL, related_name="+")
