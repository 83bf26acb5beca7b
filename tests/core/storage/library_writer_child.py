"""Another process writing to the same library: a refresh-like merge loop and position saves.

Usage: python -m tests.core.storage.library_writer_child DATABASE PODCAST_ID NAME COUNT
Prints "DONE" after COUNT transactions, or "FAILED <error>" on the first error.
"""

from __future__ import annotations

import sys
from pathlib import Path

from podplayer.core.models import Episode
from podplayer.core.storage.library import Library


def main(database: Path, podcast_id: int, name: str, count: int) -> None:
    library = Library.open(database)
    try:
        for number in range(count):
            with library.transaction():
                episode = library.episodes.add(
                    Episode(podcast_id=podcast_id, guid=f"{name}-{number}", title=name)
                )
                assert episode.id is not None
                library.episodes.save_position(episode.id, number * 1000)
            library.settings.set(f"{name}.last", number)
    except Exception as exc:  # reported to the test, which fails on it
        print(f"FAILED {type(exc).__name__}: {exc}", flush=True)
        return
    finally:
        library.close()
    print("DONE", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
