"""The evidence that two candidates are the same thing, its score, and the proposal it makes.

Shared codes (``semapv:MappingChaining``) and equal or similar names
(``semapv:LexicalMatching``, ``semapv:LexicalSimilarityThresholdMatching``), scored as
``proposals`` describes; every piece of evidence for a pair becomes one SSSOM mapping, the
strongest kind naming its predicate and justification.
"""

from __future__ import annotations

import datetime
import difflib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .. import __version__
from ..folding import fold
from ..namespaces import EXTERNAL, STANDARD, VOCABULARY_NAMES, compress, converter
from . import sssom_tsv
from .candidates import Entity, Name, Tie

SKOS, SEMAPV = STANDARD["skos"], STANDARD["semapv"]
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


def by_codes(subjects: dict[str, Entity], objects: dict[str, Entity]) -> Iterator[tuple[str, str, Evidence]]:
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
    reference = converter().parse_uri(concept)
    prefix = reference.prefix if reference is not None else ""
    if not system or prefix not in EXTERNAL:
        return False
    names = {prefix, VOCABULARY_NAMES.get(prefix, prefix), *SYSTEM_ALIASES.get(prefix, ())}
    return fold(system) in {fold(n) for n in names}


def by_names(subjects: dict[str, Entity], objects: dict[str, Entity]) -> Iterator[tuple[str, str, Evidence]]:
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


def proposal(subject: Entity, obj: Entity, evidences: list[Evidence], author: str) -> sssom_tsv.Mapping:
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
