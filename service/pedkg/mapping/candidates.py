"""The candidates of ``pedkg link``: the named entities of a graph, their names, code ties and parents.

``proposals`` reads them from the store, ``evidence`` compares them. A name is folded once
(``pedkg.folding``) for comparing; the label an entity is written with in SSSOM's label
columns follows the one label rule (``pedkg.labels``), in English else another language.

A name is a ``label``, a ``synonym`` (``skos:altLabel``, ``schema:alternateName``,
``oboInOwl:hasExactSynonym``: another name of the same thing), a ``related`` synonym (OBO's
``hasRelatedSynonym``: a name used for it, not always of it) or a ``broad``/``narrow`` one
(a name of something wider or narrower, which ``evidence`` never proposes by). A code tie is
``exact``, ``close``, or ``xref``: an OBO cross-reference (``oboInOwl:hasDbXref``), which in
OBO practice often points at a broader, narrower or merely related entry, so it only
counts as exact when the ontology says so (MONDO's ``source "MONDO:equivalentTo"``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from ..labels import PREF_LABEL, RDFS_LABEL, Labels
from ..namespaces import EXTERNAL, ONTOLOGY, STANDARD

SKOS, OWL = STANDARD["skos"], STANDARD["owl"]
SCHEMA = EXTERNAL["schema"]
OBO_IN_OWL = "http://www.geneontology.org/formats/oboInOwl#"
XREF = OBO_IN_OWL + "hasDbXref"
#: what each naming predicate makes a name: its field
LABEL_FIELDS = {
    STANDARD["rdfs"] + "label": "label",
    SKOS + "prefLabel": "label",
    SCHEMA + "name": "label",
    SKOS + "altLabel": "synonym",
    SCHEMA + "alternateName": "synonym",
    ONTOLOGY + "seedLabel": "synonym",
    OBO_IN_OWL + "hasExactSynonym": "synonym",
    OBO_IN_OWL + "hasRelatedSynonym": "related",
    OBO_IN_OWL + "hasBroadSynonym": "broad",
    OBO_IN_OWL + "hasNarrowSynonym": "narrow",
}
#: how strongly a predicate ties an entity to a concept or code
TIES = {
    SKOS + "exactMatch": "exact",
    OWL + "sameAs": "exact",
    SCHEMA + "sameAs": "exact",
    SCHEMA + "code": "exact",
    SKOS + "notation": "exact",
    SKOS + "closeMatch": "close",
    XREF: "xref",
}
#: what makes an entity's parent (its broader class, concept or organisation)
PARENTS = (STANDARD["rdfs"] + "subClassOf", SKOS + "broader", SCHEMA + "parentOrganization")


@dataclass(frozen=True)
class Name:
    text: str
    lang: str | None
    field: str  # "label", "synonym", "related", "broad" or "narrow"
    predicate: str
    folded: str


@dataclass(frozen=True)
class Tie:
    """An entity's tie to a code: a concept IRI (with its notations) or a code literal.

    An entity is tied to itself too (``predicate`` "", strength exact): its own IRI is a code.
    """

    strength: str  # "exact", "xref" or "close"
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
    parents: list[str] = field(default_factory=list)  # the parents' labels (CURIEs if unnamed)
    _label: str | None = field(default=None, repr=False, compare=False)  # label(), once worked out

    def label(self) -> str:
        """Its label by the label rule, in English else another language; "" if it has none."""
        if self._label is None:
            labels = Labels()
            for name in self.names:
                if name.field == "label":
                    kind = PREF_LABEL if name.predicate == PREF_LABEL else RDFS_LABEL
                    labels.add(self.iri, kind, ox.Literal(name.text, language=name.lang))
            text = labels.label(self.iri, "en")
            self._label = "" if text.lang == "zxx" else text.value  # "zxx": no label, only the CURIE
        return self._label
