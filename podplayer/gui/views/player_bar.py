"""The player bar: artwork and title, transport, seek bar, speed, sleep timer and volume."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPalette, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from podplayer.engine.base import MAX_RATE, MIN_RATE
from podplayer.gui.accessibility import announce
from podplayer.gui.text import plain_tooltip
from podplayer.gui.views.downloads_view import ElidedLabel
from podplayer.gui.widgets.media_icons import MediaIcon, media_icon
from podplayer.gui.widgets.seek_bar import SeekBar
from podplayer.gui.widgets.sleep_timer_button import SleepTimerButton
from podplayer.gui.widgets.speed_control import SpeedControl
from podplayer.gui.widgets.volume_control import VolumeControl
from podplayer.playback.speed import RATE_STEP

ARTWORK_SIZE = 56
SKIP_NOTICE_MS = 8_000


class PlayerBar(QFrame):
    """Shows what plays and forwards what the user asks for; no playback logic of its own."""

    play_pause_requested = Signal()
    skip_back_requested = Signal()
    skip_forward_requested = Signal()
    previous_chapter_requested = Signal()
    next_chapter_requested = Signal()
    undo_skip_requested = Signal()

    def __init__(self, speed_presets: Sequence[float], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Player")
        self.artwork = QLabel()
        self.artwork.setFixedSize(ARTWORK_SIZE, ARTWORK_SIZE)
        self.artwork.setAccessibleName("Episode artwork")
        self._episode_artwork: QPixmap | None = None
        self._chapter_picture: QPixmap | None = None
        # A label's accessible name is its text: a screen reader reads the title itself.
        self.title = QLabel("Nothing playing")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setAccessibleDescription("Episode")
        bold = self.title.font()
        bold.setBold(True)
        self.title.setFont(bold)
        self.podcast = QLabel("Pick an episode to play")
        self.podcast.setTextFormat(Qt.TextFormat.PlainText)
        self.podcast.setAccessibleDescription("Podcast")
        self.chapter = QLabel()
        self.chapter.setTextFormat(Qt.TextFormat.PlainText)
        self.chapter.setAccessibleDescription("Chapter")
        self.chapter.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        for label in (self.title, self.podcast, self.chapter):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.skip_notice = ElidedLabel()
        self.undo_button = QToolButton()
        self.undo_button.setText("Undo")
        self.undo_button.setAccessibleName("Undo chapter skip")
        self.undo_button.setToolTip("Go back and play the skipped chapter")
        self.undo_button.clicked.connect(self.undo_skip_requested)
        self.undo_button.clicked.connect(self.hide_skip_notice)
        self.undo_button.clicked.connect(
            lambda: announce(self.undo_button, "Playing the skipped chapter")
        )
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.setInterval(SKIP_NOTICE_MS)
        self._notice_timer.timeout.connect(self.hide_skip_notice)

        # Created top to bottom, left to right: that is the Tab order.
        self.seek_bar = SeekBar()
        self._playing = False
        self.previous_chapter_button = self._button(
            "Previous chapter", "Previous chapter (Ctrl+Left)"
        )
        self.back_button = self._button("Back 10 seconds", "Back 10 s (Left)")
        self.play_button = self._button("Play", "Play or pause (Space)")
        self.forward_button = self._button("Forward 30 seconds", "Forward 30 s (Right)")
        self.next_chapter_button = self._button("Next chapter", "Next chapter (Ctrl+Right)")
        # Icons grow with the font, so large-text desktops get large buttons.
        icon = max(16, self.fontMetrics().height())
        for button in (
            self.previous_chapter_button,
            self.back_button,
            self.forward_button,
            self.next_chapter_button,
        ):
            button.setIconSize(QSize(icon, icon))
        self.play_button.setIconSize(QSize(icon * 3 // 2, icon * 3 // 2))
        self.back_button.clicked.connect(self.skip_back_requested)
        self.play_button.clicked.connect(self.play_pause_requested)
        self.forward_button.clicked.connect(self.skip_forward_requested)
        self.previous_chapter_button.clicked.connect(self.previous_chapter_requested)
        self.next_chapter_button.clicked.connect(self.next_chapter_requested)
        self.speed_control = SpeedControl(
            speed_presets, minimum=MIN_RATE, maximum=MAX_RATE, step=RATE_STEP
        )
        self.sleep_button = SleepTimerButton()
        self.volume = VolumeControl()

        text = QVBoxLayout()
        text.setSpacing(0)
        text.addWidget(self.title)
        text.addWidget(self.podcast)
        chapter_line = QHBoxLayout()
        chapter_line.setSpacing(4)
        chapter_line.addWidget(self.chapter, 1)
        chapter_line.addWidget(self.undo_button)
        chapter_line.addWidget(self.skip_notice, 1)
        text.addLayout(chapter_line)
        now_playing = QHBoxLayout()
        now_playing.setContentsMargins(0, 0, 0, 0)
        now_playing.addWidget(self.artwork)
        now_playing.addLayout(text, 1)

        transport = QHBoxLayout()
        transport.addWidget(self.previous_chapter_button)
        transport.addWidget(self.back_button)
        transport.addWidget(self.play_button)
        transport.addWidget(self.forward_button)
        transport.addWidget(self.next_chapter_button)

        settings = QHBoxLayout()
        settings.addStretch(1)
        settings.addWidget(self.speed_control)
        settings.addWidget(self.sleep_button)
        settings.addWidget(self.volume)

        # The seek bar has the whole width; below it what plays, the transport in the middle,
        # then speed, sleep timer and volume: nothing squeezes the seek bar at large font sizes.
        controls = QHBoxLayout()
        controls.addLayout(now_playing, 1)
        controls.addLayout(transport)
        controls.addLayout(settings, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 6)
        layout.setSpacing(2)
        layout.addWidget(self.seek_bar)
        layout.addLayout(controls)
        self.set_playing(False)
        self.set_enabled_controls(False)
        self.set_chapters_available(False)
        self.hide_skip_notice()

    @staticmethod
    def _button(name: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setAccessibleName(name)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        return button

    def show_skip_lengths(self, back_s: int, forward_s: int) -> None:
        """Name the skip buttons after the lengths chosen in Settings."""
        self.back_button.setAccessibleName(f"Back {back_s} seconds")
        self.back_button.setToolTip(f"Back {back_s} s (Left)")
        self.forward_button.setAccessibleName(f"Forward {forward_s} seconds")
        self.forward_button.setToolTip(f"Forward {forward_s} s (Right)")

    def show_episode(self, title: str, podcast_title: str, artwork: QPixmap | None) -> None:
        self.title.setText(title or "(untitled episode)")
        self.title.setToolTip(plain_tooltip(title))
        self.podcast.setText(podcast_title)
        self.podcast.setToolTip(plain_tooltip(podcast_title))
        named = f"Artwork of {podcast_title}" if podcast_title else "Episode artwork"
        self.artwork.setAccessibleName(named)
        self._episode_artwork = artwork
        self._show_artwork()
        self.set_enabled_controls(True)

    def show_chapter_picture(self, picture: QPixmap | None) -> None:
        """The playing chapter's picture in place of the artwork; None shows the artwork again."""
        self._chapter_picture = picture
        self._show_artwork()

    def _show_artwork(self) -> None:
        shown = self._chapter_picture or self._episode_artwork
        if shown is None:
            self.artwork.clear()
        else:
            self.artwork.setPixmap(
                shown.scaled(
                    ARTWORK_SIZE,
                    ARTWORK_SIZE,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )

    def set_enabled_controls(self, enabled: bool) -> None:
        for widget in (self.back_button, self.play_button, self.forward_button, self.seek_bar):
            widget.setEnabled(enabled)

    def set_chapters_available(self, available: bool) -> None:
        """Chapter buttons only for an episode with chapters."""
        self.previous_chapter_button.setVisible(available)
        self.next_chapter_button.setVisible(available)
        if not available:
            self.show_chapter("")

    def show_chapter(self, title: str) -> None:
        """The chapter playing, under the podcast's title (a skip notice takes its place)."""
        self.chapter.setText(title)
        self.chapter.setToolTip(plain_tooltip(title))
        self.chapter.setVisible(bool(title) and self.skip_notice.isHidden())

    def show_skip_notice(self, titles: str) -> None:
        """Say which chapter was skipped, with an Undo, for a few seconds."""
        notice = f"Skipped “{titles}”"
        self.skip_notice.set_full_text(notice, plain_tooltip(f"Skipped: {titles}"))
        self.skip_notice.setAccessibleName(notice)  # whole, where the label may shorten it
        self.chapter.hide()
        self.skip_notice.show()
        self.undo_button.show()
        self._notice_timer.start()
        announce(self.skip_notice, f"{notice}. Undo is in the player bar.")

    def hide_skip_notice(self) -> None:
        self.skip_notice.hide()
        self.undo_button.hide()
        self.chapter.setVisible(bool(self.chapter.text()))

    def set_playing(self, playing: bool) -> None:
        self._playing = playing
        self.play_button.setAccessibleName("Pause" if playing else "Play")
        self._paint_icons()

    def changeEvent(self, event: QEvent) -> None:
        """A new palette (a dark or high-contrast theme) redraws the icons in its colours."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_icons()

    def _paint_icons(self) -> None:
        palette = self.palette()
        self.back_button.setIcon(media_icon(MediaIcon.BACK, palette))
        played = MediaIcon.PAUSE if self._playing else MediaIcon.PLAY
        self.play_button.setIcon(media_icon(played, palette))
        self.forward_button.setIcon(media_icon(MediaIcon.FORWARD, palette))
        self.previous_chapter_button.setIcon(media_icon(MediaIcon.PREVIOUS_CHAPTER, palette))
        self.next_chapter_button.setIcon(media_icon(MediaIcon.NEXT_CHAPTER, palette))
