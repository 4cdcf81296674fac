"""Which enterprise may receive which instrument, and why: eligibility rules read from the catalogue.

Each instrument of ``params/data/instruments.yaml`` lists rules under ``eligibility``. The rule
vocabulary (one checker each, below) is:

==============================  ==========================================================================
rule (value)                    the enterprise qualifies when …
==============================  ==========================================================================
``size_classes`` (list)         its PP 7/2021 class (:func:`size_class`) is in the list
``cooperative`` (bool)          it is (true) / is not (false) a cooperative
``kbli_prefixes`` (list)        its KBLI code starts with one of the prefixes (a letter = KBLI category)
``min_business_age_months``     it started at least that many months before the plan date
``requires_nib`` (bool)         it has an NIB (when true)
``without_nib`` (bool)          it has no NIB yet (when true)
``max_kur_accesses_production`` its earlier KUR loans < limit, for KBLI category A (farming, fishery)
``max_kur_accesses_other``      its earlier KUR loans < limit, for the other categories
``max_kur_accesses``            its earlier KUR loans ≤ the value
``max_annual_sales``            turnover (Rp/year) ≤ value
``min_annual_sales``            turnover (Rp/year) ≥ value
``max_capital``                 assets excluding land and buildings (Rp) ≤ value
``requires_owner_in_registry``  its owner's family is in the P3KE/DTSEN registry
``requires_cluster``            it belongs to a sentra (cluster)
==============================  ==========================================================================

:func:`eligibility_matrix` evaluates all rules for all enterprises at once (NumPy); :func:`explain`
gives one enterprise's decisions with a sentence per rule, for programme staff and for the YAML
cases in ``tests/planning/cases/eligibility.yaml``.

Examples
--------
>>> from tuntas.planning.instruments import catalogue
>>> cat = catalogue(region="33.10", date="2025-06-30")
>>> shop = {"enterprise_id": "U1", "kbli": "47111", "legal_form": "perorangan",
...         "turnover_year": 80e6, "assets": 20e6, "established": "2020-01-01", "nib": None,
...         "kur_accesses": 0, "is_cooperative": False}
>>> decisions = explain(shop, cat)
>>> decisions["kur_mikro"].eligible, decisions["plut_training"].eligible
(True, False)
>>> decisions["plut_training"].failed
['requires_nib: no NIB (required)']
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import NDArray

from tuntas.planning.instruments import Catalogue, Instrument
from tuntas.planning.parameters import ParameterLookup, as_date
from tuntas.reference import kbli_table

SIZE_CLASSES = ("mikro", "kecil", "menengah", "besar")
"""PP 7/2021 classes, smallest first (names as in the registry and the synthetic data)."""

PRODUCTION_CATEGORY = "A"
"""KBLI category whose KUR mikro access limit is the 'production' one (Permenko 1/2023 Pasal 24(4))."""

BoolArray = NDArray[np.bool_]

ENTERPRISE_COLUMNS = (
    "enterprise_id",
    "kbli",
    "legal_form",
    "turnover_year",
    "assets",
    "established",
    "nib",
    "kur_accesses",
    "is_cooperative",
    "owner_household_id",
    "cluster",
)
"""Columns read from the enterprises table (missing optional ones are treated as empty)."""


@dataclass(frozen=True)
class Decision:
    """One instrument for one enterprise: eligible or not, with one sentence per rule."""

    instrument: str
    eligible: bool
    reasons: tuple[str, ...]
    failed: list[str]


def size_limits(lookup: ParameterLookup) -> tuple[list[float], list[float]]:
    """PP 7/2021 upper limits (sales Rp/year, capital Rp) of micro, small and medium."""
    sales = [
        float(lookup.value(f"enterprise_size.{c}.max_sales")) for c in ("micro", "small", "medium")
    ]
    capital = [
        float(lookup.value(f"enterprise_size.{c}.max_capital"))
        for c in ("micro", "small", "medium")
    ]
    return sales, capital


def size_class(
    turnover: NDArray[np.float64], assets: NDArray[np.float64], *, lookup: ParameterLookup
) -> NDArray[np.str_]:
    """PP 7/2021 class of each enterprise: the larger of its sales class and its capital class.

    Micro: sales ≤ Rp 2 miliar and capital ≤ Rp 1 miliar; small ≤ 15 / 5 miliar; medium ≤ 50 / 10
    miliar (``enterprise_size.yaml``); each class is "above the previous maximum, up to and including
    its own". Missing values count as 0.

    >>> lookup = ParameterLookup(region="33.10", date="2025-01-01")
    >>> size_class(np.array([1e8, 3e9, 6e10]), np.array([5e7, 5e8, 1e9]), lookup=lookup).tolist()
    ['mikro', 'kecil', 'besar']
    """
    sales, capital = size_limits(lookup)
    t = np.nan_to_num(np.asarray(turnover, dtype=np.float64), nan=0.0)
    a = np.nan_to_num(np.asarray(assets, dtype=np.float64), nan=0.0)
    by_sales = np.searchsorted(np.array(sales), t, side="left")
    by_capital = np.searchsorted(np.array(capital), a, side="left")
    return np.array(SIZE_CLASSES)[np.maximum(by_sales, by_capital)]


@cache
def _division_category() -> dict[str, str]:
    table = kbli_table()
    return dict(zip(table["code"].to_list(), table["category"].to_list(), strict=True))


def kbli_category(codes: Sequence[str | None]) -> NDArray[np.object_]:
    """KBLI category letter of each code (a 5-digit code, a division or a letter); None if unknown.

    >>> kbli_category(["10794", "47", "A", "00000", None]).tolist()
    ['C', 'G', 'A', None, None]
    """
    lookup = _division_category()
    out = np.empty(len(codes), dtype=object)
    for i, code in enumerate(codes):
        if not code:
            out[i] = None
        elif code.isalpha():
            out[i] = code.upper()
        else:
            out[i] = lookup.get(code[:2]) if code[:2] in lookup else None
    return out


def enterprise_attributes(
    enterprises: pl.DataFrame, *, lookup: ParameterLookup, date: dt.date | str | None = None
) -> dict[str, NDArray[Any]]:
    """The attributes the rules read, as NumPy arrays (one entry per enterprise row).

    ``size_class`` (PP 7/2021), ``business_age_months`` (NaN when the start date is unknown),
    ``has_nib``, ``kbli``, ``category`` (KBLI letter), ``cooperative`` (``is_cooperative`` or legal
    form ``koperasi``), ``kur_accesses``, ``turnover``, ``assets``, ``owner_in_registry``,
    ``in_cluster``.
    """
    when = as_date(date if date is not None else lookup.date)
    frame = enterprises
    n = frame.height

    def column(name: str, default: Any) -> pl.Series:
        if name in frame.columns:
            return frame[name]
        return pl.Series(name, [default] * n)

    established = column("established", None)
    if established.dtype == pl.Utf8:
        established = established.str.to_date(strict=False)
    age_days = (
        pl.select(pl.lit(when) - established.cast(pl.Date)).to_series().dt.total_days()
        if n
        else pl.Series([], dtype=pl.Int64)
    )
    age_months = age_days.cast(pl.Float64).fill_null(np.nan).to_numpy() / (365.25 / 12)
    turnover = column("turnover_year", None).cast(pl.Float64).fill_null(np.nan).to_numpy()
    assets = column("assets", None).cast(pl.Float64).fill_null(np.nan).to_numpy()
    kbli = column("kbli", None).cast(pl.Utf8).to_list()
    legal = column("legal_form", None).cast(pl.Utf8).fill_null("").to_numpy()
    coop_flag = column("is_cooperative", False).cast(pl.Boolean).fill_null(False).to_numpy()
    nib = column("nib", None).cast(pl.Utf8)
    return {
        "enterprise_id": column("enterprise_id", None).cast(pl.Utf8).to_numpy(),
        "size_class": size_class(turnover, assets, lookup=lookup),
        "business_age_months": age_months,
        "has_nib": (nib.is_not_null() & (nib.str.strip_chars() != "")).fill_null(False).to_numpy(),
        "kbli": np.array(kbli, dtype=object),
        "category": kbli_category(kbli),
        "cooperative": coop_flag | (legal == "koperasi"),
        "kur_accesses": column("kur_accesses", 0).cast(pl.Int64).fill_null(0).to_numpy(),
        "turnover": turnover,
        "assets": assets,
        "owner_in_registry": column("owner_household_id", None).is_not_null().to_numpy(),
        "in_cluster": column("cluster", None).is_not_null().to_numpy(),
    }


# ------------------------------------------------------------------------------------------- rules
Check = Callable[[Mapping[str, NDArray[Any]], Any], BoolArray]
Describe = Callable[[Mapping[str, Any], Any, bool], str]


def _rp(value: float) -> str:
    return f"Rp{value:,.0f}"


def _size_check(a: Mapping[str, NDArray[Any]], value: Any) -> BoolArray:
    return np.isin(a["size_class"], list(value))


def _size_text(row: Mapping[str, Any], value: Any, ok: bool) -> str:
    allowed = ", ".join(value)
    verb = "is one of" if ok else "is not one of"
    return f"size class {row['size_class']} {verb} ({allowed})"


def _coop_check(a: Mapping[str, NDArray[Any]], value: Any) -> BoolArray:
    return a["cooperative"] if bool(value) else ~a["cooperative"]


def _coop_text(row: Mapping[str, Any], value: Any, ok: bool) -> str:
    if bool(value):
        return "is a cooperative" if ok else "not a cooperative (cooperatives only)"
    return "not a cooperative" if ok else "already a cooperative"


def _kbli_check(a: Mapping[str, NDArray[Any]], value: Any) -> BoolArray:
    prefixes = [str(p) for p in value]
    letters = {p.upper() for p in prefixes if p.isalpha()}
    digits = tuple(p for p in prefixes if not p.isalpha())
    codes = a["kbli"]
    by_code = np.array([bool(c) and str(c).startswith(digits) for c in codes], dtype=bool)
    by_letter = np.isin(a["category"].astype(str), list(letters)) if letters else False
    return by_code | by_letter


def _kbli_text(row: Mapping[str, Any], value: Any, ok: bool) -> str:
    allowed = ", ".join(str(v) for v in value)
    return f"KBLI {row['kbli']} {'is' if ok else 'is not'} in ({allowed})"


def _age_check(a: Mapping[str, NDArray[Any]], value: Any) -> BoolArray:
    age = a["business_age_months"]
    minimum = float(value)
    if minimum <= 0:
        return np.ones(age.shape, dtype=bool)
    return np.nan_to_num(age, nan=-1.0) >= minimum


def _age_text(row: Mapping[str, Any], value: Any, ok: bool) -> str:
    age = row["business_age_months"]
    if float(value) <= 0:
        return "no minimum business age"
    if math.isnan(age):
        return f"start date unknown (needs {value:g} months)"
    return f"business {age:.0f} months old ({'≥' if ok else '<'} {value:g})"


def _nib_check(a: Mapping[str, NDArray[Any]], value: Any) -> BoolArray:
    return a["has_nib"] if bool(value) else np.ones(a["has_nib"].shape, dtype=bool)


def _nib_text(row: Mapping[str, Any], value: Any, ok: bool) -> str:
    if not bool(value):
        return "NIB not required (a Surat Keterangan Usaha is accepted)"
    return "has an NIB" if ok else "no NIB (required)"


def _without_nib_check(a: Mapping[str, NDArray[Any]], value: Any) -> BoolArray:
    return ~a["has_nib"] if bool(value) else np.ones(a["has_nib"].shape, dtype=bool)


def _without_nib_text(row: Mapping[str, Any], value: Any, ok: bool) -> str:
    return "has no NIB yet" if ok else "already has an NIB"


def _kur_limit(production: bool) -> Check:
    def check(a: Mapping[str, NDArray[Any]], value: Any) -> BoolArray:
        applies = (a["category"] == PRODUCTION_CATEGORY) == production
        return ~applies | (a["kur_accesses"] < int(value))

    return check


def _kur_limit_text(production: bool) -> Describe:
    def text(row: Mapping[str, Any], value: Any, ok: bool) -> str:
        applies = (row["category"] == PRODUCTION_CATEGORY) == production
        kind = "farming/fishery/livestock (KBLI A)" if production else "non-production sectors"
        if not applies:
            return f"KUR access limit for {kind} does not apply"
        return f"{row['kur_accesses']} earlier KUR loans ({'<' if ok else '≥'} limit {value} for {kind})"

    return text


def _max_kur_check(a: Mapping[str, NDArray[Any]], value: Any) -> BoolArray:
    return a["kur_accesses"] <= int(value)


def _max_kur_text(row: Mapping[str, Any], value: Any, ok: bool) -> str:
    return f"{row['kur_accesses']} earlier KUR loans ({'≤' if ok else '>'} {value})"


def _bound_check(column: str, upper: bool) -> Check:
    def check(a: Mapping[str, NDArray[Any]], value: Any) -> BoolArray:
        x = a[column]
        known = ~np.isnan(x)
        inside = x <= float(value) if upper else x >= float(value)
        return known & np.nan_to_num(inside, nan=False).astype(bool)

    return check


def _bound_text(column: str, label: str, upper: bool) -> Describe:
    def text(row: Mapping[str, Any], value: Any, ok: bool) -> str:
        x = row[column]
        if math.isnan(x):
            return f"{label} unknown"
        sign = ("≤" if ok else ">") if upper else ("≥" if ok else "<")
        return f"{label} {_rp(x)} {sign} {_rp(float(value))}"

    return text


def _flag_check(column: str) -> Check:
    def check(a: Mapping[str, NDArray[Any]], value: Any) -> BoolArray:
        return a[column] if bool(value) else np.ones(a[column].shape, dtype=bool)

    return check


def _flag_text(yes: str, no: str) -> Describe:
    def text(row: Mapping[str, Any], value: Any, ok: bool) -> str:
        return yes if ok else no

    return text


RULES: dict[str, tuple[Check, Describe]] = {
    "size_classes": (_size_check, _size_text),
    "cooperative": (_coop_check, _coop_text),
    "kbli_prefixes": (_kbli_check, _kbli_text),
    "min_business_age_months": (_age_check, _age_text),
    "requires_nib": (_nib_check, _nib_text),
    "without_nib": (_without_nib_check, _without_nib_text),
    "max_kur_accesses_production": (_kur_limit(True), _kur_limit_text(True)),
    "max_kur_accesses_other": (_kur_limit(False), _kur_limit_text(False)),
    "max_kur_accesses": (_max_kur_check, _max_kur_text),
    "max_annual_sales": (_bound_check("turnover", True), _bound_text("turnover", "turnover", True)),
    "min_annual_sales": (
        _bound_check("turnover", False),
        _bound_text("turnover", "turnover", False),
    ),
    "max_capital": (_bound_check("assets", True), _bound_text("assets", "capital", True)),
    "requires_owner_in_registry": (
        _flag_check("owner_in_registry"),
        _flag_text("owner's family is in the registry", "owner's family not in the registry"),
    ),
    "requires_cluster": (
        _flag_check("in_cluster"),
        _flag_text("belongs to a cluster (sentra)", "not in a cluster (sentra)"),
    ),
}
"""Rule name → (vectorised check, one-row sentence)."""


def _check_rules(inst: Instrument) -> None:
    unknown = sorted(set(inst.rules) - set(RULES))
    if unknown:
        raise ValueError(f"{inst.key}: unknown eligibility rules {unknown}; known: {sorted(RULES)}")


def eligibility_matrix(
    attributes: Mapping[str, NDArray[Any]], cat: Catalogue
) -> dict[str, BoolArray]:
    """Instrument key → boolean array (one per enterprise): all of its rules hold.

    An instrument with no rules is open to every enterprise.
    """
    n = len(attributes["enterprise_id"])
    out: dict[str, BoolArray] = {}
    for key, inst in cat.instruments.items():
        _check_rules(inst)
        ok = np.ones(n, dtype=bool)
        for rule, value in inst.rules.items():
            ok &= RULES[rule][0](attributes, value)
        out[key] = ok
    return out


def decide(attributes: Mapping[str, NDArray[Any]], index: int, inst: Instrument) -> Decision:
    """One enterprise (row ``index`` of ``attributes``) and one instrument, with a sentence per rule."""
    _check_rules(inst)
    row = {k: v[index] for k, v in attributes.items()}
    one = {k: v[index : index + 1] for k, v in attributes.items()}
    reasons, failed = [], []
    for rule, value in inst.rules.items():
        check, describe = RULES[rule]
        ok = bool(check(one, value)[0])
        sentence = f"{rule}: {describe(row, value, ok)}"
        reasons.append(sentence)
        if not ok:
            failed.append(sentence)
    return Decision(inst.key, not failed, tuple(reasons), failed)


def explain(
    enterprise: Mapping[str, Any], cat: Catalogue, *, date: dt.date | str | None = None
) -> dict[str, Decision]:
    """Every instrument's decision for one enterprise given as a mapping of its columns."""
    row = {name: enterprise.get(name) for name in ENTERPRISE_COLUMNS}
    row["enterprise_id"] = row["enterprise_id"] or "?"
    if isinstance(row["established"], str):
        row["established"] = dt.date.fromisoformat(row["established"])
    schema = {
        "enterprise_id": pl.Utf8,
        "kbli": pl.Utf8,
        "legal_form": pl.Utf8,
        "turnover_year": pl.Float64,
        "assets": pl.Float64,
        "established": pl.Date,
        "nib": pl.Utf8,
        "kur_accesses": pl.Int64,
        "is_cooperative": pl.Boolean,
        "owner_household_id": pl.Utf8,
        "cluster": pl.Utf8,
    }
    frame = pl.DataFrame([row], schema=schema)
    attributes = enterprise_attributes(frame, lookup=cat.lookup, date=date or cat.date)
    return {key: decide(attributes, 0, inst) for key, inst in cat.instruments.items()}


def eligibility_table(
    enterprises: pl.DataFrame, cat: Catalogue, *, date: dt.date | str | None = None
) -> pl.DataFrame:
    """Long table enterprise_id × instrument with ``eligible`` and the reasons (for small frames).

    >>> from tuntas.planning.instruments import catalogue
    >>> cat = catalogue(region="33.10", date="2025-06-30")
    >>> frame = pl.DataFrame({"enterprise_id": ["K1"], "kbli": ["64191"], "legal_form": ["koperasi"],
    ...     "turnover_year": [9e8], "assets": [4e8], "established": [dt.date(2015, 1, 1)],
    ...     "nib": ["1234567890123"], "kur_accesses": [0], "is_cooperative": [True]})
    >>> table = eligibility_table(frame, cat)
    >>> eligible = table.filter(pl.col("eligible"))["instrument"].to_list()
    >>> eligible[:4]
    ['cooperative_strengthening', 'kur_kecil', 'kur_mikro', 'kur_super_mikro']
    >>> eligible[4:]
    ['lpdb', 'padi_umkm', 'plut_training', 'promotion']
    """
    attributes = enterprise_attributes(enterprises, lookup=cat.lookup, date=date or cat.date)
    rows = []
    for i in range(enterprises.height):
        for key, inst in cat.instruments.items():
            d = decide(attributes, i, inst)
            rows.append(
                {
                    "enterprise_id": attributes["enterprise_id"][i],
                    "instrument": key,
                    "eligible": d.eligible,
                    "reasons": "; ".join(d.reasons),
                }
            )
    return pl.DataFrame(rows).sort("enterprise_id", "instrument")
