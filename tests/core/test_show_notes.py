"""Show notes: nothing runs, nothing remote loads without consent, times become seek links."""

from __future__ import annotations

import re

from podplayer.core.show_notes import (
    SHORTENED_NOTE,
    link_timestamps,
    may_open_externally,
    render_show_notes,
    seek_target_ms,
    timestamp_ms,
)

HOSTILE = """
<p onclick="steal()">Hello <script>alert(1)</script><b>world</b></p>
<iframe src="http://127.0.0.1/x"></iframe><svg><script>x()</script></svg>
<meta http-equiv="refresh" content="0;url=http://127.0.0.1/">
<a href="javascript:alert(1)">js</a> <a href="file:///etc/passwd">file</a>
<a href="smb://host/share">smb</a> <a href="https://example.org/ok">web</a>
<img src="http://127.0.0.1/pixel.gif"> <img src="data:image/png;base64,AAAA">
<style>body{background:url(http://127.0.0.1/bg)}</style>
"""


def test_hostile_notes_keep_text_and_safe_links_only() -> None:
    notes = render_show_notes(HOSTILE, allow_remote_images=False)
    lowered = notes.html.lower()
    for banned in ("<script", "alert", "<iframe", "<svg", "<meta", "onclick", "<style", "<img"):
        assert banned not in lowered
    for scheme in ("javascript:", "file:", "smb:", "data:"):
        assert scheme not in lowered
    assert "<b>world</b>" in notes.html
    assert 'href="https://example.org/ok"' in notes.html
    assert notes.hidden_images == 2


def test_remote_images_only_when_allowed_and_never_data_urls() -> None:
    notes = render_show_notes(HOSTILE, allow_remote_images=True)
    assert '<img src="http://127.0.0.1/pixel.gif">' in notes.html
    assert "data:" not in notes.html
    assert notes.hidden_images == 0


def test_timestamps_become_seek_links_outside_existing_links() -> None:
    html = link_timestamps(
        '<p>Intro 0:00, news at 12:34 and 1:02:03, not 9:99.</p><a href="https://x">5:00</a>'
    )
    assert '<a href="seek:754000">12:34</a>' in html
    assert '<a href="seek:3723000">1:02:03</a>' in html
    assert '<a href="seek:0">0:00</a>' in html
    assert '<a href="https://x">5:00</a>' in html
    assert "seek:300000" not in html
    assert ">9:99<" not in html


def test_seek_targets_times_and_openable_schemes() -> None:
    assert seek_target_ms("seek:754000") == 754000
    assert seek_target_ms("https://example.org/seek:1") is None
    assert timestamp_ms("62:03") == 3723000
    assert timestamp_ms("1:75:00") is None
    assert timestamp_ms("1:02:03") == 3723000
    assert timestamp_ms("soon") is None
    assert may_open_externally("https://example.org")
    assert may_open_externally("mailto:host@example.org")
    assert not may_open_externally("file:///etc/passwd")
    assert not may_open_externally("javascript:alert(1)")


def test_huge_notes_are_cut_and_stay_well_formed() -> None:
    notes = render_show_notes("<p><b>" + "word " * 300_000 + "</b></p>", allow_remote_images=False)
    assert len(notes.html) < 120_000
    assert notes.html.endswith(SHORTENED_NOTE)
    assert notes.html.count("<b>") == notes.html.count("</b>")


def nesting_depth(html: str) -> int:
    depth = deepest = 0
    for tag in re.findall(r"<(/?)(\w+)", html):
        if tag[1] in ("br", "hr", "img"):
            continue
        depth += -1 if tag[0] else 1
        deepest = max(deepest, depth)
    return deepest


def test_deep_nesting_is_flattened_and_the_text_kept() -> None:
    tables = render_show_notes(
        "<table><tr><td>" * 60 + "deep inside" + "</td></tr></table>" * 60,
        allow_remote_images=False,
    )
    assert tables.html.count("<table") == 3 and "deep inside" in tables.html
    assert tables.html.count("<td") == tables.html.count("</td>") == 3
    divs = render_show_notes("<div>" * 9000 + "x" + "</div>" * 9000, allow_remote_images=False)
    assert nesting_depth(divs.html) <= 20 and ">x<" in divs.html
    ordinary = (
        '<ul><li>One <b>two</b><ul><li><a href="https://e.org/">three</a></li></ul></li></ul>'
    )
    assert render_show_notes(ordinary, allow_remote_images=False).html == ordinary
