"""The ``tuntas`` command line: a thin front door onto the library and the database.

Run ``tuntas --help`` for the commands; each has its own ``--help``. Commands live in one module
per bounded context (``registry`` …) and register themselves on the shared Typer ``app``.
"""

from tuntas.cli import economy, poverty, registry, targets  # noqa: F401  (each registers its commands)
from tuntas.cli.common import app


def main() -> None:  # pragma: no cover - console entry point
    """Entry point for ``python -m tuntas.cli``."""
    app(prog_name="tuntas")


__all__ = ["app", "main"]
