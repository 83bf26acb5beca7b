"""Generates the demo podcast in resources/demo/ with espeak-ng and ffmpeg: run once, commit."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QLinearGradient, QPainter

DEMO_DIR = Path(__file__).resolve().parent.parent / "resources" / "demo"
GAP_MS = 450
CHAPTERS: list[tuple[str, list[str]]] = [
    (
        "Welcome",
        [
            "Welcome to podplayer.",
            "This short demo episode lives on your computer, so it plays without a network.",
            "Everything you hear is also written in the transcript next to the player.",
        ],
    ),
    (
        "Speed",
        [
            "Press the speed button to listen faster or slower.",
            "You can choose from half speed up to three times speed.",
            "The square bracket keys change the speed in small steps.",
        ],
    ),
    (
        "Sleep timer",
        [
            "The moon button sets a sleep timer.",
            "Playback fades out and pauses when the timer runs out.",
            "It can also stop at the end of this chapter or at the end of the episode.",
        ],
    ),
    (
        "Transcript",
        [
            "Click any line of the transcript to jump straight to it.",
            "The highlighted line follows the voice as it speaks.",
            "When you are done, remove this demo like any other podcast, and add your own.",
        ],
    ),
]
FEED_TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:podcast="https://podcastindex.org/namespace/1.0">
  <channel>
    <title>podplayer demo</title>
    <link>https://github.com/podplayer/podplayer</link>
    <description>A one-minute tour of podplayer that plays offline.
      Remove it whenever you like.</description>
    <language>en</language>
    <itunes:author>podplayer</itunes:author>
    <itunes:image href="artwork.png"/>
    <item>
      <guid isPermaLink="false">podplayer-demo-welcome-1</guid>
      <title>Welcome to podplayer</title>
      <pubDate>Thu, 26 Nov 2026 08:00:00 +0000</pubDate>
      <itunes:duration>{duration_s}</itunes:duration>
      <enclosure url="welcome.mp3" type="audio/mpeg" length="{length}"/>
      <podcast:transcript url="welcome.vtt" type="text/vtt" language="en" rel="captions"/>
      <podcast:chapters url="chapters.json" type="application/json+chapters"/>
      <description><![CDATA[<p>A short spoken tour: try the <b>speed</b> button, the
<b>sleep timer</b> and a click on any transcript line.</p>
<p>Chapters: 00:00 Welcome, 00:13 Speed, 00:25 Sleep timer, 00:37 Transcript.</p>]]></description>
    </item>
  </channel>
</rss>
"""


def _speak(text: str, target: Path) -> None:
    subprocess.run(
        ["espeak-ng", "-v", "en-us", "-s", "155", "-w", str(target), text],
        check=True,
    )


def _timestamp(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _artwork(target: Path) -> None:
    image = QImage(600, 600, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    gradient = QLinearGradient(0, 0, 600, 600)
    gradient.setColorAt(0, QColor("#1d4e89"))
    gradient.setColorAt(1, QColor("#00a6a6"))
    painter.fillRect(0, 0, 600, 600, gradient)
    painter.setPen(QColor("white"))
    painter.setFont(QFont("DejaVu Sans", 64, QFont.Weight.Bold))
    painter.drawText(QRectF(0, 140, 600, 160), Qt.AlignmentFlag.AlignCenter, "podplayer")
    painter.setFont(QFont("DejaVu Sans", 40))
    painter.drawText(QRectF(0, 320, 600, 120), Qt.AlignmentFlag.AlignCenter, "demo")
    painter.end()
    image.save(str(target), "PNG")


def main() -> int:
    QGuiApplication(sys.argv[:1])
    DEMO_DIR.mkdir(parents=True, exist_ok=True)
    cues: list[str] = ["WEBVTT", ""]
    chapters: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as scratch:
        frames: list[bytes] = []
        params = None
        position_ms = 300
        silence_lead = b""
        for chapter_title, sentences in CHAPTERS:
            chapter_start_ms = position_ms if chapters else 0
            chapters.append({"startTime": chapter_start_ms / 1000, "title": chapter_title})
            for sentence in sentences:
                part = Path(scratch) / f"{len(frames)}.wav"
                _speak(sentence, part)
                with wave.open(str(part), "rb") as reader:
                    if params is None:
                        params = reader.getparams()
                        frame_bytes = params.sampwidth * params.nchannels
                        silence_lead = b"\0" * (params.framerate * 300 // 1000) * frame_bytes
                        frames.append(silence_lead)
                    data = reader.readframes(reader.getnframes())
                    length_ms = reader.getnframes() * 1000 // reader.getframerate()
                cues += [f"{_timestamp(position_ms)} --> {_timestamp(position_ms + length_ms)}"]
                cues += [f"<v Narrator>{sentence}", ""]
                gap = b"\0" * (params.framerate * GAP_MS // 1000) * frame_bytes
                frames += [data, gap]
                position_ms += length_ms + GAP_MS
        assert params is not None
        joined = Path(scratch) / "episode.wav"
        with wave.open(str(joined), "wb") as writer:
            writer.setparams(params)
            writer.writeframes(b"".join(frames))
        subprocess.run(
            [
                *("ffmpeg", "-loglevel", "error", "-y", "-i", str(joined), "-ac", "1"),
                *("-ar", "22050", "-b:a", "32k", "-metadata", "title=Welcome to podplayer"),
                *("-id3v2_version", "3", str(DEMO_DIR / "welcome.mp3")),
            ],
            check=True,
        )
    (DEMO_DIR / "welcome.vtt").write_text("\n".join(cues), encoding="utf-8")
    (DEMO_DIR / "chapters.json").write_text(
        json.dumps({"version": "1.2.0", "chapters": chapters}, indent=2) + "\n", encoding="utf-8"
    )
    _artwork(DEMO_DIR / "artwork.png")
    audio_bytes = (DEMO_DIR / "welcome.mp3").stat().st_size
    (DEMO_DIR / "feed.xml").write_text(
        FEED_TEMPLATE.format(duration_s=round(position_ms / 1000), length=audio_bytes),
        encoding="utf-8",
    )
    print(f"demo episode: {position_ms / 1000:.1f} s, {audio_bytes} bytes, in {DEMO_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
