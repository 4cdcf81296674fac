"""Village-economy commands (issue 4): ``sectors`` and ``multipliers``."""

from __future__ import annotations
