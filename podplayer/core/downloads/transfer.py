"""One attempt at fetching a file: Range + If-Range resume into a ``.part`` file, atomic rename."""

from __future__ import annotations

import enum
import errno
import os
import re
import shutil
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from podplayer.core.downloads.naming import (
    filename_from_content_disposition,
    inside_folder,
    looks_like_html,
    part_path,
)
from podplayer.core.downloads.state import DownloadFailedError, FailureReason
from podplayer.core.http import Credentials, HttpClient, HttpError, StreamingResponse, redact
from podplayer.core.models import Download

if sys.platform != "win32":
    import fcntl

# A web page smaller than this is an error page or a login wall, never an episode.
HTML_REJECT_BELOW_BYTES = 5 * 1024 * 1024
# Room kept free on the disk beyond the file itself, so a download never fills it to the brim.
FREE_SPACE_MARGIN_BYTES = 16 * 1024 * 1024
SNIFF_BYTES = 512
# Statuses that say "later", not "never": retried automatically like a dropped connection.
_TRANSIENT_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)", re.IGNORECASE)
_UNSATISFIED_RANGE = re.compile(r"bytes\s+\*/(\d+)", re.IGNORECASE)


class TransferEnd(enum.Enum):
    """How an attempt ended without an error."""

    COMPLETED = "completed"
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class ResponseInfo:
    """What the first response said about the file, for choosing its name."""

    url: str
    content_type: str | None
    disposition_name: str | None
    first_bytes: bytes


ChoosePath = Callable[[ResponseInfo], Path]
OpenPart = Callable[[Path], BinaryIO]


def open_part_for_writing(path: Path) -> BinaryIO:
    """Open an existing ``.part`` file for writing at any offset (never creates one)."""
    return path.open("r+b")


class Transfer:
    """Fetches ``download.url`` into ``download.file_path`` (named on first response), resuming."""

    def __init__(
        self,
        http: HttpClient,
        *,
        download: Download,
        folder: Path,
        choose_path: ChoosePath,
        on_progress: Callable[[int], None],
        should_stop: Callable[[], bool],
        open_part: OpenPart = open_part_for_writing,
        credentials: Credentials | None = None,
    ) -> None:
        self._http = http
        self._download = download
        self._folder = folder
        self._choose_path = choose_path
        self._on_progress = on_progress
        self._should_stop = should_stop
        self._open_part = open_part
        self._credentials = credentials
        self._response: StreamingResponse | None = None
        self._stopping = threading.Lock()

    def run(self) -> TransferEnd:
        """Fetch until complete or told to stop; DownloadFailedError says why it could not."""
        use_range = True
        for _ in range(3):
            outcome = self._attempt(use_range)
            if outcome is not None:
                return outcome
            use_range = False
        raise DownloadFailedError(
            FailureReason.SIZE_MISMATCH, "the server kept answering with the wrong part of it"
        )

    def abort(self) -> None:
        """From another thread, after ``should_stop`` turned true: unblock a stalled read."""
        with self._stopping:
            if self._response is not None:
                self._response.abort()

    def _existing_part_size(self) -> int:
        if not self._download.file_path:
            return 0
        part = part_path(Path(self._download.file_path))
        try:
            return part.stat().st_size
        except FileNotFoundError:
            return 0

    def _attempt(self, use_range: bool) -> TransferEnd | None:
        """One request; None means: start again from zero without Range."""
        download = self._download
        offset = self._existing_part_size() if use_range else 0
        headers = {"Accept-Encoding": "identity"}
        if offset > 0:
            headers["Range"] = f"bytes={offset}-"
            if download.validator:
                headers["If-Range"] = download.validator
        try:
            with self._http.stream(
                download.url, headers=headers, credentials=self._credentials, deadline=0
            ) as response:
                with self._stopping:
                    self._response = response
                if self._should_stop():
                    return TransferEnd.STOPPED
                try:
                    return self._receive(response, offset)
                finally:
                    with self._stopping:
                        self._response = None
        except HttpError as exc:
            if not exc.transient:
                raise DownloadFailedError(FailureReason.UNSAFE_LINK, str(exc)) from exc
            raise DownloadFailedError(FailureReason.UNREACHABLE, str(exc)) from exc

    def _receive(self, response: StreamingResponse, offset: int) -> TransferEnd | None:
        download = self._download
        status = response.status
        headers = response.headers
        if status == 416:
            return self._unsatisfiable(headers, offset)
        if status == 206:
            match = _CONTENT_RANGE.fullmatch(headers.get("Content-Range", "").strip())
            if match is None or int(match.group(1)) != offset:
                return None
            total_text = match.group(3)
            total = None if total_text == "*" else int(total_text)
            if total is not None and download.total_bytes not in (None, total):
                return None
        elif status == 200:
            offset = 0
            total = _content_length(headers)
        elif status in _TRANSIENT_STATUSES:
            raise DownloadFailedError(FailureReason.SERVER_TROUBLE, f"HTTP status {status}")
        else:
            raise DownloadFailedError(FailureReason.HTTP_ERROR, f"HTTP status {status}")

        chunks = response.chunks()
        first = b""
        if offset == 0:
            first = self._read_first_bytes(chunks)
            content_type = headers.get("Content-Type")
            small = total is None or total < HTML_REJECT_BELOW_BYTES
            if looks_like_html(None, first) or (looks_like_html(content_type, b"") and small):
                raise DownloadFailedError(
                    FailureReason.NOT_AUDIO,
                    f"{content_type or 'no type'} from {redact(response.url)}",
                )
            download.validator = _validator(headers)
            download.total_bytes = total
            if download.file_path and not part_path(Path(download.file_path)).exists():
                download.file_path = None  # the partial was removed meanwhile: claim a name anew
            if not download.file_path:
                info = ResponseInfo(
                    url=response.url,
                    content_type=content_type,
                    disposition_name=filename_from_content_disposition(
                        headers.get("Content-Disposition")
                    ),
                    first_bytes=first,
                )
                download.file_path = str(self._choose_path(info))
        final = Path(download.file_path or "")
        part = part_path(final)
        if not inside_folder(self._folder, part):
            raise DownloadFailedError(
                FailureReason.DISK_ERROR, f"{part} is outside the download folder {self._folder}"
            )
        if total is not None:
            _check_free_space(part.parent, total - offset)
        return self._write(
            part=part, final=final, offset=offset, total=total, first=first, chunks=chunks
        )

    @staticmethod
    def _read_first_bytes(chunks: Iterator[bytes]) -> bytes:
        first = b""
        while len(first) < SNIFF_BYTES:
            try:
                first += next(chunks)
            except StopIteration:
                break
            except HttpError as exc:
                raise DownloadFailedError(FailureReason.CONNECTION_LOST, str(exc)) from exc
        return first

    def _unsatisfiable(self, headers: Mapping[str, str], offset: int) -> TransferEnd | None:
        """A 416: the partial is already whole (finish it) or longer than the file (restart)."""
        match = _UNSATISFIED_RANGE.fullmatch(headers.get("Content-Range", "").strip())
        if match is not None and offset > 0 and int(match.group(1)) == offset:
            final = Path(self._download.file_path or "")
            self._download.total_bytes = offset
            self._download.received_bytes = offset
            self._finish(part_path(final), final)
            return TransferEnd.COMPLETED
        return None

    def _write(
        self,
        *,
        part: Path,
        final: Path,
        offset: int,
        total: int | None,
        first: bytes,
        chunks: Iterator[bytes],
    ) -> TransferEnd:
        received = offset
        try:
            with self._open_part(part) as out:
                _lock_exclusively(out, final)
                out.seek(offset)
                out.truncate()
                if first:
                    out.write(first)
                    received += len(first)
                    self._download.received_bytes = received
                    self._on_progress(received)
                while True:
                    if self._should_stop():
                        out.flush()
                        self._download.received_bytes = received
                        return TransferEnd.STOPPED
                    try:
                        chunk = next(chunks)
                    except StopIteration:
                        if self._should_stop():
                            continue  # an aborted read is no end of the file
                        break
                    except HttpError as exc:
                        out.flush()
                        self._download.received_bytes = received
                        raise DownloadFailedError(FailureReason.CONNECTION_LOST, str(exc)) from exc
                    out.write(chunk)
                    received += len(chunk)
                    self._download.received_bytes = received
                    self._on_progress(received)
                    if total is not None and received > total:
                        break
                out.flush()
                os.fsync(out.fileno())
        except FileNotFoundError as exc:
            raise DownloadFailedError(FailureReason.DISK_ERROR, f"{part} disappeared") from exc
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
                raise DownloadFailedError(FailureReason.NO_SPACE, "the disk is full") from exc
            raise DownloadFailedError(FailureReason.DISK_ERROR, exc.strerror or str(exc)) from exc
        self._download.received_bytes = received
        if total is not None and received < total:
            raise DownloadFailedError(
                FailureReason.CONNECTION_LOST, f"{received} of {total} bytes arrived"
            )
        if total is not None and received > total:
            part.unlink(missing_ok=True)
            self._download.received_bytes = 0
            raise DownloadFailedError(
                FailureReason.SIZE_MISMATCH, f"more than the announced {total} bytes arrived"
            )
        if received == 0:
            raise DownloadFailedError(FailureReason.SIZE_MISMATCH, "the server sent an empty file")
        self._download.total_bytes = received
        self._finish(part, final)
        return TransferEnd.COMPLETED

    def _finish(self, part: Path, final: Path) -> None:
        """Give the complete ``.part`` its final name without ever replacing another file."""
        if not inside_folder(self._folder, final):
            raise DownloadFailedError(
                FailureReason.DISK_ERROR, f"{final} is outside the download folder {self._folder}"
            )
        try:
            os.link(part, final)
        except FileExistsError as exc:
            if os.path.samefile(part, final):
                part.unlink()  # a crash came between the link and the unlink last time
                return
            raise DownloadFailedError(
                FailureReason.DISK_ERROR, f"another file named {final.name} appeared"
            ) from exc
        except OSError:
            if final.exists():
                raise DownloadFailedError(
                    FailureReason.DISK_ERROR, f"another file named {final.name} appeared"
                ) from None
            os.replace(part, final)
            return
        part.unlink()


def _content_length(headers: Mapping[str, str]) -> int | None:
    """The body's size on disk; unknown when the server compressed it anyway."""
    if headers.get("Content-Encoding", "identity").strip().lower() != "identity":
        return None
    try:
        value = int(headers.get("Content-Length", ""))
    except ValueError:
        return None
    return value if value >= 0 else None


def _lock_exclusively(out: BinaryIO, final: Path) -> None:
    """Make sure no other podplayer (the CLI beside the window) writes the same ``.part``."""
    if sys.platform == "win32":
        return
    try:
        fcntl.flock(out.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        raise DownloadFailedError(
            FailureReason.BUSY, f"{final.name} is being written by another podplayer"
        ) from exc
    except OSError:
        return  # a file system without locks: carry on unlocked


def _validator(headers: Mapping[str, str]) -> str | None:
    """A strong ETag, else Last-Modified: what If-Range may carry."""
    etag = headers.get("ETag", "").strip()
    if etag and not etag.startswith("W/"):
        return etag
    return headers.get("Last-Modified") or None


def _check_free_space(folder: Path, needed: int) -> None:
    free = shutil.disk_usage(folder).free
    if needed + FREE_SPACE_MARGIN_BYTES > free:
        raise DownloadFailedError(
            FailureReason.NO_SPACE,
            f"{_megabytes(needed)} needed, {_megabytes(free)} free in {folder}",
        )


def _megabytes(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB"
