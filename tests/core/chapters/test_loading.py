"""The merge rule (feed JSON, embedded, Podlove, notes) and fetching over real HTTP with a cache."""

from __future__ import annotations

import json
import os
from contextlib import closing
from pathlib import Path

from podplayer.core.chapters.cache import ChapterFileCache
from podplayer.core.chapters.chapter_list import ChapterList, choose_chapters
from podplayer.core.chapters.loading import ChapterLoader
from podplayer.core.chapters.reading import ChapterSource, Reading
from podplayer.core.http import HttpClient
from podplayer.core.models import Chapter, ChapterRef, Episode
from podplayer.core.resource_fetch import ResourceFetcher
from tests.core.chapters.tagged_audio import mp3_with_chapters
from tests.http_server import TestHttpServer

JSON_BODY = json.dumps(
    {"chapters": [{"startTime": 0, "title": "J1"}, {"startTime": 5, "title": "J2"}]}
).encode()
NOTES = "<p>00:00 N1<br>00:04 N2</p>"
PODLOVE = [Chapter(0, "P1"), Chapter(6000, "P2")]


class MemoryCache:
    def __init__(self) -> None:
        self.bodies: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self.bodies.get(key)

    def put(self, key: str, body: bytes) -> None:
        self.bodies[key] = body


def loader(http: HttpClient, cache: MemoryCache, local: Path | None = None) -> ChapterLoader:
    return ChapterLoader(ResourceFetcher(http, []), http, cache, lambda _id: local)


def episode(**fields: object) -> Episode:
    return Episode(podcast_id=1, guid="g", id=7, duration_s=20, **fields)  # type: ignore[arg-type]


def titles(chapters: ChapterList) -> list[str]:
    return [c.title for c in chapters.listed]


def test_the_merge_rule_prefers_json_then_embedded_then_podlove_then_notes() -> None:
    readings = {
        ChapterSource.SHOW_NOTES: Reading([Chapter(0, "N")]),
        ChapterSource.PODLOVE: Reading([Chapter(0, "P")]),
        ChapterSource.EMBEDDED: Reading([Chapter(0, "E")]),
        ChapterSource.FEED_JSON: Reading([Chapter(0, "J")]),
    }
    order = [
        (ChapterSource.FEED_JSON, "J"),
        (ChapterSource.EMBEDDED, "E"),
        (ChapterSource.PODLOVE, "P"),
    ]
    for source, title in order:
        chosen = choose_chapters(readings, None)
        assert (chosen.source, titles(chosen)) == (source, [title])
        del readings[source]
    assert choose_chapters(readings, None).source is ChapterSource.SHOW_NOTES
    only_silent = {ChapterSource.FEED_JSON: Reading([Chapter(0, "x", toc=False)])}
    assert choose_chapters(only_silent, None).source is None


def test_every_source_through_the_loader(http_server: TestHttpServer, tmp_path: Path) -> None:
    http_server.route("/chapters.json", body=JSON_BODY, content_type="application/json")
    audio = mp3_with_chapters(tmp_path / "a.mp3", [("e1", 0, 3000, "E1"), ("e2", 3000, 9000, "E2")])
    cache = MemoryCache()
    with closing(HttpClient()) as http:
        ref = [ChapterRef(http_server.url("/chapters.json"), "application/json+chapters")]
        full = episode(chapters=ref, podlove_chapters=PODLOVE, notes_html=NOTES)
        chosen = loader(http, cache, audio).load(full)
        assert (chosen.source, titles(chosen)) == (ChapterSource.FEED_JSON, ["J1", "J2"])
        loader(http, cache, audio).load(full)
        assert len(http_server.requests_for("/chapters.json")) == 1  # cached
        no_json = episode(podlove_chapters=PODLOVE, notes_html=NOTES)
        chosen = loader(http, cache, audio).load(no_json)
        assert (chosen.source, titles(chosen)) == (ChapterSource.EMBEDDED, ["E1", "E2"])
        chosen = loader(http, cache).load(no_json)
        assert (chosen.source, titles(chosen)) == (ChapterSource.PODLOVE, ["P1", "P2"])
        chosen = loader(http, cache).load(episode(notes_html=NOTES))
        assert (chosen.source, titles(chosen)) == (ChapterSource.SHOW_NOTES, ["N1", "N2"])


def test_a_stream_gives_its_tag_through_a_range_request(
    http_server: TestHttpServer, tmp_path: Path
) -> None:
    audio = mp3_with_chapters(tmp_path / "a.mp3", [("e1", 0, 3000, "E1"), ("e2", 3000, 9000, "E2")])
    http_server.route("/ep.mp3", body=audio.read_bytes(), content_type="audio/mpeg")
    cache = MemoryCache()
    with closing(HttpClient()) as http:
        streamed = episode(enclosure_url=http_server.url("/ep.mp3"))
        chosen = loader(http, cache).load(streamed)
        assert (chosen.source, titles(chosen)) == (ChapterSource.EMBEDDED, ["E1", "E2"])
        loader(http, cache).load(streamed)
    [request] = http_server.requests_for("/ep.mp3")
    assert request.headers["Range"] == "bytes=0-65535"


def test_a_large_tag_is_fetched_in_two_ranges_even_without_range_support(
    http_server: TestHttpServer, tmp_path: Path
) -> None:
    picture = bytes(range(256)) * 1024  # 256 kB that do not compress: the tag outgrows 64 kB
    audio = mp3_with_chapters(tmp_path / "a.mp3", [("e1", 0, 3000, "E1")], image=picture)
    http_server.route("/ranges.mp3", body=audio.read_bytes(), content_type="audio/mpeg")
    http_server.route("/plain.mp3", body=audio.read_bytes(), ranges=False)
    with closing(HttpClient()) as http:
        for path in ("/ranges.mp3", "/plain.mp3"):
            streamed = episode(enclosure_url=http_server.url(path))
            chosen = loader(http, MemoryCache()).load(streamed)
            assert titles(chosen) == ["E1"]
            assert chosen.listed[0].image_data == picture
    ranges = [r.headers["Range"] for r in http_server.requests_for("/ranges.mp3")]
    assert ranges[0] == "bytes=0-65535" and ranges[1].startswith("bytes=65536-")
    assert len(ranges) == 2


def test_a_failing_chapters_file_falls_back_with_a_sentence(http_server: TestHttpServer) -> None:
    http_server.route("/chapters.json", status=404)
    http_server.route("/huge.json", body=b"{" + b" " * (20 * 1024 * 1024) + b"}")
    with closing(HttpClient()) as http:
        for path in ("/chapters.json", "/huge.json"):
            ref = [ChapterRef(http_server.url(path), "application/json+chapters")]
            chosen = loader(http, MemoryCache()).load(episode(chapters=ref, notes_html=NOTES))
            assert chosen.source is ChapterSource.SHOW_NOTES
            assert "chapters file could not be fetched" in chosen.problems[0]


def test_chapters_after_the_measured_end_are_left_out_not_by_the_feed_duration() -> None:
    reading = Reading([Chapter(0, "A"), Chapter(30_000, "B"), Chapter(90_000, "C")])
    chapters = choose_chapters({ChapterSource.PODLOVE: reading}, None)
    assert titles(chapters) == ["A", "B", "C"]
    assert chapters.within(120_000) is chapters
    trimmed = chapters.within(60_000)
    assert titles(trimmed) == ["A", "B"] and trimmed.source is ChapterSource.PODLOVE
    assert "after the end" in trimmed.problems[0]


def test_the_file_cache_keeps_bodies_by_key_within_its_size(tmp_path: Path) -> None:
    cache = ChapterFileCache(tmp_path / "chapters", max_bytes=250)
    assert cache.get("https://a/1.json") is None
    cache.put("https://a/1.json", b"x" * 100)
    cache.put("https://a/2.json", b"y" * 100)
    assert cache.get("https://a/1.json") == b"x" * 100
    os.utime(cache.folder / next(p.name for p in cache.folder.iterdir()), (1, 1))
    cache.put("https://a/3.json", b"z" * 100)
    assert sum(p.stat().st_size for p in cache.folder.iterdir()) <= 250
    assert cache.get("https://a/3.json") == b"z" * 100
