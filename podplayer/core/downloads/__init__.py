"""Downloads: an explicit state machine, safe file names, resume; ``DownloadManager`` runs them."""

from podplayer.core.downloads.manager import (
    DownloadError,
    DownloadManager,
    DownloadProgress,
    ProgressListener,
    local_file_for,
)
from podplayer.core.downloads.state import DownloadFailedError, FailureReason, InvalidMoveError

__all__ = [
    "DownloadError",
    "DownloadFailedError",
    "DownloadManager",
    "DownloadProgress",
    "FailureReason",
    "InvalidMoveError",
    "ProgressListener",
    "local_file_for",
]
