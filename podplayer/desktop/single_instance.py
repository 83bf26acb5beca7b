"""One podplayer per data folder: a second launch hands its arguments to the running one and exits.

Two processes writing one library would fight over it; a desktop also expects a second launch (a
feed:// link clicked in a browser) to bring the running window forward and subscribe there.

QtNetwork (~2.7 MB) is imported only when a socket file is there to connect to, and when the
listener starts after the window shows: a plain start looks for the file and nothing more.
"""

from __future__ import annotations

import enum
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCryptographicHash, QObject, Signal

from podplayer.core.subscribe_links import feed_url_from_link

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalSocket

HANDOVER_TIMEOUT_MS = 3000
MAX_MESSAGE_BYTES = 64 * 1024
ACK = b"ok\n"
# Unix socket paths are limited to 108 bytes; longer ones fall back to the temp folder.
MAX_SOCKET_PATH = 100


class HandOver(enum.Enum):
    """What happened when a launch offered its arguments to a running podplayer."""

    DELIVERED = "delivered"
    NOT_RUNNING = "not-running"
    NO_ANSWER = "no-answer"


def socket_name(data_dir: Path) -> str:
    """The local socket of one data folder, in the private runtime folder when there is one."""
    folder = os.path.realpath(data_dir.expanduser())
    sha256 = QCryptographicHash.Algorithm.Sha256  # hashlib would load libcrypto at start
    digest = bytes(QCryptographicHash.hash(folder.encode(), sha256).toHex().data()).decode()[:16]
    file_name = f"podplayer-{os.getuid()}-{digest}.socket"
    runtime_dir = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime_dir and Path(runtime_dir).is_dir():
        candidate = str(Path(runtime_dir) / file_name)
        if len(candidate) <= MAX_SOCKET_PATH:
            return candidate
    return str(Path(tempfile.gettempdir()) / file_name)


def hand_over(
    name: str, arguments: Sequence[str], timeout_ms: int = HANDOVER_TIMEOUT_MS
) -> HandOver:
    """Give ``arguments`` to the podplayer listening on ``name``, if one is."""
    if not os.path.exists(name):  # a listener always has its socket file
        return HandOver.NOT_RUNNING
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return HandOver.NOT_RUNNING
    message = json.dumps({"arguments": list(arguments)}).encode() + b"\n"
    socket.write(message)
    answer = b""
    while ACK not in answer and socket.waitForReadyRead(timeout_ms):
        answer += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    return HandOver.DELIVERED if ACK in answer else HandOver.NO_ANSWER


class SingleInstance(QObject):
    """The running podplayer's end: accepts hand-overs and says what they asked for."""

    raise_requested = Signal()
    url_received = Signal(str)  # an http(s) feed URL to subscribe to

    def __init__(self, name: str) -> None:
        from PySide6.QtNetwork import QLocalServer

        super().__init__()
        self.name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> str:
        """Start accepting hand-overs; returns "" or a sentence saying why not."""
        from PySide6.QtNetwork import QLocalServer

        if self._server.listen(self.name):
            return ""
        # No one answered on this name (hand_over said NOT_RUNNING): a crash left the file behind.
        QLocalServer.removeServer(self.name)
        if self._server.listen(self.name):
            return ""
        return (
            f"A second podplayer could not hand links to this one ({self._server.errorString()}). "
            "Everything else works."
        )

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda socket=socket: self._read(socket))
            socket.disconnected.connect(lambda socket=socket: self._forget(socket))

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    def _read(self, socket: QLocalSocket) -> None:
        buffer = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if len(buffer) > MAX_MESSAGE_BYTES:
            socket.abort()
            return
        self._buffers[socket] = buffer
        if b"\n" not in buffer:
            return
        socket.write(ACK)
        socket.flush()
        self._deliver(buffer.split(b"\n", 1)[0])

    def _deliver(self, line: bytes) -> None:
        try:
            arguments = json.loads(line).get("arguments", [])
        except (ValueError, AttributeError):
            arguments = []
        self.receive(arguments if isinstance(arguments, list) else [])

    def receive(self, arguments: Sequence[object]) -> None:
        """Act on a launch's arguments (handed over, or this launch's own): raise, subscribe."""
        self.raise_requested.emit()
        for argument in arguments:
            url = feed_url_from_link(argument) if isinstance(argument, str) else None
            if url is not None:
                self.url_received.emit(url)
