"""Which answer server takes a generation: least busy first, failed ones passed over a while."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.llm.remote import RETRY_AFTER_S, EndpointPool, endpoint_url
from core.settings import Settings


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def take(pool: EndpointPool) -> Any:
    """The next server (the test fails if the pool has none left)."""
    endpoint = pool.take([])
    assert endpoint is not None
    return endpoint


def test_urls_are_read_as_api_bases() -> None:
    assert endpoint_url("http://10.0.0.5:8080") == "http://10.0.0.5:8080/v1"
    assert endpoint_url("http://10.0.0.5:8080/v1/") == "http://10.0.0.5:8080/v1"
    assert endpoint_url(" gpu2:8000 ") == "http://gpu2:8000/v1"
    assert endpoint_url("https://gw.example/llm/v1") == "https://gw.example/llm/v1"


def test_the_least_busy_server_takes_the_next_generation() -> None:
    pool = EndpointPool(["a:1", "b:1"], parallel=2)
    first, second, third = take(pool), take(pool), take(pool)
    assert [first.url, second.url, third.url] == ["http://a:1/v1", "http://b:1/v1", "http://a:1/v1"]
    assert (pool.parallel, pool.busy()) == (4, 3)
    pool.release(first)
    assert take(pool) is first, "as busy as b again, and first in the list"


def test_a_failed_server_comes_last_until_its_pause_is_over() -> None:
    clock = Clock()
    pool = EndpointPool(["a:1", "b:1"], parallel=1, clock=clock)
    a = take(pool)
    assert a.url == "http://a:1/v1"
    pool.release(a, failed=True)
    b = take(pool)
    assert b.url == "http://b:1/v1"
    pool.release(b)
    assert pool.take([]) is b
    pool.release(b)
    clock.now += RETRY_AFTER_S + 1
    assert pool.take([]) is a


def test_servers_all_down_are_still_tried_once_each() -> None:
    clock = Clock()
    pool = EndpointPool(["a:1", "b:1"], parallel=1, clock=clock)
    for _ in range(2):
        pool.release(take(pool), failed=True)
    tried = []
    while (e := pool.take(tried)) is not None:
        tried.append(e)
    assert len(tried) == 2
    assert pool.busy() == 2


def test_no_servers_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="endpoint"):
        EndpointPool([], parallel=1)


def test_endpoint_settings_survive_the_toml_file(tmp_path: Path) -> None:
    settings = Settings.load(tmp_path, answer_endpoints=["http://a:8080/v1", "b:8000"])
    assert settings.answer_endpoints == ("http://a:8080/v1", "b:8000")
    settings.with_changes(answer_endpoint_parallel=4).save()
    again = Settings.load(tmp_path)
    assert again.answer_endpoints == ("http://a:8080/v1", "b:8000")
    assert again.answer_endpoint_parallel == 4
    assert "answer_endpoints = [" in (tmp_path / "konspekt.toml").read_text()


def test_endpoints_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KONSPEKT_ANSWER_ENDPOINTS", "http://a:8080, http://b:8080")
    assert Settings.load(tmp_path).answer_endpoints == ("http://a:8080", "http://b:8080")
