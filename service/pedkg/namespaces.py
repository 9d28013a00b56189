"""Prefixes, CURIE expansion and the IRIs pedkg mints.

External vocabularies use the prefixes and URI prefixes of the Bioregistry
(the RDF form where it has one); a test keeps this table in step with it.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import curies

BASE = "https://w3id.org/pedkg/"
ONTOLOGY = BASE + "ontology/"
GRAPH = BASE + "graph/"

#: prefix -> URI prefix, for every vocabulary the graph links to.
EXTERNAL: dict[str, str] = {
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
    "DOID": "http://purl.obolibrary.org/obo/DOID_",
    "NCIT": "http://purl.obolibrary.org/obo/NCIT_",
    "HP": "http://purl.obolibrary.org/obo/HP_",
    "ORPHA": "http://www.orpha.net/ORDO/Orphanet_",
    "icd10": "https://icd.who.int/browse10/2019/en#/",
    "icdo": "http://codes.iarc.fr/search.php?cx=009987501641899931167%3A2_7lsevqpdm&cof=FORID%3A9&ie=UTF-8&ie=ISO-8859-1&oe=ISO-8859-1&sa=&q=",
    "mesh": "http://id.nlm.nih.gov/mesh/",
    "umls": "https://uts.nlm.nih.gov/uts/umls/concept/",
    "snomedct": "http://snomed.info/id/",
    "wikidata": "http://www.wikidata.org/entity/",
    "schema": "https://schema.org/",
}

#: prefixes of the standard RDF vocabularies pedkg's own files use.
STANDARD: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "sh": "http://www.w3.org/ns/shacl#",
    "semapv": "https://w3id.org/semapv/vocab/",
    "sssom": "https://w3id.org/sssom/",
    "spdx": "http://spdx.org/rdf/terms#",
}

OWN: dict[str, str] = {"pedkg": BASE, "pko": ONTOLOGY, "pkg": GRAPH, "pkshape": BASE + "shapes/"}

PREFIXES: dict[str, str] = {**OWN, **STANDARD, **EXTERNAL}

#: vocabulary names shown to people, keyed by prefix.
VOCABULARY_NAMES: dict[str, str] = {
    "MONDO": "MONDO Disease Ontology",
    "DOID": "Human Disease Ontology",
    "NCIT": "NCI Thesaurus",
    "HP": "Human Phenotype Ontology",
    "ORPHA": "Orphanet",
    "icd10": "WHO ICD-10",
    "icdo": "ICD-O-3",
    "mesh": "MeSH",
    "umls": "UMLS",
    "snomedct": "SNOMED CT",
    "wikidata": "Wikidata",
    "schema": "schema.org",
}


@cache
def converter() -> curies.Converter:
    """The one CURIE converter, over every prefix above."""
    import curies  # here, not at the top: it costs a quarter second of every command's start

    return curies.Converter.from_prefix_map(PREFIXES)


def expand(curie: str) -> str:
    """IRI of a CURIE; raises ``ValueError`` for an unknown prefix or a malformed CURIE."""
    iri = converter().expand(curie, strict=True)
    return iri


def compress(iri: str) -> str:
    """CURIE of an IRI when a prefix fits, else the IRI itself."""
    return converter().compress(iri, passthrough=True)


def href(iri: str) -> str | None:
    """Where a link to an IRI from the data may point: pedkg's own IRIs to their page at /id/
    on this server, other http(s) IRIs to themselves, anything else (``javascript:``,
    ``data:``, ``urn:``, ``mailto:`` ...) nowhere: pages show those as text, so data never
    makes a script link. (The web pages link through ``web.urls.iri_href``, which builds
    the /id/ path with Flask and keeps the reader's ``?lang=``.)
    """
    if iri.startswith(BASE):
        return "/id/" + iri.removeprefix(BASE)
    scheme, colon, rest = iri.partition(":")
    if colon and scheme.lower() in ("http", "https") and rest.startswith("//"):
        return iri
    return None


def graph_iri(name: str) -> str:
    return GRAPH + name


def sparql_prologue() -> str:
    """``PREFIX`` lines for every prefix, to predeclare in queries."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
