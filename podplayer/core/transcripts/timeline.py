"""The Transcript timeline (which cue is at t ms, by binary search) and a follower of playback."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from podplayer.core.models import Cue

UNREADABLE_MESSAGE = (
    "The transcript could not be read: it holds no text podplayer understands. "
    "You can load another transcript file for this episode."
)


@dataclass(frozen=True, slots=True)
class Transcript:
    """Cues in playback order. Timed ones have a start for every cue, sorted and non-overlapping.

    ``problem`` is a sentence for the user when nothing usable came out of the source; ``notes``
    say what was cleaned (skipped or reordered cues) without being an error.
    """

    cues: tuple[Cue, ...]
    timed: bool
    format_name: str = ""
    problem: str = ""
    notes: tuple[str, ...] = ()
    _starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

    @classmethod
    def build(
        cls, cues: Iterable[Cue], *, timed: bool, format_name: str, notes: Sequence[str] = ()
    ) -> Transcript:
        """A transcript from parsed cues: timed ones are cleaned (sorted, clipped, deduplicated)."""
        all_notes = list(notes)
        if timed:
            cleaned, cleaning_notes = clean_timed_cues(cues)
            all_notes.extend(cleaning_notes)
            starts = tuple(cue.start_ms for cue in cleaned if cue.start_ms is not None)
        else:
            cleaned = [Cue(None, None, cue.text, cue.speaker) for cue in cues if cue.text.strip()]
            starts = ()
        if not cleaned:
            return cls.unreadable(format_name=format_name, notes=all_notes)
        return cls(tuple(cleaned), timed, format_name, "", tuple(all_notes), starts)

    @classmethod
    def unreadable(
        cls, problem: str = UNREADABLE_MESSAGE, *, format_name: str = "", notes: Sequence[str] = ()
    ) -> Transcript:
        """An empty transcript that says why it is empty."""
        return cls((), False, format_name, problem, tuple(notes))

    def __len__(self) -> int:
        return len(self.cues)

    @property
    def readable(self) -> bool:
        return bool(self.cues)

    def index_at(self, ms: int) -> int | None:
        """The cue playing at ``ms``: the last one started, until its end passes (None if none)."""
        if not self._starts:
            return None
        index = bisect_right(self._starts, ms) - 1
        if index < 0:
            return None
        end = self.cues[index].end_ms
        if index == len(self._starts) - 1 and end is not None and ms >= end:
            return None
        return index


def clean_timed_cues(cues: Iterable[Cue]) -> tuple[list[Cue], list[str]]:
    """Sort by start, drop empty and duplicate cues, clip overlaps; say what was changed."""
    notes: list[str] = []
    usable = [cue for cue in cues if cue.start_ms is not None and cue.start_ms >= 0]
    usable = [cue for cue in usable if cue.text.strip()]
    in_order = all((a.start_ms or 0) <= (b.start_ms or 0) for a, b in pairwise(usable))
    if not in_order:
        usable.sort(key=lambda cue: cue.start_ms or 0)
        notes.append("Some cues were out of order and have been sorted by time.")
    unique: list[Cue] = []
    duplicates = 0
    for cue in usable:
        previous = unique[-1] if unique else None
        if previous is not None and previous.start_ms == cue.start_ms:
            if previous.text == cue.text or cue.text in previous.text:
                duplicates += 1
                continue
            if previous.text in cue.text:
                unique[-1] = cue
                duplicates += 1
                continue
        unique.append(cue)
    if duplicates:
        notes.append(f"{duplicates} repeated cue(s) were left out.")
    clipped: list[Cue] = []
    for position, cue in enumerate(unique):
        start = cue.start_ms or 0
        end = cue.end_ms
        if end is not None and end <= start:
            end = None
        following = unique[position + 1].start_ms if position + 1 < len(unique) else None
        if following is not None and end is not None and end > following:
            end = following
        clipped.append(Cue(start, end, cue.text, cue.speaker, cue.words))
    return clipped, notes


class TranscriptFollower:
    """Fed playback positions; reports the current cue index only when it changes."""

    def __init__(self, transcript: Transcript | None = None) -> None:
        self._transcript = transcript
        self._current: int | None = None

    @property
    def current(self) -> int | None:
        return self._current

    def reset(self, transcript: Transcript | None) -> None:
        self._transcript = transcript
        self._current = None

    def extend(self, transcript: Transcript) -> None:
        """Follow ``transcript``, which begins with the cues followed so far (keeps the place)."""
        self._transcript = transcript
        if self._current is not None and self._current >= len(transcript.cues):
            self._current = None

    def update(self, position_ms: int) -> tuple[bool, int | None]:
        """(changed, index) for the new position; cheap when the cue is still the same one."""
        transcript = self._transcript
        if transcript is None or not transcript.timed:
            return False, None
        current = self._current
        if current is not None:
            cues = transcript.cues
            cue = cues[current]
            start = cue.start_ms or 0
            next_start = cues[current + 1].start_ms if current + 1 < len(cues) else None
            still_inside = position_ms >= start and (next_start is None or position_ms < next_start)
            if still_inside and (next_start is not None or cue.end_ms is None):
                return False, current
        index = transcript.index_at(position_ms)
        if index == current:
            return False, current
        self._current = index
        return True, index
