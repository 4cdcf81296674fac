"""Test session set-up: Django settings, a throw-away PostgreSQL cluster, a fixed test key.

PostgreSQL: unless ``TUNTAS_TEST_POSTGRES_URL`` is already set, the session starts its own cluster
from the machine's ``initdb``/``pg_ctl`` in a temporary folder on a free loopback port, and stops it
at the end (as root, the server runs as the ``postgres`` user). Django then has two databases:
``default`` (SQLite) and ``postgres``; database tests run on both. Under CI (``CI=true``) a cluster
that cannot start is an error, not a skip.
"""

from __future__ import annotations

import base64
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

_STARTED: dict[str, object] = {}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser")
    if runuser is None:
        raise RuntimeError("running as root without runuser; cannot start PostgreSQL")
    return [runuser, "-u", "postgres", "--", *command]


def start_postgres() -> tuple[str, Path]:
    """Start a throw-away PostgreSQL cluster; return its URL and folder."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if not initdb or not pg_ctl:
        raise RuntimeError("initdb/pg_ctl not found on PATH")
    folder = Path(tempfile.mkdtemp(prefix="tuntas-pg-"))
    folder.chmod(0o755)
    data, sockets = folder / "data", folder / "sock"
    sockets.mkdir()
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
        os.chown(sockets, user.pw_uid, user.pw_gid)
    subprocess.run(
        _as_server_user(
            [initdb, "-D", str(data), "-U", "tuntas", "--auth=trust", "-E", "UTF8", "--no-locale"]
        ),
        check=True,
        capture_output=True,
    )
    port = _free_port()
    options = (
        f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
    )
    subprocess.run(
        _as_server_user(
            [pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"]
        ),
        check=True,
        capture_output=True,
    )
    _STARTED.update(pg_ctl=pg_ctl, data=data, folder=folder)
    return f"postgresql://tuntas@127.0.0.1:{port}/tuntas", folder


def stop_postgres() -> None:
    """Stop the cluster started by :func:`start_postgres` and remove its folder."""
    if not _STARTED:
        return
    subprocess.run(
        _as_server_user(
            [str(_STARTED["pg_ctl"]), "-D", str(_STARTED["data"]), "-m", "immediate", "stop"]
        ),
        check=False,
        capture_output=True,
    )
    shutil.rmtree(str(_STARTED["folder"]), ignore_errors=True)
    _STARTED.clear()


def pytest_configure(config: pytest.Config) -> None:
    os.environ["TUNTAS_MASTER_KEY"] = base64.urlsafe_b64encode(bytes(range(32))).decode("ascii")
    is_worker = hasattr(config, "workerinput")
    if (
        not is_worker
        and not os.environ.get("TUNTAS_TEST_POSTGRES_URL")
        and not os.environ.get("TUNTAS_TEST_NO_POSTGRES")
    ):
        try:
            url, _folder = start_postgres()
            os.environ["TUNTAS_TEST_POSTGRES_URL"] = url
        except (RuntimeError, subprocess.CalledProcessError, KeyError) as exc:
            if os.environ.get("CI"):
                raise pytest.UsageError(f"CI needs PostgreSQL for the tests: {exc}") from exc
            config.issue_config_time_warning(
                pytest.PytestWarning(f"PostgreSQL not started, its tests are skipped: {exc}"), 2
            )
    os.environ["DJANGO_SETTINGS_MODULE"] = "tuntas.web.settings"
    import django

    django.setup()


def pytest_unconfigure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):
        stop_postgres()


@pytest.fixture(params=["default", "postgres"])
def db_alias(request: pytest.FixtureRequest) -> str:
    """Run a database test on SQLite (``default``) and on PostgreSQL (``postgres``)."""
    from django.conf import settings

    if request.param not in settings.DATABASES:
        pytest.skip("PostgreSQL is not available on this machine")
    return str(request.param)
