"""Audit commands: ``tuntas audit list`` and ``tuntas audit verify``."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from tuntas.cli.common import app, console, out

audit_app = typer.Typer(no_args_is_help=True, help="The audit log of reveals and changes.")
app.add_typer(audit_app, name="audit")


@audit_app.command("list")
def list_(
    limit: Annotated[int, typer.Option(help="How many of the newest events.", min=1)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """The newest audit events: when, who, what, on which table, how many records, why."""
    from tuntas.web.bootstrap import ensure_schema

    ensure_schema()
    from tuntas.web.audit.services import list_events

    events = list_events(limit=limit)
    if as_json:
        out.print_json(json.dumps(events, ensure_ascii=False))
        return
    table = Table(title="Jejak audit / audit log")
    for heading in ("seq", "waktu", "pelaku", "tindakan", "tabel", "jumlah", "tujuan"):
        table.add_column(heading)
    for e in events:
        table.add_row(
            str(e["seq"] or "-"),
            e["at"],
            e["actor"],
            e["action"],
            e["table"],
            f"{e['record_count']:,}",
            e["purpose"],
        )
    out.print(table)


@audit_app.command("verify")
def verify(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Check the audit chain: an edited, inserted or deleted event is reported (exit status 1)."""
    from tuntas.web.bootstrap import ensure_schema

    ensure_schema()
    from tuntas.web.audit.services import verify_chain
    from tuntas.web.keys.services import database_key

    check = verify_chain(database_key())
    if as_json:
        out.print_json(
            json.dumps(
                {
                    "ok": check.ok,
                    "events": check.events,
                    "unchained": check.unchained,
                    "problems": check.problems,
                },
                ensure_ascii=False,
            )
        )
    elif check.ok:
        out.print(
            f"[green]Jejak audit utuh / audit chain intact[/]: {check.events:,} catatan / events"
            + (f", {check.unchained} belum dirantai / not yet chained" if check.unchained else "")
        )
    else:
        console.print(f"[red]Jejak audit rusak / audit chain broken[/] ({check.events:,} events):")
        for problem in check.problems:
            console.print(f"  {escape(problem)}")
    if not check.ok:
        raise typer.Exit(code=1)
