"""A list model over a Transcript's cues: the current cue and find matches as roles."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from podplayer.core.models import Cue
from podplayer.core.transcripts.timeline import Transcript
from podplayer.core.transcripts.timestamps import format_clock

CueRole = Qt.ItemDataRole.UserRole + 1
StartRole = Qt.ItemDataRole.UserRole + 2
SpeakerChangedRole = Qt.ItemDataRole.UserRole + 3
IsCurrentRole = Qt.ItemDataRole.UserRole + 4
MatchesRole = Qt.ItemDataRole.UserRole + 5
CurrentMatchRole = Qt.ItemDataRole.UserRole + 6

Index = QModelIndex | QPersistentModelIndex


class TranscriptListModel(QAbstractListModel):
    """One row per cue. Changing the current cue or the matches touches only the rows affected."""

    def __init__(self) -> None:
        super().__init__()
        self._transcript: Transcript | None = None
        self._cues: tuple[Cue, ...] = ()
        self._current: int | None = None
        self._matches: list[tuple[int, int, int]] = []
        self._matches_by_row: dict[int, list[tuple[int, int]]] = {}
        self._current_match: int | None = None

    @property
    def transcript(self) -> Transcript | None:
        return self._transcript

    @property
    def timed(self) -> bool:
        return self._transcript is not None and self._transcript.timed

    def set_transcript(self, transcript: Transcript | None) -> None:
        self.beginResetModel()
        self._transcript = transcript
        self._cues = transcript.cues if transcript is not None else ()
        self._current = None
        self._matches = []
        self._matches_by_row = {}
        self._current_match = None
        self.endResetModel()

    def cue(self, row: int) -> Cue:
        return self._cues[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cues)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not index.isValid() or row >= len(self._cues):
            return None
        cue = self._cues[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return cue.text
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return cue_as_text(cue)
        if role == Qt.ItemDataRole.ToolTipRole:
            if cue.start_ms is None:
                return None
            return f"Click to play from {format_clock(cue.start_ms)}"
        if role == CueRole:
            return cue
        if role == StartRole:
            return cue.start_ms
        if role == SpeakerChangedRole:
            return bool(cue.speaker) and (row == 0 or self._cues[row - 1].speaker != cue.speaker)
        if role == IsCurrentRole:
            return row == self._current
        if role == MatchesRole:
            return self._matches_by_row.get(row, [])
        if role == CurrentMatchRole:
            if self._current_match is None:
                return None
            match_row, start, length = self._matches[self._current_match]
            return (start, length) if match_row == row else None
        return None

    @property
    def current_row(self) -> int | None:
        return self._current

    def set_current_row(self, row: int | None) -> None:
        """Mark the cue playing now; only the old and the new row repaint."""
        previous = self._current
        if row == previous:
            return
        self._current = row
        for touched in (previous, row):
            if touched is not None and touched < len(self._cues):
                changed = self.index(touched)
                self.dataChanged.emit(changed, changed, [IsCurrentRole])

    def find(self, query: str) -> int:
        """Mark every case-insensitive occurrence of ``query``; returns how many there are."""
        previous_rows = set(self._matches_by_row)
        self._matches = []
        self._matches_by_row = {}
        self._current_match = None
        if query.strip():
            pattern = re.compile(re.escape(query), re.IGNORECASE)
            for row, cue in enumerate(self._cues):
                for match in pattern.finditer(cue.text):
                    self._matches.append((row, match.start(), match.end() - match.start()))
                    self._matches_by_row.setdefault(row, []).append(
                        (match.start(), match.end() - match.start())
                    )
        self._repaint_rows(previous_rows | set(self._matches_by_row))
        return len(self._matches)

    @property
    def match_count(self) -> int:
        return len(self._matches)

    @property
    def current_match(self) -> int | None:
        return self._current_match

    def first_match_from(self, row: int) -> int:
        """The number of the first match at or after ``row`` (0 when there is none after it)."""
        number = bisect_left(self._matches, (row, -1, -1))
        return number if number < len(self._matches) else 0

    def set_current_match(self, number: int | None) -> int | None:
        """Make match ``number`` (wrapping around) the current one; returns its row."""
        old_row = self._matches[self._current_match][0] if self._current_match is not None else None
        if number is None or not self._matches:
            self._current_match = None
            self._repaint_rows(set() if old_row is None else {old_row})
            return None
        self._current_match = number % len(self._matches)
        row = self._matches[self._current_match][0]
        self._repaint_rows({r for r in (old_row, row) if r is not None})
        return row

    def _repaint_rows(self, rows: set[int]) -> None:
        if not rows:
            return
        first, last = min(rows), max(rows)
        if last - first > 200:
            for row in rows:
                changed = self.index(row)
                self.dataChanged.emit(changed, changed, [MatchesRole, CurrentMatchRole])
        else:
            self.dataChanged.emit(
                self.index(first), self.index(last), [MatchesRole, CurrentMatchRole]
            )


def cue_as_text(cue: Cue) -> str:
    """``[4:10] Nathan: text`` (no time for untimed cues, no name when unknown)."""
    speaker = f"{cue.speaker}: " if cue.speaker else ""
    time = f"[{format_clock(cue.start_ms)}] " if cue.start_ms is not None else ""
    return f"{time}{speaker}{cue.text}"
