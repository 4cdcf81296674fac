"""Small hand-made registry files in the P3KE layout, for import tests (not the synthetic generator)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl

from tuntas.tables.nik import make_nik

DESA = ["33.10.03.2006", "33.10.03.2007", "33.10.20.2001", "33.10.17.2008"]


def registry(households: int = 40, *, seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A family table and an individual table with P3KE headings and valid NIKs."""
    rng = np.random.default_rng(seed)
    family_rows, person_rows = [], []
    serial = 1
    for h in range(households):
        household_id = f"KLT{h:05d}"
        desa = DESA[h % len(DESA)]
        size = int(rng.integers(1, 6))
        members = []
        for m in range(size):
            sex = "L" if m == 0 or rng.random() < 0.5 else "P"
            age = int(rng.integers(35, 70)) if m == 0 else int(rng.integers(1, 60))
            birth = dt.date(2024 - age, int(rng.integers(1, 13)), int(rng.integers(1, 29)))
            nik = make_nik(desa[:8], birth.year, birth.month, birth.day, sex, serial)
            serial += 1
            relationship = "Kepala Keluarga" if m == 0 else ("Istri/Suami" if m == 1 else "Anak")
            members.append((f"{household_id}-{m + 1:02d}", nik, sex, birth, relationship))
        head = members[0]
        family_rows.append(
            {
                "ID Keluarga": household_id,
                "Kode Kemendagri": desa.replace(".", ""),
                "Desil Kesejahteraan": str(1 + h % 4),
                "Kepala Keluarga": f"Kepala {h}",
                "NIK": head[1],
                "Jumlah Anggota Keluarga": str(size),
                "Jenis Lantai": ["Tanah", "Semen/Bata Merah", "Keramik"][h % 3],
                "Penerima PKH": "YA" if h % 2 else "TIDAK",
            }
        )
        for person_id, nik, sex, birth, relationship in members:
            person_rows.append(
                {
                    "ID Keluarga": household_id,
                    "ID Individu": person_id,
                    "Nama": f"Warga {person_id}",
                    "NIK": nik,
                    "Jenis Kelamin": "Laki-laki" if sex == "L" else "Perempuan",
                    "Hubungan Dengan Kpl. Keluarga": relationship,
                    "Tanggal Lahir": birth.strftime("%d-%m-%Y"),
                    "Pekerjaan": "Petani/Pekebun"
                    if relationship == "Kepala Keluarga"
                    else "Pelajar/Mahasiswa",
                    "Pendidikan": "SD/Sederajat",
                }
            )
    return pl.DataFrame(family_rows), pl.DataFrame(person_rows)


def write(frame: pl.DataFrame, path: Path) -> Path:
    """Write a frame as CSV, xlsx or Parquet by the path's suffix."""
    if path.suffix == ".csv":
        frame.write_csv(path)
    elif path.suffix == ".parquet":
        frame.write_parquet(path)
    else:
        frame.write_excel(
            path, worksheet="Individu" if "ID Individu" in frame.columns else "Keluarga"
        )
    return path
