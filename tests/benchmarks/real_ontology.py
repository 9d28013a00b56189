"""A real ontology file for the benchmark data, in a named graph of its own (``--ontology PATH``).

The bench cannot download anything, so the file is given on the command line; it replaces
part of the synthetic filler (the total stays ``--triples``). ``describe`` names the file
(its sha256, which goes into the data cache key, and where it came from: ``KNOWN`` holds the
files we have fetched before, or ``--ontology-source`` says it); ``write`` copies its distinct
triples into the N-Quads being built, in one pass that also picks the classes the query mix
asks about (``Summary.classes``: the deepest labelled classes of the named ``rdfs:subClassOf``
hierarchy, for the point and ontology-path kinds).

Formats: RDF/XML (``.owl``, ``.rdf``, ``.xml``), Turtle, N-Triples, N-Quads (graphs dropped),
optionally compressed as ``.gz``, ``.xz`` or ``.bz2``.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import lzma
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox

GRAPH_PREFIX = "https://w3id.org/pedkg/graph/bench-real-"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
CLASSES = 3  # classes the query mix asks about

# sha256 of a file we have fetched -> where it is from (repository, path, commit, licence)
KNOWN = {
    "e2d434dc3b3b38ca70aad4ab4f88e16ba84e6551716f2aad262e3ffa44e7ee25": (
        "Enzyme Commission Code (eccode, version 2024-10-02, IUBMB Enzyme Nomenclature as OWL by "
        "PyOBO), github.com/biopragmatics/obo-db-ingest export/eccode/eccode.owl.gz at commit "
        "5613ff7e7e5d40905639a4092d0a4e104929710d (file last changed in 0f7ebf7), CC-BY-4.0"
    ),
}
COMPRESSED = {".gz": gzip.open, ".xz": lzma.open, ".bz2": bz2.open}
FORMATS = {".owl": ox.RdfFormat.RDF_XML, ".rdf": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML}


@dataclass(frozen=True)
class Ontology:
    """A file given with ``--ontology``: what the cache key and the report say of it."""

    path: Path
    sha256: str
    source: str
    graph: str

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class Summary:
    """What ``write`` found: distinct triples written, and the classes for the query mix."""

    triples: int
    classes: tuple[str, ...]


def _parts(path: Path) -> tuple[Callable[[Path, str], IO[bytes]], ox.RdfFormat]:
    suffixes = [s.lower() for s in path.suffixes]
    opener = COMPRESSED.get(suffixes[-1]) if suffixes else None
    inner = suffixes[-2] if opener and len(suffixes) > 1 else (suffixes[-1] if suffixes else "")
    fmt = FORMATS.get(inner) or ox.RdfFormat.from_extension(inner.lstrip("."))
    if fmt is None or fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N3):
        raise ValueError(
            f"{path.name}: not an RDF file this bench reads (RDF/XML .owl/.rdf, .ttl, .nt, .nq; "
            ".gz/.xz/.bz2 allowed); convert OBO or OFN with ROBOT first"
        )
    return opener or open, fmt  # type: ignore[return-value]


def describe(path: Path, source: str | None = None) -> Ontology:
    """The file's identity: sha256 of its bytes, where it is from, its graph (named after the file)."""
    _parts(path)  # refuse a format we cannot read before any work
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    sha = digest.hexdigest()
    stem = path.name.split(".")[0].lower()
    slug = re.sub(r"[^a-z0-9]+", "-", stem).strip("-") or "ontology"
    return Ontology(
        path, sha, source or KNOWN.get(sha, f"{path.name} (source not given)"), GRAPH_PREFIX + slug
    )


def _depths(parents: dict[str, list[str]]) -> dict[str, int]:
    """Longest named ``rdfs:subClassOf`` chain above each class (cycles cut)."""
    depth: dict[str, int] = {}
    for start in parents:
        stack = [(start, iter(parents.get(start, ())))]
        on_path = {start}
        while stack:
            node, it = stack[-1]
            parent = next(it, None)
            if parent is None:
                stack.pop()
                on_path.discard(node)
                depth[node] = 1 + max(
                    (depth.get(p, 0) for p in parents.get(node, ()) if p in depth), default=-1
                )
            elif parent not in depth and parent not in on_path:
                on_path.add(parent)
                stack.append((parent, iter(parents.get(parent, ()))))
    return depth


def write(ontology: Ontology, out: IO[bytes]) -> Summary:
    """Append the file's distinct triples to ``out`` as N-Quads in the ontology's graph."""
    opener, fmt = _parts(ontology.path)
    graph = ox.NamedNode(ontology.graph)
    seen: set[int] = set()
    parents: dict[str, list[str]] = {}
    labelled: set[str] = set()

    def quads(source: IO[bytes]) -> Iterator[ox.Quad]:
        for q in ox.parse(source, format=fmt):
            s, p, o = q.subject, q.predicate, q.object
            key = hash((s, p, o))
            if key in seen:
                continue
            seen.add(key)
            if isinstance(s, ox.NamedNode):
                if p.value == SUBCLASS and isinstance(o, ox.NamedNode):
                    parents.setdefault(s.value, []).append(o.value)
                elif p.value == LABEL:
                    labelled.add(s.value)
            yield ox.Quad(s, p, o, graph)

    with opener(ontology.path, "rb") as source:
        ox.serialize(quads(source), out, format=ox.RdfFormat.N_QUADS)
    depth = _depths(parents)
    named = sorted(c for c in depth if c in labelled)
    bottom = max((depth[c] for c in named), default=0)
    deepest = [c for c in named if depth[c] == bottom]  # spread over them: not all siblings
    picks = sorted({deepest[k * len(deepest) // CLASSES] for k in range(CLASSES)}) if deepest else []
    return Summary(len(seen), tuple(picks))
