"""Start Django from the CLI or a script, and apply migrations."""

from __future__ import annotations

import os


def setup_django() -> None:
    """Configure Django with ``tuntas.web.settings`` (once per process; later calls do nothing)."""
    from django.apps import apps

    if apps.ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuntas.web.settings")
    import django

    django.setup()


def migrate_database(*, using: str = "default", verbose: bool = False) -> None:
    """Apply every pending migration to the database ``using``."""
    setup_django()
    from django.core.management import call_command

    call_command("migrate", database=using, interactive=False, verbosity=1 if verbose else 0)


def ensure_schema(*, using: str = "default") -> None:
    """Apply migrations when some are pending (commands call this before touching data)."""
    setup_django()
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        migrate_database(using=using)
