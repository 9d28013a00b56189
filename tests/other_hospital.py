"""The example hospital's graph in a private copy of the built store, and SSSOM checks.

Until ``pedkg import`` lands, the graph is loaded the way it will load it: a new store
version with the file's triples in ``pkg:other-hospital`` and its prefixes declared in
``pkg:imports`` (``sh:declare``).
"""

from __future__ import annotations

import csv
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from pedkg.config import PROJECT_ROOT
from pedkg.namespaces import STANDARD, graph_iri
from pedkg.store import GraphStore, new_version

EXAMPLE = PROJECT_ROOT / "data" / "examples" / "other-hospital.ttl"
OH = "https://example.org/other-hospital/"
PEDKG = "https://w3id.org/pedkg/"


def copy_store(built: Path, folder: Path) -> Path:
    """A store link in ``folder`` to a copy of the built store."""
    folder.mkdir(parents=True, exist_ok=True)
    GraphStore.open_read_only(built).backup(folder / "store-copy")
    link = folder / "store"
    link.symlink_to("store-copy")
    return link


def load_graph(link: Path, name: str, path: Path) -> None:
    """Load a Turtle file into ``pkg:name``, declaring its prefixes in ``pkg:imports``."""
    text = path.read_text(encoding="utf-8")
    graph = ox.NamedNode(graph_iri(name))
    sh, xsd = STANDARD["sh"], STANDARD["xsd"]
    declared = []
    for prefix, namespace in re.findall(r"^@prefix\s+([\w-]*):\s*<([^>]+)>", text, re.MULTILINE):
        node = ox.BlankNode()
        declared += [
            ox.Triple(graph, ox.NamedNode(sh + "declare"), node),
            ox.Triple(node, ox.NamedNode(sh + "prefix"), ox.Literal(prefix)),
            ox.Triple(
                node,
                ox.NamedNode(sh + "namespace"),
                ox.Literal(namespace, datatype=ox.NamedNode(xsd + "anyURI")),
            ),
        ]
    with new_version(link, from_current=True) as store:
        store.extend_graph(graph.value, ox.parse(text, format=ox.RdfFormat.TURTLE))
        store.extend_graph(graph_iri("imports"), declared)


def run(link: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command line on the store at ``link``."""
    return subprocess.run(
        [sys.executable, "-m", "pedkg", "--store", str(link), *args],
        env={**os.environ, "PEDKG_STORE": str(link)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def table_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader((ln for ln in handle if not ln.startswith("#")), delimiter="\t"))


def sssom_py_problems(path: Path, caplog: pytest.LogCaptureFixture) -> list[str]:
    """Everything sssom-py's parser and validators report about a file (they log and never fail).

    Not ``strict=True``: sssom-py 0.4.21 inverts its metadata check there (see test_mappings).
    """
    from sssom.constants import SchemaValidationType
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    problems: list[str] = []
    with caplog.at_level(logging.WARNING):
        msdf = parse_sssom_table(path)
        if len(msdf.df) != len(table_rows(path)):
            problems.append(f"sssom-py parsed {len(msdf.df)} of {len(table_rows(path))} rows")
        reports = validate(
            msdf,
            validation_types=[
                SchemaValidationType.JsonSchema,
                SchemaValidationType.PrefixMapCompleteness,
                SchemaValidationType.StrictCurieFormat,
            ],
            fail_on_error=False,
        )
    problems += [f"{kind}: {result}" for kind, report in reports.items() for result in report.results]
    problems += [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    return problems
