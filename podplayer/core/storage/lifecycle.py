"""Opening and closing the library file: crash detection, damaged and locked files, newer schemas.

A file that is not a database, or is corrupt, is moved aside under a timestamped name and a new
library is started. A file locked by another program is waited for (the busy timeout), then
LockedLibraryError names the program to close; it is not damaged and nothing is renamed. A file
written by a newer podplayer is left untouched. An ``.open-PID``
marker next to the file exists while a process has it open: one left by an ended process means
the library was not closed cleanly, and every page is checked once.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from podplayer.core.storage.database import BUSY_TIMEOUT_MS, Database, LibraryError
from podplayer.core.storage.migrate import SCHEMA_VERSION, MigrationContext, migrate

# What SQLite says of a file that is not a database, or is one no longer: only these are damage.
_DAMAGED = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_LOCKED = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


class NewerDatabaseError(LibraryError):
    """The database was written by a newer podplayer; it is left untouched."""


class LockedLibraryError(LibraryError):
    """Another program holds the library's lock; nothing was changed."""


class _DamagedError(Exception):
    """The file is not a database, or a corrupt one."""


def open_database(
    path: Path, context: MigrationContext, busy_timeout_ms: int = BUSY_TIMEOUT_MS
) -> tuple[Database, list[str]]:
    """The database at ``path``, created or upgraded, and sentences the user must be told."""
    path.parent.mkdir(parents=True, exist_ok=True)
    notices: list[str] = []
    unclean = _markers_of_ended_processes(path)
    if path.exists() and path.stat().st_size > 0:
        try:
            version = _read_schema_version(
                path, check_every_page=bool(unclean), busy_timeout_ms=busy_timeout_ms
            )
        except _DamagedError:
            moved = _move_aside(path)
            notices.append(
                f"The library file was damaged and could not be read. It was kept as "
                f"{moved} and podplayer started with an empty library."
            )
        else:
            if version > SCHEMA_VERSION:
                raise NewerDatabaseError(
                    f"The library at {path} was written by a newer version of podplayer "
                    f"(schema {version}; this version knows {SCHEMA_VERSION}). Update "
                    f"podplayer, or start this version with another folder (--data-dir)."
                    " The file was not changed."
                )
    db = Database(path, busy_timeout_ms)
    try:
        migrate(db, context)
    except sqlite3.OperationalError as exc:
        db.close()
        if exc.sqlite_errorcode in _LOCKED:
            raise _locked_error(path, busy_timeout_ms) from exc
        raise LibraryError(f"The library at {path} could not be opened: {exc}.") from exc
    for marker in unclean:
        marker.unlink(missing_ok=True)
    _open_marker(path).touch()
    return db, notices


def close_database(db: Database) -> None:
    db.close()
    _open_marker(db.path).unlink(missing_ok=True)


def _read_schema_version(path: Path, *, check_every_page: bool, busy_timeout_ms: int) -> int:
    """The file's user_version, read without writing anything (read-only URI).

    Reading the header and the schema catches a file that is not a database or is cut short
    (_DamagedError); ``check_every_page`` adds SQLite's quick_check (~70 ms on 100,000 episodes)
    for a file that was not closed cleanly. A lock held longer than the busy timeout raises
    LockedLibraryError; any other failure (permissions, I/O) a LibraryError: neither is damage.
    """
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=busy_timeout_ms / 1000)
        try:
            version: int = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            problems = conn.execute("PRAGMA quick_check").fetchall() if check_every_page else []
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if exc.sqlite_errorcode in _DAMAGED:
            raise _DamagedError(str(exc)) from exc
        if exc.sqlite_errorcode in _LOCKED:
            raise _locked_error(path, busy_timeout_ms) from exc
        raise LibraryError(f"The library at {path} could not be read: {exc}.") from exc
    if problems and [tuple(row) for row in problems] != [("ok",)]:
        raise _DamagedError("; ".join(str(row[0]) for row in problems[:5]))
    return version


def _locked_error(path: Path, busy_timeout_ms: int) -> LockedLibraryError:
    holders = _programs_using(path)
    who = (
        f"another program ({', '.join(holders)})"
        if holders
        else "another program (another podplayer, or an SQLite tool)"
    )
    return LockedLibraryError(
        f"The library at {path} is locked by {who} and was still locked after "
        f"{busy_timeout_ms / 1000:g} seconds. Close that program, then start podplayer again. "
        "Nothing was changed."
    )


def _programs_using(path: Path) -> list[str]:
    """The programs with the library (or its WAL files) open, as "name, process N" (Linux)."""
    wanted = {str(path.resolve()) + suffix for suffix in ("", "-wal", "-shm", "-journal")}
    found = []
    for process in Path("/proc").glob("[0-9]*"):
        if int(process.name) == os.getpid():
            continue
        try:
            uses = any(os.readlink(fd) in wanted for fd in (process / "fd").iterdir())
            name = (process / "comm").read_text().strip() if uses else ""
        except OSError:
            continue  # ended meanwhile, or another user's
        if uses:
            found.append(f"{name}, process {process.name}")
    return found


def _open_marker(path: Path, pid: int | None = None) -> Path:
    """Exists while this process has the library open; left behind by a crash or a kill -9."""
    return path.with_name(f"{path.name}.open-{os.getpid() if pid is None else pid}")


def _markers_of_ended_processes(path: Path) -> list[Path]:
    """Open markers whose process is gone: that process never closed the library."""
    ended = []
    for marker in path.parent.glob(f"{path.name}.open-*"):
        pid = marker.name.rsplit("-", 1)[1]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            ended.append(marker)
        except PermissionError:
            pass  # alive, another user's
    return ended


def _move_aside(path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    return target
