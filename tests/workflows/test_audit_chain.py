"""The audit trail's hash chain detects edits, removals and reordering."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from workflows import GENESIS_HASH, AuditLink, canonical_json, compute_event_hash, verify_chain


def _chain(count: int) -> list[AuditLink]:
    events: list[AuditLink] = []
    prev = GENESIS_HASH
    for number in range(1, count + 1):
        payload = {
            "id": number,
            "kind": "vote",
            "actor": "alice",
            "at": datetime(2026, 1, number, 9, 30, tzinfo=UTC),
            "data": {"decision": "go", "comment": "Prêt à lancer"},
        }
        event = AuditLink(number, prev, compute_event_hash(prev, payload), payload)
        events.append(event)
        prev = event.hash
    return events


def test_intact_chain_verifies() -> None:
    report = verify_chain(_chain(5))
    assert (report.ok, report.events, report.first_broken_id) == (True, 5, None)


def test_empty_chain_verifies() -> None:
    assert verify_chain([]).ok


def test_edited_event_is_reported() -> None:
    events = _chain(5)
    events[2] = replace(events[2], payload={**events[2].payload, "actor": "mallory"})
    report = verify_chain(events)
    assert (report.ok, report.events, report.first_broken_id) == (False, 5, 3)
    assert "content" in report.reason


def test_edited_event_with_recomputed_hash_breaks_the_next_link() -> None:
    events = _chain(5)
    forged = {**events[2].payload, "actor": "mallory"}
    events[2] = replace(
        events[2], payload=forged, hash=compute_event_hash(events[2].prev_hash, forged)
    )
    report = verify_chain(events)
    assert (report.ok, report.first_broken_id) == (False, 4)
    assert "prev_hash" in report.reason


def test_removed_event_is_reported_at_its_successor() -> None:
    events = _chain(5)
    del events[1]
    assert verify_chain(events).first_broken_id == 3


def test_canonical_json_sorts_keys_without_whitespace() -> None:
    assert canonical_json({"b": 1, "a": [1, 2], "c": "é"}) == '{"a":[1,2],"b":1,"c":"é"}'


def test_equal_instants_hash_the_same_whatever_the_database_returns() -> None:
    aware = datetime(2026, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    naive_utc = datetime(2026, 3, 1, 9, 0)
    assert compute_event_hash(GENESIS_HASH, {"at": aware}) == compute_event_hash(
        GENESIS_HASH, {"at": naive_utc}
    )
    assert canonical_json({"at": naive_utc}) == '{"at":"2026-03-01T09:00:00.000000Z"}'


def test_dates_and_decimals_have_one_text_form() -> None:
    assert canonical_json({"d": date(2026, 1, 2), "x": Decimal("1.50")}) == (
        '{"d":"2026-01-02","x":"1.50"}'
    )


def test_unknown_payload_types_are_refused() -> None:
    with pytest.raises(TypeError, match="object"):
        canonical_json({"x": object()})
