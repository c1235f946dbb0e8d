"""Beside runs a call on its worker thread when free, inline when busy, errors reach the caller."""

from __future__ import annotations

import threading

import pytest

from core.search.beside import Beside


def test_a_free_worker_runs_the_call_on_its_own_thread() -> None:
    beside = Beside("test-beside")
    assert beside.run(threading.current_thread).result() is not threading.current_thread()


def test_a_busy_worker_leaves_the_call_to_the_caller() -> None:
    beside = Beside("test-beside")
    release = threading.Event()
    started = threading.Event()

    def hold() -> str:
        started.set()
        release.wait(10)
        return threading.current_thread().name

    first = beside.run(hold)
    assert started.wait(10)
    second = beside.run(threading.current_thread)
    assert second.result() is threading.current_thread()  # done inline, not queued
    release.set()
    assert first.result().startswith("test-beside")
    assert beside.run(threading.current_thread).result() is not threading.current_thread()


def test_an_error_reaches_the_caller_by_either_way() -> None:
    beside = Beside("test-beside")

    def fail() -> None:
        raise ValueError("bad input")

    with pytest.raises(ValueError, match="bad input"):
        beside.run(fail).result()
    release = threading.Event()
    held = beside.run(release.wait, 10)
    with pytest.raises(ValueError, match="bad input"):
        beside.run(fail).result()
    release.set()
    assert held.result() is True
