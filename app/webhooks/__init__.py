"""Webhooks: signed JSON events posted to the PMO's other tools, from an outbox after commit."""

from app.webhooks import events

events.listen()
