"""The calibration table: every target, its published source, the rule, and what was achieved.

Rules: ``exact`` (counts at scale 1), ``±x`` (absolute), ``±x%`` (relative), ``≥ target`` and
``within [a, b]``. Counts are scaled with ``scale`` (and by population for regencies other than
Klaten, whose targets are Klaten's profile), so exact rules still apply to the scaled counts.

Examples
--------
>>> Check("P0", "BPS", 12.04, 12.1, "abs", 0.3).row()["ok"]
True
>>> Check("heads in agriculture", "BPS", 0.5, 0.45, "min").row()["tolerance"]
'≥ target'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from tuntas.synth.calibrate import fgt
from tuntas.synth.facts import (
    BPS_POVERTY_SOURCE,
    DUKCAPIL_SOURCE,
    P3KE_KECAMATAN_SOURCE,
    P3KE_SOURCE,
    VERIFICATION_SOURCE,
)
from tuntas.synth.households import RegistryTargets
from tuntas.synth.indicators import INDICATORS
from tuntas.synth.regions import Geography

KLATEN_POPULATION = 1302648
EXTREME_RATE_RANGE = (1.0, 2.0)
"""Extreme poverty, % of persons: 'about 1–2%' (Jawa Tengah 1.97% in 2022; national 1.26% in 2024)."""
LOCI_EXTREME_RATIO_MIN = 2.0
PMT_R2_RANGE = (0.30, 0.60)
TRUTH_P0_TOLERANCE = 1.6
"""Population P0 may differ from BPS by the survey's sampling error: ±1.6 points ≈ 2 standard errors
of a 1,200-household two-stage sample (BPS publishes relative standard errors of 5–8% for regencies)."""

SCHEMA = {
    "target": pl.Utf8,
    "source": pl.Utf8,
    "target_value": pl.Float64,
    "achieved": pl.Float64,
    "tolerance": pl.Utf8,
    "ok": pl.Boolean,
}


@dataclass(frozen=True)
class Check:
    """One calibration target and how it is judged."""

    target: str
    source: str
    value: float
    achieved: float
    rule: str = "exact"
    tol: float = 0.0
    high: float = 0.0

    def row(self) -> dict[str, Any]:
        """The table row: ``target, source, target_value, achieved, tolerance, ok``."""
        v, a = float(self.value), float(self.achieved)
        if self.rule == "exact":
            text, ok = "exact", a == v
        elif self.rule == "abs":
            text, ok = f"±{self.tol:.2f}", abs(a - v) <= self.tol + 1e-12
        elif self.rule == "rel":
            text, ok = f"±{self.tol:.0%}", abs(a - v) <= self.tol * max(abs(v), 1.0)
        elif self.rule == "min":
            text, ok = "≥ target", a >= v
        elif self.rule == "range":
            text, ok = f"within [{self.tol:.2f}, {self.high:.2f}]", self.tol <= a <= self.high
        elif self.rule == "report":
            text, ok = "reported", True
        else:  # pragma: no cover - programming error
            raise ValueError(f"unknown rule {self.rule!r}")
        return {
            "target": self.target,
            "source": self.source,
            "target_value": v,
            "achieved": a,
            "tolerance": text,
            "ok": bool(ok),
        }


@dataclass(frozen=True)
class Population:
    """Household-level facts of the whole regency needed to judge the targets."""

    consumption: np.ndarray
    size: np.ndarray
    desil: np.ndarray
    desa_index: np.ndarray
    head_sector: np.ndarray
    head_education: np.ndarray
    size_class_2024: np.ndarray
    umkm_2024: np.ndarray
    wage_2024: np.ndarray


def pmt_r2(frame: pl.DataFrame) -> float:
    """R² of log consumption on indicator dummies (OLS with intercept, unweighted) in ``frame``."""
    y = np.log(frame["consumption_pc"].to_numpy())
    columns = [np.ones(frame.height)]
    for ind in INDICATORS:
        values = frame[ind.name].cast(pl.Utf8).fill_null("na").to_numpy()
        for level in sorted(set(values.tolist()))[1:]:
            columns.append((values == level).astype(np.float64))
    x = np.column_stack(columns)
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ beta
    return float(1.0 - resid.var() / y.var())


def _registry_checks(
    tables: dict[str, pl.DataFrame], geo: Geography, t: RegistryTargets, scale: float
) -> list[Check]:
    scaled = t.scaled_from_klaten or scale != 1.0
    src = P3KE_SOURCE + (" (scaled)" if scaled else "")
    hh = tables["households"]
    stats = {
        d: (n, p)
        for d, n, p in hh.group_by("welfare_decile").agg(pl.len(), pl.col("size").sum()).iter_rows()
    }
    checks = [
        Check(f"families desil {j + 1}", src, t.families_by_desil[j], stats.get(j + 1, (0, 0))[0])
        for j in range(4)
    ]
    checks.append(Check("families desil 1–4", src, sum(t.families_by_desil), hh.height))
    checks += [
        Check(f"persons desil {j + 1}", src, t.persons_by_desil[j], stats.get(j + 1, (0, 0))[1])
        for j in range(4)
    ]
    checks.append(
        Check("persons desil 1–4", src, sum(t.persons_by_desil), tables["persons"].height)
    )
    per_kec = dict(hh.group_by(pl.col("region_code").str.slice(0, 8)).agg(pl.len()).iter_rows())
    names = dict(geo.kecamatan.select("code", "name").iter_rows())
    for code, value in sorted(t.kecamatan_fixed.items()):
        checks.append(
            Check(
                f"families kecamatan {names.get(code, code)}",
                P3KE_KECAMATAN_SOURCE,
                value,
                per_kec.get(code, 0),
            )
        )
    return checks


def _poverty_checks(
    tables: dict[str, pl.DataFrame],
    geo: Geography,
    pop: Population,
    *,
    line: float,
    extreme_line: float,
    targets: tuple[float, float, float],
    scaled_from_klaten: bool,
) -> list[Check]:
    src = BPS_POVERTY_SOURCE + ("; Klaten's profile" if scaled_from_klaten else "")
    sv = tables["survey"]
    w = (sv["weight"] * sv["size"]).to_numpy()
    y = sv["consumption_pc"].to_numpy()
    p0, p1, p2 = (100 * t for t in targets)
    s0, s1, s2 = (100 * fgt(y, w, line, a) for a in (0, 1, 2))
    wp = pop.size.astype(np.float64)
    q0, q1, q2 = (100 * fgt(pop.consumption, wp, line, a) for a in (0, 1, 2))
    truth = src + "; population truth differs by the survey's sampling error"
    checks = [
        Check("P0 survey-weighted (%)", src, p0, s0, "abs", 0.3),
        Check("P1 survey-weighted (×100)", src, p1, s1, "abs", 0.15),
        Check("P2 survey-weighted (×100)", src, p2, s2, "abs", 0.1),
        Check("P0 population truth (%)", truth, p0, q0, "abs", TRUTH_P0_TOLERANCE),
        Check("P1 population truth (×100)", truth, p1, q1, "abs", 0.4),
        Check("P2 population truth (×100)", truth, p2, q2, "abs", 0.15),
    ]
    extreme = pop.consumption < extreme_line
    rate = 100 * float((wp * extreme).sum() / wp.sum())
    lo, hi = EXTREME_RATE_RANGE
    checks.append(
        Check(
            "extreme poverty, persons (%)",
            "brief: about 1–2% at the 2024 extreme line (Jawa Tengah 1.97% in 2022, Kompas)",
            1.5,
            rate,
            "range",
            lo,
            hi,
        )
    )
    desa = geo.desa
    loci = (desa["loci_2022"].to_numpy() | desa["loci_2023"].to_numpy())[pop.desa_index]
    inside = float((wp * extreme)[loci].sum() / max(wp[loci].sum(), 1.0))
    outside = float((wp * extreme)[~loci].sum() / max(wp[~loci].sum(), 1.0))
    ratio = inside / outside if outside > 0 else float("inf")
    checks.append(
        Check(
            "extreme rate in loci 2022/2023 ÷ rest",
            "issue 2: extreme poverty concentrated in the 2022 and 2023 loci",
            LOCI_EXTREME_RATIO_MIN,
            ratio,
            "min",
        )
    )
    poor_heads = extreme & (pop.desil > 0)
    n = max(int(poor_heads.sum()), 1)
    agri = float((pop.head_sector[poor_heads] == "A").sum() / n)
    low_school = np.isin(pop.head_education[poor_heads].astype(str), ["tidak_sekolah", "sd"])
    checks += [
        Check(
            "extreme-poor registry heads in agriculture (share)",
            "BPS, Rakornas 9/11/2023 via Bisnis.com: most extreme-poor households farm",
            0.5,
            agri,
            "min",
        ),
        Check(
            "extreme-poor registry heads with primary schooling or less (share)",
            "issue 2 (BPS profile of the extreme poor)",
            0.7,
            float(low_school.sum() / n),
            "min",
        ),
        Check(
            "PMT R² (log consumption on indicators, survey)",
            "brief: 0.3–0.6, as proxy-means tests in Indonesia",
            0.45,
            pmt_r2(sv),
            "range",
            *PMT_R2_RANGE,
        ),
    ]
    return checks


def _structure_checks(
    tables: dict[str, pl.DataFrame],
    geo: Geography,
    t: RegistryTargets,
    pop: Population,
    *,
    scale: float,
    umk: float,
) -> list[Check]:
    hh = tables["households"]
    desa = geo.desa
    loci22 = desa.filter(pl.col("loci_2022"))["code"].implode()
    d1 = hh.filter(pl.col("region_code").is_in(loci22) & (pl.col("welfare_decile") == 1)).height
    verified = hh.filter(pl.col("verification_status") == "verified_extreme").height
    # at small scales the desa draws are noisy: allow 3·√n as well as 10%; other regencies: report
    d1_rule, d1_tol, d1_target = _count_rule(t.loci_2022_desil1, d1, scale)
    v_rule, v_tol, v_target = _count_rule(t.verified_extreme, verified, scale)
    sv = tables["survey"]
    n_households = float(pop.size.size)
    ent = tables["enterprises"]
    ratio = geo.population / KLATEN_POPULATION
    structural = ent.filter(
        pl.col("legal_form").is_in(["koperasi", "bumdes"]) & (pl.col("year") == 2023)
    ).height
    e24 = ent.filter(pl.col("year") == 2024)
    n_rural = desa.filter(pl.col("kind") != "kelurahan").height
    micro_wages = pop.wage_2024[(pop.size_class_2024 == "mikro") & ~np.isnan(pop.wage_2024)]
    checks = [
        Check("population (registry + others)", DUKCAPIL_SOURCE, t.population, int(pop.size.sum())),
        Check(
            "desil-1 families in 2022 loci",
            VERIFICATION_SOURCE,
            d1_target,
            d1,
            d1_rule,
            d1_tol,
        ),
        Check(
            "verified extreme-poor families 2022",
            VERIFICATION_SOURCE,
            v_target,
            verified,
            v_rule,
            v_tol,
        ),
        Check(
            "survey households",
            "issue 2: Susenas-like sample of about 1,200 households",
            1200.0 if scale >= 1 else float(sv.height),
            sv.height,
            "rel" if scale >= 1 else "report",
            0.1,
        ),
        Check(
            "survey weights sum (households)",
            "design: Σw = households",
            n_households,
            float(sv["weight"].sum()),
            "rel",
            0.01,
        ),
    ]
    for year in (2023, 2024):
        n = ent.filter(pl.col("year") == year).height
        want = (
            50000 * ratio * scale + structural * (1 - min(scale, 1.0))
            if scale < 1
            else 50000 * ratio
        )
        checks.append(
            Check(
                f"enterprises {year} (all forms)",
                "issue 2: about 50,000 (UMKM scaled; a cooperative and a BUMDes per desa at any scale)",
                round(want),
                n,
                "rel",
                0.1,
            )
        )
    checks += [
        Check(
            "desa with a cooperative (2024)",
            "issue 2: a cooperative in every desa",
            desa.height,
            e24.filter(pl.col("is_cooperative"))["region_code"].n_unique(),
        ),
        Check(
            "desa (not kelurahan) with a BUMDes (2024)",
            "UU 6/2014 tentang Desa; brief",
            n_rural,
            e24.filter(pl.col("legal_form") == "bumdes")["region_code"].n_unique(),
        ),
        Check(
            "micro share of UMKM 2024 (PP 7/2021)",
            "KemenKopUKM: about 99% of UMKM are micro",
            0.95,
            float((pop.size_class_2024[pop.umkm_2024] == "mikro").mean()),
            "min",
        ),
        Check(
            "micro-enterprise wages below UMK 2024 (share)",
            "PP 36/2021 Pasal 36: micro and small enterprises are exempt from the UMK",
            0.7,
            float((micro_wages < umk).mean()) if micro_wages.size else 0.0,
            "min",
        ),
    ]
    return checks


def _count_rule(target: int | None, achieved: int, scale: float) -> tuple[str, float, float]:
    if target is None:
        return "report", 0.0, float(achieved)
    tol = 0.1 if scale >= 1.0 else max(0.1, 3.0 / float(np.sqrt(max(target, 1))))
    return "rel", tol, float(target)


def calibration_table(
    tables: dict[str, pl.DataFrame],
    geo: Geography,
    targets: RegistryTargets,
    pop: Population,
    *,
    scale: float,
    line: float,
    extreme_line: float,
    poverty_targets: tuple[float, float, float],
    umk: float,
) -> pl.DataFrame:
    """Every calibration target with its source, tolerance, achieved value and whether it holds."""
    checks = [
        *_registry_checks(tables, geo, targets, scale),
        *_poverty_checks(
            tables,
            geo,
            pop,
            line=line,
            extreme_line=extreme_line,
            targets=poverty_targets,
            scaled_from_klaten=targets.scaled_from_klaten,
        ),
        *_structure_checks(tables, geo, targets, pop, scale=scale, umk=umk),
    ]
    return pl.DataFrame([c.row() for c in checks], schema=SCHEMA)
