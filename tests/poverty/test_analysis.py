"""The regency analysis (``poverty_analysis``) and the ``tuntas poverty`` command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from tests.poverty.conftest import WithTruth
from tuntas.cli import app
from tuntas.poverty import fgt_table
from tuntas.poverty.analysis import ROW_COLUMNS, poverty_analysis

NATIONAL_2024 = 505826.0


def test_regency_row_is_the_survey_fgt(klaten: WithTruth) -> None:
    tables = klaten.result.tables
    report = poverty_analysis(tables, region="33.10", year=2024, synthetic=True)
    total = fgt_table(tables["survey"], line=NATIONAL_2024, strata="stratum", psu="psu").row(
        0, named=True
    )
    for key in ("p0", "se_p0", "p1", "se_p1", "p2", "se_p2", "poor", "population"):
        assert report.regency[key] == pytest.approx(total[key]), key
    assert report.regency["n_households"] == tables["survey"].height
    assert report.levels.height == 1 and report.level == "kabupaten"
    assert report.line.rupiah == NATIONAL_2024 and report.line.status == "published"
    assert set(report.lines) == {"national", "extreme"}


def test_kecamatan_and_desa_rows_cover_every_area(klaten: WithTruth) -> None:
    tables = klaten.result.tables
    for level, count in (("kecamatan", 26), ("desa", 401)):
        report = poverty_analysis(tables, region="33.10", level=level, year=2024)
        rows = report.levels
        assert rows.height == count
        assert rows.columns[: len(ROW_COLUMNS)] == list(ROW_COLUMNS)
        for column in ("p0", "se_p0", "p1", "se_p1", "p2", "se_p2", "poor", "population"):
            assert rows[column].null_count() == 0, (level, column)
        assert rows["name"].null_count() == 0
        sampled = rows.filter(pl.col("n_households") > 0)
        assert (sampled["estimator"] == "eblup").all()
        assert sampled["p0_direct"].null_count() == 0
        assert rows["population"].sum() == tables["villages"]["population"].sum()


def test_small_areas_targeting_and_convergence_parts(klaten: WithTruth) -> None:
    tables = klaten.result.tables
    report = poverty_analysis(
        tables, region="33.10", level="kecamatan", year=2024, truth=klaten.result.truth
    )
    sa = report.small_area
    assert sa.group_by("level", "line_kind").len().height == 4
    assert sa.filter(pl.col("level") == "desa").height == 2 * 401
    t = report.targeting
    assert 0.3 <= t["r2"] <= 0.75
    desa_extreme = sa.filter((pl.col("level") == "desa") & (pl.col("line_kind") == "extreme"))
    assert t["target_persons"] == pytest.approx(desa_extreme["poor"].sum())
    # the threshold was calibrated to that total (in persons)
    selected = t["selected_by_pmt_persons"]
    assert selected >= t["target_persons"]
    assert report.candidates.height == t["listed_households"]
    assert {r["line_kind"] for r in t["holdout"]} == {"extreme", "national"}
    desil1 = tables["households"].filter(pl.col("welfare_decile") == 1).height
    assert t["listed_households"] >= desil1
    assert report.accuracy is not None and report.accuracy.height == 5
    assert report.convergence is not None
    assert report.convergence.summary()["households"] == (
        report.candidates.filter(pl.col("decision") != "not_extreme").height
    )


def test_custom_and_extreme_lines_and_json(klaten: WithTruth) -> None:
    tables = klaten.result.tables
    custom = poverty_analysis(tables, region="33.10", line_kind=450000.0, year=2024)
    assert custom.line.kind == "custom" and custom.line.is_assumption
    assert "custom" in set(custom.small_area["line_kind"])
    assert any("450,000" in note for note in custom.notes)
    extreme = poverty_analysis(
        tables, region="33.10", line_kind="extreme", year=2024, synthetic=True
    )
    assert extreme.regency["p0"] < custom.regency["p0"]
    data = extreme.to_dict()
    text = json.dumps(data, allow_nan=False)  # strictly valid JSON
    assert data["synthetic"] is True
    assert data["line"]["basis"] == "USD2.15-PPP2017" and data["line"]["assumption"] is True
    assert any("DATA SINTETIS" in a for a in data["assumptions"])
    assert "candidates" not in data and len(text) > 1000


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="level"):
        poverty_analysis({"survey": pl.DataFrame()}, region="33.10", level="provinsi")
    with pytest.raises(ValueError, match="kabupaten"):
        poverty_analysis({"survey": pl.DataFrame()}, region="33.10.01")


# ---------------------------------------------------------------- the command


def test_cli_kecamatan_json_subprocess(klaten_folder: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tuntas.cli", "poverty", "--region", "33.10", "--level",
         "kecamatan", "--json", "--from", str(klaten_folder)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["synthetic"] is True
    rows = data["rows"]
    assert len(rows) == 26
    assert len({r["region_code"] for r in rows}) == 26
    for row in rows:
        for key in ("p0", "se_p0", "p1", "se_p1", "p2", "se_p2", "poor", "population", "name"):
            assert row[key] is not None, (row["region_code"], key)
        assert "n_households" in row
    line = data["line"]
    assert line["value"] == 505826.0 and line["status"] == "published"
    assert line["basis"] and line["reference"]
    assert {r["level"] for r in data["small_area"]} == {"kecamatan", "desa"}
    assert data["regency"]["region_code"] == "33.10"


def test_cli_prints_tables_and_writes_files(klaten_folder: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    shown = runner.invoke(
        app, ["poverty", "--region", "3310", "--from", str(klaten_folder), "--year", "2024"]
    )
    assert shown.exit_code == 0, shown.output
    assert "Ringkasan kabupaten" in shown.output and "DATA SINTETIS" in shown.output
    assert "Estimasi area kecil per desa" in shown.output
    for name in ("r.json", "r.csv", "r.xlsx"):
        done = runner.invoke(
            app,
            ["poverty", "--region", "33.10", "--level", "desa", "--line", "ekstrem",
             "--from", str(klaten_folder), "--out", str(tmp_path / name)],
        )  # fmt: skip
        assert done.exit_code == 0, done.output
        assert (tmp_path / name).exists()
    written = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert written["line"]["kind"] == "extreme" and len(written["rows"]) == 401
    rows = pl.read_csv(tmp_path / "r.csv")
    assert rows.height == 402 and rows["synthetic"].all()  # the regency row, then 401 desa
    assert (tmp_path / "r_area_kecil.csv").exists()
    sheets = pl.read_excel(tmp_path / "r.xlsx", sheet_id=0)
    assert {"Keterangan", "Kabupaten", "Per desa", "Area kecil"} <= set(sheets)


def test_cli_line_overrides_and_errors(klaten_folder: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    lines = tmp_path / "lines.csv"
    lines.write_text(
        "region_code,year,kind,rupiah,basis,source\n33.10,2024,national,600000,BPS-CBN,uji\n",
        encoding="utf-8",
    )
    done = runner.invoke(
        app,
        ["poverty", "--region", "33.10", "--from", str(klaten_folder), "--year", "2024",
         "--lines", str(lines), "--json"],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["line"]["value"] == 600000.0
    custom = runner.invoke(
        app, ["poverty", "--region", "33.10", "--from", str(klaten_folder), "--line", "450.000",
              "--json"],
    )  # fmt: skip
    assert json.loads(custom.stdout)["line"]["kind"] == "custom"
    bad_line = runner.invoke(
        app, ["poverty", "--region", "33.10", "--from", str(klaten_folder), "--line", "miskin"]
    )
    assert bad_line.exit_code != 0
    bad_suffix = runner.invoke(
        app, ["poverty", "--region", "33.10", "--from", str(klaten_folder), "--out",
              str(tmp_path / "r.txt")],
    )  # fmt: skip
    assert bad_suffix.exit_code != 0
    other = runner.invoke(app, ["poverty", "--region", "35.01", "--from", str(klaten_folder)])
    assert other.exit_code == 1


def test_missing_tables_are_skipped_with_notes(klaten: WithTruth) -> None:
    tables = klaten.result.tables
    survey_only = poverty_analysis({"survey": tables["survey"]}, region="33.10", year=2024)
    assert survey_only.regency["p0"] > 0 and survey_only.candidates.height == 0
    assert any("no registry households" in n for n in survey_only.notes)
    assert any("no village profiles" in n for n in survey_only.notes)
    no_villages = poverty_analysis(
        {"survey": tables["survey"], "households": tables["households"]},
        region="33.10",
        level="kecamatan",
        year=2024,
    )
    assert no_villages.levels.height == 0 and no_villages.candidates.height > 0
    assert any("no kecamatan rows" in n for n in no_villages.notes)
    # 2020: no extreme line yet (the first is dated 2021) — the national analysis still runs
    old = poverty_analysis(tables, region="33.10", level="kecamatan", year=2020)
    assert old.line.rupiah == 419510.0 and "extreme" not in old.lines
    assert old.levels.height == 26 and old.candidates.height == 0
    assert any("no extreme line" in n for n in old.notes)
