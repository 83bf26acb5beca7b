"""One podplayer per data folder: a second launch hands its arguments to the running one and exits.

Two processes writing one library would fight over it; a desktop also expects a second launch (a
feed:// link clicked in a browser) to bring the running window forward and subscribe there.
The socket is a plain Unix socket watched by a QSocketNotifier: QtNetwork (~3 MB resident, ~6-9 ms
to import before the window) is not needed for one line each way.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import json
import logging
import os
import socket
import struct
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCryptographicHash, QObject, QSocketNotifier, Signal

from podplayer.core.subscribe_links import feed_url_from_link

HANDOVER_TIMEOUT_MS = 3000
MAX_MESSAGE_BYTES = 64 * 1024
MAX_CONNECTIONS = 8
READ_CHUNK_BYTES = 16 * 1024
CONNECT_RETRY_MS = 20
ACK = b"ok\n"
# Unix socket paths are limited to 108 bytes; longer ones fall back to the temp folder.
MAX_SOCKET_PATH = 100
# struct ucred of SO_PEERCRED: pid_t pid, uid_t uid, gid_t gid.
PEER_CREDENTIALS = struct.Struct("iII")

log = logging.getLogger(__name__)


class HandOver(enum.Enum):
    """What happened when a launch offered its arguments to a running podplayer."""

    DELIVERED = "delivered"
    NOT_RUNNING = "not-running"
    NO_ANSWER = "no-answer"


def socket_name(data_dir: Path) -> str:
    """The socket file of one data folder, in the private runtime folder when there is one."""
    folder = os.path.realpath(data_dir.expanduser())
    sha256 = QCryptographicHash.Algorithm.Sha256  # hashlib would load libcrypto at start
    digest = bytes(QCryptographicHash.hash(folder.encode(), sha256).toHex().data()).decode()[:16]
    file_name = f"podplayer-{os.getuid()}-{digest}.socket"
    runtime_dir = Path(os.environ.get("XDG_RUNTIME_DIR", ""))
    if runtime_dir.is_absolute() and runtime_dir.is_dir():
        candidate = str(runtime_dir / file_name)
        if len(candidate) <= MAX_SOCKET_PATH:
            return candidate
    return str(Path(tempfile.gettempdir()) / file_name)


def peer_user(connection: socket.socket) -> int:
    """The user id of the process at the other end of a connected Unix socket."""
    credentials = connection.getsockopt(
        socket.SOL_SOCKET, socket.SO_PEERCRED, PEER_CREDENTIALS.size
    )
    return int(PEER_CREDENTIALS.unpack(credentials)[1])


def hand_over(
    name: str, arguments: Sequence[str], timeout_ms: int = HANDOVER_TIMEOUT_MS
) -> HandOver:
    """Give ``arguments`` to the podplayer listening on ``name``, if one is."""
    deadline = time.monotonic() + timeout_ms / 1000
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(timeout_ms / 1000)
        while True:
            try:
                connection.connect(name)
                break
            except BlockingIOError:  # its queue of connections is full: busy, or not accepting
                if time.monotonic() >= deadline:
                    return HandOver.NO_ANSWER
                time.sleep(CONNECT_RETRY_MS / 1000)
            except OSError:  # no file, a file a crash left behind, or not a socket
                return HandOver.NOT_RUNNING
        if peer_user(connection) != os.geteuid():  # another user's socket gets none of our links
            return HandOver.NOT_RUNNING
        answer = b""
        try:
            connection.settimeout(max(deadline - time.monotonic(), CONNECT_RETRY_MS / 1000))
            connection.sendall(json.dumps({"arguments": list(arguments)}).encode() + b"\n")
            while ACK not in answer:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                connection.settimeout(remaining)
                chunk = connection.recv(len(ACK))
                if not chunk:
                    break
                answer += chunk
        except OSError:  # a time-out, or it hung up
            pass
    return HandOver.DELIVERED if ACK in answer else HandOver.NO_ANSWER


@dataclass(eq=False)
class LaunchConnection:
    """A second launch talking to the running podplayer: its socket and what it sent so far."""

    socket: socket.socket
    notifier: QSocketNotifier
    received: bytearray = field(default_factory=bytearray)


@dataclass
class Listening:
    """The running podplayer's socket, what watches it, and the file it is bound to."""

    socket: socket.socket
    notifier: QSocketNotifier
    file: os.stat_result


class SingleInstance(QObject):
    """The running podplayer's end: accepts hand-overs and says what they asked for."""

    raise_requested = Signal()
    url_received = Signal(str)  # an http(s) feed URL to subscribe to

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self._listening: Listening | None = None
        self._connections: set[LaunchConnection] = set()

    def listen(self) -> str:
        """Start accepting hand-overs; returns "" or a sentence saying why not."""
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self._bind(server)
            server.listen(MAX_CONNECTIONS)
            server.setblocking(False)
            bound = os.stat(self.name)
        except OSError as exc:
            server.close()
            return (
                "A second podplayer could not hand links to this one "
                f"({exc.strerror or exc}). Everything else works."
            )
        notifier = QSocketNotifier(server.fileno(), QSocketNotifier.Type.Read, self)
        notifier.activated.connect(self._accept)
        self._listening = Listening(server, notifier, bound)
        return ""

    def _bind(self, server: socket.socket) -> None:
        """Bind to the name for this user only; replace a file a crash left, never a live socket."""
        try:
            server.bind(self.name)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            if self._someone_listens():
                raise OSError(errno.EADDRINUSE, f"another program listens on {self.name}") from exc
            os.unlink(self.name)
            server.bind(self.name)
        # Nobody can connect before listen(), so the mode is right before anyone can try.
        os.chmod(self.name, 0o600)

    def _someone_listens(self) -> bool:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.setblocking(False)
            return probe.connect_ex(self.name) in (0, errno.EAGAIN)

    def close(self) -> None:
        """Hang up on launches, stop listening and remove the socket file if it is still ours."""
        for connection in list(self._connections):
            self._forget(connection)
        listening, self._listening = self._listening, None
        if listening is None:
            return
        listening.notifier.setEnabled(False)
        listening.notifier.deleteLater()
        listening.socket.close()
        with contextlib.suppress(OSError):
            if os.path.samestat(os.stat(self.name), listening.file):
                os.unlink(self.name)

    def _accept(self) -> None:
        assert self._listening is not None
        while True:
            try:
                accepted, _ = self._listening.socket.accept()
            except BlockingIOError:
                return
            except OSError as exc:  # out of file descriptors: stop rather than spin on it
                log.warning("podplayer stopped listening for second launches (%s).", exc)
                self.close()
                return
            if len(self._connections) >= MAX_CONNECTIONS or peer_user(accepted) != os.geteuid():
                accepted.close()
            else:
                self._watch(accepted)

    def _watch(self, accepted: socket.socket) -> None:
        accepted.setblocking(False)
        notifier = QSocketNotifier(accepted.fileno(), QSocketNotifier.Type.Read, self)
        connection = LaunchConnection(accepted, notifier)
        self._connections.add(connection)
        notifier.activated.connect(lambda: self._read(connection))

    def _forget(self, connection: LaunchConnection) -> None:
        self._connections.discard(connection)
        connection.notifier.setEnabled(False)
        connection.notifier.deleteLater()
        connection.socket.close()

    def _read(self, connection: LaunchConnection) -> None:
        """Take what arrived; once a whole line is in, answer, hang up and act on it."""
        ended = False
        try:
            while len(connection.received) <= MAX_MESSAGE_BYTES:
                chunk = connection.socket.recv(READ_CHUNK_BYTES)
                if not chunk:
                    ended = True
                    break
                connection.received += chunk
        except BlockingIOError:
            pass
        except OSError:
            ended = True
        line, newline, _ = connection.received.partition(b"\n")
        if newline and len(line) <= MAX_MESSAGE_BYTES:
            with contextlib.suppress(OSError):
                connection.socket.send(ACK)
            self._forget(connection)
            self._deliver(bytes(line))
        elif ended or len(connection.received) > MAX_MESSAGE_BYTES:
            self._forget(connection)

    def _deliver(self, line: bytes) -> None:
        try:
            arguments = json.loads(line).get("arguments", [])
        except (ValueError, AttributeError, RecursionError):
            arguments = []
        self.receive(arguments if isinstance(arguments, list) else [])

    def receive(self, arguments: Sequence[object]) -> None:
        """Act on a launch's arguments (handed over, or this launch's own): raise, subscribe."""
        self.raise_requested.emit()
        for argument in arguments:
            url = feed_url_from_link(argument) if isinstance(argument, str) else None
            if url is not None:
                self.url_received.emit(url)
