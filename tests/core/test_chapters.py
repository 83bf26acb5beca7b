"""Chapters JSON: the demo's chapters parse in order; junk gives nothing and never raises."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from podplayer.core.chapters import parse_chapters_json

ROOT = Path(__file__).resolve().parents[2]


def test_demo_chapters_parse_in_order() -> None:
    chapters = parse_chapters_json((ROOT / "resources/demo/chapters.json").read_bytes())
    assert [c.title for c in chapters] == ["Welcome", "Speed", "Sleep timer", "Transcript"]
    assert chapters[0].start_ms == 0
    assert all(a.start_ms < b.start_ms for a, b in pairwise(chapters))


def test_bad_entries_are_skipped() -> None:
    data = (
        b'{"chapters": [{"startTime": 5, "title": "B", "toc": false}, {"startTime": "x"},'
        b' {"startTime": -1}, {"startTime": 1e999}, 7, {"startTime": 1.5, "title": "A",'
        b' "url": "javascript:alert(1)"}]}'
    )
    chapters = parse_chapters_json(data)
    assert [(c.start_ms, c.title, c.toc) for c in chapters] == [
        (1500, "A", True),
        (5000, "B", False),
    ]
    assert chapters[0].url is None
    for junk in (b"", b"[]", b"{", b'{"chapters": 3}', b"\xff\xfe", b"[" * 100_000):
        assert parse_chapters_json(junk) == []


def test_absurd_times_are_skipped_not_raised() -> None:
    huge = "1" + "0" * 400
    data = (
        f'{{"chapters": [{{"startTime": {huge}, "title": "huge"}}, {{"startTime": 1e18}},'
        f' {{"startTime": 2, "endTime": {huge}, "title": "ok"}}]}}'
    ).encode()
    [chapter] = parse_chapters_json(data)
    assert (chapter.start_ms, chapter.end_ms, chapter.title) == (2000, None, "ok")
