"""Webhook fixtures: the governance cast and a real receiver on loopback."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.webhooks.models import WebhookDelivery
from tests.projects.conftest import (  # noqa: F401  (fixtures shared with the projects tests)
    api,
    app,
    new_project,
    open_review,
    people,
    workflows_dir,
)


class Receiver:
    """An HTTP server on 127.0.0.1 that records every POST and answers `statuses` in turn
    (200 once they are used up)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.statuses: list[int] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                with receiver.lock:
                    receiver.requests.append({"headers": dict(self.headers), "body": body})
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def payloads(self) -> list[dict[str, Any]]:
        return [json.loads(request["body"]) for request in self.requests]


@pytest.fixture
def receiver(app: Flask) -> Iterator[Receiver]:  # noqa: F811
    """A receiver the app may post to: plain http on 127.0.0.1, allowed for this test."""
    app.config.update(JALON_WEBHOOKS_ALLOW_HTTP=True, JALON_WEBHOOKS_ALLOWED_HOSTS="127.0.0.1")
    server = Receiver()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def subscribe(api: Callable[..., Any]) -> Callable[..., dict[str, Any]]:  # noqa: F811
    """`subscribe(url, "review.decided", ...)` as the PMO -> the 201 answer's JSON."""

    def register(url: str, *events: str) -> dict[str, Any]:
        response = api("post", "/webhooks", "pmo", json={"url": url, "events": list(events)})
        assert response.status_code == 201, response.json
        return response.json

    return register


@pytest.fixture
def deliveries(app: Flask) -> Callable[[], list[WebhookDelivery]]:  # noqa: F811
    """Every delivery row, oldest first (detached)."""

    def read() -> list[WebhookDelivery]:
        with app.app_context():
            rows = list(db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))
            db.session.expunge_all()
            return rows

    return read
