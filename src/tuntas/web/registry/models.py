"""Registry tables: households, persons, survey households, village profiles.

Columns follow the canonical tables (``tuntas.tables.schemas``) in their stored form
(``tuntas.tables.stored``): NIK and names exist only as keyed hashes and ciphertexts.
"""

from __future__ import annotations

from django.db import models

from tuntas.web.imports.models import ImportBatch


class HousingIndicators(models.Model):
    """Housing and asset indicators shared by the registry and the survey (the PMT's regressors)."""

    floor = models.TextField(null=True)
    wall = models.TextField(null=True)
    roof = models.TextField(null=True)
    toilet = models.TextField(null=True)
    water = models.TextField(null=True)
    lighting = models.TextField(null=True)
    cooking_fuel = models.TextField(null=True)
    owns_house = models.BooleanField(null=True)
    has_savings = models.BooleanField(null=True)

    class Meta:
        abstract = True


class Household(HousingIndicators):
    """A registry family (P3KE/DTSEN-like)."""

    household_id = models.TextField(primary_key=True)
    region_code = models.TextField(db_index=True)
    size = models.SmallIntegerField()
    welfare_decile = models.SmallIntegerField()
    decile_source = models.TextField()
    consumption_pc = models.FloatField(null=True)
    weight = models.FloatField(null=True)
    pkh = models.BooleanField(null=True)
    bpnt = models.BooleanField(null=True)
    pbi_jkn = models.BooleanField(null=True)
    bpum = models.BooleanField(null=True)
    bst = models.BooleanField(null=True)
    stunting_risk = models.BooleanField(null=True)
    verification_status = models.TextField(null=True)
    verification_date = models.DateField(null=True)
    verified_by = models.TextField(null=True)
    verification_reason = models.TextField(null=True)
    verification_minutes_ref = models.TextField(null=True)
    head_nik_hash = models.TextField(null=True, db_index=True)
    head_nik_enc = models.TextField(null=True)
    head_name_hash = models.TextField(null=True)
    head_name_enc = models.TextField(null=True)
    row_hash = models.TextField()
    batch = models.ForeignKey(ImportBatch, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["region_code", "welfare_decile"])]


class Person(models.Model):
    """A member of a registry family."""

    person_id = models.TextField(primary_key=True)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    relationship = models.TextField()
    sex = models.TextField()
    birth_date = models.DateField()
    marital_status = models.TextField(null=True)
    education = models.TextField(null=True)
    activity = models.TextField(null=True)
    sector = models.TextField(null=True)
    skills = models.TextField(null=True)
    disability = models.BooleanField(null=True)
    max_commute_km = models.FloatField(null=True)
    nik_hash = models.TextField(unique=True)
    nik_enc = models.TextField()
    name_hash = models.TextField(null=True)
    name_enc = models.TextField(null=True)
    row_hash = models.TextField()
    batch = models.ForeignKey(ImportBatch, null=True, on_delete=models.SET_NULL, related_name="+")


class SurveyHousehold(HousingIndicators):
    """A household in the Susenas-like sample, with consumption and design information."""

    household_id = models.TextField(primary_key=True)
    region_code = models.TextField(db_index=True)
    size = models.SmallIntegerField()
    consumption_pc = models.FloatField()
    weight = models.FloatField()
    stratum = models.TextField()
    psu = models.TextField()
    urban = models.BooleanField(null=True)
    head_sex = models.TextField(null=True)
    head_age = models.SmallIntegerField(null=True)
    head_education = models.TextField(null=True)
    head_sector = models.TextField(null=True)
    row_hash = models.TextField()
    batch = models.ForeignKey(ImportBatch, null=True, on_delete=models.SET_NULL, related_name="+")


class VillageProfile(models.Model):
    """A desa/kelurahan profile (Podes-like)."""

    region_code = models.TextField(primary_key=True)
    year = models.SmallIntegerField()
    population = models.IntegerField()
    households = models.IntegerField()
    area_km2 = models.FloatField(null=True)
    urban = models.BooleanField(null=True)
    distance_to_kecamatan_km = models.FloatField(null=True)
    distance_to_regency_km = models.FloatField(null=True)
    has_market = models.BooleanField(null=True)
    road_surface = models.TextField(null=True)
    main_commodity = models.TextField(null=True)
    bumdes_active = models.BooleanField(null=True)
    cooperatives = models.IntegerField(null=True)
    village_fund = models.FloatField(null=True)
    loci_2022 = models.BooleanField(null=True)
    loci_2023 = models.BooleanField(null=True)
    row_hash = models.TextField()
    batch = models.ForeignKey(ImportBatch, null=True, on_delete=models.SET_NULL, related_name="+")


class VerificationDecision(models.Model):
    """A village consultation's decision on one registry household (history; the latest is current).

    The national guideline for the extreme-poverty registry has the desa verify its candidate list in
    a musyawarah desa recorded in signed minutes (berita acara): each household is marked eligible
    or not with a standard reason. ``Household.verification_*`` holds the latest decision.
    """

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="decisions")
    status = models.TextField()
    decided_on = models.DateField()
    decided_by = models.TextField()
    reason = models.TextField()
    minutes_ref = models.TextField()
    note = models.TextField(null=True)
    row_hash = models.TextField()
    batch = models.ForeignKey(ImportBatch, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["household", "minutes_ref"], name="one_decision_per_minutes"
            )
        ]
