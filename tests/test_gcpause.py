"""The cycle collector is paused inside the block only, and restored even after an error."""

from __future__ import annotations

import gc

import pytest

from app.gcpause import cycle_collector_paused


def _fail_while_paused() -> None:
    with cycle_collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("boom")


def test_the_collector_is_paused_in_the_block_and_restored_after_an_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        _fail_while_paused()
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with cycle_collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
