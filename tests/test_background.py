"""Background work: results reach the main thread; held work waits for release, in order."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from podplayer.background import BackgroundWork


@pytest.mark.parametrize("synchronous", [True, False])
def test_held_work_starts_on_release_in_the_order_it_came(qtbot: QtBot, synchronous: bool) -> None:
    background = BackgroundWork(max_workers=1, synchronous=synchronous)
    started: list[str] = []
    delivered: list[str] = []

    def deliverer(name: str) -> Callable[[object], None]:
        return lambda _result: delivered.append(name)

    background.hold()
    for name in ("podcasts", "episodes", "artwork"):
        background.submit(started.append, name, on_done=deliverer(name))
    background.submit(lambda: 1 / 0, on_error=lambda exc: delivered.append(type(exc).__name__))
    try:
        assert started == [] and delivered == []
        assert background.busy
        background.release()
        qtbot.waitUntil(lambda: len(delivered) == 4, timeout=5_000)
        assert started == ["podcasts", "episodes", "artwork"]
        assert delivered == ["podcasts", "episodes", "artwork", "ZeroDivisionError"]
        background.submit(started.append, "after release")
        qtbot.waitUntil(lambda: not background.busy, timeout=5_000)
        assert started[-1] == "after release"
    finally:
        background.shutdown()


def test_work_runs_on_a_worker_and_its_result_comes_back_on_the_main_thread(
    qtbot: QtBot,
) -> None:
    background = BackgroundWork()
    ran_on: list[threading.Thread] = []
    delivered_on: list[threading.Thread] = []

    def work() -> int:
        ran_on.append(threading.current_thread())
        return 42

    try:
        with qtbot.waitSignal(background._finished, timeout=5_000):
            background.submit(
                work, on_done=lambda value: delivered_on.append(threading.current_thread())
            )
        qtbot.waitUntil(lambda: bool(delivered_on), timeout=5_000)
        assert ran_on[0] is not threading.main_thread()
        assert delivered_on == [threading.main_thread()]
    finally:
        background.shutdown()


def test_shutdown_drops_work_still_held(qtbot: QtBot) -> None:
    background = BackgroundWork(synchronous=True)
    started: list[str] = []
    background.hold()
    background.submit(started.append, "never")
    background.shutdown()
    background.release()
    assert started == []
