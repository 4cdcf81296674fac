"""Which sectors each desa or kecamatan can grow: specialisation wiring and the sector opportunity score.

**Sector key.** Enterprises are grouped by a *sector key*: their 5-digit KBLI code when that code
is a cluster KBLI anywhere in the region (a code carried by enterprises the data place in a
*sentra*, column ``cluster``, or flagged by :func:`~tuntas.economy.specialisation.detect_clusters`
on desa × 5-digit KBLI), else their 2-digit KBLI division (*golongan pokok*), else (a code given
only as a category letter) the category. So pottery (23932) is its own sector across the whole
regency and is not mixed with the rest of division 23; every other manufacturer stays in its
division. The key is the same in every desa, so location quotients compare like with like.

**Cells.** One cell per area r (desa or kecamatan) and sector s with at least one enterprise of s
within reach of r (:mod:`~tuntas.economy.labour`). A cell is *established* when r itself has at
least ``economy.opportunity.min_local_enterprises`` (3) enterprises of s; established cells rank
first (the question is which existing sectors can grow and scale up).

**Components**, from the two latest enterprise snapshots (base, final), workers by default:

* *specialisation*: the smoothed location quotient LQ*_rs = (e_rs + α)/(ê_rs + α), with
  ê_rs = e_r·E_s/E the workers expected at the region's sector mix and α =
  ``economy.opportunity.lq_prior_workers`` (10): the Poisson–gamma posterior mean of the relative
  rate (Clayton & Kaldor 1987, *Biometrics* 43: 671–681), which keeps a desa with 2–4 workers in a
  rare sector from outranking a real cluster; the reason line shows the ordinary LQ
  (:func:`~tuntas.economy.specialisation.location_quotient`);
* *cluster*: 1 when (r, s) is a cluster (detected with the thresholds ``economy.clusters.*``, or
  declared in the data's ``cluster`` column), else 0;
* *growth*: the shift-share regional shift of workers per worker, damped by α,
  RS_rs / ((e⁰_rs + e¹_rs)/2 + α) (:func:`~tuntas.economy.specialisation.shift_share`): growth
  beyond the region's own growth of the sector; missing where r has no enterprise of s in either
  snapshot;
* *labour intensity*: workers per Rp 1 miliar of annual turnover of s in the whole region (final
  snapshot, enterprises with a known positive turnover);
* *employment multiplier*: the Type I employment multiplier (``economy.opportunity.
  employment_multiplier``) of the BPS industry of s's KBLI category in the regional
  input-output table (:mod:`~tuntas.economy.regional_table`);
* *labour supply*: extreme-poor working-age persons within reach whose skills fit s
  (:mod:`~tuntas.economy.labour`);
* *absorptive capacity*: enterprises of s (incl. cooperatives and BUMDes) within reach.

**Normalisation** (``economy.opportunity.normalisation``, :func:`normalise`): each component but
the 0/1 cluster flag is mapped to [0, 1] by the *rank percentile over distinct values*,
p = (dense rank − 1)/(D − 1) with D distinct values (lowest 0, highest 1, ties equal; with one
distinct value a positive value gets 1, else 0), or ``min_max``. Missing values get 0 ("no
evidence, no points"). Labour supply is normalised among the areas of the same sector (a sector
without a skill profile counts everyone, a craft only its craftspeople, so the raw counts of two
sectors are not on one scale); the other components over all cells of the level.

**Score** = Σ_c w_c·p_c with the weights ``economy.opportunity.weights.*`` (dated parameters,
normalised to sum to 1), in [0, 1]. Each cell keeps every raw value, normalised value, weight and
contribution, and a one-line reason in Indonesian: "Gerabah (sentra): LQ 132.0, 182 usaha, 45
pencari kerja miskin ekstrem dalam 5 km" (the ordinary LQ of the area, the enterprises of the
sector in the area, the fitting extreme-poor labour within reach).

Examples
--------
>>> normalise([0.0, 0.0, 2.0, 5.0, 5.0, 9.0, None]).tolist()
[0.0, 0.0, 0.3333333333333333, 0.6666666666666666, 0.6666666666666666, 1.0, 0.0]
>>> normalise([0.0, 2.0, 10.0], method="min_max").tolist()
[0.0, 0.2, 1.0]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import ArrayLike

from tuntas.economy.iotable import BPS_SECTOR_CODES, IOTable
from tuntas.economy.labour import (
    SECTOR_PROFILES,
    SectorProfile,
    eligible_labour,
    labour_within_reach,
    reach_pairs,
)
from tuntas.economy.leontief import FloatArray
from tuntas.economy.multipliers import multiplier_table
from tuntas.economy.regional_table import (
    EmploymentEstimate,
    closure_income,
    national_employment,
    regency_employment,
    regional_io_table,
)
from tuntas.economy.sectors import kbli_bps17_map, with_kbli_category, with_kbli_division
from tuntas.economy.specialisation import detect_clusters, location_quotient, shift_share
from tuntas.params.loader import ParameterSet, ParameterValue, baseline
from tuntas.reference.geo import centroids
from tuntas.reference.kbli import kbli_item
from tuntas.reference.regions import name_of

LEVELS = ("desa", "kecamatan")
COMPONENTS = (
    "specialisation",
    "cluster",
    "growth",
    "labour_intensity",
    "employment_multiplier",
    "labour_supply",
    "absorptive_capacity",
)
"""The score's components, in display order."""

RAW_COLUMN = {
    "specialisation": "lq_smoothed",
    "cluster": "cluster_flag",
    "growth": "growth",
    "labour_intensity": "labour_intensity",
    "employment_multiplier": "employment_multiplier",
    "labour_supply": "labour_supply",
    "absorptive_capacity": "reach_enterprises",
}
"""The raw-value column of each component in :attr:`SectorAnalysis.scores`."""

COMPONENT_LABELS = {
    "specialisation": "spesialisasi (LQ pekerja)",
    "cluster": "sentra",
    "growth": "pertumbuhan (pergeseran wilayah per pekerja)",
    "labour_intensity": "padat karya (pekerja per Rp 1 miliar omzet)",
    "employment_multiplier": "pengganda tenaga kerja",
    "labour_supply": "pencari kerja miskin ekstrem yang cocok dalam jangkauan",
    "absorptive_capacity": "usaha sektor ini dalam jangkauan",
}
"""Indonesian names of the components, for reports."""

NORMALISATIONS = ("rank_percentile", "min_max")
WITHIN_SECTOR = ("labour_supply",)
"""Components normalised among the areas of the same sector (the others over all cells)."""
MULTIPLIERS = ("employment_type_i", "employment_type_ii")
COOPERATIVE_FORMS = ("koperasi",)


# ----------------------------------------------------------------------------------------------
# Settings from the parameters


@dataclass(frozen=True)
class Settings:
    """Every choice of the analysis, read from ``economy.*`` parameters (:meth:`from_params`).

    ``assumptions`` lists the parameter values marked ``assumption`` that were used, to be shown
    with every result.
    """

    weights: Mapping[str, float] = field(
        default_factory=lambda: {
            "specialisation": 0.25,
            "cluster": 0.10,
            "growth": 0.10,
            "labour_intensity": 0.10,
            "employment_multiplier": 0.10,
            "labour_supply": 0.20,
            "absorptive_capacity": 0.15,
        }
    )
    normalisation: str = "rank_percentile"
    multiplier: str = "employment_type_i"
    lq_prior_workers: float = 10.0
    min_local_enterprises: int = 3
    reach_km: float = 5.0
    respect_max_commute: bool = True
    min_age: int = 15
    max_age: int = 64
    activities: tuple[str, ...] = ("seeking", "housekeeping")
    agricultural_workers: bool = True
    lq_min: float = 3.0
    min_enterprises: int = 10
    min_share: float = 0.10
    flq_delta: float = 0.3
    employment_basis: str = "combined"
    enterprise_share_weight: float = 0.5
    type_ii_household_income: str = "value_added"
    assumptions: tuple[ParameterValue, ...] = ()
    used: tuple[ParameterValue, ...] = ()

    def __post_init__(self) -> None:
        unknown = sorted(set(self.weights) - set(COMPONENTS))
        if unknown:
            raise ValueError(f"unknown score components {unknown}; they are {list(COMPONENTS)}")
        if any(w < 0 for w in self.weights.values()) or sum(self.weights.values()) <= 0:
            raise ValueError("weights must be ≥ 0 and not all 0")
        if self.normalisation not in NORMALISATIONS:
            raise ValueError(f"normalisation must be one of {NORMALISATIONS}")
        if self.multiplier not in MULTIPLIERS:
            raise ValueError(f"multiplier must be one of {MULTIPLIERS}")
        if self.reach_km < 0:
            raise ValueError("reach_km must be ≥ 0")
        if self.lq_prior_workers < 0 or self.min_local_enterprises < 0:
            raise ValueError("lq_prior_workers and min_local_enterprises must be ≥ 0")

    @property
    def normalised_weights(self) -> dict[str, float]:
        """Weights divided by their sum (missing components weigh 0)."""
        total = sum(self.weights.values())
        return {c: float(self.weights.get(c, 0.0)) / total for c in COMPONENTS}

    @classmethod
    def from_params(
        cls,
        params: ParameterSet | None = None,
        *,
        region: str = "",
        date: dt.date | str | None = None,
    ) -> Settings:
        """Settings from the ``economy.*`` parameters valid for ``region`` on ``date``.

        Examples
        --------
        >>> s = Settings.from_params(region="33.10", date="2024-06-30")
        >>> s.reach_km, s.weights["specialisation"], s.flq_delta
        (5.0, 0.25, 0.3)
        >>> all(v.is_assumption for v in s.assumptions), len(s.used) > len(s.assumptions)
        (True, True)
        """
        source = params or baseline()
        used: list[ParameterValue] = []

        def get(path: str) -> Any:
            value = source.get(f"economy.{path}", region=region, date=date)
            used.append(value)
            return value.value

        weights = {c: float(get(f"opportunity.weights.{c}")) for c in COMPONENTS}
        settings = cls(
            weights=weights,
            normalisation=str(get("opportunity.normalisation")),
            multiplier=str(get("opportunity.employment_multiplier")),
            lq_prior_workers=float(get("opportunity.lq_prior_workers")),
            min_local_enterprises=int(get("opportunity.min_local_enterprises")),
            reach_km=float(get("labour.reach_km")),
            respect_max_commute=bool(get("labour.respect_max_commute")),
            min_age=int(get("labour.min_age")),
            max_age=int(get("labour.max_age")),
            activities=tuple(get("labour.activities")),
            agricultural_workers=bool(get("labour.agricultural_workers")),
            lq_min=float(get("clusters.lq_min")),
            min_enterprises=int(get("clusters.min_enterprises")),
            min_share=float(get("clusters.min_share")),
            flq_delta=float(get("regional_table.flq_delta")),
            employment_basis=str(get("regional_table.employment_basis")),
            enterprise_share_weight=float(get("regional_table.enterprise_share_weight")),
            type_ii_household_income=str(get("multipliers.type_ii_household_income")),
        )
        return cls(
            **{
                **{f: getattr(settings, f) for f in settings.__dataclass_fields__},
                "assumptions": tuple(v for v in used if v.is_assumption),
                "used": tuple(used),
            }
        )


# ----------------------------------------------------------------------------------------------
# Normalisation


def normalised(column: str, *, method: str = "rank_percentile", over: str | None = None) -> pl.Expr:
    """Polars expression mapping ``column`` to [0, 1] (see :func:`normalise`), optionally by group.

    ``over``: normalise within each group of that column (e.g. among the areas of one sector).

    Examples
    --------
    >>> frame = pl.DataFrame({"s": ["a", "a", "b", "b"], "v": [1.0, 3.0, 10.0, None]})
    >>> frame.select(normalised("v", over="s")).to_series().to_list()
    [0.0, 1.0, 1.0, 0.0]
    """
    if method not in NORMALISATIONS:
        raise ValueError(f"method must be one of {NORMALISATIONS}, not {method!r}")
    value = pl.col(column).cast(pl.Float64).fill_nan(None)

    def grouped(expression: pl.Expr) -> pl.Expr:
        return expression if over is None else expression.over(over)

    if method == "min_max":
        low, high = grouped(value.min()), grouped(value.max())
        result = (
            pl.when(high == low)
            .then((value > 0).cast(pl.Float64))
            .otherwise((value - low) / (high - low))
        )
    else:
        distinct = grouped(value.n_unique() - value.is_null().any().cast(pl.UInt32))
        rank = grouped(value.rank("dense"))
        result = (
            pl.when(distinct <= 1)
            .then((value > 0).cast(pl.Float64))
            .otherwise((rank.cast(pl.Float64) - 1) / (distinct.cast(pl.Float64) - 1))
        )
    return pl.when(value.is_null()).then(0.0).otherwise(result).alias(column)


def normalise(values: ArrayLike, *, method: str = "rank_percentile") -> FloatArray:
    """Map values to [0, 1]: dense rank percentile (default) or min–max; missing (None/NaN) → 0.

    * ``rank_percentile``: p = (dense rank − 1)/(D − 1), D the number of distinct values; the
      lowest value gets 0, the highest 1, equal values the same p;
    * ``min_max``: (v − min)/(max − min);
    * with no variation (one distinct value) there is nothing to compare: a positive value gets
      1 and zero or a negative value 0.

    Examples
    --------
    Values 0, 0, 2, 5, 5, 9: distinct 0 < 2 < 5 < 9 (D = 4), dense ranks 1, 1, 2, 3, 3, 4, so
    p = 0, 0, 1/3, 2/3, 2/3, 1.

    >>> normalise([0, 0, 2, 5, 5, 9]).round(4).tolist()
    [0.0, 0.0, 0.3333, 0.6667, 0.6667, 1.0]
    >>> normalise([3.0, None, 3.0]).tolist(), normalise([1, 3], method="min_max").tolist()
    ([1.0, 0.0, 1.0], [0.0, 1.0])
    >>> normalise([0, 0]).tolist()
    [0.0, 0.0]
    """
    array = np.array(
        [np.nan if v is None else v for v in np.asarray(values, dtype=object).ravel()],
        dtype=np.float64,
    )
    frame = pl.DataFrame({"v": array}).with_columns(pl.col("v").fill_nan(None))
    out: FloatArray = frame.select(normalised("v", method=method)).to_series().to_numpy()
    return out


# ----------------------------------------------------------------------------------------------
# Sector keys and specialisation wiring


def area_expression(level: str) -> pl.Expr:
    """The area code of an enterprise or household: its desa, or the kecamatan (first 8 chars).

    Examples
    --------
    >>> frame = pl.DataFrame({"region_code": ["33.10.03.2006"]})
    >>> frame.select(area_expression("kecamatan")).item()
    '33.10.03'
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    code = pl.col("region_code")
    return code if level == "desa" else code.str.slice(0, 8)


def cluster_kblis(
    enterprises: pl.DataFrame,
    *,
    lq_min: float = 3.0,
    min_enterprises: int = 10,
    min_share: float = 0.10,
) -> tuple[str, ...]:
    """5-digit KBLI codes that are clusters somewhere: declared (``cluster``) or detected by desa.

    Detection: :func:`~tuntas.economy.specialisation.detect_clusters` on desa × 5-digit KBLI
    workers of the latest snapshot, with the given thresholds.

    Examples
    --------
    >>> frame = pl.DataFrame({"region_code": ["D1"] * 12 + ["D2"] * 50,
    ...     "kbli": ["23932"] * 12 + ["47112"] * 50, "workers": [3] * 12 + [2] * 50,
    ...     "cluster": [None] * 62})
    >>> cluster_kblis(frame)
    ('23932',)
    """
    latest = enterprises
    if "year" in enterprises.columns and not enterprises.is_empty():
        latest = enterprises.filter(pl.col("year") == pl.col("year").max())
    five = latest.filter(pl.col("kbli").str.contains(r"^\d{5}$"))
    declared: set[str] = set()
    if "cluster" in enterprises.columns:
        declared = set(
            enterprises.filter(
                pl.col("cluster").is_not_null() & pl.col("kbli").str.contains(r"^\d{5}$")
            )["kbli"].to_list()
        )
    detected: set[str] = set()
    if not five.is_empty():
        found = detect_clusters(
            five,
            region="region_code",
            sector="kbli",
            value="workers",
            lq_min=lq_min,
            min_enterprises=min_enterprises,
            min_share=min_share,
        )
        detected = set(found.filter(pl.col("cluster"))["kbli"].to_list())
    return tuple(sorted(declared | detected))


def with_sector_keys(
    enterprises: pl.DataFrame, *, clusters: Sequence[str] = (), name: str = "sector"
) -> pl.DataFrame:
    """Add the sector key: the 5-digit KBLI if in ``clusters``, else the division, else the category.

    Examples
    --------
    >>> frame = pl.DataFrame({"kbli": ["23932", "23121", "47112", "C"]})
    >>> with_sector_keys(frame, clusters=["23932"])["sector"].to_list()
    ['23932', '23', '47', 'C']
    """
    code = pl.col("kbli")
    return (
        with_kbli_division(enterprises, name="_division")
        .with_columns(
            pl.when(code.is_in(list(clusters)))
            .then(code)
            .when(pl.col("_division").is_not_null())
            .then(pl.col("_division"))
            .otherwise(code.str.to_uppercase())
            .alias(name)
        )
        .drop("_division")
    )


@dataclass(frozen=True)
class Specialisation:
    """Location quotients, shift-share and clusters of one level and one sector grouping."""

    level: str
    by: str
    measure: str
    base_year: int | None
    final_year: int
    location_quotients: pl.DataFrame
    shift_share: pl.DataFrame | None
    clusters: pl.DataFrame


def snapshot_years(enterprises: pl.DataFrame) -> tuple[int | None, int]:
    """(base, final): the two latest snapshot years (base None when there is only one).

    Examples
    --------
    >>> snapshot_years(pl.DataFrame({"year": [2023, 2024, 2024]}))
    (2023, 2024)
    """
    years = sorted({int(y) for y in enterprises["year"].unique().to_list()})
    if not years:
        raise ValueError("no enterprises")
    return (years[-2] if len(years) > 1 else None), years[-1]


def specialisation(
    enterprises: pl.DataFrame,
    *,
    level: str = "desa",
    by: str = "category",
    measure: str = "workers",
    clusters: Sequence[str] | None = None,
    lq_min: float = 3.0,
    min_enterprises: int = 10,
    min_share: float = 0.10,
) -> Specialisation:
    """LQ of each desa/kecamatan against the region, shift-share between snapshots, clusters.

    Parameters
    ----------
    enterprises : pl.DataFrame
        Canonical enterprises with ``year, kbli, region_code`` and ``measure``.
    level : {"desa", "kecamatan"}, keyword-only
    by : {"category", "division", "sector"}, keyword-only
        KBLI category letter, 2-digit division (the category letter when only a letter is
        known), or the sector key of :func:`with_sector_keys`.
    measure : {"workers", "turnover_year"}, keyword-only
        e_rs: workers (persons) or annual turnover (Rp); null turnovers count as 0.
    clusters : sequence of str, optional
        Cluster KBLI codes for ``by="sector"`` (default :func:`cluster_kblis`).
    lq_min, min_enterprises, min_share : keyword-only
        Cluster thresholds (:func:`~tuntas.economy.specialisation.detect_clusters`).

    Returns
    -------
    Specialisation
        ``location_quotients`` and ``clusters`` of the final (latest) snapshot, ``shift_share``
        between the two latest snapshots (None with one snapshot); the area column is ``area``
        and the sector column ``sector``.

    Examples
    --------
    >>> frame = pl.DataFrame({"year": [2023, 2024, 2023, 2024],
    ...     "region_code": ["33.10.03.2006", "33.10.03.2006", "33.10.11.2015", "33.10.11.2015"],
    ...     "kbli": ["23932", "23932", "47112", "47112"], "workers": [3, 5, 2, 2]})
    >>> s = specialisation(frame, level="kecamatan", by="division")
    >>> s.location_quotients.select("area", "sector", pl.col("lq").round(4)).rows()
    [('33.10.03', '23', 1.4), ('33.10.11', '47', 3.5)]
    >>> s.shift_share.select("area", "change").rows()
    [('33.10.03', 2.0), ('33.10.11', 0.0)]
    """
    if by not in ("category", "division", "sector"):
        raise ValueError(f"by must be 'category', 'division' or 'sector', not {by!r}")
    if measure not in ("workers", "turnover_year"):
        raise ValueError(f"measure must be 'workers' or 'turnover_year', not {measure!r}")
    base_year, final_year = snapshot_years(enterprises)
    frame = enterprises.with_columns(
        area_expression(level).alias("area"), pl.col(measure).fill_null(0)
    )
    if by == "category":
        frame = with_kbli_category(frame, name="sector")
    elif by == "division":
        frame = with_kbli_division(frame, name="sector").with_columns(
            pl.col("sector").fill_null(pl.col("kbli").str.to_uppercase())
        )
    else:
        keys = (
            clusters
            if clusters is not None
            else cluster_kblis(
                enterprises, lq_min=lq_min, min_enterprises=min_enterprises, min_share=min_share
            )
        )
        frame = with_sector_keys(frame, clusters=keys)
    final = frame.filter(pl.col("year") == final_year)
    quotients = location_quotient(final, region="area", sector="sector", value=measure)
    shifts = None
    if base_year is not None:
        shifts = shift_share(
            frame.filter(pl.col("year") == base_year),
            final,
            region="area",
            sector="sector",
            value=measure,
        )
    found = detect_clusters(
        final,
        region="area",
        sector="sector",
        value=measure,
        lq_min=lq_min,
        min_enterprises=min_enterprises,
        min_share=min_share,
        value_label="pekerja" if measure == "workers" else "omzet",
    )
    return Specialisation(
        level=level,
        by=by,
        measure=measure,
        base_year=base_year,
        final_year=final_year,
        location_quotients=quotients,
        shift_share=shifts,
        clusters=found,
    )


# ----------------------------------------------------------------------------------------------
# The analysis


@dataclass(frozen=True)
class SectorAnalysis:
    """Sector opportunity scores of every area of a region, with everything needed to explain them.

    ``scores``: one row per area-sector cell: ``area, sector, label, category, bps17_code``,
    local facts (``enterprises, workers, lq, expected_workers, lq_smoothed, established,
    cluster, cluster_source, cluster_name``), growth (``base_workers, final_workers,
    regional_shift, growth``), ``labour_intensity`` (workers per Rp 1 miliar),
    ``employment_multiplier``, ``labour_supply`` (persons), ``reach_enterprises,
    reach_cooperatives, reach_workers``, then ``p_<component>`` (normalised, in [0, 1]) for each of
    :data:`COMPONENTS`, ``score``, ``rank`` (1 = best in the area: established cells first, then
    by score) and ``reason``. ``notes`` list the closure and any component that was unavailable.
    """

    region: str
    region_name: str
    level: str
    areas: pl.DataFrame
    scores: pl.DataFrame
    table: IOTable
    multipliers: pl.DataFrame
    employment: EmploymentEstimate | None
    settings: Settings
    base_year: int | None
    final_year: int
    notes: tuple[str, ...]

    def top(self, n: int = 3) -> pl.DataFrame:
        """The ``n`` best sectors of every area (rows sorted by area then rank).

        Examples
        --------
        See :func:`analyse_sectors`.
        """
        return self.scores.filter(pl.col("rank") <= n).sort("area", "rank")

    def parts(self, row: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
        """The components of one score row: raw value, normalised value, weight, contribution."""
        weights = self.settings.normalised_weights
        parts: dict[str, dict[str, Any]] = {}
        for component in COMPONENTS:
            raw = row[RAW_COLUMN[component]]
            normalised = float(row[f"p_{component}"])
            parts[component] = {
                "value": raw,
                "normalised": round(normalised, 4),
                "weight": round(weights[component], 4),
                "contribution": round(weights[component] * normalised, 4),
            }
        return parts

    def regency_lq(self) -> pl.DataFrame | None:
        """The region's location quotient by BPS industry against the reference economy.

        LQᵢ = (eᵢ/e)/(Eᵢ/E) with e the region's workers by the 17 industries (the employment
        estimate behind the regional table) and E the reference economy's (the table's national
        employment, BPS Sakernas August 2020 for the BPS table; a provincial table gives the
        regency against its province). None when the table has no employment.
        """
        if self.employment is None:
            return None
        reference, citation = national_employment()
        regional = np.asarray(self.employment.workers, dtype=np.float64)
        lq = (regional / regional.sum()) / (reference / reference.sum())
        return self.employment.by_industry.select("bps17_code", "industry").with_columns(
            pl.Series("region_workers", regional),
            pl.Series("reference_workers", reference),
            pl.Series("lq", lq),
            pl.lit(citation).alias("reference_source"),
        )

    def to_dict(self, *, top: int = 3, synthetic: bool | None = None) -> dict[str, Any]:
        """JSON-friendly result: per area the ``top`` sectors with score, parts and reason.

        Names the input-output table, its notes, the employment source and every assumption.
        """
        ranked = self.top(top)
        by_area: dict[str, list[dict[str, Any]]] = {}
        for row in ranked.iter_rows(named=True):
            by_area.setdefault(row["area"], []).append(
                {
                    "rank": row["rank"],
                    "sector": row["sector"],
                    "label": row["label"],
                    "kbli_category": row["category"],
                    "bps17_code": row["bps17_code"],
                    "score": round(row["score"], 4),
                    "reason": row["reason"],
                    "parts": self.parts(row),
                    "facts": {
                        "enterprises": row["enterprises"],
                        "workers": row["workers"],
                        "cluster": row["cluster_name"] if row["cluster"] else None,
                        "cluster_source": row["cluster_source"],
                        "base_workers": row["base_workers"],
                        "final_workers": row["final_workers"],
                        "regional_shift": _rounded(row["regional_shift"], 2),
                        "reach_cooperatives": row["reach_cooperatives"],
                        "reach_workers": row["reach_workers"],
                    },
                }
            )
        areas = [
            {
                "code": area["code"],
                "name": area["name"],
                **(
                    {"kecamatan": area["kecamatan"], "kecamatan_name": area["kecamatan_name"]}
                    if self.level == "desa"
                    else {}
                ),
                "sectors": by_area.get(area["code"], []),
            }
            for area in self.areas.iter_rows(named=True)
        ]
        s = self.settings
        return {
            "region": self.region,
            "region_name": self.region_name,
            "level": self.level,
            "top": top,
            "synthetic": synthetic,
            "snapshots": {"base": self.base_year, "final": self.final_year},
            "io_table": {
                "name": self.table.name,
                "source": self.table.source,
                "employment_source": self.table.employment_source,
                "notes": list(self.table.notes),
            },
            "employment": None
            if self.employment is None
            else {
                "basis": self.employment.basis,
                "source": self.employment.source,
                "by_industry": self.employment.by_industry.to_dicts(),
            },
            "regency_vs_reference": None if (lq := self.regency_lq()) is None else lq.to_dicts(),
            "method": {
                "components": {c: COMPONENT_LABELS[c] for c in COMPONENTS},
                "weights": {k: round(v, 4) for k, v in s.normalised_weights.items()},
                "normalisation": s.normalisation,
                "employment_multiplier": s.multiplier,
                "reach_km": s.reach_km,
                "respect_max_commute": s.respect_max_commute,
                "working_age": [s.min_age, s.max_age],
                "activities": list(s.activities),
                "agricultural_workers": s.agricultural_workers,
                "clusters": {
                    "lq_min": s.lq_min,
                    "min_enterprises": s.min_enterprises,
                    "min_share": s.min_share,
                },
                "sector_key": "5-digit KBLI of cluster codes, else 2-digit KBLI division, else "
                "KBLI category",
            },
            "assumptions": [_parameter_dict(v) for v in s.assumptions],
            "notes": list(self.notes),
            "areas": areas,
        }


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)


def _parameter_dict(value: ParameterValue) -> dict[str, Any]:
    return {
        "parameter": value.path,
        "value": value.value,
        "unit": value.unit,
        "date": value.date.isoformat(),
        "status": value.status,
        "note": value.note,
    }


def _sector_labels(keys: Sequence[str], profiles: Sequence[SectorProfile]) -> pl.DataFrame:
    own = {p.key: p.label for p in profiles}
    rows = []
    for key in keys:
        label = own.get(key)
        if label is None:
            try:
                label = kbli_item(key).title
            except (KeyError, ValueError):
                label = key
        rows.append({"sector": key, "label": label})
    return pl.DataFrame(rows, schema={"sector": pl.Utf8, "label": pl.Utf8})


def _areas(region: str, level: str) -> pl.DataFrame:
    desa = centroids("desa_kelurahan", within=region)
    if desa.is_empty():
        raise ValueError(f"no desa/kelurahan with a centroid within {region!r}")
    kecamatan = centroids("kecamatan", within=region[:5]).rename(
        {"code": "kecamatan", "name": "kecamatan_name"}
    )
    if level == "desa":
        return (
            desa.with_columns(pl.col("code").str.slice(0, 8).alias("kecamatan"))
            .join(kecamatan.select("kecamatan", "kecamatan_name"), on="kecamatan", how="left")
            .sort("code")
        )
    inside = desa["code"].str.slice(0, 8).unique()
    return (
        kecamatan.filter(pl.col("kecamatan").is_in(inside.implode()))
        .rename({"kecamatan": "code", "kecamatan_name": "name"})
        .sort("code")
    )


def _multiplier_by_category(
    table: IOTable, multipliers: pl.DataFrame, column: str
) -> tuple[pl.DataFrame, str | None]:
    """employment multiplier by KBLI category via the BPS industry, or a note why not."""
    codes = table.sector_codes
    if codes is None and table.n_sectors == len(BPS_SECTOR_CODES):
        codes = BPS_SECTOR_CODES
    if codes is None or tuple(codes) != BPS_SECTOR_CODES:
        return pl.DataFrame(
            schema={"category": pl.Utf8, "employment_multiplier": pl.Float64}
        ), f"{table.name} does not have the 17 BPS industries: employment multiplier set to 0."
    values = multipliers[column].to_list()
    mapping = kbli_bps17_map()
    frame = pl.DataFrame(
        {
            "category": mapping["kbli_category"].to_list(),
            "employment_multiplier": [
                values[BPS_SECTOR_CODES.index(code)] for code in mapping["bps17_code"].to_list()
            ],
        },
        schema={"category": pl.Utf8, "employment_multiplier": pl.Float64},
    )
    note = None
    if multipliers[column].null_count() == multipliers.height:
        note = f"{table.name} has no employment by sector: employment multiplier set to 0."
    return frame, note


def analyse_sectors(
    tables: Mapping[str, pl.DataFrame],
    *,
    region: str,
    level: str = "desa",
    settings: Settings | None = None,
    table: IOTable | None = None,
    on: dt.date | None = None,
    profiles: Sequence[SectorProfile] = SECTOR_PROFILES,
) -> SectorAnalysis:
    """Rank the sectors of every desa or kecamatan of ``region`` by the opportunity score.

    Parameters
    ----------
    tables : mapping
        Canonical tables by kind: ``enterprises`` (required, one or more snapshots),
        ``persons`` and ``households`` (for the labour supply and the registry employment),
        ``villages`` (population, to scale registry employment).
    region : str, keyword-only
        Kemendagri code of the region (a kabupaten, e.g. ``"33.10"``, or a kecamatan): the
        reference economy of the location quotients and the set of areas ranked.
    level : {"desa", "kecamatan"}, keyword-only
    settings : Settings, optional
        Default :meth:`Settings.from_params` for ``region``.
    table : IOTable, optional
        The regional input-output table to take employment multipliers from; default BPS 2020
        regionalised to the region by FLQ (:func:`~tuntas.economy.regional_table.regional_io_table`).
    on : datetime.date, optional
        Date for ages; default 30 June of the final snapshot year.
    profiles : sequence of SectorProfile
        Skill profiles (default :data:`~tuntas.economy.labour.SECTOR_PROFILES`).

    Returns
    -------
    SectorAnalysis

    Examples
    --------
    Two desa of Wedi: Melikan with 12 potters (declared *sentra* "Gerabah Melikan") and a warung,
    Pandes with 3 warung; one extreme-poor family in Melikan with two adults, one a potter.

    >>> import datetime as dt
    >>> rows = [("33.10.03.2006", "23932", 2, "Gerabah Melikan")] * 12
    >>> rows += [("33.10.03.2006", "47112", 1, None)] + [("33.10.03.2014", "47112", 2, None)] * 3
    >>> enterprises = pl.DataFrame(
    ...     [(f"E{i}", y, code, kbli, w, 5e7, False, "perorangan", c)
    ...      for y in (2023, 2024) for i, (code, kbli, w, c) in enumerate(rows)],
    ...     schema=["enterprise_id", "year", "region_code", "kbli", "workers", "turnover_year",
    ...             "is_cooperative", "legal_form", "cluster"], orient="row")
    >>> households = pl.DataFrame({"household_id": ["h1"], "region_code": ["33.10.03.2006"],
    ...     "welfare_decile": [1], "verification_status": ["verified_extreme"]})
    >>> persons = pl.DataFrame({"household_id": ["h1", "h1"], "sex": ["P", "L"],
    ...     "birth_date": [dt.date(1985, 1, 1)] * 2, "education": ["sd", "smp"],
    ...     "activity": ["housekeeping", "seeking"], "sector": [None, None],
    ...     "skills": ["gerabah", None], "max_commute_km": [3.0, 8.0]})
    >>> result = analyse_sectors({"enterprises": enterprises, "persons": persons,
    ...     "households": households}, region="33.10.03")
    >>> melikan = result.top(3).filter(pl.col("area") == "33.10.03.2006")
    >>> melikan.select("sector", "reason").rows()  # doctest: +NORMALIZE_WHITESPACE
    [('23932', 'Gerabah (sentra): LQ 1.2, 12 usaha, 1 pencari kerja miskin ekstrem dalam 5 km'),
     ('47', 'Perdagangan eceran: LQ 0.2, 1 usaha, 2 pencari kerja miskin ekstrem dalam 5 km')]

    LQ of pottery in Melikan = (24/25)/(24/31) = 1.24 (31 workers in the region); both adults
    count for retail (no skill needed), only the potter for pottery.
    """
    if "enterprises" not in tables:
        raise ValueError("the sector analysis needs the enterprises table")
    settings = settings or Settings.from_params(region=region)
    notes: list[str] = []
    enterprises = tables["enterprises"].filter(
        (pl.col("region_code") == region) | pl.col("region_code").str.starts_with(region + ".")
    )
    if enterprises.is_empty():
        raise ValueError(f"no enterprises in {region}")
    base_year, final_year = snapshot_years(enterprises)
    on = on or dt.date(final_year, 6, 30)
    persons = tables.get("persons")
    households = tables.get("households")
    villages = tables.get("villages")

    # --- the regional input-output table and its multipliers
    employment = None
    if table is None:
        table, employment = regency_io_table(
            enterprises, persons=persons, villages=villages, region=region, settings=settings
        )
    income, closure_note = closure_income(table, settings.type_ii_household_income)
    multipliers = multiplier_table(table, household_income=income)
    notes.append(closure_note)
    by_category, multiplier_note = _multiplier_by_category(table, multipliers, settings.multiplier)
    if multiplier_note:
        notes.append(multiplier_note)

    # --- sector keys, areas and reach
    keys = cluster_kblis(
        enterprises,
        lq_min=settings.lq_min,
        min_enterprises=settings.min_enterprises,
        min_share=settings.min_share,
    )
    keyed = with_kbli_category(
        with_sector_keys(enterprises, clusters=keys), name="category"
    ).with_columns(area_expression(level).alias("area"), pl.col("workers").fill_null(0))
    final = keyed.filter(pl.col("year") == final_year)
    areas = _areas(region, level)
    desa = centroids("desa_kelurahan", within=region)
    members = None
    if level == "kecamatan":
        members = desa.select(
            pl.col("code").str.slice(0, 8).alias("target"), pl.col("code").alias("source")
        )
    pairs = reach_pairs(
        areas.select("code", "lat", "lon"), desa, reach_km=settings.reach_km, members=members
    )

    # --- local facts: LQ, clusters, growth
    quotients = location_quotient(final, region="area", sector="sector", value="workers").select(
        "area", "sector", pl.col("count").cast(pl.Int64).alias("enterprises"), "workers", "lq"
    )
    area_totals = final.group_by("area").agg(pl.col("workers").sum().cast(pl.Float64).alias("e_r"))
    sector_totals = final.group_by("sector").agg(
        pl.col("workers").sum().cast(pl.Float64).alias("E_s")
    )
    grand_total = float(final["workers"].sum())
    alpha = settings.lq_prior_workers
    detected = detect_clusters(
        final,
        region="area",
        sector="sector",
        value="workers",
        lq_min=settings.lq_min,
        min_enterprises=settings.min_enterprises,
        min_share=settings.min_share,
    ).select("area", "sector", pl.col("cluster").alias("detected"))
    declared = (
        final.filter(pl.col("cluster").is_not_null())
        .group_by("area", "sector")
        .agg(pl.col("cluster").mode().first().alias("declared_name"))
        if "cluster" in final.columns
        else pl.DataFrame(schema={"area": pl.Utf8, "sector": pl.Utf8, "declared_name": pl.Utf8})
    )
    if base_year is not None:
        growth = shift_share(
            keyed.filter(pl.col("year") == base_year),
            final,
            region="area",
            sector="sector",
            value="workers",
        ).select(
            "area",
            "sector",
            pl.col("base").alias("base_workers"),
            pl.col("final").alias("final_workers"),
            "regional_shift",
            pl.when((pl.col("base") + pl.col("final")) > 0)
            .then(pl.col("regional_shift") / ((pl.col("base") + pl.col("final")) / 2 + alpha))
            .otherwise(None)
            .alias("growth"),
        )
    else:
        notes.append("Only one enterprise snapshot: growth is not available (set to 0).")
        growth = pl.DataFrame(
            schema={
                "area": pl.Utf8,
                "sector": pl.Utf8,
                "base_workers": pl.Float64,
                "final_workers": pl.Float64,
                "regional_shift": pl.Float64,
                "growth": pl.Float64,
            }
        )

    # --- sector properties
    turnover = (
        pl.col("turnover_year")
        if "turnover_year" in final.columns
        else pl.lit(None, dtype=pl.Float64)
    )
    sectors = (
        final.group_by("sector")
        .agg(
            pl.col("category").first(),
            (
                pl.col("workers").filter(turnover > 0).sum()
                / (turnover.filter(turnover > 0).sum() / 1e9)
            ).alias("labour_intensity"),
        )
        .join(by_category, on="category", how="left")
        .join(
            kbli_bps17_map().select(pl.col("kbli_category").alias("category"), "bps17_code"),
            on="category",
            how="left",
        )
        .with_columns(pl.col("labour_intensity").fill_nan(None))
    )
    sector_keys = sorted(sectors["sector"].to_list())
    sectors = sectors.join(_sector_labels(sector_keys, profiles), on="sector", how="left")

    # --- within reach: enterprises and labour
    cooperative = (
        pl.col("is_cooperative").fill_null(False)
        if "is_cooperative" in final.columns
        else pl.lit(False)
    )
    if "legal_form" in final.columns:
        cooperative = cooperative | pl.col("legal_form").is_in(list(COOPERATIVE_FORMS))
    reach = (
        final.group_by(pl.col("region_code").alias("source"), "sector")
        .agg(
            pl.len().alias("n"),
            cooperative.sum().alias("coops"),
            pl.col("workers").sum().alias("w"),
        )
        .join(pairs, on="source", how="inner")
        .group_by(pl.col("target").alias("area"), "sector")
        .agg(
            pl.col("n").sum().cast(pl.Int64).alias("reach_enterprises"),
            pl.col("coops").sum().cast(pl.Int64).alias("reach_cooperatives"),
            pl.col("w").sum().cast(pl.Int64).alias("reach_workers"),
        )
    )
    if persons is not None and households is not None and not persons.is_empty():
        eligible = eligible_labour(
            persons,
            households,
            on=on,
            min_age=settings.min_age,
            max_age=settings.max_age,
            activities=settings.activities,
            agricultural_workers=settings.agricultural_workers,
        )
        supply = labour_within_reach(
            eligible,
            pairs,
            sector_keys,
            reach_km=settings.reach_km,
            respect_max_commute=settings.respect_max_commute,
            profiles=profiles,
        ).rename({"target": "area"})
    else:
        notes.append("No registry persons/households: labour supply set to 0.")
        supply = pl.DataFrame(
            schema={"area": pl.Utf8, "sector": pl.Utf8, "labour_supply": pl.Int64}
        )

    # --- the grid, normalisation, score
    cells = (
        reach.join(quotients, on=["area", "sector"], how="left")
        .join(detected, on=["area", "sector"], how="left")
        .join(declared, on=["area", "sector"], how="left")
        .join(growth, on=["area", "sector"], how="left")
        .join(supply, on=["area", "sector"], how="left")
        .join(sectors, on="sector", how="left")
        .join(area_totals, on="area", how="left")
        .join(sector_totals, on="sector", how="left")
        .with_columns(
            pl.col("enterprises").fill_null(0),
            pl.col("workers").fill_null(0.0),
            pl.col("lq").fill_null(0.0),
            pl.col("labour_supply").fill_null(0),
            pl.col("detected").fill_null(False),
            (
                pl.col("e_r").fill_null(0.0) * pl.col("E_s").fill_null(0.0) / max(grand_total, 1.0)
            ).alias("expected_workers"),
        )
        .with_columns(
            pl.when(pl.col("expected_workers") + alpha > 0)
            .then((pl.col("workers") + alpha) / (pl.col("expected_workers") + alpha))
            .otherwise(pl.col("lq"))
            .alias("lq_smoothed"),
            (pl.col("enterprises") >= settings.min_local_enterprises).alias("established"),
        )
        .with_columns(
            (pl.col("detected") | pl.col("declared_name").is_not_null()).alias("cluster"),
        )
        .with_columns(
            pl.col("cluster").cast(pl.Float64).alias("cluster_flag"),
            pl.when(pl.col("detected") & pl.col("declared_name").is_not_null())
            .then(pl.lit("terdeteksi dan tercatat"))
            .when(pl.col("detected"))
            .then(pl.lit("terdeteksi"))
            .when(pl.col("declared_name").is_not_null())
            .then(pl.lit("tercatat"))
            .otherwise(None)
            .alias("cluster_source"),
            pl.coalesce("declared_name", pl.col("label")).alias("cluster_name"),
        )
        .drop("detected", "declared_name", "e_r", "E_s")
        .sort("area", "sector")
    )
    weights = settings.normalised_weights
    parts = [
        (
            pl.col(RAW_COLUMN[c])
            if c == "cluster"
            else normalised(
                RAW_COLUMN[c],
                method=settings.normalisation,
                over="sector" if c in WITHIN_SECTOR else None,
            )
        ).alias(f"p_{c}")
        for c in COMPONENTS
    ]
    reach_text = f"{settings.reach_km:g}"
    cells = (
        cells.with_columns(*parts)
        .with_columns(
            pl.sum_horizontal(*(pl.col(f"p_{c}") * weights[c] for c in COMPONENTS)).alias("score")
        )
        .sort(
            ["area", "established", "score", "workers", "sector"],
            descending=[False, True, True, True, False],
        )
        .with_columns(pl.int_range(1, pl.len() + 1).over("area").alias("rank"))
        .with_columns(
            pl.format(
                "{}{}: LQ {}, {} usaha, {} pencari kerja miskin ekstrem dalam {} km",
                pl.col("label"),
                pl.when(pl.col("cluster")).then(pl.lit(" (sentra)")).otherwise(pl.lit("")),
                pl.col("lq").round(1),
                pl.col("enterprises"),
                pl.col("labour_supply"),
                pl.lit(reach_text),
            ).alias("reason")
        )
    )
    return SectorAnalysis(
        region=region,
        region_name=_region_name(region),
        level=level,
        areas=areas.drop("lat", "lon"),
        scores=cells,
        table=table,
        multipliers=multipliers,
        employment=employment,
        settings=settings,
        base_year=base_year,
        final_year=final_year,
        notes=tuple(notes),
    )


def regency_io_table(
    enterprises: pl.DataFrame,
    *,
    persons: pl.DataFrame | None,
    villages: pl.DataFrame | None,
    region: str,
    settings: Settings | None = None,
) -> tuple[IOTable, EmploymentEstimate]:
    """The region's FLQ-regionalised BPS 2020 table and the employment estimate it rests on.

    Employment by the 17 industries blends the enterprise data and registry persons' sectors as set
    by ``economy.*`` parameters (:class:`Settings`); population from the village profiles.
    """
    settings = settings or Settings.from_params(region=region)
    population = None
    if villages is not None and not villages.is_empty():
        population = float(villages["population"].sum())
    employment = regency_employment(
        enterprises=enterprises,
        persons=persons,
        population=population,
        basis=settings.employment_basis,
        enterprise_weight=settings.enterprise_share_weight,
    )
    table = regional_io_table(employment, region=_region_name(region), delta=settings.flq_delta)
    return table, employment


def plan_multipliers(
    table: IOTable, *, settings: Settings | None = None, region: str = ""
) -> Callable[[Mapping[str, float]], dict[str, float]]:
    """A function for the plan: new direct jobs by KBLI key → indirect and induced jobs.

    Uses :func:`~tuntas.economy.effects.sector_effect` on ``table`` with households endogenous
    (Type II closure income from the parameters).
    """
    from tuntas.economy.effects import sector_effect

    settings = settings or Settings.from_params(region=region)
    income, _note = closure_income(table, settings.type_ii_household_income)

    def jobs(direct: Mapping[str, float]) -> dict[str, float]:
        shocks = {key: float(value) for key, value in direct.items() if value}
        if not shocks:
            return {"indirect": 0.0, "induced": 0.0}
        effect = sector_effect(table, shocks, kind="jobs", closed=True, household_income=income)
        row = effect.totals.filter(pl.col("measure") == "jobs").row(0, named=True)
        return {"indirect": float(row["indirect"]), "induced": float(row["induced"])}

    return jobs


def _region_name(region: str) -> str:
    try:
        return name_of(region)
    except (KeyError, ValueError):
        return region
