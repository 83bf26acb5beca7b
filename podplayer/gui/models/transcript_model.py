"""A read-only list model over a Transcript's cues (one row per cue)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from podplayer.core.models import Cue
from podplayer.core.transcripts.timeline import Transcript
from podplayer.core.transcripts.timestamps import format_clock

CueRole = Qt.ItemDataRole.UserRole + 1
SpeakerChangedRole = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


class TranscriptListModel(QAbstractListModel):
    """The cues of one transcript. The current cue and find matches are view state, not data:
    a dataChanged on a list with rows of varying height makes QListView lay out every row."""

    def __init__(self) -> None:
        super().__init__()
        self._transcript: Transcript | None = None
        self._cues: tuple[Cue, ...] = ()

    @property
    def transcript(self) -> Transcript | None:
        return self._transcript

    @property
    def cues(self) -> tuple[Cue, ...]:
        return self._cues

    @property
    def timed(self) -> bool:
        return self._transcript is not None and self._transcript.timed

    def set_transcript(self, transcript: Transcript | None) -> None:
        self.beginResetModel()
        self._transcript = transcript
        self._cues = transcript.cues if transcript is not None else ()
        self.endResetModel()

    def append(self, transcript: Transcript) -> None:
        """Show ``transcript``, which begins with the cues shown: only the new rows are added."""
        first = len(self._cues)
        if len(transcript.cues) > first:
            self.beginInsertRows(QModelIndex(), first, len(transcript.cues) - 1)
        self._transcript = transcript
        self._cues = transcript.cues
        if len(transcript.cues) > first:
            self.endInsertRows()

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
        if role == SpeakerChangedRole:
            return self.speaker_changed(row)
        return None

    def speaker_changed(self, row: int) -> bool:
        """True when this cue's speaker should be shown: the first line of a new speaker."""
        speaker = self._cues[row].speaker
        return bool(speaker) and (row == 0 or self._cues[row - 1].speaker != speaker)


def cue_as_text(cue: Cue) -> str:
    """``[4:10] Nathan: text`` (no time for untimed cues, no name when unknown)."""
    speaker = f"{cue.speaker}: " if cue.speaker else ""
    time = f"[{format_clock(cue.start_ms)}] " if cue.start_ms is not None else ""
    return f"{time}{speaker}{cue.text}"
