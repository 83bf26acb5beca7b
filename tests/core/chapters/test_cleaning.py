"""Bad chapter lists are cleaned or left out with a sentence, never raised."""

from __future__ import annotations

import time

from podplayer.core.chapters.cleaning import MAX_CHAPTERS, clean_chapters
from podplayer.core.chapters.reading import Reading
from podplayer.core.models import Chapter


def test_unsorted_duplicate_and_out_of_range_starts() -> None:
    reading = Reading(
        [
            Chapter(30_000, "C"),
            Chapter(-5, "negative"),
            Chapter(10_000, "B"),
            Chapter(0, "A"),
            Chapter(10_000, "B again"),
            Chapter(99_000, "after the end"),
        ]
    )
    cleaned = clean_chapters(reading, duration_ms=60_000)
    assert [c.title for c in cleaned.chapters] == ["A", "B", "C"]
    assert len(cleaned.problems) == 3
    assert "2 chapters starting before the start or after the end" in cleaned.problems[0]


def test_overlapping_and_backwards_ends_run_to_the_next_chapter() -> None:
    reading = Reading(
        [Chapter(0, "A", end_ms=20_000), Chapter(10_000, "B", end_ms=5_000), Chapter(30_000, "C")]
    )
    cleaned = clean_chapters(reading, duration_ms=None)
    assert [c.end_ms for c in cleaned.chapters] == [None, None, None]
    assert "2 chapter ends" in cleaned.problems[0]


def test_only_web_links_and_images_are_kept() -> None:
    reading = Reading(
        [
            Chapter(0, "A", url="javascript:alert(1)", image_url="file:///etc/passwd"),
            Chapter(1, "B", url="https://example.com/", image_url="http://example.com/i.png"),
            Chapter(2, "C", url="HTTPS://example.com/x", image_url="data:image/png;base64,AA"),
        ]
    )
    cleaned = clean_chapters(reading, None)
    assert [(c.url, c.image_url) for c in cleaned.chapters] == [
        (None, None),
        ("https://example.com/", "http://example.com/i.png"),
        ("HTTPS://example.com/x", None),
    ]
    assert cleaned.problems == ["3 links that are not http(s) addresses left out."]


def test_titles_lose_control_characters_and_are_bounded() -> None:
    cleaned = clean_chapters(Reading([Chapter(0, "\x1b[31mRed\x07\n  title" + "x" * 1000)]), None)
    assert cleaned.chapters[0].title.startswith("[31mRed title")
    assert len(cleaned.chapters[0].title) == 300


def test_thousands_of_chapters_are_cut_quickly() -> None:
    many = Reading([Chapter(i * 7 % 100_000 * 10, f"c{i}") for i in range(100_000)])
    started = time.perf_counter()
    cleaned = clean_chapters(many, None)
    assert time.perf_counter() - started < 2
    assert len(cleaned.chapters) == MAX_CHAPTERS
    assert any("first 500 are shown" in problem for problem in cleaned.problems)


def test_a_silent_marker_at_a_listed_start_gives_way() -> None:
    reading = Reading([Chapter(0, "marker", toc=False), Chapter(0, "Listed")])
    assert [c.title for c in clean_chapters(reading, None).chapters] == ["Listed"]
