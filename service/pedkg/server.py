"""``pedkg serve``: the Flask application under gunicorn.

Threads (gthread) rather than more processes: a request mostly waits on its query
process (see ``executor``), so a few worker processes with many threads each keep
every query process busy. Each worker builds its own application and query pool
after the fork; nothing is preloaded in the master. The defaults (2 workers × 8 threads
× 2 query processes, in memory) were chosen by ``tests/benchmarks/bench_engine.py workers``
against 1 × 16 × 2, 2 × 8 × 4 and 4 × 4 × 1 on two cores (README, Performance).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from .config import Settings


class Server(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        s = self.settings
        options: dict[str, Any] = {
            "bind": f"{s.host}:{s.port}",
            "workers": s.workers,
            "worker_class": "gthread",
            "threads": s.threads,
            # a worker is only killed when it stops answering its master, never for a slow query
            "timeout": int(s.query_timeout) + 60,
            "graceful_timeout": 10,
            # gunicorn's largest finite bound (it clamps anything larger; 0 would read a request
            # line of any length into memory): a longer GET is a 414, long queries go by POST,
            # where pedkg answers 413 past PEDKG_MAX_REQUEST_BYTES
            "limit_request_line": 8190,
            "accesslog": "-",
            "errorlog": "-",
            "proc_name": "pedkg",
            "control_socket_disable": True,  # several servers (tests, benchmarks) share a host
        }
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        from .web import create_app

        return create_app(self.settings)


def serve(settings: Settings) -> None:
    Server(settings).run()
