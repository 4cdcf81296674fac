"""Start Django from the CLI or a script, apply migrations, and explain database failures."""

from __future__ import annotations

import os
from pathlib import Path


def setup_django() -> None:
    """Configure Django with ``tuntas.web.settings`` (once per process; later calls do nothing).

    A new SQLite database file is created readable by its owner only before Django opens it;
    SQLite gives its ``-wal`` and ``-shm`` files the same mode.
    """
    from django.apps import apps

    if apps.ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuntas.web.settings")
    import django
    from django.conf import settings

    for database in settings.DATABASES.values():
        if database["ENGINE"].endswith("sqlite3"):
            secure_sqlite_file(str(database["NAME"]))
    django.setup()


def secure_sqlite_file(name: str) -> None:
    """Create the SQLite file ``name`` with mode 0600 if it does not exist yet.

    An existing file of ours that others can read is tightened to 0600; one that cannot be created
    (missing folder, read-only place) is left for SQLite to report when it is opened.
    """
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except FileExistsError:
        try:
            status = path.stat()
            if status.st_uid == os.geteuid() and status.st_mode & 0o077:
                path.chmod(0o600)
        except OSError:
            pass
    except OSError:
        pass


def migrate_database(*, using: str = "default", verbose: bool = False) -> None:
    """Apply every pending migration to the database ``using``."""
    setup_django()
    from django.core.management import call_command

    call_command("migrate", database=using, interactive=False, verbosity=1 if verbose else 0)


def ensure_schema(*, using: str = "default", key_check: bool = True) -> None:
    """Apply pending migrations, then refuse a configured key that is not the database's.

    Commands call this before touching data (see
    :func:`tuntas.web.keys.services.check_configured_key`); ``key_check=False`` is for a caller
    that checks the key it was given itself (an import).
    """
    setup_django()
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        migrate_database(using=using)
    if key_check:
        from tuntas.web.keys.services import check_configured_key

        check_configured_key(using=using)


def describe_database_error(error: BaseException, *, using: str = "default") -> str | None:
    """A bilingual explanation of a database failure, or ``None`` when it is not one.

    Names the database (file or host) and the cause (locked by another command, read-only, cannot
    be opened, server unreachable) without quoting the driver's message, which may carry data.
    """
    from django.conf import settings
    from django.db import DatabaseError, InterfaceError

    if not isinstance(error, DatabaseError | InterfaceError):
        return None
    database = settings.DATABASES.get(using, {})
    where = (
        f"{database.get('HOST') or 'localhost'}:{database.get('PORT') or 5432}/{database.get('NAME')}"
        if database.get("ENGINE", "").endswith("postgresql")
        else str(database.get("NAME"))
    )
    text = str(error).lower()
    from tuntas.web.settings import lock_timeout_seconds

    if (
        "locked" in text
        or "lock timeout" in text
        or "lock_timeout" in text
        or "canceling statement" in text
    ):
        return (
            f"Basis data {where} sedang dipakai perintah lain (impor?); sudah menunggu "
            f"{lock_timeout_seconds():.0f} detik. Tidak ada yang diubah; coba lagi nanti. / The "
            f"database {where} is busy with another command (an import?); waited "
            f"{lock_timeout_seconds():.0f} s. Nothing was changed; try again later "
            "(TUNTAS_DB_TIMEOUT sets the wait)."
        )
    if "readonly" in text or "read-only" in text or "read only" in text:
        return (
            f"Basis data {where} hanya-baca (izin berkas atau folder); tidak ada yang diubah. / The "
            f"database {where} is read-only (file or folder permissions); nothing was changed."
        )
    if "unable to open" in text or "no such file" in text:
        return (
            f"Basis data {where} tidak dapat dibuka (folder tidak ada atau tidak dapat ditulis). / "
            f"The database {where} cannot be opened (the folder is missing or not writable)."
        )
    if "not a database" in text or "malformed" in text or "file is encrypted" in text:
        return (
            f"Berkas {where} bukan basis data SQLite atau rusak. / {where} is not an SQLite "
            "database, or it is damaged."
        )
    if "connection" in text or "connect" in text or "could not translate host" in text:
        return (
            f"Tidak dapat terhubung ke basis data {where} (DATABASE_URL). / Cannot connect to the "
            f"database {where} (DATABASE_URL)."
        )
    return (
        f"Kesalahan basis data di {where} ({type(error).__name__}); tidak ada yang diubah. / "
        f"Database error in {where} ({type(error).__name__}); nothing was changed."
    )
