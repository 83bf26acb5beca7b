"""The state machine allows only the moves a download can make, and the repository keeps them."""

from __future__ import annotations

import pytest

from podplayer.core.downloads.state import (
    ALLOWED_MOVES,
    DownloadFailedError,
    FailureReason,
    InvalidMoveError,
    move,
)
from podplayer.core.models import Download, DownloadState
from podplayer.core.storage.library import Library
from tests.core.downloads.conftest import add_episode


def test_every_state_has_rules_and_completed_is_final() -> None:
    assert set(ALLOWED_MOVES) == set(DownloadState)
    assert ALLOWED_MOVES[DownloadState.COMPLETED] == frozenset()


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (DownloadState.COMPLETED, DownloadState.DOWNLOADING),
        (DownloadState.FAILED, DownloadState.DOWNLOADING),
        (DownloadState.PAUSED, DownloadState.DOWNLOADING),
        (DownloadState.CANCELLED, DownloadState.COMPLETED),
        (DownloadState.QUEUED, DownloadState.FAILED),
    ],
)
def test_impossible_moves_are_refused(start: DownloadState, target: DownloadState) -> None:
    download = Download(episode_id=1, url="https://e/x.mp3", state=start)
    with pytest.raises(InvalidMoveError):
        move(download, target)
    assert download.state == start


def test_failure_carries_its_sentence_and_leaving_failed_clears_it() -> None:
    download = Download(episode_id=1, url="https://e/x.mp3", state=DownloadState.DOWNLOADING)
    failure = DownloadFailedError(FailureReason.HTTP_ERROR, "HTTP status 403")
    move(download, DownloadState.FAILED, str(failure))
    assert download.error == "The server refused the download (HTTP status 403). Retry later."
    move(download, DownloadState.QUEUED)
    assert download.error == ""
    assert FailureReason.CONNECTION_LOST.resumable and not FailureReason.NOT_AUDIO.resumable


def test_repository_round_trip(library: Library) -> None:
    episode = add_episode(library, "https://e/x.mp3")
    assert episode.id is not None
    record = Download(
        episode_id=episode.id,
        url="https://e/x.mp3",
        state=DownloadState.PAUSED,
        file_path="/d/Show/x.mp3",
        total_bytes=100,
        received_bytes=40,
        validator='"v"',
    )
    library.downloads.save(record)
    assert library.downloads.get(episode.id) == record
    library.downloads.save_progress(episode.id, 60)
    assert library.downloads.get(episode.id).received_bytes == 60  # type: ignore[union-attr]
    assert library.downloads.list([DownloadState.COMPLETED]) == []
    assert library.downloads.completed_file(episode.id) is None
    record.state = DownloadState.COMPLETED
    library.downloads.save(record)
    assert library.downloads.completed_file(episode.id) == "/d/Show/x.mp3"
    assert library.downloads.file_paths() == {"/d/Show/x.mp3"}
    library.episodes.update(episode)
    library.db.execute("DELETE FROM episodes WHERE id = ?", (episode.id,))
    assert library.downloads.get(episode.id) is None
