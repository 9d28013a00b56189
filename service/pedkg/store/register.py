"""The register of graphs brought in from elsewhere: ``pkg:imports`` says which graph came from where.

``pedkg import`` and ``pedkg link --accept`` both describe the graph they load there (VoID,
PROV, an SPDX checksum of the file, the prefixes it declared), and a rebuild keeps every graph
the register describes. Both write it through here, so neither has to import the other.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pyoxigraph as ox

from ..errors import PedkgError
from ..namespaces import STANDARD, graph_iri
from .interface import Store

IMPORTS = "imports"
IMPORTS_IRI = graph_iri(IMPORTS)
RDF, XSD, SH, DCT = STANDARD["rdf"], STANDARD["xsd"], STANDARD["sh"], STANDARD["dcterms"]
VOID, PROV, SPDX = STANDARD["void"], STANDARD["prov"], STANDARD["spdx"]


@dataclass(frozen=True)
class Origin:
    """Where a graph's triples came from, as its description in ``pkg:imports`` states."""

    title: str
    sha256: str
    media_type: str


def describe(graph: str, triples: int, origin: Origin, prefixes: dict[str, str]) -> Iterator[ox.Triple]:
    """The description of a registered graph: VoID, PROV, SPDX checksum, SHACL prefix declarations."""
    node = ox.NamedNode(graph)
    rdf_type = ox.NamedNode(RDF + "type")
    yield ox.Triple(node, rdf_type, ox.NamedNode(VOID + "Dataset"))
    yield ox.Triple(node, rdf_type, ox.NamedNode(PROV + "Entity"))
    yield ox.Triple(node, ox.NamedNode(VOID + "triples"), _typed(str(triples), "integer"))
    yield ox.Triple(node, ox.NamedNode(DCT + "created"), _typed(import_time(), "dateTime"))
    yield ox.Triple(node, ox.NamedNode(DCT + "format"), ox.Literal(origin.media_type))
    source, checksum = ox.BlankNode(), ox.BlankNode()
    yield ox.Triple(node, ox.NamedNode(PROV + "wasDerivedFrom"), source)
    yield ox.Triple(source, ox.NamedNode(DCT + "title"), ox.Literal(origin.title))
    yield ox.Triple(source, ox.NamedNode(SPDX + "checksum"), checksum)
    sha256 = ox.NamedNode(SPDX + "checksumAlgorithm_sha256")
    yield ox.Triple(checksum, ox.NamedNode(SPDX + "algorithm"), sha256)
    yield ox.Triple(checksum, ox.NamedNode(SPDX + "checksumValue"), ox.Literal(origin.sha256))
    for prefix, namespace in sorted(prefixes.items()):
        declaration = ox.BlankNode()
        yield ox.Triple(node, ox.NamedNode(SH + "declare"), declaration)
        yield ox.Triple(declaration, ox.NamedNode(SH + "prefix"), ox.Literal(prefix))
        yield ox.Triple(declaration, ox.NamedNode(SH + "namespace"), _typed(namespace, "anyURI"))


def forget(store: Store, graph: str) -> None:
    """Remove a graph's description, with its blank nodes, from ``pkg:imports``."""
    triples = store.triples(IMPORTS_IRI)
    by_subject: dict[str, list[ox.Triple]] = {}
    for triple in triples:
        by_subject.setdefault(str(triple.subject), []).append(triple)
    gone: set[ox.Triple] = set()
    todo = [str(ox.NamedNode(graph))]
    while todo:
        for triple in by_subject.pop(todo.pop(), []):
            gone.add(triple)
            if isinstance(triple.object, ox.BlankNode):
                todo.append(str(triple.object))
    if gone:
        store.replace_graph(IMPORTS_IRI, [t for t in triples if t not in gone])


def import_time() -> str:
    """When an import happened: now, or ``SOURCE_DATE_EPOCH`` when set (reproducible-builds.org),
    so that importing the same file into the same store gives the same dump."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            moment = datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError, OSError) as exc:
            raise PedkgError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970") from exc
    else:
        moment = datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _typed(value: str, xsd_type: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + xsd_type))
