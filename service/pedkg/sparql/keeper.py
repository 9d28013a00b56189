"""The keeper: one process per server that makes every query process, by forking.

An in-memory copy of the store answers heavy queries several times faster than RocksDB, but a
copy in every query process multiplied the memory by their number. The keeper holds no store.
For each store version it forks a *holder* that copies the version into memory once; every
query process for that version is forked from the holder and shares its pages copy-on-write.
Until the holder is ready, or when the memory plan keeps the store on disk, the keeper forks
query processes that read the store on disk. Both processes are single-threaded, so forking
them is safe (unlike forking a threaded server worker).

A query process hands the server worker that asked for it one end of a socket pair (passed with
SCM_RIGHTS); the worker kills it by its pid when a query runs too long, and the process that
forked it collects it within a second. Reading the copy writes reference counts in the nodes it
touches, which unshares their pages: a query process whose private memory passes
``RETIRE_SHARE`` of the copy says so after its answer, and the worker's pool forks a fresh one
(milliseconds), so the server holds about one copy plus what the queries under way have touched.

Run as ``python -m pedkg.sparql.keeper FOLDER STORE_LINK MODE BUDGET`` by ``pool.Keeper``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import sys
import time
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import recv_handle, send_handle
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..store.embedded import GraphStore
from ..store.memory import in_memory_copy
from .pool import BYTES_PER_QUAD, KEEPER_SOCKET, KeeperState, MemoryPlan
from .runner import serve

log = logging.getLogger("pedkg.keeper")

#: A query process from the holder retires once its private memory passes this share of the copy.
RETIRE_SHARE = float(os.environ.get("PEDKG_RETIRE_SHARE_EXPERIMENT", "0.2"))


class _Keeper:
    def __init__(self, listener: socket.socket, link: str, plan: MemoryPlan, state: KeeperState) -> None:
        self.listener = listener
        self.link = link
        self.plan = plan
        self.state = state
        self.clients: list[Connection] = []
        self.target = ""
        self.holder: Connection | None = None
        self.where = ""  # for the current target: "memory", "disk", or "" while the holder loads
        self.refusal: str | None = None  # a plan error: every query process answers it
        self.waiting: list[Connection] = []  # clients that asked to hear when the copy is settled
        self.generation = 0

    def run(self, parent: int) -> None:
        while os.getppid() == parent:  # the server stopped: stop too
            _reap()
            self._follow()
            listening: list[Any] = [self.listener, *self.clients]
            if self.holder is not None:
                listening.append(self.holder)
            for ready in wait(listening, timeout=1.0):
                if ready is self.listener:
                    accepted, _ = self.listener.accept()
                    self.clients.append(Connection(accepted.detach()))
                elif ready is self.holder:
                    self._hear_holder()
                else:
                    self._hear_client(ready)  # type: ignore[arg-type]  # one of self.clients

    def _follow(self) -> None:
        """A new store version behind the link: a new holder (the old one's processes live on)."""
        target = os.path.realpath(self.link)
        if target == self.target:
            return
        if self.holder is not None:
            self.holder.close()  # the holder sees the pipe close and exits
        self.target, self.where, self.refusal = target, "", None
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            ours.close()
            self._close_inherited()
            _hold(Connection(theirs.detach()), self.link, target, self.plan)
            os._exit(0)
        theirs.close()
        self.holder = Connection(ours.detach())
        self._publish()

    def _hear_holder(self) -> None:
        assert self.holder is not None
        try:
            kind, detail = self.holder.recv()
        except (EOFError, OSError):
            kind, detail = "disk", "the holder stopped"
            self.holder.close()
            self.holder = None
        if kind == "refused":
            self.where, self.refusal = "disk", detail
        else:
            self.where = "memory" if kind == "memory" else "disk"
        self._publish()
        for client in self.waiting:
            self._send(client, ("settled", self.where))
        self.waiting.clear()

    def _hear_client(self, client: Connection) -> None:
        try:
            request = client.recv()
        except (EOFError, OSError):
            self._drop(client)
            return
        self._follow()
        if request == "settle":
            if self.where:
                self._send(client, ("settled", self.where))
            else:
                self.waiting.append(client)
        elif request == "fork":
            self._fork_for(client)

    def _fork_for(self, client: Connection) -> None:
        """A new query process, its pid and one end of its socket pair sent to ``client``."""
        where = self.where if self.where == "memory" else "disk"
        if where == "memory" and self.holder is not None:
            self.holder.send("fork")
            _, pid = self.holder.recv()
            handle = recv_handle(self.holder)
        else:
            ours, theirs = socket.socketpair()
            pid = os.fork()
            if pid == 0:
                ours.close()
                self._close_inherited()
                serve(Connection(theirs.detach()), self.link, refusal=self.refusal)
                os._exit(0)
            theirs.close()
            handle = ours.detach()
        if self._send(client, ("forked", pid, self.generation, where)):
            send_handle(client, handle, 0)
        os.close(handle)

    def _send(self, client: Connection, message: object) -> bool:
        try:
            client.send(message)
            return True
        except OSError:
            self._drop(client)
            return False

    def _drop(self, client: Connection) -> None:
        if client in self.clients:
            self.clients.remove(client)
        if client in self.waiting:
            self.waiting.remove(client)
        client.close()

    def _publish(self) -> None:
        self.generation += 1
        self.state.write(self.generation, ready=bool(self.where))

    def _close_inherited(self) -> None:
        """In a forked child: the keeper's sockets are not the child's to keep open."""
        self.listener.close()
        for client in self.clients:
            client.close()
        if self.holder is not None:
            self.holder.close()


def _hold(keeper: Connection, link: str, target: str, plan: MemoryPlan) -> None:
    """The holder: copy a store version into memory, then fork query processes from it on request."""
    try:
        disk = GraphStore.open_read_only(Path(target))
        quads = len(disk)
        if not plan.wanted(quads):
            keeper.send(("disk", None))
            return
    except StoreError as exc:  # no store yet, or a plan that names no mode
        keeper.send(("refused" if "PEDKG_STORE_IN_MEMORY" in str(exc) else "disk", str(exc)))
        return
    started = time.monotonic()
    copy = in_memory_copy(disk)
    del disk  # the copy's query processes must not inherit RocksDB's files and caches
    log.info("copied %s into memory in %.1f s (%s quads)", target, time.monotonic() - started, f"{quads:,}")
    keeper.send(("memory", None))
    retire_bytes = max(32 << 20, int(quads * BYTES_PER_QUAD * RETIRE_SHARE))
    while True:
        _reap()
        try:
            if not keeper.poll(1.0):
                continue
            request = keeper.recv()
        except (EOFError, OSError):
            return
        if request != "fork":
            continue
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            ours.close()
            keeper.close()
            serve(Connection(theirs.detach()), link, copy=(target, copy), retire_bytes=retire_bytes)
            os._exit(0)
        theirs.close()
        keeper.send(("forked", pid))
        send_handle(keeper, ours.fileno(), 0)
        ours.close()


def _reap() -> None:
    """Collect the query processes that have ended (their CPU time then counts as ours)."""
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def main(argv: list[str]) -> None:
    folder, link, mode, budget = argv
    logging.basicConfig(level=logging.INFO, format="[%(asctime)s] [%(process)d] [INFO] %(message)s")
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C reaches the server, which stops us
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(Path(folder) / KEEPER_SOCKET))
    listener.listen(64)
    state = KeeperState(Path(folder), create=True)
    _Keeper(listener, link, MemoryPlan(mode, int(budget)), state).run(os.getppid())


if __name__ == "__main__":
    main(sys.argv[1:])
