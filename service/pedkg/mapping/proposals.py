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
  ``search.fold`` (case, width, spaces, dashes, apostrophes; Hangul as jamo), in any
  language: 0.9 label to label, 0.8 label to synonym, 0.7 synonym to synonym. Failing
  that, names of eight or more folded characters whose Ratcliff/Obershelp ratio is at
  least 0.9 (plurals, spelling variants) count as ``semapv:LexicalSimilarityThresholdMatching``
  with confidence base × ratio².

A pair already related by any mapping in the store (a curated ``pkg:mappings-*`` or an
accepted ``pkg:links-*`` axiom, or a SKOS/``owl:sameAs`` triple) is never proposed again:
proposals only ever add to what people decided. The strongest evidence names the
predicate and justification; the rest is recorded in ``comment`` and ``match_string``.
"""

from __future__ import annotations

import datetime
import difflib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from .. import __version__
from ..errors import NotFound
from ..namespaces import EXTERNAL, ONTOLOGY, PREFIXES, STANDARD, VOCABULARY_NAMES, compress, graph_iri
from ..sparql.rows import result_rows
from ..store.backend import Store
from ..views.search import fold
from . import sssom_tsv

SKOS, OWL, SEMAPV = STANDARD["skos"], STANDARD["owl"], STANDARD["semapv"]
SCHEMA = EXTERNAL["schema"]
LABEL_FIELDS = {
    STANDARD["rdfs"] + "label": "label",
    SKOS + "prefLabel": "label",
    SCHEMA + "name": "label",
    SKOS + "altLabel": "synonym",
    SCHEMA + "alternateName": "synonym",
    ONTOLOGY + "seedLabel": "synonym",
}
#: how strongly a predicate ties an entity to a concept or code
TIES = {
    SKOS + "exactMatch": "exact",
    OWL + "sameAs": "exact",
    SCHEMA + "sameAs": "exact",
    SCHEMA + "code": "exact",
    SKOS + "notation": "exact",
    SKOS + "closeMatch": "close",
}
LEXICAL_SCORES = {("label", "label"): 0.9, ("label", "synonym"): 0.8, ("synonym", "label"): 0.8}
SYNONYM_SCORE = 0.7
SIMILARITY_THRESHOLD = 0.9
SIMILARITY_MIN_LENGTH = 8
SIMILARITY_MEASURE = "Ratcliff/Obershelp ratio of folded names (Python difflib)"
CODE_SCORES = {"exact": 0.95, "close": 0.8}
#: coding-system names a code literal may carry, beyond a vocabulary's prefix and name
SYSTEM_ALIASES = {
    "icd10": ("http://hl7.org/fhir/sid/icd-10", "ICD-10-WHO"),
    "snomedct": ("http://snomed.info/sct", "SNOMED"),
    "icdo": ("ICD-O-3", "ICD-O"),
    "HP": ("HPO",),
    "ORPHA": ("Orphanet", "ORDO"),
    "NCIT": ("NCIt",),
}

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


@dataclass(frozen=True)
class Name:
    text: str
    lang: str | None
    field: str  # "label" or "synonym"
    predicate: str
    folded: str


@dataclass(frozen=True)
class Tie:
    """An entity's tie to a code: a concept IRI (with its notations) or a code literal."""

    strength: str  # "exact" or "close"
    predicate: str
    concept: str = ""
    notations: frozenset[str] = frozenset()
    value: str = ""
    system: str = ""


@dataclass
class Entity:
    iri: str
    names: list[Name] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)

    def label(self) -> str:
        """An English (else any) label, for the SSSOM label columns."""
        ranked = sorted(self.names, key=lambda n: (n.field != "label", n.lang != "en", n.lang or "", n.text))
        return ranked[0].text if ranked else ""


@dataclass(frozen=True)
class Evidence:
    kind: str  # "code", "label" or "similar"
    predicate: str
    justification: str
    confidence: float
    subject_field: str
    object_field: str
    match: str
    similarity: float | None = None


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
    for s, o, evidence in _code_evidence(subjects, objects):
        found[s, o].append(evidence)
    for s, o, evidence in _name_evidence(subjects, objects):
        found[s, o].append(evidence)
    mappings = []
    for (s, o), evidences in sorted(found.items()):
        if s == o or frozenset((s, o)) in covered:
            continue
        mapping = _mapping(subjects[s], objects[o], evidences, author)
        if mapping.confidence is not None and mapping.confidence >= min_score:
            mappings.append(mapping)
    prefixes = declared_prefixes(store)
    return Proposals(source, target, mappings, prefixes)


def agent_iri(text: str) -> str | None:
    """The IRI an ``--author`` names: an http(s) IRI as is, a CURIE of a known prefix expanded."""
    if text.startswith(("https://", "http://")):
        return text
    prefix, sep, local = text.partition(":")
    namespace = {**PREFIXES, **sssom_tsv.AGENT_PREFIXES}.get(prefix)
    return namespace + local if sep and namespace and local else None


def _code_evidence(
    subjects: dict[str, Entity], objects: dict[str, Entity]
) -> Iterator[tuple[str, str, Evidence]]:
    by_concept: dict[str, list[tuple[Entity, Tie]]] = defaultdict(list)
    by_value: dict[str, list[tuple[Entity, Tie]]] = defaultdict(list)
    for entity in objects.values():
        for tie in entity.ties:
            if tie.concept:
                by_concept[tie.concept].append((entity, tie))
                for notation in tie.notations:
                    by_value[notation.casefold()].append((entity, tie))
                by_value[compress(tie.concept).casefold()].append((entity, tie))
            else:
                by_value[tie.value.casefold()].append((entity, tie))
    for subject in subjects.values():
        for tie in subject.ties:
            candidates = list(by_concept.get(tie.concept, [])) if tie.concept else []
            keys = [n.casefold() for n in tie.notations] + [compress(tie.concept).casefold()]
            for key in keys if tie.concept else [tie.value.casefold()]:
                candidates += by_value.get(key, [])
            for obj, other in dict.fromkeys((o.iri, t) for o, t in candidates):
                code = _shared_code(tie, other)
                if code is None:
                    continue
                exact = tie.strength == other.strength == "exact"
                predicate = SKOS + ("exactMatch" if exact else "closeMatch")
                yield (
                    subject.iri,
                    obj,
                    Evidence(
                        "code",
                        predicate,
                        SEMAPV + "MappingChaining",
                        CODE_SCORES["exact" if exact else "close"],
                        tie.predicate,
                        other.predicate,
                        code,
                    ),
                )


def _shared_code(one: Tie, other: Tie) -> str | None:
    """The code two ties share (as the text to show), or None."""
    if one.concept and other.concept:
        return compress(one.concept) if one.concept == other.concept else None
    if one.concept or other.concept:
        concept, literal = (one, other) if one.concept else (other, one)
        curie = compress(concept.concept)
        if literal.value.casefold() == curie.casefold():
            return curie
        notations = {n.casefold() for n in concept.notations}
        if literal.value.casefold() in notations and _names_vocabulary(literal.system, concept.concept):
            return curie
        return None
    same_system = one.system and other.system and fold(one.system) == fold(other.system)
    return f"{one.system} {one.value}" if one.value == other.value and same_system else None


def _names_vocabulary(system: str, concept: str) -> bool:
    """Whether a code literal's coding system names the concept's vocabulary (none given: no)."""
    prefix = compress(concept).partition(":")[0]
    if not system or prefix not in EXTERNAL:
        return False
    names = {prefix, VOCABULARY_NAMES.get(prefix, prefix), *SYSTEM_ALIASES.get(prefix, ())}
    return fold(system) in {fold(n) for n in names}


def _name_evidence(
    subjects: dict[str, Entity], objects: dict[str, Entity]
) -> Iterator[tuple[str, str, Evidence]]:
    index: dict[str, list[tuple[Entity, Name]]] = defaultdict(list)
    by_length: dict[int, list[tuple[Entity, Name]]] = defaultdict(list)
    for entity in objects.values():
        for name in entity.names:
            index[name.folded].append((entity, name))
            if len(name.folded) >= SIMILARITY_MIN_LENGTH:
                by_length[len(name.folded)].append((entity, name))
    for subject in subjects.values():
        equal: set[str] = set()
        for name in subject.names:
            for obj, other in index.get(name.folded, []):
                equal.add(obj.iri)
                score = LEXICAL_SCORES.get((name.field, other.field), SYNONYM_SCORE)
                yield subject.iri, obj.iri, _lexical(name, other, score)
        for name in subject.names:
            yield from _similar(subject, name, by_length, equal)


def _similar(
    subject: Entity, name: Name, by_length: dict[int, list[tuple[Entity, Name]]], skip: set[str]
) -> Iterator[tuple[str, str, Evidence]]:
    size = len(name.folded)
    if size < SIMILARITY_MIN_LENGTH:
        return
    # the fixed name is difflib's second sequence, whose index it builds once; candidates are cheap
    matcher = difflib.SequenceMatcher(None, "", name.folded, autojunk=False)
    for length in range(int(size * 0.8), int(size * 1.25) + 1):
        for obj, other in by_length.get(length, []):
            if obj.iri in skip or other.folded == name.folded:
                continue
            matcher.set_seq1(other.folded)
            if (
                matcher.real_quick_ratio() < SIMILARITY_THRESHOLD
                or matcher.quick_ratio() < SIMILARITY_THRESHOLD
            ):
                continue
            ratio = matcher.ratio()
            if ratio >= SIMILARITY_THRESHOLD:
                base = LEXICAL_SCORES.get((name.field, other.field), SYNONYM_SCORE)
                evidence = _lexical(name, other, round(base * ratio * ratio, 2), ratio)
                yield subject.iri, obj.iri, evidence


def _lexical(name: Name, other: Name, score: float, ratio: float | None = None) -> Evidence:
    justification = "LexicalMatching" if ratio is None else "LexicalSimilarityThresholdMatching"
    return Evidence(
        "label" if ratio is None else "similar",
        SKOS + "closeMatch",
        SEMAPV + justification,
        score,
        name.predicate,
        other.predicate,
        name.text if ratio is None else f"{name.text} ~ {other.text}",
        None if ratio is None else round(ratio, 3),
    )


def _mapping(subject: Entity, obj: Entity, evidences: list[Evidence], author: str) -> sssom_tsv.Mapping:
    """One proposal from every piece of evidence for a pair: the strongest kind decides."""
    rank = {"code": 0, "label": 1, "similar": 2}
    evidences = sorted(set(evidences), key=lambda e: (rank[e.kind], -e.confidence, e.match))
    best = evidences[0]
    chosen = [e for e in evidences if e.kind == best.kind]
    others = [e for e in evidences if e.kind != best.kind]
    comment = "; ".join(_describe(e) for e in others)
    return sssom_tsv.Mapping(
        subject_id=subject.iri,
        predicate_id=best.predicate,
        object_id=obj.iri,
        mapping_justification=best.justification,
        subject_label=subject.label(),
        object_label=obj.label(),
        confidence=best.confidence,
        author_id=(author,),
        mapping_tool="pedkg link",
        mapping_tool_version=__version__,
        mapping_date=datetime.datetime.now(datetime.UTC).date().isoformat(),
        subject_match_field=_unique(e.subject_field for e in chosen),
        object_match_field=_unique(e.object_field for e in chosen),
        match_string=_unique(e.match for e in chosen),
        similarity_score=best.similarity,
        similarity_measure=SIMILARITY_MEASURE if best.similarity is not None else "",
        comment=f"also: {comment}" if comment else "",
    )


def _describe(evidence: Evidence) -> str:
    what = {"code": "shared code", "label": "equal names", "similar": "similar names"}[evidence.kind]
    return f"{what} {evidence.match!r} ({evidence.confidence:.2f})"


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(values)))
