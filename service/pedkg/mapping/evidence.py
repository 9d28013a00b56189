"""The evidence that two candidates are the same thing, and its score.

Shared codes (``semapv:MappingChaining``) and equal or similar names
(``semapv:LexicalMatching``, ``semapv:LexicalSimilarityThresholdMatching``), scored as
``proposals`` describes. ``refusals`` then drops the evidence a rule forbids and ``proposal_row``
makes one SSSOM row of what is left for a pair.

Codes are compared as the Bioregistry's CURIEs (``codes``): a concept IRI under any of
its URI prefixes, a cross-reference string and a CURIE-valued code literal name the
same code when their CURIEs agree. A code literal without a prefix (``"C22.2"``) matches
a concept only by the concept's ``skos:notation`` in the vocabulary its coding system
names, or another literal of the same value and coding system.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from ..folding import fold
from ..namespaces import EXTERNAL, STANDARD, VOCABULARY_NAMES, compress, converter
from . import codes, similarity
from .candidates import Entity, Name, Tie

SKOS, SEMAPV = STANDARD["skos"], STANDARD["semapv"]
LEXICAL_SCORES = {("label", "label"): 0.9, ("label", "synonym"): 0.8, ("synonym", "label"): 0.8}
SYNONYM_SCORE = 0.7
#: a related synonym is a name used for the entity, not always one of it: the least sure name
RELATED_SCORE = 0.6
RELATED_BOTH_SCORE = 0.5
#: broad and narrow synonyms name something wider or narrower: never evidence of the same thing
UNRELIABLE_FIELDS = frozenset({"broad", "narrow"})
#: the weaker tie of a shared code decides; an OBO xref is not known to be exact
CODE_SCORES = {"exact": 0.95, "xref": 0.85, "close": 0.8}
_WEAKER = {"exact": 0, "xref": 1, "close": 2}
#: coding-system names a code literal may carry, beyond a vocabulary's prefix and name
SYSTEM_ALIASES = {
    "icd10": ("http://hl7.org/fhir/sid/icd-10", "ICD-10-WHO"),
    "icd10cm": ("http://hl7.org/fhir/sid/icd-10-cm",),  # HL7 terminology CodeSystem icd10CM
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
    names: tuple[Name, Name] | None = None  # the names compared (names only)


def lexical_score(one: str, other: str) -> float:
    """The confidence two equal names give, by their fields (label, synonym, related)."""
    if one in UNRELIABLE_FIELDS or other in UNRELIABLE_FIELDS:
        return 0.0
    if "related" in (one, other):
        return RELATED_BOTH_SCORE if one == other else RELATED_SCORE
    return LEXICAL_SCORES.get((one, other), SYNONYM_SCORE)


def by_codes(subjects: dict[str, Entity], objects: dict[str, Entity]) -> Iterator[tuple[str, str, Evidence]]:
    index: dict[str, list[tuple[Entity, Tie]]] = defaultdict(list)
    for entity in objects.values():
        for tie in entity.ties:
            for key in _keys(tie):
                index[key].append((entity, tie))
    for subject in subjects.values():
        for tie in subject.ties:
            seen: set[tuple[str, Tie]] = set()
            for key in _keys(tie):
                for obj, other in index.get(key, ()):
                    if (obj.iri, other) in seen:
                        continue
                    seen.add((obj.iri, other))
                    code = _shared_code(tie, other)
                    if code is not None:
                        yield subject.iri, obj.iri, _coded(tie, other, code)


def _coded(tie: Tie, other: Tie, code: str) -> Evidence:
    weaker = max(tie.strength, other.strength, key=_WEAKER.__getitem__)
    predicate = SKOS + ("exactMatch" if weaker == "exact" else "closeMatch")
    return Evidence(
        "code",
        predicate,
        SEMAPV + "MappingChaining",
        CODE_SCORES[weaker],
        tie.predicate,
        other.predicate,
        code,
    )


def _keys(tie: Tie) -> list[str]:
    """What a tie is looked up by: its code, and the notations a code literal may match."""
    keys = []
    reference = _reference(tie)
    if reference is not None:
        keys.append("code " + reference[0])
    if tie.concept:
        keys += ["notation " + n.casefold() for n in tie.notations]
    elif reference is None:
        keys.append("notation " + tie.value.casefold())
    return keys


def _reference(tie: Tie) -> tuple[str, str] | None:
    """(key, CURIE to show) of the code a tie names by IRI or CURIE; None for a bare literal."""
    if tie.concept:
        code = codes.of_iri(tie.concept)
        return (code.key, code.curie) if code else ("<" + tie.concept + ">", compress(tie.concept))
    if ":" not in tie.value:
        return None
    code = codes.of_text(tie.value)
    return (code.key, code.curie) if code else None


def _shared_code(one: Tie, other: Tie) -> str | None:
    """The code two ties share (as the text to show), or None."""
    first, second = _reference(one), _reference(other)
    if first is not None and second is not None:
        return first[1] if first[0] == second[0] else None
    if one.concept or other.concept:
        concept, literal = (one, other) if one.concept else (other, one)
        if literal.concept or _reference(literal) is not None:
            return None
        notations = {n.casefold() for n in concept.notations}
        if literal.value.casefold() in notations and _names_vocabulary(literal.system, concept.concept):
            shown = _reference(concept)
            return shown[1] if shown else None
        return None
    if first is not None or second is not None:
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
    """Equal names (broad and narrow synonyms too, for ``refusals`` to count), then similar ones."""
    index: dict[str, list[tuple[Entity, Name]]] = defaultdict(list)
    for entity in objects.values():
        for name in entity.names:
            index[name.folded].append((entity, name))
    equal: set[tuple[str, str]] = set()
    for subject in subjects.values():
        for name in subject.names:
            for obj, other in index.get(name.folded, []):
                equal.add((subject.iri, obj.iri))
                yield subject.iri, obj.iri, _lexical(name, other, lexical_score(name.field, other.field))
    yield from _similar(subjects, objects, equal)


def _similar(
    subjects: dict[str, Entity], objects: dict[str, Entity], skip: set[tuple[str, str]]
) -> Iterator[tuple[str, str, Evidence]]:
    left, right = _by_folded(subjects), _by_folded(objects)
    left_names, right_names = sorted(left), sorted(right)
    for i, j, ratio in similarity.similar_pairs(left_names, right_names):
        for subject, name in left[left_names[i]]:
            for obj, other in right[right_names[j]]:
                if (subject.iri, obj.iri) in skip:
                    continue
                base = lexical_score(name.field, other.field)
                yield subject.iri, obj.iri, _lexical(name, other, round(base * ratio * ratio, 2), ratio)


def _by_folded(entities: dict[str, Entity]) -> dict[str, list[tuple[Entity, Name]]]:
    """The names similarity may compare (not broad or narrow synonyms), by folded form."""
    found: dict[str, list[tuple[Entity, Name]]] = defaultdict(list)
    for entity in entities.values():
        for name in entity.names:
            if name.field not in UNRELIABLE_FIELDS and len(name.folded) >= similarity.MIN_LENGTH:
                found[name.folded].append((entity, name))
    return found


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
        (name, other),
    )
