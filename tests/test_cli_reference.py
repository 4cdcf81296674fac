"""docs/cli.md is the real ``--help`` of every command (regenerate: python -m tuntas.cli.reference)."""

from pathlib import Path

from tuntas.cli.reference import cli_reference, command_names

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def test_cli_reference_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == cli_reference(), (
        "docs/cli.md is out of date: run `python -m tuntas.cli.reference > docs/cli.md`"
    )


def test_every_command_has_help_text() -> None:
    text = cli_reference()
    for name in command_names():
        section = text.split(f"## tuntas {name}\n", 1)[1].split("\n## ", 1)[0]
        assert "Usage: tuntas" in section and len(section.splitlines()) > 6, name
