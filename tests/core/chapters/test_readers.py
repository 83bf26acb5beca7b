"""One reader per source: Podcasting 2.0 JSON, Podlove in the feed, ID3 CHAP/CTOC, MP4, notes."""

from __future__ import annotations

import json
import random
import struct
from itertools import pairwise
from pathlib import Path

import pytest
from mutagen.id3 import CHAP, CTOC, ID3, TIT2, CTOCFlags

from podplayer.core.chapters.id3 import id3_chapters, read_tag
from podplayer.core.chapters.json_chapters import parse_chapters_json
from podplayer.core.chapters.loading import read_file_chapters
from podplayer.core.chapters.show_notes import show_notes_chapters
from podplayer.core.feeds.parse import parse_feed
from tests.core.chapters.tagged_audio import AUDIO, NO_OFFSET, mp3_with_chapters

ROOT = Path(__file__).resolve().parents[3]
PNG = (ROOT / "resources/demo/artwork.png").read_bytes()


def test_demo_chapters_parse_in_order() -> None:
    reading = parse_chapters_json((ROOT / "resources/demo/chapters.json").read_bytes())
    assert [c.title for c in reading.chapters] == ["Welcome", "Speed", "Sleep timer", "Transcript"]
    assert all(a.start_ms < b.start_ms for a, b in pairwise(reading.chapters))
    assert reading.problems == []


def test_json_fields_and_silent_markers() -> None:
    data = json.dumps(
        {
            "version": "1.2.0",
            "chapters": [
                {"startTime": 0, "endTime": 9.5, "title": "Intro", "img": "https://i/1.png"},
                {"startTime": 4, "title": "new picture", "toc": False, "img": "https://i/2.png"},
                {"startTime": 10, "title": "Main", "url": "https://example.com/link"},
            ],
        }
    ).encode()
    chapters = parse_chapters_json(data).chapters
    assert [(c.start_ms, c.end_ms, c.title, c.toc) for c in chapters] == [
        (0, 9500, "Intro", True),
        (4000, None, "new picture", False),
        (10_000, None, "Main", True),
    ]
    assert chapters[0].image_url == "https://i/1.png"
    assert chapters[2].url == "https://example.com/link"


def test_bad_json_entries_are_skipped_with_a_sentence() -> None:
    data = (
        b'{"chapters": [{"startTime": 5, "title": "B"}, {"startTime": "x"}, {"startTime": -1},'
        b' {"startTime": 1e999}, 7, {"startTime": 1.5, "title": "A"}]}'
    )
    reading = parse_chapters_json(data)
    assert [c.title for c in reading.chapters] == ["B", "A"]
    assert reading.problems == ["4 chapters without a valid start time left out."]
    for junk in (b"", b"[]", b"{", b'{"chapters": 3}', b"\xff\xfe", b"[" * 100_000):
        bad = parse_chapters_json(junk)
        assert bad.chapters == [] and len(bad.problems) == 1


def test_twenty_megabytes_of_json_is_refused_unread() -> None:
    entry = b'{"startTime": 1, "title": "x"},'
    data = b'{"chapters": [' + entry * (20 * 1024 * 1024 // len(entry)) + b"{}]}"
    reading = parse_chapters_json(data)
    assert reading.chapters == []
    assert "larger than 2 MB" in reading.problems[0]


PODLOVE_ITEM = (
    '<item><title>Ep</title><guid>g1</guid><enclosure url="https://cdn.example.com/a.mp3" '
    'type="audio/mpeg" length="1000"/>{breakage}'
    '<psc:chapters version="1.2">'
    '<psc:chapter start="00:00:00.000" title="Opening" image="https://example.com/o.png"/>'
    '<psc:chapter start="00:01:02.500" title="Mid" href="https://example.com/mid"/>'
    '<psc:chapter start="1:02:03" title="Late"/>'
    '<psc:chapter start="bogus" title="Dropped"/>'
    "</psc:chapters></item>"
)


@pytest.mark.parametrize("breakage", ["", "<description>line<br>break</description>"])
def test_podlove_chapters_in_the_feed_for_both_parsers(breakage: str) -> None:
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:psc="http://podlove.org/simple-chapters"><channel><title>Show</title>'
        + PODLOVE_ITEM.format(breakage=breakage)
        + "</channel></rss>"
    ).encode()
    feed = parse_feed(body, "https://example.com/feed.xml")
    assert bool(feed.warnings) is bool(breakage)  # the broken one went through feedparser
    chapters = feed.episodes[0].podlove_chapters
    assert [(c.start_ms, c.title) for c in chapters] == [
        (0, "Opening"),
        (62_500, "Mid"),
        (3_723_000, "Late"),
    ]
    assert chapters[0].image_url == "https://example.com/o.png"
    assert chapters[1].url == "https://example.com/mid"


def test_id3_chapters_follow_the_table_of_contents(tmp_path: Path) -> None:
    path = mp3_with_chapters(
        tmp_path / "ep.mp3",
        [("c1", 0, 5000, "First"), ("c2", 5000, 12_000, "Second"), ("c3", 12_000, 20_000, "Third")],
        toc=["c2", "c1", "c3"],
        url="https://example.com/more",
        image=PNG,
    )
    reading = read_file_chapters(path)
    assert [(c.title, c.start_ms, c.end_ms) for c in reading.chapters] == [
        ("Second", 5000, 12_000),
        ("First", 0, 5000),
        ("Third", 12_000, 20_000),
    ]
    assert reading.chapters[0].url == "https://example.com/more"
    assert reading.chapters[0].image_data == PNG


def test_only_the_tag_is_read(tmp_path: Path) -> None:
    path = mp3_with_chapters(tmp_path / "ep.mp3", [("c1", 0, 5000, "First")])
    tag = read_tag(path)
    assert tag is not None
    data = path.read_bytes()
    assert data.startswith(tag)
    assert data[len(tag)] == 0xFF  # the first MPEG frame begins right after what was read
    assert read_tag(AUDIO / "beeps.wav") is None  # no tag at all


def test_a_ctoc_loop_and_dangling_ids_are_left_out_with_a_sentence(tmp_path: Path) -> None:
    tags = ID3()
    tags.add(CTOC(element_id="top", flags=CTOCFlags.TOP_LEVEL, child_element_ids=["sub", "a"]))
    tags.add(CTOC(element_id="sub", flags=0, child_element_ids=["top", "b", "ghost"]))
    for element_id, start in (("a", 1000), ("b", 0)):
        tags.add(
            CHAP(element_id=element_id, start_time=start, end_time=start + 500,
                 start_offset=NO_OFFSET, end_offset=NO_OFFSET, sub_frames=[TIT2(text=[element_id])])
        )  # fmt: skip
    path = tmp_path / "loop.mp3"
    tags.save(path)
    reading = read_file_chapters(path)
    assert [c.title for c in reading.chapters] == ["b", "a"]
    assert any("loop" in problem for problem in reading.problems)
    assert any("lacks" in problem for problem in reading.problems)


@pytest.mark.parametrize(
    "tag",
    [
        b"ID3\x04\x00\x00\x00\x00\x00\x20CHAP\x00\x00\x00\x10\x00\x00\xff\xff\xff" + b"\x00" * 20,
        b"ID3\x03\x00\x00\x00\x00\x01\x00" + b"\xff" * 128,
        b"ID3\x04\x00\x00\x00\x00\x00\x0cCTOC\x00\x00\x00\x02\x00\x00t\x00",
        b"ID3",
    ],
)
def test_broken_id3_frames_never_raise(tag: bytes) -> None:
    reading = id3_chapters(tag)
    assert reading.chapters == []


def test_mp4_chapters() -> None:
    reading = read_file_chapters(AUDIO / "chapters.m4a")
    assert [(c.start_ms, c.title) for c in reading.chapters] == [
        (0, "Intro"),
        (3000, "Middle"),
        (7000, "Outro"),
    ]
    assert read_file_chapters(AUDIO / "beeps.m4a").chapters == []


def without_box(data: bytes, path: tuple[bytes, ...]) -> bytes:
    """``data`` (a list of boxes) without the box at ``path``, its parents' sizes fixed."""
    out = b""
    offset = 0
    while offset < len(data):
        size, kind = struct.unpack_from(">I4s", data, offset)
        body = data[offset + 8 : offset + size]
        if kind == path[0]:
            if len(path) == 1:
                offset += size
                continue
            body = without_box(body, path[1:])
        out += struct.pack(">I4s", len(body) + 8, kind) + body
        offset += size
    return out


def test_a_quicktime_chapter_track_without_nero_chapters(tmp_path: Path) -> None:
    data = (AUDIO / "chapters.m4a").read_bytes()
    moov_at = data.index(b"moov") - 4
    assert moov_at > data.index(b"mdat"), "moov after mdat: sample offsets stay valid"
    path = tmp_path / "quicktime.m4a"
    path.write_bytes(data[:moov_at] + without_box(data[moov_at:], (b"moov", b"udta", b"chpl")))
    assert b"chpl" not in path.read_bytes()
    reading = read_file_chapters(path)
    assert [(c.start_ms, c.title) for c in reading.chapters] == [
        (0, "Intro"),
        (3000, "Middle"),
        (7000, "Outro"),
    ]


def test_damaged_chapter_boxes_never_raise(tmp_path: Path) -> None:
    data = (AUDIO / "chapters.m4a").read_bytes()
    moov_at = data.index(b"moov") - 4
    clean = data[:moov_at] + without_box(data[moov_at:], (b"moov", b"udta", b"chpl"))
    chances = random.Random(18)
    path = tmp_path / "damaged.m4a"
    for _ in range(150):
        damaged = bytearray(clean)
        for _ in range(8):
            damaged[chances.randrange(moov_at, len(damaged))] = chances.randrange(256)
        path.write_bytes(bytes(damaged))
        reading = read_file_chapters(path)
        assert len(reading.chapters) <= 2000


def test_a_broken_mp4_gives_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "broken.m4a"
    path.write_bytes((AUDIO / "chapters.m4a").read_bytes()[:3000])
    reading = read_file_chapters(path)
    assert reading.chapters == [] and reading.problems


def test_show_notes_chapters() -> None:
    notes = (
        "<p>In this episode:</p><p>00:00 Hello<br>00:13 Speed<br>(12:34) Topic one<br>"
        "[1:02:03] - The end<br>00:05 going backwards is not a chapter</p><p>Mentioned at 4:10.</p>"
    )
    reading = show_notes_chapters(notes)
    assert [(c.start_ms, c.title) for c in reading.chapters] == [
        (0, "Hello"),
        (13_000, "Speed"),
        (754_000, "Topic one"),
        (3_723_000, "The end"),
    ]
    assert show_notes_chapters("<p>We talk at 00:13 Speed about it.</p>").chapters == []
    assert show_notes_chapters("00:13 Only one").chapters == []
