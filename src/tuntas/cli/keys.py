"""Key commands: ``tuntas key init``, ``tuntas key status``, ``tuntas key rotate``."""

from __future__ import annotations

import json
import os
import secrets
import shutil
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from tuntas.cli.common import app, console, out, progress_bar
from tuntas.protect import (
    KEY_BYTES,
    MasterKey,
    MasterKeyError,
    Protector,
    key_file_path,
    load_master_key,
    write_key_file,
)

key_app = typer.Typer(no_args_is_help=True, help="The master key that protects NIK and names.")
app.add_typer(key_app, name="key")


def optional_protector() -> Protector | None:
    """The master key's protector when a key is configured, else ``None`` (masks show no code)."""
    try:
        return load_master_key().protector()
    except MasterKeyError:
        return None


@key_app.command("init")
def init() -> None:
    """Create a new master key file (``./tuntas.key`` or ``TUNTAS_KEY_FILE``), readable by you only.

    Never overwrites a key, and refuses when the database already holds personal data protected
    by another key. Keep a copy in a safe place: without it no stored NIK or name can be revealed
    and later imports cannot be linked to what is stored.
    """
    from tuntas.protect import create_key_file

    created = create_key_file()
    console.print(f"[green]Kunci baru / new key[/]: {created.source}")
    console.print(
        "Simpan salinannya di tempat aman. / Keep a copy in a safe place; the database records "
        "its fingerprint at the first import."
    )


@key_app.command("status")
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Where the key comes from, its fingerprint, and whether it is this database's key."""
    from tuntas.web.bootstrap import setup_django

    setup_django()
    from tuntas.web.bootstrap import migrate_database
    from tuntas.web.keys.services import active_record, check_key

    migrate_database()
    master = load_master_key()
    record = active_record()
    try:
        check_key(master)
        matches, problem = True, ""
    except MasterKeyError as error:
        matches, problem = False, str(error)
    result = {
        "source": master.source,
        "fingerprint": master.protector().fingerprint[:8],
        "database_fingerprint": record.fingerprint[:8] if record else None,
        "matches": matches,
        "recorded": record is not None,
    }
    if as_json:
        out.print_json(json.dumps(result))
    else:
        out.print(
            f"kunci / key: {result['source']} ({result['fingerprint']}…); basis data / database: "
            + (
                f"{result['database_fingerprint']}…"
                if record
                else "belum tercatat / not recorded yet"
            )
        )
        if problem:
            console.print(f"[red]{escape(problem)}[/]")
    if not matches:
        raise typer.Exit(code=1)


def _new_key_file(current: MasterKey, requested: Path | None) -> Path:
    """Where the new key goes until the database has switched to it."""
    from tuntas.web.keys.services import active_record, pending_key_path

    if requested is not None:
        target = requested
    elif current.path is not None:
        target = pending_key_path(current.path)
    else:
        target = pending_key_path(key_file_path())
    if target.exists():
        record = active_record()
        try:
            leftover = load_master_key(target).protector().fingerprint
        except MasterKeyError:
            leftover = ""
        if record is not None and leftover == record.fingerprint:
            raise MasterKeyError(
                f"Rotasi sebelumnya sudah selesai: basis data memakai kunci di {target}. / A "
                f"previous rotation finished: the database uses the key in {target}."
            )
        target.unlink()  # left by a rotation that failed before its commit: never used
    return target


@key_app.command("rotate")
def rotate(
    actor: Annotated[
        str | None,
        typer.Option(help="Who rotates (a TUNTAS user or a name); default $TUNTAS_USER."),
    ] = None,
    new_key_file: Annotated[
        Path | None,
        typer.Option(help="Where to write the new key (default: the key file + '.new' first)."),
    ] = None,
) -> None:
    """Replace the master key: re-hash and re-encrypt every NIK and name in one transaction.

    The new key is written first to ``KEYFILE.new``; when the database has switched, the old key
    file is kept as ``KEYFILE.retired-<time>`` (needed only to read older backups: store it offline
    or destroy it) and the new key takes its place. With ``TUNTAS_MASTER_KEY`` the new key stays
    in the new file: put its content into the variable.
    """
    from tuntas.web.bootstrap import migrate_database, setup_django

    setup_django()
    migrate_database()
    from tuntas.web.audit.services import AuditRefused, command_line_actor, resolve_actor
    from tuntas.web.keys.services import retired_key_path, rotate_key

    current = load_master_key()
    try:
        who = resolve_actor(actor)
    except AuditRefused as refused:
        console.print(f"[red]Ditolak / refused[/]: {escape(str(refused))}")
        raise typer.Exit(code=2) from None
    target = _new_key_file(current, new_key_file)
    key = secrets.token_bytes(KEY_BYTES)
    write_key_file(target, key)
    new = MasterKey(key, source=f"key file {target}", path=target)
    try:
        with progress_bar() as bar:
            task = bar.add_task("rotasi kunci", total=1.0)
            rotation = rotate_key(
                current,
                new,
                actor=f"{who.name} ({who.kind}; {command_line_actor()})",
                progress=lambda step, fraction: bar.update(
                    task, description=step, completed=fraction
                ),
            )
    except BaseException:
        target.unlink(missing_ok=True)  # the database did not switch: the new key was never used
        raise
    console.print(
        f"[green]Kunci diganti / key rotated[/]: {rotation.households:,} keluarga, "
        f"{rotation.persons:,} anggota, {rotation.audit_events:,} catatan audit; "
        f"{rotation.old_fingerprint[:8]}… → {rotation.new_fingerprint[:8]}…"
    )
    if current.path is not None and new_key_file is None:
        retired = retired_key_path(current.path)
        shutil.copy2(current.path, retired)
        retired.chmod(0o600)
        os.replace(target, current.path)
        console.print(
            f"Kunci baru di / new key in {current.path}; kunci lama / old key kept as {retired} "
            "(simpan offline atau hapus / store offline or destroy)."
        )
    else:
        console.print(
            f"Kunci baru di / new key in {target}: ganti TUNTAS_MASTER_KEY dengan isinya / set "
            "TUNTAS_MASTER_KEY to its content."
        )
