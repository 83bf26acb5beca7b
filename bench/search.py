"""Search benchmark: a generated library (2,000 episodes, hour-long transcripts of ~9,000 words,
show notes), the time to build the index, its size against the text, and query latency (p50/p95)
for one word, three words, a phrase and a prefix, against a peer measured in the same run: a
plain ``LIKE '%word%'`` scan over the same text. Targets: p95 < 50 ms, index <= 1.5x the text.
Asserts nothing.

    .venv/bin/python -m bench.search                # the full library (several minutes)
    .venv/bin/python -m bench.search --episodes 200 # a quick look
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from podplayer.core.models import Cue, Episode, Podcast
from podplayer.core.search.index import SearchIndex
from podplayer.core.search.passages import unpack_text
from podplayer.core.storage.library import Library
from podplayer.core.storage.search import SearchRepository

P95_TARGET_MS = 50.0
SIZE_TARGET = 1.5
VOCABULARY = 30_000
WORDS_PER_EPISODE = 9_000
WORDS_PER_CUE = 9
CUE_MS = 3_600_000 * WORDS_PER_CUE // WORDS_PER_EPISODE
PODCASTS = 40
RUNS = 40
PEER_RUNS = 5
_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "po", "de", "fa", "gu", "hi", "ja", "ve",
              "zo", "bre", "cla", "dri", "fle", "gro", "pla", "stu", "tra")  # fmt: skip


def vocabulary(rng: random.Random) -> list[str]:
    """Made-up words of 1-4 syllables, some with accents, in order of frequency (Zipf)."""
    words: dict[str, None] = {}
    while len(words) < VOCABULARY:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4)))
        if rng.random() < 0.03:
            word = word.replace("e", "é", 1)
        words[word] = None
    return list(words)


def build_library(folder: Path, episodes: int, rng: random.Random) -> tuple[Library, list[str]]:
    """Podcasts and episodes with notes; transcripts are indexed by ``index_transcripts``."""
    words = vocabulary(rng)
    library = Library.open(folder / "library.db")
    per_podcast = max(1, episodes // PODCASTS)
    for number in range(PODCASTS):
        podcast = library.podcasts.add(
            Podcast(url=f"http://127.0.0.1/{number}", title=f"Show {number}")
        )
        assert podcast.id is not None
        batch = []
        for item in range(per_podcast):
            notes = " ".join(rng.choices(words[:5000], k=120))
            chapters = "".join(
                f"<p>{m:02d}:00 {' '.join(rng.choices(words, k=6))}</p>" for m in range(0, 60, 10)
            )
            batch.append(
                Episode(
                    podcast_id=podcast.id,
                    guid=f"{number}-{item}",
                    title=" ".join(rng.choices(words[:3000], k=5)),
                    published=1_600_000_000 + item * 86_400 + number,
                    notes_html=f"<p>{notes}</p>{chapters}",
                )
            )
        library.episodes.add_many(batch)
    return library, words


def transcript(words: Sequence[str], weights: Sequence[float], rng: random.Random) -> list[Cue]:
    chosen = rng.choices(words, cum_weights=weights, k=WORDS_PER_EPISODE)
    return [
        Cue(n * CUE_MS, (n + 1) * CUE_MS, " ".join(chosen[i : i + WORDS_PER_CUE]))
        for n, i in enumerate(range(0, len(chosen), WORDS_PER_CUE))
    ]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def timed(run: Callable[[str], object], queries: Sequence[str]) -> tuple[float, float, str]:
    """p50 and p95 in ms, and the slowest query."""
    samples = []
    for query in queries:
        started = time.perf_counter()
        run(query)
        samples.append(((time.perf_counter() - started) * 1000, query))
    p50, p95 = percentiles([ms for ms, _ in samples])
    return p50, p95, max(samples)[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--episodes", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--keep", type=Path, help="build the library in this folder and keep it; reuse it if built"
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    print(f"load average: {os.getloadavg()[0]:.2f} (2 cores shared; rerun when it is low)")
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        if (folder / "library.db").exists():
            library, words = Library.open(folder / "library.db"), vocabulary(rng)
            print(f"index build: not measured (the library in {folder} was reused)")
        else:
            folder.mkdir(parents=True, exist_ok=True)
            library, words = build_library(folder, args.episodes, rng)
            build_index(library, words, rng)
            build_peer(library)
        try:
            report_size(library)
            report_queries(library, words, rng)
        finally:
            library.close()


def build_index(library: Library, words: list[str], rng: random.Random) -> None:
    """Index every episode's transcript (one transaction each, as the app does), then notes."""
    index = SearchIndex(SearchRepository(library.db))
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))
    episode_ids = [row[0] for row in library.db.execute("SELECT id FROM episodes")]
    build = 0.0
    for episode_id in episode_ids:
        cues = transcript(words, cumulative, rng)
        started = time.perf_counter()
        index.index_transcript(episode_id, cues, source="published")
        build += time.perf_counter() - started
    started = time.perf_counter()
    index.catch_up()
    build += time.perf_counter() - started
    per_episode = build / len(episode_ids) * 1000
    print(f"index build: {build:.1f} s for {len(episode_ids)} episodes ({per_episode:.1f} ms each)")


def report_size(library: Library) -> None:
    library.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    text_bytes = sum(
        len("\n".join(unpack_text(row[0])).encode())
        for row in library.db.execute("SELECT text FROM search_docs")
    )
    sizes = {
        row[0]: row[1]
        for row in library.db.execute(
            "SELECT name, sum(pgsize) FROM dbstat WHERE name LIKE 'search%'"
            " OR name LIKE 'sqlite_autoindex_search%' GROUP BY name ORDER BY 2 DESC"
        )
    }
    index_bytes = sum(sizes.values())
    passages = library.db.execute("SELECT count(*) FROM search_fts_docsize").fetchone()[0]
    print(f"passages indexed: {passages:,}")
    print(
        f"text {text_bytes / 1e6:.1f} MB; index (compressed text + FTS5) "
        f"{index_bytes / 1e6:.1f} MB = {index_bytes / text_bytes:.2f}x (target <= {SIZE_TARGET}x)"
    )
    print("  " + ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in sizes.items()))


def report_queries(library: Library, words: list[str], rng: random.Random) -> None:
    index = SearchIndex(SearchRepository(library.db))
    middle = words[200:5000]
    phrases = []
    for (text,) in library.db.execute(
        "SELECT text FROM search_docs WHERE kind = 2 ORDER BY random() LIMIT ?", (RUNS,)
    ).fetchall():
        spoken = rng.choice(unpack_text(text)).split()
        at = rng.randrange(len(spoken) - 2)
        phrases.append('"' + " ".join(spoken[at : at + 2]) + '"')
    sets = {
        "one word": [rng.choice(middle) for _ in range(RUNS)],
        "three words": [" ".join(rng.choices(words[50:3000], k=3)) for _ in range(RUNS)],
        "phrase": phrases,
        "prefix": [rng.choice(middle)[:4] + "*" for _ in range(RUNS)],
    }
    print(f"{'query':<12} {'p50 ms':>8} {'p95 ms':>8}   peer: LIKE scan of the same text, p50")
    slowest = []
    for name, queries in sets.items():
        p50, p95, worst = timed(lambda q: index.search(q, limit=20), queries)
        peer = timed(lambda q: like_scan(library, q), queries[:PEER_RUNS])[0]
        verdict = "ok" if p95 < P95_TARGET_MS else "OVER TARGET"
        print(
            f"{name:<12} {p50:>8.1f} {p95:>8.1f}   {peer:>8.1f} ms "
            f"({peer / p50:.0f}x our p50)  {verdict}"
        )
        slowest.append((name, worst))
    common = words[:10]
    total = library.db.execute("SELECT count(*) FROM search_fts_docsize").fetchone()[0]
    share = statistics.mean(
        library.db.execute(
            "SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", (f'"{word}"',)
        ).fetchone()[0]
        / total
        for word in common
    )
    p50, p95, _ = timed(lambda q: index.search(q, limit=20), common)
    print(
        f"{'10 commonest':<12} {p50:>8.1f} {p95:>8.1f}   (each word in {share:.0%} of the "
        "passages on average)"
    )
    for name, query in slowest:
        print(f"slowest {name}: {query} (matches {matching(library, query):,} passages)")


def matching(library: Library, query: str) -> int:
    """How many passages match, to tell a slow query's cause."""
    from podplayer.core.search.query import parse_query

    expression = parse_query(query).match_expression
    return int(
        library.db.execute(
            "SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", (expression,)
        ).fetchone()[0]
    )


def build_peer(library: Library) -> None:
    """The peer's table: the same passages as plain text, one row each (not counted above)."""
    with library.transaction():
        library.db.execute("CREATE TABLE peer_text (episode_id INTEGER, body TEXT)")
        for episode_id, text in library.db.execute(
            "SELECT episode_id, text FROM search_docs"
        ).fetchall():
            library.db.executemany(
                "INSERT INTO peer_text VALUES (?, ?)", [(episode_id, p) for p in unpack_text(text)]
            )


def like_scan(library: Library, query: str) -> list[int]:
    """The peer: episodes whose text holds every word, by a full scan, best count first."""
    terms = (
        [term.strip('"*') for term in query.split()]
        if not query.startswith('"')
        else [query.strip('"')]
    )
    where = " AND ".join("body LIKE ?" for _ in terms)
    rows = library.db.execute(
        f"SELECT episode_id, count(*) AS n FROM peer_text WHERE {where}"
        " GROUP BY episode_id ORDER BY n DESC LIMIT 20",
        [f"%{term}%" for term in terms],
    )
    return [row[0] for row in rows]


if __name__ == "__main__":
    main()
