"""What a warm response-cache hit costs against a miss: one keep-alive client, a bounded loop.

Starts ``pedkg serve`` (one worker, so every request meets the same cache) on a built store,
then for each path sends ``--requests`` requests three ways: ``no-cache`` (answered afresh each
time: the cost without the cache), plain (a hit after the first), and ``If-None-Match`` (a 304).
For scale: ``/no-such-page`` (a 404 from Flask that touches no store, the cheapest request
through the application) and ``/healthz`` (never cached; one ``ASK`` in a query process).
Reports wall time and server CPU per request (the server's process tree, from ``/proc``).

    .venv/bin/python tests/benchmarks/bench_cache.py --store var/store [--requests 2000]
"""

from __future__ import annotations

import argparse
import http.client
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from harness import SPARQL_JSON, PedkgServer

POINT = "SELECT ?p ?o WHERE { <https://w3id.org/pedkg/neuroblastoma> ?p ?o }"
PATHS = {
    "/sparql point lookup": ("/sparql?" + urlencode({"query": POINT}), SPARQL_JSON),
    "entity page (HTML)": ("/id/neuroblastoma", "text/html"),
    "/api/search": ("/api/search?q=neuro&lang=en", "application/json"),
}


def loop(
    server: PedkgServer, path: str, headers: dict[str, str], count: int, expect: str | None
) -> tuple[float, float]:
    """(wall ms, server CPU ms) per request over ``count`` requests on one connection."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        cpu, start = server.cpu_seconds(), time.perf_counter()
        for _ in range(count):
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if expect is not None and response.headers.get("Pedkg-Cache") != expect:
                raise RuntimeError(f"{path}: expected {expect}, got {response.headers.get('Pedkg-Cache')}")
        wall, used = time.perf_counter() - start, server.cpu_seconds() - cpu
    finally:
        conn.close()
    return wall / count * 1000, used / count * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="a built store link (PEDKG_STORE)")
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as logs:
        server = PedkgServer(Path(logs), args.store.resolve(), {"PEDKG_WORKERS": "1"})
        server.start()
        try:
            rows = [
                (
                    "`/no-such-page`: a 404 from Flask, no store",
                    *loop(server, "/no-such-page", {}, args.requests, None),
                ),
                ("`/healthz`: never cached, one ASK", *loop(server, "/healthz", {}, args.requests, None)),
            ]
            for name, (path, accept) in PATHS.items():
                base = {"Accept": accept}
                miss = loop(server, path, {**base, "Cache-Control": "no-cache"}, args.requests, "bypass")
                hit = loop(server, path, base, args.requests, "hit")
                conn = http.client.HTTPConnection("127.0.0.1", server.port)
                conn.request("GET", path, headers=base)
                etag = conn.getresponse().headers["ETag"]
                conn.close()
                not_modified = loop(server, path, {**base, "If-None-Match": etag}, args.requests, "hit")
                rows += [
                    (f"{name}: miss (`no-cache`)", *miss),
                    (f"{name}: hit", *hit),
                    (f"{name}: 304", *not_modified),
                ]
        finally:
            server.stop()
    print(f"| request ({args.requests} each, 1 client) | wall ms/request | server CPU ms/request |")
    print("|---|---:|---:|")
    for name, wall, cpu in rows:
        print(f"| {name} | {wall:.3f} | {cpu:.3f} |")


if __name__ == "__main__":
    main()
