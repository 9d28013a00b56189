"""An entity as schema.org JSON-LD, for the ``<script type="application/ld+json">`` of its page.

Search engines and health-data crawlers read schema.org, not pko:. The type follows the
entity's pko: class (a disease is a ``MedicalCondition``, the procedure a
``MedicalProcedure``, departments, teams, the division and the ward are
``MedicalOrganization``s); another graph's entity typed with schema.org itself (at
``/resource``: the example hospital's ``MedicalClinic``) keeps its type; anything else is a
``Thing``. The values come from the same
display model as the page, so they agree with the entity's RDF: ``name`` is every
``rdfs:label``/``skos:prefLabel``, ``description`` every ``skos:definition``, and ``code``
one ``MedicalCode`` per ``skos:exactMatch`` mapping (the code is the target's
``skos:notation``, the coding system the vocabulary's name). The context is inline
(``@vocab``), so no parser ever fetches a remote context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..namespaces import EXTERNAL, ONTOLOGY

if TYPE_CHECKING:
    from .entity import Entity

SCHEMA = EXTERNAL["schema"]
MEDICAL_SPECIALTY = SCHEMA + "medicalSpecialty"

#: pko: class (or schema: class used directly) -> schema.org type, most specific first
TYPES: dict[str, str] = {
    ONTOLOGY + "Disease": "MedicalCondition",
    ONTOLOGY + "Procedure": "MedicalProcedure",
    ONTOLOGY + "Division": "MedicalOrganization",
    ONTOLOGY + "Department": "MedicalOrganization",
    ONTOLOGY + "SurgicalDepartment": "MedicalOrganization",
    ONTOLOGY + "DiagnosticSupportTeam": "MedicalOrganization",
    ONTOLOGY + "CareTeam": "MedicalOrganization",
    ONTOLOGY + "Ward": "MedicalOrganization",
    SCHEMA + "Country": "Country",
}
#: the types that carry codes (schema:code is a property of MedicalEntity)
CODED = {"MedicalCondition", "MedicalProcedure", "TherapeuticProcedure"}
#: the types that have medical specialties
ORGANIZATIONS = {"MedicalOrganization", "Hospital", "MedicalClinic"}


def schema_type(entity: Entity) -> str:
    for node in entity.types:
        if node.iri in TYPES:
            return TYPES[node.iri]
    for node in entity.types:  # another graph's entity, typed with schema.org directly
        if node.iri and node.iri.startswith(SCHEMA) and node.iri.removeprefix(SCHEMA).isidentifier():
            return node.iri.removeprefix(SCHEMA)
    return "Thing"


def describe(entity: Entity) -> dict[str, object]:
    kind = schema_type(entity)
    data: dict[str, object] = {
        "@context": {"@vocab": SCHEMA},
        "@id": entity.iri,
        "@type": kind,
        "name": _texts(entity.names) or entity.label.value,
    }
    if entity.definitions:
        data["description"] = _texts(entity.definitions)
    if entity.alt_labels:
        data["alternateName"] = [_value(t.value, t.lang) for t in entity.alt_labels]
    if kind in CODED and entity.exact_matches:
        data["code"] = [
            {"@type": "MedicalCode", "codeValue": m.code, "codingSystem": m.vocabulary}
            for m in entity.exact_matches
        ]
    if kind in ORGANIZATIONS:
        specialties = [
            value.iri
            for group in entity.outgoing
            if group.predicate.iri == MEDICAL_SPECIALTY
            for value in group.values
            if value.iri
        ]
        if specialties:
            data["medicalSpecialty"] = [{"@id": iri, "@type": "MedicalSpecialty"} for iri in specialties]
    return data


def _texts(by_language: dict[str, list[str]]) -> list[dict[str, str]]:
    return [_value(value, lang) for lang, values in sorted(by_language.items()) for value in values]


def _value(value: str, lang: str) -> dict[str, str]:
    """A JSON-LD value object; literals without a language tag stay plain strings."""
    return {"@value": value, "@language": lang} if lang not in ("und", "zxx") else {"@value": value}
