"""The SQLite library: migrations keep data, damaged and newer files are handled without loss."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from podplayer.core.credentials import SecretStore
from podplayer.core.models import ChapterRef, Episode, Podcast, RefreshStatus, TranscriptRef
from podplayer.core.storage.database import Database
from podplayer.core.storage.library import Library
from podplayer.core.storage.lifecycle import LockedLibraryError, NewerDatabaseError
from podplayer.core.storage.migrate import SCHEMA_VERSION, MigrationContext, MigrationError, migrate
from tests.child_process import ChildProcess


def make_v1_file(path: Path) -> None:
    db = Database(path)
    migrate(db, MigrationContext(secrets=None), target=1)
    db.execute(
        "INSERT INTO podcasts (url, title, etag, refresh_status) VALUES (?, ?, ?, ?)",
        ("https://example.com/feed.xml", "Old Show", '"abc"', "ok"),
    )
    db.execute(
        "INSERT INTO episodes (podcast_id, guid, title, played, position_ms, duration_s)"
        " VALUES (1, 'g1', 'First', 1, 0, 60), (1, 'g2', 'Second', 0, 123456, 3600)"
    )
    db.execute(
        "INSERT INTO transcripts (episode_id, url, mime_type)"
        " VALUES (2, 'https://e/t.vtt', 'text/vtt')"
    )
    db.execute("INSERT INTO settings (key, value) VALUES ('skip_forward_s', '45')")
    db.close()


def test_new_library_has_newest_schema_and_wal(tmp_path: Path) -> None:
    library = Library.open(tmp_path / "lib.sqlite3")
    conn = library.db.connection()
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    library.close()


def test_v1_file_upgrades_without_losing_anything(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    make_v1_file(path)
    library = Library.open(path)
    podcast = library.podcasts.find_by_url("https://example.com/feed.xml")
    assert podcast is not None
    assert (podcast.title, podcast.etag, podcast.refresh_status) == ("Old Show", '"abc"', "ok")
    assert podcast.speed is None and podcast.auto_download is False
    assert podcast.id is not None
    episodes = {e.guid: e for e in library.episodes.list_for_podcast(podcast.id)}
    assert episodes["g1"].played is True
    assert episodes["g2"].position_ms == 123456
    assert episodes["g2"].duration_s == 3600
    assert episodes["g2"].transcripts == [TranscriptRef("https://e/t.vtt", "text/vtt")]
    assert library.settings.get("skip_forward_s") == 45
    assert library.queue.episode_ids() == []
    library.close()


def test_repositories_round_trip(tmp_path: Path) -> None:
    library = Library.open(tmp_path / "lib.sqlite3")
    podcast = library.podcasts.add(Podcast(url="https://a/feed", title="A", speed=1.5))
    assert podcast.id is not None
    episode = library.episodes.add(
        Episode(
            podcast_id=podcast.id,
            guid="x",
            title="Ep",
            transcripts=[TranscriptRef("https://a/t.json", "application/json", "en", "captions")],
            chapters=[ChapterRef("https://a/c.json", "application/json+chapters")],
        )
    )
    assert episode.id is not None
    library.episodes.save_position(episode.id, 4200)
    stored = library.episodes.get(episode.id)
    assert stored is not None
    assert stored.position_ms == 4200
    assert stored.transcripts[0].rel == "captions"
    assert stored.chapters[0].url == "https://a/c.json"
    podcast.refresh_status = RefreshStatus.GONE
    library.podcasts.update(podcast)
    again = library.podcasts.get(podcast.id)
    assert again is not None
    assert again.refresh_status is RefreshStatus.GONE and again.speed == 1.5
    assert library.podcasts.unplayed_counts() == {podcast.id: 1}
    library.queue.replace([episode.id, episode.id])
    assert library.queue.episode_ids() == [episode.id]
    library.podcasts.delete(podcast.id)
    assert library.episodes.get(episode.id) is None
    library.close()


def test_transaction_is_all_or_nothing(tmp_path: Path) -> None:
    library = Library.open(tmp_path / "lib.sqlite3")
    with pytest.raises(RuntimeError), library.transaction():
        library.podcasts.add(Podcast(url="https://a/feed"))
        raise RuntimeError("crash mid-merge")
    assert library.podcasts.list() == []
    library.close()


def test_newer_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerDatabaseError, match="newer version of podplayer"):
        Library.open(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lib.sqlite3"]


def test_corrupt_database_is_moved_aside_never_deleted(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    garbage = b"this is not a database" * 200
    path.write_bytes(garbage)
    library = Library.open(path)
    assert library.podcasts.list() == []
    assert len(library.notices) == 1 and "damaged" in library.notices[0]
    kept = [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == garbage
    assert kept[0].name in library.notices[0]
    library.close()


def _library_with_damaged_pages(path: Path) -> bytes:
    """A closed library of 2,000 episodes whose pages 3 to 6 were overwritten with zeros."""
    library = Library.open(path)
    podcast = library.podcasts.add(Podcast(url="https://a/feed"))
    assert podcast.id is not None
    with library.transaction():
        for number in range(2_000):
            library.episodes.add(Episode(podcast_id=podcast.id, guid=f"g{number}", title="x" * 80))
    library.close()
    data = bytearray(path.read_bytes())
    data[2 * 4096 : 6 * 4096] = bytes(4 * 4096)
    path.write_bytes(data)
    return bytes(data)


def test_library_left_open_by_a_crash_is_checked_page_by_page(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    damaged = _library_with_damaged_pages(path)
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    marker = tmp_path / f"lib.sqlite3.open-{ended.stdout.strip()}"
    marker.touch()  # what a crash or kill -9 leaves behind
    library = Library.open(path)
    assert library.podcasts.list() == []
    assert len(library.notices) == 1 and "damaged" in library.notices[0]
    [kept] = [
        p
        for p in tmp_path.iterdir()
        if p.name.startswith("lib.sqlite3.corrupt-") and not p.name.endswith(("-wal", "-shm"))
    ]
    assert kept.read_bytes() == damaged
    assert not marker.exists()
    library.close()


def test_open_marker_lives_while_the_library_is_open(tmp_path: Path) -> None:
    marker = tmp_path / f"lib.sqlite3.open-{os.getpid()}"
    library = Library.open(tmp_path / "lib.sqlite3")
    assert marker.exists()
    library.close()
    assert not marker.exists()
    Library.open(tmp_path / "lib.sqlite3").close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lib.sqlite3"]


def test_a_library_another_running_process_has_open_is_not_checked_as_damaged(
    tmp_path: Path,
) -> None:
    path = tmp_path / "lib.sqlite3"
    _library_with_damaged_pages(path)
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as running:
        other = tmp_path / f"lib.sqlite3.open-{running.pid}"
        other.touch()
        try:
            library = Library.open(path)  # only the cheap checks: the other may still be writing
            assert library.notices == []
            library.close()
            assert other.exists()
        finally:
            running.kill()


def test_concurrent_writers_do_not_hit_database_is_locked(tmp_path: Path) -> None:
    library = Library.open(tmp_path / "lib.sqlite3")
    podcast = library.podcasts.add(Podcast(url="https://a/feed"))
    assert podcast.id is not None
    pid = podcast.id
    errors: list[BaseException] = []

    def writer(offset: int) -> None:
        try:
            for number in range(100):
                with library.transaction():
                    library.episodes.add(Episode(podcast_id=pid, guid=f"{offset}-{number}"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(library.episodes.list_for_podcast(pid)) == 400
    library.close()


def test_every_thread_connection_keeps_a_small_page_cache(tmp_path: Path) -> None:
    """A scan of 100,000 episodes on a worker must not leave 2 MB of pages per thread behind."""
    database = Database(tmp_path / "lib.sqlite3")
    seen: list[tuple[int, int]] = []

    def pragmas() -> None:
        connection = database.connection()
        cache = connection.execute("PRAGMA cache_size").fetchone()[0]
        spill = connection.execute("PRAGMA cache_spill").fetchone()[0]
        seen.append((cache, spill))

    pragmas()
    worker = threading.Thread(target=pragmas)
    worker.start()
    worker.join()
    database.close()
    assert seen == [(-512, 500), (-512, 500)]


def test_writers_in_several_processes_do_not_hit_database_is_locked(tmp_path: Path) -> None:
    database = tmp_path / "lib.sqlite3"
    library = Library.open(database)
    podcast = library.podcasts.add(Podcast(url="https://a/feed"))
    assert podcast.id is not None
    children = [
        ChildProcess(
            "tests.core.storage.library_writer_child",
            str(database),
            str(podcast.id),
            f"p{n}",
            "150",
        )
        for n in range(3)
    ]
    for number in range(150):
        with library.transaction():
            library.episodes.add(Episode(podcast_id=podcast.id, guid=f"main-{number}"))
    for child in children:
        finished = child.wait_for_lines({"DONE"}, timeout_s=60)
        child.kill_hard()
        assert finished, child.seen
    assert len(library.episodes.list_for_podcast(podcast.id)) == 600
    assert library.settings.get("p2.last", None) == 149
    library.close()


def make_v2_file_with_passwords(path: Path) -> None:
    db = Database(path)
    migrate(db, MigrationContext(secrets=None), target=2)
    db.execute(
        "INSERT INTO podcasts (url, username, password) VALUES"
        " ('https://a/feed', 'alice', 'plain-text-hunter2'), ('https://b/feed', NULL, NULL)"
    )
    db.close()


def test_stored_feed_passwords_move_to_the_secret_store(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    make_v2_file_with_passwords(path)
    assert b"plain-text-hunter2" in path.read_bytes()
    secrets = SecretStore(tmp_path / "config")
    library = Library.open(path, secrets)
    with_password = library.podcasts.find_by_url("https://a/feed")
    without = library.podcasts.find_by_url("https://b/feed")
    assert with_password is not None and without is not None
    assert with_password.username == "alice"
    assert library.podcasts.password(with_password) == "plain-text-hunter2"
    assert library.podcasts.password(without) is None
    columns = {row[1] for row in library.db.execute("PRAGMA table_info(podcasts)")}
    assert "password" not in columns
    library.close()
    leftovers = [p for p in tmp_path.iterdir() if p.name.startswith("lib.sqlite3")]
    assert all(b"plain-text-hunter2" not in p.read_bytes() for p in leftovers)
    assert with_password.password_key is not None
    assert secrets.get(with_password.password_key) == "plain-text-hunter2"


def test_passwords_are_not_dropped_when_no_secret_store_is_given(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    make_v2_file_with_passwords(path)
    with pytest.raises(MigrationError, match="no secret store"):
        Library.open(path)
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 2
        assert raw.execute("SELECT password FROM podcasts WHERE id = 1").fetchone()[0] == (
            "plain-text-hunter2"
        )


def test_unsubscribing_forgets_the_password(tmp_path: Path) -> None:
    secrets = SecretStore(tmp_path / "config")
    library = Library.open(tmp_path / "lib.sqlite3", secrets)
    podcast = library.podcasts.add(Podcast(url="https://a/feed", username="alice"))
    library.podcasts.set_password(podcast, "s3cret")
    key = podcast.password_key
    assert key is not None and secrets.get(key) == "s3cret"
    assert podcast.id is not None
    library.podcasts.delete(podcast.id)
    assert secrets.get(key) is None
    library.close()


def test_a_library_locked_by_another_program_is_waited_for_then_named_not_moved(
    tmp_path: Path,
) -> None:
    path = tmp_path / "lib.sqlite3"
    library = Library.open(path)
    library.podcasts.add(Podcast(url="https://a/feed", title="Kept"))
    library.close()
    holder = ChildProcess("tests.core.storage.lock_holder_child", str(path))
    try:
        assert holder.wait_for_lines({"LOCKED"}, timeout_s=30), holder.seen
        started = time.monotonic()
        with pytest.raises(LockedLibraryError) as raised:
            Library.open(path, busy_timeout_ms=700)
        waited = time.monotonic() - started
        files = sorted(p.name for p in tmp_path.iterdir())
    finally:
        holder.kill_hard()
    message = str(raised.value)
    assert f"process {holder.pid}" in message
    assert "Close that program" in message and "Nothing was changed" in message
    assert waited >= 0.7
    assert not any(".corrupt-" in name for name in files)
    reopened = Library.open(path)
    assert [p.title for p in reopened.podcasts.list()] == ["Kept"]
    reopened.close()


def test_a_file_that_is_not_a_database_still_counts_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite3"
    path.write_bytes(b"this is a text file, not a library\n" * 200)
    library = Library.open(path)
    assert "damaged" in library.notices[0]
    library.close()
    assert any(".corrupt-" in p.name for p in tmp_path.iterdir())
