"""The keeper: one process per server forks every worker's query processes and collects them;
readiness while the query processes copy the store into memory."""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from pedkg.errors import QueryTimeout
from pedkg.sparql.pool import Keeper, MemoryPlan, QueryJob, QueryPool
from pedkg.store.versions import new_version

from conftest import Server

EX = "http://hospital.example/"
COUNT = QueryJob("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "tsv", False, 10)


def parent_of(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as stat:
        return int(stat.read().rpartition(")")[2].split()[1])


def write(link: Path, triples: int) -> None:
    with new_version(link, from_current=link.exists()) as store:
        store.replace_graph(
            EX + "g",
            [
                ox.Triple(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal(i))
                for i in range(triples)
            ],
        )


def test_every_worker_s_query_processes_are_forks_of_the_server_s_keeper(built):
    """Two pools (two server workers) on one keeper: all their processes are its children."""
    keeper = Keeper(built[0].store, MemoryPlan("on"))
    pools = [QueryPool(built[0].store, 2, 30.0, keeper=keeper) for _ in range(2)]
    try:
        assert {pool.serving() for pool in pools} == {"memory"}
        for pool in pools:
            assert pool.run(COUNT).body.split()[0] == b"?n"
        parents = {parent_of(process.pid) for pool in pools for process in pool._all}
        assert parents == {keeper.process.pid}
        assert sum(len(pool._all) for pool in pools) == 4
    finally:
        for pool in pools:
            pool.close()
        keeper.close()


def test_a_stopped_query_process_is_collected(built):
    keeper = Keeper(built[0].store, MemoryPlan("off"))
    pool = QueryPool(built[0].store, 1, 30.0, keeper=keeper)
    try:
        (process,) = pool._all
        pool._replace(process)
        deadline = time.monotonic() + 5
        while os.path.exists(f"/proc/{process.pid}") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not os.path.exists(f"/proc/{process.pid}"), "the killed process was left a zombie"
    finally:
        pool.close()
        keeper.close()


def test_readiness_follows_the_copy(tmp_path):
    link = tmp_path / "store"
    write(link, 200_000)  # big enough that copying it takes a moment
    pool = QueryPool(link, 1, 30.0, memory=MemoryPlan("on"))
    try:
        first = pool.ready()
        assert pool.run(COUNT).body.split() == [b"?n", b"200000"]  # answered while it copies, from disk
        assert pool.serving() == "memory"
        assert pool.ready()
        assert not first, "the copy of 200,000 quads was ready before the pool could be asked"
    finally:
        pool.close()


def test_off_is_ready_at_once_and_serves_from_disk(tmp_path):
    link = tmp_path / "store"
    write(link, 10)
    pool = QueryPool(link, 1, 30.0, memory=MemoryPlan("off"))
    try:
        assert pool.serving() == "disk"
        assert pool.ready()
    finally:
        pool.close()


def test_the_server_says_when_it_is_ready(built):
    running = Server(built[0].store, workers="2", threads="2")
    try:
        with urllib.request.urlopen(running.url + "/readyz", timeout=10) as response:
            assert response.status == 200
            assert json.load(response) == {"status": "ready"}
    finally:
        running.stop()


def test_the_server_is_not_ready_while_it_copies(tmp_path):
    link = tmp_path / "store"
    write(link, 200_000)
    running = Server(link, workers="1", threads="2", store_in_memory="on")
    try:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(running.url + "/readyz", timeout=10)
        assert refused.value.code == 503
        assert refused.value.headers["Retry-After"] == "5"
        assert json.load(refused.value)["status"] == "loading"
    finally:
        running.stop()


def test_a_light_query_is_answered_while_the_only_process_runs_a_heavy_one(built):
    pool = QueryPool(built[0].store, 1, 4.0, memory=MemoryPlan("on"))
    slow = QueryJob(
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", "tsv", False, 10
    )
    try:
        assert pool.serving() == "memory"
        (copying,) = pool._all
        heavy = threading.Thread(target=lambda: pytest.raises(QueryTimeout, pool.run, slow))
        heavy.start()
        time.sleep(0.5)
        started = time.monotonic()
        assert pool.run(COUNT).body.split()[0] == b"?n"
        assert time.monotonic() - started < 2, "the light query waited for the heavy one"
        extra = [process for process in pool._all if process is not copying]
        assert [(process.extra, process.serving) for process in extra] == [(True, "disk")]
        heavy.join(10)
        assert pool.serving() == "memory"  # the processes with a copy are asked first
    finally:
        pool.close()
