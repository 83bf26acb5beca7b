"""Transcript benchmark: cue lookup and follower cost for 100,000 cues, parse time, and the
pane's load and highlight-move time for 5,000 cues. Prints figures against the targets
(lookup < 10 us, load < 300 ms, highlight move < 5 ms); asserts nothing.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python -m bench.transcript
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable

from podplayer.core.models import Cue
from podplayer.core.transcripts.parsing import parse_transcript
from podplayer.core.transcripts.timeline import Transcript, TranscriptFollower
from podplayer.core.transcripts.timestamps import format_precise

LOOKUP_TARGET_US = 10.0
LOAD_TARGET_MS = 300.0
MOVE_TARGET_MS = 5.0
WORDS = [
    "so",
    "the",
    "thing",
    "about",
    "podcasts",
    "is",
    "that",
    "people",
    "listen",
    "while",
    "they",
    "do",
    "other",
    "things",
    "and",
    "a",
    "transcript",
    "lets",
    "them",
    "find",
    "the",
    "part",
    "they",
    "remember",
    "and",
    "jump",
    "right",
    "back",
    "to",
    "it",
    "later",
    "on",
]


def synthetic_cues(count: int, seed: int = 1) -> list[Cue]:
    """Cues of 1.5-4 s with 6-20 words, two speakers, like a real conversation."""
    generator = random.Random(seed)
    cues: list[Cue] = []
    start = 0
    for number in range(count):
        length = generator.randrange(1500, 4000)
        words = generator.randrange(6, 21)
        text = " ".join(generator.choice(WORDS) for _ in range(words)).capitalize() + "."
        cues.append(Cue(start, start + length, text, "Ann" if number // 7 % 2 else "Bob"))
        start += length
    return cues


def as_vtt(cues: list[Cue]) -> bytes:
    lines = ["WEBVTT", ""]
    for cue in cues:
        lines += [
            f"{format_precise(cue.start_ms or 0)} --> {format_precise(cue.end_ms or 0)}",
            f"<v {cue.speaker}>{cue.text}",
            "",
        ]
    return "\n".join(lines).encode()


def per_call_us(function: Callable[[], object], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        function()
    return (time.perf_counter() - start) / calls * 1e6


def bench_core(cue_count: int) -> None:
    cues = synthetic_cues(cue_count)
    transcript = Transcript.build(cues, timed=True, format_name="bench")
    end = cues[-1].end_ms or 0
    generator = random.Random(2)
    positions = [generator.randrange(0, end) for _ in range(200_000)]
    iterator = iter(positions)
    lookup_us = per_call_us(lambda: transcript.index_at(next(iterator)), len(positions))
    print(
        f"index_at, {cue_count:,} cues, random positions: {lookup_us:.2f} us per lookup "
        f"(target < {LOOKUP_TARGET_US:.0f} us: {LOOKUP_TARGET_US / lookup_us:.0f}x under)"
    )

    follower = TranscriptFollower(transcript)
    ticks = list(range(0, end, 50))  # the playback ticker's 50 ms steps through the whole episode
    changes = 0
    start = time.perf_counter()
    for position in ticks:
        changed, _ = follower.update(position)
        changes += changed
    follow_us = (time.perf_counter() - start) / len(ticks) * 1e6
    print(
        f"follower, {len(ticks):,} ticks of 50 ms over {cue_count:,} cues: {follow_us:.2f} us "
        f"per tick, {changes:,} changes emitted (one per cue)"
    )

    seeker = TranscriptFollower(transcript)
    seek_iterator = iter(positions)
    seek_us = per_call_us(lambda: seeker.update(next(seek_iterator)), len(positions))
    print(f"follower after random seeks: {seek_us:.2f} us per update")

    parse_count = cue_count // 2
    body = as_vtt(cues[:parse_count])
    start = time.perf_counter()
    parsed = parse_transcript(body, "text/vtt")
    parse_s = time.perf_counter() - start
    print(
        f"parse_transcript, {parse_count:,}-cue WebVTT ({len(body) / 1e6:.1f} MB): "
        f"{parse_s * 1000:.0f} ms, {len(parsed.cues):,} cues (runs in the background)"
    )
    whole = as_vtt(cues)
    refused = parse_transcript(whole, "text/vtt")
    print(
        f"the {cue_count:,}-cue file ({len(whole) / 1e6:.1f} MB) is over the size cap: "
        f"{refused.problem}"
    )


def bench_pane(cue_count: int, moves: int) -> None:
    from PySide6.QtWidgets import QApplication

    from podplayer.gui.views.transcript_pane import TranscriptPane

    app = QApplication.instance() or QApplication(sys.argv[:1])
    transcript = Transcript.build(synthetic_cues(cue_count), timed=True, format_name="bench")
    pane = TranscriptPane()
    pane.resize(480, 800)
    pane.show()
    app.processEvents()
    loads = []
    for _ in range(3):
        pane.set_transcript(None)
        app.processEvents()
        start = time.perf_counter()
        pane.set_transcript(transcript)
        pane.set_position((transcript.cues[cue_count // 2].start_ms or 0) + 1)
        pane.view.viewport().repaint()
        app.processEvents()
        loads.append((time.perf_counter() - start) * 1000)
    load_ms = statistics.median(loads)
    print(
        f"pane load, {cue_count:,} cues, 480x800, shown at the middle cue: {load_ms:.0f} ms "
        f"median of 3 (target < {LOAD_TARGET_MS:.0f} ms)"
    )

    first = cue_count // 3
    times = []
    for row in range(first, first + moves):
        position = (transcript.cues[row].start_ms or 0) + 1
        start = time.perf_counter()
        pane.set_position(position)
        app.processEvents()  # runs the repaint of what moved, as the event loop would
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(
        f"highlight move to the next cue (scroll + repaint), {moves} moves: median "
        f"{statistics.median(times):.2f} ms, 95th percentile {times[int(len(times) * 0.95)]:.2f} "
        f"ms, max {times[-1]:.2f} ms (target < {MOVE_TARGET_MS:.0f} ms)"
    )

    start = time.perf_counter()
    count = pane.find_text("podcast")
    app.processEvents()
    print(
        f"find 'podcast' in {cue_count:,} cues: {(time.perf_counter() - start) * 1000:.0f} ms, "
        f"{count:,} matches"
    )
    pane.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cues", type=int, default=100_000, help="cues for lookup/follower")
    parser.add_argument("--pane-cues", type=int, default=5_000, help="cues shown in the pane")
    parser.add_argument("--moves", type=int, default=300, help="highlight moves to time")
    args = parser.parse_args()
    bench_core(args.cues)
    bench_pane(args.pane_cues, args.moves)


if __name__ == "__main__":
    main()
