"""Sending the outbox: signed POSTs, retried with backoff, each delivery once.

Run by `jalon webhooks send` (cron or a systemd timer, like notifications): never inside a
request, so a slow receiver never slows a vote. Each due delivery is claimed in a transaction of
its own, posted, and its outcome committed:

- PostgreSQL: the row is claimed with `SELECT … FOR UPDATE SKIP LOCKED`, so senders on several
  hosts share the work and never post one delivery twice;
- SQLite (one host): a run takes the file lock `webhooks.lock` in the data folder; a second run
  that finds it taken sends nothing, the running one or the next one sends its deliveries.

Signatures follow Standard Webhooks: headers `webhook-id` (the delivery's message id, the same at
every attempt), `webhook-timestamp` (Unix seconds of this attempt) and `webhook-signature`
(`v1,` + base64 of HMAC-SHA256 over `{id}.{timestamp}.{body}`, keyed by the secret's decoded
bytes). A 2xx answer is a delivery; anything else (another status, a redirect, which is never
followed, a timeout, an unsafe address) is a failed attempt, retried after `BACKOFF`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import logging
import socket
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.timeutil import utcnow
from app.webhooks.addresses import Target, check_url
from app.webhooks.models import DeliveryState, WebhookDelivery
from docs_store.locking import try_writer_lock

log = logging.getLogger(__name__)

#: Wait before each retry; after the last one fails the delivery is `failed`.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
#: Seconds to connect, and then to wait for each read of the answer.
TIMEOUT = 5
#: How much of an answer is read (the status line is what counts).
ANSWER_BYTES = 4096

#: Posts a body to a checked target with headers; returns the HTTP status.
Post = Callable[[Target, bytes, dict[str, str]], int]


def sign(secret: str, message_id: str, timestamp: int, body: str) -> str:
    """The `webhook-signature` header of a message (Standard Webhooks, version 1)."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    content = f"{message_id}.{timestamp}.{body}".encode()
    return "v1," + base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, whatever the host name resolves to now."""

    def __init__(self, target: Target) -> None:
        super().__init__(target.host, target.port, timeout=TIMEOUT)
        self.address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same over TLS: the certificate is checked against the host name (SNI too)."""

    def __init__(self, target: Target) -> None:
        super().__init__(target.host, target.port, timeout=TIMEOUT)
        self.address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(target: Target, body: bytes, headers: dict[str, str]) -> int:
    """POST `body` to `target`'s checked address; the answer's status (redirects not followed)."""
    pinned = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = pinned(target)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        answer = connection.getresponse()
        answer.read(ANSWER_BYTES)
        return answer.status
    finally:
        connection.close()


def deliver_due(now: datetime | None = None, send: Post = post) -> dict[str, int]:
    """Attempt every delivery due at `now` (default: the clock); counts by outcome.

    `delivered`: answered 2xx; `retrying`: failed, tried again later; `failed`: failed for the
    last time.
    """
    counts = {"delivered": 0, "retrying": 0, "failed": 0}
    if db.session.get_bind().dialect.name == "postgresql":
        _drain(now, send, counts)
        return counts
    lock = try_writer_lock(Path(current_app.config["JALON_DATA_DIR"]) / "webhooks.lock")
    if lock is None:
        log.info("another process is sending webhooks")
        return counts
    with lock:
        _drain(now, send, counts)
    return counts


def _drain(now: datetime | None, send: Post, counts: dict[str, int]) -> None:
    moment = now or utcnow()
    while True:
        delivery = db.session.scalars(
            select(WebhookDelivery)
            .where(
                WebhookDelivery.state == DeliveryState.PENDING,
                WebhookDelivery.next_attempt_at <= moment,
            )
            .order_by(WebhookDelivery.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if delivery is None:
            db.session.rollback()
            return
        outcome = _attempt(delivery, moment, send)
        counts[outcome] += 1
        db.session.commit()


def _attempt(delivery: WebhookDelivery, moment: datetime, send: Post) -> str:
    """Post the delivery once and record how it went; the outcome's name in `deliver_due`."""
    webhook = delivery.webhook
    delivery.attempts += 1
    delivery.last_status = None
    timestamp = int(moment.timestamp())
    headers = {
        "content-type": "application/json",
        "user-agent": "Jalon-Webhooks",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(webhook.secret, delivery.message_id, timestamp, delivery.body),
    }
    try:
        delivery.last_status = send(check_url(webhook.url), delivery.body.encode(), headers)
        error = None if 200 <= delivery.last_status < 300 else f"HTTP {delivery.last_status}"
    except (ValueError, OSError, http.client.HTTPException) as failure:  # UnsafeUrl too
        error = str(failure) or type(failure).__name__
    log.info(
        "webhook %s delivery %s (%s) attempt %s: %s",
        webhook.id,
        delivery.id,
        delivery.event,
        delivery.attempts,
        error or "delivered",
    )
    delivery.last_error = error[:500] if error else None
    if error is None:
        delivery.state, delivery.delivered_at, delivery.next_attempt_at = (
            DeliveryState.DELIVERED,
            moment,
            None,
        )
        return "delivered"
    if delivery.attempts > len(BACKOFF):
        delivery.state, delivery.next_attempt_at = DeliveryState.FAILED, None
        return "failed"
    delivery.next_attempt_at = moment + BACKOFF[delivery.attempts - 1]
    return "retrying"
