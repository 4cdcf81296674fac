"""Django settings for TUNTAS.

The database is an SQLite file in the working directory (``tuntas.sqlite3``, or ``TUNTAS_DB``) unless
``DATABASE_URL`` names PostgreSQL (``postgresql://user:password@host:port/name``). A second
PostgreSQL database for the test suite comes from ``TUNTAS_TEST_POSTGRES_URL`` (alias ``postgres``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse


def database_from_url(url: str) -> dict[str, Any]:
    """A Django ``DATABASES`` entry from ``sqlite:///path`` or ``postgresql://…`` URLs."""
    parsed = urlparse(url)
    if parsed.scheme in {"sqlite", "sqlite3"}:
        path = unquote(parsed.path[1:] if parsed.path.startswith("//") else parsed.path)
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path or ":memory:"}
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "TEST": {"NAME": f"test_{unquote(parsed.path.lstrip('/'))}"},
        }
    raise ValueError(
        f"unsupported DATABASE_URL scheme {parsed.scheme!r} (use sqlite or postgresql)"
    )


def lock_timeout_seconds() -> float:
    """How long a command waits for a database another command is writing (``TUNTAS_DB_TIMEOUT``,
    default 60 s) before it stops with a message; an import of a whole regency takes ~30 s."""
    try:
        return max(1.0, float(os.environ.get("TUNTAS_DB_TIMEOUT", "60")))
    except ValueError:
        return 60.0


def _sqlite(path: str) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": lock_timeout_seconds(),
        },
    }


BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = os.environ.get("TUNTAS_SECRET_KEY", "tuntas-dev-only-not-secret")
DEBUG = os.environ.get("TUNTAS_DEBUG", "") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "tuntas.web.imports",
    "tuntas.web.registry",
    "tuntas.web.enterprises",
    "tuntas.web.audit",
    "tuntas.web.keys",
]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "tuntas.web.urls"
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"
LANGUAGE_CODE = "id"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_url = os.environ.get("DATABASE_URL")
DATABASES: dict[str, dict[str, Any]] = {
    "default": database_from_url(_url)
    if _url
    else _sqlite(os.environ.get("TUNTAS_DB", "tuntas.sqlite3"))
}
if os.environ.get("TUNTAS_TEST_POSTGRES_URL"):
    DATABASES["postgres"] = database_from_url(os.environ["TUNTAS_TEST_POSTGRES_URL"])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.db.backends": {"level": "WARNING", "handlers": ["console"]}},
}
