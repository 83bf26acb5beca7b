"""An unsubscribe, in the window or by sync, takes the podcast's transcription jobs off the list
(the library deletes them with its episodes; real library file, fake engine, queue not started)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.conftest import WindowRig


def listed_episodes(rig: WindowRig) -> list[int]:
    tree = rig.window.transcription_jobs.tree
    jobs = rig.window.transcription_jobs
    listed = []
    for row in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(row)
        assert item is not None
        job = jobs.job(int(item.data(0, Qt.ItemDataRole.UserRole)))
        assert job is not None
        listed.append(job.episode_id)
    return sorted(listed)


def test_unsubscribing_here_or_by_sync_takes_the_jobs_off_the_list(window_rig: WindowRig) -> None:
    services, window = window_rig.services, window_rig.window
    first, second = window_rig.podcast_ids
    news, dives = window_rig.episode_ids[0], window_rig.episode_ids[3]
    window.transcription.transcribe_episodes([news, dives])
    assert listed_episodes(window_rig) == [news, dives]

    services.feeds.unsubscribe(first)  # what Unsubscribe runs on its worker
    window.subscriptions.unsubscribed.emit(first)
    assert listed_episodes(window_rig) == [dives]

    services.feeds.unsubscribe(second)  # as a sync that follows the phone's unsubscribe does
    window.sync.library_changed.emit()
    assert listed_episodes(window_rig) == []
    assert services.transcription.jobs() == []
