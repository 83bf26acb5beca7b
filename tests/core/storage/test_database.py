"""The process's writers take turns in one write lock, the GUI (main) thread before workers."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from podplayer.core.storage.database import Database


def test_the_main_thread_writes_before_waiting_workers(tmp_path: Path) -> None:
    db = Database(tmp_path / "lib.sqlite3")
    db.execute("CREATE TABLE turn (who TEXT)")
    db.execute("INSERT INTO turn VALUES ('nobody')")
    holding, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        with db.transaction():
            holding.set()
            release.wait(10)

    def worker_write() -> None:
        db.write("UPDATE turn SET who = 'worker'")

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    assert holding.wait(10)
    worker = threading.Thread(target=worker_write)
    worker.start()
    time.sleep(0.2)  # the worker is waiting for its turn now
    threading.Timer(0.2, release.set).start()
    db.write("UPDATE turn SET who = 'main'")  # waits for the holder, then goes first
    worker.join(10)
    holder.join(10)
    assert db.execute("SELECT who FROM turn").fetchone()[0] == "worker"  # it wrote last
    db.close()


def test_a_failed_transaction_releases_the_lock(tmp_path: Path) -> None:
    db = Database(tmp_path / "lib.sqlite3")
    db.execute("CREATE TABLE t (a)")
    try:
        with db.transaction():
            db.write("INSERT INTO t VALUES (1)")
            raise RuntimeError("half way")
    except RuntimeError:
        pass
    finished = threading.Event()

    def write_after() -> None:
        db.write("INSERT INTO t VALUES (2)")
        finished.set()

    threading.Thread(target=write_after).start()
    assert finished.wait(5)
    assert [row[0] for row in db.execute("SELECT a FROM t")] == [2]
    db.close()
