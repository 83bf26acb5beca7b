"""Schema migrations: one file each in ``migrations/``, applied in number order, never edited.

A migration is ``mNNNN_what_it_does.sql`` (a whole SQL script: triggers, FTS5 tables, anything
SQLite accepts) or ``mNNNN_what_it_does.py`` with ``migrate(conn, context)`` for a change SQL cannot
make. Numbers may have gaps (branches own number ranges). Each migration runs in its own
transaction, together with setting ``PRAGMA user_version`` to its number: one that fails leaves
the file at the previous version. A script never says BEGIN or COMMIT, and PRAGMA foreign_keys
cannot change inside a transaction.
"""

from __future__ import annotations

import importlib
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from podplayer.core.storage.database import Database, LibraryError

if TYPE_CHECKING:
    from podplayer.core.credentials import SecretStore

MIGRATIONS_PACKAGE = "podplayer.core.storage.migrations"
_FILE_NAME = re.compile(r"m(\d{4})_[a-z0-9_]+\.(sql|py)")


class MigrationError(LibraryError):
    """A migration file is malformed or failed; the library stays at its previous version."""


@dataclass(frozen=True, slots=True)
class MigrationContext:
    """What a Python migration may use besides the connection."""

    secrets: SecretStore | None


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: a SQL script, or a function for what SQL cannot do."""

    number: int
    name: str
    script: str = ""
    function: Callable[[sqlite3.Connection, MigrationContext], None] | None = None


def discover(package: str = MIGRATIONS_PACKAGE) -> list[Migration]:
    """The migrations in ``package``, by number; two files with one number are an error."""
    found: dict[int, Migration] = {}
    for entry in resources.files(package).iterdir():
        match = _FILE_NAME.fullmatch(entry.name)
        if match is None:
            continue
        number = int(match.group(1))
        if number in found:
            raise MigrationError(f"Two migrations have the number {number}: {entry.name}")
        stem = entry.name.rsplit(".", 1)[0]
        if match.group(2) == "sql":
            found[number] = Migration(number, stem, script=entry.read_text(encoding="utf-8"))
        else:
            module = importlib.import_module(f"{package}.{stem}")
            found[number] = Migration(number, stem, function=module.migrate)
    return [found[number] for number in sorted(found)]


MIGRATIONS: tuple[Migration, ...] = tuple(discover())
SCHEMA_VERSION = MIGRATIONS[-1].number


def statements(script: str) -> Iterator[str]:
    """The statements of a script, each whole (a trigger's ``BEGIN ...; END;`` included)."""
    pending = ""
    parts = script.split(";")
    for part in parts[:-1]:
        pending += part + ";"
        if sqlite3.complete_statement(pending):
            yield pending
            pending = ""
    rest = pending + parts[-1]
    if any(line.strip() and not line.strip().startswith("--") for line in rest.splitlines()):
        raise MigrationError(f"The script ends with an incomplete statement: {rest.strip()[:80]}")


def schema_version(db: Database) -> int:
    version: int = db.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(
    db: Database,
    context: MigrationContext,
    migrations: Sequence[Migration] = MIGRATIONS,
    target: int | None = None,
) -> None:
    """Apply every migration above the file's version (up to ``target``), each all or nothing."""
    db.execute("PRAGMA journal_mode = WAL")
    version = schema_version(db)
    pending = [
        migration
        for migration in migrations
        if migration.number > version and (target is None or migration.number <= target)
    ]
    for migration in pending:  # nothing pending: no write lock taken, another writer is fine
        with db.transaction() as conn:
            # Read inside the write lock: another process may have just applied it.
            if migration.number <= schema_version(db):
                continue
            try:
                if migration.function is not None:
                    migration.function(conn, context)
                for statement in statements(migration.script):
                    conn.execute(statement)
            except sqlite3.Error as exc:
                raise MigrationError(
                    f"Migration {migration.name} failed ({exc}); the library was left at "
                    f"version {schema_version(db)}."
                ) from exc
            conn.execute(f"PRAGMA user_version = {migration.number}")
