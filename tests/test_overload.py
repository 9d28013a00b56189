"""Overload is refused politely: bounds per server and per client, and a short bounded load test.

Real ``pedkg serve`` processes (two gunicorn workers, so the bound is seen to be the
server's and not each worker's) on the session's built store. Clients come from distinct
loopback addresses (127.0.0.2, 127.0.0.3, ...), as distinct hosts would. The load test's
60-second form is tests/benchmarks/bench_load.py.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

import load
from pedkg.config import Settings
from pedkg.ingest.build import BuildReport
from pedkg.web.admission import SERVER_FULL

from conftest import Server

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SIMPLE = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
TIME_LIMIT = 6  # seconds the bounded server lets the runaway run: the window the test works in


def ask(server: Server, source: str, sparql: str) -> tuple[int, dict[str, str], str, float]:
    """(status, headers, body, seconds) of a GET /sparql sent from ``source``."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60, source_address=(source, 0))
    began = time.monotonic()
    try:
        connection.request("GET", "/sparql?" + urlencode({"query": sparql}), headers={"Accept": "text/csv"})
        response = connection.getresponse()
        body = response.read().decode()
        return response.status, dict(response.getheaders()), body, time.monotonic() - began
    finally:
        connection.close()


@pytest.fixture(scope="module")
def bounded(built: tuple[Settings, BuildReport]) -> Iterator[Server]:
    """At most 2 requests in progress on the server, 1 per client address; no response cache."""
    running = Server(
        built[0].store,
        workers="2",
        threads="8",
        max_queries="2",
        max_queries_per_client="1",
        query_timeout=str(TIME_LIMIT),
        cache_bytes="0",
    )
    yield running
    running.stop()


def in_background(
    server: Server, source: str, sparql: str
) -> tuple[threading.Thread, list[tuple[int, dict[str, str], str, float]]]:
    answers: list[tuple[int, dict[str, str], str, float]] = []
    thread = threading.Thread(target=lambda: answers.append(ask(server, source, sparql)), daemon=True)
    thread.start()
    return thread, answers


def test_past_the_server_bound_requests_get_503_with_retry_after_at_once(bounded: Server) -> None:
    # six clients at once, each with its own address, against a bound of two: two are admitted
    # (and run until the time limit), four are refused at once, whichever worker took them
    runs = [in_background(bounded, f"127.0.0.{10 + n}", RUNAWAY) for n in range(6)]
    for thread, _ in runs:
        thread.join(TIME_LIMIT + 30)
    answers = [answer for _, found in runs for answer in found]
    refused = [a for a in answers if "Retry-After" in a[1]]
    admitted = [a for a in answers if "Retry-After" not in a[1]]
    assert len(answers) == 6
    assert len(refused) == 4, answers
    assert len(admitted) == 2, answers
    for status, headers, body, seconds in refused:
        assert status == 503
        assert int(headers["Retry-After"]) >= 1
        assert "retry after" in body
        assert seconds < TIME_LIMIT / 2, "a refusal is immediate, not queued behind the runaways"
    for status, _, body, seconds in admitted:  # they ran until the time limit stopped them
        assert status == 503 and "limit" in body and seconds >= TIME_LIMIT - 1
    # the places are given back: a new client is answered
    assert ask(bounded, "127.0.0.30", SIMPLE)[0] == 200


def test_past_the_client_bound_requests_get_429_and_other_clients_still_get_in(bounded: Server) -> None:
    first, first_answer = in_background(bounded, "127.0.0.40", RUNAWAY)
    time.sleep(TIME_LIMIT / 3)  # the runaway is in progress
    status, headers, body, seconds = ask(bounded, "127.0.0.40", SIMPLE)
    assert status == 429, body
    assert int(headers["Retry-After"]) >= 1 and "already has 1" in body
    assert seconds < TIME_LIMIT / 3
    assert ask(bounded, "127.0.0.41", SIMPLE)[0] == 200  # another address has its own share
    first.join(TIME_LIMIT + 30)
    assert first_answer and first_answer[0][0] == 503  # stopped by the time limit, not refused
    assert ask(bounded, "127.0.0.40", SIMPLE)[0] == 200  # its place is free again


def test_one_worker_holding_every_connection_carries_the_whole_server_bound(
    built: tuple[Settings, BuildReport],
) -> None:
    # Keep-alive connections stay with the worker that accepted them, so one worker may hold
    # all of them (8 bench clients on one of two workers: the 8th was refused on every retry
    # while the other worker idled). One worker with PEDKG_THREADS=2 under a server bound of 3
    # must still admit 3 at once, and refuse the 4th at once.
    server = Server(
        built[0].store,
        workers="1",
        threads="2",
        max_queries="3",
        max_queries_per_client="0",
        query_timeout="3",
        cache_bytes="0",
    )
    try:
        runs = [in_background(server, f"127.0.0.{50 + n}", RUNAWAY) for n in range(3)]
        time.sleep(1)  # the three are in progress
        status, _, body, seconds = ask(server, "127.0.0.60", SIMPLE)
        assert status == 503 and SERVER_FULL in body, body
        assert seconds < 1, "the fourth is refused at once: a thread was free to say so"
        for thread, _ in runs:
            thread.join(30)
        answers = [answer for _, found in runs for answer in found]
        assert len(answers) == 3
        assert not [a for a in answers if SERVER_FULL in a[2]], answers
        assert ask(server, "127.0.0.61", SIMPLE)[0] == 200
    finally:
        server.stop()


def test_health_checks_and_static_files_are_never_refused(bounded: Server) -> None:
    runs = [in_background(bounded, f"127.0.0.{50 + n}", RUNAWAY) for n in range(2)]
    time.sleep(TIME_LIMIT / 3)
    for path in ("/healthz", "/static/pedkg.css"):
        connection = http.client.HTTPConnection("127.0.0.1", bounded.port, timeout=30)
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        connection.close()
        assert response.status == 200, path
    for thread, _ in runs:
        thread.join(TIME_LIMIT + 30)


def test_a_short_load_of_32_clients_gets_answers_or_polite_refusals_and_memory_stays_flat(
    built: tuple[Settings, BuildReport],
) -> None:
    # the default bounds and workers; no response cache, so every request reaches the engine
    # and memory that grows would be the engine's, not the cache filling up to its budget
    server = Server(built[0].store, cache_bytes="0")
    try:
        report = load.run(server.url, server.process.pid, clients=32, seconds=12)
        summary = report.summary()
        assert not report.failures, report.failures[:5]
        statuses = report.statuses()
        assert set(statuses) <= {200, 429, 503}, summary
        assert statuses[200] > 100, summary
        refusals = [s for s in report.samples if s.status in (429, 503)]
        assert all(s.retry_after for s in refusals), "every refusal says when to retry"
        for kind, counts in summary["by_kind"].items():  # type: ignore[attr-defined]
            assert counts.get(200), f"{kind} was never answered: {summary}"
        assert report.percentile(0.99) < 5.0, summary
        assert load.median_growth(report) < 24, report.memory_mib
        assert ask(server, "127.0.0.60", SIMPLE)[0] == 200
    finally:
        server.stop()
