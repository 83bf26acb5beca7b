"""ID3v2 chapters (CHAP frames, ordered by CTOC) read with mutagen from the tag bytes alone.

An MP3's tag sits at its start; only those bytes are read (a 3-hour file costs its tag, not its
audio), from a downloaded file or from the first bytes of a stream.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from podplayer.core.chapters.reading import Reading
from podplayer.core.models import Chapter

if TYPE_CHECKING:
    from mutagen.id3 import ID3

HEADER_BYTES = 10
MAX_TAG_BYTES = 16 * 1024 * 1024
"""Chapter images make tags of a few MB; a larger tag is not read."""
NO_OFFSET = 0xFFFFFFFF


def tag_size(header: bytes) -> int | None:
    """The whole tag's length in bytes (header and footer included) from its first 10 bytes."""
    if len(header) < HEADER_BYTES or header[:3] != b"ID3" or header[3] not in (2, 3, 4):
        return None
    size_bytes = header[6:10]
    if any(byte & 0x80 for byte in size_bytes):
        return None
    size = 0
    for byte in size_bytes:
        size = (size << 7) | byte
    has_footer = header[3] == 4 and header[5] & 0x10
    return HEADER_BYTES + size + (HEADER_BYTES if has_footer else 0)


def read_tag(path: Path) -> bytes | None:
    """The ID3v2 tag at the start of ``path`` (and nothing after it), or None if it has none."""
    with path.open("rb") as file:
        header = file.read(HEADER_BYTES)
        size = tag_size(header)
        if size is None or size > MAX_TAG_BYTES:
            return None
        return header + file.read(size - HEADER_BYTES)


def id3_chapters(tag: bytes) -> Reading:
    """Chapters in table-of-contents order; broken frames and loops are left out, said why."""
    from mutagen import MutagenError
    from mutagen.id3 import ID3

    try:
        tags = ID3(io.BytesIO(tag), load_v1=False)
    except (MutagenError, ValueError, EOFError, OverflowError):
        return Reading(
            problems=["The audio file's tag could not be read; its chapters are not shown."]
        )
    return _chapters_in_order(tags)


def _chapters_in_order(tags: ID3) -> Reading:
    problems: list[str] = []
    chaps: dict[str, Any] = {}
    for frame in tags.getall("CHAP"):
        chaps.setdefault(frame.element_id, frame)
    tocs: dict[str, Any] = {}
    for frame in tags.getall("CTOC"):
        tocs.setdefault(frame.element_id, frame)
    if not chaps:
        return Reading()
    ordered_ids: list[str] = []
    if tocs:
        top = [toc for toc in tocs.values() if toc.flags & 0x02] or list(tocs.values())[:1]
        ordered_ids = _walk(top[0].element_id, tocs, set(), problems)
    listed = set(ordered_ids)
    chapters = [_chapter(chaps[i], toc=True) for i in ordered_ids if i in chaps]
    missing = [i for i in ordered_ids if i not in chaps]
    if missing:
        problems.append(f"The table of contents names {len(missing)} chapter(s) the tag lacks.")
    rest = sorted((f for i, f in chaps.items() if i not in listed), key=lambda f: f.start_time)
    chapters += [_chapter(frame, toc=not tocs) for frame in rest]
    return Reading(chapters, problems)


def _walk(element_id: str, tocs: dict[str, Any], seen: set[str], problems: list[str]) -> list[str]:
    """Chapter ids under a CTOC, depth first; a CTOC seen before (a loop) is not entered again."""
    if element_id in seen:
        problems.append("The table of contents refers to itself in a loop; the loop was ignored.")
        return []
    seen.add(element_id)
    ids: list[str] = []
    for child in tocs[element_id].child_element_ids:
        if child in tocs:
            ids += _walk(child, tocs, seen, problems)
        elif child not in ids:
            ids.append(child)
    return ids


def _chapter(frame: Any, *, toc: bool) -> Chapter:
    sub = frame.sub_frames
    end = frame.end_time
    return Chapter(
        start_ms=int(frame.start_time),
        title=_text(sub.getall("TIT2")) or _text(sub.getall("TIT3")),
        end_ms=int(end) if end not in (0, NO_OFFSET) and end > frame.start_time else None,
        url=next((str(w.url) for w in sub.getall("WXXX") if w.url), None),
        image_data=next((bytes(p.data) for p in sub.getall("APIC") if p.data), None),
        toc=toc,
    )


def _text(frames: Iterable[Any]) -> str:
    for frame in frames:
        text = " ".join(str(part) for part in frame.text)
        if text.strip():
            return text
    return ""
