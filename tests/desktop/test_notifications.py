"""New episodes found by a refresh reach a (strict) notification server; a setting turns it off."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtDBus import QDBusConnection
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from podplayer.app import build_desktop_services
from podplayer.core.feeds.merge import MergeCounts
from podplayer.core.feeds.service import RefreshResult
from podplayer.core.models import RefreshStatus
from podplayer.core.paths import AppPaths
from podplayer.core.storage.library import Library
from podplayer.desktop.notifications import (
    NOTIFY_SETTING,
    NewEpisodeNotifier,
    new_episodes_text,
)
from podplayer.desktop.single_instance import SingleInstance, socket_name
from podplayer.engine.fake import FakeEngine
from podplayer.gui.launch import connect_desktop
from tests.desktop.dbus_clients import bus_environment
from tests.gui.conftest import open_window
from tests.http_server import TestHttpServer

ROOT = Path(__file__).resolve().parents[2]


def result(title: str, added: int) -> RefreshResult:
    return RefreshResult(
        podcast_id=1,
        title=title,
        status=RefreshStatus.OK,
        message="",
        counts=MergeCounts(added=added, updated=0, gone_from_feed=0),
    )


@pytest.fixture
def server(dbus_address: str) -> Iterator[subprocess.Popen[str]]:
    environment = bus_environment(dbus_address) | {"PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.desktop.fake_notification_server"],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready", process.stderr
    yield process
    process.terminate()
    process.wait(10)


@pytest.fixture
def library(app_paths: AppPaths) -> Iterator[Library]:
    library = Library.open(app_paths.database)
    yield library
    library.close()


def test_new_episodes_are_announced(
    server: subprocess.Popen[str], bus: QDBusConnection, library: Library
) -> None:
    notifier = NewEpisodeNotifier(library.settings, bus)
    assert notifier.announce([result("Night Radio", 2), result("Quiet", 0), result("Ada", 1)])
    assert server.stdout is not None
    shown = json.loads(server.stdout.readline())
    assert shown["summary"] == "3 new episodes"
    assert shown["body"] == "Night Radio: 2\nAda: 1"
    assert shown["replaces_id"] == 0 and shown["actions"] == []
    assert shown["app_icon"] == "io.github.podplayer.Podplayer"


def test_nothing_new_means_no_notification(
    server: subprocess.Popen[str], bus: QDBusConnection, library: Library
) -> None:
    assert not NewEpisodeNotifier(library.settings, bus).announce([result("Quiet", 0)])


def test_the_setting_turns_it_off(
    server: subprocess.Popen[str], bus: QDBusConnection, library: Library
) -> None:
    notifier = NewEpisodeNotifier(library.settings, bus)
    notifier.set_enabled(False)
    assert not notifier.announce([result("Night Radio", 2)])
    assert not NewEpisodeNotifier(library.settings, bus).enabled  # kept in the library


def test_no_notification_server_is_no_problem(
    qtbot: QtBot, bus: QDBusConnection, library: Library
) -> None:
    assert not NewEpisodeNotifier(library.settings, bus).announce([result("Night Radio", 2)])


def test_many_podcasts_are_summed_up() -> None:
    text = new_episodes_text([result(f"Show {n}", 1) for n in range(6)])
    assert text is not None
    summary, body = text
    assert summary == "6 new episodes"
    assert body.splitlines()[-1] == "and 2 more podcasts"


def test_the_server_is_strict(server: subprocess.Popen[str], dbus_address: str) -> None:
    """A Notify with int32 replaces_id (what PySide6 sends by default) is refused."""
    call = subprocess.run(
        [
            *("gdbus", "call", "--session", "--dest", "org.freedesktop.Notifications"),
            *("--object-path", "/org/freedesktop/Notifications"),
            *("--method", "org.freedesktop.Notifications.Notify"),
            *("podplayer", "int32 0", "", "s", "b", "@as []", "@a{sv} {}", "-1"),
        ],
        env=bus_environment(dbus_address) | {"HOME": os.environ.get("HOME", "/tmp")},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert call.returncode != 0


def test_markup_in_titles_is_escaped_for_a_server_that_renders_it(
    server: subprocess.Popen[str], bus: QDBusConnection, library: Library
) -> None:
    notifier = NewEpisodeNotifier(library.settings, bus)
    assert notifier.announce([result('<b>Loud</b> & <img src="file:///etc/x.png">', 1)])
    assert server.stdout is not None
    shown = json.loads(server.stdout.readline())
    assert shown["body"] == '&lt;b&gt;Loud&lt;/b&gt; &amp; &lt;img src="file:///etc/x.png"&gt;: 1'


def _feed(episodes: int) -> bytes:
    items = "".join(
        f"<item><guid>n{n}</guid><title>Night {n}</title>"
        f'<enclosure url="http://127.0.0.1/{n}.mp3" type="audio/mpeg" length="1"/></item>'
        for n in range(episodes)
    )
    channel = f"<channel><title>Night Radio</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


def _next_notification(server: subprocess.Popen[str], timeout_s: float) -> dict[str, object] | None:
    assert server.stdout is not None
    ready, _, _ = select.select([server.stdout], [], [], timeout_s)
    return json.loads(server.stdout.readline()) if ready else None


def test_refresh_from_the_window_notifies_until_turned_off_in_the_menu(
    server: subprocess.Popen[str],
    bus: QDBusConnection,
    app_paths: AppPaths,
    qtbot: QtBot,
    http_server: TestHttpServer,
) -> None:
    http_server.route("/night.xml", body=_feed(1))
    services, window = open_window(app_paths, qtbot, FakeEngine())
    desktop = build_desktop_services(services, SingleInstance(socket_name(app_paths.data_dir)), bus)
    try:
        connect_desktop(window, desktop)
        services.feeds.subscribe(http_server.url("/night.xml"))
        http_server.route("/night.xml", body=_feed(3))
        window.subscriptions.refresh_all()
        shown = _next_notification(server, 10)
        assert shown is not None and shown["summary"] == "2 new episodes"
        assert shown["body"] == "Night Radio: 2"

        [option] = [
            action
            for menu in window.menuBar().findChildren(QMenu)
            for action in menu.actions()
            if action.text() == "&Notify about new episodes"
        ]
        assert option.isCheckable() and option.isChecked() and option.toolTip()
        option.trigger()
        assert services.library.settings.get(NOTIFY_SETTING, True) is False
        http_server.route("/night.xml", body=_feed(5))
        window.subscriptions.refresh_all()
        [night] = [p for p in services.library.podcasts.list() if p.title == "Night Radio"]
        assert night.id is not None
        assert len(services.library.episodes.list_for_podcast(night.id)) == 5  # it refreshed
        assert _next_notification(server, 1.0) is None
    finally:
        window.close()
        desktop.close()
        services.close()
