"""The transcript pane: cues that follow playback, click or Enter to seek, find, copy with times."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPainter,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionFocusRect,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from podplayer.core.transcripts.search import Match, find_in_cues
from podplayer.core.transcripts.timeline import Transcript, TranscriptFollower
from podplayer.core.transcripts.timestamps import format_clock
from podplayer.gui.keyboard_menus import open_menus_from_keyboard
from podplayer.gui.models.transcript_model import TranscriptListModel, cue_as_text

RESUME_FOLLOWING_AFTER_MS = 5_000
"""After the user stops scrolling, following playback resumes by itself this much later."""
FOLLOW_AT_FRACTION = 1 / 3
"""The current cue is kept about a third from the top of the list."""
NO_TRANSCRIPT_TEXT = "No transcript for this episode."
NOT_SYNCED_TEXT = (
    "Not synced: this transcript has no times, so it cannot follow playback or play from a line."
)
FILE_FILTER = "Transcripts (*.vtt *.srt *.json *.html *.htm *.txt);;All files (*)"
_PADDING = 6
_GAP = 10
_ACCENT_WIDTH = 3
_WORD = re.compile(r"\S+")
_MATCH_COLOR = QColor(255, 226, 80)
_CURRENT_MATCH_COLOR = QColor(255, 150, 0)
_MATCH_TEXT_COLOR = QColor(0, 0, 0)

Index = QModelIndex | QPersistentModelIndex


@dataclass
class CueHighlights:
    """What the list shows beyond the cues themselves: the cue playing and the find matches."""

    current_row: int | None = None
    matches_by_row: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    current_match: Match | None = None


class _Typography:
    """Fonts and metrics for one base font, with the width of every word measured once."""

    def __init__(self, font: QFont) -> None:
        self.font = QFont(font)
        self.metrics = QFontMetrics(self.font)
        self.speaker_font = QFont(font)
        self.speaker_font.setBold(True)
        self.speaker_metrics = QFontMetrics(self.speaker_font)
        self.time_font = QFont(font)
        if font.pointSizeF() > 0:
            self.time_font.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        self.time_metrics = QFontMetrics(self.time_font)
        self.time_column = self.time_metrics.horizontalAdvance("0:00:00") + _GAP
        self.line_height = self.metrics.lineSpacing()
        self.space = self.metrics.horizontalAdvance(" ")
        self._advances: dict[str, int] = {}

    def advance(self, word: str) -> int:
        width = self._advances.get(word)
        if width is None:
            width = self.metrics.horizontalAdvance(word)
            if len(self._advances) < 200_000:
                self._advances[word] = width
        return width

    def wrap(self, text: str, width: int) -> list[tuple[int, int]]:
        """Greedy word wrap: (start, end) of each line; a word wider than a line is cut."""
        lines: list[tuple[int, int]] = []
        line_start = line_end = 0
        used = 0
        for found in _WORD.finditer(text):
            word_width = self.advance(found.group())
            if used and used + self.space + word_width <= width:
                used += self.space + word_width
                line_end = found.end()
                continue
            if used:
                lines.append((line_start, line_end))
            line_start, line_end, used = found.start(), found.end(), word_width
            while used > width and line_end - line_start > 1:
                cut = self._fitting_prefix(text, line_start, line_end, width)
                lines.append((line_start, cut))
                line_start = cut
                used = self.metrics.horizontalAdvance(text[line_start:line_end])
        if used or not lines:
            lines.append((line_start, line_end))
        return lines

    def _fitting_prefix(self, text: str, start: int, end: int, width: int) -> int:
        """Where the longest fitting start of ``text[start:end]`` ends (one character at least)."""
        low, high = start + 1, end
        while low < high:
            middle = (low + high + 1) // 2
            if self.metrics.horizontalAdvance(text[start:middle]) <= width:
                low = middle
            else:
                high = middle - 1
        return low


class CueDelegate(QStyledItemDelegate):
    """Paints a cue: its start time in a left column, the speaker when it changes, wrapped text.

    Lines are measured by cached word widths (no text layout per row), once per width, and paint
    draws exactly those lines, so 5,000 rows lay out in milliseconds and never disagree.
    """

    def __init__(
        self, view: QListView, model: TranscriptListModel, highlights: CueHighlights
    ) -> None:
        super().__init__(view)
        self._view = view
        self._model = model
        self._highlights = highlights
        self._typography: _Typography | None = None
        self._lines: dict[int, list[tuple[int, int]]] = {}
        self._wrap_width = -1
        self.show_times = True

    def forget_sizes(self) -> None:
        self._lines.clear()

    def _type_for(self, font: QFont) -> _Typography:
        typography = self._typography
        if typography is None or typography.font != font:
            typography = self._typography = _Typography(font)
            self._lines.clear()
        return typography

    def _text_left(self, typography: _Typography) -> int:
        return _ACCENT_WIDTH + _PADDING + (typography.time_column if self.show_times else 0)

    def _lines_for(self, row: int, typography: _Typography) -> list[tuple[int, int]]:
        width = max(40, self._view.viewport().width() - self._text_left(typography) - _PADDING)
        if width != self._wrap_width:
            self._lines.clear()
            self._wrap_width = width
        lines = self._lines.get(row)
        if lines is None:
            lines = self._lines[row] = typography.wrap(self._model.cue(row).text, width)
        return lines

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        typography = self._type_for(option.font)
        row = index.row()
        height = 2 * _PADDING + len(self._lines_for(row, typography)) * typography.line_height
        if self._model.speaker_changed(row):
            height += typography.speaker_metrics.height()
        return QSize(self._view.viewport().width(), height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        row = index.row()
        cue = self._model.cue(row)
        typography = self._type_for(option.font)
        rect: QRect = option.rect
        palette = option.palette
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        current = row == self._highlights.current_row
        painter.save()
        if selected:
            painter.fillRect(rect, palette.highlight())
        elif current:
            tint = QColor(palette.highlight().color())
            tint.setAlpha(50)
            painter.fillRect(rect, tint)
        if current:
            painter.fillRect(
                QRect(rect.left(), rect.top(), _ACCENT_WIDTH, rect.height()), palette.highlight()
            )
        text_color = palette.highlightedText().color() if selected else palette.text().color()
        y = rect.top() + _PADDING
        if self.show_times and cue.start_ms is not None:
            painter.setFont(typography.time_font)
            painter.setPen(text_color if selected else palette.placeholderText().color())
            painter.drawText(
                QPointF(
                    rect.left() + _ACCENT_WIDTH + _PADDING, y + typography.time_metrics.ascent()
                ),
                format_clock(cue.start_ms),
            )
        x = rect.left() + self._text_left(typography)
        if cue.speaker and self._model.speaker_changed(row):
            painter.setFont(typography.speaker_font)
            painter.setPen(text_color)
            painter.drawText(QPointF(x, y + typography.speaker_metrics.ascent()), cue.speaker)
            y += typography.speaker_metrics.height()
        painter.setFont(typography.font)
        matches = self._highlights.matches_by_row.get(row, [])
        current_match = self._highlights.current_match
        for start, end in self._lines_for(row, typography):
            baseline = y + typography.metrics.ascent()
            painter.setPen(text_color)
            painter.drawText(QPointF(x, baseline), cue.text[start:end])
            for match_start, length in matches:
                first, last = max(match_start, start), min(match_start + length, end)
                if first >= last:
                    continue
                is_current = current_match is not None and (row, match_start) == (
                    current_match.row,
                    current_match.start,
                )
                left = x + typography.metrics.horizontalAdvance(cue.text[start:first])
                piece = cue.text[first:last]
                box = QRectF(
                    left, y, typography.metrics.horizontalAdvance(piece), typography.line_height
                )
                painter.fillRect(box, _CURRENT_MATCH_COLOR if is_current else _MATCH_COLOR)
                painter.setPen(_MATCH_TEXT_COLOR)
                painter.drawText(QPointF(left, baseline), piece)
            y += typography.line_height
        if state & QStyle.StateFlag.State_HasFocus:
            focus = QStyleOptionFocusRect()
            focus.rect = rect.adjusted(1, 1, -1, -1)
            focus.palette = palette
            focus.state = state
            self._view.style().drawPrimitive(
                QStyle.PrimitiveElement.PE_FrameFocusRect, focus, painter
            )
        painter.restore()


class CueListView(QListView):
    """The list of cues. Enter asks to play the focused cue; moving by keys counts as browsing."""

    play_row_requested = Signal(int)
    browsed = Signal()
    copy_requested = Signal()
    find_requested = Signal()

    _NAVIGATION_KEYS = frozenset(
        {
            Qt.Key.Key_Up,
            Qt.Key.Key_Down,
            Qt.Key.Key_PageUp,
            Qt.Key.Key_PageDown,
            Qt.Key.Key_Home,
            Qt.Key.Key_End,
        }
    )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_requested.emit()
            event.accept()
            return
        if event.matches(QKeySequence.StandardKey.Find):  # when the window's shortcut did not fire
            self.find_requested.emit()
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.currentIndex().isValid():
                self.play_row_requested.emit(self.currentIndex().row())
            event.accept()
            return
        super().keyPressEvent(event)
        if event.key() in self._NAVIGATION_KEYS and self.currentIndex().isValid():
            self.browsed.emit()
            self.scrollTo(self.currentIndex())


class TranscriptFindBar(QWidget):
    """Find in transcript: a field, the match count, previous/next and close."""

    query_changed = Signal(str)
    next_requested = Signal()
    previous_requested = Signal()
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit()
        self.field.setPlaceholderText("Find in transcript")
        self.field.setAccessibleName("Find in transcript")
        self.field.setToolTip("Words to find in the transcript; Enter goes to the next match")
        self.field.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.previous_button = QToolButton()
        self.previous_button.setText("↑")
        self.previous_button.setToolTip("Previous match (Shift+Enter)")
        self.previous_button.setAccessibleName("Previous match")
        self.next_button = QToolButton()
        self.next_button.setText("↓")
        self.next_button.setToolTip("Next match (Enter)")
        self.next_button.setAccessibleName("Next match")
        close_button = QToolButton()
        close_button.setText("✕")
        close_button.setToolTip("Close (Esc)")
        close_button.setAccessibleName("Close find")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.field, self.count_label, self.previous_button, self.next_button):
            row.addWidget(widget)
        row.addWidget(close_button)
        self.field.textChanged.connect(self.query_changed)
        self.previous_button.clicked.connect(self.previous_requested)
        self.next_button.clicked.connect(self.next_requested)
        close_button.clicked.connect(self.closed)
        self.field.installEventFilter(self)

    def eventFilter(self, watched: object, event: object) -> bool:  # noqa: N802
        if (
            watched is not self.field
            or not isinstance(event, QKeyEvent)
            or event.type() != QKeyEvent.Type.KeyPress
        ):
            return False
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shifted = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            (self.previous_requested if shifted else self.next_requested).emit()
            return True
        if event.key() == Qt.Key.Key_Escape:
            self.closed.emit()
            return True
        return False


class TranscriptPane(QWidget):
    """Shows a transcript that follows playback.

    Feed it ``set_transcript`` and the playback position (``set_position``); it asks to seek with
    ``seek_requested(ms)`` and to load a file with ``file_chosen(path)``. Scrolling pauses
    following; "Back to current" resumes it, and so does a few seconds without scrolling.
    """

    seek_requested = Signal(int)
    file_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = TranscriptListModel()
        self._highlights = CueHighlights()
        self._matches: list[Match] = []
        self._match_number: int | None = None
        self._follower = TranscriptFollower()
        self._following = True
        self._scrolling_by_code = False

        self.view = CueListView()
        self.view.setModel(self._model)
        self._delegate = CueDelegate(self.view, self._model, self._highlights)
        self.view.setItemDelegate(self._delegate)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A scroll bar that comes and goes would change the width and re-wrap every row twice.
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAutoScroll(False)
        self.view.setWordWrap(True)
        self.view.setUniformItemSizes(False)
        self.view.setAccessibleName("Transcript")
        open_menus_from_keyboard(self.view)
        self.view.setToolTip("Click a line to play from there; Ctrl+F finds words")
        self.view.clicked.connect(self._on_clicked)
        self.view.play_row_requested.connect(self._play_row)
        self.view.browsed.connect(lambda: self._pause_following(auto_resume=True))
        self.view.copy_requested.connect(self.copy_selection)
        self.view.find_requested.connect(self.open_find)
        scroll_bar = self.view.verticalScrollBar()
        scroll_bar.actionTriggered.connect(self._on_user_scroll)
        scroll_bar.sliderPressed.connect(self._on_user_scroll)

        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        self.back_button = QPushButton("Back to current")
        self.back_button.setToolTip("Follow playback again")
        self.back_button.setAccessibleName("Back to current")
        self.back_button.setVisible(False)
        self.back_button.clicked.connect(self.resume_following)
        self.open_button = QToolButton()
        self.open_button.setText("Load file…")
        self.open_button.setToolTip("Load a transcript file (VTT, SRT, JSON, HTML, text)")
        self.open_button.setAccessibleName("Load transcript file")
        self.open_button.clicked.connect(self.choose_file)
        header = QHBoxLayout()
        header.addWidget(self.status_label, 1)
        header.addWidget(self.back_button)
        header.addWidget(self.open_button)

        self.find_bar = TranscriptFindBar()
        self.find_bar.setVisible(False)
        self.find_bar.query_changed.connect(self._on_query)
        self.find_bar.next_requested.connect(lambda: self._step_match(+1))
        self.find_bar.previous_requested.connect(lambda: self._step_match(-1))
        self.find_bar.closed.connect(self.close_find)

        self.message_label = QLabel(NO_TRANSCRIPT_TEXT)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setWordWrap(True)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        message_page = QWidget()
        message_layout = QVBoxLayout(message_page)
        message_layout.addStretch(1)
        message_layout.addWidget(self.message_label)
        message_layout.addStretch(1)
        self._stack = QStackedWidget()
        self._stack.addWidget(self.view)
        self._stack.addWidget(message_page)
        self._stack.setCurrentIndex(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(header)
        layout.addWidget(self.find_bar)
        layout.addWidget(self._stack, 1)

        self._resume_timer = QTimer(self)
        self._resume_timer.setSingleShot(True)
        self._resume_timer.setInterval(RESUME_FOLLOWING_AFTER_MS)
        self._resume_timer.timeout.connect(self._on_resume_timeout)

        self._add_action("Find in transcript", QKeySequence.StandardKey.Find, self.open_find)
        self._add_action(
            "Find next", QKeySequence.StandardKey.FindNext, lambda: self._step_match(1)
        )
        self._add_action(
            "Find previous", QKeySequence.StandardKey.FindPrevious, lambda: self._step_match(-1)
        )
        self._update_status()

    def _add_action(self, text: str, keys: QKeySequence.StandardKey, slot: object) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # What the rest of the app calls.

    def set_transcript(self, transcript: Transcript | None, message: str = "") -> None:
        """Show ``transcript``; for None or unreadable, ``message`` or the transcript's problem."""
        self._resume_timer.stop()
        self._following = True
        self.back_button.setVisible(False)
        self._delegate.forget_sizes()
        usable = transcript if transcript is not None and transcript.readable else None
        self._delegate.show_times = usable is not None and usable.timed
        self._highlights.current_row = None
        self._set_matches([])
        self._model.set_transcript(usable)
        self._follower.reset(usable)
        self.view.setCursor(
            Qt.CursorShape.PointingHandCursor
            if self._delegate.show_times
            else Qt.CursorShape.ArrowCursor
        )
        if usable is None:
            shown = message or (transcript.problem if transcript is not None else "")
            self.message_label.setText(shown or NO_TRANSCRIPT_TEXT)
            self._stack.setCurrentIndex(1)
        else:
            self._stack.setCurrentIndex(0)
            self.view.scrollToTop()
        if self.find_bar.isVisible() and self.find_bar.field.text():
            self._on_query(self.find_bar.field.text())
        self._update_status(message if usable is not None else "")

    def show_message(self, message: str) -> None:
        """Show a sentence instead of a transcript (loading, or what went wrong)."""
        self.set_transcript(None, message)

    def set_position(self, position_ms: int) -> None:
        """Playback is at ``position_ms``: highlight its cue; while following, keep it in view."""
        changed, row = self._follower.update(position_ms)
        if not changed:
            return
        previous = self._highlights.current_row
        self._highlights.current_row = row
        for touched in (previous, row):
            if touched is not None:
                self.view.update(self._model.index(touched))
        if row is not None and self._following:
            self._show_current(row)

    @property
    def transcript(self) -> Transcript | None:
        return self._model.transcript

    @property
    def model(self) -> TranscriptListModel:
        return self._model

    @property
    def current_row(self) -> int | None:
        return self._highlights.current_row

    def current_line_text(self) -> str:
        """The line playing now, as the list reads it; empty when none is."""
        row = self._highlights.current_row
        if row is None:
            return ""
        index = self._model.index(row, 0)
        return str(self._model.data(index, Qt.ItemDataRole.AccessibleTextRole) or "")

    @property
    def match_count(self) -> int:
        return len(self._matches)

    def is_following(self) -> bool:
        """True while the list keeps the current cue in view."""
        return self._following

    @property
    def resume_delay_ms(self) -> int:
        return self._resume_timer.interval()

    @resume_delay_ms.setter
    def resume_delay_ms(self, value: int) -> None:
        self._resume_timer.setInterval(value)

    def resume_following(self) -> None:
        """Follow playback again and bring the current cue back into view at once."""
        self._following = True
        self._resume_timer.stop()
        self.back_button.setVisible(False)
        row = self._highlights.current_row
        if row is not None:
            self._show_current(row)

    def choose_file(self) -> None:
        """Ask for a transcript file; the choice goes out as ``file_chosen``."""
        path, _ = QFileDialog.getOpenFileName(self, "Load a transcript file", "", FILE_FILTER)
        if path:
            self.file_chosen.emit(path)

    def copy_selection(self) -> str:
        """Copy the selected lines (or the focused one) as text with their times."""
        rows = sorted(index.row() for index in self.view.selectionModel().selectedIndexes())
        if not rows and self.view.currentIndex().isValid():
            rows = [self.view.currentIndex().row()]
        text = "\n".join(cue_as_text(self._model.cue(row)) for row in rows)
        if text:
            QGuiApplication.clipboard().setText(text)
        return text

    def open_find(self) -> None:
        self.find_bar.setVisible(True)
        self.find_bar.field.setFocus()
        self.find_bar.field.selectAll()

    def close_find(self) -> None:
        self.find_bar.setVisible(False)
        self._set_matches([])
        self.view.setFocus()

    def find_text(self, query: str) -> int:
        """Open the find bar with ``query``; returns the number of matches."""
        self.open_find()
        self.find_bar.field.setText(query)
        return len(self._matches)

    def find_next(self) -> None:
        self._step_match(+1)

    def find_previous(self) -> None:
        self._step_match(-1)

    # Inside.

    def _show_current(self, row: int) -> None:
        index = self._model.index(row)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.NoUpdate
        )
        self._scroll_row_to(row, FOLLOW_AT_FRACTION)

    def _scroll_row_to(self, row: int, fraction: float) -> None:
        """Put ``row``'s top at ``fraction`` of the view's height, as far as the list allows."""
        rect = self.view.visualRect(self._model.index(row))
        bar = self.view.verticalScrollBar()
        target = bar.value() + rect.top() - int(self.view.viewport().height() * fraction)
        target = max(bar.minimum(), min(bar.maximum(), target))
        if abs(target - bar.value()) > 1:
            self._scrolling_by_code = True
            try:
                bar.setValue(target)
            finally:
                self._scrolling_by_code = False

    def _on_user_scroll(self, *_: object) -> None:
        if not self._scrolling_by_code:
            self._pause_following(auto_resume=True)

    def _pause_following(self, *, auto_resume: bool) -> None:
        if self._model.transcript is None or not self._model.timed:
            return
        self._following = False
        self.back_button.setVisible(True)
        if auto_resume:
            self._resume_timer.start()
        else:
            self._resume_timer.stop()

    def _on_resume_timeout(self) -> None:
        if self.view.verticalScrollBar().isSliderDown():
            self._resume_timer.start()
            return
        self.resume_following()

    def _on_clicked(self, index: QModelIndex) -> None:
        modifiers = QGuiApplication.keyboardModifiers()
        if modifiers & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier):
            return
        self._play_row(index.row())

    def _play_row(self, row: int) -> None:
        """Seek to the cue's start; untimed cues have none, so nothing pretends to happen."""
        if not self._model.timed or row < 0 or row >= self._model.rowCount():
            return
        start = self._model.cue(row).start_ms
        if start is None:
            return
        self._following = True
        self._resume_timer.stop()
        self.back_button.setVisible(False)
        self.seek_requested.emit(start)

    def _set_matches(self, matches: list[Match]) -> None:
        self._matches = matches
        by_row: dict[int, list[tuple[int, int]]] = {}
        for match in matches:
            by_row.setdefault(match.row, []).append((match.start, match.length))
        self._highlights.matches_by_row = by_row
        self._highlights.current_match = None
        self._match_number = None
        if self._model.rowCount():
            # Not for an empty list: the first viewport() from Python makes PySide set up every
            # widget class it could be (~10 ms), which the window's first paint need not wait for.
            self.view.viewport().update()

    def _on_query(self, query: str) -> None:
        self._set_matches(find_in_cues(self._model.cues, query))
        if self._matches:
            after = bisect_left(self._matches, (self._highlights.current_row or 0, -1, -1))
            self._go_to_match(after if after < len(self._matches) else 0)
        else:
            self._update_match_label()

    def _step_match(self, step: int) -> None:
        if not self.find_bar.isVisible():
            self.open_find()
        if not self._matches:
            return
        number = 0 if self._match_number is None else self._match_number + step
        self._go_to_match(number % len(self._matches))

    def _go_to_match(self, number: int) -> None:
        match = self._matches[number]
        self._match_number = number
        self._highlights.current_match = match
        self._pause_following(auto_resume=False)
        self._scroll_row_to(match.row, 0.5)
        self.view.viewport().update()
        self._update_match_label()

    def _update_match_label(self) -> None:
        if not self.find_bar.field.text():
            self.find_bar.count_label.setText("")
        elif not self._matches:
            self.find_bar.count_label.setText("No matches")
        else:
            number = (self._match_number or 0) + 1
            self.find_bar.count_label.setText(f"{number} of {len(self._matches)}")

    def _update_status(self, extra: str = "") -> None:
        transcript = self._model.transcript
        if transcript is None:
            self.status_label.setText("Transcript")
        elif not transcript.timed:
            self.status_label.setText(NOT_SYNCED_TEXT)
        else:
            lines = len(transcript.cues)
            source = f"{transcript.format_name}, " if transcript.format_name else ""
            self.status_label.setText(f"Transcript ({source}{lines} lines)")
        if extra:
            self.status_label.setText(f"{self.status_label.text()}. {extra}")

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            index = self.view.currentIndex()
        else:
            index = self.view.indexAt(self.view.viewport().mapFromGlobal(event.globalPos()))
        if index.isValid() and self._model.timed:
            menu.addAction("Play from here", lambda: self._play_row(index.row()))
        if self._model.rowCount():
            menu.addAction("Copy with times", self.copy_selection)
            menu.addAction("Find…", self.open_find)
        menu.addAction("Load transcript file…", self.choose_file)
        menu.exec(event.globalPos())
