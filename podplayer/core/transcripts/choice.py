"""Choosing among an episode's ``<podcast:transcript>`` refs: timed formats, then the language."""

from __future__ import annotations

from collections.abc import Sequence

from podplayer.core.models import TranscriptRef
from podplayer.core.transcripts.parsing import format_for_mime, format_for_name

FORMAT_PREFERENCE = ("vtt", "json", "srt", "html", "text")
"""VTT first: it carries speakers and exact times; JSON is often one word per segment."""


def ref_format(ref: TranscriptRef) -> str | None:
    """The parser a ref will need, from its type, else its URL's extension."""
    return format_for_mime(ref.mime_type) or format_for_name(ref.url)


def is_timed_ref(ref: TranscriptRef) -> bool:
    """Timed formats, and anything marked ``rel="captions"``."""
    return ref_format(ref) in ("vtt", "json", "srt") or (ref.rel or "").lower() == "captions"


def _language_matches(ref: TranscriptRef, language: str) -> bool:
    """A ref without a language is taken to be in the podcast's language."""
    if not ref.language or not language:
        return True
    wanted = language.strip().lower().replace("_", "-")
    offered = ref.language.strip().lower().replace("_", "-")
    return offered == wanted or offered.split("-")[0] == wanted.split("-")[0]


def rank_transcript_refs(refs: Sequence[TranscriptRef], language: str = "") -> list[TranscriptRef]:
    """Best first: timed before untimed, the podcast's language, then VTT > JSON > SRT > ..."""

    def key(item: tuple[int, TranscriptRef]) -> tuple[int, int, int, int]:
        position, ref = item
        fmt = ref_format(ref)
        format_rank = FORMAT_PREFERENCE.index(fmt) if fmt else len(FORMAT_PREFERENCE)
        return (
            0 if is_timed_ref(ref) else 1,
            0 if _language_matches(ref, language) else 1,
            format_rank,
            position,
        )

    return [ref for _, ref in sorted(enumerate(refs), key=key)]


def choose_transcript_ref(
    refs: Sequence[TranscriptRef], language: str = ""
) -> TranscriptRef | None:
    """The one ref to fetch first, or None when the episode lists none."""
    ranked = rank_transcript_refs(refs, language)
    return ranked[0] if ranked else None
