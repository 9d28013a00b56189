"""The keeper: one in-memory copy per server, shared by every worker's query processes, readiness
while it loads, and query processes that retire once they stop sharing it."""

from __future__ import annotations

import json
import os
import socket
import urllib.error
import urllib.request
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox
import pytest

from pedkg.sparql import runner
from pedkg.sparql.pool import Keeper, MemoryPlan, QueryJob, QueryPool
from pedkg.store.embedded import GraphStore
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


def test_every_worker_s_query_processes_are_forks_of_one_copy(built):
    """Two pools (two server workers) on one keeper: all their processes share one holder."""
    keeper = Keeper(built[0].store, MemoryPlan("on"))
    pools = [QueryPool(built[0].store, 2, 30.0, keeper=keeper) for _ in range(2)]
    try:
        assert {pool.serving() for pool in pools} == {"memory"}
        for pool in pools:  # every process answers, from the copy
            assert pool.run(COUNT).body.split()[0] == b"?n"
        holders = {parent_of(process.pid) for pool in pools for process in pool._all}
        assert len(holders) == 1, "query processes come from more than one copy"
        (holder,) = holders
        assert parent_of(holder) == keeper.process.pid
        assert sum(len(pool._all) for pool in pools) == 4
    finally:
        for pool in pools:
            pool.close()
        keeper.close()


def test_readiness_follows_the_copy_of_a_new_version(tmp_path):
    link = tmp_path / "store"
    write(link, 200_000)  # big enough that copying it takes a moment
    pool = QueryPool(link, 1, 30.0, memory=MemoryPlan("on"))
    try:
        first = pool.ready()
        assert pool.run(COUNT).body.split() == [b"?n", b"200000"]  # answered while it loads, from disk
        assert pool.serving() == "memory"
        assert pool.ready()
        assert not first, "the copy of 200,000 quads was ready before the keeper could be asked"
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


def test_a_query_process_retires_when_it_no_longer_shares_the_copy(tmp_path, monkeypatch):
    link = tmp_path / "store"
    write(link, 300)
    store = GraphStore.open_read_only(link)
    monkeypatch.setattr(runner, "MEASURE_AFTER", 0.0)  # measure after every answer
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:  # the query process, as the holder forks it, with a share of 1 byte
        ours.close()
        try:
            runner.serve(
                Connection(theirs.detach()), str(link), copy=(os.path.realpath(link), store), retire_bytes=1
            )
        finally:
            os._exit(0)
    theirs.close()
    connection = Connection(ours.detach())
    try:
        connection.send(COUNT)
        kind, answer = connection.recv()
        assert (kind, answer.body.split()) == ("ok", [b"?n", b"300"])
        assert connection.poll(10)
        assert connection.recv() == ("retire", None)
    finally:
        connection.close()
        os.waitpid(pid, 0)


def test_a_query_process_with_memory_to_spare_does_not_retire(tmp_path):
    link = tmp_path / "store"
    write(link, 300)
    store = GraphStore.open_read_only(link)
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        ours.close()
        try:
            runner.serve(
                Connection(theirs.detach()), str(link), copy=(os.path.realpath(link), store), retire_bytes=1
            )
        finally:
            os._exit(0)
    theirs.close()
    connection = Connection(ours.detach())
    try:
        connection.send(COUNT)  # a light query is not worth measuring: no retiring after it
        assert connection.recv()[0] == "ok"
        assert not connection.poll(0.5)
    finally:
        connection.close()
        os.waitpid(pid, 0)


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
