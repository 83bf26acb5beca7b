"""Another program holding the library's lock, as an SQLite tool with an open transaction does.

Usage: python -m tests.core.storage.lock_holder_child DATABASE
Prints "LOCKED" once the lock is held, then holds it until killed.
"""

from __future__ import annotations

import sqlite3
import sys
import time


def main(database: str) -> None:
    conn = sqlite3.connect(database, isolation_level=None)
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    print("LOCKED", flush=True)
    while True:
        time.sleep(1)


if __name__ == "__main__":
    main(sys.argv[1])
