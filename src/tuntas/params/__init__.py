"""Dated parameters with references (poverty lines, KUR, size classes, wages…); see ``loader``."""

from tuntas.params.loader import (
    Parameter,
    ParameterError,
    ParameterSet,
    ParameterValue,
    baseline,
    load_override_file,
    parse_parameter_text,
)

__all__ = [
    "Parameter",
    "ParameterError",
    "ParameterSet",
    "ParameterValue",
    "baseline",
    "load_override_file",
    "parse_parameter_text",
]
