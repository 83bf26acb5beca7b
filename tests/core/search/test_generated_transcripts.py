"""The index follows the transcripts made on this computer: saved, deleted, and outranked by
the feed's own transcript or a file the user loaded (real library file, feed on 127.0.0.1)."""

from __future__ import annotations

import pytest

from podplayer.core.models import Cue
from podplayer.core.storage.search import SOURCE_GENERATED, SOURCE_LOADED, SOURCE_PUBLISHED
from podplayer.core.storage.transcription import TranscriptionRepository
from podplayer.core.transcription.generated import GeneratedTranscripts, follow_in_search
from tests.core.search.conftest import SearchWorld
from tests.http_server import TestHttpServer

MADE_HERE = [Cue(1_000, 4_000, "The lighthouse keeper polished the marmalade jar.")]


@pytest.fixture
def generated(world: SearchWorld) -> GeneratedTranscripts:
    """Generated transcripts wired as the app wires them (store and index)."""
    generated = GeneratedTranscripts(TranscriptionRepository(world.library.db))
    follow_in_search(generated, world.index)
    world.store.generated = generated
    return generated


def titles(world: SearchWorld, words: str) -> list[str]:
    return [result.episode.title for result in world.index.search(words)]


def test_a_deleted_transcript_leaves_the_index(
    world: SearchWorld, generated: GeneratedTranscripts
) -> None:
    episode_id = world.episode_id("plain-notes")
    generated.save(episode_id, MADE_HERE, "base", "en")
    assert titles(world, "marmalade") == ["Coastlines"]
    generated.delete(episode_id)
    assert titles(world, "marmalade") == []
    assert world.index.indexed_transcript(episode_id) is None
    assert titles(world, "lighthouses") == ["Coastlines"]  # its notes stay findable
    world.library.db.execute("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')")


def test_a_redone_transcript_replaces_the_first_in_the_index(
    world: SearchWorld, generated: GeneratedTranscripts
) -> None:
    episode_id = world.episode_id("plain-notes")
    generated.save(episode_id, MADE_HERE, "tiny", "en")
    generated.save(episode_id, [Cue(0, 2_000, "The keeper polished the brass.")], "small", "en")
    assert titles(world, "marmalade") == []
    assert titles(world, "brass") == ["Coastlines"]


def test_the_feeds_transcript_replaces_one_made_here_in_the_index(
    world: SearchWorld, generated: GeneratedTranscripts
) -> None:
    episode_id = world.episode_id("vtt")
    generated.save(episode_id, MADE_HERE, "base", "en")
    assert world.index.indexed_transcript(episode_id).source == SOURCE_GENERATED  # type: ignore[union-attr]
    world.prefetcher.run()
    assert world.index.indexed_transcript(episode_id).source == SOURCE_PUBLISHED  # type: ignore[union-attr]
    assert titles(world, "remarkable") == ["Coffee in Paris"]
    assert titles(world, "marmalade") == []
    generated.delete(episode_id)  # deleting the one made here leaves the feed's in the index
    assert titles(world, "remarkable") == ["Coffee in Paris"]


def test_a_feed_transcript_that_fails_leaves_the_generated_one_as_it_is(
    world: SearchWorld, generated: GeneratedTranscripts, http_server: TestHttpServer
) -> None:
    http_server.route("/t/coffee.vtt", status=500, body=b"broken")
    episode_id = world.episode_id("vtt")
    generated.save(episode_id, MADE_HERE, "base", "en")
    world.prefetcher.run()
    indexed = world.index.indexed_transcript(episode_id)
    assert indexed is not None and indexed.source == SOURCE_GENERATED
    assert titles(world, "marmalade") == ["Coffee in Paris"]
    assert world.index.episodes_to_fetch(10, 3600) == []  # tried again a day later, not now


def test_a_loaded_file_wins_over_a_transcript_made_here(
    world: SearchWorld, generated: GeneratedTranscripts
) -> None:
    episode_id = world.episode_id("plain-notes")
    world.index.index_transcript(
        episode_id, [Cue(0, 1_000, "Albatross sightings.")], source=SOURCE_LOADED
    )
    generated.save(episode_id, MADE_HERE, "base", "en")
    generated.delete(episode_id)
    assert titles(world, "albatross") == ["Coastlines"]
    assert titles(world, "marmalade") == []
