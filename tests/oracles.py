"""Independent oracles (samplics, pymrio, statsmodels) are dev dependencies; under CI they must be
there: a missing oracle fails the run instead of silently skipping the comparison."""

from __future__ import annotations

import importlib
import os
import warnings
from types import ModuleType

import pytest


def oracle(module: str) -> ModuleType:
    """Import ``module``; skip when it is missing on a developer machine, fail under ``CI=true``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # samplics warns that it is archived
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            return importlib.import_module(module)
        return pytest.importorskip(module)
