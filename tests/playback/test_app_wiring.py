"""app.py builds the engine and controller once; without libvlc the app still works and says why."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from podplayer.app import build_services
from podplayer.core.models import Episode, Podcast
from podplayer.core.paths import AppPaths
from podplayer.engine import vlc as vlc_module
from podplayer.engine.base import PlaybackState
from podplayer.engine.vlc import INSTALL_HINT, VlcEngine


def test_services_have_a_libvlc_engine_and_a_controller(qtbot: QtBot, app_paths: AppPaths) -> None:
    services = build_services(app_paths)
    try:
        assert isinstance(services.engine, VlcEngine)
        assert services.engine.available
        assert services.playback_unavailable == ""
        assert services.controller.state() is PlaybackState.IDLE
    finally:
        services.close()


def test_without_libvlc_the_app_works_and_explains(
    qtbot: QtBot, app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vlc_module, "libvlc_problem", lambda: INSTALL_HINT)
    services = build_services(app_paths)
    try:
        assert not services.engine.available
        assert "libvlc" in services.playback_unavailable
        podcast = services.library.podcasts.add(Podcast(url="http://127.0.0.1/f.xml"))
        assert podcast.id is not None
        episode = services.library.episodes.add(
            Episode(
                podcast_id=podcast.id,
                guid="a",
                title="A",
                enclosure_url="http://127.0.0.1:9/nowhere.mp3",
            )
        )
        assert episode.id is not None
        errors: list[str] = []
        services.controller.error.connect(errors.append)
        services.controller.enqueue(episode.id)
        services.controller.play_episode(episode.id)
        assert errors and "libvlc" in errors[0]
        assert services.controller.state() is PlaybackState.ERROR
    finally:
        services.close()


def test_python_vlc_failing_at_the_first_media_is_an_error_sentence(
    qtbot: QtBot, app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libvlc.so loaded at start, but python-vlc cannot use it when the first episode plays."""
    monkeypatch.setattr(vlc_module, "load_libvlc", lambda: (None, INSTALL_HINT))
    services = build_services(app_paths)
    try:
        assert services.engine.unavailable_reason == ""
        errors: list[str] = []
        services.engine.error.connect(errors.append)
        services.engine.load("http://127.0.0.1:9/nowhere.mp3")
        assert errors == [INSTALL_HINT]
        assert services.engine.unavailable_reason == INSTALL_HINT
        assert services.engine.state() is PlaybackState.ERROR
    finally:
        services.close()


def test_libvlc_starts_with_the_first_media_not_with_the_window(
    qtbot: QtBot, app_paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vlc

    started: list[object] = []
    real_new = vlc.libvlc_new

    def counting_new(*args: object) -> object:
        started.append(args)
        return real_new(*args)

    monkeypatch.setattr(vlc, "libvlc_new", counting_new)
    services = build_services(app_paths)
    try:
        assert services.engine.available and services.playback_unavailable == ""
        assert started == []
        assert isinstance(services.engine, VlcEngine)
        assert services.engine.media_player is not None
        assert services.engine.media_player is not None
        assert len(started) == 1
    finally:
        services.close()
    assert not services.engine.available
