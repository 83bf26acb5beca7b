"""Hostile titles and Content-Disposition values all become safe, unique names inside the folder."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from podplayer.core.downloads.naming import (
    MAX_NAME_BYTES,
    UnsafePathError,
    episode_stem,
    filename_from_content_disposition,
    inside_folder,
    looks_like_html,
    media_extension,
    part_path,
    podcast_folder,
    reserve_unique_path,
    safe_name_part,
)

HOSTILE_TITLES = [
    "../../x",
    "..",
    ".",
    "CON",
    "con.txt",
    "nul.mp3",
    "Lpt1",
    "COM¹",
    "a\x00b",
    "\x00",
    "evil\u202egnp.exe",
    "\u202e",
    "😀" * 75,  # 300 bytes of emoji
    "ｘ／．．／．．／etc／passwd",
    "．．",
    'a/b\\c:d*e?f"g<h>i|j',
    " trailing dots and spaces . . ",
    "line\nbreak\ttab\r",
    "zero\u200bwidth\u200djoiner",
    "/etc/passwd",
    "C:\\Windows\\system32",
    "e\u0301" * 200,
    "",
]


def assert_safe_name(name: str) -> None:
    assert name, "empty name"
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert ".." not in name
    assert not name.startswith((".", " ")) and not name.endswith((".", " "))
    assert len((name + ".part").encode()) <= MAX_NAME_BYTES
    for char in name:
        assert unicodedata.category(char)[0] not in "CZ" or char == " ", repr(char)
    device = name.split(".", 1)[0].strip().upper()
    assert device not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_titles_give_safe_stems(title: str) -> None:
    stem = episode_stem(title, None, "https://example.com/feed/ep.mp3", 7)
    assert_safe_name(stem)


@pytest.mark.parametrize(
    "header",
    [
        'attachment; filename="../../x.sh"',
        "attachment; filename=..",
        'attachment; filename="CON"',
        'attachment; filename="nul.mp3"',
        "attachment; filename*=UTF-8''%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "attachment; filename*=UTF-8''evil%E2%80%AEgnp.exe",
        "attachment; filename*=UTF-8''%EF%BC%8E%EF%BC%8E%EF%BC%8Fx.mp3",
        'attachment; filename="C:\\\\temp\\\\x.mp3"',
        "attachment; filename*=UTF-8''" + "%F0%9F%98%80" * 80 + ".mp3",
    ],
)
def test_hostile_content_disposition_lands_inside_the_folder(tmp_path: Path, header: str) -> None:
    disposition = filename_from_content_disposition(header)
    assert disposition is None or ("/" not in disposition and "\\" not in disposition)
    stem = episode_stem("", disposition, "https://example.com/get", 3)
    assert_safe_name(stem)
    folder = podcast_folder(tmp_path / "downloads", "Show", 1)
    extension = media_extension("application/octet-stream", "https://example.com/get", disposition)
    final = reserve_unique_path(folder, stem, extension)
    assert final.parent == folder
    assert inside_folder(tmp_path / "downloads", final)
    assert extension in {".mp3"}


def test_every_hostile_title_reserves_a_distinct_file_inside(tmp_path: Path) -> None:
    root = tmp_path / "downloads"
    folder = podcast_folder(root, "../../Show\u202e", 1)
    assert folder.parent == root
    names = set()
    for title in HOSTILE_TITLES + HOSTILE_TITLES:
        final = reserve_unique_path(folder, episode_stem(title, None, "", 9), ".mp3")
        assert part_path(final).is_file()
        assert os.path.realpath(final).startswith(os.path.realpath(root) + os.sep)
        assert_safe_name(final.name)
        names.add(final.name)
    assert len(names) == 2 * len(HOSTILE_TITLES)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["downloads"]


def test_names_are_kept_readable() -> None:
    assert (
        safe_name_part("Episode 12: The “Big” Show / Part 2")
        == "Episode 12_ The “Big” Show _ Part 2"
    )
    assert safe_name_part("Épisode été 🎙") == "Épisode été 🎙"
    assert safe_name_part("nul.mp3") == "nul_.mp3"
    assert safe_name_part("CON") == "CON_"
    assert safe_name_part("Wait... what?") == "Wait. what"


def test_long_names_are_cut_on_character_boundaries() -> None:
    stem = safe_name_part("é" * 300, 100)
    assert stem == "é" * 50
    stem = safe_name_part("e\u0301" * 100, 101)
    assert not unicodedata.category(stem[-1]).startswith("M")
    assert len(stem.encode()) <= 101


def test_unique_names_count_up(tmp_path: Path) -> None:
    first = reserve_unique_path(tmp_path, "Show", ".mp3")
    (tmp_path / "Taken.mp3").write_bytes(b"user file")
    second = reserve_unique_path(tmp_path, "Show", ".mp3")
    third = reserve_unique_path(tmp_path, "Taken", ".mp3")
    assert (first.name, second.name, third.name) == ("Show.mp3", "Show (2).mp3", "Taken (2).mp3")
    assert (tmp_path / "Taken.mp3").read_bytes() == b"user file"


def test_symlinked_podcast_folder_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "downloads"
    root.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "Show").symlink_to(outside)
    with pytest.raises(UnsafePathError):
        podcast_folder(root, "Show", 1)


@pytest.mark.parametrize(
    ("content_type", "url", "disposition", "enclosure", "first", "expected"),
    [
        ("audio/mpeg", "https://e/x.sh", None, None, b"", ".mp3"),
        ("audio/mp4; charset=binary", "https://e/x", None, None, b"", ".m4a"),
        ("application/octet-stream", "https://e/ep.OPUS?x=1", None, None, b"", ".opus"),
        ("application/octet-stream", "https://e/ep.sh", "x.html", "audio/ogg", b"", ".ogg"),
        ("application/x-sh", "https://e/run.sh", "run.sh", None, b"", ".mp3"),
        ("text/html", "https://e/page.html", None, None, b"", ".mp3"),
        (None, "https://e/get", "talk.flac", None, b"", ".flac"),
        (None, "https://e/get", None, None, b"fLaC\x00", ".flac"),
        (None, "https://e/get", None, None, b"\x00\x00\x00\x20ftypM4A ", ".m4a"),
        ("video/mp4", "https://e/v", None, None, b"", ".mp4"),
    ],
)
def test_extension_comes_from_the_allowlist(
    content_type: str | None,
    url: str,
    disposition: str | None,
    enclosure: str | None,
    first: bytes,
    expected: str,
) -> None:
    assert media_extension(content_type, url, disposition, enclosure, first) == expected


def test_html_is_recognised_by_type_or_bytes() -> None:
    assert looks_like_html("text/html; charset=utf-8", b"")
    assert looks_like_html("audio/mpeg", b"\n  <!DOCTYPE html><html>")
    assert looks_like_html(None, b"\xef\xbb\xbf<html>")
    assert not looks_like_html("audio/mpeg", b"ID3\x04")
