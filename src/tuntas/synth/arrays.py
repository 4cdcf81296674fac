"""Small array helpers shared by the generator modules.

>>> import numpy as np
>>> keep(np.array([True, False]), np.array(["a", "b"], dtype=object)).tolist()
['a', None]
>>> keep(np.array([True, False]), "x").tolist()
['x', None]
"""

from __future__ import annotations

from typing import Any

import numpy as np


def keep(mask: np.ndarray, values: Any) -> np.ndarray:
    """An object array holding ``values`` where ``mask`` is true and ``None`` elsewhere.

    ``values`` is an array of the same length as ``mask`` or a single value.
    """
    out = np.full(mask.shape, None, dtype=object)
    if isinstance(values, np.ndarray):
        out[mask] = values[mask]
    else:
        out[mask] = values
    return out
