"""Sync benchmark: podplayer against gpodder-fastapi-router on 127.0.0.1, with mygpoclient (the
library gPodder syncs with) doing the same work in the same run.

1. First sync, upload: a library of 500 podcasts x 40 episodes, each episode played or in
   progress: 500 subscriptions and 20,000 episode actions go up (mygpoclient: the same upload).
2. First sync, download: a second computer with the same podcasts and no play state logs in and
   pulls the 500 subscriptions and 20,000 actions and applies them (mygpoclient: the same pull).
3. A sync where nothing changed (median of 5).
Memory: how far the process's RSS rises during each sync (sampled every 5 ms).
Prints figures and ratios; asserts nothing. Needs .venv-sync-server (`make pytest` makes it).

    .venv/bin/python -m bench.sync [--podcasts 500] [--episodes 40] [--bcrypt-rounds 12]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mygpoclient.api import EpisodeAction as PhoneAction

from podplayer.core.models import Episode, Podcast
from tests.sync.conftest import RouterProcess, SyncServer
from tests.sync.desk import Desk, open_desk
from tests.sync.phone import phone


def _fill(desk: Desk, podcasts: int, episodes: int, with_state: bool) -> None:
    library = desk.library
    with library.transaction():
        for p in range(podcasts):
            podcast = library.podcasts.add(
                Podcast(url=f"http://feeds.example.com/{p}.xml", title=f"Podcast {p}")
            )
            assert podcast.id is not None
            library.episodes.add_many(
                [
                    Episode(
                        podcast_id=podcast.id,
                        guid=f"{p}-{e}",
                        duration_s=1800,
                        enclosure_url=f"http://media.example.com/{p}/{e}.mp3",
                        played=with_state and e % 2 == 0,
                        position_ms=(60_000 + e * 1000) if with_state and e % 2 else 0,
                        last_played_at=1_700_000_000.0 + e if with_state else None,
                    )
                    for e in range(episodes)
                ]
            )


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def _measured(work: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall seconds of ``work()``, how far its RSS rose above where it started (MB, sampled
    every 5 ms on a thread: tracing allocations would slow podplayer, not its peer), result."""
    start_rss = _rss_mb()
    peak = [start_rss]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.005):
            peak[0] = max(peak[0], _rss_mb())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    return seconds, max(peak[0], _rss_mb()) - start_rss, result


def _peer_upload(server: SyncServer, user: str, podcasts: int, episodes: int) -> float:
    client = phone(server.url, user)
    moment = datetime.fromtimestamp(1_700_000_000, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    actions = [
        PhoneAction(
            f"http://feeds.example.com/{p}.xml",
            f"http://media.example.com/{p}/{e}.mp3",
            "play",
            "peer",
            moment,
            started=0,
            position=1800 if e % 2 == 0 else 60 + e,
            total=1800,
        )
        for p in range(podcasts)
        for e in range(episodes)
    ]
    started = time.perf_counter()
    client.update_subscriptions(
        "peer", [f"http://feeds.example.com/{p}.xml" for p in range(podcasts)]
    )
    client.upload_episode_actions(actions)  # as gPodder does: one request
    return time.perf_counter() - started


def _peer_small_request(server: SyncServer, user: str) -> float:
    client = phone(server.url, user)
    started = time.perf_counter()
    client.pull_subscriptions("peer", int(time.time()))
    return time.perf_counter() - started


def _peer_download(server: SyncServer, user: str) -> tuple[float, int]:
    client = phone(server.url, user)
    started = time.perf_counter()
    client.pull_subscriptions("peer", 0)
    actions = client.download_episode_actions(since=0).actions
    return time.perf_counter() - started, len(actions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--podcasts", type=int, default=500)
    parser.add_argument("--episodes", type=int, default=40, help="per podcast")
    parser.add_argument("--bcrypt-rounds", type=int, default=12, help="the server's (default 12)")
    args = parser.parse_args()
    total = args.podcasts * args.episodes
    with tempfile.TemporaryDirectory(prefix="podplayer-bench-sync-") as folder:
        root = Path(folder)
        router = RouterProcess(root, bcrypt_rounds=args.bcrypt_rounds).start()
        try:
            server = SyncServer("gpodder-fastapi-router", router.url)
            user, peer_user = server.new_user(), server.new_user()
            print(
                f"gpodder-fastapi-router on 127.0.0.1 (bcrypt rounds {args.bcrypt_rounds}): "
                f"{args.podcasts} subscriptions, {total} episode actions"
            )

            desk = open_desk(root / "desk")
            _fill(desk, args.podcasts, args.episodes, with_state=True)
            desk.login(server.url, user, "gpodder")
            up_s, up_mb, up = _measured(desk.service.sync)
            peer_up_s = _peer_upload(server, peer_user, args.podcasts, args.episodes)
            print(
                f"first sync, upload:   podplayer {up_s:6.2f} s (sent {up.subscriptions_sent} "
                f"subscriptions, {up.actions_sent} actions; peak {up_mb:.1f} MB RSS growth)  "
                f"mygpoclient {peer_up_s:6.2f} s  ratio {up_s / peer_up_s:.2f}"
            )

            second = open_desk(root / "second")
            _fill(second, args.podcasts, args.episodes, with_state=False)
            second.login(server.url, user, "gpodder")
            down_s, down_mb, down = _measured(second.service.sync)
            peer_down_s, peer_count = _peer_download(server, peer_user)
            print(
                f"first sync, download: podplayer {down_s:6.2f} s (received "
                f"{down.actions_received} actions, applied {down.actions_applied}; peak "
                f"{down_mb:.1f} MB RSS growth)  mygpoclient pull only {peer_down_s:6.2f} s "
                f"({peer_count} actions)  ratio {down_s / peer_down_s:.2f}"
            )

            quiet = [_measured(desk.service.sync) for _ in range(5)]
            median = statistics.median(s for s, _mb, _r in quiet)
            sent = sum(r.actions_sent + r.subscriptions_sent for _s, _mb, r in quiet)
            requests = quiet[-1][2].requests
            peer = statistics.median(_peer_small_request(server, peer_user) for _ in range(5))
            print(
                f"no-change sync:       podplayer {median:6.3f} s median of 5 ({requests} "
                f"requests, changes sent: {sent}; peak "
                f"{max(mb for _s, mb, _r in quiet):.1f} MB RSS growth)  mygpoclient's smallest "
                f"request (the server checks the password each time) {peer:6.3f} s  ratio "
                f"{median / (requests * peer):.2f} of {requests} such requests"
            )
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"process peak RSS {rss:.0f} MB (library filling included)")
            desk.close()
            second.close()
        finally:
            router.stop()


if __name__ == "__main__":
    main()
