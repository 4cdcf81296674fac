"""Remove NIK-derived parts from stored flags.

Flags used to keep the NIK's kecamatan or birth date in ``detail`` and a digit mask in ``value``;
with the clear region and birth date of the record, that rebuilt most flagged NIKs. Stored flags
of personal columns keep no value, and NIK rules keep no detail.
"""

from django.db import migrations

NIK_RULES = (
    "nik_region_mismatch",
    "nik_region_unknown",
    "nik_birthdate_mismatch",
    "nik_sex_mismatch",
)
PERSONAL_COLUMNS = ("nik", "head_nik", "name", "head_name")


def scrub(apps, schema_editor):
    DataFlag = apps.get_model("imports", "DataFlag")
    alias = schema_editor.connection.alias
    DataFlag.objects.using(alias).filter(column__in=PERSONAL_COLUMNS).update(value=None)
    DataFlag.objects.using(alias).filter(rule__in=NIK_RULES).update(detail="")


class Migration(migrations.Migration):
    dependencies = [("imports", "0001_initial")]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
