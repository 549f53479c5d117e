"""Registering webhooks and writing their deliveries into the outbox.

`enqueue` only adds rows in the caller's transaction: they commit with the event that caused
them, or vanish with it. Sending is `app.webhooks.delivery`'s, after the commit.
"""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, select

from app.auth.models import User
from app.extensions import db
from app.refusals import Invalid, NotFound
from app.timeutil import utcnow
from app.webhooks.addresses import UnsafeUrl, check_url
from app.webhooks.models import Webhook, WebhookDelivery

#: Every event a webhook may subscribe to (`risk.raised` is accepted before risks exist).
EVENTS = (
    "review.submitted",
    "review.decided",
    "project.stage_changed",
    "document.published",
    "training.expired",
    "risk.raised",
)
#: Random bytes in a secret (Standard Webhooks asks for 24 to 64).
SECRET_BYTES = 32


def new_secret() -> str:
    """A signing secret as Standard Webhooks writes them: `whsec_` + base64 of random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def register(url: str, events: list[str], creator: User) -> Webhook:
    """A new webhook (with a new secret) if the URL is safe and every event known; else 422."""
    unknown = sorted(set(events) - set(EVENTS))
    if unknown or not events:
        raise Invalid(_("Unknown or missing event types."), details={"events": list(EVENTS)})
    try:
        check_url(url)
    except UnsafeUrl as error:
        raise Invalid(str(error), details={"url": [str(error)]}) from None
    webhook = Webhook(
        url=url,
        events=sorted(set(events), key=EVENTS.index),
        secret=new_secret(),
        created_by_id=creator.id,
    )
    db.session.add(webhook)
    db.session.flush()
    return webhook


def get_webhook(webhook_id: int) -> Webhook:
    """The webhook, else 404."""
    webhook = db.session.get(Webhook, webhook_id)
    if webhook is None:
        raise NotFound(_("No such webhook."))
    return webhook


def delete_webhook(webhook_id: int) -> None:
    """Forget the webhook and its deliveries, sent or not."""
    db.session.delete(get_webhook(webhook_id))
    db.session.flush()


def webhooks_query() -> Select[tuple[Webhook]]:
    return select(Webhook).order_by(Webhook.id)


def deliveries_query(webhook_id: int) -> Select[tuple[WebhookDelivery]]:
    """The deliveries of a webhook (404 if unknown), newest first."""
    get_webhook(webhook_id)
    return (
        select(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == webhook_id)
        .order_by(WebhookDelivery.id.desc())
    )


def subscribers() -> list[Webhook]:
    """Every webhook, for `enqueue` to pick from (one query per transaction with events)."""
    return list(db.session.scalars(select(Webhook).order_by(Webhook.id)))


def enqueue(event: str, data: dict[str, Any], webhooks: list[Webhook]) -> int:
    """One delivery of `event` per webhook of `webhooks` subscribed to it; returns how many.

    The body is fixed now, as Standard Webhooks lays it out: `type`, `timestamp` (this moment,
    ISO 8601 UTC) and `data`.
    """
    assert event in EVENTS, event
    subscribed = [webhook for webhook in webhooks if event in webhook.events]
    timestamp = utcnow().isoformat().replace("+00:00", "Z")
    body = json.dumps({"type": event, "timestamp": timestamp, "data": data}, ensure_ascii=False)
    for webhook in subscribed:
        db.session.add(
            WebhookDelivery(
                webhook_id=webhook.id,
                message_id=f"msg_{uuid.uuid4().hex}",
                event=event,
                body=body,
            )
        )
    return len(subscribed)
