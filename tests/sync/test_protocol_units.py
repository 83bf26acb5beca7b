"""Protocol details that need no server: timestamps, junk actions, played margin, matching."""

from __future__ import annotations

import pytest

from podplayer.core.sync.actions import ActionKind, EpisodeAction, JunkActionError, action_from_json
from podplayer.core.sync.client import ServerKind, SyncAccount, device_id_from_name
from podplayer.core.sync.matching import EpisodeIndex, EpisodeRef, enclosure_key
from podplayer.core.sync.timestamps import format_timestamp, parse_timestamp

MOMENT = 1_700_000_000  # 2023-11-14T22:13:20Z


def test_timestamps_are_sent_as_utc_without_zone_or_fraction() -> None:
    assert format_timestamp(MOMENT + 0.75) == "2023-11-14T22:13:20"


@pytest.mark.parametrize(
    "text",
    [
        "2023-11-14T22:13:20",
        "2023-11-14T22:13:20Z",
        "2023-11-14T22:13:20.000Z",
        "2023-11-14T23:13:20+01:00",
        "2023-11-14T17:13:20-0500",
        "2023-11-14 22:13:20",
        "2023-11-14T22:13:20+00",
    ],
)
def test_timestamps_are_read_with_zones_offsets_and_fractions(text: str) -> None:
    assert parse_timestamp(text) == pytest.approx(MOMENT)


def test_a_fraction_is_kept_and_nonsense_is_not_a_time() -> None:
    assert parse_timestamp("2023-11-14T22:13:20.5Z") == pytest.approx(MOMENT + 0.5)
    assert parse_timestamp(MOMENT) == MOMENT
    for junk in ("", "yesterday", "2023-13-40T99:00:00", None, -1, True, "2023-11-14"):
        assert parse_timestamp(junk) is None


def _raw(**fields: object) -> dict[str, object]:
    data: dict[str, object] = {
        "podcast": "http://example.com/feed",
        "episode": "http://example.com/1.mp3",
        "action": "PLAY",
        "timestamp": "2023-11-14T22:13:20Z",
        "started": 0,
        "position": 754,
        "total": 1800,
    }
    data.update(fields)
    return data


def test_an_action_is_read_whatever_the_case_of_its_verb() -> None:
    action = action_from_json(_raw(guid="g1"))
    assert action.action is ActionKind.PLAY
    assert (action.position, action.total, action.guid) == (754, 1800, "g1")
    assert action.timestamp == MOMENT


@pytest.mark.parametrize(
    "fields",
    [
        {"position": -1},
        {"total": -1},
        {"started": -1},
        {"position": 2000, "total": 1800},
        {"action": "flattr"},
        {"action": "explode"},
        {"timestamp": None},
        {"timestamp": "soon"},
        {"episode": ""},
        {"position": None},
        {"position": "abc"},
        {"podcast": None},
    ],
)
def test_junk_actions_are_refused_with_a_reason(fields: dict[str, object]) -> None:
    with pytest.raises(JunkActionError):
        action_from_json(_raw(**fields))


def test_played_means_within_the_margin_of_the_total() -> None:
    def play(position: int, total: int | None) -> EpisodeAction:
        return EpisodeAction("p", "e", ActionKind.PLAY, MOMENT, position=position, total=total)

    assert play(1800, 1800).played(30)
    assert play(1775, 1800).played(30)
    assert not play(1700, 1800).played(30)
    assert not play(500, None).played(30)
    assert play(1700, 1800).played(120)


def test_an_upload_has_utc_seconds_and_play_fields() -> None:
    action = EpisodeAction(
        "p", "e", ActionKind.PLAY, MOMENT + 0.9, guid="g", device="desk", position=754, total=900
    )
    assert action.to_json() == {
        "podcast": "p",
        "episode": "e",
        "action": "play",
        "timestamp": "2023-11-14T22:13:20",
        "guid": "g",
        "device": "desk",
        "started": 0,
        "position": 754,
        "total": 900,
    }
    assert "position" not in EpisodeAction("p", "e", ActionKind.DOWNLOAD, MOMENT).to_json()


def test_device_ids_are_limited_to_word_characters_dots_and_dashes() -> None:
    assert device_id_from_name("Anna's laptop (home)") == "Anna-s-laptop-home"
    assert device_id_from_name("desk.top_2") == "desk.top_2"
    assert device_id_from_name("  ///  ") == "podplayer"
    with pytest.raises(ValueError):
        SyncAccount("http://x", "u", ServerKind.GPODDER, "bad id/../")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/audio/ep1.mp3",
        "http://example.com/audio/ep1.mp3",
        "https://www.example.com/audio/ep1.mp3",
        "https://dts.podtrac.com/redirect.mp3/example.com/audio/ep1.mp3",
        "https://chtbl.com/track/ABC123/example.com/audio/ep1.mp3",
        "https://op3.dev/e/https://example.com/audio/ep1.mp3",
        "https://pdst.fm/e/chtbl.com/track/ABC/dts.podtrac.com/redirect.mp3/example.com/audio/ep1.mp3",
        "https%3A//example.com/audio/ep1.mp3",
        "https://example.com/audio%2Fep1.mp3?utm_source=rss",
    ],
)
def test_enclosure_urls_of_one_file_share_a_key(url: str) -> None:
    assert enclosure_key(url) == "example.com/audio/ep1.mp3"


def test_a_query_that_names_the_file_is_kept() -> None:
    assert enclosure_key("https://host/get?id=1") != enclosure_key("https://host/get?id=2")


def test_matching_prefers_the_guid_then_the_enclosure_url() -> None:
    index = EpisodeIndex(
        [
            EpisodeRef(1, "http://a/feed", "shared-guid", "http://a/1.mp3"),
            EpisodeRef(2, "http://b/feed", "shared-guid", "http://b/2.mp3"),
            EpisodeRef(3, "http://b/feed", "g3", "https://b/3.mp3"),
        ]
    )
    by_guid = index.find("http://b/feed", "http://elsewhere/x.mp3", "shared-guid")
    by_url = index.find("http://b/feed", "http://b/3.mp3", "g3-changed")
    assert by_guid is not None and by_guid.episode_id == 2
    assert by_url is not None and by_url.episode_id == 3
    assert index.find("http://b/feed", "https://dts.podtrac.com/redirect.mp3/b/3.mp3", None)
    assert index.find("http://b/feed", "http://b/unknown.mp3", None) is None
