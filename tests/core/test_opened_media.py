"""Files and episode URLs opened from outside find their episode or join "Opened files"."""

from __future__ import annotations

from pathlib import Path

from podplayer.core.models import Episode, Podcast, RefreshStatus
from podplayer.core.opened_media import OPENED_FILES_URL, episode_for_media, media_source
from podplayer.core.paths import AppPaths
from podplayer.core.storage.library import Library


def test_known_episode_is_found(app_paths: AppPaths) -> None:
    library = Library.open(app_paths.database)
    podcast = library.podcasts.add(Podcast(url="https://127.0.0.1/feed.xml", title="Show"))
    assert podcast.id is not None
    known = library.episodes.add(
        Episode(podcast_id=podcast.id, guid="g", enclosure_url="https://127.0.0.1/one.mp3")
    )
    found = episode_for_media(library, "https://127.0.0.1/one.mp3")
    assert found is not None and found.id == known.id
    assert library.podcasts.find_by_url(OPENED_FILES_URL) is None
    library.close()


def test_new_file_joins_opened_files_once(app_paths: AppPaths, tmp_path: Path) -> None:
    library = Library.open(app_paths.database)
    audio = tmp_path / "My talk.mp3"
    audio.write_bytes(b"ID3")
    first = episode_for_media(library, audio.as_uri())
    again = episode_for_media(library, str(audio))
    assert first is not None and again is not None and first.id == again.id
    assert first.title == "My talk.mp3" and first.enclosure_url == str(audio)
    opened = library.podcasts.find_by_url(OPENED_FILES_URL)
    assert opened is not None and opened.refresh_status is RefreshStatus.GONE  # never fetched
    library.close()


def test_unplayable_addresses_are_refused(tmp_path: Path) -> None:
    for uri in (
        "javascript:alert(1)",
        "smb://host/x.mp3",
        "file://otherhost/x.mp3",
        (tmp_path / "missing.mp3").as_uri(),
        "relative/x.mp3",
        "https:///nohost.mp3",
    ):
        assert media_source(uri) is None, uri
