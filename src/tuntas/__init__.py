"""TUNTAS — tuntaskan kemiskinan ekstrem.

Analytics are pure functions over Polars tables (``tuntas.reference``, ``tuntas.params``,
``tuntas.tables``, ``tuntas.synth`` …); ``tuntas.web`` (Django) and ``tuntas.cli`` are front doors.
"""

__version__ = "0.1.0"
