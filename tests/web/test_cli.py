"""The ``tuntas`` command line, run as a user would, in a fresh folder with its own SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

TUNTAS = [sys.executable, "-m", "tuntas.cli"]


def run(folder: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "TUNTAS_MASTER_KEY", "TUNTAS_DB"}
    }
    env["COLUMNS"] = "160"
    result = subprocess.run(
        [*TUNTAS, *args], cwd=folder, env=env, capture_output=True, text=True, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(f"tuntas {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    run(folder, "synth", "--regency", "33.10", "--seed", "5", "--scale", "0.01", "--out", "d")
    run(folder, "key", "init")
    for kind in ("households", "persons", "enterprises", "survey", "villages"):
        run(folder, "import", kind, f"d/{kind}.parquet")
    return folder


def test_info_json_matches_the_files(workspace: Path) -> None:
    info = json.loads(run(workspace, "info", "--json").stdout)
    for kind in ("households", "persons", "enterprises", "survey", "villages"):
        assert info["tables"][kind] == pl.read_parquet(workspace / "d" / f"{kind}.parquet").height
    assert len([row for row in info["per_kecamatan"] if row["households"] > 0]) == 26
    assert info["synthetic"] is True
    assert (workspace / "tuntas.key").exists()  # created by tuntas key init
    assert oct((workspace / "tuntas.key").stat().st_mode & 0o777) == "0o600"


def test_malformed_nik_deep_inside_is_rejected_and_counts_stay(workspace: Path) -> None:
    before = json.loads(run(workspace, "info", "--json").stdout)["tables"]
    persons = pl.read_csv(workspace / "d" / "persons.csv", infer_schema=False)
    deep = persons.height - 41
    persons = persons.with_columns(
        pl.when(pl.int_range(pl.len()) == deep)
        .then(pl.col("nik").str.slice(0, 15))  # one digit short
        .otherwise(pl.col("nik"))
        .alias("nik"),
        # Make every other record new, so that acceptance would have changed the counts.
        (pl.col("person_id") + "-B").alias("person_id"),
    )
    persons.write_csv(workspace / "bad_persons.csv")
    result = run(workspace, "import", "persons", "bad_persons.csv", check=False)
    assert result.returncode == 1
    assert "Ditolak" in result.stderr + result.stdout
    report = pl.read_csv(workspace / "bad_persons.persons.errors.csv")
    nik_rows = report.filter(pl.col("rule") == "nik_format")
    assert nik_rows["row"].to_list() == [deep + 2]
    assert json.loads(run(workspace, "info", "--json").stdout)["tables"] == before


def test_no_nik_or_name_in_clear_in_the_database_file(workspace: Path) -> None:
    persons = pl.read_parquet(workspace / "d" / "persons.parquet")
    database = b"".join(
        path.read_bytes() for path in workspace.glob("tuntas.sqlite3*") if path.is_file()
    )
    assert len(database) > 100_000
    niks = persons["nik"].drop_nulls().to_list()
    assert not [nik for nik in niks if nik.encode() in database]
    names = [n for n in persons["name"].drop_nulls().unique().to_list() if len(n) >= 12]
    assert names and not [n for n in names if n.encode() in database]


def test_help_reads_like_a_manual(workspace: Path) -> None:
    text = run(workspace, "--help").stdout
    for command in ("synth", "import", "info", "migrate", "demo"):
        assert command in text
    assert "all or nothing" in run(workspace, "import", "--help").stdout
