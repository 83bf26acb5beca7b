"""A transcript file loaded in the pane becomes the episode's searchable text (real library
file, fake engine)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from podplayer.core.models import Cue
from tests.gui.conftest import WindowRig

VTT = """WEBVTT

00:00:02.000 --> 00:00:05.000
Tonight we follow the albatross across the southern ocean.
"""


def test_a_loaded_file_is_found_by_the_search(
    window_rig: WindowRig, qtbot: QtBot, tmp_path: Path
) -> None:
    services, window = window_rig.services, window_rig.window
    episode_id = window_rig.episode_ids[0]
    episode = services.library.episodes.get(episode_id)
    window.transcript_session.show_episode(episode)
    assert services.search.search("albatross") == []
    path = tmp_path / "episode one.vtt"
    path.write_text(VTT, encoding="utf-8")

    window.transcript.file_chosen.emit(str(path))

    qtbot.waitUntil(lambda: window.transcript.transcript is not None, timeout=5_000)
    found = services.search.search("albatross")
    assert [(r.episode.episode_id, r.hits[0].start_ms) for r in found] == [(episode_id, 2_000)]
    # A transcript made here later does not push the user's file out of the index.
    services.generated_transcripts.save(episode_id, [Cue(0, 1_000, "Penguins.")], "base", "en")
    assert [r.episode.episode_id for r in services.search.search("albatross")] == [episode_id]
    assert services.search.search("penguins") == []


def test_an_unreadable_file_changes_nothing_in_the_index(
    window_rig: WindowRig, tmp_path: Path
) -> None:
    services, window = window_rig.services, window_rig.window
    episode_id = window_rig.episode_ids[0]
    services.search.index_transcript(episode_id, [Cue(0, 1_000, "Seagulls at dawn.")])
    window.transcript_session.show_episode(services.library.episodes.get(episode_id))
    path = tmp_path / "broken.vtt"
    path.write_bytes(b"\x00\x01 not a transcript")

    window.transcript.file_chosen.emit(str(path))  # a worker in the app; here at once

    assert [r.episode.episode_id for r in services.search.search("seagulls")] == [episode_id]
