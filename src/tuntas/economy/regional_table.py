"""The demo's regional input-output table: BPS 2020 (17 industries) regionalised to a regency by FLQ.

Steps (every one is listed in the table's ``notes``, shown with every result):

1. **National table**: BPS, *Tabel Input-Output Indonesia 2020*, 17 products, domestic
   transactions at basic prices (:func:`~tuntas.economy.iotable.read_bps_2020_17`, "Sumber: BPS").
2. **National employment** NEᵢ by the 17 industries: BPS Sakernas August 2020, workers aged 15+ by
   main industry (17 sectors), 128,454,184 in all (parameter
   ``economy.regional_table.national_employment``; a secondary copy of BPS static table 970,
   cross-checked against the BPS release; see the parameter's note).
3. **Regency employment** REᵢ (:func:`regency_employment`), from the regency's own data:

   * ``"enterprises"``: workers of the enterprise registry (UMKM, cooperatives, BUMDes) by KBLI
     category mapped to the 17 industries (:func:`~tuntas.economy.sectors.bps17_vector`). UMKM
     data **under-represent large firms, agriculture (most farms are not registered
     enterprises) and government** (public administration, schools and health centres are not
     UMKM), and their total is far below the regency's employed population.
   * ``"registry"``: working persons of the social registry by their sector (KBLI category),
     scaled to the population: REᵢ = nᵢ × P / N with nᵢ registry workers in industry i, N registry
     persons and P the regency's population (village profiles). The registry covers the poorest
     ~40 % of households, so it **over-represents agriculture and low-skill work**.
   * ``"combined"`` (default): shares sᵢ = w·sᵢ(enterprises) + (1 − w)·sᵢ(registry), with
     w = ``economy.regional_table.enterprise_share_weight`` (0.5), times the registry total
     Σᵢ REᵢ(registry). The two sources err in opposite directions on agriculture.
4. **FLQ** (:func:`~tuntas.economy.regionalise.regionalise`), δ =
   ``economy.regional_table.flq_delta`` (0.3): aʳᵢⱼ = aⁿᵢⱼ·min(FLQᵢⱼ, 1), xʳⱼ = xⁿⱼ·REⱼ/NEⱼ.
   Employment coefficients of the regional table equal the national ones, NEⱼ/xⁿⱼ (workers per
   juta rupiah of output).

Source: Flegg, Webber & Elliott (1995); Flegg & Webber (1997); Miller & Blair (2009) ch. 8.

Examples
--------
>>> workers, citation = national_employment()
>>> int(workers.sum()), workers.size
(128454184, 17)
>>> enterprises = pl.DataFrame({"kbli": ["23932", "47112", "01111"], "workers": [400, 900, 200],
...                             "year": [2024, 2024, 2024]})
>>> estimate = regency_employment(enterprises=enterprises, basis="enterprises")
>>> estimate.workers[[0, 2, 6]].tolist()
[200.0, 400.0, 900.0]
>>> table = regional_io_table(estimate, region="Kab. Contoh")
>>> table.name.startswith("Kab. Contoh (FLQ δ=0.3)"), bool(table.x[1] == 0)
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from tuntas.economy.iotable import BPS_SECTOR_CODES, IOTable, read_bps_2020_17
from tuntas.economy.leontief import FloatArray
from tuntas.economy.regionalise import DEFAULT_DELTA, regionalise
from tuntas.economy.sectors import bps17_vector, kbli_bps17_map, with_kbli_category
from tuntas.params.loader import ParameterSet, baseline

NATIONAL_EMPLOYMENT = "economy.regional_table.national_employment"
BASES = ("combined", "enterprises", "registry")


def national_employment(
    *, params: ParameterSet | None = None, date: str = "2020-08-01"
) -> tuple[FloatArray, str]:
    """Workers by the 17 BPS industries (persons, codes 1–17) and the citation, from the parameters.

    Examples
    --------
    >>> workers, citation = national_employment()
    >>> int(workers[0]), citation.startswith("BPS, Sakernas Agustus 2020")
    (38224371, True)
    """
    value = (params or baseline()).get(NATIONAL_EMPLOYMENT, date=date)
    by_code = {str(code): float(workers) for code, workers in dict(value.value).items()}
    missing = [code for code in BPS_SECTOR_CODES if code not in by_code]
    if missing:
        raise ValueError(f"{NATIONAL_EMPLOYMENT}: no workers for BPS industries {missing}")
    citation = value.reference + (f" [{value.status}]" if value.is_assumption else "")
    return np.array([by_code[code] for code in BPS_SECTOR_CODES]), citation


@dataclass(frozen=True)
class EmploymentEstimate:
    """Regency workers by the 17 BPS industries and how they were obtained.

    ``by_industry``: ``bps17_code, industry, enterprises`` (workers in the enterprise data),
    ``registry`` (registry workers scaled to the population), ``workers`` (used); ``workers``
    the used vector (persons, codes 1–17); ``basis`` one of :data:`BASES`; ``source`` a one-line
    citation; ``notes`` the assumptions.
    """

    by_industry: pl.DataFrame
    workers: FloatArray
    basis: str
    source: str
    notes: tuple[str, ...]


def _latest(enterprises: pl.DataFrame, year: int | None) -> tuple[pl.DataFrame, int | None]:
    if "year" not in enterprises.columns or enterprises.is_empty():
        return enterprises, year
    chosen = int(enterprises["year"].max()) if year is None else year  # type: ignore[arg-type]
    return enterprises.filter(pl.col("year") == chosen), chosen


def regency_employment(
    *,
    enterprises: pl.DataFrame | None = None,
    persons: pl.DataFrame | None = None,
    population: float | None = None,
    basis: str = "combined",
    enterprise_weight: float = 0.5,
    year: int | None = None,
) -> EmploymentEstimate:
    """Regency workers by the 17 BPS industries from enterprise data and/or registry persons.

    See the module docstring for the three bases. Enterprise workers are those of snapshot
    ``year`` (default the latest). Registry workers are persons with ``activity == "working"`` and
    a ``sector``; they are scaled by ``population`` / (registry persons) when ``population`` is
    given. With ``basis="combined"`` and one source missing, the other is used and a note says so.

    Parameters
    ----------
    enterprises : pl.DataFrame, optional
        Canonical enterprises (``kbli``, ``workers``, ``year``).
    persons : pl.DataFrame, optional
        Canonical persons (``activity``, ``sector``).
    population : float, optional
        The regency's population (persons), e.g. the sum of the village profiles.
    basis : {"combined", "enterprises", "registry"}, keyword-only
    enterprise_weight : float, keyword-only
        w in [0, 1], the weight of the enterprise shares in ``"combined"``.
    year : int, optional

    Returns
    -------
    EmploymentEstimate

    Examples
    --------
    Enterprises: 300 manufacturing and 100 trade workers (shares 0.75, 0.25). Registry: 6
    farmers, 2 in manufacturing of 20 persons, population 200 → 60 and 20 workers (shares 0.75,
    0.25). Combined: agriculture 0.5·0 + 0.5·0.75 = 0.375, manufacturing 0.5·0.75 + 0.5·0.25 =
    0.5, trade 0.125, times the registry total 80.

    >>> enterprises = pl.DataFrame({"kbli": ["10792", "47112"], "workers": [300, 100]})
    >>> persons = pl.DataFrame({"activity": ["working"] * 8 + [None] * 12,
    ...                         "sector": ["A"] * 6 + ["C"] * 2 + [None] * 12})
    >>> e = regency_employment(enterprises=enterprises, persons=persons, population=200)
    >>> e.workers[[0, 2, 6]].tolist(), e.basis
    ([30.0, 40.0, 10.0], 'combined')
    """
    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}, not {basis!r}")
    if not 0 <= enterprise_weight <= 1:
        raise ValueError("enterprise_weight must be in [0, 1]")
    notes: list[str] = []
    from_enterprises = None
    snapshot = None
    if enterprises is not None and not enterprises.is_empty():
        latest, snapshot = _latest(enterprises, year)
        categorised = with_kbli_category(latest.select("kbli", pl.col("workers").fill_null(0)))
        from_enterprises = bps17_vector(categorised, category="category", value="workers")
        if from_enterprises.sum() <= 0:
            from_enterprises = None
            notes.append("No workers in the enterprise data.")
    from_registry = None
    registry_scale = 1.0
    if persons is not None and not persons.is_empty():
        working = persons.filter(
            (pl.col("activity") == "working") & pl.col("sector").is_not_null()
        ).select(pl.col("sector").cast(pl.Utf8).alias("category"), pl.lit(1.0).alias("workers"))
        if population is not None and population > 0:
            registry_scale = float(population) / persons.height
        else:
            notes.append("Registry workers are not scaled to the population (no population given).")
        from_registry = bps17_vector(working, category="category", value="workers") * (
            registry_scale
        )
        if from_registry.sum() <= 0:
            from_registry = None
            notes.append("No working persons with a sector in the registry.")
    used = basis
    if basis == "combined" and (from_enterprises is None or from_registry is None):
        used = "enterprises" if from_enterprises is not None else "registry"
        notes.append(f"Only {used} data available: employment basis '{used}' instead of combined.")
    if used == "enterprises" and from_enterprises is None:
        raise ValueError("employment basis 'enterprises' needs enterprise data")
    if used == "registry" and from_registry is None:
        raise ValueError("employment basis 'registry' needs registry persons")
    enterprise_text = (
        f"enterprise registry {snapshot}: workers by KBLI category → BPS 17 industries "
        "(UMKM data under-represent large firms, agriculture and government)"
    )
    registry_text = (
        f"social registry persons working, by sector, ×{registry_scale:.3f} to the population "
        "(the poorest ~40 % of households: over-represents agriculture and low-skill work)"
    )
    if used == "enterprises":
        assert from_enterprises is not None
        workers = from_enterprises
        source = enterprise_text
    elif used == "registry":
        assert from_registry is not None
        workers = from_registry
        source = registry_text
    else:
        assert from_enterprises is not None and from_registry is not None
        shares = (
            enterprise_weight * from_enterprises / from_enterprises.sum()
            + (1 - enterprise_weight) * from_registry / from_registry.sum()
        )
        workers = shares * from_registry.sum()
        source = (
            f"combined: industry shares {enterprise_weight:.0%} from the {enterprise_text} and "
            f"{1 - enterprise_weight:.0%} from the {registry_text}; total = registry estimate "
            f"{from_registry.sum():,.0f} workers"
        )
    names = kbli_bps17_map().unique("bps17_code").sort(pl.col("bps17_code").cast(pl.Int32))
    by_industry = pl.DataFrame(
        {
            "bps17_code": list(BPS_SECTOR_CODES),
            "industry": names["bps17_name"].to_list(),
            "enterprises": from_enterprises if from_enterprises is not None else [None] * 17,
            "registry": from_registry if from_registry is not None else [None] * 17,
            "workers": workers,
        },
        schema_overrides={"enterprises": pl.Float64, "registry": pl.Float64},
    )
    notes.insert(0, f"Regency employment ({used}): {source}.")
    return EmploymentEstimate(
        by_industry=by_industry,
        workers=np.asarray(workers, dtype=np.float64),
        basis=used,
        source=source,
        notes=tuple(notes),
    )


def regional_io_table(
    employment: EmploymentEstimate,
    *,
    region: str,
    delta: float = DEFAULT_DELTA,
    table: IOTable | None = None,
    params: ParameterSet | None = None,
) -> IOTable:
    """The regency table: a 17-industry national table regionalised by FLQ with ``employment``.

    ``table`` defaults to BPS 2020 (17 industries) with the national employment of
    :func:`national_employment`; a user's own 17-industry national or provincial table (BPS
    order, with its own ``employment``) may be passed instead.

    Examples
    --------
    >>> estimate = regency_employment(
    ...     enterprises=pl.DataFrame({"kbli": ["C", "G"], "workers": [300_000, 200_000]}),
    ...     basis="enterprises")
    >>> t = regional_io_table(estimate, region="Kab. Contoh", delta=0.3)
    >>> national = read_bps_2020_17()
    >>> round(float(t.x[2] / t.employment[2]), 2), round(float(national.x[2] / 17_482_849), 2)
    (465.34, 465.34)
    """
    if table is None:
        national, citation = national_employment(params=params)
        table = read_bps_2020_17(employment=national, employment_source=citation)
    elif table.employment is None:
        raise ValueError(
            f"{table.name} has no employment by sector: regionalising needs the reference economy's "
            "workers by sector"
        )
    if table.n_sectors != len(BPS_SECTOR_CODES):
        raise ValueError(
            f"{table.name} has {table.n_sectors} sectors: regional employment is estimated by the 17 "
            "BPS industries, so the reference table must have those 17 sectors in BPS order"
        )
    regional = regionalise(
        table,
        employment.workers,
        delta=delta,
        region=region,
        employment_source=employment.source,
    )
    return regional.with_notes(
        f"Reference employment: {str(table.employment_source).rstrip('.')}.",
        *employment.notes[1:],
    )


def closure_income(table: IOTable, basis: str = "value_added") -> tuple[float | None, str]:
    """X_h for the Type II household closure and a note (parameter ``type_ii_household_income``).

    ``"labour_income"``: None (the default of :func:`~tuntas.economy.multipliers.household_closure`,
    X_h = Σ compensation of employees). ``"value_added"``: X_h = Σ labour income + Σ gross operating
    surplus (the primary-input row whose name contains "surplus"; it holds the mixed income of the
    self-employed); falls back to labour income when the table has no such row.

    Examples
    --------
    >>> income, note = closure_income(read_bps_2020_17())
    >>> f"{income:,.0f}"
    '14,951,097,248'
    """
    if basis not in ("value_added", "labour_income"):
        raise ValueError(f"basis must be 'value_added' or 'labour_income', not {basis!r}")
    if basis == "labour_income" or table.labour_income is None:
        return None, "Type II closure on labour income (X_h = Σ compensation of employees)."
    surplus_rows = [name for name in table.primary_input_names if "surplus" in name.lower()]
    if not surplus_rows:
        return None, (
            "Type II closure on labour income: the table has no operating-surplus row for a "
            "value-added closure."
        )
    income = float(table.labour_income.sum() + table.primary_input(surplus_rows[0]).sum())
    return income, (
        f"Type II closure on value added: X_h = Σ {table.labour_income_row} + Σ {surplus_rows[0]} "
        f"= {income:,.0f} {table.unit} (parameter economy.multipliers.type_ii_household_income)."
    )
