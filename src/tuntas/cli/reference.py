"""The command-line reference (``docs/cli.md``), generated from the real ``--help`` texts.

``python -m tuntas.cli.reference > docs/cli.md`` regenerates it; a test fails when the file and the
commands disagree, so every option is documented.
"""

from __future__ import annotations

import os

from typer.testing import CliRunner


def _help(args: list[str]) -> str:
    from tuntas.cli import app

    result = CliRunner().invoke(
        app,
        [*args, "--help"],
        env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"},
        prog_name="tuntas",
    )
    return "\n".join(line.rstrip() for line in result.output.strip("\n").splitlines())


def command_names() -> list[str]:
    """Every ``tuntas`` command and sub-command (``plan compare``), in the order of ``--help``."""
    import typer.main

    from tuntas.cli import app

    group = typer.main.get_command(app)
    names: list[str] = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        names.append(name)
        names.extend(f"{name} {sub}" for sub in getattr(command, "commands", {}))
    return names


def cli_reference() -> str:
    """Markdown with ``tuntas --help`` and each command's ``--help``."""
    parts = [
        "# Command-line reference",
        "",
        "Generated from the commands' own help (`python -m tuntas.cli.reference > docs/cli.md`);",
        "a test keeps it in step with the code.",
        "",
        "```text",
        _help([]),
        "```",
    ]
    for name in command_names():
        parts += ["", f"## tuntas {name}", "", "```text", _help(name.split()), "```"]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    os.environ.setdefault("COLUMNS", "100")
    print(cli_reference(), end="")
