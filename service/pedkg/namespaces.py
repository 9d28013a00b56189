"""Prefixes, CURIE expansion and the IRIs pedkg mints.

External vocabularies use the prefixes and URI prefixes of the Bioregistry
(the RDF form where it has one); a test keeps this table in step with it.

Every CURIE is expanded and every IRI compressed by one ``curies.Converter`` over these
prefixes (``converter()``), or by that converter widened with a file's or a graph's own
prefixes (``converter_with``); ``expand`` adds what the converter leaves out: the IRI it
gives is checked by pyoxigraph's rule before anything can reach the store, and a failure is
an ``IriError`` that names the CURIE and says why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from .errors import PedkgError

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
    "icd11": "http://id.who.int/icd/entity/",
    "icd10cm": "https://www.icd10data.com/search?s=",
    "icdo": "http://codes.iarc.fr/search.php?cx=009987501641899931167%3A2_7lsevqpdm&cof=FORID%3A9&ie=UTF-8&ie=ISO-8859-1&oe=ISO-8859-1&sa=&q=",
    "mesh": "http://id.nlm.nih.gov/mesh/",
    "umls": "https://uts.nlm.nih.gov/uts/umls/concept/",
    "snomedct": "http://snomed.info/id/",
    "wikidata": "http://www.wikidata.org/entity/",
    "schema": "https://schema.org/",
    # the Bioregistry has the prefix but no URI prefix: FHIR's code system URI, '#', the code
    "nucc.taxonomy": "http://nucc.org/provider-taxonomy#",
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

#: what a prefix may be called (the start of SPARQL's PN_PREFIX, in ASCII)
PREFIX_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")

#: vocabulary names shown to people, keyed by prefix.
VOCABULARY_NAMES: dict[str, str] = {
    "MONDO": "MONDO Disease Ontology",
    "DOID": "Human Disease Ontology",
    "NCIT": "NCI Thesaurus",
    "HP": "Human Phenotype Ontology",
    "ORPHA": "Orphanet",
    "icd10": "WHO ICD-10",
    "icd11": "WHO ICD-11",
    "icd10cm": "ICD-10-CM",
    "icdo": "ICD-O-3",
    "mesh": "MeSH",
    "umls": "UMLS",
    "snomedct": "SNOMED CT",
    "wikidata": "Wikidata",
    "schema": "schema.org",
    "nucc.taxonomy": "NUCC Health Care Provider Taxonomy",
}


@cache
def converter() -> curies.Converter:
    """The one CURIE converter, over every prefix above."""
    import curies  # here, not at the top: it costs a quarter second of every command's start

    return curies.Converter.from_prefix_map(PREFIXES)


def converter_with(*extra: Mapping[str, str]) -> curies.Converter:
    """pedkg's converter widened with other prefixes, the first mapping's first.

    A prefix is left out when pedkg has it already, when its namespace has another prefix
    (pedkg's or an earlier one), or when it is not a prefix name: a file can add prefixes,
    never rename pedkg's namespaces or reuse pedkg's names for other ones.
    """
    import curies  # here, not at the top: it costs a quarter second of every command's start

    known = dict(PREFIXES)
    namespaces = set(known.values())
    for prefixes in extra:
        for prefix, namespace in prefixes.items():
            if prefix not in known and namespace not in namespaces and PREFIX_NAME.fullmatch(prefix):
                known[prefix] = namespace
                namespaces.add(namespace)
    return curies.Converter.from_prefix_map(known)


class IriError(PedkgError, ValueError):
    """A CURIE that expands to no IRI, or a text that is no IRI; ``reason`` says why."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"{text!r} {reason}")


def expand(curie: str, using: curies.Converter | None = None) -> str:
    """IRI of a CURIE, through ``using`` (else pedkg's converter).

    Raises ``IriError`` naming the CURIE when it has no prefix or one the converter lacks,
    no local identifier, or expands to a text that is not an IRI.
    """
    chosen = using or converter()
    try:
        reference = chosen.parse_curie(curie, strict=True)
    except ValueError:  # no colon, or a prefix the converter lacks
        raise IriError(curie, "is not a CURIE with a declared prefix") from None
    if not reference.identifier:
        raise IriError(curie, "is not a CURIE: it has no local identifier")
    iri = chosen.expand_reference(reference, strict=True)
    wrong = _not_an_iri(iri)
    if wrong:
        raise IriError(curie, f"does not expand to an IRI: {wrong}")
    return iri


def checked_iri(text: str) -> str:
    """``text``, if it is an absolute IRI by pyoxigraph's rule; else ``IriError`` saying why."""
    wrong = _not_an_iri(text)
    if wrong:
        raise IriError(text, f"is not an IRI: {wrong}")
    return text


def _not_an_iri(text: str) -> str:
    """Why pyoxigraph refuses ``text`` as an IRI ("" when it accepts it)."""
    import pyoxigraph as ox

    try:
        ox.NamedNode(text)
    except ValueError as exc:
        return str(exc)
    return ""


@lru_cache(maxsize=1 << 16)
def compress(iri: str) -> str:
    """CURIE of an IRI when a prefix fits, else the IRI itself (remembered: pages ask for the same
    IRIs' CURIEs over and over)."""
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
