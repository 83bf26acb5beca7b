"""The private names of other projects podplayer relies on, and a guard against new ones.

feedparser has no public API for its forgiving parser or its date parser, so podplayer uses
internals and pins feedparser below the next minor version (pyproject.toml). When feedparser
changes, the test below names what moved, so the bound is raised only after the code is adapted.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "podplayer"

# (module, dotted attribute, the podplayer module that uses it)
PRIVATE_NAMES = [
    # ctypes documents CDLL._name ("the name of the library passed in the constructor").
    ("vlc", "dll._name", "engine/selftest.py"),
    ("feedparser.datetimes", "_parse_date", "core/feeds/normalize.py"),
    ("feedparser.api", "LooseFeedParser", "core/feeds/lenient.py"),
    ("feedparser.api", "LooseFeedParser.namespaces", "core/feeds/lenient.py"),
    ("feedparser.api", "LooseFeedParser.can_be_relative_uri", "core/feeds/lenient.py"),
    ("feedparser.api", "LooseFeedParser._get_context", "core/feeds/lenient.py"),
    ("feedparser.api", "LooseFeedParser._sync_author_detail", "core/feeds/lenient.py"),
    ("feedparser.api", "LooseFeedParser.handle_charref", "core/feeds/lenient.py"),
    ("feedparser.api", "LooseFeedParser.unknown_starttag", "core/feeds/lenient.py"),
    ("feedparser.encodings", "convert_to_utf8", "core/feeds/lenient.py"),
    ("feedparser.sanitizer", "replace_doctype", "core/feeds/lenient.py"),
]


@pytest.mark.parametrize(("module", "name", "user"), PRIVATE_NAMES)
def test_feedparser_still_has_the_internals_podplayer_uses(
    module: str, name: str, user: str
) -> None:
    value: object = importlib.import_module(module)
    for part in name.split("."):
        assert hasattr(value, part), (
            f"{module}.{name} is gone from this feedparser, and podplayer/{user} uses it: "
            "adapt that module before raising feedparser's upper bound in pyproject.toml."
        )
        value = getattr(value, part)


def test_the_lenient_parser_still_dispatches_podcast_tags_to_podplayer() -> None:
    from podplayer.core.feeds.lenient import parse_with_feedparser

    body = (
        b'<rss xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel><item>'
        b'<title>a</title><podcast:transcript url="http://h/1.vtt" type="text/vtt"/>'
        b'<podcast:transcript url="http://h/1.srt" type="application/srt"/>'
        b"<description>x<br></description></item></channel></rss>"
    )
    _feed, entries = parse_with_feedparser(body, "http://h/feed", {})
    assert [t["url"] for t in entries[0]["podcast_transcripts"]] == [
        "http://h/1.vtt",
        "http://h/1.srt",
    ], (
        "feedparser.api.LooseFeedParser no longer calls _start_podcast_transcript "
        "(podplayer/core/feeds/lenient.py) for <podcast:transcript>."
    )


def _private_uses(path: Path) -> list[str]:
    """``module._name`` where module was imported from outside podplayer; any private setattr."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    foreign: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            foreign.update(
                (alias.asname or alias.name).split(".")[0]
                for alias in node.names
                if not alias.name.startswith("podplayer")
            )
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and not (node.module or "").startswith("podplayer")
        ):
            foreign.update(alias.asname or alias.name for alias in node.names)
    # A type annotation runs nothing (the modules use postponed annotations): not a use.
    annotations = [
        annotation
        for node in ast.walk(tree)
        for annotation in ([node.annotation] if isinstance(node, (ast.arg, ast.AnnAssign)) else [])
        + ([node.returns] if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else [])
        if annotation is not None
    ]
    in_annotations = {id(inner) for annotation in annotations for inner in ast.walk(annotation)}
    uses = []
    for node in ast.walk(tree):
        if id(node) in in_annotations:
            continue
        patches = False
        if isinstance(node, ast.Attribute):
            owner, name = node.value, node.attr
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr", "delattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            owner, name = node.args[0], node.args[1].value
            patches = node.func.id in ("setattr", "delattr")
        else:
            continue
        if not name.startswith("_") or name.startswith("__"):
            continue
        root = owner
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Name) and (root.id in foreign or (patches and root.id != "self")):
            uses.append(f"{ast.unparse(owner)}.{name} in {path.relative_to(PACKAGE)}")
    return uses


def test_no_other_private_name_of_another_project_is_used() -> None:
    known = {f"{module}.{name} in {user}" for module, name, user in PRIVATE_NAMES}
    uses = [
        use
        for path in sorted(PACKAGE.rglob("*.py"))
        for use in _private_uses(path)
        if use not in known
    ]
    assert uses == [], "private names of other projects, not in PRIVATE_NAMES: " + "; ".join(uses)
