"""mygpoclient, gPodder's own client library, as "the phone" in sync tests.

It sends Basic auth up front, as AntennaPod does (gpodder-fastapi-router's 401 challenge has no
``realm``, and urllib under mygpoclient answers only challenges that name one), and labels its
JSON bodies as JSON (FastAPI refuses them otherwise).
"""

from __future__ import annotations

import base64
from typing import Any

from mygpoclient.api import MygPodderClient
from mygpoclient.json import JsonClient

from tests.sync.conftest import PASSWORD


def phone(server_url: str, user: str, password: str = PASSWORD) -> MygPodderClient:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()

    class PreemptiveJsonClient(JsonClient):  # type: ignore[misc]
        def _prepare_request(self, method: str, uri: str, data: Any) -> Any:
            request = JsonClient._prepare_request(method, uri, data)
            request.add_header("Authorization", f"Basic {token}")
            if data is not None:
                request.add_header("Content-Type", "application/json")
            return request

    return MygPodderClient(user, password, server_url, client_class=PreemptiveJsonClient)
