"""Convergence of programmes on the extreme poor: which programmes reached each candidate and
verified extreme-poor household, and who was reached by none (DESIGN §5, monitoring).

*Konvergensi program* is the core of the national strategy (Inpres 4/2022): every extreme-poor
family should receive the programmes it is eligible for — social assistance to lower its spending
(PKH conditional cash transfer; BPNT/Sembako food assistance; PBI-JKN health-insurance premiums paid
by the state) and support to raise its income (BPUM micro-business aid, later recorded
interventions: KUR, training, placements). This module counts, for each household in scope,

    reached_by(i) = {programme p : flag_ip} ∪ {instruments recorded for i},
    n_programmes(i) = |reached_by(i)|,   none(i) = [n_programmes(i) = 0],

and per desa the households in scope, how many each programme reached, and how many none reached.

**Scope.** By default every registry household whose recorded ``verification_status`` is
``candidate`` or ``verified_extreme``, plus desil-1 households without a recorded status (desil 1
is the candidate source); ``not_extreme`` decisions are out. Pass ``candidates`` (e.g. the list of
:func:`tuntas.poverty.targeting.candidate_list`, with its ``decision`` column) to use that list
instead. A null assistance flag counts as not received (and is counted in ``unknown_flags``).

Examples
--------
>>> households = pl.DataFrame({
...     "household_id": ["a", "b", "c", "d"], "region_code": ["33.10.01.2001"] * 4,
...     "welfare_decile": [1, 1, 1, 2],
...     "verification_status": ["verified_extreme", "candidate", "not_extreme", None],
...     "pkh": [True, False, True, False], "bpnt": [True, False, False, False],
...     "pbi_jkn": [False, False, True, True], "bpum": [False] * 4, "bst": [False] * 4})
>>> result = convergence(households)
>>> result.households.select("household_id", "n_programmes", "reached_none").rows()
[('a', 2, False), ('b', 0, True)]
>>> result.by_desa.select("households", "reached_none", "pkh").row(0)
(2, 1, 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from tuntas.tables.schemas import SOCIAL_ASSISTANCE

PROGRAMMES: tuple[str, ...] = SOCIAL_ASSISTANCE
"""Assistance flags of the registry: pkh, bpnt, pbi_jkn, bpum, bst."""
IN_SCOPE: tuple[str, ...] = ("candidate", "verified_extreme")


@dataclass(frozen=True)
class Convergence:
    """Per-household and per-desa convergence.

    Attributes
    ----------
    households : one row per household in scope: household_id, region_code, decision, one boolean
        per programme, ``interventions``
        (sorted list of instruments), ``programmes`` (names reached), n_programmes, reached_none,
        unknown_flags.
    by_desa : region_code, households, verified_extreme, candidates, one count per programme,
        reached_none, reached_none_verified, share_none.
    """

    households: pl.DataFrame
    by_desa: pl.DataFrame

    @property
    def unreached(self) -> pl.DataFrame:
        """The households reached by no programme (the list to act on), by desa."""
        return self.households.filter(pl.col("reached_none")).sort("region_code", "household_id")

    def summary(self) -> dict[str, int]:
        """Households in scope, verified, reached by none (all and verified), per programme."""
        h = self.households
        return {
            "households": h.height,
            "verified_extreme": int((h["decision"] == "verified_extreme").sum()),
            "reached_none": int(h["reached_none"].sum()),
            "reached_none_verified": int(
                (h["reached_none"] & (h["decision"] == "verified_extreme")).sum()
            ),
            **{p: int(h[p].sum()) for p in PROGRAMMES if p in h.columns},
        }


def _scope(households: pl.DataFrame, candidates: pl.DataFrame | None) -> pl.DataFrame:
    if candidates is not None:
        decision = (
            pl.col("decision")
            if "decision" in candidates.columns
            else pl.col("verification_status").fill_null("candidate")
            if "verification_status" in candidates.columns
            else pl.lit("candidate")
        )
        listed = candidates.select("household_id", decision.alias("decision")).filter(
            pl.col("decision").is_in(IN_SCOPE)
        )
        return households.drop("decision", strict=False).join(
            listed, on="household_id", how="inner"
        )
    status = (
        pl.col("verification_status")
        if "verification_status" in households.columns
        else pl.lit(None, dtype=pl.Utf8)
    )
    desil1 = (
        (pl.col("welfare_decile") == 1).fill_null(False)
        if "welfare_decile" in households.columns
        else pl.lit(False)
    )
    decision = pl.when(status.is_null() & desil1).then(pl.lit("candidate")).otherwise(status)
    return households.with_columns(decision.alias("decision")).filter(
        pl.col("decision").is_in(IN_SCOPE)
    )


def convergence(
    households: pl.DataFrame,
    *,
    candidates: pl.DataFrame | None = None,
    interventions: pl.DataFrame | None = None,
    programmes: Sequence[str] = PROGRAMMES,
) -> Convergence:
    """Which programmes reached each candidate and verified extreme-poor household; counts per desa.

    Parameters
    ----------
    households : the registry (household_id, region_code, verification_status, welfare_decile and
        the programme flags).
    candidates : optional list defining the scope (household_id and ``decision`` or
        ``verification_status``); households with a ``not_extreme`` decision are left out.
    interventions : optional recorded interventions (household_id, instrument); each distinct
        instrument counts as a programme reached.
    programmes : the flag columns to read (those absent from ``households`` are skipped).

    Returns
    -------
    Convergence

    Examples
    --------
    >>> households = pl.DataFrame({"household_id": ["a", "b"], "region_code": ["x", "x"],
    ...     "verification_status": ["candidate", "candidate"], "pkh": [False, None]})
    >>> done = pl.DataFrame({"household_id": ["b"], "instrument": ["kur_super_mikro"]})
    >>> c = convergence(households, interventions=done)
    >>> c.households.select("household_id", "programmes", "reached_none").rows()
    [('a', [], True), ('b', ['kur_super_mikro'], False)]
    """
    present = [p for p in programmes if p in households.columns]
    scope = _scope(households, candidates)
    frame = scope.select(
        "household_id",
        "region_code",
        "decision",
        *(pl.col(p).cast(pl.Boolean).fill_null(False).alias(p) for p in present),
        pl.sum_horizontal([pl.col(p).is_null().cast(pl.Int64) for p in present] or [pl.lit(0)])
        .cast(pl.Int64)
        .alias("unknown_flags"),
    )
    if interventions is not None:
        recorded = (
            interventions.select("household_id", pl.col("instrument").cast(pl.Utf8))
            .drop_nulls()
            .unique()
            .group_by("household_id")
            .agg(pl.col("instrument").sort().alias("interventions"))
        )
        frame = frame.join(recorded, on="household_id", how="left").with_columns(
            pl.col("interventions").fill_null(pl.lit([], dtype=pl.List(pl.Utf8)))
        )
    else:
        frame = frame.with_columns(pl.lit([], dtype=pl.List(pl.Utf8)).alias("interventions"))
    flags = pl.concat_list(
        [
            pl.when(pl.col(p)).then(pl.lit([p])).otherwise(pl.lit([], dtype=pl.List(pl.Utf8)))
            for p in present
        ]
        or [pl.lit([], dtype=pl.List(pl.Utf8))]
    )
    frame = frame.with_columns(pl.concat_list([flags, pl.col("interventions")]).alias("programmes"))
    frame = frame.with_columns(
        pl.col("programmes").list.len().cast(pl.Int64).alias("n_programmes")
    ).with_columns((pl.col("n_programmes") == 0).alias("reached_none"))
    frame = frame.sort("region_code", "household_id")
    verified = pl.col("decision") == "verified_extreme"
    by_desa = (
        frame.group_by("region_code")
        .agg(
            pl.len().cast(pl.Int64).alias("households"),
            verified.sum().cast(pl.Int64).alias("verified_extreme"),
            (pl.col("decision") == "candidate").sum().cast(pl.Int64).alias("candidates"),
            *(pl.col(p).sum().cast(pl.Int64).alias(p) for p in present),
            (pl.col("interventions").list.len() > 0).sum().cast(pl.Int64).alias("intervention"),
            pl.col("reached_none").sum().cast(pl.Int64).alias("reached_none"),
            (pl.col("reached_none") & verified).sum().cast(pl.Int64).alias("reached_none_verified"),
        )
        .with_columns((pl.col("reached_none") / pl.col("households")).alias("share_none"))
        .sort("region_code")
    )
    return Convergence(households=frame, by_desa=by_desa)


__all__: Sequence[str] = ("PROGRAMMES", "Convergence", "convergence")
