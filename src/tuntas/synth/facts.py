"""Published facts the generator is calibrated to, read from ``synth/data/klaten_facts.yaml``.

The YAML file is compiled by a researcher (every value with its source; see
``docs/research/klaten_facts.md``). This module reads it defensively: a missing or null entry falls
back to the figures quoted in issue 2 (which come from the same sources) or to an empty list, and the
generator then documents the gap as an assumption.

Examples
--------
>>> facts = klaten_facts()
>>> facts.families_by_desil
(45302, 60098, 47698, 45598)
>>> facts.kecamatan_families["33.10.06"]
12574
>>> "33.10.03.2006" in facts.loci_2022
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

KLATEN = "33.10"
"""Kemendagri code of Kabupaten Klaten, the pilot regency."""

P3KE_SOURCE = (
    "P3KE Kemenko PMK, July 2023, via Solopos 29/7/2023 "
    "(https://soloraya.solopos.com/daftar-4-kecamatan-termiskin-di-klaten-trucuk-nomor-1-1698104)"
)
P3KE_KECAMATAN_SOURCE = (
    "P3KE Kemenko PMK, early 2023 snapshot, via Solopos "
    "(https://soloraya.solopos.com/trucuk-nomor-1-ini-10-kecamatan-dengan-keluarga-miskin-"
    "terbanyak-di-klaten-1564036)"
)
BPS_POVERTY_SOURCE = (
    "BPS Kabupaten Klaten, Maret 2024 (P0 12.04, P1 1.46, P2 0.27 at Rp 505,826), via Kompas TV "
    "20/9/2024 and detikJateng"
)
VERIFICATION_SOURCE = (
    "Harian Jogja 31/7/2022 (~4,000 desil-1 families in the 25 loci verified to 2,312), "
    "https://news.harianjogja.com/read/2022/07/31/500/1107636/"
)
DUKCAPIL_SOURCE = "Dukcapil Semester II 2024 via reference/data/wilayah/wilayah_penduduk.csv"

# Fallbacks: the figures quoted in issue 2 (same sources as the YAML file).
_FAMILIES_BY_DESIL = (45302, 60098, 47698, 45598)
_PERSONS_BY_DESIL = (189774, 224477, 161497, 140261)
_KECAMATAN_FAMILIES = {
    "33.10.06": 12574,  # Trucuk
    "33.10.04": 11324,  # Bayat
    "33.10.20": 9988,  # Jatinom
    "33.10.15": 9865,  # Wonosari
    "33.10.11": 9709,  # Ceper
    "33.10.08": 9597,  # Jogonalan
    "33.10.14": 9260,  # Juwiring
    "33.10.19": 8120,  # Tulung
    "33.10.09": 7949,  # Manisrenggo
    "33.10.03": 7830,  # Wedi
}

LOCI_2022_KECAMATAN_NAMES = ("Jatinom", "Wonosari", "Wedi", "Trucuk", "Karangnongko")
"""Kecamatan of the 25 loci desa of 2022 (Solopos 11/4/2022; Tribun Solo 20/7/2022)."""

LOCI_2022_COUNT = 25
LOCI_2022_PER_KECAMATAN = 5
"""25 desa in 5 kecamatan: the Wedi and Jatinom lists have 5 each; 5 per kecamatan is assumed."""

LOCI_2023_COUNT = 80
LOCI_2023_EXCLUDED_KECAMATAN_NAMES = ("Klaten Utara", "Wedi", "Delanggu", "Kebonarum")
"""The 2023 loci cover 22 kecamatan: all but these four (Solopos 1/3/2023)."""

LOCI_2023_COMPLETE_KECAMATAN = ("33.10.14", "33.10.08", "33.10.02", "33.10.04")
"""Kecamatan blocks of the 2023 list that were read in full (Juwiring, Jogonalan, Gantiwarno, Bayat)."""


@dataclass(frozen=True)
class Cluster:
    """A real industry cluster (sentra): name, product, KBLI 2020 code, desa codes, source."""

    name: str
    product: str
    kbli: str
    desa: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class PovertyFigures:
    """BPS poverty indicators for one year (P0 in %, P1 and P2 ×100, line in Rp/capita/month)."""

    year: int
    p0: float
    p1: float
    p2: float
    line: float
    source: str


@dataclass(frozen=True)
class KlatenFacts:
    """Everything the generator takes from the facts file."""

    families_by_desil: tuple[int, int, int, int]
    persons_by_desil: tuple[int, int, int, int]
    kecamatan_families: dict[str, int]
    kecamatan_desil_seed: dict[str, tuple[float | None, float | None, float | None, float | None]]
    kecamatan_population: dict[str, int]
    loci_2022: tuple[str, ...]
    loci_2023: tuple[str, ...]
    clusters: tuple[Cluster, ...]
    poverty_2024: PovertyFigures
    verification_initial: int
    verification_verified: int


def _read_yaml() -> dict[str, Any]:
    path = resources.files("tuntas.synth").joinpath("data", "klaten_facts.yaml")
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:  # pragma: no cover - the file ships with the package
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _indicator(rows: list[dict[str, Any]], year: int, name: str) -> tuple[float | None, str]:
    for row in rows:
        if (
            row.get("year") == year
            and row.get("indicator") == name
            and row.get("value") is not None
        ):
            return float(row["value"]), str(row.get("source", ""))
    return None, ""


def _desil_tuple(
    rows: list[dict[str, Any]], prefix: str, fallback: tuple[int, ...]
) -> tuple[int, ...]:
    found = []
    for desil in range(1, 5):
        value, _ = _indicator(rows, 2023, f"{prefix}_desil_{desil}")
        if value is None:
            return fallback
        found.append(int(value))
    return tuple(found)


@cache
def klaten_facts() -> KlatenFacts:
    """Read ``klaten_facts.yaml`` once, with the fallbacks described in the module docstring."""
    raw = _read_yaml()
    poverty_rows = [r for r in raw.get("poverty") or [] if isinstance(r, dict)]
    families = _desil_tuple(poverty_rows, "p3ke_families", _FAMILIES_BY_DESIL)
    persons = _desil_tuple(poverty_rows, "p3ke_individuals", _PERSONS_BY_DESIL)

    kecamatan_families = dict(_KECAMATAN_FAMILIES)
    snapshot = (raw.get("p3ke_2023_kecamatan_totals_snapshot") or {}).get("kecamatan") or []
    for row in snapshot:
        if isinstance(row, dict) and row.get("families_total") is not None:
            kecamatan_families[str(row["kecamatan_kode"])] = int(row["families_total"])

    seeds: dict[str, tuple[float | None, float | None, float | None, float | None]] = {}
    for row in raw.get("p3ke_2023_kecamatan") or []:
        fam = row.get("families") or {}
        total = row.get("families_total")
        values = [fam.get(d, fam.get(str(d))) for d in range(1, 5)]
        if total:
            shares = tuple(None if v is None else float(v) / float(total) for v in values)
            seeds[str(row["kecamatan_kode"])] = (shares[0], shares[1], shares[2], shares[3])

    populations = {
        str(r["kode"]): int(r["population"])
        for r in raw.get("kecamatan_population") or []
        if isinstance(r, dict) and r.get("population") is not None
    }
    loci_2022 = tuple(sorted({str(r["kode"]) for r in raw.get("loci_2022") or [] if r.get("kode")}))
    loci_2023 = tuple(sorted({str(r["kode"]) for r in raw.get("loci_2023") or [] if r.get("kode")}))
    clusters = tuple(
        Cluster(
            name=str(c.get("name", "")),
            product=str(c.get("product", "")),
            kbli=str(c.get("kbli", "")),
            desa=tuple(str(d["kode"]) for d in c.get("desa") or [] if d.get("kode")),
            source=str(c.get("source", "")),
        )
        for c in raw.get("clusters") or []
        if isinstance(c, dict) and c.get("kbli") and c.get("desa")
    )

    p0, p0_src = _indicator(poverty_rows, 2024, "P0_percent")
    p1, _ = _indicator(poverty_rows, 2024, "P1")
    p2, _ = _indicator(poverty_rows, 2024, "P2")
    line, _ = _indicator(poverty_rows, 2024, "poverty_line_rp")
    poverty = PovertyFigures(
        year=2024,
        p0=12.04 if p0 is None else p0,
        p1=1.46 if p1 is None else p1,
        p2=0.27 if p2 is None else p2,
        line=505826.0 if line is None else line,
        source=BPS_POVERTY_SOURCE
        if not p0_src
        else f"BPS Kabupaten Klaten, Maret 2024, via {p0_src}",
    )
    initial, _ = _indicator(poverty_rows, 2022, "extreme_poor_desil1_households_initial")
    verified, _ = _indicator(poverty_rows, 2022, "extreme_poor_households_verified")
    return KlatenFacts(
        families_by_desil=(families[0], families[1], families[2], families[3]),
        persons_by_desil=(persons[0], persons[1], persons[2], persons[3]),
        kecamatan_families=kecamatan_families,
        kecamatan_desil_seed=seeds,
        kecamatan_population=populations,
        loci_2022=loci_2022,
        loci_2023=loci_2023,
        clusters=clusters,
        poverty_2024=poverty,
        verification_initial=4000 if initial is None else int(initial),
        verification_verified=2312 if verified is None else int(verified),
    )
