"""The ``tuntas`` command line: a thin front door onto the library and the database.

Run ``tuntas --help`` for the commands; each has its own ``--help``. Commands live in one module
per bounded context (``registry`` …) and register themselves on the shared Typer ``app``.
"""

from tuntas.cli import economy, keys, plan, poverty, registry, targets  # noqa: F401  (each registers)
from tuntas.cli.common import app

ORDER = (
    "demo",
    "synth",
    "import",
    "info",
    "migrate",
    "poverty",
    "targets",
    "sectors",
    "multipliers",
)
"""The order of ``tuntas --help``: the workflow, not the alphabet."""


def _command_name(command: object) -> str:
    name = getattr(command, "name", None) or command.callback.__name__  # type: ignore[attr-defined]
    return str(name).rstrip("_").replace("_", "-")


app.registered_commands.sort(
    key=lambda c: ORDER.index(_command_name(c)) if _command_name(c) in ORDER else len(ORDER)
)


def main() -> None:  # pragma: no cover - console entry point
    """Entry point for ``python -m tuntas.cli``."""
    app(prog_name="tuntas")


__all__ = ["app", "main"]
