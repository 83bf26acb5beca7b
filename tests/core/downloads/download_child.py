"""A download run in its own process so a test can kill -9 it mid-transfer or mid-rename.

Usage: python -m tests.core.downloads.download_child DATA_DIR EPISODE_ID (transfer|link)
"transfer": downloads until killed (the test's server sends slowly). "link": prints "LINKED" once
the finished ``.part`` got its final name as a second link, before the ``.part`` is removed, and
waits there to be killed.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from podplayer.core.downloads import DownloadManager
from podplayer.core.http import HttpClient
from podplayer.core.paths import AppPaths
from podplayer.core.storage.library import Library


def main(data_dir: Path, episode_id: int, hold_at: str) -> None:
    paths = AppPaths.in_folder(data_dir)
    library = Library.open(paths.database)
    if hold_at == "link":
        real_link = os.link

        def link_then_hold(source: object, target: object) -> None:
            real_link(source, target)  # type: ignore[arg-type]
            print("LINKED", flush=True)
            time.sleep(60)

        os.link = link_then_hold  # type: ignore[assignment]
    manager = DownloadManager(library, HttpClient(), paths.downloads_dir, retry_delays_s=())
    manager.start(episode_id)
    print("STARTED", flush=True)
    time.sleep(60)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
