"""Bad set-ups and bad input end in a clear bilingual message and a non-zero exit, never a traceback.

Each case runs ``tuntas`` as a user would, in its own folder with its own SQLite file, and checks
the exit status, a sentence that says what is wrong, and that no traceback (nor any clear NIK or
name) reaches the screen; where the database exists, that nothing in it changed.
"""

from __future__ import annotations

import base64
import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from tests.web.builders import registry, write

TUNTAS = [sys.executable, "-m", "tuntas.cli"]
KEY = base64.urlsafe_b64encode(bytes(range(32))).decode()


def run(
    folder: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "TUNTAS_MASTER_KEY", "TUNTAS_DB", "TUNTAS_KEY_FILE"}
    }
    clean.update({"COLUMNS": "200", "TUNTAS_LOG_DIR": str(folder / "logs"), **(env or {})})
    return subprocess.run(
        [*TUNTAS, *args], cwd=folder, env=clean, capture_output=True, text=True, check=False
    )


def failed_clearly(result: subprocess.CompletedProcess[str], *phrases: str) -> None:
    text = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0, text
    assert "Traceback" not in text and 'File "' not in text, text
    for phrase in phrases:
        assert phrase in text, (phrase, text)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    families, persons = registry(households=6)
    write(families, tmp_path / "keluarga.csv")
    write(persons, tmp_path / "individu.csv")
    return tmp_path


def rows(database: Path) -> int:
    with contextlib.closing(sqlite3.connect(database)) as connection:
        return int(connection.execute("SELECT COUNT(*) FROM registry_household").fetchone()[0])


@contextlib.contextmanager
def unwritable(path: Path) -> Iterator[None]:
    """Make ``path`` unwritable even for root (``chattr +i``), else by permissions."""
    if os.geteuid() == 0:
        if (
            not shutil.which("chattr")
            or subprocess.run(
                ["chattr", "+i", str(path)], capture_output=True, check=False
            ).returncode
        ):
            pytest.skip("running as root without chattr: cannot make a file unwritable")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=False)
    else:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)


def test_no_key_means_no_import_and_no_key_created(folder: Path) -> None:
    result = run(folder, "import", "households", "keluarga.csv", "--preset", "p3ke")
    failed_clearly(result, "tuntas key init", "Tidak ada kunci")
    assert not (folder / "tuntas.key").exists()


@pytest.mark.parametrize("value", ["", "abc", base64.urlsafe_b64encode(bytes(8)).decode()])
def test_malformed_master_key_variable(folder: Path, value: str) -> None:
    for args in (("import", "households", "keluarga.csv", "--preset", "p3ke"), ("info",)):
        failed_clearly(run(folder, *args, env={"TUNTAS_MASTER_KEY": value}), "TUNTAS_MASTER_KEY")


def test_empty_or_unreadable_key_file(folder: Path) -> None:
    (folder / "tuntas.key").write_text("")
    failed_clearly(run(folder, "import", "households", "keluarga.csv"), "is empty")
    (folder / "tuntas.key").unlink()
    (folder / "tuntas.key").mkdir()
    failed_clearly(run(folder, "info"), "cannot be read")


def test_wrong_key_is_refused_by_every_command(folder: Path) -> None:
    env = {"TUNTAS_MASTER_KEY": KEY}
    assert (
        run(folder, "import", "households", "keluarga.csv", "--preset", "p3ke", env=env).returncode
        == 0
    )
    other = {"TUNTAS_MASTER_KEY": base64.urlsafe_b64encode(bytes(32)).decode()}
    for args in (
        ("import", "persons", "individu.csv", "--preset", "p3ke"),
        ("info",),
        ("audit", "verify"),
    ):
        failed_clearly(run(folder, *args, env=other), "is not this database's key")
    assert rows(folder / "tuntas.sqlite3") == 6


def test_unknown_preset_and_report_over_the_input(folder: Path) -> None:
    env = {"TUNTAS_MASTER_KEY": KEY}
    failed_clearly(
        run(folder, "import", "households", "keluarga.csv", "--preset", "dtks", env=env),
        "p3ke",
    )
    failed_clearly(
        run(folder, "import", "villages", "keluarga.csv", "--preset", "p3ke", env=env),
        "villages",
    )
    before = (folder / "keluarga.csv").read_bytes()
    bad = pl.read_csv(folder / "keluarga.csv", infer_schema=False).with_columns(
        pl.lit("99").alias("Desil Kesejahteraan")
    )
    write(bad, folder / "keluarga.csv")
    before = (folder / "keluarga.csv").read_bytes()
    result = run(
        folder,
        "import",
        "households",
        "keluarga.csv",
        "--preset",
        "p3ke",
        "--report",
        "./keluarga.csv",
        env=env,
    )
    failed_clearly(result, "--report")
    assert (folder / "keluarga.csv").read_bytes() == before


def test_rejected_file_in_a_read_only_folder(folder: Path) -> None:
    env = {"TUNTAS_MASTER_KEY": KEY}
    inbox = folder / "kiriman"
    inbox.mkdir()
    families, _ = registry(households=3)
    write(families.with_columns(pl.lit("0").alias("Desil Kesejahteraan")), inbox / "k.csv")
    with unwritable(inbox):
        result = run(folder, "import", "households", "kiriman/k.csv", "--preset", "p3ke", env=env)
    failed_clearly(result, "Ditolak / rejected")
    report = folder / "k.households.errors.csv"  # the working directory took the report
    assert report.exists() and oct(report.stat().st_mode & 0o777) == "0o600"
    assert str(report.name) in " ".join(result.stdout.split() + result.stderr.split())


def test_unwritable_report_path(folder: Path) -> None:
    env = {"TUNTAS_MASTER_KEY": KEY}
    families, _ = registry(households=3)
    write(families.with_columns(pl.lit("0").alias("Desil Kesejahteraan")), folder / "k.csv")
    (folder / "afile").write_text("x")
    result = run(
        folder,
        "import",
        "households",
        "k.csv",
        "--preset",
        "p3ke",
        "--report",
        "afile/r.csv",
        env=env,
    )
    failed_clearly(result, "Ditolak / rejected")


def test_locked_database_waits_a_bounded_time_then_says_so(folder: Path) -> None:
    env = {"TUNTAS_MASTER_KEY": KEY, "TUNTAS_DB_TIMEOUT": "1"}
    assert (
        run(folder, "import", "households", "keluarga.csv", "--preset", "p3ke", env=env).returncode
        == 0
    )
    holder = sqlite3.connect(folder / "tuntas.sqlite3", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = run(folder, "import", "persons", "individu.csv", "--preset", "p3ke", env=env)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    failed_clearly(result, "busy", "1 s")
    with contextlib.closing(sqlite3.connect(folder / "tuntas.sqlite3")) as connection:
        assert connection.execute("SELECT COUNT(*) FROM registry_person").fetchone()[0] == 0


def test_read_only_unopenable_and_foreign_databases(folder: Path) -> None:
    env = {"TUNTAS_MASTER_KEY": KEY}
    assert (
        run(folder, "import", "households", "keluarga.csv", "--preset", "p3ke", env=env).returncode
        == 0
    )
    database = folder / "tuntas.sqlite3"
    with unwritable(database):
        result = run(folder, "import", "persons", "individu.csv", "--preset", "p3ke", env=env)
    failed_clearly(result, "tuntas.sqlite3")
    assert rows(database) == 6
    missing = {**env, "TUNTAS_DB": str(folder / "no" / "such" / "folder" / "db.sqlite3")}
    failed_clearly(run(folder, "info", env=missing), "cannot be opened")
    (folder / "notes.txt").write_text("bukan basis data\n" * 200)
    foreign = {**env, "TUNTAS_DB": str(folder / "notes.txt")}
    failed_clearly(run(folder, "info", env=foreign), "not an SQLite database")


def test_targets_before_a_survey_exists(folder: Path) -> None:
    env = {"TUNTAS_MASTER_KEY": KEY}
    assert (
        run(folder, "import", "households", "keluarga.csv", "--preset", "p3ke", env=env).returncode
        == 0
    )
    failed_clearly(
        run(folder, "targets", "--region", "33.10", "--out", "t.xlsx", env=env),
        "tuntas import survey",
    )
    assert not (folder / "t.xlsx").exists()


def test_database_and_its_wal_files_are_private(folder: Path) -> None:
    env = {"TUNTAS_MASTER_KEY": KEY}
    assert (
        run(folder, "import", "households", "keluarga.csv", "--preset", "p3ke", env=env).returncode
        == 0
    )
    database = folder / "tuntas.sqlite3"
    holder = sqlite3.connect(database)  # keeps -wal and -shm in place while we look
    holder.execute("SELECT COUNT(*) FROM registry_household").fetchone()
    try:
        for name in ("tuntas.sqlite3", "tuntas.sqlite3-wal", "tuntas.sqlite3-shm"):
            path = folder / name
            assert path.exists(), name
            assert oct(path.stat().st_mode & 0o777) == "0o600", name
    finally:
        holder.close()


def test_unexpected_errors_leave_a_private_log_without_the_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tuntas.cli.errors import explain

    monkeypatch.setenv("TUNTAS_LOG_DIR", str(tmp_path / "logs"))
    try:
        raise ValueError("baris 3: 3310034506850001 Sumarni Wati")  # a library quoting data
    except ValueError as error:
        message, code = explain(error)
    assert code != 0 and "3310034506850001" not in message and "Sumarni" not in message
    logs = list((tmp_path / "logs").glob("tuntas-error-*.log"))
    assert len(logs) == 1 and oct(logs[0].stat().st_mode & 0o777) == "0o600"
    text = logs[0].read_text()
    assert "ValueError" in text and "test_cli_errors.py" in text
    assert "3310034506850001" not in text and "Sumarni" not in text


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (("synth", "--regency", "99.99", "--out", "x"), "kabupaten/kota"),
        (("synth", "--regency", "33.10.03", "--out", "x"), "kabupaten/kota"),
        (("synth", "--scale", "0", "--out", "x"), "--scale"),
        (("synth", "--scale", "-1", "--out", "x"), "--scale"),
        (("poverty", "--region", "33.10", "--from", "."), "survey.parquet"),
    ],
)
def test_bad_arguments_are_explained(folder: Path, args: tuple[str, ...], phrase: str) -> None:
    failed_clearly(run(folder, *args), phrase)
    assert not (folder / "x").exists()
