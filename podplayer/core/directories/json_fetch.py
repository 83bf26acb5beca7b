"""One GET to a directory, answered with JSON or a short sentence of why not."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from podplayer.core.directories.results import DirectoryAnswer, DirectoryResult
from podplayer.core.http import DeadlineError, HttpClient, HttpError, TooLargeError

DEADLINE_S = 5.0
MAX_ANSWER_BYTES = 16 * 1024 * 1024  # 10,000 iTunes entries are ~4.5 MB; the first 50 count
MAX_RESULTS = 50


class DirectoryError(Exception):
    """A directory gave no usable answer; the message is a short sentence naming it."""


def fetch_json(
    http: HttpClient, name: str, url: str, headers: Mapping[str, str] | None = None
) -> Any:
    """The decoded JSON at ``url``, within the directory deadline and size cap."""
    try:
        response = http.get(
            url,
            headers={"Accept": "application/json", **(headers or {})},
            max_bytes=MAX_ANSWER_BYTES,
            deadline=DEADLINE_S,
        )
    except TooLargeError as exc:
        raise DirectoryError(f"{name} sent an answer too large to read.") from exc
    except DeadlineError as exc:
        raise DirectoryError(f"{name} did not answer within {DEADLINE_S:g} seconds.") from exc
    except HttpError as exc:
        raise DirectoryError(f"{name} could not be reached: {exc}") from exc
    if response.status == 429:
        raise DirectoryError(f"{name} is busy (too many requests); try again in a minute.")
    if response.status in (401, 403):
        raise DirectoryError(f"{name} refused the request ({response.status}); check its key.")
    if response.status != 200:
        raise DirectoryError(f"{name} answered with an error ({response.status}).")
    try:
        return json.loads(response.body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        what = "a web page" if "html" in content_type else "something"
        raise DirectoryError(f"{name} sent {what} instead of search results.") from exc


def entries(answer: Any, name: str, *path: str) -> list[Any]:
    """The list at ``answer[path...]``; DirectoryError when the answer has another shape."""
    node = answer
    for step in path:
        node = node.get(step) if isinstance(node, dict) else None
    if not isinstance(node, list):
        raise DirectoryError(f"{name} sent an answer podplayer does not understand.")
    return node[:MAX_RESULTS]


def directory_answer(
    name: str,
    answer: Any,
    path: tuple[str, ...],
    to_result: Callable[[Any], DirectoryResult | None],
) -> DirectoryAnswer:
    """The results in ``answer[path...]``, with a note for entries without a usable feed address."""
    found = DirectoryAnswer(name)
    missing = 0
    for entry in entries(answer, name, *path):
        result = to_result(entry)
        if result is None:
            missing += 1
        else:
            found.results.append(result)
    if missing:
        plural = "entries" if missing != 1 else "entry"
        found.notes = [f"{name}: {missing} {plural} without a feed address left out."]
    return found
