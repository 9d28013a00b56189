"""The keeper: one process per server that starts every query process, by forking.

A query process used to be a fresh interpreter (multiprocessing's spawn), a third of a second
and an import of everything before its first answer, which every timeout paid again. The keeper
is started once, before gunicorn forks its workers; it imports the query side, holds no store
and runs one thread, so forking it is safe (unlike forking a threaded server worker) and a new
query process is ready in milliseconds. It lives in the server's process tree, so its query
processes count in the server's memory and CPU.

A query process hands the server worker that asked for it one end of a socket pair (passed with
SCM_RIGHTS); the worker kills it by its pid when a query runs too long, and the keeper collects
it within a second.

Run as ``python -m pedkg.sparql.keeper FOLDER STORE_LINK MODE BUDGET`` by ``pool.Keeper``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import sys
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import send_handle
from pathlib import Path
from typing import Any

from .pool import KEEPER_SOCKET, MemoryPlan
from .runner import serve


class _Keeper:
    def __init__(self, listener: socket.socket, link: str, plan: MemoryPlan) -> None:
        self.listener = listener
        self.link = link
        self.plan = plan
        self.clients: list[Connection] = []

    def run(self, parent: int) -> None:
        while os.getppid() == parent:  # the server stopped: stop too
            _reap()
            listening: list[Any] = [self.listener, *self.clients]
            for ready in wait(listening, timeout=1.0):
                if ready is self.listener:
                    accepted, _ = self.listener.accept()
                    self.clients.append(Connection(accepted.detach()))
                else:
                    self._hear(ready)  # type: ignore[arg-type]  # one of self.clients

    def _hear(self, client: Connection) -> None:
        try:
            kind, disk = client.recv()
            if kind == "fork":
                pid, handle = self._fork(MemoryPlan("off") if disk else self.plan)
                try:
                    client.send(("forked", pid))
                    send_handle(client, handle, 0)
                finally:
                    os.close(handle)
        except (EOFError, OSError):
            self.clients.remove(client)
            client.close()

    def _fork(self, plan: MemoryPlan) -> tuple[int, int]:
        """A new query process: its pid and our end of its socket pair."""
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            ours.close()
            self.listener.close()  # the keeper's sockets are not the child's to keep open
            for client in self.clients:
                client.close()
            try:
                serve(Connection(theirs.detach()), self.link, plan)
            finally:
                os._exit(0)
        theirs.close()
        return pid, ours.detach()


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
    _Keeper(listener, link, MemoryPlan(mode, int(budget))).run(os.getppid())


if __name__ == "__main__":
    main(sys.argv[1:])
