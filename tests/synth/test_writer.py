"""Files on disk: Parquet marked synthetic, CSV, README, manifest, and the P3KE workbook."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

from tuntas.synth import SynthResult, write_result
from tuntas.synth.writer import TABLE_FILES
from tuntas.tables.presets import (
    P3KE_FAMILY_HEADINGS,
    P3KE_PERSON_HEADINGS,
    PRESETS,
    normalize_heading,
)


@pytest.fixture(scope="module")
def written(klaten_small: SynthResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    write_result(klaten_small, out, xlsx=True)
    return out


def test_files(written: Path) -> None:
    names = {p.name for p in written.iterdir()}
    for stem in TABLE_FILES:
        assert {f"{stem}.parquet", f"{stem}.csv"} <= names
    assert {"calibration.csv", "manifest.json", "README.txt", "p3ke_3310.xlsx"} <= names


def test_parquet_is_marked_synthetic_and_round_trips(
    klaten_small: SynthResult, written: Path
) -> None:
    for stem in TABLE_FILES:
        meta = pq.read_schema(written / f"{stem}.parquet").metadata
        assert meta[b"tuntas.synthetic"] == b"true"
    back = pl.read_parquet(written / "persons.parquet")
    assert back.equals(klaten_small.tables["persons"])
    csv = pl.read_csv(written / "households.csv", infer_schema=False)
    assert csv.columns == klaten_small.tables["households"].columns
    assert csv.height == klaten_small.tables["households"].height


def test_readme_and_manifest_say_synthetic(written: Path) -> None:
    readme = (written / "README.txt").read_text(encoding="utf-8")
    assert "DATA SINTETIS" in readme and "SYNTHETIC" in readme
    manifest = json.loads((written / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["synthetic"] is True and manifest["seed"] == 1


def test_workbook_follows_the_p3ke_preset(klaten_small: SynthResult, written: Path) -> None:
    path = written / "p3ke_3310.xlsx"
    sheets = pl.read_excel(path, sheet_id=0)
    assert list(sheets) == ["Keterangan", "Keluarga", "Individu"]
    assert "DATA SINTETIS" in " ".join(sheets["Keterangan"]["Isi"].to_list())
    fam, per = sheets["Keluarga"], sheets["Individu"]
    assert tuple(fam.columns[: len(P3KE_FAMILY_HEADINGS)]) == P3KE_FAMILY_HEADINGS
    assert tuple(per.columns) == P3KE_PERSON_HEADINGS
    assert fam.height == klaten_small.tables["households"].height
    assert per.height == klaten_small.tables["persons"].height
    # every heading the preset maps is present, so an import recognises all of them
    family_preset = PRESETS["p3ke"]["households"].headings
    normalised = {normalize_heading(h) for h in fam.columns}
    assert {h for h in family_preset if h in normalised} >= {
        "id_keluarga", "kode_kemendagri", "desil_kesejahteraan", "nik", "jenis_lantai", "penerima_pkh",
        "status_verifikasi",
    }  # fmt: skip
    code = fam["Kode Kemendagri"].cast(pl.Utf8)
    assert code.str.contains(r"^\d{10}$").all()
    assert fam["Tanggal Lahir"].cast(pl.Utf8).str.contains(r"^\d{2}-\d{2}-\d{4}$").all()
    assert set(fam["Penerima PKH"].to_list()) <= {"YA", "TIDAK"}
    assert set(per["Usia 60 tahun keatas"].to_list()) <= {"YA", "TIDAK"}
    assert per["NIK"].cast(pl.Utf8).str.contains(r"^\d{16}$").all()
