"""Field verification of desil-1 families in the 2022 loci, as Klaten did in mid-2022.

Harian Jogja (31 July 2022) reports that the initial data listed about 4,000 desil-1 households in the
25 loci desa and that village verification classed 2,312 of them as extremely poor, all receiving
PKH. The generator reproduces the *ratio*: in each run the lowest-scoring
round(n·2,312/4,000) of the n desil-1 families in the 2022 loci are ``verified_extreme``, where the
score is the true log consumption plus verification noise (villages judge by what they see, not by a
consumption survey), so the status is correlated with true extreme poverty but not identical.

Each desa holds one village consultation (musyawarah desa) on one date between May and July 2022,
recorded in a signed berita acara ``BA/<nnn>/<desa code>/<month>/2022``. Everyone else in desil 1 is
a ``candidate``; desil 2–4 carry no status (null).

Examples
--------
>>> ROMAN[7]
'VII'
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from tuntas.synth.arrays import keep
from tuntas.synth.calibrate import FloatArray

VERIFICATION_NOISE_SD = 0.25
"""SD of the noise added to log consumption when a village judges a family (assumption)."""
FIELD_CONSUMPTION_NOISE_SD = 0.20
"""Verified families get a field estimate of consumption: true × exp(N(0, 0.2²)) (assumption)."""
FIRST_DATE = dt.date(2022, 5, 9)
LAST_DATE = dt.date(2022, 7, 22)
"""Window of the 2022 village consultations (before the 28 July 2022 statement)."""

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX"}

REASONS_EXTREME = (
    "Pengeluaran per kapita di bawah garis kemiskinan ekstrem",
    "Tidak memiliki penghasilan tetap",
    "Lansia tanpa penghasilan dan tanpa tanggungan keluarga",
    "Rumah tidak layak huni dan penghasilan tidak menentu",
)
REASONS_NOT_EXTREME = (
    "Memiliki penghasilan tetap",
    "Kondisi ekonomi sudah membaik",
    "Memiliki aset atau usaha produktif",
    "Ditanggung anggota keluarga yang bekerja",
    "Sudah pindah domisili",
    "Data ganda",
)

ASSUMPTIONS = (
    "Verification 2022: in the 2022 loci the share 2,312/4,000 of desil-1 families with the lowest "
    f"log consumption + N(0, {VERIFICATION_NOISE_SD}²) are verified_extreme, the rest not_extreme; "
    "one village consultation per desa between 9 May and 22 July 2022; verified families carry a "
    f"field estimate of consumption (true × log-normal noise, SD {FIELD_CONSUMPTION_NOISE_SD}).",
)


def verify(
    households: pl.DataFrame,
    log_consumption: FloatArray,
    *,
    ratio: float,
    rng: np.random.Generator,
) -> pl.DataFrame:
    """Verification columns for registry households.

    ``households`` needs ``desil, loci_2022, desa_code, desa_name, head_age, size, floor`` and is in
    registry order; returns ``verification_status, verification_date, verified_by,
    verification_reason, verification_minutes_ref, field_consumption_pc`` in the same order.
    """
    n = households.height
    desil = households["desil"].to_numpy()
    in_scope = (desil == 1) & households["loci_2022"].to_numpy()
    status = keep(desil == 1, "candidate")
    score = log_consumption + rng.normal(0.0, VERIFICATION_NOISE_SD, n)
    idx = np.flatnonzero(in_scope)
    k = round(ratio * idx.size)
    order = idx[np.argsort(score[idx], kind="stable")]
    extreme = np.zeros(n, dtype=bool)
    extreme[order[:k]] = True
    status[in_scope] = "not_extreme"
    status[extreme] = "verified_extreme"

    desa_codes = households["desa_code"].to_numpy()
    loci_desa = sorted(set(desa_codes[in_scope].tolist()))
    span = (LAST_DATE - FIRST_DATE).days
    offsets = rng.integers(0, span + 1, len(loci_desa))
    desa_date = {
        d: FIRST_DATE + dt.timedelta(days=int(o)) for d, o in zip(loci_desa, offsets, strict=True)
    }
    desa_ref = {
        d: f"BA/{i + 1:03d}/{d.replace('.', '')}/{ROMAN[desa_date[d].month]}/2022"
        for i, d in enumerate(loci_desa)
    }
    names = dict(zip(desa_codes.tolist(), households["desa_name"].to_list(), strict=True))
    dates = np.full(n, None, dtype=object)
    refs = np.full(n, None, dtype=object)
    by = np.full(n, None, dtype=object)
    for d in loci_desa:
        mask = in_scope & (desa_codes == d)
        dates[mask] = desa_date[d]
        refs[mask] = desa_ref[d]
        by[mask] = f"Tim Verifikasi Desa {names[d]} dan Pendamping PKH"

    reason = np.full(n, None, dtype=object)
    u = rng.random(n)
    old_alone = (households["head_age"].to_numpy() >= 65) & (households["size"].to_numpy() <= 2)
    poor_house = households["floor"].to_numpy() == "tanah"
    ext_reason = np.where(
        old_alone,
        REASONS_EXTREME[2],
        np.where(
            poor_house,
            REASONS_EXTREME[3],
            np.where(u < 0.6, REASONS_EXTREME[0], REASONS_EXTREME[1]),
        ),
    )
    reason[extreme] = ext_reason[extreme]
    cum = np.cumsum([0.32, 0.25, 0.18, 0.15, 0.06, 0.04])
    not_reason = np.array(REASONS_NOT_EXTREME, dtype=object)[np.minimum(np.searchsorted(cum, u), 5)]
    not_ext = in_scope & ~extreme
    reason[not_ext] = not_reason[not_ext]

    field = np.where(
        in_scope,
        np.round(np.exp(log_consumption + rng.normal(0.0, FIELD_CONSUMPTION_NOISE_SD, n)), -3),
        np.nan,
    )
    return pl.DataFrame(
        {
            "verification_status": pl.Series(status.tolist(), dtype=pl.Utf8),
            "verification_date": pl.Series(dates.tolist(), dtype=pl.Date),
            "verified_by": pl.Series(by.tolist(), dtype=pl.Utf8),
            "verification_reason": pl.Series(reason.tolist(), dtype=pl.Utf8),
            "verification_minutes_ref": pl.Series(refs.tolist(), dtype=pl.Utf8),
            "field_consumption_pc": pl.Series(field, dtype=pl.Float64).fill_nan(None),
        }
    )
