"""SYNTHETIC registries for a regency, calibrated to published figures (DESIGN §4, issue 2 item 3).

>>> from tuntas.synth import synthesize, write_result, SynthResult
>>> result = synthesize("33.10", seed=1, scale=0.005)
>>> result.manifest["synthetic"]
True

Every table is synthetic: names, NIKs, NIBs, consumption and enterprises are generated, never copied
from a real person or business. What is calibrated, to which published figure, and what is assumed is
in ``docs/data.md`` and in each result's ``calibration`` table and ``manifest["assumptions"]``.
"""

from tuntas.synth.core import SynthResult, synthesize
from tuntas.synth.writer import write_result

__all__ = ["SynthResult", "synthesize", "write_result"]
