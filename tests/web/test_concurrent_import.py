"""Two imports into one database at once: both succeed, or one is rejected with the normal report.

Two ``tuntas import persons`` processes start together, with files whose persons carry the same
NIKs under different person ids. Validation against stored records runs inside the write
transaction that holds the import lock, so the second sees what the first stored and rejects
the clash as ``duplicate_nik_in_database``; before, both validated against an empty table and
the second died with an ``IntegrityError``. Run on SQLite and on a fresh PostgreSQL database.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import polars as pl
import pytest

from tests.web.builders import registry, write

TUNTAS = [sys.executable, "-m", "tuntas.cli"]
KEY = base64.urlsafe_b64encode(bytes(range(32))).decode()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    if request.param == "sqlite":
        yield {"TUNTAS_DB": str(tmp_path / "tuntas.sqlite3")}
        return
    server = os.environ.get("TUNTAS_TEST_POSTGRES_URL")
    if not server:
        pytest.skip("PostgreSQL is not available on this machine")
    import psycopg

    name = f"concurrent_{uuid.uuid4().hex[:10]}"
    parsed = urlparse(server)
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield {"DATABASE_URL": parsed._replace(path=f"/{name}").geturl()}
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def start(folder: Path, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TUNTAS_DB"}}
    return subprocess.Popen(
        [*TUNTAS, *args],
        cwd=folder,
        env={**clean, "TUNTAS_MASTER_KEY": KEY, "COLUMNS": "200", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_imports_at_once_never_crash(tmp_path: Path, database_env: dict[str, str]) -> None:
    families, persons = registry(households=1500, seed=3)
    write(families, tmp_path / "keluarga.csv")
    first = start(
        tmp_path, database_env, "import", "households", "keluarga.csv", "--preset", "p3ke"
    )
    assert first.wait(timeout=300) == 0, first.communicate()
    write(persons, tmp_path / "a.csv")
    clash = persons.with_columns(pl.col("ID Individu") + "-B")  # same NIKs, other person ids
    write(clash, tmp_path / "b.csv")
    runs = [
        start(tmp_path, database_env, "import", "persons", name, "--preset", "p3ke", "--json")
        for name in ("a.csv", "b.csv")
    ]
    results = [(r.wait(timeout=600), *r.communicate()) for r in runs]
    codes = sorted(code for code, _out, _err in results)
    assert codes == [0, 1], results
    for _code, out, err in results:
        assert "Traceback" not in err and "IntegrityError" not in out + err
    rejected = next(out for code, out, _err in results if code == 1)
    assert '"rule": "duplicate_nik_in_database"' in rejected
    check = start(tmp_path, database_env, "info", "--json")
    out, _ = check.communicate(timeout=120)
    assert check.returncode == 0
    assert f'"persons": {persons.height}' in out
