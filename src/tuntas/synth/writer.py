"""Write a :class:`~tuntas.synth.core.SynthResult` to disk: Parquet, CSV, a P3KE-style workbook.

Files (in ``out_dir``):

* ``households, persons, enterprises, survey, villages, truth_households`` as ``.parquet`` (schema
  metadata ``tuntas.synthetic = true``) and ``.csv`` (ISO dates, ``true``/``false``, empty = null);
* ``calibration.csv``, ``manifest.json``, ``README.txt`` (says DATA SINTETIS / SYNTHETIC);
* ``p3ke_<code without dots>.xlsx`` (unless ``xlsx=False``) with sheets *Keterangan* (the synthetic
  notice), *Keluarga* (P3KE family headings, plus the verification columns the importer reads) and
  *Individu* (P3KE individual headings with the age-band flags), labels as in
  :mod:`tuntas.tables.presets`: ``YA``/``TIDAK``, region code without dots, dates ``DD-MM-YYYY``.

The workbook is written by ``rustpy_xlsxwriter`` in a background thread (it releases the GIL) while
the Parquet and CSV files are written. Same seed ⇒ byte-identical Parquet and CSV files.

Examples
--------
>>> AGE_BANDS[0]
('Usia dibawah 7 tahun', 0, 6)
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from tuntas.reference import region
from tuntas.spreadsheets import neutralise_frame, write_csv
from tuntas.synth.core import SynthResult
from tuntas.tables.presets import (
    P3KE_FAMILY_HEADINGS,
    P3KE_PERSON_HEADINGS,
    occupation_label,
    p3ke_labels,
)

TABLE_FILES = ("households", "persons", "enterprises", "survey", "villages", "truth_households")
AGE_BANDS = (
    ("Usia dibawah 7 tahun", 0, 6),
    ("Usia 7 - 12 tahun", 7, 12),
    ("Usia 13 - 15 tahun", 13, 15),
    ("Usia 16 - 18 tahun", 16, 18),
    ("Usia 19 - 21 tahun", 19, 21),
    ("Usia 22 - 59 tahun", 22, 59),
    ("Usia 60 tahun keatas", 60, 200),
)
"""P3KE age-band flags (age at the snapshot date)."""
PENSASARAN = {1: "Sangat Miskin", 2: "Miskin", 3: "Hampir Miskin", 4: "Rentan Miskin"}
VERIFICATION_LABELS = {
    "candidate": "Calon",
    "verified_extreme": "Miskin Ekstrem",
    "not_extreme": "Bukan Miskin Ekstrem",
}
VERIFICATION_HEADINGS = (
    "Status Verifikasi",
    "Tanggal Verifikasi",
    "Diverifikasi Oleh",
    "Alasan Verifikasi",
    "Nomor Berita Acara",
)
"""Extra family headings (read by the P3KE preset) carrying the 2022 verification."""

Progress = Callable[[str, float], None]


def _yes_no(expr: pl.Expr) -> pl.Expr:
    return (
        pl.when(expr.is_null()).then(None).when(expr).then(pl.lit("YA")).otherwise(pl.lit("TIDAK"))
    )


def _label(col: str, column: str | None = None) -> pl.Expr:
    mapping = p3ke_labels(col)
    return pl.col(column or col).cast(pl.Utf8).replace_strict(mapping, default=None)


def _ddmmyyyy(expr: pl.Expr) -> pl.Expr:
    return expr.dt.strftime("%d-%m-%Y")


def _region_names(codes: pl.Series) -> pl.DataFrame:
    unique = sorted(set(codes.to_list()))
    rows = []
    for code in unique:
        rows.append((code, region(code[:8]).name.upper(), region(code).name.upper()))
    return pl.DataFrame(rows, schema=["region_code", "Kecamatan", "Desa"], orient="row")


def p3ke_frames(result: SynthResult) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The three sheets of the P3KE workbook: ``(Keterangan, Keluarga, Individu)``."""
    hh = result.tables["households"]
    people = result.tables["persons"]
    code = str(result.manifest["regency"])
    province = str(
        result.manifest.get("province", region(code.split(".", maxsplit=1)[0]).name)
    ).upper()
    regency = str(result.manifest.get("regency_name", region(code).name)).upper()
    names = _region_names(hh["region_code"])
    extra_hh = result.extras.get("households")
    extra_p = result.extras.get("persons")
    fam = hh.join(names, on="region_code", how="left")
    if extra_hh is not None:
        fam = fam.join(extra_hh, on="household_id", how="left")
    else:
        heads = people.filter(pl.col("relationship") == "kepala_keluarga").select(
            "household_id",
            pl.col("birth_date").alias("head_birth_date"),
            pl.col("sex").alias("head_sex"),
            pl.col("activity").alias("head_activity"),
            pl.col("sector").alias("head_sector"),
            pl.col("education").alias("head_education"),
        )
        fam = fam.join(heads, on="household_id", how="left").with_columns(
            pl.lit("").alias("alamat"), pl.lit(True).alias("padan")
        )
    pairs = pl.concat(
        [
            fam.select(pl.col("head_activity").alias("a"), pl.col("head_sector").alias("s")),
            people.select(pl.col("activity").alias("a"), pl.col("sector").alias("s")),
        ]
    ).unique()
    occupation = _occupation_map(pairs)
    fam_out = fam.select(
        pl.col("household_id").alias("ID Keluarga"),
        pl.lit(province).alias("Provinsi"),
        pl.lit(regency).alias("Kabupaten"),
        pl.col("Kecamatan"),
        pl.col("Desa"),
        pl.col("region_code").str.replace_all(".", "", literal=True).alias("Kode Kemendagri"),
        pl.col("welfare_decile").alias("Desil Kesejahteraan"),
        pl.concat_str(pl.col("alamat"), pl.col("Desa").str.to_titlecase(), separator=", ").alias(
            "Alamat"
        ),
        pl.col("head_name").alias("Kepala Keluarga"),
        pl.col("head_nik").alias("NIK"),
        _yes_no(pl.col("padan")).alias("Padan Dukcapil"),
        _label("sex", "head_sex").alias("Jenis Kelamin"),
        _ddmmyyyy(pl.col("head_birth_date")).alias("Tanggal Lahir"),
        pl.concat_str(
            pl.col("head_activity").fill_null("None"),
            pl.col("head_sector").fill_null("None"),
            separator="|",
        )
        .replace_strict(occupation, default="")
        .alias("Pekerjaan"),
        _label("education", "head_education").alias("Pendidikan"),
        pl.col("size").alias("Jumlah Anggota Keluarga"),
        pl.col("owns_house")
        .cast(pl.Utf8)
        .replace_strict(p3ke_labels("owns_house"), default=None)
        .alias("Kepemilikan Rumah"),
        _yes_no(pl.col("has_savings")).alias("Memiliki Simpanan Uang/Perhiasan/Ternak/Lainnya"),
        _label("roof").alias("Jenis Atap"),
        _label("wall").alias("Jenis Dinding"),
        _label("floor").alias("Jenis Lantai"),
        _label("lighting").alias("Sumber Penerangan"),
        _label("cooking_fuel").alias("Bahan Bakar Memasak"),
        _label("water").alias("Sumber Air Minum"),
        _label("toilet").alias("Memiliki Fasilitas Buang Air Besar"),
        _yes_no(pl.col("bpnt")).alias("Penerima BPNT"),
        _yes_no(pl.col("bpum")).alias("Penerima BPUM"),
        _yes_no(pl.col("bst")).alias("Penerima BST"),
        _yes_no(pl.col("pkh")).alias("Penerima PKH"),
        _yes_no(pl.col("bpnt")).alias("Penerima SEMBAKO"),
        _yes_no(pl.col("stunting_risk")).alias("Resiko Stunting"),
        pl.col("welfare_decile").replace_strict(PENSASARAN, default=None).alias("Pensasaran"),
        pl.col("verification_status")
        .replace_strict(VERIFICATION_LABELS, default=None)
        .alias("Status Verifikasi"),
        _ddmmyyyy(pl.col("verification_date")).alias("Tanggal Verifikasi"),
        pl.col("verified_by").alias("Diverifikasi Oleh"),
        pl.col("verification_reason").alias("Alasan Verifikasi"),
        pl.col("verification_minutes_ref").alias("Nomor Berita Acara"),
    )
    if tuple(fam_out.columns) != (
        *P3KE_FAMILY_HEADINGS,
        *VERIFICATION_HEADINGS,
    ):  # pragma: no cover
        raise RuntimeError("Keluarga sheet headings drifted from the P3KE preset")

    per = people.join(
        fam.select("household_id", "region_code", "welfare_decile", "alamat", "Kecamatan", "Desa"),
        on="household_id",
        how="left",
    )
    if extra_p is not None:
        per = per.join(extra_p, on="person_id", how="left")
    else:
        per = per.with_columns(
            pl.lit(True).alias("padan"), pl.lit(None, dtype=pl.Int64).alias("age")
        )
    ref = result.manifest.get("reference_dates", {}).get("registry", "2023-07-01")
    age = pl.col("age")
    if extra_p is None:
        age = (pl.lit(ref).str.to_date() - pl.col("birth_date")).dt.total_days() // 365.25
    per_out = per.select(
        pl.col("household_id").alias("ID Keluarga"),
        pl.col("person_id").alias("ID Individu"),
        pl.lit(province).alias("Provinsi"),
        pl.lit(regency).alias("Kabupaten"),
        pl.col("Kecamatan"),
        pl.col("Desa"),
        pl.col("region_code").str.replace_all(".", "", literal=True).alias("Kode Kemendagri"),
        pl.col("welfare_decile").alias("Desil Kesejahteraan"),
        pl.concat_str(pl.col("alamat"), pl.col("Desa").str.to_titlecase(), separator=", ").alias(
            "Alamat"
        ),
        pl.col("name").alias("Nama"),
        pl.col("nik").alias("NIK"),
        _yes_no(pl.col("padan")).alias("Padan Dukcapil"),
        _label("sex").alias("Jenis Kelamin"),
        _label("relationship").alias("Hubungan Dengan Kpl. Keluarga"),
        _ddmmyyyy(pl.col("birth_date")).alias("Tanggal Lahir"),
        _label("marital_status").alias("Status Kawin"),
        pl.concat_str(
            pl.col("activity").fill_null("None"), pl.col("sector").fill_null("None"), separator="|"
        )
        .replace_strict(occupation, default="")
        .alias("Pekerjaan"),
        _label("education").alias("Pendidikan"),
        *[_yes_no(age.is_between(lo, hi)).alias(name) for name, lo, hi in AGE_BANDS],
    )
    if tuple(per_out.columns) != P3KE_PERSON_HEADINGS:  # pragma: no cover
        raise RuntimeError("Individu sheet headings drifted from the P3KE preset")

    m = result.manifest
    notes = pl.DataFrame(
        {
            "Keterangan": [
                "PERINGATAN",
                "WARNING",
                "Wilayah",
                "Seed / skala",
                "Dibuat oleh",
                "Tanggal data",
                "Lembar",
                "Kalibrasi",
            ],
            "Isi": [
                "DATA SINTETIS. Semua nama, NIK, dan angka dalam berkas ini dibuat oleh komputer; "
                "tidak ada orang atau keluarga sungguhan.",
                "SYNTHETIC DATA. Every name, NIK and number in this file was generated; no real person "
                "or family is described.",
                f"{m.get('regency_name', '')} ({m.get('regency', '')}), {m.get('province', '')}",
                f"{m.get('seed')} / {m.get('scale')}",
                str(m.get("generated_by", "tuntas.synth")),
                f"P3KE Juli 2023 (per {m.get('reference_dates', {}).get('registry', '')})",
                "Keluarga: satu baris per keluarga; Individu: satu baris per anggota keluarga",
                "Lihat calibration.csv dan manifest.json di folder yang sama",
            ],
        }
    )
    return notes, fam_out, per_out


def _occupation_map(pairs: pl.DataFrame) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for act, sec in pairs.iter_rows():
        key = f"{act if act is not None else 'None'}|{sec if sec is not None else 'None'}"
        # A missing activity stays an empty cell, as in real exports (the importer flags it).
        mapping[key] = "" if act is None else occupation_label(act, sec)
    return mapping


def _write_xlsx(
    path: Path, sheets: list[tuple[str, pl.DataFrame]], errors: list[BaseException]
) -> None:
    try:
        from rustpy_xlsxwriter import FastExcel

        writer = FastExcel(str(path))
        for name, frame in sheets:
            writer = writer.sheet(name, neutralise_frame(frame))
        writer.save()
    except BaseException as exc:  # pragma: no cover - reported to the caller
        errors.append(exc)


def _readme(result: SynthResult, files: list[str]) -> str:
    m = result.manifest
    failed = result.calibration.filter(~pl.col("ok"))["target"].to_list()
    lines = [
        "DATA SINTETIS — SYNTHETIC DATA",
        "",
        "Berkas-berkas ini dibuat oleh komputer (tuntas synth). Tidak ada orang, keluarga, NIK, atau",
        "usaha sungguhan di dalamnya. Angka agregat dikalibrasi ke angka resmi yang dipublikasikan",
        "(P3KE Juli 2023, BPS Maret 2024, Dukcapil), tetapi setiap baris adalah rekaan.",
        "",
        "These files were generated by a computer (tuntas synth). No real person, family, NIK or",
        "business is in them. Totals are calibrated to published figures (P3KE July 2023, BPS March",
        "2024, Dukcapil), but every row is invented.",
        "",
        f"Regency: {m.get('regency_name')} ({m.get('regency')}), {m.get('province')}",
        f"Seed: {m.get('seed')}   Scale: {m.get('scale')}   Generator: {m.get('generated_by')}",
        f"Reproduce: tuntas synth --regency {m.get('regency')} --seed {m.get('seed')} "
        f"--scale {m.get('scale')} --out DIR",
        "",
        "How it was generated: registry families are allocated to kecamatan × desil × desa to match the",
        "published P3KE counts; every household in the regency gets a latent welfare index (desil, desa,",
        "loci, head's schooling and sector, size, noise) turned into consumption by a transform solved",
        "on a Susenas-like sample so that survey-weighted poverty matches BPS; indicators, assistance,",
        "2022 verification, members with valid NIKs, enterprises and village profiles follow.",
        "truth_households holds each registry family's true consumption (for measuring targeting).",
        "See docs/data.md in the TUNTAS repository, calibration.csv and manifest.json (assumptions).",
        "",
        "Calibration: "
        + ("all targets within tolerance" if not failed else "NOT MET: " + "; ".join(failed)),
        "",
        "Files:",
        *[f"  {name}" for name in files],
        "",
    ]
    return "\n".join(lines)


def write_result(
    result: SynthResult,
    out_dir: str | Path,
    *,
    xlsx: bool = True,
    progress: Progress | None = None,
) -> list[Path]:
    """Write every file of ``result`` into ``out_dir`` (created if needed); return the paths."""
    report = progress or (lambda step, fraction: None)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    errors: list[BaseException] = []
    thread: threading.Thread | None = None
    xlsx_path = out / f"p3ke_{str(result.manifest['regency']).replace('.', '')}.xlsx"
    if xlsx:
        report("workbook P3KE", 0.0)
        notes, fam, per = p3ke_frames(result)
        thread = threading.Thread(
            target=_write_xlsx,
            args=(xlsx_path, [("Keterangan", notes), ("Keluarga", fam), ("Individu", per)], errors),
            daemon=True,
        )
        thread.start()

    frames: dict[str, pl.DataFrame] = {**result.tables, "truth_households": result.truth}
    meta_common = {
        "tuntas.synthetic": "true",
        "tuntas.regency": str(result.manifest.get("regency")),
        "tuntas.seed": str(result.manifest.get("seed")),
        "tuntas.scale": str(result.manifest.get("scale")),
        "tuntas.generated_by": str(result.manifest.get("generated_by")),
    }
    for i, name in enumerate(TABLE_FILES):
        frame = frames[name]
        report(f"tulis {name}", 0.1 + 0.7 * i / len(TABLE_FILES))
        parquet = out / f"{name}.parquet"
        write_parquet(frame, parquet, {**meta_common, "tuntas.table": name})
        csv = out / f"{name}.csv"
        write_csv(frame, csv)
        paths.extend([parquet, csv])

    calibration = out / "calibration.csv"
    write_csv(result.calibration, calibration)
    manifest = out / "manifest.json"
    manifest.write_text(
        json.dumps(_jsonable(result.manifest), indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    paths.extend([calibration, manifest])
    if thread is not None:
        report("workbook P3KE", 0.85)
        thread.join()
        if errors:
            raise RuntimeError(f"writing {xlsx_path} failed: {errors[0]}") from errors[0]
        paths.append(xlsx_path)
    readme = out / "README.txt"
    names = [p.name for p in paths] + [readme.name]
    readme.write_text(_readme(result, names), encoding="utf-8")
    paths.append(readme)
    report("selesai", 1.0)
    return paths


def write_parquet(frame: pl.DataFrame, path: Path, metadata: dict[str, str]) -> None:
    """Parquet (zstd) with ``metadata`` in the Arrow schema, in a fixed key order (deterministic)."""
    import pyarrow.parquet as pq

    table = frame.to_arrow()
    table = table.replace_schema_metadata({k: metadata[k] for k in sorted(metadata)})
    pq.write_table(table, path, compression="zstd")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):
        return value.item()
    return value
