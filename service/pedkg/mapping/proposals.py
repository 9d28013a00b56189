"""Proposing mappings between two graphs of the store (``pedkg link``), read through SPARQL.

The entities of a graph are the IRIs that carry a name in it (``rdfs:label``,
``skos:prefLabel``, ``schema:name``: labels; ``skos:altLabel``, ``schema:alternateName``,
``pko:seedLabel``: synonyms). Two kinds of evidence link an entity of the source graph
(the SSSOM subject) to one of the target graph (the object):

- **Shared codes** (``semapv:MappingChaining``): both are tied to the same external
  concept, by IRI (``skos:exactMatch``/``closeMatch``, ``owl:sameAs``, ``schema:sameAs``,
  ``schema:code``, in any graph, so pedkg's curated mappings count), or one side's code
  literal (``schema:code``/``schema:codeValue`` with its ``schema:codingSystem``,
  ``skos:notation``) is the other side's concept's ``skos:notation`` in a vocabulary the
  coding system names. Both ties exact give ``skos:exactMatch`` (confidence 0.95); one
  close gives ``skos:closeMatch`` (0.8). Broader and narrower ties are no evidence: two
  diseases filed under the same broader code (C64) are siblings at best.
- **Labels** (``semapv:LexicalMatching``, ``skos:closeMatch``): names equal after
  ``folding.fold`` (case, width, spaces, dashes, apostrophes; Hangul as jamo), in any
  language: 0.9 label to label, 0.8 label to synonym, 0.7 synonym to synonym. Failing
  that, names of eight or more folded characters whose Ratcliff/Obershelp ratio is at
  least 0.9 (plurals, spelling variants) count as ``semapv:LexicalSimilarityThresholdMatching``
  with confidence base × ratio².

A pair already related by any mapping in the store (a curated ``pkg:mappings-*`` or an
accepted ``pkg:links-*`` axiom, or a SKOS/``owl:sameAs`` triple) is never proposed again:
proposals only ever add to what people decided. The strongest evidence names the
predicate and justification; the rest is recorded in ``comment`` and ``match_string``.

This module reads the candidates (``candidates``) from the store and writes the proposals;
``evidence`` compares and scores them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from ..errors import NotFound
from ..folding import fold
from ..namespaces import IriError, checked_iri, converter_with, expand, graph_iri
from ..sparql.rows import result_rows
from ..store.interface import Store
from . import sssom_tsv
from .candidates import LABEL_FIELDS, TIES, Entity, Name, Tie
from .evidence import Evidence, by_codes, by_names, proposal

LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX pko: <https://w3id.org/pedkg/ontology/>
SELECT ?g ?e ?p ?text WHERE {
  GRAPH ?g { ?e ?p ?text }
  VALUES ?p { rdfs:label skos:prefLabel schema:name skos:altLabel schema:alternateName pko:seedLabel }
  FILTER(isIRI(?e) && isLiteral(?text))
}"""

CODES = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
SELECT ?e ?p ?c ?notation ?value ?system WHERE {
  { VALUES ?p { skos:exactMatch skos:closeMatch owl:sameAs schema:sameAs schema:code }
    ?e ?p ?c FILTER(isIRI(?e) && isIRI(?c)) OPTIONAL { ?c skos:notation ?notation } }
  UNION
  { ?e schema:code ?code . ?code schema:codeValue ?value
    OPTIONAL { ?code schema:codingSystem ?system } BIND(schema:code AS ?p) FILTER(isIRI(?e)) }
  UNION
  { VALUES ?p { skos:notation schema:code } ?e ?p ?value FILTER(isIRI(?e) && isLiteral(?value)) }
}"""

COVERED = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?s ?o WHERE {
  { ?axiom owl:annotatedSource ?s ; owl:annotatedTarget ?o }
  UNION
  { VALUES ?p { owl:sameAs skos:exactMatch skos:closeMatch skos:broadMatch skos:narrowMatch
                skos:relatedMatch }
    ?s ?p ?o FILTER(isIRI(?o)) }
}"""

DECLARED = """
PREFIX sh: <http://www.w3.org/ns/shacl#>
SELECT ?g ?prefix ?namespace WHERE {
  GRAPH <https://w3id.org/pedkg/graph/imports> {
    ?g sh:declare ?d . ?d sh:prefix ?prefix ; sh:namespace ?namespace
  }
}"""


def graph_entities(store: Store, graph: str) -> dict[str, Entity]:
    """The named IRIs of ``pkg:graph``; raises NotFound for a graph the store lacks."""
    iri = graph_iri(graph)
    if not store.has_graph(iri):
        raise NotFound(f"graph pkg:{graph} is not in the store (`pedkg graphs` lists them)")
    entities: dict[str, Entity] = {}
    for row in result_rows(store.query(LABELS, substitutions={ox.Variable("g"): ox.NamedNode(iri)})):
        text = row["text"]
        assert isinstance(text, ox.Literal)
        predicate = row["p"].value
        entity = entities.setdefault(row["e"].value, Entity(row["e"].value))
        folded = fold(text.value)
        if folded:
            name = Name(text.value, text.language, LABEL_FIELDS[predicate], predicate, folded)
            entity.names.append(name)
    return entities


def add_ties(store: Store, *groups: dict[str, Entity]) -> None:
    """Read every code tie of the given entities, from the whole store."""
    wanted = {iri: e for group in groups for iri, e in group.items()}
    notations: dict[str, set[str]] = defaultdict(set)
    rows = result_rows(store.query(CODES))
    for row in rows:
        if row.get("c") is not None and row.get("notation") is not None:
            notations[row["c"].value].add(row["notation"].value)
    for row in rows:
        entity = wanted.get(row["e"].value)
        if entity is None:
            continue
        predicate = row["p"].value
        strength = TIES.get(predicate)
        if strength is None:
            continue
        if row.get("c") is not None:
            concept = row["c"].value
            entity.ties.append(
                Tie(strength, predicate, concept=concept, notations=frozenset(notations[concept]))
            )
        elif row.get("value") is not None:
            system = row["system"].value if row.get("system") is not None else ""
            entity.ties.append(Tie(strength, predicate, value=row["value"].value.strip(), system=system))
    for entity in wanted.values():
        entity.ties = list(dict.fromkeys(entity.ties))


def covered_pairs(store: Store) -> set[frozenset[str]]:
    """Every pair of IRIs some mapping of the store already relates, in either direction."""
    return {frozenset((row["s"].value, row["o"].value)) for row in result_rows(store.query(COVERED))}


def declared_prefixes(store: Store) -> dict[str, str]:
    """The prefixes imported graphs declared (``sh:declare`` in ``pkg:imports``)."""
    return {row["prefix"].value: row["namespace"].value for row in result_rows(store.query(DECLARED))}


@dataclass(frozen=True)
class Proposals:
    source: str
    target: str
    mappings: list[sssom_tsv.Mapping]
    prefixes: dict[str, str]

    def metadata(self) -> dict[str, object]:
        return {
            "mapping_set_id": f"https://w3id.org/pedkg/mappings/proposals/{self.source}-{self.target}",
            "mapping_set_title": f"pedkg link proposals: pkg:{self.source} to pkg:{self.target}",
            "mapping_set_description": "Candidate mappings proposed by shared codes and by names; "
            "to be reviewed before `pedkg link --accept` loads them.",
            "license": "https://creativecommons.org/licenses/by/4.0/",
            "subject_source": graph_iri(self.source),
            "object_source": graph_iri(self.target),
        }

    def to_tsv(self) -> str:
        return sssom_tsv.write(self.mappings, self.metadata(), self.prefixes)


def propose(store: Store, source: str, target: str, author: str, min_score: float = 0.5) -> Proposals:
    """Mappings from the entities of ``pkg:source`` to those of ``pkg:target``, best first per pair."""
    subjects, objects = graph_entities(store, source), graph_entities(store, target)
    add_ties(store, subjects, objects)
    covered = covered_pairs(store)
    found: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    for s, o, evidence in by_codes(subjects, objects):
        found[s, o].append(evidence)
    for s, o, evidence in by_names(subjects, objects):
        found[s, o].append(evidence)
    mappings = []
    for (s, o), evidences in sorted(found.items()):
        if s == o or frozenset((s, o)) in covered:
            continue
        mapping = proposal(subjects[s], objects[o], evidences, author)
        if mapping.confidence is not None and mapping.confidence >= min_score:
            mappings.append(mapping)
    prefixes = declared_prefixes(store)
    return Proposals(source, target, mappings, prefixes)


def agent_iri(text: str) -> str | None:
    """The IRI an ``--author`` names: an http(s) IRI as is, a CURIE of a known prefix expanded."""
    try:
        if text.startswith(("https://", "http://")):
            return checked_iri(text)
        return expand(text, converter_with(sssom_tsv.AGENT_PREFIXES))
    except IriError:
        return None
