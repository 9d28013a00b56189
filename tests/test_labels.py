"""pedkg.labels: the one label rule, and the exact-language look-ups pages add to it."""

from __future__ import annotations

import pyoxigraph as ox

from pedkg.labels import DEFINITION, PREF_LABEL, RDFS_LABEL, Labels, Text

IRI = "https://w3id.org/pedkg/x"


def test_label_in_does_not_fall_back() -> None:
    labels = Labels()
    labels.add(IRI, RDFS_LABEL, ox.Literal("thing", language="en"))
    assert labels.label_in(IRI, "ko") is None
    assert labels.label(IRI, "ko") == Text("thing", "en", fallback=True)
    labels.add(IRI, PREF_LABEL, ox.Literal("the thing", language="en"))
    assert labels.label_in(IRI, "en") == Text("the thing", "en")  # skos:prefLabel first


def test_definition_in_does_not_fall_back() -> None:
    labels = Labels()
    labels.add(IRI, DEFINITION, ox.Literal("a thing", language="en"))
    assert labels.definition_in(IRI, "ko") is None
    assert labels.definition_in(IRI, "en") == Text("a thing", "en")
    assert labels.definition(IRI, "ko") == Text("a thing", "en", fallback=True)


def test_language_is_none_for_curies_and_untagged_literals() -> None:
    assert Text("pedkg:x", "zxx").language is None
    assert Text("plain", "und", fallback=True).language is None
    assert Text("사물", "ko").language == "ko"
