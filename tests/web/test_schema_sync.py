"""The database schema matches the canonical tables and the committed migrations."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command

from tuntas.tables.stored import stored_columns
from tuntas.web.imports.services import TABLE_NAMES


@pytest.mark.django_db
def test_migrations_are_complete() -> None:
    # Fails (SystemExit) when a model changed without a migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize("kind", sorted(TABLE_NAMES))
def test_every_stored_column_has_a_database_column(kind: str) -> None:
    model = next(m for m in apps.get_models() if m._meta.db_table == TABLE_NAMES[kind])
    columns = {field.column for field in model._meta.concrete_fields}
    assert set(stored_columns(kind)) <= columns
    assert columns - set(stored_columns(kind)) <= {"id", "batch_id"}
