"""Reads the accessibility tree as a screen reader does; run by Debian's python3 (pyatspi).

The tests (in the project's virtual environment, which has no pyatspi) start this script and talk
to it in JSON lines: each request on stdin gets one answer on stdout. It finds accessibles by role
and name, reads their name, description, text, value and states, records announcements and
focus changes, and never touches the application's internals.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pyatspi  # type: ignore[import-not-found]

MAX_DEPTH = 40
_events: list[dict[str, object]] = []
_events_lock = threading.Lock()


def describe(accessible: Any) -> dict[str, object]:
    """What a screen reader says of one accessible: role, name, description, text, value, states."""
    info: dict[str, object] = {
        "role": accessible.getRoleName(),
        "name": accessible.name,
        "description": accessible.description,
    }
    states = accessible.getState()
    info["states"] = sorted(pyatspi.stateToString(state) for state in states.getStates())
    try:
        text = accessible.queryText()
        info["text"] = text.getText(0, -1)
    except NotImplementedError:
        pass
    try:
        value = accessible.queryValue()
        info["value"] = value.currentValue
        info["minimum"] = value.minimumValue
        info["maximum"] = value.maximumValue
    except NotImplementedError:
        pass
    return info


def application(name: str) -> Any:
    desktop = pyatspi.Registry.getDesktop(0)
    for index in range(desktop.childCount):
        app = desktop.getChildAtIndex(index)
        if app is not None and app.name == name:
            return app
    return None


def walk(root: Any, depth: int = 0) -> Iterator[Any]:
    yield root
    if depth >= MAX_DEPTH:
        return
    for index in range(root.childCount):
        child = root.getChildAtIndex(index)
        if child is not None:
            yield from walk(child, depth + 1)


def matches(accessible: Any, request: dict[str, object]) -> bool:
    role = request.get("role")
    if role is not None and accessible.getRoleName() != role:
        return False
    name = request.get("name")
    if name is not None and accessible.name != name:
        return False
    contains = request.get("name_contains")
    if contains is not None and str(contains) not in accessible.name:
        return False
    if request.get("showing") and not accessible.getState().contains(pyatspi.STATE_SHOWING):
        return False
    state = request.get("state")
    if state is not None:
        return bool(accessible.getState().contains(getattr(pyatspi, f"STATE_{str(state).upper()}")))
    return True


def find_all(request: dict[str, object]) -> list[dict[str, object]]:
    app = application(str(request["app"]))
    if app is None:
        return []
    found = []
    for accessible in walk(app):
        try:
            if matches(accessible, request):
                found.append(describe(accessible))
        except Exception:  # an accessible that went away while we walked: not there
            continue
    return found


def do_action(request: dict[str, object]) -> bool:
    """Runs a named action (press, click, ...) on the first match, as a screen reader's command."""
    app = application(str(request["app"]))
    if app is None:
        return False
    for accessible in walk(app):
        if matches(accessible, request):
            action = accessible.queryAction()
            for index in range(action.nActions):
                if action.getName(index) == request["action"]:
                    return bool(action.doAction(index))
    return False


def record(event: Any) -> None:
    if event.type not in ("object:announcement", "object:state-changed:focused"):
        return
    entry = {"type": str(event.type), "detail": str(event.any_data), "detail1": event.detail1}
    try:
        entry["name"] = event.source.name
        entry["role"] = event.source.getRoleName()
    except Exception:
        pass
    with _events_lock:
        _events.append(entry)


def serve() -> None:
    # Like Orca, listen to every property and state change: the app sends only the events some
    # client listens to, and libatspi's cache of names and descriptions lives on them.
    pyatspi.Registry.registerEventListener(
        record, "object:announcement", "object:state-changed", "object:property-change"
    )
    threading.Thread(target=pyatspi.Registry.start, daemon=True).start()
    for line in sys.stdin:
        request = json.loads(line)
        command = request["command"]
        if command == "find":
            answer: object = find_all(request)
        elif command == "action":
            answer = do_action(request)
        elif command == "events":
            with _events_lock:
                answer = list(_events)
                _events.clear()
        else:
            answer = {"error": f"unknown command {command}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
