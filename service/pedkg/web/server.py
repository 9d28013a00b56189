"""``pedkg serve``: the Flask application under gunicorn.

Threads (gthread) rather than more processes: a request mostly waits on its query
process (see ``sparql.pool``), so a few worker processes with many threads each keep
every query process busy. Each worker builds its own application and query pool
after the fork; only the keeper that forks the query processes (``sparql.keeper``) is started
in the master. The defaults (2 workers × 8 threads × 1 query process, in memory) keep the heavy
queries' speed with two in-memory copies on two cores (README, Performance).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask
from gunicorn import glogging
from gunicorn.app.base import BaseApplication
from gunicorn.config import AccessLogFormat

from ..config import Settings


class Server(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Settings) -> None:
        from ..sparql.pool_choice import keeper
        from .admission import Counts

        self.settings = settings
        # the one keeper that starts every worker's query processes
        self.keeper = keeper(settings)
        # made before the fork, so every worker counts in the same memory; a row per worker,
        # with room for the replacements gunicorn starts on a reload before the old ones stop
        self.counts = Counts(2 * settings.workers + 2)
        self.row = 0
        super().__init__()

    def load_config(self) -> None:
        s = self.settings
        options: dict[str, Any] = {
            "bind": f"{s.host}:{s.port}",
            "workers": s.workers,
            "worker_class": "gthread",
            "threads": s.worker_threads,
            # a worker is only killed when it stops answering its master, never for a slow query
            "timeout": int(s.query_timeout) + 60,
            "graceful_timeout": 10,
            # gunicorn's largest finite bound (it clamps anything larger; 0 would read a request
            # line of any length into memory): a longer GET is a 414, long queries go by POST,
            # where pedkg answers 413 past PEDKG_MAX_REQUEST_BYTES
            "limit_request_line": 8190,
            "accesslog": "-",
            "logger_class": AccessLog,
            "errorlog": "-",
            "proc_name": "pedkg",
            "control_socket_disable": True,  # several servers (tests, benchmarks) share a host
            "pre_fork": self._give_row,
            "post_fork": self._take_row,
            "on_exit": self._stop_keeper,
        }
        for key, value in options.items():
            self.cfg.set(key, value)

    def _give_row(self, arbiter: Any, worker: Any) -> None:
        """In the master: the new worker's admission row is one no living worker holds."""
        held = {getattr(w, "pedkg_row", None) for w in arbiter.WORKERS.values()}
        worker.pedkg_row = next((r for r in range(self.counts.rows) if r not in held), 0)

    def _take_row(self, arbiter: Any, worker: Any) -> None:
        """In the worker, after the fork: remember the row ``create_app`` counts in."""
        self.row = worker.pedkg_row

    def _stop_keeper(self, arbiter: Any) -> None:
        if self.keeper is not None:
            self.keeper.close()

    def load(self) -> Flask:
        from ..sparql.pool_choice import query_pool
        from . import create_app

        # pedkg's own records (every write, who made it and how many triples it changed:
        # web/admin) go to the error log beside gunicorn's, in its format
        logging.basicConfig(
            level=logging.INFO,
            format="[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s",
            datefmt="%Y-%m-%d %H:%M:%S %z",
        )

        pool = query_pool(self.settings, self.keeper)
        return create_app(self.settings, pool, counts=self.counts, row=self.row)


class AccessLog(glogging.Logger):  # type: ignore[misc]
    """gunicorn's logger, each access line made from only the fields its format names.

    gunicorn fills its format from every field it knows, each request header, response header
    and environment variable among them, though the format uses nine; at a few thousand small
    answers a second that was a twentieth of the server's CPU (issue 13). The line is the same.
    """

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        if self.cfg.access_log_format != AccessLogFormat.default:
            return super().atoms(resp, req, environ, request_time)  # type: ignore[no-any-return]
        status = resp.status
        sent = getattr(resp, "sent", None)
        return {
            "h": environ.get("REMOTE_ADDR", "-"),
            "l": "-",
            "u": self._get_user(environ) or "-",
            "t": self.now(),
            "r": f"{environ['REQUEST_METHOD']} {environ['RAW_URI']} {environ['SERVER_PROTOCOL']}",
            "s": status.split(None, 1)[0] if isinstance(status, str) else status,
            "b": sent is not None and str(sent) or "-",
            "f": environ.get("HTTP_REFERER", "-"),
            "a": environ.get("HTTP_USER_AGENT", "-"),
        }


def serve(settings: Settings) -> None:
    Server(settings).run()
