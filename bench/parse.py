"""Parse benchmark: one 3000-item, notes-heavy feed (~7 MB) against a bare expat pass.

Run from the repository root: ``.venv/bin/python -m bench.parse [--items 3000]``. Prints the best
of several runs for: expat with no handlers (the floor), podplayer's parse_feed, feedparser with
and without its parse-time sanitizing, and gPodder's podcastparser when Debian's
python3-podcastparser is installed. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from xml.parsers import expat

import feedparser

from bench.generated_feeds import feed_xml
from podplayer.core.feeds.parse import parse_feed

PODCASTPARSER = Path("/usr/lib/python3/dist-packages/podcastparser.py")
URL = "http://127.0.0.1:8000/feed.xml"


def _best(work: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def _load_podcastparser() -> ModuleType | None:
    if not PODCASTPARSER.exists():
        return None
    spec = importlib.util.spec_from_file_location("podcastparser", PODCASTPARSER)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--items", type=int, default=3000)
    options.add_argument("--repeats", type=int, default=5)
    args = options.parse_args()
    body = feed_xml(1, args.items, "http://127.0.0.1:8000", paragraphs=3)
    print(f"feed: {args.items} items, {len(body) / 1e6:.1f} MB; best of {args.repeats}")

    def bare_expat() -> None:
        expat.ParserCreate().Parse(body, True)

    floor = _best(bare_expat, args.repeats)
    contenders: list[tuple[str, Callable[[], object], int]] = [
        ("podplayer parse_feed", lambda: parse_feed(body, URL), args.repeats),
        (
            "feedparser, sanitizing off",
            lambda: feedparser.parse(
                io.BytesIO(body), sanitize_html=False, resolve_relative_uris=False
            ),
            2,
        ),
        ("feedparser, defaults", lambda: feedparser.parse(io.BytesIO(body)), 1),
    ]
    podcastparser = _load_podcastparser()
    if podcastparser is not None:
        contenders.insert(
            1,
            (
                "podcastparser (gPodder)",
                lambda: podcastparser.parse(URL, io.BytesIO(body)),
                args.repeats,
            ),
        )
    else:
        print("podcastparser is not installed: apt-get install python3-podcastparser to compare.")
    print(f"  {'bare expat pass (floor)':<28} {floor:7.3f} s    1.0x")
    for name, work, repeats in contenders:
        seconds = _best(work, repeats)
        print(f"  {name:<28} {seconds:7.3f} s {seconds / floor:6.1f}x")


if __name__ == "__main__":
    main()
