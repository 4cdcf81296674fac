"""Location quotients, shift-share and cluster detection: hand-worked examples."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuntas.economy import detect_clusters, location_quotient, shift_share

# Two desa of one kecamatan; workers by enterprise.
#   desa A: pottery 3 enterprises (10 + 10 + 10 = 30 workers), farm 1 (10)   → e_A = 40
#   desa B: pottery 1 (10), farm 2 (20 + 30 = 50)                             → e_B = 60
#   reference (sum): pottery 40, farm 60, total 100
ENTERPRISES = pl.DataFrame(
    {
        "desa": ["A", "A", "A", "A", "B", "B", "B"],
        "sector": ["pot", "pot", "pot", "farm", "pot", "farm", "farm"],
        "workers": [10, 10, 10, 10, 10, 20, 30],
    }
)


def _row(frame: pl.DataFrame, desa: str, sector: str) -> dict[str, object]:
    return frame.filter(pl.col("desa") == desa, pl.col("sector") == sector).row(0, named=True)


def test_location_quotient_hand_example() -> None:
    lq = location_quotient(ENTERPRISES, region="desa", sector="sector", value="workers")
    a_pot = _row(lq, "A", "pot")
    # LQ = (30/40)/(40/100) = 0.75/0.4 = 1.875
    assert a_pot["lq"] == pytest.approx(1.875)
    assert a_pot["count"] == 3
    assert (a_pot["workers"], a_pot["region_total"], a_pot["sector_total"], a_pot["total"]) == (
        30.0,
        40.0,
        40.0,
        100.0,
    )
    assert a_pot["share_of_sector"] == pytest.approx(0.75)
    # LQ(B, farm) = (50/60)/(60/100) = 0.8333/0.6 = 1.3889
    assert _row(lq, "B", "farm")["lq"] == pytest.approx(50 / 60 / 0.6)
    # the activity-weighted mean LQ of each region is 1: Σ_s (e_s/E)·LQ_rs = 1
    check = lq.group_by("desa").agg(
        (pl.col("sector_total") / pl.col("total") * pl.col("lq")).sum().alias("lq")
    )
    assert check["lq"].to_list() == pytest.approx([1.0, 1.0])


def test_location_quotient_against_reference_totals() -> None:
    # Regency against its province: province has 1,000 pottery and 99,000 other workers.
    regency = pl.DataFrame(
        {"kab": ["33.10", "33.10"], "sector": ["pot", "other"], "w": [400, 9600]}
    )
    province = pl.DataFrame({"sector": ["pot", "other"], "w": [1000, 99000]})
    lq = location_quotient(regency, region="kab", sector="sector", value="w", reference=province)
    # (400/10000)/(1000/100000) = 0.04/0.01 = 4
    assert _row(lq.rename({"kab": "desa"}), "33.10", "pot")["lq"] == pytest.approx(4.0)
    with pytest.raises(ValueError, match="no total for sector"):
        location_quotient(
            regency, region="kab", sector="sector", value="w", reference=province.head(1)
        )


def test_location_quotient_complete_grid_and_errors() -> None:
    frame = pl.DataFrame({"desa": ["A", "B"], "sector": ["pot", "farm"], "workers": [5, 5]})
    lq = location_quotient(frame, region="desa", sector="sector", value="workers", complete=True)
    assert lq.height == 4
    assert _row(lq, "A", "farm")["lq"] == 0.0 and _row(lq, "A", "farm")["count"] == 0
    with pytest.raises(ValueError, match="no column"):
        location_quotient(frame, region="kec", sector="sector", value="workers")
    with pytest.raises(ValueError, match="negative"):
        location_quotient(
            frame.with_columns(pl.lit(-1).alias("workers")),
            region="desa",
            sector="sector",
            value="workers",
        )


def test_shift_share_hand_example() -> None:
    # Base: A pot 30, A farm 10, B pot 10, B farm 50 (total 100).
    # Final: A pot 50, A farm 10, B pot 10, B farm 40, B shop 5 (total 115).
    base = ENTERPRISES
    final = pl.DataFrame(
        {
            "desa": ["A", "A", "B", "B", "B"],
            "sector": ["pot", "farm", "pot", "farm", "shop"],
            "workers": [50, 10, 10, 40, 5],
        }
    )
    r = shift_share(base, final, region="desa", sector="sector", value="workers")
    # g = 115/100 − 1 = 0.15; g_pot = 60/40 − 1 = 0.5; g_farm = 50/60 − 1 = −1/6
    a_pot = _row(r, "A", "pot")
    # NS = 30·0.15 = 4.5; IM = 30·(0.5 − 0.15) = 10.5; RS = 30·(20/30 − 0.5) = 5; sum 20
    assert a_pot["reference_share"] == pytest.approx(4.5)
    assert a_pot["industry_mix"] == pytest.approx(10.5)
    assert a_pot["regional_shift"] == pytest.approx(5.0)
    assert a_pot["change"] == 20.0
    b_farm = _row(r, "B", "farm")
    # NS = 50·0.15 = 7.5; IM = 50·(−1/6 − 0.15) = −15.8333; RS = 50·(−0.2 + 1/6) = −1.6667; sum −10
    assert b_farm["reference_share"] == pytest.approx(7.5)
    assert b_farm["industry_mix"] == pytest.approx(50 * (-1 / 6 - 0.15))
    assert b_farm["regional_shift"] == pytest.approx(50 * (-0.2 + 1 / 6))
    # a sector new to the region (and to the reference): NS = IM = 0, RS = e¹
    b_shop = _row(r, "B", "shop")
    assert (b_shop["reference_share"], b_shop["industry_mix"], b_shop["regional_shift"]) == (
        0.0,
        0.0,
        5.0,
    )
    assert b_shop["g_rs"] is None
    total = r["reference_share"] + r["industry_mix"] + r["regional_shift"]
    assert (total - r["change"]).abs().max() == pytest.approx(0.0, abs=1e-12)


def test_shift_share_identity_exact_on_integers() -> None:
    # With integer counts and a growth rate that is exact in binary (g = 0.25, g_s = 0.5 and 0),
    # the three parts add up to the change exactly, not just approximately.
    base = pl.DataFrame({"r": ["a", "a", "b"], "s": ["x", "y", "x"], "v": [4, 8, 4]})
    final = pl.DataFrame({"r": ["a", "a", "b"], "s": ["x", "y", "x"], "v": [8, 8, 4]})
    r = shift_share(base, final, region="r", sector="s", value="v")
    parts = r["reference_share"] + r["industry_mix"] + r["regional_shift"]
    assert parts.to_list() == r["change"].to_list()


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.integers(0, 500), min_size=6, max_size=6),
    st.lists(st.integers(0, 500), min_size=6, max_size=6),
)
def test_shift_share_identity_property(base_values: list[int], final_values: list[int]) -> None:
    regions = ["a", "a", "b", "b", "c", "c"]
    sectors = ["x", "y", "x", "y", "x", "y"]
    base = pl.DataFrame({"r": regions, "s": sectors, "v": base_values})
    final = pl.DataFrame({"r": regions, "s": sectors, "v": final_values})
    if sum(base_values) == 0:
        with pytest.raises(ValueError, match="zero"):
            shift_share(base, final, region="r", sector="s", value="v")
        return
    r = shift_share(base, final, region="r", sector="s", value="v")
    parts = r["reference_share"] + r["industry_mix"] + r["regional_shift"]
    assert (parts - r["change"]).abs().max() <= 1e-9 * max(1.0, float(r["change"].abs().max()))


def test_shift_share_with_reference_totals() -> None:
    # Regency pottery 40 → 60 while the province grows 1000 → 1100 overall, pottery 100 → 105.
    base = pl.DataFrame({"kab": ["k"], "s": ["pot"], "v": [40]})
    final = pl.DataFrame({"kab": ["k"], "s": ["pot"], "v": [60]})
    ref_0 = pl.DataFrame({"s": ["pot", "other"], "v": [100, 900]})
    ref_1 = pl.DataFrame({"s": ["pot", "other"], "v": [105, 995]})
    r = shift_share(
        base,
        final,
        region="kab",
        sector="s",
        value="v",
        reference_base=ref_0,
        reference_final=ref_1,
    ).row(0, named=True)
    # g = 0.1, g_pot = 0.05: NS = 4, IM = 40·(0.05 − 0.1) = −2, RS = 40·(0.5 − 0.05) = 18
    assert (r["reference_share"], r["industry_mix"], r["regional_shift"]) == pytest.approx(
        (4, -2, 18)
    )


def test_detect_clusters_on_synthetic_kabupaten() -> None:
    # Melikan: 25 pottery workshops (division 23, 4 workers each) among 5 farms.
    # Batur: 15 casting foundries (division 24, 8 workers each).
    # Elsewhere: 200 farms (3 workers), 3 potteries and 2 small foundries (2 workers each),
    # and Sukorejo with 4 big potteries (LQ high but too few enterprises).
    rows = (
        [("Melikan", "23", 4)] * 25
        + [("Melikan", "01", 3)] * 5
        + [("Batur", "24", 8)] * 15
        + [("Lain", "01", 3)] * 200
        + [("Lain", "23", 2)] * 3
        + [("Lain", "24", 2)] * 2
        + [("Sukorejo", "23", 10)] * 4
    )
    frame = pl.DataFrame(rows, schema=["desa", "kbli2", "workers"], orient="row")
    clusters = detect_clusters(frame, region="desa", sector="kbli2")
    flagged = clusters.filter(pl.col("cluster")).select("desa", "kbli2").rows()
    assert sorted(flagged) == [("Batur", "24"), ("Melikan", "23")]
    melikan = clusters.filter(pl.col("desa") == "Melikan", pl.col("kbli2") == "23").row(
        0, named=True
    )
    # pottery: 100 + 6 + 40 = 146 of 100 + 15 + 120 + 600 + 6 + 4 + 40 = 885 workers
    # LQ = (100/115)/(146/885) = 5.27; share of sector 100/146 = 68 %
    assert melikan["lq"] == pytest.approx((100 / 115) / (146 / 885))
    assert melikan["reason"] == "LQ 5.3, 25 usaha, 68% pekerja sektor ini"
    sukorejo = clusters.filter(pl.col("desa") == "Sukorejo").row(0, named=True)
    assert sukorejo["lq"] > 3 and not sukorejo["cluster"]  # only 4 enterprises
    # looser thresholds flag Sukorejo too
    loose = detect_clusters(frame, region="desa", sector="kbli2", min_enterprises=4)
    assert ("Sukorejo", "23") in loose.filter(pl.col("cluster")).select("desa", "kbli2").rows()
    with pytest.raises(ValueError, match="min_share"):
        detect_clusters(frame, region="desa", sector="kbli2", min_share=2)
