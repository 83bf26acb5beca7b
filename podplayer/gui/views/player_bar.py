"""The player bar: artwork and title, transport, seek bar, speed, sleep timer and volume."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QPixmap
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
from podplayer.gui.text import plain_tooltip
from podplayer.gui.widgets.media_icons import MediaIcon, media_icon
from podplayer.gui.widgets.seek_bar import SeekBar
from podplayer.gui.widgets.sleep_timer_button import SleepTimerButton
from podplayer.gui.widgets.speed_control import SpeedControl
from podplayer.gui.widgets.volume_control import VolumeControl
from podplayer.playback.speed import RATE_STEP

ARTWORK_SIZE = 56


class PlayerBar(QFrame):
    """Shows what plays and forwards what the user asks for; no playback logic of its own."""

    play_pause_requested = Signal()
    skip_back_requested = Signal()
    skip_forward_requested = Signal()

    def __init__(self, speed_presets: Sequence[float], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Player")
        self.artwork = QLabel()
        self.artwork.setFixedSize(ARTWORK_SIZE, ARTWORK_SIZE)
        self.artwork.setAccessibleName("Episode artwork")
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
        for label in (self.title, self.podcast):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        # Created top to bottom, left to right: that is the Tab order.
        self.seek_bar = SeekBar()
        self._playing = False
        self.back_button = self._button("Back 10 seconds", "Back 10 s (Left)")
        self.play_button = self._button("Play", "Play or pause (Space)")
        self.forward_button = self._button("Forward 30 seconds", "Forward 30 s (Right)")
        # Icons grow with the font, so large-text desktops get large buttons.
        icon = max(16, self.fontMetrics().height())
        for button in (self.back_button, self.forward_button):
            button.setIconSize(QSize(icon, icon))
        self.play_button.setIconSize(QSize(icon * 3 // 2, icon * 3 // 2))
        self.back_button.clicked.connect(self.skip_back_requested)
        self.play_button.clicked.connect(self.play_pause_requested)
        self.forward_button.clicked.connect(self.skip_forward_requested)
        self.speed_control = SpeedControl(
            speed_presets, minimum=MIN_RATE, maximum=MAX_RATE, step=RATE_STEP
        )
        self.sleep_button = SleepTimerButton()
        self.volume = VolumeControl()

        text = QVBoxLayout()
        text.setSpacing(0)
        text.addWidget(self.title)
        text.addWidget(self.podcast)
        now_playing = QHBoxLayout()
        now_playing.setContentsMargins(0, 0, 0, 0)
        now_playing.addWidget(self.artwork)
        now_playing.addLayout(text, 1)

        transport = QHBoxLayout()
        transport.addWidget(self.back_button)
        transport.addWidget(self.play_button)
        transport.addWidget(self.forward_button)

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

    @staticmethod
    def _button(name: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setAccessibleName(name)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        return button

    def show_episode(self, title: str, podcast_title: str, artwork: QPixmap | None) -> None:
        self.title.setText(title or "(untitled episode)")
        self.title.setToolTip(plain_tooltip(title))
        self.podcast.setText(podcast_title)
        self.podcast.setToolTip(plain_tooltip(podcast_title))
        named = f"Artwork of {podcast_title}" if podcast_title else "Episode artwork"
        self.artwork.setAccessibleName(named)
        if artwork is None:
            self.artwork.clear()
        else:
            self.artwork.setPixmap(
                artwork.scaled(
                    ARTWORK_SIZE,
                    ARTWORK_SIZE,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        self.set_enabled_controls(True)

    def set_enabled_controls(self, enabled: bool) -> None:
        for widget in (self.back_button, self.play_button, self.forward_button, self.seek_bar):
            widget.setEnabled(enabled)

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
