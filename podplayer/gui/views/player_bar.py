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

from podplayer.gui.text import plain_tooltip
from podplayer.gui.widgets.seek_bar import SeekBar
from podplayer.gui.widgets.sleep_timer_button import SleepTimerButton
from podplayer.gui.widgets.speed_button import SpeedButton
from podplayer.gui.widgets.volume_control import VolumeControl

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
        self.title = QLabel("Nothing playing")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setAccessibleName("Episode title")
        bold = self.title.font()
        bold.setBold(True)
        self.title.setFont(bold)
        self.podcast = QLabel("Pick an episode to play")
        self.podcast.setTextFormat(Qt.TextFormat.PlainText)
        self.podcast.setAccessibleName("Podcast title")
        for label in (self.title, self.podcast):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self.back_button = self._button(QStyle.StandardPixmap.SP_MediaSeekBackward, "", "")
        self.play_button = self._button(
            QStyle.StandardPixmap.SP_MediaPlay, "Play", "Play or pause (Space)"
        )
        self.play_button.setIconSize(self.play_button.iconSize() * 1.5)
        self.forward_button = self._button(QStyle.StandardPixmap.SP_MediaSeekForward, "", "")
        self.set_skip_steps(10_000, 30_000)
        self.back_button.clicked.connect(self.skip_back_requested)
        self.play_button.clicked.connect(self.play_pause_requested)
        self.forward_button.clicked.connect(self.skip_forward_requested)

        self.seek_bar = SeekBar()
        self.speed_button = SpeedButton(speed_presets)
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
        transport.addWidget(self.speed_button)
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

    def set_skip_steps(self, back_ms: int, forward_ms: int) -> None:
        """Name the skip buttons after the steps they jump."""
        for button, label, key in (
            (self.back_button, skip_label("Back", back_ms), "Left"),
            (self.forward_button, skip_label("Forward", forward_ms), "Right"),
        ):
            button.setAccessibleName(label)
            button.setToolTip(f"{label} ({key})")

    def show_episode(self, title: str, podcast_title: str, artwork: QPixmap | None) -> None:
        self.title.setText(title or "(untitled episode)")
        self.title.setToolTip(plain_tooltip(title))
        self.podcast.setText(podcast_title)
        self.podcast.setToolTip(plain_tooltip(podcast_title))
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


def skip_label(direction: str, step_ms: int) -> str:
    """ "Back 10 seconds", "Forward 1 minute 30 seconds": a skip step in words."""
    seconds = max(1, round(step_ms / 1000))
    minutes, seconds = divmod(seconds, 60)
    parts = [f"{minutes} minute{'s' if minutes != 1 else ''}"] if minutes else []
    if seconds:
        parts.append(f"{seconds} second{'s' if seconds != 1 else ''}")
    return f"{direction} {' '.join(parts)}"
