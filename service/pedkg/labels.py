"""The one rule for naming a resource in the reader's language, and the literals it picks.

``Labels`` holds every label and definition read for a page;
``label(iri, lang)`` is ``skos:prefLabel@lang > rdfs:label@lang > the other language
(marked as a fallback) > CURIE > IRI``. A ``Text`` remembers the language it is in, so a
page can put it in a ``lang`` attribute and mark a fallback for the reader.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from .namespaces import EXTERNAL, STANDARD, compress

LANGUAGES = ("en", "ko")
RDF_TYPE = STANDARD["rdf"] + "type"
RDFS_LABEL = STANDARD["rdfs"] + "label"
PREF_LABEL = STANDARD["skos"] + "prefLabel"
DEFINITION = STANDARD["skos"] + "definition"
ALT_LABEL = STANDARD["skos"] + "altLabel"
EXACT_MATCH = STANDARD["skos"] + "exactMatch"
SCHEMA = EXTERNAL["schema"]


@dataclass(frozen=True)
class Text:
    """A literal chosen for the reader; ``fallback`` when it is not in the reader's language."""

    value: str
    lang: str  # a BCP 47 tag: the literal's own, "und" when it has none, "zxx" for a CURIE or IRI
    fallback: bool = False

    @property
    def language(self) -> str | None:
        """The literal's language tag; None for an untagged literal, a CURIE or an IRI (for JSON)."""
        return None if self.lang in ("und", "zxx") else self.lang


#: names of the standard terms pages show most, which the graph does not load
STANDARD_NAMES: dict[str, tuple[str, str]] = {
    RDF_TYPE: ("type", "유형"),
    RDFS_LABEL: ("label", "이름"),
    PREF_LABEL: ("preferred label", "대표 이름"),
    ALT_LABEL: ("synonym", "동의어"),
    DEFINITION: ("definition", "정의"),
    STANDARD["skos"] + "member": ("member", "구성원"),
    STANDARD["skos"] + "notation": ("code", "코드"),
    EXACT_MATCH: ("exact match", "일치"),
    STANDARD["skos"] + "closeMatch": ("close match", "근접 일치"),
    STANDARD["skos"] + "broadMatch": ("broader match", "상위 일치"),
    STANDARD["skos"] + "narrowMatch": ("narrower match", "하위 일치"),
    STANDARD["skos"] + "relatedMatch": ("related match", "관련 일치"),
    STANDARD["rdfs"] + "subClassOf": ("subclass of", "상위 클래스"),
    STANDARD["rdfs"] + "subPropertyOf": ("subproperty of", "상위 속성"),
    STANDARD["rdfs"] + "domain": ("domain", "정의역"),
    STANDARD["rdfs"] + "range": ("range", "치역"),
    STANDARD["rdfs"] + "seeAlso": ("see also", "참고"),
    STANDARD["prov"] + "wasDerivedFrom": ("derived from", "출처"),
    STANDARD["dcterms"] + "isPartOf": ("part of", "상위 항목"),
    STANDARD["owl"] + "annotatedSource": ("mapped entity", "연결된 항목"),
    STANDARD["owl"] + "annotatedProperty": ("mapping relation", "연결 관계"),
    STANDARD["owl"] + "annotatedTarget": ("mapped code", "연결된 코드"),
    STANDARD["sssom"] + "mapping_justification": ("mapping justification", "연결 근거"),
    STANDARD["sssom"] + "object_source_version": ("code source version", "코드 출처 판"),
    STANDARD["sssom"] + "comment": ("comment", "설명"),
    STANDARD["dcterms"] + "source": ("source", "원본"),
    STANDARD["dcterms"] + "title": ("title", "제목"),
    STANDARD["dcterms"] + "description": ("description", "설명"),
    STANDARD["dcterms"] + "format": ("format", "형식"),
    SCHEMA + "medicalSpecialty": ("medical specialty", "진료 분야"),
    SCHEMA + "parentOrganization": ("parent organization", "상위 조직"),
    SCHEMA + "subOrganization": ("sub-organization", "하위 조직"),
}


#: ``STANDARD_NAMES`` as ``Labels`` keeps texts, made once rather than for every page.
_STANDARD_TEXTS: dict[tuple[str, str], dict[str, list[str]]] = {
    (iri, RDFS_LABEL): {"en": [english], "ko": [korean]} for iri, (english, korean) in STANDARD_NAMES.items()
}


class Labels:
    """Every label and definition read for a page, and the one fallback rule over them.

    The standard terms of ``STANDARD_NAMES`` start with their English and Korean names,
    so that ``rdfs:label`` reads "label" / "이름" rather than a CURIE.
    """

    def __init__(self) -> None:
        self._texts: dict[tuple[str, str], dict[str, list[str]]] = {}

    def add(self, iri: str, kind: str, literal: ox.Literal) -> None:
        key = (iri, kind)
        texts = self._texts.get(key)
        if texts is None:  # a standard term's names come first, as if added before anything else
            texts = self._texts[key] = defaultdict(
                list, {k: list(v) for k, v in _STANDARD_TEXTS.get(key, {}).items()}
            )
        values = texts[literal.language or ""]
        if literal.value not in values:
            values.append(literal.value)

    def of(self, iri: str, kind: str) -> dict[str, list[str]]:
        key = (iri, kind)
        return self._texts.get(key) or _STANDARD_TEXTS.get(key, {})

    def label(self, iri: str, lang: str) -> Text:
        """skos:prefLabel@lang > rdfs:label@lang > other language (marked) > CURIE > IRI."""
        found = self._pick(iri, (PREF_LABEL, RDFS_LABEL), lang)
        if found:
            return found
        curie = compress(iri)
        return Text(curie, "zxx")

    def definition(self, iri: str, lang: str) -> Text | None:
        return self._pick(iri, (DEFINITION,), lang)

    def label_in(self, iri: str, lang: str) -> Text | None:
        """skos:prefLabel@lang > rdfs:label@lang, without falling back: None when neither is there."""
        return self._written_in(iri, (PREF_LABEL, RDFS_LABEL), lang)

    def definition_in(self, iri: str, lang: str) -> Text | None:
        """The skos:definition in ``lang`` exactly, None when there is none."""
        return self._written_in(iri, (DEFINITION,), lang)

    def _written_in(self, iri: str, kinds: tuple[str, ...], lang: str) -> Text | None:
        for kind in kinds:
            values = self.of(iri, kind).get(lang)
            if values:
                return Text(sorted(values)[0], lang)
        return None

    def _pick(self, iri: str, kinds: tuple[str, ...], lang: str) -> Text | None:
        found = self._written_in(iri, kinds, lang)
        if found:
            return found
        others = [other for other in (*LANGUAGES, "") if other != lang]
        for other in others:
            for kind in kinds:
                values = self.of(iri, kind).get(other)
                if values:
                    return Text(sorted(values)[0], other or "und", fallback=True)
        return None
