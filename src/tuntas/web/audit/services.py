"""Write audit events."""

from __future__ import annotations

import getpass
import socket
from typing import Any

from tuntas.web.audit.models import AuditEvent


def command_line_actor() -> str:
    """Who runs a command-line action: ``user@host`` of the operating system."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def record(
    *,
    actor: str,
    action: str,
    table: str,
    count: int,
    purpose: str = "",
    using: str = "default",
    **detail: Any,
) -> AuditEvent:
    """Store one audit event and return it."""
    return AuditEvent.objects.using(using).create(
        actor=actor, action=action, table=table, record_count=count, purpose=purpose, detail=detail
    )
