"""Canonical tables: schemas, presets, readers and validation (pure Polars, no Django)."""
