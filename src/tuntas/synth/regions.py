"""The regency's geography for the generator: kecamatan, desa, centroids, areas, urban flags, loci.

For Klaten the desa polygons (BIG/cahyadsn boundaries) give each desa a centroid and an area; for
other regencies only kecamatan centroids (Jawa Tengah) or the regency centroid are known, and the
generator falls back to them (``centroid_level`` says which was used).

Loci (priority desa for extreme poverty) come from ``klaten_facts.yaml``. Where the published lists
are incomplete the missing desa are *pseudo-loci*: chosen in each kecamatan in the order of a stable
hash of the desa code (seed-free, so every run marks the same desa); ``loci_*_published`` tells the
two apart.

Examples
--------
>>> geo = geography("33.10")
>>> geo.desa.height, int(geo.desa["loci_2022"].sum()), int(geo.desa["loci_2023"].sum())
(401, 25, 80)
>>> round(float(geo.desa["area_km2"].sum()))  # simplified polygons; BPS gives 655.56 km²
701
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import polars as pl

from tuntas.reference import centroids, children, descendants, haversine_km, region
from tuntas.reference.geo import boundaries
from tuntas.synth.calibrate import FloatArray, largest_remainder
from tuntas.synth.facts import (
    KLATEN,
    LOCI_2022_COUNT,
    LOCI_2022_KECAMATAN_NAMES,
    LOCI_2022_PER_KECAMATAN,
    LOCI_2023_COMPLETE_KECAMATAN,
    LOCI_2023_COUNT,
    LOCI_2023_EXCLUDED_KECAMATAN_NAMES,
    klaten_facts,
)
from tuntas.synth.rng import stable_hash

KM_PER_DEG_LAT = 110.574
"""Kilometres per degree of latitude (WGS84, near the equator)."""
KM_PER_DEG_LON_EQUATOR = 111.320
"""Kilometres per degree of longitude at the equator (× cos latitude elsewhere)."""


@dataclass(frozen=True)
class Geography:
    """The regency's kecamatan and desa frames, desa polygons and the notes on what was assumed."""

    regency: str
    regency_name: str
    province_name: str
    population: int
    kecamatan: pl.DataFrame
    desa: pl.DataFrame
    polygons: dict[str, list[FloatArray]] = field(repr=False)
    capital: tuple[float, float] | None
    notes: tuple[str, ...]


def _rings(geometry: dict[str, Any]) -> list[FloatArray]:
    coords = geometry.get("coordinates") or []
    polygons = [coords] if geometry.get("type") == "Polygon" else coords
    return [np.asarray(ring, dtype=np.float64)[:, :2] for poly in polygons for ring in poly]


def ring_area_km2(ring: FloatArray) -> float:
    """Area of one lon/lat ring in km² (shoelace on a local equirectangular projection).

    A = ½·|Σ (xᵢ·yᵢ₊₁ − xᵢ₊₁·yᵢ)| with x = lon·111.320·cos(lat₀), y = lat·110.574 (km).

    >>> square = np.array([[110.0, -7.0], [110.01, -7.0], [110.01, -7.01], [110.0, -7.01]])
    >>> round(ring_area_km2(square), 3)
    1.222
    """
    lat0 = float(np.radians(ring[:, 1].mean()))
    x = ring[:, 0] * KM_PER_DEG_LON_EQUATOR * np.cos(lat0)
    y = ring[:, 1] * KM_PER_DEG_LAT
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y)) / 2.0)


def _polygon_area_km2(geometry: dict[str, Any]) -> float:
    coords = geometry.get("coordinates") or []
    polygons = [coords] if geometry.get("type") == "Polygon" else coords
    total = 0.0
    for poly in polygons:
        rings = [np.asarray(r, dtype=np.float64)[:, :2] for r in poly]
        if rings:
            total += ring_area_km2(rings[0]) - sum(ring_area_km2(h) for h in rings[1:])
    return total


def points_in_rings(lon: FloatArray, lat: FloatArray, rings: list[FloatArray]) -> np.ndarray:
    """Even–odd (ray casting) test of many points against a polygon's rings (holes included).

    >>> sq = [np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])]
    >>> points_in_rings(np.array([0.5, 1.5]), np.array([0.5, 0.5]), sq).tolist()
    [True, False]
    """
    inside = np.zeros(lon.shape, dtype=bool)
    for ring in rings:
        x1, y1 = ring[:, 0], ring[:, 1]
        x2, y2 = np.roll(x1, -1), np.roll(y1, -1)
        for a, b, c, d in zip(x1, y1, x2, y2, strict=True):
            crosses = (b > lat) != (d > lat)
            if not crosses.any():
                continue
            with np.errstate(divide="ignore", invalid="ignore"):
                x_at = a + (lat - b) * (c - a) / (d - b)
            inside ^= crosses & (lon < x_at)
    return inside


def _kecamatan_population(
    kec: pl.DataFrame, regency: str, total: int
) -> tuple[list[float], list[str], list[str]]:
    """Kecamatan population proxy, scaled to the regency's Dukcapil total.

    Klaten: the 2014 figures in the facts file where known; elsewhere the mean 2014 population per
    desa of the known kecamatan × number of desa. Other regencies: proportional to number of desa.
    """
    facts = klaten_facts()
    n_desa = kec["n_desa"].to_list()
    codes = kec["code"].to_list()
    notes: list[str] = []
    known = facts.kecamatan_population if regency == KLATEN else {}
    if known:
        known_codes = [c for c in codes if c in known]
        per_desa = sum(known[c] for c in known_codes) / max(
            sum(n for c, n in zip(codes, n_desa, strict=True) if c in known), 1
        )
        raw = [
            float(known[c]) if c in known else per_desa * n
            for c, n in zip(codes, n_desa, strict=True)
        ]
        sources = [
            "2014 (facts file)" if c in known else "desa count × mean per desa" for c in codes
        ]
        notes.append(
            f"Kecamatan populations: 2014 figures (secondary source, facts file) for {len(known_codes)} "
            f"of {len(codes)} kecamatan; the rest = number of desa × {per_desa:,.0f} (mean 2014 "
            "population per desa of the known kecamatan); all scaled to the Dukcapil total."
        )
    else:
        raw = [float(n) for n in n_desa]
        sources = ["desa count" for _ in codes]
        notes.append(
            "Kecamatan populations proportional to their number of desa (no published figures)."
        )
    scale = total / max(sum(raw), 1.0)
    return [r * scale for r in raw], sources, notes


def _pick_by_hash(candidates: list[str], k: int, salt: str) -> list[str]:
    ordered = sorted(candidates, key=lambda c: (stable_hash(f"{salt}:{c}"), c))
    return ordered[: max(k, 0)]


def _loci(
    desa: pl.DataFrame, kec: pl.DataFrame, regency: str
) -> tuple[set[str], set[str], set[str], set[str], list[str]]:
    """2022 and 2023 loci (published ∪ pseudo), the published subsets, and notes."""
    facts = klaten_facts()
    notes: list[str] = []
    # candidates: the desa of each kecamatan, or its kelurahan where it has no desa (cities)
    by_kec: dict[str, list[str]] = {}
    kelurahan_only: dict[str, list[str]] = {}
    for code, kc, kind in desa.select("code", "kecamatan_code", "kind").iter_rows():
        (kelurahan_only if kind == "kelurahan" else by_kec).setdefault(kc, []).append(code)
    for kc, codes in kelurahan_only.items():
        by_kec.setdefault(kc, codes)
    kec_codes = kec["code"].to_list()
    kec_names = dict(zip(kec_codes, kec["name"].to_list(), strict=True))
    n_desa = dict(zip(kec_codes, kec["n_desa"].to_list(), strict=True))
    all_codes = set(desa["code"].to_list())

    if regency == KLATEN:
        pub22 = {c for c in facts.loci_2022 if c in all_codes}
        pub23 = {c for c in facts.loci_2023 if c in all_codes}
        k22 = [k for k in kec_codes if kec_names[k] in LOCI_2022_KECAMATAN_NAMES]
        quota22 = dict.fromkeys(k22, LOCI_2022_PER_KECAMATAN)
        k23 = [k for k in kec_codes if kec_names[k] not in LOCI_2023_EXCLUDED_KECAMATAN_NAMES]
        complete = [k for k in LOCI_2023_COMPLETE_KECAMATAN if k in k23]
        total22, total23 = LOCI_2022_COUNT, LOCI_2023_COUNT
    else:
        pub22, pub23 = set(), set()
        n_k22 = max(1, round(len(kec_codes) * 5 / 26))
        k22 = sorted(_pick_by_hash(kec_codes, n_k22, "loci2022-kec"))
        quota22 = dict.fromkeys(k22, LOCI_2022_PER_KECAMATAN)
        n_excluded = round(len(kec_codes) * 4 / 26)
        excluded = set(_pick_by_hash(kec_codes, n_excluded, "loci2023-kec"))
        k23 = [k for k in kec_codes if k not in excluded]
        complete = []
        total22 = sum(quota22.values())
        total23 = max(1, round(desa.height * LOCI_2023_COUNT / 401))
        notes.append(
            f"Loci for {regency} are pseudo-loci chosen by a stable hash of the codes "
            f"({total22} desa in {len(k22)} kecamatan for 2022; {total23} desa in {len(k23)} "
            "kecamatan for 2023), scaled from Klaten's 25/401 and 80/401."
        )

    loci22 = set(pub22)
    for k in k22:
        have = [c for c in loci22 if c.startswith(k + ".")]
        pool = [c for c in by_kec.get(k, []) if c not in loci22]
        loci22.update(_pick_by_hash(pool, quota22[k] - len(have), "loci2022"))
    filled22 = len(loci22) - len(pub22)
    if regency == KLATEN and filled22:
        notes.append(
            f"Loci 2022: {len(pub22)} of {total22} desa are published in the facts file; the other "
            f"{filled22} are pseudo-loci ({LOCI_2022_PER_KECAMATAN} per kecamatan in "
            f"{', '.join(LOCI_2022_KECAMATAN_NAMES)}), picked by a stable hash of the desa code."
        )

    loci23 = set(pub23)
    open_kec = [k for k in k23 if k not in complete]
    fixed = sum(len([c for c in pub23 if c.startswith(k + ".")]) for k in complete)
    floor = {k: max(1, len([c for c in pub23 if c.startswith(k + ".")])) for k in open_kec}
    remaining = max(total23 - fixed - sum(floor.values()), 0)
    extra: list[int] = (
        largest_remainder([float(n_desa[k]) for k in open_kec], remaining).tolist()
        if open_kec
        else []
    )
    for k, add in zip(open_kec, extra, strict=True):
        have = [c for c in loci23 if c.startswith(k + ".")]
        pool = [c for c in by_kec.get(k, []) if c not in loci23]
        want = min(floor[k] + int(add), len(by_kec.get(k, [])))
        loci23.update(_pick_by_hash(pool, want - len(have), "loci2023"))
    filled23 = len(loci23) - len(pub23)
    if regency == KLATEN and filled23:
        notes.append(
            f"Loci 2023: {len(pub23)} of {total23} desa are published in the facts file (the blocks "
            "of Juwiring, Jogonalan, Gantiwarno and Bayat are complete); the other "
            f"{filled23} are pseudo-loci spread over the remaining 18 listed kecamatan in proportion "
            "to their number of desa (at least one each), picked by a stable hash of the desa code."
        )
    return loci22, loci23, pub22, pub23, notes


def _capital_kecamatan(kec: pl.DataFrame, regency_name: str) -> list[str]:
    short = regency_name.replace("Kabupaten ", "").replace("Kota ", "").strip().lower()
    names = dict(zip(kec["code"].to_list(), kec["name"].to_list(), strict=True))
    return sorted(k for k, n in names.items() if short and short in n.lower())


@cache
def geography(regency: str) -> Geography:
    """Build the geography of ``regency`` (a kabupaten/kota code, dotted or not)."""
    reg = region(regency)
    if reg.level != "kabupaten_kota":
        raise ValueError(f"{reg.code} is a {reg.level}, not a kabupaten/kota")
    code = reg.code
    province = region(code.split(".")[0])
    kec = children(code).filter(pl.col("level") == "kecamatan").select("code", "name").sort("code")
    desa = (
        descendants(code, level="desa_kelurahan")
        .select("code", "name", "kind", pl.col("parent_code").alias("kecamatan_code"))
        .sort("code")
    )
    if desa.height == 0:
        raise ValueError(f"{code} has no desa/kelurahan in the reference data")
    kec = kec.join(
        desa.group_by("kecamatan_code").agg(pl.len().cast(pl.Int64).alias("n_desa")),
        left_on="code",
        right_on="kecamatan_code",
        how="inner",
    ).sort("code")
    notes: list[str] = []
    population = int(reg.population or 0)
    if population <= 0:
        raise ValueError(f"no Dukcapil population for {code}")

    # Centroids, best level available.
    desa_c = centroids("desa_kelurahan", within=code)
    kec_c = centroids("kecamatan", within=code)
    reg_c = centroids("kabupaten_kota").filter(pl.col("code") == code)
    desa = desa.join(
        kec.select(pl.col("code").alias("kecamatan_code"), pl.col("name").alias("kecamatan_name")),
        on="kecamatan_code",
        how="left",
    )
    lat = np.full(desa.height, np.nan)
    lon = np.full(desa.height, np.nan)
    level = np.array([None] * desa.height, dtype=object)
    index = {c: i for i, c in enumerate(desa["code"].to_list())}
    area = np.full(desa.height, np.nan)
    polygons: dict[str, list[FloatArray]] = {}
    if desa_c.height:
        for c, la, lo in desa_c.select("code", "lat", "lon").iter_rows():
            if c in index:
                lat[index[c]], lon[index[c]], level[index[c]] = la, lo, "desa_kelurahan"
        for feature in boundaries("desa_kelurahan", within=code)["features"]:
            c = feature["properties"]["kode"]
            if c in index:
                polygons[c] = _rings(feature["geometry"])
                area[index[c]] = _polygon_area_km2(feature["geometry"])
    kec_lookup = {c: (la, lo) for c, la, lo in kec_c.select("code", "lat", "lon").iter_rows()}
    reg_point = (float(reg_c["lat"][0]), float(reg_c["lon"][0])) if reg_c.height else None
    for i, kc in enumerate(desa["kecamatan_code"].to_list()):
        if level[i] is None and kc in kec_lookup:
            lat[i], lon[i] = kec_lookup[kc]
            level[i] = "kecamatan"
        elif level[i] is None and reg_point is not None:
            lat[i], lon[i] = reg_point
            level[i] = "kabupaten_kota"
    missing = int(sum(1 for v in level if v != "desa_kelurahan"))
    if missing:
        notes.append(
            f"{missing} of {desa.height} desa have no polygon: their coordinates fall back to the "
            "kecamatan centroid (or the regency centroid); their area and distance to the kecamatan "
            "office are unknown (null)."
        )

    desa = desa.with_columns(
        pl.Series("lat", lat, dtype=pl.Float64).fill_nan(None),
        pl.Series("lon", lon, dtype=pl.Float64).fill_nan(None),
        pl.Series("centroid_level", level.tolist(), dtype=pl.Utf8),
        pl.Series("area_km2", area, dtype=pl.Float64).fill_nan(None),
    )

    # Kecamatan capital (proxy for the kecamatan office): the desa nearest the kecamatan centroid,
    # preferring a kelurahan; without desa centroids, the first kelurahan or the first desa by code.
    capital_rows = []
    for kc in kec["code"].to_list():
        sub = desa.filter(pl.col("kecamatan_code") == kc)
        kel = sub.filter(pl.col("kind") == "kelurahan")
        pool = kel if kel.height else sub
        if kc in kec_lookup and pool["centroid_level"].eq("desa_kelurahan").all():
            klat, klon = kec_lookup[kc]
            d = haversine_km(pool["lat"].to_numpy(), pool["lon"].to_numpy(), klat, klon)
            capital_rows.append(pool["code"][int(np.argmin(d))])
        else:
            capital_rows.append(pool["code"][0])
    capitals = set(capital_rows)
    capital_of = dict(zip(kec["code"].to_list(), capital_rows, strict=True))
    cap_idx = np.array([index[capital_of[k]] for k in desa["kecamatan_code"].to_list()])
    own = desa["centroid_level"].eq("desa_kelurahan").to_numpy()
    d_kec = haversine_km(lat, lon, lat[cap_idx], lon[cap_idx])
    d_kec = np.where(own & own[cap_idx], d_kec, np.nan)

    capital_kec = _capital_kecamatan(kec, reg.name)
    capital: tuple[float, float] | None
    if capital_kec:
        # the capital kecamatan with the most kelurahan (then by code) hosts the regency office
        counts = {
            k: desa.filter((pl.col("kecamatan_code") == k) & (pl.col("kind") == "kelurahan")).height
            for k in capital_kec
        }
        seat = sorted(capital_kec, key=lambda k: (-counts[k], k))[0]
        seat_desa = desa.filter(pl.col("kecamatan_code") == seat)
        kel = seat_desa.filter(pl.col("kind") == "kelurahan")
        pts = kel if kel.height else seat_desa
        capital = (
            float(np.nanmean(pts["lat"].to_numpy())),
            float(np.nanmean(pts["lon"].to_numpy())),
        )
    else:
        capital = reg_point
    d_reg = (
        haversine_km(lat, lon, capital[0], capital[1])
        if capital is not None
        else np.full(desa.height, np.nan)
    )

    urban = (
        desa["kind"].eq("kelurahan").to_numpy()
        | desa["kecamatan_code"].is_in(capital_kec).to_numpy()
        | desa["code"].is_in(sorted(capitals)).to_numpy()
    )

    loci22, loci23, pub22, pub23, loci_notes = _loci(desa, kec, code)
    notes.extend(loci_notes)
    notes.append(
        "Urban desa: every kelurahan, every desa of the kecamatan named after the regency "
        f"({', '.join(kec.filter(pl.col('code').is_in(capital_kec))['name'].to_list()) or 'none'}), "
        "and in each kecamatan the desa nearest its centroid (proxy for the kecamatan town and "
        "office)."
    )

    pops, sources, pop_notes = _kecamatan_population(kec, code, population)
    notes.extend(pop_notes)
    kec = kec.with_columns(
        pl.Series("population_proxy", pops, dtype=pl.Float64),
        pl.Series("population_source", sources, dtype=pl.Utf8),
        pl.col("code").is_in(sorted({c[:8] for c in loci22})).alias("has_loci_2022"),
    )
    codes = desa["code"].to_list()
    desa = desa.with_columns(
        pl.Series("urban", urban, dtype=pl.Boolean),
        pl.Series("kecamatan_capital", [c in capitals for c in codes], dtype=pl.Boolean),
        pl.Series("distance_to_kecamatan_km", d_kec, dtype=pl.Float64).fill_nan(None),
        pl.Series("distance_to_regency_km", d_reg, dtype=pl.Float64).fill_nan(None),
        pl.Series("loci_2022", [c in loci22 for c in codes], dtype=pl.Boolean),
        pl.Series("loci_2023", [c in loci23 for c in codes], dtype=pl.Boolean),
        pl.Series("loci_2022_published", [c in pub22 for c in codes], dtype=pl.Boolean),
        pl.Series("loci_2023_published", [c in pub23 for c in codes], dtype=pl.Boolean),
    )
    return Geography(
        regency=code,
        regency_name=reg.name,
        province_name=province.name,
        population=population,
        kecamatan=kec,
        desa=desa,
        polygons=polygons,
        capital=capital,
        notes=tuple(notes),
    )
