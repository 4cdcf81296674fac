"""Shared pieces of the command line: the Typer app, consoles and progress bars."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

app = typer.Typer(
    name="tuntas",
    help=(
        "TUNTAS — tuntaskan kemiskinan ekstrem. Generate or import a regency's registries, "
        "then analyse poverty, sectors and plans. Data lives in an SQLite file in the working "
        "directory (tuntas.sqlite3) unless DATABASE_URL points to PostgreSQL."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
# Wide enough for the per-kecamatan tables when the output goes to a file or a pipe.
_WIDTH = None if sys.stdout.isatty() else 140
console = Console(stderr=True, width=_WIDTH)
"""Messages and progress (standard error)."""
out = Console(width=_WIDTH)
"""Results (standard output), so that ``--json`` output can be piped."""


def progress_bar() -> Progress:
    """A Rich progress bar on standard error (hidden when it is not a terminal)."""
    return Progress(
        TextColumn("[bold]{task.description:<28}"),
        BarColumn(),
        TextColumn("{task.percentage:>5.1f}%"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        disable=not console.is_terminal,
    )


FromDir = Annotated[
    Path | None,
    typer.Option(
        "--from",
        help="Read the tables from this folder instead of the database.",
        exists=True,
        file_okay=False,
    ),
]
"""The ``--from DIR`` option of the analysis commands (a folder written by ``tuntas synth``)."""
