"""Sources -> parse -> validate -> load into a fresh store -> swap it in.

Nothing touches the current store until the new one is complete, so a failed
build (bad input, a crash, a kill) leaves the previous store answering as before.
Graphs brought in by ``pedkg import`` (and ``pkg:imports``) are kept: the build starts
from the current data (on the embedded store a checkpoint copy, no quads copied),
replaces each of its own graphs, and drops every other graph (on a SPARQL server, every other
graph in pedkg's namespace: the server may hold others' data, and its own graphs, too).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .. import __version__
from ..config import Settings
from ..errors import ValidationFailed
from ..mapping import curated
from ..namespaces import BASE, GRAPH, STANDARD
from ..store.backend import writing
from ..store.register import IMPORTS_IRI
from . import importer, sources
from .validate import check_sources

PROVENANCE = "provenance"


@dataclass(frozen=True)
class BuildReport:
    store: str  # the store folder, or the SPARQL server's query endpoint
    triples_per_graph: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.triples_per_graph.values())


def load_sources(settings: Settings) -> list[sources.Source]:
    """Parse and check every source; raise ``ValidationFailed`` with every problem."""
    found = sources.discover(settings)
    problems = [p for source in found for p in sources.parse(source)]
    if not problems:
        problems = check_sources(found)
    if problems:
        raise ValidationFailed(problems)
    return found


def dataset_quads(found: list[sources.Source], project: Path) -> list[ox.Quad]:
    """All quads of a checked build: every source graph plus the provenance graph."""
    quads: list[ox.Quad] = []
    for source in found:
        if source.mapping_set is not None:
            source.quads = list(curated.to_quads(source.mapping_set, source.graph))
        source.quads = list(dict.fromkeys(source.quads))  # a graph is a set: count each triple once
        quads += source.quads
    return quads + list(_provenance(found, project))


def build(settings: Settings) -> BuildReport:
    """Validate the sources and swap in a freshly built store (or replace the server's graphs)."""
    found = load_sources(settings)
    quads = dataset_quads(found, settings.project)
    graphs: dict[str, list[ox.Triple]] = {}
    for quad in quads:
        if isinstance(quad.graph_name, ox.NamedNode):  # every source and the provenance are named graphs
            graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    with writing(settings, fresh=not settings.remote and not settings.store.exists()) as store:
        keep = {*graphs, *importer.imported_graphs(store), IMPORTS_IRI}
        for stale in set(store.named_graphs()) - keep:  # a removed source's graph, an admin's write
            if settings.remote and not stale.startswith(GRAPH):
                continue  # a server may hold others' data too: only pedkg's own graphs are its to drop
            store.drop_graph(stale)
        store.drop_graph(None)
        for graph, triples in graphs.items():
            store.replace_graph(graph, triples)  # on a server one request each, whole or not at all
    return BuildReport(settings.location, {g.removeprefix(GRAPH): len(t) for g, t in sorted(graphs.items())})


def _provenance(found: list[sources.Source], project: Path) -> Iterator[ox.Quad]:
    """One DCAT/VoID/PROV description per source graph; no timestamps, so builds repeat exactly."""
    graph = ox.NamedNode(GRAPH + PROVENANCE)
    rdf_type = ox.NamedNode(STANDARD["rdf"] + "type")
    void, prov, dcterms = STANDARD["void"], STANDARD["prov"], STANDARD["dcterms"]
    dataset = ox.NamedNode(BASE + "dataset")
    yield ox.Quad(dataset, rdf_type, ox.NamedNode(void + "Dataset"), graph)
    yield ox.Quad(dataset, rdf_type, ox.NamedNode(STANDARD["dcat"] + "Dataset"), graph)
    yield ox.Quad(dataset, ox.NamedNode(dcterms + "title"), ox.Literal("pedkg", language="en"), graph)
    yield ox.Quad(dataset, ox.NamedNode(STANDARD["owl"] + "versionInfo"), ox.Literal(__version__), graph)
    for source in found:
        node = source.graph
        relative = source.path.relative_to(project).as_posix()
        yield ox.Quad(dataset, ox.NamedNode(void + "subset"), node, graph)
        yield ox.Quad(node, rdf_type, ox.NamedNode(void + "Dataset"), graph)
        yield ox.Quad(node, rdf_type, ox.NamedNode(prov + "Entity"), graph)
        yield ox.Quad(node, ox.NamedNode(dcterms + "source"), ox.Literal(relative), graph)
        yield ox.Quad(node, ox.NamedNode(BASE + "ontology/sha256"), ox.Literal(source.sha256()), graph)
        yield ox.Quad(
            node,
            ox.NamedNode(void + "triples"),
            ox.Literal(str(len(source.quads)), datatype=ox.NamedNode(STANDARD["xsd"] + "integer")),
            graph,
        )
        yield ox.Quad(
            node,
            ox.NamedNode(prov + "wasGeneratedBy"),
            ox.NamedNode(BASE + "activity/build"),
            graph,
        )
    activity = ox.NamedNode(BASE + "activity/build")
    yield ox.Quad(activity, rdf_type, ox.NamedNode(prov + "Activity"), graph)
    yield ox.Quad(
        activity,
        ox.NamedNode(STANDARD["rdfs"] + "label"),
        ox.Literal(f"pedkg build {__version__}", language="en"),
        graph,
    )
