"""The candidates of ``pedkg link``: the named entities of a graph, their names and code ties.

``proposals`` reads them from the store, ``evidence`` compares them. A name is folded once
(``pedkg.folding``) for comparing; the label an entity is written with in SSSOM's label
columns follows the one label rule (``pedkg.labels``), in English else another language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from ..labels import PREF_LABEL, RDFS_LABEL, Labels
from ..namespaces import EXTERNAL, ONTOLOGY, STANDARD

SKOS, OWL = STANDARD["skos"], STANDARD["owl"]
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
        """Its label by the label rule, in English else another language; "" if it has none."""
        labels = Labels()
        for name in self.names:
            if name.field == "label":
                kind = PREF_LABEL if name.predicate == PREF_LABEL else RDFS_LABEL
                labels.add(self.iri, kind, ox.Literal(name.text, language=name.lang))
        text = labels.label(self.iri, "en")
        return "" if text.lang == "zxx" else text.value  # "zxx": no label, only the CURIE
