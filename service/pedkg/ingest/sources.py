"""The source files of the graph, one named graph each, and their parsing.

Convention over configuration: ``ontology/<name>.ttl`` and ``data/<name>.ttl`` load
into graph ``pkg:<name>``, ``data/curated/<name>.ttl`` into ``pkg:curated-<name>``
and ``data/mappings/<name>.sssom.tsv`` into ``pkg:mappings-<name>``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..config import Settings
from ..errors import InputError, Problem
from ..mapping import sssom
from ..namespaces import graph_iri


@dataclass
class Source:
    path: Path
    graph_name: str
    kind: str  # "turtle" or "sssom"
    quads: list[ox.Quad] = field(default_factory=list)
    mapping_set: sssom.MappingSet | None = None

    @property
    def graph(self) -> ox.NamedNode:
        return ox.NamedNode(graph_iri(self.graph_name))

    def sha256(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def discover(settings: Settings) -> list[Source]:
    """Every source file, in a stable order."""
    found: list[Source] = []
    for folder, prefix in (
        (settings.ontology_dir, ""),
        (settings.data_dir, ""),
        (settings.data_dir / "curated", "curated-"),
    ):
        found += [Source(p, prefix + p.stem, "turtle") for p in sorted(folder.glob("*.ttl"))]
    for path in sorted((settings.data_dir / "mappings").glob("*.sssom.tsv")):
        found.append(Source(path, "mappings-" + path.name.removesuffix(".sssom.tsv"), "sssom"))
    return found


def parse(source: Source) -> list[Problem]:
    """Fill ``source.quads`` (Turtle) or ``source.mapping_set`` (SSSOM); return syntax problems."""
    if source.kind == "turtle":
        try:
            triples = ox.parse(path=str(source.path), format=ox.RdfFormat.TURTLE)
            source.quads = [ox.Quad(t.subject, t.predicate, t.object, source.graph) for t in triples]
        except SyntaxError as exc:
            return [Problem(source.path, exc.lineno or 0, f"Turtle syntax error: {exc.msg}")]
        except UnicodeDecodeError as exc:
            return [Problem(source.path, 0, f"not UTF-8 text: {exc}")]
        return []
    try:
        source.mapping_set = sssom.read(source.path)
    except InputError as exc:
        return [exc.problem]
    return []


def subject_lines(path: Path) -> dict[str, int]:
    """Where each subject starts in a Turtle file: prefixed name or <IRI> at line start."""
    found: dict[str, int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line and not line[0].isspace() and not line.startswith(("#", "@")):
            token = line.split(None, 1)[0]
            found.setdefault(token, number)
    return found
