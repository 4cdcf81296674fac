"""The whole poverty analysis of a regency in one pure function: lines, FGT, PMT targeting,
small-area estimates and convergence (issue 3; DESIGN §5 "Poverty").

:func:`poverty_analysis` takes the canonical tables (``survey`` required; ``households``,
``persons`` and ``villages`` for targeting, small areas and convergence) and returns a
:class:`PovertyReport`:

1. **Lines** (:mod:`tuntas.poverty.lines`): the national and extreme lines of the regency for the
   year (1 March), and the line the report is about (``line_kind``: ``national``, ``extreme`` or a
   number of rupiah, which is then an assumption).
2. **Regency FGT** from the survey: P0, P1, P2 ×100 with linearised standard errors (strata,
   PSUs), poor people and population (survey-weighted) — the BPS-comparable row.
3. **Targeting** (:mod:`tuntas.poverty.targeting`): the PMT fitted on the survey, every registry
   household scored at each line; out-of-sample targeting errors by 5-fold cross-validation over
   PSUs; the list threshold calibrated so that the persons with p ≥ t add up to the extreme-poor
   persons implied by the desa small-area estimates (Σ_d EBLUP_d × N_d), or to ``target_total``
   when given (e.g. a published count); the ranked candidate list per desa (desil 1 ∪ PMT ∪
   recorded decisions, decisions kept); accuracy against ``truth`` when the caller has it
   (synthetic data only).
4. **Small areas** (:mod:`tuntas.poverty.small_area`): Fay–Herriot EBLUPs of P0 at the national
   and extreme lines (and a custom line) for every kecamatan and desa, with RMSE, CV and poor
   people = estimate × population of the village profiles.
5. **Level rows** for ``level`` = ``kecamatan`` or ``desa``: P0, P1 and P2 at the report's line
   for *every* area as Fay–Herriot estimates (EBLUP where sampled, synthetic elsewhere, RMSE as
   the standard error), next to the direct survey estimates where the area was sampled (direct
   estimates of a kecamatan with one or two sampled desa are too unstable to publish alone, and
   most kecamatan/desa have no sample at all).
6. **Convergence** (:mod:`tuntas.poverty.convergence`) over the candidate list.

The ``synthetic`` flag is passed in by the caller (it knows where the data came from) and is
carried into every output.

Examples
--------
>>> from tuntas.synth import synthesize
>>> result = synthesize("33.10", seed=1, scale=0.02)
>>> report = poverty_analysis(result.tables, region="33.10", level="kecamatan", year=2024,
...                           synthetic=True)
>>> report.line.rupiah, len(report.levels), report.synthetic
(505826.0, 26, True)
>>> report.to_dict()["line"]["status"], report.to_dict()["rows"][0]["region_code"]
('published', '33.10.01')
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from tuntas.params.loader import ParameterSet
from tuntas.poverty.convergence import Convergence, convergence
from tuntas.poverty.fgt import fgt_table
from tuntas.poverty.lines import LineNotFoundError, LineValue, custom_line, line_date, line_for
from tuntas.poverty.small_area import (
    LEVEL_LENGTH,
    SmallAreaEstimates,
    auxiliary,
    direct_estimates,
    small_area_estimates,
)
from tuntas.poverty.targeting import (
    DEFAULT_FOLDS,
    DEFAULT_SEED,
    calibrate_threshold,
    candidate_list,
    cross_validate,
    fit_pmt,
    holdout_errors,
    registry_frame,
    score,
    targeting_accuracy,
)
from tuntas.reference import all_regions

LEVELS: tuple[str, ...] = ("kabupaten", "kecamatan", "desa")
ROW_COLUMNS: tuple[str, ...] = (
    "region_code",
    "name",
    "p0",
    "se_p0",
    "p1",
    "se_p1",
    "p2",
    "se_p2",
    "poor",
    "se_poor",
    "population",
    "n_households",
)
"""The columns every level row has (rates ×100, poor and population in persons)."""


@dataclass(frozen=True)
class PovertyReport:
    """The result of :func:`poverty_analysis` (rates ×100; people in persons).

    Attributes
    ----------
    region, region_name : the regency.
    level : ``kabupaten``, ``kecamatan`` or ``desa``.
    year : the year of the lines (lines dated 1 March of it).
    line : the line of the report; ``lines`` every line used by kind.
    synthetic : the data are synthetic (given by the caller).
    regency : the regency row from the survey (:data:`ROW_COLUMNS` plus ``estimator``).
    levels : the rows of ``level`` (the regency row alone at ``kabupaten``).
    small_area : Fay–Herriot P0 per kecamatan and desa at each line (``level``, ``line_kind``).
    targeting : the PMT and list summary (R², threshold, totals, holdout errors …).
    candidates : the ranked candidate list (one row per listed household).
    accuracy : targeting rules against the truth (synthetic data with a truth), else None.
    convergence : programmes reaching the listed households.
    notes : what was assumed or could not be done.
    """

    region: str
    region_name: str
    level: str
    year: int
    line: LineValue
    lines: dict[str, LineValue]
    synthetic: bool
    regency: dict[str, Any]
    levels: pl.DataFrame
    small_area: pl.DataFrame
    targeting: dict[str, Any]
    candidates: pl.DataFrame
    accuracy: pl.DataFrame | None
    convergence: Convergence | None
    notes: tuple[str, ...] = field(default=())

    def assumptions(self) -> list[str]:
        """The assumptions behind the numbers (lines marked assumption, synthetic data)."""
        found = [
            f"{kind} line Rp {line.rupiah:,.0f} ({line.date.isoformat()}) is an assumption: "
            f"{line.reference}"
            for kind, line in self.lines.items()
            if line.is_assumption
        ]
        if self.synthetic:
            found.insert(0, "DATA SINTETIS: the data are synthetic, not real people")
        return found

    def to_dict(self, *, candidates: bool = False) -> dict[str, Any]:
        """JSON-ready dictionary (NaN → None, dates as ISO strings); the candidate list only when
        ``candidates`` is true (it is large and personal)."""
        convergence_part: dict[str, Any] | None = None
        if self.convergence is not None:
            convergence_part = {
                "summary": self.convergence.summary(),
                "by_desa": records(self.convergence.by_desa),
            }
        out: dict[str, Any] = {
            "synthetic": self.synthetic,
            "region": {"code": self.region, "name": self.region_name},
            "level": self.level,
            "year": self.year,
            "line": self.line.to_dict(),
            "lines": {kind: line.to_dict() for kind, line in self.lines.items()},
            "regency": clean(self.regency),
            "rows": records(self.levels),
            "small_area": records(self.small_area),
            "targeting": clean(self.targeting),
            "accuracy": None if self.accuracy is None else records(self.accuracy),
            "convergence": convergence_part,
            "notes": list(self.notes),
            "assumptions": self.assumptions(),
        }
        if candidates:
            out["candidates"] = records(self.candidates)
        return out


def clean(value: Any) -> Any:
    """A JSON-ready copy: NaN/inf → None, dates → ISO strings, NumPy scalars → Python.

    Examples
    --------
    >>> clean({"a": float("nan"), "b": [dt.date(2024, 3, 1), np.float64(1.5)]})
    {'a': None, 'b': ['2024-03-01', 1.5]}
    """
    if isinstance(value, Mapping):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as JSON-ready dictionaries."""
    return [clean(row) for row in frame.to_dicts()]


def _design_columns(survey: pl.DataFrame) -> tuple[str | None, str | None]:
    strata = "stratum" if "stratum" in survey.columns else None
    psu = "psu" if "psu" in survey.columns else None
    return strata, psu


def _within(frame: pl.DataFrame | None, region: str) -> pl.DataFrame | None:
    if frame is None or "region_code" not in frame.columns:
        return frame
    return frame.filter(
        (pl.col("region_code") == region) | pl.col("region_code").str.starts_with(region + ".")
    )


def _names(level: str, region: str) -> pl.DataFrame:
    length = LEVEL_LENGTH[level]
    return (
        all_regions()
        .filter(
            pl.col("code").str.starts_with(region + ".")
            & (pl.col("code").str.len_chars() == length)
        )
        .select(pl.col("code").alias("area"), "name")
    )


def _resolve_lines(
    region: str, line_kind: str | float, year: int, params: ParameterSet | None, notes: list[str]
) -> tuple[LineValue, dict[str, LineValue]]:
    lines: dict[str, LineValue] = {}
    wanted = line_kind if isinstance(line_kind, str) else "custom"
    for kind in ("national", "extreme"):
        try:
            lines[kind] = line_for(region, year=year, kind=kind, params=params)
        except LineNotFoundError as error:
            if kind == wanted:
                raise
            notes.append(f"{error}; only the requested line is used")
    if isinstance(line_kind, str):
        if line_kind not in lines:
            raise ValueError(
                f"line_kind must be 'national', 'extreme' or a number, not {line_kind!r}"
            )
        return lines[line_kind], lines
    chosen = custom_line(float(line_kind), region=region, date=line_date(year=year))
    lines["custom"] = chosen
    return chosen, lines


def _regency_row(survey: pl.DataFrame, line: float, region: str, name: str) -> dict[str, Any]:
    strata, psu = _design_columns(survey)
    total = fgt_table(survey, line=line, strata=strata, psu=psu).row(0, named=True)
    return {
        "region_code": region,
        "name": name,
        **{k: total[k] for k in ("p0", "se_p0", "p1", "se_p1", "p2", "se_p2", "poor", "se_poor")},
        "population": total["population"],
        "n_households": total["households"],
        "n_psus": int(survey[psu].n_unique()) if psu else total["households"],
        "estimator": "direct",
        "se_method": total["se_method"],
    }


def _level_rows(
    *,
    fits: dict[float, SmallAreaEstimates],
    direct: pl.DataFrame,
    names: pl.DataFrame,
) -> pl.DataFrame:
    p0 = fits[0].estimates
    table = p0.select(
        pl.col("area").alias("region_code"),
        pl.col("eblup").alias("p0"),
        pl.col("rmse").alias("se_p0"),
        "poor",
        (pl.col("rmse") / 100.0 * pl.col("population")).alias("se_poor"),
        "population",
        "n_households",
        "n_psus",
        "estimator",
    )
    for alpha in (1, 2):
        label = f"p{alpha}"
        if alpha in fits:
            part = fits[alpha].estimates.select(
                pl.col("area").alias("region_code"),
                pl.col("eblup").alias(label),
                pl.col("rmse").alias(f"se_{label}"),
            )
            table = table.join(part, on="region_code", how="left")
        else:
            table = table.with_columns(
                pl.lit(None, dtype=pl.Float64).alias(label),
                pl.lit(None, dtype=pl.Float64).alias(f"se_{label}"),
            )
    direct_part = direct.select(
        pl.col("area").alias("region_code"),
        *(pl.col(c).alias(f"{c}_direct") for c in ("p0", "se_p0", "p1", "se_p1", "p2", "se_p2")),
    )
    table = (
        table.join(direct_part, on="region_code", how="left")
        .join(names.rename({"area": "region_code"}), on="region_code", how="left")
        .with_columns(pl.col("n_households").cast(pl.Int64), pl.col("n_psus").cast(pl.Int64))
    )
    front = list(ROW_COLUMNS)
    rest = ["n_psus", "estimator"] + [
        f"{c}_direct" for c in ("p0", "se_p0", "p1", "se_p1", "p2", "se_p2")
    ]
    return table.select(front + rest).sort("region_code")


def _fit_or_note(notes: list[str], what: str, **kwargs: Any) -> SmallAreaEstimates | None:
    try:
        fit = small_area_estimates(**kwargs)
    except ValueError as error:
        notes.append(f"{what}: {error}")
        return None
    notes.extend(f"{what}: {n}" for n in fit.notes)
    return fit


def poverty_analysis(
    tables: Mapping[str, pl.DataFrame],
    *,
    region: str,
    level: str = "kabupaten",
    line_kind: str | float = "national",
    year: int | None = None,
    params: ParameterSet | None = None,
    synthetic: bool = False,
    truth: pl.DataFrame | None = None,
    interventions: pl.DataFrame | None = None,
    target_total: float | None = None,
    folds: int = DEFAULT_FOLDS,
    seed: int = DEFAULT_SEED,
) -> PovertyReport:
    """Run the regency's poverty analysis (see the module docstring for the steps).

    Parameters
    ----------
    tables : canonical frames by kind: ``survey`` (required), ``households``, ``persons``,
        ``villages`` (optional; without them targeting, small areas or convergence are skipped
        with a note).
    region : the kabupaten/kota code (``33.10``).
    level : ``kabupaten``, ``kecamatan`` or ``desa`` — the rows of the report.
    line_kind : ``national``, ``extreme`` or a line in Rp/capita/month.
    year : year of the lines (1 March); default the latest ``year`` of the village profiles, else
        the current year.
    params : parameters (lines) to use; the shipped baseline when omitted.
    synthetic : the data are synthetic (carried into every output).
    truth : registry ground truth (household_id, poor_extreme, …) to measure targeting accuracy.
    interventions : recorded interventions (household_id, instrument) for convergence.
    target_total : extreme-poor persons the list is calibrated to (default: the small-area total).
    folds, seed : cross-validation of the PMT.

    Returns
    -------
    PovertyReport
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    if len(region) != LEVEL_LENGTH["kabupaten"]:
        raise ValueError(f"region must be a kabupaten/kota code like 33.10, not {region!r}")
    if "survey" not in tables:
        raise ValueError("the survey table is needed (consumption, weights, strata, PSUs)")
    notes: list[str] = []
    survey = _within(tables["survey"], region)
    assert survey is not None
    if survey.height == 0:
        raise ValueError(f"the survey has no household in region {region}")
    households = _within(tables.get("households"), region)
    persons = tables.get("persons")
    villages = _within(tables.get("villages"), region)
    if year is None:
        year = (
            int(villages["year"].max())  # type: ignore[arg-type]
            if villages is not None and "year" in villages.columns and villages.height
            else dt.date.today().year
        )
    line, lines = _resolve_lines(region, line_kind, year, params, notes)
    names = all_regions().filter(pl.col("code") == region)
    region_name = str(names["name"][0]) if names.height else region
    regency = _regency_row(survey, line.rupiah, region, region_name)
    strata, psu = _design_columns(survey)

    # ---- PMT
    scored: pl.DataFrame | None = None
    targeting: dict[str, Any] = {}
    head = persons is not None and all(
        c in survey.columns for c in ("head_sex", "head_age", "head_education", "head_sector")
    )
    urban = villages is not None and "urban" in survey.columns
    line_values = {kind: value.rupiah for kind, value in lines.items()}
    if households is not None and households.height:
        model = fit_pmt(survey, psu=psu, head=head, urban=urban)
        registry = registry_frame(
            households,
            persons=persons if head else None,
            villages=villages if urban else None,
            at=line.date,
        )
        scored = score(model, registry, lines=line_values)
        targeting.update(
            {
                "model": "WLS of ln consumption per capita (numpy lstsq), heteroscedastic normal "
                "predictive distribution",
                "r2": model.r2,
                "residual_sd": math.sqrt(model.sigma2),
                "survey_households": model.n,
                "coefficients": len(model.spec.columns),
                "head_characteristics": head,
                "registry_households": scored.height,
                "imputed_households": int(scored["imputed"].sum()),
                "expected_persons": {
                    kind: float((scored[f"p_{kind}"] * scored["size"]).sum())
                    for kind in line_values
                },
            }
        )
    else:
        notes.append("no registry households: no targeting, no PMT covariates, no convergence")

    # ---- small areas
    small_rows: list[pl.DataFrame] = []
    level_fits: dict[float, SmallAreaEstimates] = {}
    level_direct: pl.DataFrame | None = None
    if villages is not None and villages.height:
        for area_level in ("kecamatan", "desa"):
            names_level = _names(area_level, region)
            direct_cache: dict[str, pl.DataFrame] = {}
            for kind, value in line_values.items():
                probability = f"p_{kind}" if scored is not None else None
                areas = auxiliary(
                    villages, level=area_level, registry=scored, probability=probability
                )
                alphas = (0, 1, 2) if (area_level == level and value == line.rupiah) else (0,)
                direct = direct_estimates(
                    survey, level=area_level, line=value, alphas=alphas, strata=strata, psu=psu
                )
                direct_cache[kind] = direct
                fit = _fit_or_note(
                    notes,
                    f"small areas {area_level} P0 {kind}",
                    survey=survey,
                    areas=areas,
                    level=area_level,
                    line=value,
                    alpha=0,
                    direct=direct,
                    strata=strata,
                    psu=psu,
                )
                if fit is None:
                    continue
                small_rows.append(
                    fit.estimates.join(names_level, on="area", how="left").select(
                        pl.lit(area_level).alias("level"),
                        pl.lit(kind).alias("line_kind"),
                        pl.lit(value).alias("line"),
                        pl.col("area").alias("region_code"),
                        "name",
                        pl.exclude("area", "name"),
                    )
                )
                if area_level == level and value == line.rupiah:
                    level_fits[0] = fit
                    level_direct = direct
                    for alpha in (1, 2):
                        extra = _fit_or_note(
                            notes,
                            f"small areas {area_level} P{alpha} {kind}",
                            survey=survey,
                            areas=areas,
                            level=area_level,
                            line=value,
                            alpha=alpha,
                            direct=direct,
                            strata=strata,
                            psu=psu,
                        )
                        if extra is not None:
                            level_fits[alpha] = extra
    else:
        notes.append("no village profiles: no small-area estimates")
    small_area = pl.concat(small_rows) if small_rows else pl.DataFrame()

    # ---- level rows
    if level == "kabupaten":
        levels = pl.DataFrame([regency])
    elif 0 in level_fits and level_direct is not None:
        levels = _level_rows(
            fits=level_fits,
            direct=level_direct,
            names=_names(level, region),
        )
    else:
        notes.append(f"no {level} rows: the small-area model could not be fitted")
        levels = pl.DataFrame()

    # ---- list, accuracy, convergence
    candidates = pl.DataFrame()
    accuracy: pl.DataFrame | None = None
    converged: Convergence | None = None
    if scored is not None and households is not None and "extreme" in line_values:
        total_source = "given"
        total = target_total
        if total is None and small_rows:
            desa_extreme = small_area.filter(
                (pl.col("level") == "desa") & (pl.col("line_kind") == "extreme")
            )
            if desa_extreme.height:
                total = float(desa_extreme["poor"].sum())
                total_source = "small-area estimates (Σ desa EBLUP × population)"
        if total is None:
            total = float((scored["p_extreme"] * scored["size"]).sum())
            total_source = "PMT expected count (Σ p × size)"
            notes.append("list threshold calibrated to the PMT's own expected count")
        threshold = calibrate_threshold(scored["p_extreme"], total, weights=scored["size"])
        candidates = candidate_list(scored, threshold=threshold)
        above = scored["p_extreme"] >= threshold
        cv = cross_validate(
            survey, psu=psu or "household_id", head=head, urban=urban, folds=folds, seed=seed
        )
        holdout = [
            {
                "line_kind": kind,
                "threshold": t,
                **holdout_errors(cv, line=line_values[kind], threshold=t).to_dict(),
            }
            for kind, t in (("extreme", threshold), ("extreme", 0.5), ("national", 0.5))
            if kind in line_values
        ]
        decision = candidates["decision"]
        targeting.update(
            {
                "line_kind": "extreme",
                "line": line_values["extreme"],
                "target_persons": total,
                "target_source": total_source,
                "threshold": threshold,
                "selected_by_pmt_households": int(above.sum()),
                "selected_by_pmt_persons": float(scored.filter(above)["size"].sum()),
                "rule": "candidates = desil 1 ∪ {p_extreme ≥ threshold} ∪ recorded decisions; "
                "recorded decisions are kept",
                "listed_households": candidates.height,
                "listed_by_source": dict(
                    candidates.group_by("source").len().sort("source").iter_rows()
                ),
                "candidates_to_verify": int((decision == "candidate").sum()),
                "verified_extreme": int((decision == "verified_extreme").sum()),
                "not_extreme": int((decision == "not_extreme").sum()),
                "holdout": holdout,
                "holdout_design": f"{folds}-fold cross-validation over PSUs, seed {seed}; "
                "household weights",
            }
        )
        if truth is not None:
            accuracy = targeting_accuracy(scored, truth, threshold=threshold)
        converged = convergence(households, candidates=candidates, interventions=interventions)
    elif scored is not None:
        notes.append("no extreme line for the year: no candidate list, no convergence")
    if line.is_assumption:
        notes.append(f"the line (Rp {line.rupiah:,.0f}) is an assumption: {line.reference}")
    return PovertyReport(
        region=region,
        region_name=region_name,
        level=level,
        year=year,
        line=line,
        lines=lines,
        synthetic=synthetic,
        regency=regency,
        levels=levels,
        small_area=small_area,
        targeting=targeting,
        candidates=candidates,
        accuracy=accuracy,
        convergence=converged,
        notes=tuple(notes),
    )


__all__: Sequence[str] = ("LEVELS", "ROW_COLUMNS", "PovertyReport", "poverty_analysis")


def pmt_consumption(
    tables: Mapping[str, pl.DataFrame], *, region: str, at: dt.date | None = None
) -> pl.DataFrame:
    """Predicted consumption per capita of every registry household from the regency's PMT.

    For plans on real registries, where consumption is unknown: the proxy-means test is fitted on
    the survey (:func:`~tuntas.poverty.targeting.fit_pmt`) and applied to the registry; the value is
    the median of the predictive distribution, exp(x'β̂), Rp/capita/month.

    Returns
    -------
    pl.DataFrame
        household_id, consumption_pc.
    """
    survey = _within(tables["survey"], region)
    households = _within(tables["households"], region)
    persons = tables.get("persons")
    villages = _within(tables.get("villages"), region)
    if survey is None or households is None or survey.height == 0:
        raise ValueError(f"no survey or registry for {region}: the PMT cannot be fitted")
    _strata, psu = _design_columns(survey)
    head = persons is not None and all(
        c in survey.columns for c in ("head_sex", "head_age", "head_education", "head_sector")
    )
    urban = villages is not None and "urban" in survey.columns
    model = fit_pmt(survey, psu=psu, head=head, urban=urban)
    registry = registry_frame(
        households,
        persons=persons if head else None,
        villages=villages if urban else None,
        at=at or dt.date.today(),
    )
    scored = score(model, registry, lines={})
    return scored.select("household_id", pl.col("predicted_pc").alias("consumption_pc"))
