"""Enterprises: UMKM, cooperatives and BUMDes, in two yearly snapshots (2023 and 2024).

* **Clusters** (Klaten): enterprises of the cluster's KBLI in the cluster's desa, as published in
  ``klaten_facts.yaml`` (pottery in Melikan and Bentangan, metal casting in Tegalrejo/Batur, lurik
  handlooms in Cawas and Bowan, batik in Jarum and Kebon, painted umbrellas in Tanjung, furniture in
  Juwiring, Sidowarno and Sajen, garments in Wedi, Pedan and Ngawen, Umbul Ponggok run by BUMDes
  Tirta Mandiri). Counts per desa come from the sources where given (≈225 potters in Melikan, 15
  production houses in Bentangan, a 237-unit casting cluster, 572 woodworking units in Sajen …),
  otherwise an assumption (:data:`CLUSTER_COUNTS`). Roof tiles in Cawas are in the brief but no
  source names the desa: two Cawas desa chosen by a stable hash carry an *assumed* genteng cluster.
* **Background UMKM** spread over all desa in proportion to population (urban ×1.3), KBLI drawn from
  a catalogue of 5-digit KBLI 2020 codes with urban and rural weights (trade, food processing, food
  stalls, farming, repair and personal services, transport, construction, crafts).
* **Size** (PP 7/2021): turnover log-normal by group, assets = turnover × a group ratio; the small
  and medium classes come from the tail. Workers grow with turnover. **Wages** (average of paid
  workers): micro ≈ 0.68 × UMK, small ≈ 0.92 × UMK, medium ≈ 1.05 × UMK, × sector factor and noise,
  never below 1.25 × the provincial poverty line (PP 36/2021 Pasal 36: micro and small are exempt from
  the UMK).
* **Cooperatives** in every desa (KSP, serba usaha or farmers' coop) and **BUMDes** in every desa
  that is not a kelurahan (20% inactive).
* **2024**: deaths (8% of micro, 3% of others), births (10%), growth of turnover, workers, wages
  (with the UMK), NIB registrations and KUR accesses; ``enterprise_id`` is stable across years.

Examples
--------
>>> nib = make_nibs(5, np.array([2019, 2022, 2023, 2024, 2018]), np.random.default_rng(0))
>>> [len(x) for x in nib], sorted({x[0] for x in nib})
([13, 13, 13, 13, 13], ['1', '9'])
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import polars as pl

from tuntas.params.loader import baseline
from tuntas.synth.arrays import keep
from tuntas.synth.calibrate import FloatArray, IntArray, largest_remainder
from tuntas.synth.names import BUSINESS_WORDS, person_names
from tuntas.synth.regions import KM_PER_DEG_LAT, KM_PER_DEG_LON_EQUATOR, Geography, points_in_rings
from tuntas.synth.rng import stable_hash

SIZE_DATE = "2024-06-30"
"""Date at which PP 7/2021 size limits and KUR access limits are read from the parameters."""
UMKM_PER_SNAPSHOT_KLATEN = 49000
"""UMKM (besides cooperatives and BUMDes) in the 2023 snapshot at full scale for Klaten (≈50,000 in all)."""
DEATH_RATE_MICRO = 0.08
DEATH_RATE_OTHER = 0.03
BIRTH_RATE = 0.10
OWNER_IN_REGISTRY_SHARE = 0.22
"""Share of sole-proprietor micro enterprises owned by a registry family of the same desa."""
EXTRA_COOPERATIVE_SHARE = 0.40
"""Besides one cooperative per desa, 40% of desa (urban ×1.5) have a second one."""
BUMDES_INACTIVE_SHARE = 0.20

# Group parameters: median turnover (Rp/yr), log-sd, asset/turnover ratio, turnover cap (Rp/yr).
_GROUPS: dict[str, tuple[float, float, float, float]] = {
    "trade": (72e6, 1.0, 0.35, 12e9),
    "food": (60e6, 1.0, 0.50, 10e9),
    "stall": (54e6, 0.9, 0.40, 3e9),
    "farm": (40e6, 1.0, 1.20, 10e9),
    "service": (36e6, 0.9, 0.60, 3e9),
    "transport": (30e6, 0.8, 2.00, 5e9),
    "construction": (90e6, 1.0, 0.50, 15e9),
    "craft": (80e6, 1.0, 0.80, 20e9),
    "tourism": (60e6, 1.0, 1.50, 20e9),
}

# (kbli, group, rural weight, urban weight, name prefix)
CATALOGUE: tuple[tuple[str, str, float, float, str], ...] = (
    ("47112", "trade", 0.140, 0.150, "Warung"),
    ("47811", "trade", 0.012, 0.008, "Lapak Palawija"),
    ("47821", "trade", 0.010, 0.012, "Lapak Beras"),
    ("47813", "trade", 0.040, 0.040, "Lapak Sayur"),
    ("47822", "trade", 0.030, 0.035, "Lapak Kue"),
    ("47829", "trade", 0.040, 0.045, "Lapak"),
    ("47832", "trade", 0.025, 0.035, "Lapak Pakaian"),
    ("47711", "trade", 0.012, 0.030, "Toko Pakaian"),
    ("47302", "trade", 0.030, 0.020, "Pangkalan"),
    ("47241", "trade", 0.020, 0.020, "Toko Beras"),
    ("47521", "trade", 0.008, 0.015, "Toko Bangunan"),
    ("47243", "trade", 0.008, 0.010, "Toko"),
    ("46201", "trade", 0.012, 0.004, "UD"),
    ("47881", "trade", 0.008, 0.010, "Lapak Kerajinan"),
    ("47899", "trade", 0.010, 0.015, "Lapak"),
    ("10710", "food", 0.020, 0.025, "Roti"),
    ("10792", "food", 0.030, 0.030, "Kue"),
    ("10794", "food", 0.030, 0.020, "Keripik"),
    ("10391", "food", 0.015, 0.010, "Tempe"),
    ("10392", "food", 0.015, 0.010, "Tahu"),
    ("10750", "food", 0.008, 0.015, "Katering"),
    ("10722", "food", 0.003, 0.000, "Gula Jawa"),
    ("10631", "food", 0.008, 0.002, "Penggilingan Padi"),
    ("11040", "food", 0.002, 0.004, "Minuman"),
    ("10762", "food", 0.002, 0.003, "Jamu"),
    ("56102", "stall", 0.050, 0.080, "Warung Makan"),
    ("56103", "stall", 0.015, 0.030, "Kedai"),
    ("56104", "stall", 0.020, 0.020, "Angkringan"),
    ("56303", "stall", 0.012, 0.025, "Wedangan"),
    ("56306", "stall", 0.005, 0.005, "Es"),
    ("01122", "farm", 0.030, 0.004, "Tani"),
    ("01131", "farm", 0.012, 0.002, "Kebun Sayur"),
    ("01411", "farm", 0.020, 0.002, "Ternak Sapi"),
    ("01441", "farm", 0.010, 0.001, "Ternak Domba"),
    ("01463", "farm", 0.010, 0.002, "Ternak Ayam"),
    ("01461", "farm", 0.006, 0.001, "Kandang Ayam"),
    ("03221", "farm", 0.014, 0.003, "Kolam Ikan"),
    ("45407", "service", 0.025, 0.035, "Bengkel"),
    ("96111", "service", 0.008, 0.015, "Pangkas Rambut"),
    ("96112", "service", 0.008, 0.018, "Salon"),
    ("96200", "service", 0.005, 0.018, "Laundry"),
    ("95120", "service", 0.004, 0.010, "Servis HP"),
    ("82190", "service", 0.003, 0.008, "Fotokopi"),
    ("14120", "service", 0.012, 0.012, "Penjahit"),
    ("85495", "service", 0.002, 0.006, "Bimbel"),
    ("96990", "service", 0.004, 0.006, "Jasa"),
    ("49424", "transport", 0.012, 0.018, "Ojek"),
    ("49431", "transport", 0.010, 0.008, "Angkutan"),
    ("49422", "transport", 0.004, 0.006, "Rental"),
    ("41011", "construction", 0.012, 0.010, "Pemborong"),
    ("43303", "construction", 0.004, 0.004, "Jasa Cat"),
    ("43211", "construction", 0.004, 0.004, "Instalasi Listrik"),
    ("31001", "craft", 0.012, 0.008, "Mebel"),
    ("14111", "craft", 0.010, 0.012, "Konveksi"),
    ("16291", "craft", 0.008, 0.002, "Anyaman Bambu"),
    ("23921", "craft", 0.012, 0.001, "Batu Bata"),
    ("16101", "craft", 0.004, 0.001, "Penggergajian"),
    ("25931", "craft", 0.004, 0.002, "Pandai Besi"),
    ("32909", "craft", 0.006, 0.006, "Kerajinan"),
    ("13134", "craft", 0.003, 0.003, "Batik"),
    ("25999", "craft", 0.003, 0.004, "Las"),
    ("15201", "craft", 0.002, 0.002, "Sandal"),
    ("55130", "tourism", 0.002, 0.004, "Homestay"),
)
"""Background UMKM lines of business (5-digit KBLI 2020 codes; weights are assumptions)."""

_SECTOR_WAGE = {"A": 0.80, "G": 0.90, "I": 0.85, "C": 1.00, "F": 1.15, "H": 1.00, "S": 0.90}

CLUSTER_COUNTS: dict[tuple[str, str], int] = {
    (
        "33.10.03.2006",
        "23932",
    ): 200,  # Melikan: ~225 crafters, over 200 households (TribunSolo 2025)
    ("33.10.15.2015", "23932"): 15,  # Bentangan: about 15 production houses (Tribun Jateng 2023)
    ("33.10.11.2015", "24310"): 237,  # Batur/Tegalrejo: 237-unit casting cluster (blog 2012)
    ("33.10.05.2016", "13121"): 50,  # Tlingsing: ~250 weavers ≈ 50 workshops of 5 (assumption)
    ("33.10.16.2005", "13121"): 1,  # Bowan: Yoga Art workshop with 60 weavers (Jogja TV)
    ("33.10.04.2004", "13134"): 60,  # Jarum: largest batik tulis producer (assumption on count)
    ("33.10.04.2015", "13134"): 25,
    ("33.10.14.2010", "32909"): 10,  # Tanjung: 10 painters of paguyuban Ngudi Rahayu (Antara 2021)
    ("33.10.06.2008", "31001"): 572,  # Sajen: 572 woodworking units (Kompasiana 2024)
    (
        "33.10.17.2011",
        "93221",
    ): 6,  # Ponggok: private spring operators besides the BUMDes (assumption)
}
"""Cluster enterprises per (desa, KBLI): sourced where noted, else :data:`DEFAULT_CLUSTER_COUNT`."""
DEFAULT_CLUSTER_COUNT = 30
WORKERS_OVERRIDE = {("33.10.16.2005", "13121"): 60}
"""A cluster whose single workshop's workforce is published (Yoga Art, Bowan: 60 weavers)."""
ASSUMED_GENTENG_DESA = 2
"""Roof-tile (genteng, KBLI 23922) cluster in Cawas: desa not published; 2 desa × 40 enterprises assumed."""
ASSUMED_GENTENG_COUNT = 40

ASSUMPTIONS = (
    f"Enterprises: {UMKM_PER_SNAPSHOT_KLATEN:,} UMKM in 2023 at full scale for Klaten (the brief's "
    "≈50,000 per snapshot incl. cooperatives and BUMDes), spread by desa population (urban ×1.3) over "
    f"a catalogue of {len(CATALOGUE)} KBLI codes; cluster enterprises in the published cluster "
    "desa (counts from the "
    f"sources where given, else {DEFAULT_CLUSTER_COUNT} per desa).",
    f"Genteng (roof-tile) cluster in Cawas: no source names the desa; {ASSUMED_GENTENG_DESA} Cawas desa "
    f"picked by a stable hash carry {ASSUMED_GENTENG_COUNT} tile makers each (assumption).",
    "Turnover log-normal by group (median Rp 30–90 juta/yr), 1.5% 'established' firms ×15, capped "
    "by group (Rp 3 miliar for stalls and services … 20 miliar for crafts); assets = "
    "turnover × group ratio (0.35 trade … 2.0 transport); workers 1 + Poisson(0.9·(turnover/60 "
    "juta)^0.55); wages micro 0.68×UMK, small 0.92×UMK, medium 1.05×UMK × sector factor × "
    "log-normal(0.28), floored at 1.25 × the provincial poverty line (PP 36/2021 Pasal 36).",
    "NIB: 33% of micro (+20 pts above Rp 300 juta turnover), 90% small, 98% medium, +15 pts in "
    "clusters, 85% of cooperatives, 70% of BUMDes; first digit 9 before 2021 (OSS 1.1), 1 after "
    "(OSS RBA). KUR: P(any) = 0.10 + 0.15·NIB (+0.05 farming), 1 + geometric accesses, at most "
    "the KUR mikro limits of Permenko 1/2023 (4 in farming, 2 elsewhere; parameters).",
    f"2024 snapshot: deaths {DEATH_RATE_MICRO:.0%} micro / {DEATH_RATE_OTHER:.0%} others, births "
    f"{BIRTH_RATE:.0%}, turnover × exp(N(0.06, 0.25²)), wages follow the UMK, 10% of those without "
    "NIB register, 7% get one more KUR.",
    f"{OWNER_IN_REGISTRY_SHARE:.0%} of sole-proprietor micro enterprises are owned by a registry "
    "family of the same desa; one cooperative in every desa (plus a second in "
    f"{EXTRA_COOPERATIVE_SHARE:.0%}), one BUMDes in every desa that is not a kelurahan "
    f"({BUMDES_INACTIVE_SHARE:.0%} inactive).",
)


@dataclass(frozen=True)
class WageContext:
    """UMK and the wage floor (Rp/month) for a snapshot year."""

    year: int
    umk: float
    floor: float


def make_nibs(n: int, registered_year: IntArray, rng: np.random.Generator) -> np.ndarray:
    """``n`` unique 13-digit NIBs; those registered from 2021 start with 1, earlier ones with 9."""
    numbers = rng.integers(0, 10**12, n)
    for _ in range(10):
        _, first = np.unique(numbers, return_index=True)
        dup = np.setdiff1d(np.arange(n), first)
        if dup.size == 0:
            break
        numbers[dup] = rng.integers(0, 10**12, dup.size)
    prefix = np.where(registered_year >= 2021, "1", "9")
    body = pl.Series(numbers).cast(pl.Utf8).str.zfill(12).to_numpy()
    return (prefix.astype(object) + body.astype(object)).astype(object)


def _jitter(
    geo: Geography, desa_idx: IntArray, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray]:
    """Points inside each desa: centroid + normal jitter (SD ≈ 0.3·√area), kept inside the polygon."""
    desa = geo.desa
    lat0 = desa["lat"].fill_null(np.nan).to_numpy()[desa_idx]
    lon0 = desa["lon"].fill_null(np.nan).to_numpy()[desa_idx]
    area = desa["area_km2"].fill_null(4.0).to_numpy()[desa_idx]
    level = desa["centroid_level"].to_numpy()[desa_idx]
    sd_km = np.where(level == "desa_kelurahan", 0.3 * np.sqrt(area), 1.5)
    dlat = rng.normal(0, 1, desa_idx.size) * sd_km / KM_PER_DEG_LAT
    dlon = (
        rng.normal(0, 1, desa_idx.size)
        * sd_km
        / (KM_PER_DEG_LON_EQUATOR * np.cos(np.radians(np.nan_to_num(lat0))))
    )
    lat = lat0 + dlat
    lon = lon0 + dlon
    codes = desa["code"].to_numpy()
    for d in np.unique(desa_idx):
        rings = geo.polygons.get(str(codes[d]))
        if not rings:
            continue
        mask = desa_idx == d
        for shrink in (0.5, 0.25, 0.0):
            inside = points_in_rings(lon[mask], lat[mask], rings)
            if inside.all():
                break
            sub = np.flatnonzero(mask)[~inside]
            lat[sub] = lat0[sub] + dlat[sub] * shrink
            lon[sub] = lon0[sub] + dlon[sub] * shrink
    return np.round(lat, 6), np.round(lon, 6)


def _sizes(
    group: np.ndarray, rng: np.random.Generator, scale_up: FloatArray | None = None
) -> tuple[FloatArray, FloatArray]:
    n = group.size
    median = np.array([_GROUPS[g][0] for g in group])
    sd = np.array([_GROUPS[g][1] for g in group])
    ratio = np.array([_GROUPS[g][2] for g in group])
    cap = np.array([_GROUPS[g][3] for g in group])
    established = rng.random(n) < 0.015
    turnover = median * np.exp(rng.normal(0, 1, n) * sd) * np.where(established, 15.0, 1.0)
    if scale_up is not None:
        turnover = turnover * scale_up
    turnover = np.minimum(turnover, cap)
    assets = turnover * ratio * np.exp(rng.normal(0, 0.6, n))
    return np.round(turnover, -4), np.round(assets, -4)


@cache
def size_limits() -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """PP 7/2021 upper limits (Rp): annual sales and capital for micro, small, medium."""
    params = baseline()
    classes = ("micro", "small", "medium")
    sales = [float(params.value(f"enterprise_size.{c}.max_sales", date=SIZE_DATE)) for c in classes]
    capital = [
        float(params.value(f"enterprise_size.{c}.max_capital", date=SIZE_DATE)) for c in classes
    ]
    return (sales[0], sales[1], sales[2]), (capital[0], capital[1], capital[2])


@cache
def kur_access_limits() -> tuple[int, int]:
    """KUR mikro access limits (Permenko 1/2023): (production sectors, other sectors)."""
    params = baseline()
    production = int(params.value("kur.mikro.max_accesses_production", date=SIZE_DATE))
    other = int(params.value("kur.mikro.max_accesses_non_production", date=SIZE_DATE))
    return production, other


def _kur_cap(sector: np.ndarray) -> IntArray:
    production, other = kur_access_limits()
    return np.where(sector == "A", production, other).astype(np.int64)


def size_class(turnover: FloatArray, assets: FloatArray) -> np.ndarray:
    """PP 7/2021 class from annual sales and capital excluding land and buildings.

    Micro: capital ≤ Rp 1 miliar and sales ≤ Rp 2 miliar; small: ≤ 5 / 15 miliar; medium: ≤ 10 / 50
    miliar; above: large (limits from ``params/data/enterprise_size.yaml``). The larger of the two
    classes is taken.

    >>> size_class(np.array([1e8, 3e9, 6e10]), np.array([5e7, 5e8, 1e9])).tolist()
    ['mikro', 'kecil', 'besar']
    """
    sales, capital = size_limits()
    by_sales = np.searchsorted(np.array(sales), turnover, side="left")
    by_capital = np.searchsorted(np.array(capital), assets, side="left")
    classes = np.array(["mikro", "kecil", "menengah", "besar"], dtype=object)
    return classes[np.maximum(by_sales, by_capital)]


def _workers(turnover: FloatArray, rng: np.random.Generator) -> IntArray:
    lam = 0.9 * np.power(np.maximum(turnover, 1.0) / 60e6, 0.55)
    return (1 + rng.poisson(np.minimum(lam, 400.0))).astype(np.int64)


def _wages(
    workers: IntArray,
    cls: np.ndarray,
    sector: np.ndarray,
    wages: WageContext,
    rng: np.random.Generator,
) -> FloatArray:
    level = np.where(cls == "mikro", 0.68, np.where(cls == "kecil", 0.92, 1.05))
    factor = np.array([_SECTOR_WAGE.get(s, 0.95) for s in sector])
    wage = wages.umk * level * factor * np.exp(rng.normal(0, 0.28, workers.size))
    wage = np.maximum(wage, wages.floor)
    wage = np.where(cls == "menengah", np.maximum(wage, wages.umk), wage)
    return np.where(workers > 1, np.round(wage, -4), np.nan)


def _established(year: int, age_years: FloatArray, rng: np.random.Generator) -> np.ndarray:
    days = np.round(age_years * 365.25).astype("int64")
    snapshot = np.datetime64(f"{year}-06-30", "D")
    return snapshot - days.astype("timedelta64[D]")


def _business_names(prefix: np.ndarray, legal: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = prefix.size
    words = np.array(BUSINESS_WORDS, dtype=object)[rng.integers(0, len(BUSINESS_WORDS), n)]
    sex = np.where(rng.random(n) < 0.5, "L", "P")
    owners = person_names(sex, rng.integers(1955, 2000, n), rng)
    first = np.array([o.split(" ")[0] for o in owners], dtype=object)
    honorific = np.where(sex == "P", "Bu ", "Pak ").astype(object)
    use_owner = rng.random(n) < 0.4
    core = np.where(use_owner, prefix + " " + honorific + first, prefix + " " + words)
    legal_prefix = np.array(
        [{"ud": "UD ", "cv": "CV ", "pt": "PT ", "firma": "Firma "}.get(x, "") for x in legal],
        dtype=object,
    )
    return np.where(legal_prefix != "", legal_prefix + words, core)


def _legal_forms(cls: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    u = rng.random(cls.size)
    micro = np.where(
        u < 0.90, "perorangan", np.where(u < 0.97, "ud", np.where(u < 0.99, "cv", "firma"))
    )
    small = np.where(
        u < 0.35, "perorangan", np.where(u < 0.60, "ud", np.where(u < 0.90, "cv", "pt"))
    )
    medium = np.where(u < 0.4, "cv", "pt")
    return np.where(cls == "mikro", micro, np.where(cls == "kecil", small, medium)).astype(object)


def _kur(nib: np.ndarray, sector: np.ndarray, rng: np.random.Generator) -> IntArray:
    has = np.array([x is not None for x in nib])
    p = 0.10 + 0.15 * has + 0.05 * (sector == "A")
    any_ = rng.random(nib.size) < p
    count = 1 + rng.geometric(0.55, nib.size) - 1
    cap = _kur_cap(sector)
    return np.where(any_, np.minimum(count, cap), 0).astype(np.int64)


def build_enterprises(
    geo: Geography,
    *,
    desa_population: FloatArray,
    registry_households: pl.DataFrame,
    clusters: list[tuple[str, str, str]],
    scale: float,
    wages_2023: WageContext,
    wages_2024: WageContext,
    rng: np.random.Generator,
) -> pl.DataFrame:
    """Both snapshots of the enterprises table (canonical columns, 2023 rows then 2024 rows).

    ``clusters`` lists ``(cluster name, kbli, desa code)``; ``registry_households`` needs
    ``household_id, desa_index``.
    """
    desa = geo.desa
    n_desa = desa.height
    codes = desa["code"].to_list()
    index = {c: i for i, c in enumerate(codes)}
    urban = desa["urban"].to_numpy()
    ratio = geo.population / 1302648

    # ---- cluster enterprises
    c_desa: list[int] = []
    c_kbli: list[str] = []
    c_name: list[str] = []
    c_workers: list[int] = []
    for name, cluster_kbli, code in clusters:
        if code not in index:
            continue
        default = ASSUMED_GENTENG_COUNT if cluster_kbli == "23922" else DEFAULT_CLUSTER_COUNT
        count = CLUSTER_COUNTS.get((code, cluster_kbli), default)
        k = max(1, round(count * scale)) if count > 1 else 1
        c_desa.extend([index[code]] * k)
        c_kbli.extend([cluster_kbli] * k)
        c_name.extend([name] * k)
        c_workers.extend([WORKERS_OVERRIDE.get((code, cluster_kbli), 0)] * k)

    # ---- background UMKM
    n_background = max(round(UMKM_PER_SNAPSHOT_KLATEN * ratio * scale) - len(c_desa), 0)
    weight = desa_population * np.where(urban, 1.3, 1.0)
    per_desa = largest_remainder(weight, n_background)
    b_desa = np.repeat(np.arange(n_desa), per_desa)
    rural_w = np.array([c[2] for c in CATALOGUE])
    urban_w = np.array([c[3] for c in CATALOGUE])
    pick = np.empty(b_desa.size, dtype=np.int64)
    is_urban = urban[b_desa]
    for mask, w in ((is_urban, urban_w), (~is_urban, rural_w)):
        cum = np.cumsum(w / w.sum())
        pick[mask] = np.minimum(
            np.searchsorted(cum, rng.random(int(mask.sum()))), len(CATALOGUE) - 1
        )
    kbli_cat = np.array([c[0] for c in CATALOGUE], dtype=object)

    desa_idx = np.concatenate([np.array(c_desa, dtype=np.int64), b_desa])
    kbli = np.concatenate([np.array(c_kbli, dtype=object), kbli_cat[pick]])
    cluster_of: dict[str, str] = {k: g for k, g, _, _, _ in CATALOGUE}
    group = np.array([cluster_of.get(k, "craft") for k in kbli], dtype=object)
    group[kbli == "93221"] = "tourism"
    prefix_of = {c[0]: c[4] for c in CATALOGUE} | {
        "23932": "Gerabah", "24310": "Cor Logam", "13121": "Lurik", "13134": "Batik", "32909": "Payung",
        "31001": "Mebel", "14111": "Konveksi", "93221": "Umbul", "23922": "Genteng",
    }  # fmt: skip
    prefix = np.array([prefix_of.get(k, "Usaha") for k in kbli], dtype=object)
    cluster = np.concatenate(
        [np.array(c_name, dtype=object), np.full(b_desa.size, None, dtype=object)]
    )
    override = np.concatenate(
        [np.array(c_workers, dtype=np.int64), np.zeros(b_desa.size, dtype=np.int64)]
    )
    n = desa_idx.size
    sector = np.array([_sector_of(k) for k in kbli], dtype=object)

    turnover, assets = _sizes(group, rng, scale_up=np.where(override > 0, 20.0, 1.0))
    cls = size_class(turnover, assets)
    workers = np.where(override > 0, override, _workers(turnover, rng))
    legal = _legal_forms(cls, rng)
    age = rng.exponential(8.0, n) + 0.5 + np.where(cluster != None, 8.0, 0.0)  # noqa: E711
    age = np.minimum(age, 45.0)
    established = _established(2023, age, rng)
    est_year = established.astype("datetime64[Y]").astype(np.int64) + 1970
    p_nib = np.where(
        cls == "mikro", 0.33 + 0.20 * (turnover > 3e8), np.where(cls == "kecil", 0.90, 0.98)
    )
    p_nib = p_nib + 0.15 * (cluster != None)  # noqa: E711
    has_nib = rng.random(n) < p_nib
    reg_year = np.maximum(est_year, 2018 + rng.integers(0, 6, n))
    nib_all = make_nibs(n, reg_year, rng)
    nib = keep(has_nib, nib_all)
    kur = _kur(nib, sector, rng)
    names = _business_names(prefix, legal, rng)

    # owners from the registry, same desa
    reg_desa = registry_households["desa_index"].to_numpy()
    reg_ids = registry_households["household_id"].to_numpy()
    order = np.argsort(reg_desa, kind="stable")
    counts = np.bincount(reg_desa, minlength=n_desa)
    starts = np.concatenate([[0], np.cumsum(counts)])
    wants = (legal == "perorangan") & (cls == "mikro") & (rng.random(n) < OWNER_IN_REGISTRY_SHARE)
    wants &= counts[desa_idx] > 0
    offset = (rng.random(n) * np.maximum(counts[desa_idx], 1)).astype(np.int64)
    owner = np.full(n, None, dtype=object)
    owner[wants] = reg_ids[order[starts[desa_idx[wants]] + offset[wants]]]

    lat, lon = _jitter(geo, desa_idx, rng)
    serial = _serial_within(desa_idx)
    ids = np.array(
        [f"U{codes[d].replace('.', '')}-{s:04d}" for d, s in zip(desa_idx, serial, strict=True)],
        dtype=object,
    )
    umkm = pl.DataFrame(
        {
            "enterprise_id": ids.tolist(),
            "nib": pl.Series(nib.tolist(), dtype=pl.Utf8),
            "name": names.tolist(),
            "legal_form": legal.tolist(),
            "kbli": kbli.tolist(),
            "region_code": [codes[d] for d in desa_idx],
            "lat": lat,
            "lon": lon,
            "workers": workers,
            "turnover_year": turnover,
            "assets": assets,
            "established": pl.Series(established).cast(pl.Date),
            "cluster": pl.Series(cluster.tolist(), dtype=pl.Utf8),
            "is_cooperative": np.zeros(n, dtype=bool),
            "members": pl.Series([None] * n, dtype=pl.Int64),
            "kur_accesses": kur,
            "owner_household_id": pl.Series(owner.tolist(), dtype=pl.Utf8),
            "_class": cls.tolist(),
            "_sector": sector.tolist(),
        }
    )
    umkm = umkm.with_columns(
        pl.Series("wage_month", _wages(workers, cls, sector, wages_2023, rng)).fill_nan(None)
    )
    base = pl.concat(
        [umkm, _cooperatives(geo, scale, wages_2023, rng), _bumdes(geo, wages_2023, rng)],
        how="diagonal_relaxed",
    )
    y2023 = base.with_columns(pl.lit(2023, dtype=pl.Int64).alias("year"))
    y2024 = _next_year(y2023, geo, desa_population, wages_2024, wages_2023, rng)
    frame = pl.concat([y2023, y2024], how="diagonal_relaxed")
    return _unique_nibs(frame, rng)


def _unique_nibs(frame: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Give a fresh NIB to any enterprise whose NIB (drawn independently) another one already has."""
    pairs = frame.filter(pl.col("nib").is_not_null()).select("enterprise_id", "nib").unique()
    pairs = pairs.sort(["nib", "enterprise_id"])
    clash = pairs.filter(pl.int_range(pl.len()).over("nib") > 0)
    if clash.height == 0:
        return frame
    taken = set(pairs["nib"].to_list())
    fresh: list[str] = []
    while len(fresh) < clash.height:
        for nib in make_nibs(clash.height, np.full(clash.height, 2024), rng):
            if nib not in taken and len(fresh) < clash.height:
                taken.add(nib)
                fresh.append(str(nib))
    swap = clash.with_columns(pl.Series("new_nib", fresh))
    return (
        frame.join(swap, on=["enterprise_id", "nib"], how="left")
        .with_columns(pl.coalesce("new_nib", "nib").alias("nib"))
        .drop("new_nib")
    )


def _sector_of(kbli: str) -> str:
    from tuntas.reference import category_of

    return category_of(kbli)


def _serial_within(desa_idx: IntArray) -> IntArray:
    order = np.argsort(desa_idx, kind="stable")
    sorted_idx = desa_idx[order]
    first = np.concatenate([[True], sorted_idx[1:] != sorted_idx[:-1]])
    group_start = np.maximum.accumulate(np.where(first, np.arange(sorted_idx.size), 0))
    serial_sorted = np.arange(sorted_idx.size) - group_start + 1
    serial = np.empty_like(serial_sorted)
    serial[order] = serial_sorted
    return serial


def _cooperatives(
    geo: Geography, scale: float, wages: WageContext, rng: np.random.Generator
) -> pl.DataFrame:
    desa = geo.desa
    codes = desa["code"].to_list()
    names = desa["name"].to_list()
    urban = desa["urban"].to_numpy()
    n_desa = desa.height
    extra = rng.random(n_desa) < np.minimum(
        EXTRA_COOPERATIVE_SHARE * np.where(urban, 1.5, 1.0) * min(scale * 1.0, 1.0), 1.0
    )
    desa_idx = np.concatenate([np.arange(n_desa), np.flatnonzero(extra)])
    number = np.concatenate(
        [np.ones(n_desa, dtype=np.int64), np.full(int(extra.sum()), 2, dtype=np.int64)]
    )
    kinds: list[str] = []
    u = rng.random(desa_idx.size)
    for d, x in zip(desa_idx, u, strict=True):
        if urban[d]:
            kinds.append("ksp" if x < 0.6 else "konsumen")
        else:
            kinds.append("ksp" if x < 0.45 else ("serba_usaha" if x < 0.75 else "tani"))
    kind = np.array(kinds, dtype=object)
    kbli = np.select([kind == "ksp", kind == "tani"], ["64141", "46201"], default="47112").astype(
        object
    )
    words = np.array(BUSINESS_WORDS, dtype=object)[
        rng.integers(0, len(BUSINESS_WORDS), desa_idx.size)
    ]
    desa_names = np.array(names, dtype=object)[desa_idx]
    label = np.select(
        [kind == "ksp", kind == "tani", kind == "konsumen"],
        ["KSP " + words, "Koperasi Tani " + desa_names, "Koperasi Konsumen " + words],
        default="Koperasi Serba Usaha " + desa_names,
    ).astype(object)
    cluster = np.full(desa_idx.size, None, dtype=object)
    # Koperasi Batur Jaya, the metal-casting cooperative of Batur (Tegalrejo, Ceper)
    batur = "33.10.11.2015"
    if batur in codes:
        i = codes.index(batur)
        desa_idx = np.append(desa_idx, i)
        number = np.append(number, int(number[desa_idx[:-1] == i].max()) + 1)
        kind = np.append(kind, "produsen")
        kbli = np.append(kbli, "24310")
        label = np.append(label, "Koperasi Batur Jaya")
        cluster = np.append(cluster, "Pengecoran logam Batur, Ceper")
    n = desa_idx.size
    members = np.maximum(np.round(np.exp(rng.normal(np.log(90.0), 0.8, n))), 20).astype(np.int64)
    turnover = np.round(members * 2.5e6 * np.exp(rng.normal(0, 0.6, n)), -4)
    assets = np.round(turnover * 1.4 * np.exp(rng.normal(0, 0.4, n)), -4)
    workers = (1 + rng.poisson(1.5, n)).astype(np.int64)
    cls = size_class(turnover, assets)
    sector = np.array([_sector_of(k) for k in kbli], dtype=object)
    age = np.minimum(rng.exponential(15.0, n) + 1.0, 60.0)
    established = _established(2023, age, rng)
    has_nib = rng.random(n) < 0.85
    reg_year = np.maximum(
        established.astype("datetime64[Y]").astype(np.int64) + 1970, 2018 + rng.integers(0, 6, n)
    )
    nib = keep(has_nib, make_nibs(n, reg_year, rng))
    lat, lon = _jitter(geo, desa_idx, rng)
    return pl.DataFrame(
        {
            "enterprise_id": [
                f"KOP{codes[d].replace('.', '')}-{k:02d}"
                for d, k in zip(desa_idx, number, strict=True)
            ],
            "nib": pl.Series(nib.tolist(), dtype=pl.Utf8),
            "name": label.tolist(),
            "legal_form": ["koperasi"] * n,
            "kbli": kbli.tolist(),
            "region_code": [codes[d] for d in desa_idx],
            "lat": lat,
            "lon": lon,
            "workers": workers,
            "turnover_year": turnover,
            "assets": assets,
            "established": pl.Series(established).cast(pl.Date),
            "cluster": pl.Series(cluster.tolist(), dtype=pl.Utf8),
            "is_cooperative": np.ones(n, dtype=bool),
            "members": members,
            "wage_month": pl.Series(_wages(workers, cls, sector, wages, rng)).fill_nan(None),
            "kur_accesses": np.zeros(n, dtype=np.int64),
            "owner_household_id": pl.Series([None] * n, dtype=pl.Utf8),
            "_class": cls.tolist(),
            "_sector": sector.tolist(),
        }
    )


_BUMDES_LINES = (
    ("47112", 0.25, "toko desa"),
    ("36001", 0.18, "air bersih"),
    ("46201", 0.15, "pengadaan gabah"),
    ("47302", 0.12, "pangkalan LPG"),
    ("77392", 0.12, "sewa alat pertanian"),
    ("38110", 0.10, "pengelolaan sampah"),
    ("93299", 0.08, "wisata desa"),
)


def _bumdes(geo: Geography, wages: WageContext, rng: np.random.Generator) -> pl.DataFrame:
    desa = geo.desa.with_row_index("i").filter(pl.col("kind") != "kelurahan")
    desa_idx = desa["i"].to_numpy().astype(np.int64)
    codes = geo.desa["code"].to_list()
    n = desa_idx.size
    cum = np.cumsum([w for _, w, _ in _BUMDES_LINES])
    line = np.minimum(np.searchsorted(cum / cum[-1], rng.random(n)), len(_BUMDES_LINES) - 1)
    kbli = np.array([_BUMDES_LINES[i][0] for i in line], dtype=object)
    words = np.array(BUSINESS_WORDS, dtype=object)[rng.integers(0, len(BUSINESS_WORDS), n)]
    name = ("BUMDes " + words + " " + np.array(desa["name"].to_list(), dtype=object)).astype(object)
    active = rng.random(n) >= BUMDES_INACTIVE_SHARE
    turnover = np.where(active, np.round(120e6 * np.exp(rng.normal(0, 0.9, n)), -4), 0.0)
    assets = np.round(np.maximum(turnover, 30e6) * 1.5 * np.exp(rng.normal(0, 0.5, n)), -4)
    workers = np.where(active, 1 + rng.poisson(2.5, n), 0).astype(np.int64)
    cluster = np.full(n, None, dtype=object)
    ponggok = "33.10.17.2011"
    if ponggok in codes:
        j = int(np.flatnonzero(desa_idx == codes.index(ponggok))[0])
        kbli[j], name[j], cluster[j] = (
            "93221",
            "BUMDes Tirta Mandiri",
            "Umbul Ponggok (BUMDes Tirta Mandiri)",
        )
        # income Rp 4.7 bn in 2015, Rp 16 bn managed in 2018 (Kontan); about Rp 12 bn/yr assumed
        turnover[j], assets[j], workers[j], active[j] = 12e9, 8e9, 110, True
    cls = size_class(turnover, assets)
    sector = np.array([_sector_of(k) for k in kbli], dtype=object)
    age = np.minimum(rng.exponential(5.0, n) + 1.0, 15.0)
    established = _established(2023, age, rng)
    has_nib = rng.random(n) < 0.70
    reg_year = np.maximum(
        established.astype("datetime64[Y]").astype(np.int64) + 1970, 2019 + rng.integers(0, 5, n)
    )
    nib = keep(has_nib, make_nibs(n, reg_year, rng))
    lat, lon = _jitter(geo, desa_idx, rng)
    return pl.DataFrame(
        {
            "enterprise_id": [f"BUM{codes[d].replace('.', '')}" for d in desa_idx],
            "nib": pl.Series(nib.tolist(), dtype=pl.Utf8),
            "name": name.tolist(),
            "legal_form": ["bumdes"] * n,
            "kbli": kbli.tolist(),
            "region_code": [codes[d] for d in desa_idx],
            "lat": lat,
            "lon": lon,
            "workers": workers,
            "turnover_year": turnover,
            "assets": assets,
            "established": pl.Series(established).cast(pl.Date),
            "cluster": pl.Series(cluster.tolist(), dtype=pl.Utf8),
            "is_cooperative": np.zeros(n, dtype=bool),
            "members": pl.Series([None] * n, dtype=pl.Int64),
            "wage_month": pl.Series(_wages(workers, cls, sector, wages, rng)).fill_nan(None),
            "kur_accesses": np.zeros(n, dtype=np.int64),
            "owner_household_id": pl.Series([None] * n, dtype=pl.Utf8),
            "_class": cls.tolist(),
            "_sector": sector.tolist(),
        }
    )


def _next_year(
    y2023: pl.DataFrame,
    geo: Geography,
    desa_population: FloatArray,
    wages: WageContext,
    previous: WageContext,
    rng: np.random.Generator,
) -> pl.DataFrame:
    """The 2024 snapshot: survivors grown one year, plus new enterprises."""
    n = y2023.height
    legal = y2023["legal_form"].to_numpy()
    cls = y2023["_class"].to_numpy()
    structural = np.isin(legal, ["koperasi", "bumdes"])
    p_death = np.where(
        structural, 0.0, np.where(cls == "mikro", DEATH_RATE_MICRO, DEATH_RATE_OTHER)
    )
    alive = rng.random(n) >= p_death
    old = y2023.filter(pl.Series(alive))
    m = old.height
    growth = np.exp(rng.normal(0.06, 0.25, m))
    turnover = np.round(old["turnover_year"].to_numpy() * growth, -4)
    assets = np.round(old["assets"].to_numpy() * np.exp(rng.normal(0.04, 0.15, m)), -4)
    workers_old = old["workers"].to_numpy()
    workers = np.where(
        workers_old > 0,
        np.maximum(1, np.round(workers_old * np.exp(rng.normal(0.02, 0.2, m)))),
        0,
    ).astype(np.int64)
    wage_old = old["wage_month"].fill_null(np.nan).to_numpy()
    sector = old["_sector"].to_numpy()
    new_cls = size_class(turnover, assets)
    fresh_wage = _wages(workers, new_cls, sector, wages, rng)
    umk_growth = wages.umk / previous.umk
    wage = np.where(
        np.isnan(wage_old),
        fresh_wage,
        np.round(wage_old * umk_growth * np.exp(rng.normal(0, 0.05, m)), -4),
    )
    wage = np.where(workers > 1, np.maximum(wage, wages.floor), np.nan)
    nib = old["nib"].to_numpy()
    gain = np.array([x is None for x in nib]) & (rng.random(m) < 0.10) & (legal[alive] != "bumdes")
    new_nibs = make_nibs(m, np.full(m, 2024), rng)
    nib = np.where(gain, new_nibs, nib)
    kur = old["kur_accesses"].to_numpy()
    cap = _kur_cap(sector)
    kur = np.where(~structural[alive] & (rng.random(m) < 0.07), np.minimum(kur + 1, cap), kur)
    members = old["members"].to_numpy()
    survivors = old.with_columns(
        pl.Series("turnover_year", turnover),
        pl.Series("assets", assets),
        pl.Series("workers", workers),
        pl.Series("wage_month", wage).fill_nan(None),
        pl.Series("nib", nib.tolist(), dtype=pl.Utf8),
        pl.Series("kur_accesses", kur.astype(np.int64)),
        pl.Series("members", members, dtype=pl.Int64)
        if old["members"].null_count() == m
        else (pl.col("members").cast(pl.Float64) * np.exp(rng.normal(0.02, 0.05, m)))
        .round(0)
        .cast(pl.Int64),
        pl.Series("_class", new_cls.tolist()),
        pl.lit(2024, dtype=pl.Int64).alias("year"),
    )

    # births
    umkm_2023 = int((~structural).sum())
    k = round(BIRTH_RATE * umkm_2023)
    desa = geo.desa
    urban = desa["urban"].to_numpy()
    per_desa = largest_remainder(desa_population * np.where(urban, 1.3, 1.0), k)
    desa_idx = np.repeat(np.arange(desa.height), per_desa)
    pick = np.empty(desa_idx.size, dtype=np.int64)
    is_urban = urban[desa_idx]
    for mask, col in ((is_urban, 3), (~is_urban, 2)):
        w = np.array([c[col] for c in CATALOGUE], dtype=np.float64)
        cum = np.cumsum(w / w.sum())
        pick[mask] = np.minimum(
            np.searchsorted(cum, rng.random(int(mask.sum()))), len(CATALOGUE) - 1
        )
    kbli = np.array([CATALOGUE[i][0] for i in pick], dtype=object)
    group = np.array([CATALOGUE[i][1] for i in pick], dtype=object)
    prefix = np.array([CATALOGUE[i][4] for i in pick], dtype=object)
    turnover_b, assets_b = _sizes(group, rng, scale_up=np.full(k, 0.6))
    cls_b = size_class(turnover_b, assets_b)
    workers_b = _workers(turnover_b, rng)
    legal_b = _legal_forms(cls_b, rng)
    sector_b = np.array([_sector_of(x) for x in kbli], dtype=object)
    established = _established(2024, rng.random(k) * 0.95, rng)
    nib_b = keep(rng.random(k) < 0.40, make_nibs(k, np.full(k, 2024), rng))
    kur_b = np.where(np.array([x is not None for x in nib_b]) & (rng.random(k) < 0.08), 1, 0)
    codes = desa["code"].to_list()
    last_serial = (
        y2023.filter(~pl.Series(structural))
        .group_by("region_code")
        .agg(pl.col("enterprise_id").str.slice(12, 4).cast(pl.Int64).max().alias("last"))
    )
    last = dict(
        zip(last_serial["region_code"].to_list(), last_serial["last"].to_list(), strict=True)
    )
    serial = _serial_within(desa_idx) + np.array(
        [last.get(codes[d], 0) for d in desa_idx], dtype=np.int64
    )
    lat, lon = _jitter(geo, desa_idx, rng)
    owner = np.full(k, None, dtype=object)
    births = pl.DataFrame(
        {
            "enterprise_id": [
                f"U{codes[d].replace('.', '')}-{s:04d}"
                for d, s in zip(desa_idx, serial, strict=True)
            ],
            "nib": pl.Series(nib_b.tolist(), dtype=pl.Utf8),
            "name": _business_names(prefix, legal_b, rng).tolist(),
            "legal_form": legal_b.tolist(),
            "kbli": kbli.tolist(),
            "region_code": [codes[d] for d in desa_idx],
            "lat": lat,
            "lon": lon,
            "workers": workers_b,
            "turnover_year": turnover_b,
            "assets": assets_b,
            "established": pl.Series(established).cast(pl.Date),
            "cluster": pl.Series([None] * k, dtype=pl.Utf8),
            "is_cooperative": np.zeros(k, dtype=bool),
            "members": pl.Series([None] * k, dtype=pl.Int64),
            "wage_month": pl.Series(_wages(workers_b, cls_b, sector_b, wages, rng)).fill_nan(None),
            "kur_accesses": kur_b.astype(np.int64),
            "owner_household_id": pl.Series(owner.tolist(), dtype=pl.Utf8),
            "_class": cls_b.tolist(),
            "_sector": sector_b.tolist(),
            "year": np.full(k, 2024, dtype=np.int64),
        }
    )
    return pl.concat([survivors, births], how="diagonal_relaxed")


def genteng_desa(geo: Geography) -> list[str]:
    """The two Cawas desa assumed to carry the roof-tile cluster (stable hash; no source names them)."""
    cawas = geo.desa.filter((pl.col("kecamatan_name") == "Cawas") & (pl.col("kind") != "kelurahan"))
    codes = sorted(cawas["code"].to_list(), key=lambda c: (stable_hash(f"genteng:{c}"), c))
    return codes[:ASSUMED_GENTENG_DESA]
