"""Named random streams: one NumPy generator per generation step, derived from the user's seed.

Each step (``"households"``, ``"persons"``, ``"enterprises"`` …) draws from its own stream
``default_rng([seed, crc32(name)])``, so changing how many numbers one step draws does not shift
the numbers of any other step, and the same seed always gives the same data (no dict/set ordering,
no clock).

Examples
--------
>>> a = stream(1, "households").integers(0, 1000, 3)
>>> b = stream(1, "households").integers(0, 1000, 3)
>>> bool((a == b).all())
True
>>> bool((stream(2, "households").integers(0, 1000, 3) == a).all())
False
"""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, name: str) -> np.random.Generator:
    """The generator for step ``name`` under ``seed`` (``seed`` must be a non-negative integer)."""
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    return np.random.default_rng([int(seed), zlib.crc32(name.encode("utf-8"))])


def stable_hash(text: str) -> int:
    """A stable 32-bit hash of ``text`` (CRC-32), used for deterministic seed-free choices.

    >>> stable_hash("33.10.03.2006") == stable_hash("33.10.03.2006")
    True
    """
    return zlib.crc32(text.encode("utf-8"))
