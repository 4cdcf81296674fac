"""Regional specialisation and growth: location quotients, shift-share and cluster detection.

Notation: e_rs is the value (workers, turnover, enterprises) of sector s in region r, e_r = Σ_s e_rs
the region's total, E_s the reference economy's total in sector s (the regency when the regions are
its desa or kecamatan; the province or nation when a table of reference totals is given) and
E = Σ_s E_s.

* **Location quotient** LQ_rs = (e_rs / e_r) / (E_s / E): the sector's share of the region's
  activity over its share of the reference economy's; LQ > 1 means the region is specialised in s.
  Isard, W. (1960), *Methods of Regional Analysis*, MIT Press, ch. 7; Miller & Blair (2009),
  *Input-Output Analysis*, 2nd ed., ch. 8.
* **Shift-share** between a base (0) and a final (1) snapshot, with g = E¹/E⁰ − 1,
  g_s = E_s¹/E_s⁰ − 1 and g_rs = e_rs¹/e_rs⁰ − 1: reference (national/regency) share
  NS = e_rs⁰·g, industry mix IM = e_rs⁰·(g_s − g), regional shift RS = e_rs⁰·(g_rs − g_s), so that
  NS + IM + RS = e_rs¹ − e_rs⁰. Dunn, E. S. (1960), "A statistical and analytical technique for
  regional analysis", *Papers of the Regional Science Association* 6: 97–112; Stevens, B. H. &
  Moore, C. L. (1980), "A critical review of the literature on shift-share as a forecasting
  technique", *Journal of Regional Science* 20(4): 419–437.
* **Clusters** (:func:`detect_clusters`): a region-sector with LQ ≥ ``lq_min``, at least
  ``min_enterprises`` enterprises and at least ``min_share`` of the reference economy's sector.

Examples
--------
>>> frame = pl.DataFrame({
...     "desa": ["A", "A", "B", "B"], "sector": ["pottery", "farm", "pottery", "farm"],
...     "workers": [30, 10, 10, 50]})
>>> location_quotient(frame, region="desa", sector="sector", value="workers").select(
...     "desa", "sector", pl.col("lq").round(4)).rows()
[('A', 'farm', 0.4167), ('A', 'pottery', 1.875), ('B', 'farm', 1.3889), ('B', 'pottery', 0.4167)]
"""

from __future__ import annotations

import polars as pl

COUNT = "count"
"""Column with the number of input rows behind e_rs (enterprises, when the frame lists them)."""


def _aggregate(
    frame: pl.DataFrame, *, region: str, sector: str, value: str, what: str
) -> pl.DataFrame:
    missing = [column for column in (region, sector, value) if column not in frame.columns]
    if missing:
        raise ValueError(f"{what} has no column(s) {missing}; columns are {frame.columns}")
    nulls = frame.select(pl.col(region, sector, value).null_count()).row(0)
    if any(nulls):
        raise ValueError(f"{what} has missing values in {region}/{sector}/{value}: {nulls}")
    if frame.select((pl.col(value) < 0).any()).item():
        raise ValueError(f"{what}: {value} has negative values")
    return frame.group_by(region, sector).agg(
        pl.col(value).cast(pl.Float64).sum().alias(value), pl.len().alias(COUNT)
    )


def _reference_totals(
    reference: pl.DataFrame | None, aggregated: pl.DataFrame, *, sector: str, value: str
) -> pl.DataFrame:
    """E_s by sector: from ``reference`` (columns sector, value) or summed over the regions."""
    if reference is None:
        return aggregated.group_by(sector).agg(pl.col(value).sum().alias("sector_total"))
    missing = [column for column in (sector, value) if column not in reference.columns]
    if missing:
        raise ValueError(f"reference has no column(s) {missing}; columns are {reference.columns}")
    totals = reference.group_by(sector).agg(
        pl.col(value).cast(pl.Float64).sum().alias("sector_total")
    )
    absent = aggregated.join(totals, on=sector, how="anti")[sector].unique().to_list()
    if absent:
        raise ValueError(f"reference has no total for sector(s) {sorted(map(str, absent))}")
    return totals


def location_quotient(
    frame: pl.DataFrame,
    *,
    region: str,
    sector: str,
    value: str,
    reference: pl.DataFrame | None = None,
    complete: bool = False,
) -> pl.DataFrame:
    """Location quotients LQ_rs = (e_rs/e_r) / (E_s/E) for every region and sector.

    Parameters
    ----------
    frame : pl.DataFrame
        One row per enterprise (or per region-sector): columns ``region``, ``sector``, ``value``.
        Rows are summed by region and sector.
    region, sector, value : str, keyword-only
        Column names: the region code (desa, kecamatan or regency), the sector (KBLI category or
        2-digit division), the measure (workers, turnover).
    reference : pl.DataFrame, optional
        Reference totals E_s (columns ``sector`` and ``value``), e.g. the province's workers by
        sector to compare a regency against its province. Default: the sum of ``frame`` over
        regions (desa/kecamatan against their regency).
    complete : bool, keyword-only
        Also return region-sector pairs without activity (e_rs = 0, LQ = 0).

    Returns
    -------
    pl.DataFrame
        ``region, sector, value, count, region_total, sector_total, total, share_in_region,
        share_of_sector, lq``, sorted by region and sector; ``lq`` is null when e_r = 0 and
        ``count`` counts the input rows (enterprises).

    Examples
    --------
    Desa A: 30 pottery and 10 farm workers; desa B: 10 and 50. Regency: 40 pottery, 60 farm,
    100 in all. LQ(A, pottery) = (30/40)/(40/100) = 0.75/0.4 = 1.875.

    >>> frame = pl.DataFrame({"desa": ["A", "A", "B", "B"], "sector": ["pot", "farm", "pot", "farm"],
    ...                       "workers": [30, 10, 10, 50]})
    >>> location_quotient(frame, region="desa", sector="sector", value="workers").filter(
    ...     pl.col("desa") == "A", pl.col("sector") == "pot").select("count", "lq").row(0)
    (1, 1.875)
    """
    aggregated = _aggregate(frame, region=region, sector=sector, value=value, what="frame")
    if complete:
        grid = (
            aggregated.select(region).unique().join(aggregated.select(sector).unique(), how="cross")
        )
        aggregated = grid.join(aggregated, on=[region, sector], how="left").with_columns(
            pl.col(value).fill_null(0.0), pl.col(COUNT).fill_null(0).cast(pl.UInt32)
        )
    totals = _reference_totals(reference, aggregated, sector=sector, value=value)
    grand_total = float(totals["sector_total"].sum())
    if grand_total <= 0:
        raise ValueError(f"the reference total of {value} is zero")
    return (
        aggregated.join(totals, on=sector, how="left")
        .with_columns(
            pl.col(value).sum().over(region).alias("region_total"),
            pl.lit(grand_total).alias("total"),
        )
        .with_columns(
            (pl.col(value) / pl.col("region_total")).alias("share_in_region"),
            (pl.col(value) / pl.col("sector_total")).alias("share_of_sector"),
        )
        .with_columns(
            pl.when(pl.col("region_total") > 0)
            .then(pl.col("share_in_region") / (pl.col("sector_total") / pl.col("total")))
            .otherwise(None)
            .alias("lq")
        )
        .with_columns(pl.col("share_in_region", "share_of_sector").fill_nan(None))
        .select(
            region,
            sector,
            value,
            COUNT,
            "region_total",
            "sector_total",
            "total",
            "share_in_region",
            "share_of_sector",
            "lq",
        )
        .sort(region, sector)
    )


def shift_share(
    base: pl.DataFrame,
    final: pl.DataFrame,
    *,
    region: str,
    sector: str,
    value: str,
    reference_base: pl.DataFrame | None = None,
    reference_final: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Classic shift-share decomposition of each region-sector's change between two snapshots.

    NS = e⁰·g (reference share), IM = e⁰·(g_s − g) (industry mix), RS = e⁰·(g_rs − g_s) (regional
    shift), with g = E¹/E⁰ − 1, g_s = E_s¹/E_s⁰ − 1, g_rs = e¹/e⁰ − 1; NS + IM + RS = e¹ − e⁰.
    RS is computed as (e¹ − e⁰) − e⁰·g_s, which equals e⁰·(g_rs − g_s) and stays defined when
    e⁰ = 0 (a sector new to the region: NS = IM = 0, RS = e¹). A sector absent from the reference
    base (E_s⁰ = 0) gets g_s = g (no industry-mix effect).

    Parameters
    ----------
    base, final : pl.DataFrame
        The two snapshots (e.g. enterprises 2023 and 2024), columns ``region``, ``sector``, ``value``.
    region, sector, value : str, keyword-only
    reference_base, reference_final : pl.DataFrame, optional
        Reference totals (columns ``sector``, ``value``) for both years, e.g. the province's or
        nation's workers by sector; default: the sums of ``base`` and ``final`` over regions.

    Returns
    -------
    pl.DataFrame
        ``region, sector, base, final, change, reference_share, industry_mix, regional_shift,
        g, g_s, g_rs`` (g_rs null when e⁰ = 0), sorted by region and sector.

    Examples
    --------
    Reference grows 100 → 120 (g = 0.2); pottery 40 → 60 (g_s = 0.5). Desa A's pottery 30 → 50:
    NS = 30·0.2 = 6, IM = 30·(0.5 − 0.2) = 9, RS = 30·(20/30 − 0.5) = 5; 6 + 9 + 5 = 20.

    >>> b = pl.DataFrame({"desa": ["A", "A", "B", "B"], "sector": ["pot", "farm", "pot", "farm"],
    ...                   "workers": [30, 10, 10, 50]})
    >>> f = pl.DataFrame({"desa": ["A", "A", "B", "B"], "sector": ["pot", "farm", "pot", "farm"],
    ...                   "workers": [50, 10, 10, 50]})
    >>> r = shift_share(b, f, region="desa", sector="sector", value="workers")
    >>> r.filter(pl.col("desa") == "A", pl.col("sector") == "pot").select(
    ...     pl.col("reference_share", "industry_mix", "regional_shift", "change").round(9)).row(0)
    (6.0, 9.0, 5.0, 20.0)
    """
    start = _aggregate(base, region=region, sector=sector, value=value, what="base").select(
        region, sector, pl.col(value).alias("base")
    )
    end = _aggregate(final, region=region, sector=sector, value=value, what="final").select(
        region, sector, pl.col(value).alias("final")
    )
    pairs = start.join(end, on=[region, sector], how="full", coalesce=True).with_columns(
        pl.col("base", "final").fill_null(0.0)
    )
    totals_0 = _reference_totals(
        reference_base, start.rename({"base": value}), sector=sector, value=value
    ).rename({"sector_total": "E0"})
    totals_1 = _reference_totals(
        reference_final, end.rename({"final": value}), sector=sector, value=value
    ).rename({"sector_total": "E1"})
    sector_totals = totals_0.join(totals_1, on=sector, how="full", coalesce=True).with_columns(
        pl.col("E0", "E1").fill_null(0.0)
    )
    grand_0 = float(sector_totals["E0"].sum())
    grand_1 = float(sector_totals["E1"].sum())
    if grand_0 <= 0:
        raise ValueError(f"the reference base total of {value} is zero: growth is undefined")
    g = grand_1 / grand_0 - 1
    sector_growth = sector_totals.select(
        sector,
        pl.when(pl.col("E0") > 0).then(pl.col("E1") / pl.col("E0") - 1).otherwise(g).alias("g_s"),
    )
    return (
        pairs.join(sector_growth, on=sector, how="left")
        .with_columns(pl.col("g_s").fill_null(g), pl.lit(g).alias("g"))
        .with_columns(
            (pl.col("final") - pl.col("base")).alias("change"),
            (pl.col("base") * pl.col("g")).alias("reference_share"),
            (pl.col("base") * (pl.col("g_s") - pl.col("g"))).alias("industry_mix"),
            pl.when(pl.col("base") > 0)
            .then(pl.col("final") / pl.col("base") - 1)
            .otherwise(None)
            .alias("g_rs"),
        )
        .with_columns(
            (pl.col("change") - pl.col("base") * pl.col("g_s")).alias("regional_shift"),
        )
        .select(
            region,
            sector,
            "base",
            "final",
            "change",
            "reference_share",
            "industry_mix",
            "regional_shift",
            "g",
            "g_s",
            "g_rs",
        )
        .sort(region, sector)
    )


def detect_clusters(
    frame: pl.DataFrame,
    *,
    region: str,
    sector: str,
    value: str = "workers",
    lq_min: float = 3.0,
    min_enterprises: int = 10,
    min_share: float = 0.10,
    reference: pl.DataFrame | None = None,
    value_label: str = "pekerja",
) -> pl.DataFrame:
    """Flag region-sectors that stand out as clusters (*sentra*), e.g. pottery in Melikan.

    Rule: a region r and sector s form a cluster when all three hold:

    1. LQ_rs ≥ ``lq_min`` (default 3): the sector is at least three times as important in the
       region as in the reference economy (:func:`location_quotient` on ``value``);
    2. at least ``min_enterprises`` enterprises (default 10; rows of ``frame``) in the pair, so a
       single large firm or a handful of micro-enterprises in a small desa is not a cluster;
    3. the region holds at least ``min_share`` (default 10 %) of the reference economy's ``value``
       in the sector, so the cluster matters to the regency's sector.

    The thresholds are parameters, not findings; the defaults follow common practice for
    LQ-based cluster mapping (LQ well above 1 plus a minimum size), e.g. Isard (1960) ch. 7 and
    the *sentra* notion of ≥ 10 similar enterprises in one place used by Kemenkop UKM.

    Parameters
    ----------
    frame : pl.DataFrame
        One row per enterprise with ``region``, ``sector`` and ``value`` columns.

    Returns
    -------
    pl.DataFrame
        The :func:`location_quotient` columns plus ``cluster`` (bool) and ``reason`` (Indonesian,
        e.g. "LQ 9.1, 23 usaha, 41% pekerja sektor ini", ``value_label`` naming the measure),
        sorted by region and descending LQ.

    Examples
    --------
    Melikan: 12 pottery enterprises (division 23) with 3 workers each; elsewhere 2 pottery and
    48 farm enterprises with 2 workers each. Pottery: 36 + 4 = 40 of 136 workers, so
    LQ(Melikan, 23) = (36/36)/(40/136) = 3.4 and Melikan holds 36/40 = 90 % of the sector.

    >>> frame = pl.DataFrame({
    ...     "desa": ["Melikan"] * 12 + ["Lain"] * 50,
    ...     "kbli2": ["23"] * 12 + ["01"] * 48 + ["23"] * 2,
    ...     "workers": [3] * 12 + [2] * 50})
    >>> clusters = detect_clusters(frame, region="desa", sector="kbli2")
    >>> clusters.filter(pl.col("cluster")).select("desa", "kbli2", "count", "reason").rows()
    [('Melikan', '23', 12, 'LQ 3.4, 12 usaha, 90% pekerja sektor ini')]
    """
    if lq_min < 0 or min_enterprises < 0 or not 0 <= min_share <= 1:
        raise ValueError("lq_min and min_enterprises must be ≥ 0 and min_share in [0, 1]")
    quotients = location_quotient(
        frame, region=region, sector=sector, value=value, reference=reference
    )
    return quotients.with_columns(
        (
            (pl.col("lq") >= lq_min)
            & (pl.col(COUNT) >= min_enterprises)
            & (pl.col("share_of_sector") >= min_share)
        )
        .fill_null(False)
        .alias("cluster"),
        pl.format(
            f"LQ {{}}, {{}} usaha, {{}}% {value_label} sektor ini",
            pl.col("lq").round(1),
            pl.col(COUNT),
            (pl.col("share_of_sector") * 100).round(0).cast(pl.Int64),
        ).alias("reason"),
    ).sort([region, "lq"], descending=[False, True], nulls_last=True)
