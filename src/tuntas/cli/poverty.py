"""Poverty commands (issue 3): ``poverty`` and ``targets``."""

from __future__ import annotations
