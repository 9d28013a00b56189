"""Finding and scoring the candidates of a reconciliation query: ``Reconciler``.

Names are found with the search index (``search.index_for``), among pedkg's own entities,
so matching folds case, width, spaces and Hangul the same way as ``/search``; codes, definitions and the class
hierarchy come from ``facts``. One ``Reconciler`` per store version answers queries,
suggests entities, types and properties, and gives entities' values for data extension.

Scores run from 0 to 100, the mean of the query's conditions: an exact label 100, an
exact synonym 95, a code typed as a name 60, prefixes and substrings less by how much of
the name they cover, a name with a typo at most 20; a property 100 through
``skos:exactMatch``, 90 ``closeMatch``, 70 ``broadMatch``/``narrowMatch``, 50 ``relatedMatch``.
``match`` is true for one candidate only: the single one whose name (or id) is exactly
the query and whose properties agree, or, without a name, whose every property is an
``exactMatch``. ``icd10=C64`` finds Wilms tumour, whose mapping to C64 is ``broadMatch``:
a candidate, never an automatic match.

A type restricts the candidates: ``type_strict`` ``any`` (and ``should``, which the spec
calls unclear and OpenRefine sends with every typed query) keeps entities of one of the
types, ``all`` of every type. 0.2 properties only score; 1.0 conditions may be
``required`` (filter), and ``matchQuantifier`` ``all`` takes an entity's worst value,
``none`` judges the candidates other conditions found; ``matchQualifier`` is ignored.

Every name follows the one label rule of ``pedkg.labels``, in the language asked for (1.0
``lang``, or the request's ``lang``), else in the language of the label the query matched
(a Korean query gets the Korean name), else in the request's ``Accept-Language``. A type
no entity has raises ``QueryError`` (the web answers 400).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ...errors import QueryError
from ...folding import fold
from ...labels import Text
from ...namespaces import BASE, EXTERNAL, VOCABULARY_NAMES, compress
from ...sparql.pool import Pool
from ...store.per_version import PerVersion
from ...store.search_index import TYPE_RANK
from ..search import Entity, Hit, SearchIndex, index_for, is_named_by
from .facts import RELATION_SCORES, Code, Facts, facts_for
from .properties import PROPERTIES, extend_properties, property_list
from .queries import LANGUAGES, Candidate, Condition, Feature, Query

EXACT_NAME = 95.0  # an exact synonym; an exact label scores 100, anything less is not exact

#: what a condition found for one entity: score, language of the matched text, search rank
_Found = tuple[float, str | None, int]

_reconcilers: PerVersion[Reconciler] = PerVersion()


def reconciler_for(pool: Pool) -> Reconciler:
    """The reconciler over the current store version's search index and facts, made once per version."""
    index = index_for(pool)
    facts = facts_for(pool)
    made = _reconcilers.get(index.version, "reconciler", lambda version: Reconciler(index, facts))
    if made.index is not index or made.facts is not facts:  # the store moved between the calls
        _reconcilers.clear()
        made = _reconcilers.get(index.version, "reconciler", lambda version: Reconciler(index, facts))
    return made


@dataclass
class _Scored:
    entity: Entity
    scores: list[float]
    order: int
    exact: bool = False
    matched_lang: str | None = None
    features: list[Feature] = field(default_factory=list)


def local_name(iri: str) -> str:
    return iri.removeprefix(BASE)


def is_candidate(iri: str) -> bool:
    """Entities are the IRIs minted directly under the namespace (no sub-namespace)."""
    return iri.startswith(BASE) and "/" not in local_name(iri) and bool(local_name(iri))


class Reconciler:
    """Answers queries over one store version's search index and facts."""

    def __init__(self, index: SearchIndex, facts: Facts) -> None:
        self.index = index
        self.facts = facts
        self.own = index.own_entities()
        self.entities = {iri: e for iri, e in self.own.items() if is_candidate(iri)}
        self._ancestors = {
            iri: set().union(*(facts.ancestors(t) for t in e.types)) for iri, e in self.entities.items()
        }

    # types --------------------------------------------------------------------------------

    def type_iris(self) -> list[str]:
        """Every type an entity has, directly or through a superclass, pko: ranked first."""
        found = set().union(*self._ancestors.values()) if self._ancestors else set()
        return sorted(found, key=lambda t: (TYPE_RANK.get(compress(t), 6), compress(t)))

    def resolve_type(self, wanted: str) -> str:
        """The IRI of a type named by CURIE, IRI or local name; QueryError if no entity has it."""
        for iri in self.type_iris():
            if is_named_by(iri, wanted):
                return iri
        offered = ", ".join(compress(t) for t in self.type_iris())
        raise QueryError(f"unknown type {wanted[:80]!r}; one of: {offered}")

    def type_name(self, iri: str, lang: str) -> str:
        """A type's label by the one rule (``pedkg.labels``); its local name when it has none."""
        if self.index.has(iri):
            return self.index.label(iri, lang).value
        label = self.facts.names.label(iri, lang)
        return (compress(iri).partition(":")[2] or iri) if label.lang == "zxx" else label.value

    def type_object(self, iri: str, lang: str, broader: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"id": compress(iri), "name": self.type_name(iri, lang)}
        parents = sorted(self.facts.broader.get(iri, ()))
        if broader and parents:
            out["broader"] = [{"id": compress(p), "name": self.type_name(p, lang)} for p in parents]
        return out

    def entity_types(self, entity: Entity, lang: str) -> list[tuple[str, str]]:
        ranked = sorted(entity.types, key=lambda t: (TYPE_RANK.get(compress(t), 6), compress(t)))
        return [(compress(t), self.type_name(t, lang)) for t in ranked]

    # entities -----------------------------------------------------------------------------

    def entity_by_id(self, text: str) -> Entity | None:
        """The entity a text names by id, IRI, ``pedkg:`` CURIE or ``/id/`` path."""
        name = text.strip()
        for prefix in (BASE, "pedkg:", "/id/"):
            name = name.removeprefix(prefix)
        return self.entities.get(BASE + name) if name else None

    def name(self, iri: str, lang: str) -> Text:
        """An entity's name by the one label rule (``pedkg.labels``)."""
        return self.index.label(iri, lang)

    def description(self, iri: str, lang: str) -> str | None:
        """The definition written in ``lang`` itself (a candidate's, in its name's language)."""
        found = self.facts.names.definition_in(iri, lang)
        return found.value if found else None

    def definition(self, iri: str, lang: str) -> tuple[str, str] | None:
        """The definition by the one rule (``lang``, else the other language), with its language."""
        found = self.facts.names.definition(iri, lang)
        return (found.value, found.lang) if found else None

    def codes(self, iri: str) -> list[Code]:
        order = {prefix: n for n, prefix in enumerate(PROPERTIES.values())}
        return sorted(self.facts.codes.get(iri, ()), key=lambda c: (order.get(c.prefix, 99), c.code))

    # answering ----------------------------------------------------------------------------

    def answer(self, query: Query, explicit_lang: str | None, fallback_lang: str) -> list[Candidate]:
        """The candidates for one query, best first (at most ``query.limit``)."""
        wanted = [self.resolve_type(t) for t in query.types]
        scored: dict[str, _Scored] = {}
        for n, condition in enumerate(query.conditions):
            if condition.quantifier == "none":
                continue
            for iri, score, lang, order in self._condition(condition):
                entry = scored.setdefault(
                    iri, _Scored(self.entities[iri], [0.0] * len(query.conditions), order)
                )
                entry.scores[n] = score
                entry.order = min(entry.order, order)
                entry.matched_lang = entry.matched_lang or lang
        for n, condition in enumerate(query.conditions):  # "none" only judges what the others found
            if condition.quantifier == "none":
                excluded = {iri for iri, *_ in self._condition(condition)}
                for iri, entry in scored.items():
                    entry.scores[n] = 0.0 if iri in excluded else 100.0
        has_name = any(c.kind in ("name", "id") for c in query.conditions)
        out: list[_Scored] = []
        for iri, entry in scored.items():
            if wanted and not self._typed(iri, wanted, query.all_types):
                continue
            misses = [c for c, s in zip(query.conditions, entry.scores, strict=True) if s == 0.0]
            if any(c.required for c in misses):
                continue
            pairs = list(zip(query.conditions, entry.scores, strict=True))
            if has_name:  # an exact name (or id) identifies; properties need only agree
                entry.exact = not misses and all(s >= EXACT_NAME for c, s in pairs if c.kind != "property")
            else:  # codes alone identify only through skos:exactMatch
                entry.exact = not misses and all(s >= RELATION_SCORES["exactMatch"] for s in entry.scores)
            entry.features = [
                Feature(c.pid or c.kind, _feature_name(c), s)
                for c, s in zip(query.conditions, entry.scores, strict=True)
            ]
            out.append(entry)
        out.sort(key=lambda e: (-_mean(e.scores), e.order, e.entity.type_rank, e.entity.iri))
        sure = [e for e in out if e.exact]
        candidates = []
        for entry in out[: query.limit]:
            lang = query.lang or explicit_lang or _ours(entry.matched_lang) or fallback_lang
            label = self.name(entry.entity.iri, lang)
            name, name_lang = label.value, label.language
            candidates.append(
                Candidate(
                    id=local_name(entry.entity.iri),
                    name=name,
                    lang=name_lang,
                    types=self.entity_types(entry.entity, lang),
                    score=round(_mean(entry.scores), 2),
                    match=len(sure) == 1 and sure[0] is entry,
                    description=self.description(entry.entity.iri, name_lang or lang),
                    features=entry.features,
                )
            )
        return candidates

    def answer_all(
        self, queries: Iterable[tuple[str, Query]], explicit_lang: str | None, fallback_lang: str
    ) -> list[tuple[str, list[Candidate]]]:
        """Every query's candidates; an unknown type is reported with the query it is in."""
        out = []
        for where, query in queries:
            try:
                out.append((where, self.answer(query, explicit_lang, fallback_lang)))
            except QueryError as exc:
                raise QueryError(f"{where}.type: {exc}") from None
        return out

    def _typed(self, iri: str, wanted: list[str], every: bool) -> bool:
        have = self._ancestors.get(iri, set())
        return all(t in have for t in wanted) if every else any(t in have for t in wanted)

    def _condition(self, condition: Condition) -> list[tuple[str, float, str | None, int]]:
        """(entity IRI, score, matched language, rank) of every entity a condition finds.

        Among several values the best counts (``any``, and ``none``, which the caller inverts),
        or, for ``all``, the worst of an entity found by every value.
        """
        per_value: list[dict[str, _Found]] = []
        for value in condition.values:
            if condition.kind == "property":
                per_value.append(self._by_code(condition.pid, value))
            else:
                found = self._by_name(value) if condition.kind == "name" else {}
                entity = self.entity_by_id(value)
                if entity is not None:
                    found[entity.iri] = (100.0, None, -1)
                per_value.append(found)
        best: dict[str, _Found] = {}
        for found in per_value:
            for iri, hit in found.items():
                if iri not in best or hit[0] > best[iri][0]:
                    best[iri] = hit
        if condition.quantifier == "all":
            best = {
                iri: (min(f[iri][0] for f in per_value), *hit[1:])
                for iri, hit in best.items()
                if all(iri in f for f in per_value)
            }
        return [(iri, *hit) for iri, hit in best.items()]

    def _by_name(self, text: str) -> dict[str, _Found]:
        folded = fold(text)
        found: dict[str, _Found] = {}
        for order, hit in enumerate(self.index.search(text, "en", None, len(self.own), own_only=True)):
            if hit.iri in self.entities:
                found[hit.iri] = (_name_score(hit, folded), hit.matched_lang, order)
        return found

    def _by_code(self, pid: str, value: str) -> dict[str, _Found]:
        prefix = PROPERTIES[pid]
        code = value.strip()
        uri_prefix = EXTERNAL[prefix]
        if code.startswith(uri_prefix):
            code = code.removeprefix(uri_prefix)
        elif ":" in code and code.split(":", 1)[0].casefold() == prefix.casefold():
            code = code.split(":", 1)[1]
        found: dict[str, _Found] = {}
        for iri, hit in self.facts.by_code.get((prefix, code.casefold()), ()):
            if iri in self.entities and (iri not in found or hit.score > found[iri][0]):
                found[iri] = (hit.score, None, 0)
        return found

    # suggest ------------------------------------------------------------------------------

    def suggest_entities(
        self, prefix: str, explicit_lang: str | None, fallback_lang: str, type: str | None
    ) -> list[dict[str, Any]]:
        """Entities whose name, synonym, code or id starts with (or contains) ``prefix``."""
        wanted = [self.resolve_type(type)] if type else []
        hits: list[tuple[Entity, str | None]] = []
        named = self.entity_by_id(prefix) if prefix else None
        if named is not None:
            hits.append((named, None))
        found = self.index.search(prefix, "en", None, len(self.own), own_only=True) if prefix else []
        for hit in found:
            if hit.iri in self.entities and (named is None or hit.iri != named.iri):
                hits.append((self.entities[hit.iri], hit.matched_lang))
        out = []
        for entity, matched in hits:
            if wanted and not self._typed(entity.iri, wanted, False):
                continue
            lang = explicit_lang or _ours(matched) or fallback_lang
            label = self.name(entity.iri, lang)
            name, name_lang = label.value, label.language
            item: dict[str, Any] = {
                "id": local_name(entity.iri),
                "name": name,
                "notable": [{"id": t, "name": n} for t, n in self.entity_types(entity, lang)],
            }
            description = self.description(entity.iri, name_lang or lang)
            if description:
                item["description"] = description
            out.append(item)
        return out

    def suggest_types(self, prefix: str, lang: str) -> list[dict[str, Any]]:
        folded = fold(prefix)
        out = []
        for iri in self.type_iris():
            curie = compress(iri)
            names = [curie, *(self.type_name(iri, code) for code in LANGUAGES)]
            if not folded or any(folded in fold(n) for n in names):
                out.append(self.type_object(iri, lang, broader=True))
        return out

    def suggest_properties(self, prefix: str, lang: str) -> list[dict[str, Any]]:
        folded = fold(prefix)
        out = []
        for item in property_list(lang):
            if not folded or folded in fold(item["id"]) or folded in fold(item["name"]):
                out.append(item)
        return out

    # data extension -------------------------------------------------------------------------

    def values(self, iri: str, pid: str, lang: str, exact_only: bool = False) -> list[str]:
        """An entity's values of an extension property (``EXTEND_PROPERTIES``), as text."""
        entity = self.entities.get(iri)
        if entity is None:
            return []
        if pid in PROPERTIES:
            return [
                c.code
                for c in self.codes(iri)
                if c.prefix == PROPERTIES[pid] and (c.relation == "exactMatch" or not exact_only)
            ]
        if pid.startswith("name_"):
            named = self.index.label_in(iri, pid.removeprefix("name_"))
            return [named.value] if named else []
        if pid == "definition":
            found = self.definition(iri, lang)
            return [found[0]] if found else []
        return [t for t, _ in self.entity_types(entity, lang)]  # "type"

    def proposed_properties(self, type_iri: str | None, lang: str) -> list[dict[str, str]]:
        """The extension properties entities of a type have values for (every one without a type)."""
        members = [iri for iri in self.entities if type_iri is None or self._typed(iri, [type_iri], False)]
        have = {
            pid
            for pid, prefix in PROPERTIES.items()
            for iri in members
            if any(c.prefix == prefix for c in self.facts.codes.get(iri, ()))
        }
        return [p for p in extend_properties(lang) if p["id"] not in PROPERTIES or p["id"] in have]


def _feature_name(condition: Condition) -> str:
    if condition.kind == "property":
        return f"{VOCABULARY_NAMES[PROPERTIES[condition.pid]]} code"
    return "name" if condition.kind == "name" else "identifier"


def _name_score(hit: Hit, folded_query: str) -> float:
    """How well a search hit's matched key fits the query (``EXACT_NAME`` and above: exactly)."""
    if hit.match == "exact":
        return {"label": 100.0, "synonym": EXACT_NAME}.get(hit.field, 60.0)
    coverage = min(1.0, len(folded_query) / max(1, len(fold(hit.matched))))
    if hit.match == "typo":  # below every prefix and substring
        return 20.0 * coverage
    score = (40.0 if hit.match == "prefix" else 20.0) + 45.0 * coverage
    return score / 2 if hit.field == "code" else score


def _mean(scores: list[float]) -> float:
    return sum(scores) / len(scores) if scores else 0.0


def _ours(lang: str | None) -> str | None:
    return lang if lang in LANGUAGES else None
