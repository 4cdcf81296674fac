"""``tuntas plan`` from the database: recorded openings (``tuntas import openings``) and PMT consumption."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from tuntas.cli import app
from tuntas.synth import synthesize, write_result
from tuntas.web.imports.services import import_file

pytestmark = pytest.mark.django_db(transaction=True)


def test_plan_uses_recorded_openings_and_the_pmt(tmp_path: Path) -> None:
    write_result(synthesize("33.10", seed=6, scale=0.02), tmp_path / "d", xlsx=False)
    for kind in ("households", "persons", "enterprises", "survey", "villages"):
        assert import_file(kind, tmp_path / "d" / f"{kind}.parquet").ok
    openings = pl.DataFrame(
        {
            "ID Lowongan": ["L-001", "L-002"],
            "Kode Desa": ["3310032006", "3310112015"],  # Melikan (Wedi), Tegalrejo (Ceper)
            "KBLI": ["23932", "24310"],
            "Upah Bulanan": ["1.800.000", "2.100.000"],
            "Jumlah Lowongan": ["4", "3"],
            "Sumber": ["PLUT Klaten", "Disnaker"],
        }
    )
    openings.write_csv(tmp_path / "lowongan.csv")
    outcome = import_file("openings", tmp_path / "lowongan.csv")
    assert outcome.ok, outcome.summary_lines()
    result = CliRunner().invoke(
        app,
        [
            "plan",
            "--region",
            "33.10",
            "--out",
            str(tmp_path / "p"),
            "--budget",
            "training=50 juta",
            "--runs",
            "10",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "p" / "summary.json").read_text(encoding="utf-8"))
    assert doc["recorded_openings"] == 7
    assert "pmt" in doc["consumption_source"].lower()
    assert doc["synthetic"] is True
    recorded = pl.read_parquet(tmp_path / "p" / "openings.parquet").filter(
        pl.col("source") == "recorded"
    )
    assert set(recorded["slot_id"].to_list()) == {"L-001", "L-002"}
