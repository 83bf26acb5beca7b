"""MP3s with ID3 chapters (CHAP frames under a CTOC), written by the tests with mutagen."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from mutagen.id3 import APIC, CHAP, CTOC, ID3, TIT2, WXXX, CTOCFlags

AUDIO = Path(__file__).resolve().parents[2] / "data" / "audio"
NO_OFFSET = 0xFFFFFFFF

ChapterSpec = tuple[str, int, int, str]
"""element id, start ms, end ms, title."""


def mp3_with_chapters(
    target: Path,
    chapters: Sequence[ChapterSpec],
    *,
    toc: Sequence[str] | None = None,
    url: str | None = None,
    image: bytes | None = None,
    source: Path = AUDIO / "beeps.mp3",
) -> Path:
    """A copy of ``source`` whose ID3 tag has CHAP frames and a top-level CTOC listing ``toc``."""
    shutil.copyfile(source, target)
    tags = ID3()
    ids = [spec[0] for spec in chapters] if toc is None else list(toc)
    tags.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(text=["Contents"])],
        )
    )
    for element_id, start, end, title in chapters:
        sub: list[object] = [TIT2(text=[title])]
        if url is not None:
            sub.append(WXXX(desc="", url=url))
        if image is not None:
            sub.append(APIC(mime="image/png", type=3, desc="", data=image))
        tags.add(
            CHAP(
                element_id=element_id,
                start_time=start,
                end_time=end,
                start_offset=NO_OFFSET,
                end_offset=NO_OFFSET,
                sub_frames=sub,
            )
        )
    tags.save(target)
    return target
