"""The store fetches the best transcript over real HTTP, caches it per episode and URL, and
falls back to show notes; the user's own file wins."""

from __future__ import annotations

from pathlib import Path

from podplayer.core.http import HttpClient
from podplayer.core.models import Episode, TranscriptRef
from podplayer.core.paths import AppPaths
from podplayer.core.transcripts.choice import rank_transcript_refs
from podplayer.core.transcripts.store import NO_TRANSCRIPT_MESSAGE, TranscriptStore
from tests.http_server import TestHttpServer

DATA = Path(__file__).resolve().parents[2] / "data" / "transcripts"


def make_store(paths: AppPaths, **limits: int) -> TranscriptStore:
    return TranscriptStore(paths.transcripts_cache_dir, HttpClient(deadline=10), **limits)


def episode_with(*refs: TranscriptRef, notes: str = "", episode_id: int = 7) -> Episode:
    return Episode(podcast_id=1, guid="g", id=episode_id, transcripts=list(refs), notes_html=notes)


def serve(server: TestHttpServer, path: str, name: str, content_type: str) -> str:
    server.route(path, body=(DATA / name).read_bytes(), content_type=content_type)
    return server.url(path)


def test_ranking_prefers_timed_formats_then_the_podcasts_language() -> None:
    refs = [
        TranscriptRef("https://x/t.html", "text/html", "en"),
        TranscriptRef("https://x/t.txt", "text/plain", "en"),
        TranscriptRef("https://x/t-de.vtt", "text/vtt", "de"),
        TranscriptRef("https://x/t.srt", "application/x-subrip", "en"),
        TranscriptRef("https://x/t.json", "application/json", "en-US"),
        TranscriptRef("https://x/t.vtt", "text/vtt", "en"),
        TranscriptRef("https://x/captions", "text/plain", "en", rel="captions"),
    ]
    ranked = [ref.url.rsplit("/", 1)[1] for ref in rank_transcript_refs(refs, "en-us")]
    assert ranked == [
        "t.vtt",
        "t.json",
        "t.srt",
        "captions",
        "t-de.vtt",
        "t.html",
        "t.txt",
    ]
    german_first = rank_transcript_refs(refs, "de")[0]
    assert german_first.url.endswith("t-de.vtt")


def test_fetches_the_best_ref_once_and_then_reads_the_cache(
    app_paths: AppPaths, http_server: TestHttpServer
) -> None:
    html = serve(http_server, "/t.html", "transcript.html", "text/html")
    vtt = serve(http_server, "/t.vtt", "transcript.vtt", "text/vtt")
    store = make_store(app_paths)
    episode = episode_with(TranscriptRef(html, "text/html"), TranscriptRef(vtt, "text/vtt"))
    first = store.transcript_for(episode, "en")
    assert first.format_name == "WebVTT" and len(first.cues) == 7
    second = make_store(app_paths).transcript_for(episode, "en")  # a new run of the app
    assert second == first
    assert len(http_server.requests_for("/t.vtt")) == 1
    assert http_server.requests_for("/t.html") == []
    cached = store.cached_source(7, vtt)
    assert cached is not None and cached.url == vtt
    assert (app_paths.transcripts_cache_dir / "7").is_dir()


def test_a_changed_url_is_fetched_again_and_the_old_body_dropped(
    app_paths: AppPaths, http_server: TestHttpServer
) -> None:
    old = serve(http_server, "/old.srt", "transcript.srt", "application/x-subrip")
    new = serve(http_server, "/new.vtt", "transcript.vtt", "text/vtt")
    store = make_store(app_paths)
    assert store.transcript_for(episode_with(TranscriptRef(old, "application/srt"))).readable
    moved = store.transcript_for(episode_with(TranscriptRef(new, "text/vtt")))
    assert moved.format_name == "WebVTT"
    assert len(http_server.requests_for("/new.vtt")) == 1
    assert store.cached_source(7, old) is None
    assert len(list((app_paths.transcripts_cache_dir / "7").iterdir())) == 2  # body + meta


def test_a_failing_ref_falls_back_to_the_next(
    app_paths: AppPaths, http_server: TestHttpServer
) -> None:
    http_server.route("/gone.vtt", status=404, body=b"no")
    http_server.route("/garbage.json", body=b"{not json", content_type="application/json")
    srt = serve(http_server, "/ok.srt", "transcript.srt", "application/srt")
    episode = episode_with(
        TranscriptRef(http_server.url("/gone.vtt"), "text/vtt"),
        TranscriptRef(http_server.url("/garbage.json"), "application/json"),
        TranscriptRef(srt, "application/srt"),
    )
    transcript = make_store(app_paths).transcript_for(episode)
    assert transcript.format_name == "SRT"


def test_nothing_usable_gives_a_sentence(app_paths: AppPaths, http_server: TestHttpServer) -> None:
    http_server.route("/gone.vtt", status=500, body=b"")
    episode = episode_with(TranscriptRef(http_server.url("/gone.vtt"), "text/vtt"))
    transcript = make_store(app_paths).transcript_for(episode)
    assert not transcript.readable
    assert transcript.problem.startswith("The transcript could not be downloaded")
    assert "500" in transcript.problem
    assert make_store(app_paths).transcript_for(episode_with()).problem == NO_TRANSCRIPT_MESSAGE


def test_oversized_transcript_is_refused_and_not_cached(
    app_paths: AppPaths, http_server: TestHttpServer
) -> None:
    http_server.route("/huge.vtt", body=b"WEBVTT\n\n" + b"x" * 50_000, content_type="text/vtt")
    store = make_store(app_paths, max_bytes=10_000)
    transcript = store.transcript_for(
        episode_with(TranscriptRef(http_server.url("/huge.vtt"), "text/vtt"))
    )
    assert not transcript.readable
    assert "larger than" in transcript.problem
    assert not (app_paths.transcripts_cache_dir / "7").exists()


def test_show_notes_are_used_when_no_ref_exists(app_paths: AppPaths) -> None:
    notes = (DATA / "show-notes-with-inline-transcript.txt").read_text()
    transcript = make_store(app_paths).transcript_for(episode_with(notes=notes))
    assert transcript.format_name == "show notes"
    assert len(transcript.cues) == 4


def test_a_loaded_file_wins_and_survives_a_restart(
    app_paths: AppPaths, http_server: TestHttpServer, tmp_path: Path
) -> None:
    vtt = serve(http_server, "/t.vtt", "transcript.vtt", "text/vtt")
    mine = tmp_path / "my transcript.srt"
    mine.write_bytes((DATA / "transcript.srt").read_bytes())
    store = make_store(app_paths)
    assert store.load_file(episode_with(), mine).format_name == "SRT"
    mine.unlink()  # the copy in the cache is what counts now
    episode = episode_with(TranscriptRef(vtt, "text/vtt"))
    assert make_store(app_paths).transcript_for(episode).format_name == "SRT"
    assert http_server.requests_for("/t.vtt") == []
    store.forget_file(7)
    assert store.transcript_for(episode).format_name == "WebVTT"


def test_a_loaded_file_is_not_inherited_by_an_episode_that_gets_its_number(
    app_paths: AppPaths, tmp_path: Path
) -> None:
    mine = tmp_path / "my transcript.srt"
    mine.write_bytes((DATA / "transcript.srt").read_bytes())
    store = make_store(app_paths)
    assert store.load_file(episode_with(), mine).readable
    # Unsubscribed: episode 7 is gone; a new podcast's first episode is numbered 7 again.
    newcomer = Episode(podcast_id=1, guid="another", id=7)
    assert not store.transcript_for(newcomer).readable
    assert not store.transcript_for(episode_with()).readable  # the copy was forgotten


def test_loading_a_bad_or_missing_file_says_so_and_keeps_the_old_one(
    app_paths: AppPaths, tmp_path: Path
) -> None:
    store = make_store(app_paths)
    missing = store.load_file(episode_with(), tmp_path / "nope.vtt")
    assert "nope.vtt could not be opened" in missing.problem
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(b"\x00\x01{{{")
    assert "garbage.json could not be read" in store.load_file(episode_with(), garbage).problem
    assert not (app_paths.transcripts_cache_dir / "7").exists()


def test_the_cache_stays_under_its_cap(app_paths: AppPaths, http_server: TestHttpServer) -> None:
    srt = serve(http_server, "/t.srt", "transcript.srt", "application/srt")  # ~21 kB
    store = make_store(app_paths, max_cache_bytes=50_000)
    for episode_id in range(1, 6):
        ref = TranscriptRef(f"{srt}?e={episode_id}", "application/srt")
        assert store.transcript_for(episode_with(ref, episode_id=episode_id)).readable
    sizes = [p.stat().st_size for p in app_paths.transcripts_cache_dir.rglob("*") if p.is_file()]
    assert sum(sizes) <= 50_000
    assert (app_paths.transcripts_cache_dir / "5").is_dir()  # the newest one is kept
    assert not (app_paths.transcripts_cache_dir / "1").exists()
