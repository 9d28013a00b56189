"""The 60-second load test: 32 clients mixing queries, pages and searches against ``pedkg serve``.

The suite's tests/test_overload.py runs the same load (tests/load.py) for a few seconds;
this is its full form, run on demand. It starts ``pedkg serve`` with its default settings
on a built store, drives it for ``--seconds``, and writes the numbers issue 7 asks for:
requests, answers by status, p50/p99 latency, and the server's memory (PSS of its whole
process tree) each second, to ``results/load.md`` and ``results/load.json`` (``--name`` for another name).

    .venv/bin/python tests/benchmarks/bench_load.py --store var/store [--seconds 60] [--clients 32]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from harness import PedkgServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import load  # noqa: E402 - tests/load.py, shared with the suite's short form

RESULTS = Path(__file__).parent / "results"


def markdown(summary: dict[str, object], memory: list[tuple[float, float]], settings: dict[str, str]) -> str:
    lines = [
        f"# Load test: {summary['clients']} clients for {summary['seconds']} s ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})",
        "",
        f"Server settings: {', '.join(f'{k}={v}' for k, v in settings.items()) or 'defaults'}.",
        "",
        "| measure | value |",
        "|---|---:|",
    ]
    for key in ("requests", "requests_per_second", "answered_per_second", "p50_ms", "p99_ms", "p50_ms_200"):
        lines.append(f"| {key} | {summary[key]} |")
    for key in ("p99_ms_200", "max_ms", "memory_mib_start", "memory_mib_end", "memory_mib_peak"):
        lines.append(f"| {key} | {summary[key]} |")
    lines.append(f"| connection failures | {summary['connection_failures']} |")
    lines += ["", "Answers by status: " + ", ".join(f"{k}: {v}" for k, v in summary["statuses"].items())]  # type: ignore[attr-defined]
    lines += ["", "| kind | statuses |", "|---|---|"]
    for kind, counts in summary["by_kind"].items():  # type: ignore[attr-defined]
        lines.append(f"| {kind} | {', '.join(f'{k}: {v}' for k, v in counts.items())} |")
    lines += ["", "Memory (s: MiB): " + ", ".join(f"{t:g}: {m:g}" for t, m in memory)]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="a built store link (PEDKG_STORE)")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--setting", action="append", default=[], metavar="K=V", help="a PEDKG_* setting")
    parser.add_argument("--name", default="load", help="results/NAME.md and NAME.json")
    args = parser.parse_args()
    settings = dict(item.split("=", 1) for item in args.setting)
    with tempfile.TemporaryDirectory() as logs:
        server = PedkgServer(Path(logs), args.store.resolve(), settings)
        server.start()
        try:
            assert server.process is not None
            report = load.run(
                f"http://127.0.0.1:{server.port}", server.process.pid, args.clients, args.seconds
            )
        finally:
            server.stop()
    summary = report.summary()
    summary["memory_growth_mib"] = round(load.median_growth(report), 1)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(
        json.dumps({**summary, "memory": report.memory_mib}, indent=1) + "\n"
    )
    (RESULTS / f"{args.name}.md").write_text(markdown(summary, report.memory_mib, settings))
    print((RESULTS / f"{args.name}.md").read_text())
    if report.failures:
        print("connection failures:", *report.failures[:10], sep="\n  ")


if __name__ == "__main__":
    main()
