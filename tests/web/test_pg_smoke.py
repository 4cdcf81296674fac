import pytest
from django.db import connections


@pytest.mark.django_db(databases="__all__", transaction=True)
def test_both_databases_answer(db_alias: str) -> None:
    with connections[db_alias].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM registry_household")
        assert cursor.fetchone()[0] == 0
    assert connections[db_alias].vendor == {"default": "sqlite", "postgres": "postgresql"}[db_alias]
