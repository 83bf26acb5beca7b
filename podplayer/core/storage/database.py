"""One SQLite file in WAL mode: a connection per thread and transactions that nest.

Each thread gets its own connection, so a refresh on a worker thread never blocks the GUI
thread's reads.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any

BUSY_TIMEOUT_MS = 10_000
# SQLite takes at most 32,766 parameters in one statement.
_ROWS_PER_STATEMENT = 30_000


class LibraryError(Exception):
    """A library problem with a sentence a user can act on."""


class _WriteLock:
    """This process's writers, one at a time; the main (GUI) thread goes before waiting workers.

    Waiters are woken as soon as it is free, unlike in SQLite's busy handler, which sleeps in
    growing steps (up to 100 ms). Other processes are still waited for by the busy timeout.
    """

    def __init__(self) -> None:
        self._free = threading.Condition()
        self._held = False
        self._main_waiting = 0

    def __enter__(self) -> None:
        with self._free:
            if threading.current_thread() is threading.main_thread():
                self._main_waiting += 1
                self._free.wait_for(lambda: not self._held)
                self._main_waiting -= 1
            else:
                self._free.wait_for(lambda: not self._held and not self._main_waiting)
            self._held = True

    def __exit__(self, *exc_info: object) -> None:
        with self._free:
            self._held = False
            self._free.notify_all()


def _row_factory(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> sqlite3.Row:
    return sqlite3.Row(cursor, row)


class Database:
    """One SQLite file; a connection per thread, transactions that nest."""

    def __init__(self, path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._write_lock = _WriteLock()

    def connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path,
                timeout=self.busy_timeout_ms / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
            conn.row_factory = _row_factory
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            # Each thread's connection would keep up to 2 MB of pages read by a scan (episode ids,
            # unplayed counts): ~4 MB more at idle with 100,000 episodes. Transactions still
            # spill to the file only past ~2 MB of changed pages, as with the default cache.
            conn.execute("PRAGMA cache_size = -512")
            conn.execute("PRAGMA cache_spill = 500")
            self._local.conn = conn
            self._local.depth = 0
            with self._lock:
                self._connections.append(conn)
        return conn

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        return self.connection().execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> sqlite3.Cursor:
        return self.connection().executemany(sql, rows)

    def write(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        """One statement that changes something, in its turn among this process's writers: a
        statement is atomic by itself, so no BEGIN and COMMIT (each would give the GIL away)."""
        if self._in_transaction():
            return self.execute(sql, params)
        with self._write_lock:
            return self.execute(sql, params)

    def write_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> sqlite3.Cursor:
        """One statement for many rows (all or nothing), in its turn among the writers."""
        if self._in_transaction():
            return self.executemany(sql, rows)
        with self.transaction() as conn:
            return conn.executemany(sql, rows)

    def _in_transaction(self) -> bool:
        self.connection()  # sets this thread's depth
        depth: int = self._local.depth
        return depth > 0

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing; a transaction inside another joins the outer one. Keep it short:
        read and compute first, outside."""
        conn = self.connection()
        depth: int = self._local.depth
        if depth > 0:
            self._local.depth = depth + 1
            try:
                yield conn
            finally:
                self._local.depth = depth
            return
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            self._local.depth = 1
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")
            finally:
                self._local.depth = 0

    # Many rows in few statements: each statement's step releases the GIL and takes it back, which
    # costs up to a switch interval (5 ms) while refresh threads parse; with a row per statement,
    # a merge of 200 episodes held the write lock for a second and the GUI thread waited.

    def insert_rows(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """INSERT every row, as few statements as SQLite's parameter limit allows."""
        row_marks = f"({', '.join('?' for _ in columns)})"
        for chunk in in_chunks(rows, _ROWS_PER_STATEMENT // max(1, len(columns))):
            self.write(
                f"INSERT INTO {table} ({', '.join(columns)})"
                f" VALUES {', '.join(row_marks for _ in chunk)}",
                [value for row in chunk for value in row],
            )

    def update_rows(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], extra: str = ""
    ) -> None:
        """UPDATE ``table`` by id: each row is (id, *values of ``columns``); ``extra`` adds
        assignments of its own (``in_feed = 1``)."""
        width = len(columns) + 1
        row_marks = f"({', '.join('?' for _ in range(width))})"
        assignments = [f"{name} = v.column{index + 2}" for index, name in enumerate(columns)]
        if extra:
            assignments.append(extra)
        for chunk in in_chunks(rows, _ROWS_PER_STATEMENT // width):
            self.write(
                f"UPDATE {table} SET {', '.join(assignments)}"
                f" FROM (VALUES {', '.join(row_marks for _ in chunk)}) AS v"
                f" WHERE {table}.id = v.column1",
                [value for row in chunk for value in row],
            )

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()


def sql_value(value: Any) -> Any:
    """A model value as SQLite stores it: booleans as 0/1, enums by their value."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Enum):
        return value.value
    return value


def in_chunks(items: Sequence[Any], size: int = 500) -> Iterator[list[Any]]:
    """``items`` in lists of at most ``size``: SQLite limits the parameters of one statement."""
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
