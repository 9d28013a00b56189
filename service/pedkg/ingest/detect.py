"""Which format a file to import is in: ``--format``, else its name, else (``.json``, ``.tsv``) its start.

pedkg reads the RDF formats pyoxigraph parses and four it converts (``converted``): SSSOM TSV
mapping sets, OBO flat files, OBO Graphs JSON and FHIR R4 Bundles. ``.json`` is JSON-LD, OBO
Graphs or FHIR: an object whose first key is ``"graphs"`` is OBO Graphs, one that says
``"resourceType": "Bundle"`` a FHIR Bundle, anything else is JSON-LD. A ``.tsv`` is SSSOM when
its table has ``subject_id`` and ``object_id`` columns. Any file may be gzipped (``.gz``). A
file that cannot be told is refused with the list of what pedkg reads (``readable``).
"""

from __future__ import annotations

import gzip
from pathlib import Path

from ..errors import PedkgError
from ..sparql.formats import GRAPH_ALIASES, GRAPH_FORMATS
from . import fhir_bundle, obo_graphs

#: file name suffix -> format name; ``.gz`` is read through gzip
SUFFIXES = {
    "ttl": "turtle", "nt": "ntriples", "nq": "nquads", "trig": "trig", "rdf": "rdfxml",
    "owl": "rdfxml", "xml": "rdfxml", "jsonld": "jsonld", "json": "jsonld",
    "obo": "obo", "sssom.tsv": "sssom",
}  # fmt: skip
#: formats pedkg converts to RDF, with their names for people
CONVERTED = {
    "sssom": "SSSOM TSV",
    "obo": "OBO",
    "obographs": "OBO Graphs JSON",
    "fhir": "FHIR R4 Bundle JSON",
}
FORMAT_NAMES = {
    "turtle": "Turtle", "ntriples": "N-Triples", "nquads": "N-Quads", "trig": "TriG",
    "rdfxml": "RDF/XML", "jsonld": "JSON-LD", **CONVERTED,
}  # fmt: skip
#: what a file of each format is called, for the list of readable formats
NAMED_BY = {
    "turtle": ".ttl", "ntriples": ".nt", "nquads": ".nq", "trig": ".trig", "rdfxml": ".rdf .owl .xml",
    "jsonld": ".jsonld .json", "obographs": '.json with "graphs"',
    "fhir": '.json with "resourceType": "Bundle"', "obo": ".obo", "sssom": ".sssom.tsv",
}  # fmt: skip
#: every value ``--format`` takes (N3 is no Turtle: pyoxigraph's N3 is not what an import wants)
OPTIONS = sorted({*GRAPH_FORMATS, *GRAPH_ALIASES, *CONVERTED} - {"n3"})
SNIFFED = 1 << 16  # bytes read to tell JSON-LD from OBO Graphs, or SSSOM from another TSV


def readable() -> str:
    """The formats pedkg reads, with the names that tell them: for messages and ``--help``."""
    listed = ", ".join(f"{FORMAT_NAMES[f]} ({NAMED_BY[f]})" for f in NAMED_BY)
    return f"{listed}; any of them gzipped (.gz)"


def detect(path: Path, name: str | None) -> str:
    """The format name for ``--format`` (or an alias), else from the file's name and first bytes."""
    if name:
        found = name if name in GRAPH_FORMATS or name in CONVERTED else GRAPH_ALIASES.get(name)
        if found is None or name == "n3":
            raise PedkgError(f"unknown format {name!r}; one of {', '.join(OPTIONS)}")
        return found
    base = path.name.lower().removesuffix(".gz")
    stem, _, last = base.rpartition(".")
    if base.endswith(".sssom.tsv"):
        return "sssom"
    if stem and last == "tsv" and _is_sssom(_head(path)):
        return "sssom"
    found = SUFFIXES.get(last) if stem else None
    if found == "jsonld" and last == "json":
        head = _head(path)
        if obo_graphs.is_obo_graphs(head):
            return "obographs"
        if fhir_bundle.is_fhir_bundle(head):
            return "fhir"
    if found is None:
        raise PedkgError(
            f"{path}: cannot tell the format from the name; give --format. pedkg reads {readable()}"
        )
    return found


def _head(path: Path) -> bytes:
    """The first bytes of a file (b"" when it cannot be read: the import then says why)."""
    try:
        with gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb") as file:
            return file.read(SNIFFED)
    except (OSError, EOFError):
        return b""


def _is_sssom(head: bytes) -> bool:
    """Whether a TSV's table (after its ``#`` metadata lines) names SSSOM's subject and object columns."""
    for line in head.splitlines():
        if not line.startswith(b"#"):
            columns = line.decode("utf-8", "replace").strip().split("\t")
            return "subject_id" in columns and "object_id" in columns
    return False
