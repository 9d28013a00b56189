"""Proposing mappings between two graphs of the store (``pedkg link``), read through SPARQL.

The entities of a graph are the IRIs that carry a name in it (``rdfs:label``,
``skos:prefLabel``, ``schema:name``: labels; ``skos:altLabel``, ``schema:alternateName``,
``pko:seedLabel``, ``oboInOwl:hasExactSynonym``: synonyms; OBO's related, broad and narrow
synonyms, see ``candidates``), but the classes it made obsolete (``owl:deprecated true``):
ontologies keep those for old references, never as a mapping's end. Two kinds of evidence
link an entity of the source graph (the SSSOM subject) to one of the target graph (the
object):

- **Shared codes** (``semapv:MappingChaining``): both are tied to the same concept, compared
  as the Bioregistry's CURIE (``codes``: so NCIt's OBO PURL and its Thesaurus.owl IRI, or
  ``ORDO:`` and ``Orphanet:``, are one code). A tie is the entity's own IRI, an IRI it
  points to (``skos:exactMatch``/``closeMatch``, ``owl:sameAs``, ``schema:sameAs``,
  ``schema:code``, in any graph, so pedkg's curated mappings count), an OBO cross-reference
  string (``oboInOwl:hasDbXref "NCI:C3270"``) turned into an IRI through the Bioregistry,
  or a code literal (``schema:code``/``schema:codeValue`` with its ``schema:codingSystem``,
  ``skos:notation``) that is a CURIE or the other side's concept's ``skos:notation`` in a
  vocabulary the coding system names. The weaker tie decides: both exact give
  ``skos:exactMatch`` (0.95); an xref, which OBO uses for exact, broader and merely related
  entries alike, gives ``skos:closeMatch`` (0.85) unless the ontology marks it exact
  (MONDO's ``oboInOwl:source "MONDO:equivalentTo"`` on the xref's axiom); a close tie
  gives ``skos:closeMatch`` (0.8). Broader and narrower ties are no evidence: two diseases
  filed under the same broader code (C64) are siblings at best.
- **Names** (``semapv:LexicalMatching``, ``skos:closeMatch``): names equal after
  ``folding.fold`` (case, width, spaces, dashes, apostrophes; Hangul as jamo), in any
  language: 0.9 label to label, 0.8 label to synonym, 0.7 synonym to synonym, 0.6 with a
  related synonym (0.5 both related). Failing that, names of eight or more folded
  characters with a similarity of at least 0.9 (``similarity``) that are spelling variants
  count as ``semapv:LexicalSimilarityThresholdMatching`` with confidence base × ratio².

A pair already related by any mapping in the store (a curated ``pkg:mappings-*`` or an
accepted ``pkg:links-*`` axiom, or a SKOS/``owl:sameAs`` triple) is never proposed again:
proposals only ever add to what people decided. ``refusals`` leaves out pairs inside one
ontology and the name evidence of false friends; ``rows`` writes what is left with the
object's parents, its graph and the warnings a reviewer needs. ``Proposals`` counts every
pair left out and refused, by rule, and writes the counts into the set's ``comment``.

This module reads the candidates (``candidates``) from the store, one query per kind
(names, codes, cross-references, exact cross-references, parents, mappings), and puts
the rest together.
"""

from __future__ import annotations

import gc
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain

import pyoxigraph as ox

from ..errors import NotFound
from ..folding import fold
from ..namespaces import IriError, checked_iri, compress, converter_with, expand, graph_iri
from ..sparql.rows import result_rows
from ..store.interface import Store
from . import codes, proposal_row, refusals, sssom_tsv
from .candidates import LABEL_FIELDS, OBO_IN_OWL, TIES, XREF, Entity, Name, Tie
from .evidence import Evidence, by_codes, by_names

LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX pko: <https://w3id.org/pedkg/ontology/>
PREFIX oboInOwl: <http://www.geneontology.org/formats/oboInOwl#>
SELECT ?e ?p ?text WHERE {
  GRAPH ?g { ?e ?p ?text }
  VALUES ?p { rdfs:label skos:prefLabel schema:name skos:altLabel schema:alternateName pko:seedLabel
              oboInOwl:hasExactSynonym oboInOwl:hasRelatedSynonym oboInOwl:hasBroadSynonym
              oboInOwl:hasNarrowSynonym }
  FILTER(isIRI(?e) && isLiteral(?text))
}"""

#: classes an ontology has made obsolete: kept for old references, never a proposal's end
DEPRECATED = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?e WHERE { GRAPH ?g { ?e owl:deprecated ?flag } FILTER(STR(?flag) = "true") }"""

#: (``?p`` of the second branch is bound by VALUES, not BIND: the same answer, and Virtuoso 7.2's
#: compiler fails on a BIND beside the other branches' VALUES)
CODES = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
SELECT ?e ?p ?c ?notation ?value ?system WHERE {
  { VALUES ?p { skos:exactMatch skos:closeMatch owl:sameAs schema:sameAs schema:code }
    ?e ?p ?c FILTER(isIRI(?e) && isIRI(?c)) OPTIONAL { ?c skos:notation ?notation } }
  UNION
  { VALUES ?p { schema:code } ?e schema:code ?code . ?code schema:codeValue ?value
    OPTIONAL { ?code schema:codingSystem ?system } FILTER(isIRI(?e)) }
  UNION
  { VALUES ?p { skos:notation schema:code } ?e ?p ?value FILTER(isIRI(?e) && isLiteral(?value)) }
}"""

XREFS = """
PREFIX oboInOwl: <http://www.geneontology.org/formats/oboInOwl#>
SELECT ?e ?x WHERE { ?e oboInOwl:hasDbXref ?x FILTER(isIRI(?e)) }"""

#: the cross-references an ontology marks as exact (MONDO: ``{source="MONDO:equivalentTo"}``)
EXACT_XREFS = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX oboInOwl: <http://www.geneontology.org/formats/oboInOwl#>
SELECT ?e ?x WHERE {
  ?axiom owl:annotatedProperty oboInOwl:hasDbXref ; oboInOwl:source ?source ;
         owl:annotatedSource ?e ; owl:annotatedTarget ?x
  FILTER(STR(?source) = "MONDO:equivalentTo")
}"""

PARENTS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?e ?parent WHERE {
  GRAPH ?g { ?e ?p ?parent }
  VALUES ?p { rdfs:subClassOf skos:broader schema:parentOrganization }
  FILTER(isIRI(?e) && isIRI(?parent) && ?parent != owl:Thing)
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

NOTATION = "http://www.w3.org/2004/02/skos/core#notation"
ALREADY_MAPPED = "already mapped"
SAME_IRI = "same IRI in both graphs"
BELOW_MIN_SCORE = "below --min-score"


def graph_entities(store: Store, graph: str) -> dict[str, Entity]:
    """The named IRIs of ``pkg:graph`` but its obsolete classes (``owl:deprecated true``);
    raises NotFound for a graph the store lacks."""
    iri = graph_iri(graph)
    if not store.has_graph(iri):
        raise NotFound(f"graph pkg:{graph} is not in the store (`pedkg graphs` lists them)")
    entities: dict[str, Entity] = {}
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable("g"): ox.NamedNode(iri)
    }
    for row in result_rows(store.query(LABELS, substitutions=substitutions)):
        text = row["text"]
        assert isinstance(text, ox.Literal)
        predicate = row["p"].value
        entity = entities.setdefault(row["e"].value, Entity(row["e"].value))
        folded = fold(text.value)
        if folded:
            name = Name(text.value, text.language, LABEL_FIELDS[predicate], predicate, folded)
            entity.names.append(name)
    for row in result_rows(store.query(DEPRECATED, substitutions=substitutions)):
        entities.pop(row["e"].value, None)
    return entities


def add_ties(store: Store, *groups: dict[str, Entity]) -> None:
    """Read every code tie of the given entities, from the whole store; each is tied to itself too."""
    wanted = {iri: e for group in groups for iri, e in group.items()}
    notations: dict[str, set[str]] = defaultdict(set)
    found = result_rows(store.query(CODES))
    for row in found:
        if row.get("c") is not None and row.get("notation") is not None:
            notations[row["c"].value].add(row["notation"].value)
        elif row["p"].value == NOTATION and row.get("value") is not None:
            notations[row["e"].value].add(row["value"].value)
    for row in found:
        entity = wanted.get(row["e"].value)
        strength = TIES.get(row["p"].value)
        if entity is None or strength is None:
            continue
        predicate = row["p"].value
        if row.get("c") is not None:
            concept = row["c"].value
            entity.ties.append(
                Tie(strength, predicate, concept=concept, notations=frozenset(notations[concept]))
            )
        elif row.get("value") is not None:
            system = row["system"].value if row.get("system") is not None else ""
            entity.ties.append(Tie(strength, predicate, value=row["value"].value.strip(), system=system))
    _add_xrefs(store, wanted, notations)
    for entity in wanted.values():
        own = Tie("exact", "", concept=entity.iri, notations=frozenset(notations.get(entity.iri, ())))
        entity.ties = list(dict.fromkeys([own, *entity.ties]))


def _add_xrefs(store: Store, wanted: dict[str, Entity], notations: dict[str, set[str]]) -> None:
    """The entities' OBO cross-references, as IRIs where the Bioregistry knows the prefix."""
    exact = {(row["e"].value, row["x"].value) for row in result_rows(store.query(EXACT_XREFS))}
    for row in result_rows(store.query(XREFS)):
        entity = wanted.get(row["e"].value)
        if entity is None:
            continue
        text = row["x"].value.strip()
        strength = "exact" if (entity.iri, row["x"].value) in exact else "xref"
        if isinstance(row["x"], ox.NamedNode):
            iri: str | None = text
        else:
            code = codes.of_text(text)
            if code is None:
                continue  # not a code: free text, or a CURIE with a space in it
            iri = code.iri()
        if iri:
            entity.ties.append(Tie(strength, XREF, concept=iri, notations=frozenset(notations.get(iri, ()))))
        else:  # a CURIE of a prefix the Bioregistry lacks: compared as written
            entity.ties.append(Tie(strength, XREF, value=text))


def add_parents(store: Store, graph: str, entities: dict[str, Entity]) -> None:
    """Each entity's parents in ``pkg:graph`` (broader class, concept, organisation), by their labels."""
    graph_node = ox.NamedNode(graph_iri(graph))
    for row in result_rows(store.query(PARENTS, substitutions={ox.Variable("g"): graph_node})):
        entity = entities.get(row["e"].value)
        if entity is None:
            continue
        parent = entities.get(row["parent"].value)
        label = parent.label() if parent is not None else ""
        entity.parents.append(label or compress(row["parent"].value))


def covered_pairs(store: Store) -> set[frozenset[str]]:
    """Every pair some mapping of the store already relates, in either direction, by ``concept_key``."""
    return {
        frozenset((concept_key(row["s"].value), concept_key(row["o"].value)))
        for row in result_rows(store.query(COVERED))
    }


def concept_key(iri: str) -> str:
    """What an IRI is compared by: its code's CURIE (so a mapping to NCIt's Thesaurus.owl IRI
    covers its OBO PURL too), else the IRI itself."""
    code = codes.of_iri(iri)
    return code.key if code is not None else iri


def declared_prefixes(store: Store) -> dict[str, str]:
    """The prefixes imported graphs declared (``sh:declare`` in ``pkg:imports``)."""
    return {row["prefix"].value: row["namespace"].value for row in result_rows(store.query(DECLARED))}


@dataclass(frozen=True)
class Proposals:
    source: str
    target: str
    mappings: list[sssom_tsv.Mapping]
    prefixes: dict[str, str]
    left_out: Counter[str] = field(default_factory=Counter)  # pairs not proposed, by why
    refused: Counter[str] = field(default_factory=Counter)  # pairs a rule refused, by rule

    def summary(self) -> str:
        """How many pairs were left out and refused, by why (one line)."""
        parts = [f"{len(self.mappings)} proposal(s)"]
        left = ", ".join(f"{n} {why}" for why, n in sorted(self.left_out.items()))
        parts.append(f"left out: {left or 'none'}")
        refused = ", ".join(f"{n} {rule}" for rule, n in self.refused.most_common())
        parts.append(f"refused: {sum(self.refused.values())}" + (f" ({refused})" if refused else ""))
        return "; ".join(parts)

    def metadata(self) -> dict[str, object]:
        return {
            "mapping_set_id": f"https://w3id.org/pedkg/mappings/proposals/{self.source}-{self.target}",
            "mapping_set_title": f"pedkg link proposals: pkg:{self.source} to pkg:{self.target}",
            "mapping_set_description": "Candidate mappings proposed by shared codes and by names; "
            "to be reviewed before `pedkg link --accept` loads them.",
            "license": "https://creativecommons.org/licenses/by/4.0/",
            "subject_source": graph_iri(self.source),
            "object_source": graph_iri(self.target),
            "comment": self.summary(),
        }

    def to_tsv(self) -> str:
        return sssom_tsv.write(self.mappings, self.metadata(), self.prefixes)


def propose(store: Store, source: str, target: str, author: str, min_score: float = 0.5) -> Proposals:
    """Mappings from the entities of ``pkg:source`` to those of ``pkg:target``, one row per pair."""
    with _no_cycle_collection():
        return _propose(store, source, target, author, min_score)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector off while linking: it would walk the hundreds of thousands of
    names, ties and rows again and again (a third of the time at 12k x 7k), and linking makes
    no cycles that reference counting would not free."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _propose(store: Store, source: str, target: str, author: str, min_score: float) -> Proposals:
    subjects, objects = graph_entities(store, source), graph_entities(store, target)
    add_ties(store, subjects, objects)
    add_parents(store, target, objects)
    covered = covered_pairs(store)
    found: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    for s, o, evidence in chain(by_codes(subjects, objects), by_names(subjects, objects)):
        found[s, o].append(evidence)
    left_out: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    mappings = []
    for (s, o), evidences in sorted(found.items()):
        subject, obj = subjects[s], objects[o]
        if s == o or frozenset((concept_key(s), concept_key(o))) in covered:
            left_out[SAME_IRI if s == o else ALREADY_MAPPED] += 1
            continue
        why = refusals.one_ontology(subject, obj, subjects, objects)
        kept, reasons = ([], [why]) if why else refusals.sift(subject, obj, evidences)
        if not kept:
            refused[refusals.rule(reasons[0])] += 1
            continue
        coded = any(e.kind == "code" for e in kept)
        disagreement = refusals.disagreement(subject, obj) if coded else None
        mapping = proposal_row.row(subject, obj, kept, author, disagreement)
        if mapping.confidence is None or mapping.confidence < min_score:
            left_out[BELOW_MIN_SCORE] += 1
            continue
        mappings.append(mapping)
    prefixes = {"oboInOwl": OBO_IN_OWL, **declared_prefixes(store)}
    return Proposals(source, target, proposal_row.with_cardinality(mappings), prefixes, left_out, refused)


def agent_iri(text: str) -> str | None:
    """The IRI an ``--author`` names: an http(s) IRI as is, a CURIE of a known prefix expanded."""
    try:
        if text.startswith(("https://", "http://")):
            return checked_iri(text)
        return expand(text, converter_with(sssom_tsv.AGENT_PREFIXES))
    except IriError:
        return None
