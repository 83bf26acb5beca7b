"""The four user flows with key presses only, checked as a screen reader and MPRIS see them.

The app runs as its own process with accessibility on; tests/a11y/atspi_client.py reads its tree
through AT-SPI (as Orca does) and xdotool types into the X display. Nothing inside the app is
touched. The tests run in file order on one app: subscribe, play at 2.0x, sleep timer, transcript.
"""

from __future__ import annotations

import re
import subprocess
import time

from tests.a11y.conftest import Session
from tests.a11y.screen_reader import wait_until

MPRIS_OBJECT = "/org/mpris/MediaPlayer2"


def mpris_property(session: Session, name: str) -> str:
    done = subprocess.run(
        [
            "gdbus", "call", "--session", "--dest", "org.mpris.MediaPlayer2.podplayer",
            "--object-path", MPRIS_OBJECT, "--method", "org.freedesktop.DBus.Properties.Get",
            "org.mpris.MediaPlayer2.Player", name,
        ],
        env=session.app.environment,
        capture_output=True,
        text=True,
        timeout=20,
    )  # fmt: skip
    return done.stdout.strip()


def position_s(session: Session) -> float:
    text = session.app.mpris("position")
    return float(text) if text else -1.0


def press(session: Session, key: str) -> dict[str, object]:
    """Press a key that moves the focus; wait until the app says where it went (as Orca does)."""
    moves = session.reader.focus_moves()
    session.app.keys(key)
    wait_until(lambda: session.reader.focus_moves() > moves, 5, f"the focus to move on {key}")
    focus = session.reader.focus()
    assert focus is not None
    return focus


def press_until(session: Session, key: str, presses: int, **wanted: str) -> None:
    """Press key until the focus is on what has the wanted role and name."""
    visited = []
    for _ in range(presses):
        focus = press(session, key)
        visited.append(f"{focus.get('role')} {focus.get('name')!r}")
        if all(focus.get(field) == value for field, value in wanted.items()):
            return
    raise AssertionError(f"{key} never reached {wanted}; it went to {visited}")


def tab_to(session: Session, name: str) -> None:
    press_until(session, "Tab", 12, name=name)


def f6_to(session: Session, role: str, name: str) -> None:
    press_until(session, "F6", 6, role=role, name=name)


def f6_to_transcript(session: Session) -> None:
    """F6 until the transcript has the focus: a list says the line it is on (a list item)."""
    for _ in range(6):
        focus = press(session, "F6")
        if focus.get("name") == "Transcript" or re.match(r"\[\d+:\d\d\] ", str(focus.get("name"))):
            return
    raise AssertionError(
        f"F6 never reached the transcript; the focus is on {session.reader.focus()}"
    )


def choose_in_menu(session: Session, item: str) -> None:
    """Arrow down an open menu until item has the focus, then Enter."""
    press_until(session, "Down", 12, role="menu item", name=item)
    session.app.keys("Return")


def test_1_subscribe_with_the_keyboard(session: Session) -> None:
    app, reader = session.app, session.reader
    app.keys("ctrl+l")
    reader.focus_is(role="text", name="Podcast name or address")
    app.type(session.feed_url)
    app.keys("Return")
    reader.announced("Loopback Tour. Found 1 episode.")
    app.keys("Return")
    reader.announced("Loopback Tour")
    reader.one(role="list item", name_contains="Loopback Tour")


def test_2_play_at_double_speed(session: Session) -> None:
    app, reader = session.app, session.reader
    app.keys("ctrl+f")
    reader.focus_is(role="text", name="Filter episodes")
    app.type("spoken")
    reader.one(role="table cell", name="The spoken tour")
    f6_to(session, "table", "Episodes")
    app.keys("Down", "Return")
    wait_until(lambda: app.mpris("status") == "Playing", 15, "MPRIS status Playing")
    assert app.mpris("metadata", "title") == "The spoken tour"
    reader.one(role="label", name="The spoken tour")
    reader.one(role="label", name="Loopback Tour")

    f6_to(session, "slider", "Playback position")
    tab_to(session, "Speed presets")
    app.keys("space")
    choose_in_menu(session, "2.0x")
    reader.announced("Speed 2.0x")
    assert mpris_property(session, "Rate") == "(<2.0>,)"
    speed = reader.one(role="spin button", name="Playback speed")
    assert speed["value"] == 2.0 and (speed["minimum"], speed["maximum"]) == (0.5, 3.0)

    start = position_s(session)
    time.sleep(2.0)
    moved = position_s(session) - start
    assert 3.0 <= moved <= 5.2, f"2 s at 2.0x moved {moved:.2f} s of the episode"
    remaining = reader.one(role="label", name_contains="left")["name"]
    assert re.fullmatch(r"\d+:\d\d left, \d+:\d\d at 2\.0x", remaining), remaining
    assert re.fullmatch(
        r"\d+:\d\d elapsed", reader.one(role="label", name_contains="elapsed")["name"]
    )
    seek = reader.one(role="slider", name="Playback position")
    assert seek["maximum"] > 40_000 and 0 < seek["value"] <= seek["maximum"]


def test_3_set_and_cancel_the_sleep_timer(session: Session) -> None:
    app, reader = session.app, session.reader
    tab_to(session, "Sleep timer")
    app.keys("space")
    choose_in_menu(session, "15 minutes")
    reader.announced("Sleep timer: 15:00 left")
    button = reader.one(role="push button", name="Sleep timer")
    assert re.fullmatch(r"Sleep timer: 1[45]:\d\d left", button["description"]), button
    app.keys("space")
    choose_in_menu(session, "Off")
    reader.announced("Sleep timer is off")
    assert reader.one(role="push button", name="Sleep timer")["description"] == "Sleep timer is off"
    assert app.mpris("status") == "Playing"


def test_4_move_to_a_transcript_line_and_play_it(session: Session) -> None:
    app, reader = session.app, session.reader
    f6_to_transcript(session)
    app.keys("Home")
    for _ in range(6):
        line = press(session, "Down")
    assert line["role"] == "list item", line
    start = re.match(r"\[(\d+):(\d\d)\]", str(line["name"]))
    assert start is not None, line
    target_s = int(start[1]) * 60 + int(start[2])
    app.keys("Return")
    wait_until(
        lambda: abs(position_s(session) - target_s) < 1.5, 10, f"MPRIS position near {target_s} s"
    )
    assert app.mpris("status") == "Playing"
    app.keys("ctrl+t")
    spoken = reader.announced("[0:")
    assert re.match(r"\[0:\d\d\] ", spoken["detail"]), spoken


def test_5_every_key_is_listed(session: Session) -> None:
    app, reader = session.app, session.reader
    app.keys("ctrl+question")
    reader.focus_is(role="tree", name="Keyboard shortcuts")
    for key in ("Ctrl+L", "F6", "Ctrl+T", "Space"):
        reader.one(role="table cell", name_contains=f"{key}: ")
    app.keys("Escape")
    wait_until(
        lambda: (reader.focus() or {}).get("role") != "tree", 5, "the shortcuts list to close"
    )


def test_6_queue_an_episode_from_its_context_menu(session: Session) -> None:
    app, reader = session.app, session.reader
    f6_to(session, "table", "Episodes")
    app.keys("Home", "Menu")
    choose_in_menu(session, "Add to Up Next")
    reader.one(role="list item", name_contains="The spoken tour", timeout_s=10)


def test_7_search_the_library_and_play_from_the_words(session: Session) -> None:
    app, reader = session.app, session.reader
    app.keys("ctrl+shift+f")
    reader.focus_is(role="text", name="Search the library")
    app.type("jump straight")
    reader.announced("found.")
    hit = reader.one(role="table cell", name_contains="0:37. ")  # the line, with its time
    assert "jump straight" in str(hit["name"]), hit
    app.keys("Return")
    wait_until(lambda: abs(position_s(session) - 35.3) < 1.5, 10, "MPRIS position near 35 s")
    assert app.mpris("status") == "Playing"


def test_8_chapters_with_the_keyboard(session: Session) -> None:
    app, reader = session.app, session.reader
    f6_to_transcript(session)
    app.keys("ctrl+Tab")  # the tab beside the transcript: Chapters
    reader.one(role="label", name="4 chapters, from the podcast's chapters file.")
    f6_to(session, "tree", "Chapter list")
    press_until(session, "Down", 4, name="Sleep timer")
    app.keys("Return")
    wait_until(lambda: abs(position_s(session) - 25.0) < 1.5, 10, "MPRIS position near 25 s")
    app.keys("ctrl+Right")
    wait_until(lambda: abs(position_s(session) - 37.3) < 1.5, 10, "MPRIS position near 37 s")
    assert app.mpris("status") == "Playing"
