"""``synthesize``: the whole synthetic regency, calibrated, in canonical tables.

The steps, in order (each module documents its own formulas and assumptions):

1. geography — desa, centroids, areas, urban flags, loci (:mod:`~tuntas.synth.regions`);
2. registry families by kecamatan × desil × desa, sizes, and the rest of the population
   (:mod:`~tuntas.synth.households`);
3. heads, latent welfare and housing indicators for *every* household
   (:mod:`~tuntas.synth.consumption`, :mod:`~tuntas.synth.indicators`);
4. the Susenas-like sample, then the consumption transform solved on it so the survey-weighted
   P0/P1 match BPS (:mod:`~tuntas.synth.survey`, :mod:`~tuntas.synth.calibrate`);
5. assistance flags, 2022 verification, members with NIKs (:mod:`~tuntas.synth.verification`,
   :mod:`~tuntas.synth.persons`, :mod:`~tuntas.synth.nik`);
6. enterprises (two snapshots), villages, the calibration table and the manifest.

Examples
--------
>>> r = synthesize("33.10", seed=1, scale=0.005)
>>> sorted(r.tables)
['enterprises', 'households', 'persons', 'survey', 'villages']
>>> r.manifest["synthetic"], r.truth.height == r.tables["households"].height
(True, True)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

import tuntas
from tuntas.params.loader import ParameterError, ParameterValue, baseline
from tuntas.reference import descendants
from tuntas.synth import (
    consumption,
    enterprises,
    households,
    indicators,
    nik,
    persons,
    survey,
    verification,
    villages,
)
from tuntas.synth import targets as targets_mod
from tuntas.synth.arrays import keep
from tuntas.synth.calibrate import fgt, solve_transform, weighted_quantile
from tuntas.synth.facts import KLATEN, klaten_facts
from tuntas.synth.regions import Geography, geography
from tuntas.synth.rng import stream
from tuntas.tables.schemas import TABLES

Progress = Callable[[str, float], None]

POVERTY_DATE = dt.date(2024, 3, 1)
"""The March 2024 Susenas round the survey imitates (lines and targets of that date)."""


@dataclass
class SynthResult:
    """What :func:`synthesize` returns (see the module docstring of :mod:`tuntas.synth`)."""

    tables: dict[str, pl.DataFrame]
    truth: pl.DataFrame
    calibration: pl.DataFrame
    manifest: dict[str, Any]
    extras: dict[str, pl.DataFrame] = field(default_factory=dict, repr=False)
    """Data only the P3KE workbook needs (address, Dukcapil match flags)."""


def _param(path: str, region: str, notes: list[str]) -> ParameterValue:
    return _param_at(path, region, POVERTY_DATE, notes)


def _line_record(value: ParameterValue) -> dict[str, Any]:
    return {
        "value": value.value,
        "date": value.date.isoformat(),
        "region": value.region or "national",
        "reference": value.reference,
        "status": value.status,
    }


def _cast(frame: pl.DataFrame, table: str) -> pl.DataFrame:
    schema = TABLES[table].polars_schema
    return frame.select([pl.col(name).cast(dtype) for name, dtype in schema.items()])


def _clusters(geo: Geography) -> list[tuple[str, str, str]]:
    """``(cluster name, kbli, desa code)`` for the regency (Klaten only; plus the assumed genteng)."""
    if geo.regency != KLATEN:
        return []
    found = [(c.name, c.kbli, d) for c in klaten_facts().clusters for d in c.desa]
    found += [
        ("Genteng Cawas (desa diasumsikan)", "23922", d) for d in enterprises.genteng_desa(geo)
    ]
    return found


def _silent(step: str, fraction: float) -> None:
    return None


def synthesize(
    regency: str = KLATEN,
    *,
    seed: int = 1,
    scale: float = 1.0,
    progress: Progress | None = None,
) -> SynthResult:
    """Generate a SYNTHETIC regency: registry, persons, enterprises, survey, villages, truth.

    Parameters
    ----------
    regency
        Kemendagri code of a kabupaten/kota (``"33.10"`` or ``"3310"``).
    seed
        Non-negative integer; the same seed gives identical tables.
    scale
        Fraction of the full population (0 < scale ≤ 10); exact published counts hold at 1.
    progress
        Optional callback ``progress(step, fraction)`` with fraction in [0, 1].
    """
    report = progress or _silent
    if not 0 < scale <= 10:
        raise ValueError(f"scale must be in (0, 10], got {scale}")
    report("wilayah", 0.0)
    geo = geography(regency)
    code = geo.regency
    notes: list[str] = list(geo.notes)
    national = _param("poverty_lines.national_line", code, notes)
    extreme = _param("poverty_lines.extreme_line", code, notes)
    umk23 = _param_at("wages.umk", code, dt.date(2023, 6, 30), notes)
    umk24 = _param_at("wages.umk", code, dt.date(2024, 6, 30), notes)
    province = code.split(".")[0]
    floor23 = _param_at("poverty_lines.national_line", province, dt.date(2023, 3, 1), notes)
    floor24 = _param_at("poverty_lines.national_line", province, dt.date(2024, 3, 1), notes)
    line = float(national.value)
    extreme_line = float(extreme.value)
    facts = klaten_facts()
    p0_target, p1_target, p2_target = (
        facts.poverty_2024.p0 / 100,
        facts.poverty_2024.p1 / 100,
        facts.poverty_2024.p2 / 100,
    )
    targets = households.registry_targets(geo, scale=scale)
    desa = geo.desa
    n_desa = desa.height

    # ---- registry families
    report("keluarga P3KE", 0.05)
    pop_weights = households.desa_population_weights(geo, stream(seed, "regions"))
    rng = stream(seed, "registry")
    registry, m22 = households.allocate_registry(geo, targets, pop_weights, rng)
    registry = (
        registry.with_columns(pl.Series("_key", rng.random(registry.height)))
        .sort(["desa_index", "_key"])
        .drop("_key")
    )
    desil = registry["desil"].to_numpy()
    reg_desa = registry["desa_index"].to_numpy()
    mean_size = np.array(
        [0.0]
        + [
            p / max(f, 1)
            for p, f in zip(targets.persons_by_desil, targets.families_by_desil, strict=True)
        ]
    )
    sizes = households.exact_sizes(
        mean_size[desil],
        desil,
        {j + 1: targets.persons_by_desil[j] for j in range(4)},
        stream(seed, "sizes"),
    )
    reg_persons = np.bincount(reg_desa, weights=sizes, minlength=n_desa).astype(np.int64)
    non_desa, non_size = households.nonregistry_households(
        geo, targets, pop_weights, reg_persons, stream(seed, "nonregistry")
    )
    codes = desa["code"].to_list()
    digits = np.array([c.replace(".", "") for c in codes], dtype=object)
    serial = _serial(reg_desa)
    household_id = np.array(
        [f"P{digits[d]}-{s:05d}" for d, s in zip(reg_desa, serial, strict=True)], dtype=object
    )

    # ---- the whole population of households
    report("rumah tangga", 0.15)
    cls = np.concatenate([desil, np.zeros(non_desa.size, dtype=np.int64)])
    size = np.concatenate([sizes, non_size]).astype(np.int64)
    pdesa = np.concatenate([reg_desa, non_desa]).astype(np.int64)
    clusters = _clusters(geo)
    cluster_kbli_by_desa: dict[str, str] = {}
    for _, kbli, d in clusters:
        cluster_kbli_by_desa.setdefault(d, kbli)
    desa_cluster = np.array([cluster_kbli_by_desa.get(c) for c in codes], dtype=object)
    in_cluster = np.array([x is not None for x in desa_cluster])
    heads = households.draw_heads(cls, size, in_cluster[pdesa], stream(seed, "heads"))
    rng_w = stream(seed, "welfare")
    desa_effect = rng_w.normal(0.0, consumption.DESA_EFFECT_SD, n_desa)
    loci22 = desa["loci_2022"].to_numpy()
    loci23 = desa["loci_2023"].to_numpy()
    urban = desa["urban"].to_numpy()
    z = consumption.latent_welfare(
        cls=cls,
        size=size,
        desa_effect=desa_effect[pdesa],
        loci_2022=loci22[pdesa],
        loci_2023=loci23[pdesa],
        urban=urban[pdesa],
        head_education=heads["head_education"],
        head_sector=heads["head_sector"],
        head_female=heads["head_sex"] == "P",
        rng=rng_w,
    )
    v = indicators.standardise(z)
    ind = indicators.draw_indicators(v, urban[pdesa], heads["head_age"], stream(seed, "indicators"))
    population = pl.DataFrame(
        {
            "row": np.arange(cls.size, dtype=np.int64),
            "desa_index": pdesa,
            "cls": cls,
            "size": size,
            "z": z,
        }
    )

    # ---- survey and the consumption transform
    report("survei", 0.30)
    n_psu = max(round(survey.PSU_COUNT * min(scale, 1.0)), survey.MIN_PSU_COUNT)
    sample = survey.draw_sample(population, desa, n_psu=n_psu, rng=stream(seed, "survey"))
    rows = sample["row"].to_numpy()
    person_w = sample["weight"].to_numpy() * sample["size"].to_numpy()
    knot = weighted_quantile(z, size.astype(np.float64), consumption.KNOT_QUANTILE)
    transform = solve_transform(
        z[rows],
        person_w,
        line=line,
        p0=p0_target,
        p1=p1_target,
        knot=knot,
        upper_ratio=consumption.UPPER_SLOPE_RATIO,
        population_z=z,
        population_weights=size.astype(np.float64),
        margin_p0=consumption.SURVEY_MARGIN_P0,
        margin_p1=consumption.SURVEY_MARGIN_P1,
    )
    log_c = transform.log_consumption(z)
    cons = transform.consumption(z)

    survey_frame = _survey_table(sample, heads, ind, cons, codes, urban)

    # ---- registry households
    report("indikator & bansos", 0.40)
    n_reg = desil.size
    reg_rows = np.arange(n_reg)
    reg_v = v[reg_rows]
    assist = indicators.draw_assistance(
        reg_v,
        desil,
        heads["head_sector"][reg_rows],
        np.zeros(n_reg, dtype=bool),
        stream(seed, "assistance"),
    )
    desa_names = desa["name"].to_list()
    head_frame = pl.DataFrame(
        {
            "household_id": household_id.tolist(),
            "desa_index": reg_desa,
            "desa_code": [codes[d] for d in reg_desa],
            "desa_name": [desa_names[d] for d in reg_desa],
            "kecamatan_code": [codes[d][:8] for d in reg_desa],
            "size": sizes,
            "desil": desil,
            "loci_2022": loci22[reg_desa],
            "cluster_kbli": pl.Series(desa_cluster[reg_desa].tolist(), dtype=pl.Utf8),
            "floor": ind["floor"][reg_rows].tolist(),
            **{
                k: (val[reg_rows].tolist() if val.dtype == object else val[reg_rows])
                for k, val in heads.items()
            },
        }
    )
    ver = verification.verify(
        head_frame,
        log_c[reg_rows],
        ratio=facts.verification_verified / facts.verification_initial,
        rng=stream(seed, "verification"),
    )

    # ---- persons
    report("anggota keluarga", 0.50)
    all_kec = geo.kecamatan["code"].to_list()
    province_kec = (
        descendants(province, level="kecamatan")
        .filter(~pl.col("code").str.starts_with(code + "."))["code"]
        .to_list()
    )
    people = persons.build_persons(
        head_frame,
        kecamatan_codes=all_kec,
        other_kecamatan_codes=province_kec,
        rng=stream(seed, "persons"),
    )
    rng_a = stream(seed, "stunting")
    p_stunt = np.array((0.0, *indicators.STUNTING_RISK))[desil]
    stunting = people.has_under5 & (rng_a.random(n_reg) < p_stunt)
    status = ver["verification_status"].to_numpy()
    pkh = assist["pkh"] | (status == "verified_extreme")

    report("tabel keluarga", 0.70)
    rng_m = stream(seed, "missing")
    hh_cols: dict[str, Any] = {
        "household_id": household_id.tolist(),
        "region_code": [codes[d] for d in reg_desa],
        "size": sizes,
        "welfare_decile": desil,
        "decile_source": ["P3KE-2023"] * n_reg,
        "consumption_pc": ver["field_consumption_pc"],
        "weight": np.ones(n_reg),
    }
    for name, values in ind.items():
        sub = values[reg_rows]
        missing = rng_m.random(n_reg) < indicators.INDICATOR_MISSING_SHARE
        hh_cols[name] = pl.Series(keep(~missing, sub).tolist())
    hh_cols.update(
        {
            "pkh": pkh,
            "bpnt": assist["bpnt"],
            "pbi_jkn": assist["pbi_jkn"],
            "bpum": assist["bpum"],
            "bst": assist["bst"],
            "stunting_risk": stunting,
            "head_nik": people.head_nik.tolist(),
            "head_name": pl.Series(people.head_name.tolist(), dtype=pl.Utf8),
        }
    )
    for col in ("verification_status", "verification_date", "verified_by", "verification_reason",
                "verification_minutes_ref"):  # fmt: skip
        hh_cols[col] = ver[col]
    households_table = _cast(pl.DataFrame(hh_cols), "households")
    persons_table = _cast(people.persons, "persons")

    truth = pl.DataFrame(
        {
            "household_id": household_id.tolist(),
            "consumption_pc_true": cons[reg_rows],
            "poor_national": cons[reg_rows] < line,
            "poor_extreme": cons[reg_rows] < extreme_line,
        }
    )

    # ---- enterprises
    report("usaha, koperasi, BUMDes", 0.78)
    desa_pop = np.bincount(pdesa, weights=size, minlength=n_desa).astype(np.float64)
    desa_hh = np.bincount(pdesa, minlength=n_desa).astype(np.float64)
    ent = enterprises.build_enterprises(
        geo,
        desa_population=desa_pop,
        registry_households=head_frame.select("household_id", "desa_index"),
        clusters=clusters,
        scale=scale,
        wages_2023=enterprises.WageContext(2023, float(umk23.value), 1.25 * float(floor23.value)),
        wages_2024=enterprises.WageContext(2024, float(umk24.value), 1.25 * float(floor24.value)),
        rng=stream(seed, "enterprises"),
    )
    enterprises_table = _cast(ent.sort(["year", "enterprise_id"]), "enterprises")

    # ---- villages
    report("profil desa", 0.88)
    villages_table = _cast(
        villages.build_villages(
            geo,
            population=desa_pop,
            households=desa_hh,
            enterprises_2024=enterprises_table.filter(pl.col("year") == 2024),
            cluster_by_desa=cluster_kbli_by_desa,
            rng=stream(seed, "villages"),
        ),
        "villages",
    )

    tables = {
        "households": households_table,
        "persons": persons_table,
        "enterprises": enterprises_table,
        "survey": _cast(survey_frame, "survey"),
        "villages": villages_table,
    }

    report("kalibrasi", 0.94)
    internal_2024 = ent.filter(pl.col("year") == 2024)
    calibration = targets_mod.calibration_table(
        tables,
        geo,
        targets,
        targets_mod.Population(
            consumption=cons,
            size=size,
            desil=cls,
            desa_index=pdesa,
            head_sector=heads["head_sector"],
            head_education=heads["head_education"],
            size_class_2024=internal_2024["_class"].to_numpy(),
            umkm_2024=~internal_2024["legal_form"].is_in(["koperasi", "bumdes"]).to_numpy(),
            wage_2024=internal_2024["wage_month"].cast(pl.Float64).fill_null(np.nan).to_numpy(),
        ),
        scale=scale,
        line=line,
        extreme_line=extreme_line,
        poverty_targets=(p0_target, p1_target, p2_target),
        umk=float(umk24.value),
    )

    rng_x = stream(seed, "p3ke-extras")
    extras = {
        "households": pl.DataFrame(
            {
                "household_id": household_id.tolist(),
                "alamat": [
                    f"RT {rt:03d} / RW {rw:03d}"
                    for rt, rw in zip(
                        rng_x.integers(1, 12, n_reg), rng_x.integers(1, 8, n_reg), strict=True
                    )
                ],
                "padan": people.head_padan,
                "head_birth_date": persons_table.filter(
                    pl.col("relationship") == "kepala_keluarga"
                )["birth_date"],
                "head_sex": heads["head_sex"][reg_rows].tolist(),
                "head_activity": heads["head_activity"][reg_rows].tolist(),
                "head_sector": pl.Series(heads["head_sector"][reg_rows].tolist(), dtype=pl.Utf8),
                "head_education": persons_table.filter(pl.col("relationship") == "kepala_keluarga")[
                    "education"
                ],
            }
        ),
        "persons": people.persons.select("person_id", "padan", "age"),
    }

    report("manifest", 0.98)
    manifest = _manifest(
        geo=geo,
        seed=seed,
        scale=scale,
        tables=tables,
        truth=truth,
        lines={
            "national": _line_record(national),
            "extreme": _line_record(extreme),
            "umk_2023": _line_record(umk23),
            "umk_2024": _line_record(umk24),
        },
        transform=transform,
        m22=m22,
        notes=notes,
        calibration=calibration,
        population=(cons, size),
        line=line,
        extreme_line=extreme_line,
    )
    report("selesai", 1.0)
    return SynthResult(
        tables=tables, truth=truth, calibration=calibration, manifest=manifest, extras=extras
    )


def _param_at(path: str, region: str, date: dt.date, notes: list[str]) -> ParameterValue:
    params = baseline()
    try:
        return params.get(path, region=region, date=date)
    except ParameterError:
        notes.append(
            f"No value of {path} for {region} on {date}: Klaten's ({KLATEN}) is used instead."
        )
        return params.get(path, region=KLATEN, date=date)


def _serial(desa_index: np.ndarray) -> np.ndarray:
    """1, 2, 3 … within each run of equal ``desa_index`` (the array is sorted by desa)."""
    n = desa_index.size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    first = np.concatenate([[True], desa_index[1:] != desa_index[:-1]])
    start = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    return np.arange(n) - start + 1


def _survey_table(
    sample: pl.DataFrame,
    heads: dict[str, np.ndarray],
    ind: dict[str, np.ndarray],
    cons: np.ndarray,
    codes: list[str],
    urban: np.ndarray,
) -> pl.DataFrame:
    rows = sample["row"].to_numpy()
    d = sample["desa_index"].to_numpy()
    psu = sample["psu"].to_list()
    within: list[int] = []
    count: dict[str, int] = {}
    for p in psu:
        count[p] = count.get(p, 0) + 1
        within.append(count[p])
    cols: dict[str, Any] = {
        "household_id": [f"S{p}-{k:02d}" for p, k in zip(psu, within, strict=True)],
        "region_code": [codes[i] for i in d],
        "size": sample["size"],
        "consumption_pc": cons[rows],
        "weight": sample["weight"],
        "stratum": sample["stratum"],
        "psu": sample["psu"],
        "urban": urban[d],
        "head_sex": heads["head_sex"][rows].tolist(),
        "head_age": heads["head_age"][rows],
        "head_education": heads["head_education"][rows].tolist(),
        "head_sector": pl.Series(heads["head_sector"][rows].tolist(), dtype=pl.Utf8),
    }
    for name, values in ind.items():
        cols[name] = values[rows].tolist() if values.dtype == object else values[rows]
    return pl.DataFrame(cols)


def _manifest(
    *,
    geo: Geography,
    seed: int,
    scale: float,
    tables: dict[str, pl.DataFrame],
    truth: pl.DataFrame,
    lines: dict[str, Any],
    transform: Any,
    m22: float,
    notes: list[str],
    calibration: pl.DataFrame,
    population: tuple[np.ndarray, np.ndarray],
    line: float,
    extreme_line: float,
) -> dict[str, Any]:
    cons, size = population
    w = size.astype(np.float64)
    assumptions = [
        *households.ASSUMPTIONS,
        *consumption.ASSUMPTIONS,
        *indicators.ASSUMPTIONS,
        *verification.ASSUMPTIONS,
        *persons.ASSUMPTIONS,
        *nik.ASSUMPTIONS,
        *survey.ASSUMPTIONS,
        *enterprises.ASSUMPTIONS,
        *villages.ASSUMPTIONS,
        *notes,
    ]
    if lines["extreme"]["status"] == "assumption":
        assumptions.append(
            f"Extreme line Rp {lines['extreme']['value']:,} is marked 'assumption' in the parameters "
            "(BPS said 'about Rp 391 thousand')."
        )
    return {
        "synthetic": True,
        "notice": "DATA SINTETIS — bukan data orang sungguhan / SYNTHETIC DATA — no real person",
        "regency": geo.regency,
        "regency_name": geo.regency_name,
        "province": geo.province_name,
        "seed": seed,
        "scale": scale,
        "generated_by": f"tuntas.synth (tuntas {tuntas.__version__})",
        "reference_dates": {
            "registry": persons.REFERENCE_DATE.isoformat(),
            "survey": POVERTY_DATE.isoformat(),
        },
        "counts": {name: frame.height for name, frame in tables.items()}
        | {"truth_households": truth.height},
        "lines": lines,
        "transform": {
            "alpha": transform.alpha,
            "sigma_low": transform.sigma_low,
            "knot": transform.knot,
            "sigma_high": transform.sigma_high,
            "loci_2022_desil1_multiplier": m22,
        },
        "population_truth": {
            "persons": int(size.sum()),
            "households": int(size.size),
            "p0_percent": 100 * fgt(cons, w, line, 0),
            "p1": 100 * fgt(cons, w, line, 1),
            "p2": 100 * fgt(cons, w, line, 2),
            "extreme_percent": 100 * fgt(cons, w, extreme_line, 0),
            "mean_consumption_pc": float((cons * w).sum() / w.sum()),
        },
        "calibration_ok": bool(calibration["ok"].all()),
        "assumptions": assumptions,
    }
