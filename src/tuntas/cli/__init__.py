"""The ``tuntas`` command line: a thin front door onto the library and the database.

Run ``tuntas --help`` for the commands; each has its own ``--help``. Commands live in one module
per bounded context (``registry`` …) and register themselves on the shared Typer ``app``.
"""

from tuntas.cli import audit, economy, keys, plan, poverty, registry, targets  # noqa: F401  (each registers)
from tuntas.cli.common import app, console

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


def main() -> None:
    """The ``tuntas`` console entry point: the commands, with every error turned into a message.

    Click handles usage errors and ``typer.Exit``; anything else is explained by
    :func:`tuntas.cli.errors.explain` on standard error, with a non-zero exit status and, for an
    unexpected error, a log file path, never a traceback on screen.
    """
    import sys

    try:
        app(prog_name="tuntas")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        console.print("Dihentikan / interrupted; tidak ada yang diubah / nothing was changed.")
        sys.exit(130)
    except Exception as error:
        from tuntas.cli.errors import explain

        message, code = explain(error)
        from rich.markup import escape

        console.print(f"[red]Gagal / failed[/]: {escape(message)}", highlight=False)
        sys.exit(code)


__all__ = ["app", "main"]
