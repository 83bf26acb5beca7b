"""The download state machine: which moves are allowed, and why a download stopped."""

from __future__ import annotations

import enum

from podplayer.core.models import Download, DownloadState

ALLOWED_MOVES: dict[DownloadState, frozenset[DownloadState]] = {
    DownloadState.QUEUED: frozenset(
        {
            DownloadState.DOWNLOADING,
            DownloadState.PAUSED,
            DownloadState.CANCELLED,
            DownloadState.COMPLETED,
        }
    ),
    # Back to QUEUED when the app quits mid-transfer, so the next start resumes it.
    DownloadState.DOWNLOADING: frozenset(
        {
            DownloadState.QUEUED,
            DownloadState.PAUSED,
            DownloadState.COMPLETED,
            DownloadState.FAILED,
            DownloadState.CANCELLED,
        }
    ),
    # PAUSED/QUEUED to COMPLETED: a pause (or quit) that arrived just after the last byte.
    DownloadState.PAUSED: frozenset(
        {DownloadState.QUEUED, DownloadState.CANCELLED, DownloadState.COMPLETED}
    ),
    DownloadState.FAILED: frozenset({DownloadState.QUEUED, DownloadState.CANCELLED}),
    DownloadState.CANCELLED: frozenset({DownloadState.QUEUED}),
    DownloadState.COMPLETED: frozenset(),
}


class InvalidMoveError(Exception):
    """A download was asked to move to a state it cannot reach from where it is."""


class FailureReason(enum.Enum):
    """Why a download failed: the sentence a user reads, and whether its partial file is kept."""

    CONNECTION_LOST = (
        "The connection broke before the file was complete. Retry to resume where it stopped.",
        True,
    )
    UNREACHABLE = (
        "podplayer could not reach the server ({detail}). Check the network, then retry.",
        True,
    )
    SERVER_TROUBLE = (
        "The server is busy or having trouble ({detail}). Retry later to resume.",
        True,
    )
    HTTP_ERROR = ("The server refused the download ({detail}). Retry later.", True)
    NOT_AUDIO = (
        "The server sent a web page instead of audio ({detail}). The episode link may be"
        " outdated; refresh the podcast and try again.",
        False,
    )
    SIZE_MISMATCH = (
        "The file arrived with the wrong size ({detail}). Retry to download it again.",
        False,
    )
    NO_SPACE = (
        "There is not enough free space in the download folder ({detail}). Free some space"
        " or choose another download folder, then retry.",
        True,
    )
    DISK_ERROR = (
        "The file could not be written ({detail}). Check the download folder, then retry.",
        True,
    )
    BUSY = (
        "Another podplayer is already downloading this episode ({detail}). Let it finish,"
        " or retry once it has stopped.",
        True,
    )
    UNSAFE_LINK = ("The episode link cannot be downloaded ({detail}).", False)

    def __init__(self, template: str, resumable: bool) -> None:
        self.template = template
        self.resumable = resumable

    def sentence(self, detail: str) -> str:
        return self.template.format(detail=detail)


class DownloadFailedError(Exception):
    """A transfer ended without a complete file; ``reason`` says why, ``detail`` the specifics."""

    def __init__(self, reason: FailureReason, detail: str) -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail

    def __str__(self) -> str:
        return self.reason.sentence(self.detail)


def move(download: Download, target: DownloadState, error: str = "") -> None:
    """Move ``download`` to ``target`` or raise InvalidMoveError; failures carry a sentence."""
    if target == download.state:
        return
    if target not in ALLOWED_MOVES[download.state]:
        raise InvalidMoveError(f"A {download.state.value} download cannot become {target.value}.")
    download.state = target
    download.error = error if target == DownloadState.FAILED else ""
