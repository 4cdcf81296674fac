"""Village profiles (Podes-like), one row per desa/kelurahan.

Population and households are the generated totals (registry + everyone else); area, urban flag and
distances come from the boundaries (:mod:`tuntas.synth.regions`); cooperatives and the BUMDes from the
2024 enterprises snapshot. Market, road surface, main commodity and the village fund are assumptions
described in :data:`ASSUMPTIONS`.

Examples
--------
>>> main_commodity_for("Kemalang", cluster=None, urban=False)
'sayuran dan susu sapi'
>>> main_commodity_for("Wedi", cluster="23932", urban=False)
'gerabah'
"""

from __future__ import annotations

import numpy as np
import polars as pl

from tuntas.synth.calibrate import FloatArray
from tuntas.synth.regions import Geography

PROFILE_YEAR = 2024
VILLAGE_FUND_BASE = 0.72e9
VILLAGE_FUND_PER_MEAN_POPULATION = 0.28e9
"""Dana Desa ≈ Rp 0.72 miliar + 0.28 miliar × population / mean desa population (≈ Rp 1 miliar on
average, as Klaten's ≈ Rp 390 miliar for 391 desa); kelurahan receive none (null). Assumption."""

CLUSTER_COMMODITY = {
    "23932": "gerabah",
    "23922": "genteng",
    "24310": "pengecoran logam",
    "13121": "tenun lurik",
    "13134": "batik",
    "32909": "payung lukis",
    "31001": "mebel kayu",
    "14111": "konveksi",
    "93221": "wisata umbul",
}
KECAMATAN_COMMODITY = {
    "Kemalang": "sayuran dan susu sapi",
    "Polanharjo": "padi dan ikan air tawar",
    "Tulung": "padi dan ikan air tawar",
    "Karanganom": "padi dan ikan air tawar",
    "Bayat": "padi dan palawija",
    "Cawas": "padi dan palawija",
    "Gantiwarno": "padi dan palawija",
}

ASSUMPTIONS = (
    "Villages: permanent market in urban desa and kecamatan towns plus 15% of other desa; road "
    "surface aspal/beton/diperkeras/tanah 75/15/8/2% outside towns; main commodity = the cluster's "
    "product where there is one, trade and services in towns, otherwise by kecamatan (padi; fish in "
    "the spring kecamatan; vegetables and dairy on Merapi's slope in Kemalang); Dana Desa ≈ Rp 0.72 "
    "miliar + 0.28 miliar × relative population (null for kelurahan).",
)


def main_commodity_for(kecamatan: str, *, cluster: str | None, urban: bool) -> str:
    """Main economic activity of a desa (cluster product, town trade, or the kecamatan's crop)."""
    if cluster is not None and cluster in CLUSTER_COMMODITY:
        return CLUSTER_COMMODITY[cluster]
    if urban:
        return "perdagangan dan jasa"
    return KECAMATAN_COMMODITY.get(kecamatan, "padi")


def build_villages(
    geo: Geography,
    *,
    population: FloatArray,
    households: FloatArray,
    enterprises_2024: pl.DataFrame,
    cluster_by_desa: dict[str, str],
    rng: np.random.Generator,
) -> pl.DataFrame:
    """The villages table (canonical columns)."""
    desa = geo.desa
    n = desa.height
    codes = desa["code"].to_list()
    urban = desa["urban"].to_numpy()
    capital = desa["kecamatan_capital"].to_numpy()
    kelurahan = desa["kind"].eq("kelurahan").to_numpy()
    has_market = urban | capital | (rng.random(n) < 0.15)
    u = rng.random(n)
    road = np.where(
        urban,
        "aspal",
        np.where(
            u < 0.75,
            "aspal",
            np.where(u < 0.90, "beton", np.where(u < 0.98, "diperkeras", "tanah")),
        ),
    )
    commodity = [
        main_commodity_for(k, cluster=cluster_by_desa.get(c), urban=bool(ur))
        for c, k, ur in zip(codes, desa["kecamatan_name"].to_list(), urban, strict=True)
    ]
    coops = (
        enterprises_2024.filter(pl.col("is_cooperative"))
        .group_by("region_code")
        .agg(pl.len().cast(pl.Int64).alias("n"))
    )
    coop_count = dict(zip(coops["region_code"].to_list(), coops["n"].to_list(), strict=True))
    active = set(
        enterprises_2024.filter((pl.col("legal_form") == "bumdes") & (pl.col("workers") > 0))[
            "region_code"
        ].to_list()
    )
    mean_pop = float(population.mean()) if n else 1.0
    fund = VILLAGE_FUND_BASE + VILLAGE_FUND_PER_MEAN_POPULATION * population / max(mean_pop, 1.0)
    fund = np.round(fund * np.exp(rng.normal(0, 0.05, n)), -6)
    return pl.DataFrame(
        {
            "region_code": codes,
            "year": np.full(n, PROFILE_YEAR, dtype=np.int64),
            "population": population.astype(np.int64),
            "households": households.astype(np.int64),
            "area_km2": desa["area_km2"].round(3),
            "urban": urban,
            "distance_to_kecamatan_km": desa["distance_to_kecamatan_km"].round(2),
            "distance_to_regency_km": desa["distance_to_regency_km"].round(2),
            "has_market": has_market,
            "road_surface": road.tolist(),
            "main_commodity": commodity,
            "bumdes_active": [
                c in active if not k else False for c, k in zip(codes, kelurahan, strict=True)
            ],
            "cooperatives": np.array([coop_count.get(c, 0) for c in codes], dtype=np.int64),
            "village_fund": pl.Series(np.where(kelurahan, np.nan, fund)).fill_nan(None),
            "loci_2022": desa["loci_2022"],
            "loci_2023": desa["loci_2023"],
        }
    )
