"""The model hub's API as faster-whisper's downloader (huggingface_hub) uses it, on 127.0.0.1:
repository info, file tree and files, served from a model folder under a named repository."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.http_server import TestHttpServer

COMMIT = "0123456789abcdef0123456789abcdef01234567"
FILES = ("config.json", "tokenizer.json", "vocabulary.json", "model.bin")


def serve_model(
    server: TestHttpServer, repository: str, folder: Path, *, declared_sha256: str | None = None
) -> int:
    """Serve ``folder`` as ``repository``; ``declared_sha256`` overrides model.bin's checksum.
    Returns the bytes in all."""
    data = {name: (folder / name).read_bytes() for name in FILES}
    entries = []
    for name, body in data.items():
        entry: dict[str, object] = {
            "rfilename": name,
            "size": len(body),
            "blobId": hashlib.sha1(body).hexdigest(),
        }
        if name == "model.bin":
            sha256 = declared_sha256 or hashlib.sha256(body).hexdigest()
            entry["lfs"] = {"sha256": sha256, "size": len(body), "pointerSize": 134}
        entries.append(entry)
    info = json.dumps({"id": repository, "sha": COMMIT, "siblings": entries}).encode()
    for path in (f"/api/models/{repository}", f"/api/models/{repository}/revision/main"):
        server.route(path, body=info, content_type="application/json")
    tree = []
    for entry in entries:
        item = {"type": "file", "path": entry["rfilename"], "size": entry["size"]}
        item["oid"] = entry["blobId"]
        lfs = entry.get("lfs")
        if isinstance(lfs, dict):
            item["lfs"] = {"oid": lfs["sha256"], "size": entry["size"], "pointerSize": 134}
        tree.append(item)
    server.route(
        f"/api/models/{repository}/tree/{COMMIT}",
        body=json.dumps(tree).encode(),
        content_type="application/json",
    )
    for name, body in data.items():
        etag = (
            hashlib.sha256(body).hexdigest()
            if name == "model.bin"
            else hashlib.sha1(body).hexdigest()
        )
        headers = {"X-Repo-Commit": COMMIT, "ETag": f'"{etag}"'}
        if name == "model.bin":
            headers.update({"X-Linked-Etag": f'"{etag}"', "X-Linked-Size": str(len(body))})
        server.route(f"/{repository}/resolve/{COMMIT}/{name}", body=body, headers=headers)
    return sum(len(body) for body in data.values())
