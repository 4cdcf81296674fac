"""Key commands: ``tuntas key init``, ``tuntas key rotate``, ``tuntas key status``."""

from __future__ import annotations

from tuntas.protect import MasterKeyError, Protector, load_master_key


def optional_protector() -> Protector | None:
    """The master key's protector when a key is configured, else ``None`` (masks show no code)."""
    try:
        return load_master_key().protector()
    except MasterKeyError:
        return None


import typer  # noqa: E402

from tuntas.cli.common import app, console  # noqa: E402

key_app = typer.Typer(no_args_is_help=True, help="The master key that protects NIK and names.")
app.add_typer(key_app, name="key")


@key_app.command("init")
def init() -> None:
    """Create a new master key file (``./tuntas.key`` or ``TUNTAS_KEY_FILE``), readable by you only.

    Never overwrites a key. Keep a copy in a safe place: without it no stored NIK or name can be
    revealed and later imports cannot be linked to what is stored.
    """
    from tuntas.protect import create_key_file

    created = create_key_file()
    console.print(f"[green]Kunci baru / new key[/]: {created.source}")
