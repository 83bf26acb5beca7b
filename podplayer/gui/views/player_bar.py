"""The player bar: artwork and title, transport, seek bar, speed, sleep timer and volume."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from podplayer.engine.base import MAX_RATE, MIN_RATE
from podplayer.gui.text import plain_tooltip
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

        self.back_button = self._button(
            QStyle.StandardPixmap.SP_MediaSeekBackward, "Back 10 seconds", "Back 10 s (Left)"
        )
        self.play_button = self._button(
            QStyle.StandardPixmap.SP_MediaPlay, "Play", "Play or pause (Space)"
        )
        self.play_button.setIconSize(self.play_button.iconSize() * 1.5)
        self.forward_button = self._button(
            QStyle.StandardPixmap.SP_MediaSeekForward, "Forward 30 seconds", "Forward 30 s (Right)"
        )
        self.back_button.clicked.connect(self.skip_back_requested)
        self.play_button.clicked.connect(self.play_pause_requested)
        self.forward_button.clicked.connect(self.skip_forward_requested)

        self.seek_bar = SeekBar()
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
        now_playing.addWidget(self.artwork)
        now_playing.addLayout(text, 1)

        transport = QHBoxLayout()
        transport.addWidget(self.back_button)
        transport.addWidget(self.play_button)
        transport.addWidget(self.forward_button)
        transport.addWidget(self.seek_bar, 1)
        transport.addWidget(self.speed_control)
        transport.addWidget(self.sleep_button)
        transport.addWidget(self.volume)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        holder = QWidget()
        holder.setLayout(now_playing)
        holder.setMinimumWidth(220)
        holder.setMaximumWidth(340)
        layout.addWidget(holder, 1)
        layout.addLayout(transport, 3)
        self.set_playing(False)
        self.set_enabled_controls(False)

    def _button(self, icon: QStyle.StandardPixmap, name: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setIcon(self.style().standardIcon(icon))
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
        icon = (
            QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        )
        self.play_button.setIcon(self.style().standardIcon(icon))
        self.play_button.setAccessibleName("Pause" if playing else "Play")
