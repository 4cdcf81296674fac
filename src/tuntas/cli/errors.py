"""The command line's last line of defence: any error becomes a short message, never a traceback.

Known failures (a key problem, a database that is locked, read-only or unreachable, a file that
cannot be read or written) get a bilingual sentence saying what and where. Anything else gets a
short message and a log file (owner-only) with the traceback's frames and the error's type; the
error's text is logged only when it is the project's own, because a library's message can quote
the data it choked on (NIK, names).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import traceback
from pathlib import Path

LOG_DIR_ENV = "TUNTAS_LOG_DIR"


def log_dir() -> Path:
    """Where error logs go: ``TUNTAS_LOG_DIR``, else ``~/.cache/tuntas/logs``."""
    configured = os.environ.get(LOG_DIR_ENV)
    return Path(configured) if configured else Path.home() / ".cache" / "tuntas" / "logs"


def _own_message(error: BaseException) -> bool:
    return type(error).__module__.startswith("tuntas.")


def write_error_log(error: BaseException) -> Path | None:
    """Write the traceback's frames (no library message text) to a new owner-only log file."""
    lines = [f"TUNTAS {dt.datetime.now().isoformat(timespec='seconds')}\n"]
    for frame in traceback.extract_tb(error.__traceback__):
        lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n')
    detail = f": {error}" if _own_message(error) else " (pesan disembunyikan / message withheld)"
    lines.append(f"{type(error).__module__}.{type(error).__qualname__}{detail}\n")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for folder in (log_dir(), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"tuntas-error-{stamp}-{os.getpid()}.log"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.writelines(lines)
            return path
        except OSError:
            continue
    return None


def explain(error: BaseException) -> tuple[str, int]:
    """The message and exit status for an error that reached the top of a command."""
    from tuntas.protect import MasterKeyError

    if isinstance(error, MasterKeyError):
        return str(error), 2
    if _own_message(error):  # the project's own errors carry a message meant for the user
        return str(error), 1
    try:
        from tuntas.web.bootstrap import describe_database_error

        database = describe_database_error(error)
    except Exception:  # Django not importable or not configured: not a database error then
        database = None
    if database:
        return database, 1
    if isinstance(
        error, PermissionError | FileNotFoundError | IsADirectoryError | NotADirectoryError
    ):
        where = getattr(error, "filename", None) or "?"
        return (
            f"Berkas atau folder tidak dapat dipakai: {where} ({error.strerror}). / File or folder "
            f"cannot be used: {where} ({error.strerror}).",
            1,
        )
    if isinstance(error, OSError) and getattr(error, "filename", None):
        return (
            f"Kesalahan berkas {error.filename} ({error.strerror}). / File error {error.filename} "
            f"({error.strerror}).",
            1,
        )
    if isinstance(error, MemoryError):
        return "Memori tidak cukup. / Out of memory.", 1
    log = write_error_log(error)
    where = f" Rincian / details: {log}" if log else ""
    return (
        f"Kesalahan tak terduga ({type(error).__name__}); tidak ada yang disimpan setengah jalan. "
        f"/ Unexpected error ({type(error).__name__}); nothing was half-written.{where}",
        70,
    )
