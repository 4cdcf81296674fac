"""Same seed ⇒ the same data (frames and files); another seed ⇒ other data."""

from __future__ import annotations

from pathlib import Path

from polars.testing import assert_frame_equal

from tuntas.synth import SynthResult, write_result


def test_same_seed_same_frames(klaten_small: SynthResult, klaten_small_again: SynthResult) -> None:
    for name, frame in klaten_small.tables.items():
        assert_frame_equal(frame, klaten_small_again.tables[name])
    assert_frame_equal(klaten_small.truth, klaten_small_again.truth)
    assert_frame_equal(klaten_small.calibration, klaten_small_again.calibration)
    assert klaten_small.manifest == klaten_small_again.manifest


def test_other_seed_other_data(klaten_small: SynthResult, klaten_small_seed2: SynthResult) -> None:
    # the published counts are the same for every seed; who is where and what they have is not
    a, b = klaten_small.tables, klaten_small_seed2.tables
    assert a["households"].height == b["households"].height
    assert not a["households"].equals(b["households"])
    assert not a["persons"]["nik"].equals(b["persons"]["nik"])
    assert not a["enterprises"].equals(b["enterprises"])
    assert not a["survey"].equals(b["survey"])


def test_files_are_byte_identical(
    klaten_small: SynthResult, klaten_small_again: SynthResult, tmp_path: Path
) -> None:
    first = write_result(klaten_small, tmp_path / "a", xlsx=False)
    second = write_result(klaten_small_again, tmp_path / "b", xlsx=False)
    assert [p.name for p in first] == [p.name for p in second]
    for p, q in zip(first, second, strict=True):
        assert p.read_bytes() == q.read_bytes(), p.name
