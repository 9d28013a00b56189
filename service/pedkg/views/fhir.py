"""The division as a FHIR R4 Bundle (JSON) for hospitals whose directories speak FHIR (``export --fhir``).

Other hospitals publish their structure as ``Organization`` and ``HealthcareService``
resources. The Bundle is of type ``collection``: a snapshot of a directory to read, compare
and load as the reader sees fit. A ``transaction`` would ask a FHIR server to create or
update each entry (every entry then needs a ``request``), which is the receiving server's
decision, not pedkg's.

- the division, the Department of Pediatrics above it and the departments and teams it
  collaborates with are ``Organization``s typed ``organization-type#dept`` ("Hospital
  Department"), with ``partOf`` where the graph states a parent (``schema:parentOrganization``
  or the parent's ``schema:subOrganization``); the page names no hospital, so there is none;
- what the division operates (its palliative care team and support programs) and the
  procedure it offers are ``HealthcareService``s ``providedBy`` the division;
- ``PractitionerRole`` is not written: the graph holds no people or roles.

Each resource's ``id`` is the entity's local name, its ``fullUrl`` and every reference to it
the entity's IRI, its ``identifier`` system pedkg's IRI prefix. The name is the English label,
with the Korean label as a ``translation`` extension on it; other labels are ``alias``es (an
Organization's only: a HealthcareService has none in R4), unmarked: R4's ``language``
extension is for HumanName, Address and Annotation, not for a string. Codes are those the
store maps the entity to with ``skos:exactMatch`` or ``skos:closeMatch`` in the vocabularies
FHIR directories code with (SNOMED CT, the NUCC provider taxonomy:
``ingest.fhir_bundle.CODE_SYSTEMS``), their display the target's label in the mapping file: an
Organization's in ``type``, a team's or program's in ``specialty``, a procedure's in ``type``
(the service it is). Broader and narrower targets are left out: a FHIR coding says what the
thing is coded as.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..ingest.fhir_bundle import CODE_SYSTEMS, ORGANIZATION_TYPE, TRANSLATION
from ..namespaces import BASE, EXTERNAL, graph_iri
from ..sparql.rows import result_rows
from ..store.interface import Store, Substitutions

PREFIXES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX pko: <https://w3id.org/pedkg/ontology/>
"""
#: the division's organisations: the division, its parents and the departments it works with
ORGANIZATIONS = (
    PREFIXES
    + """
SELECT DISTINCT ?e WHERE {
  GRAPH ?g { ?division a pko:Division ;
    (schema:parentOrganization* | ^schema:subOrganization+ | pko:collaboratesWith) ?e }
}"""
)
#: what the division provides: the teams and programs it operates, the procedures it offers
SERVICES = (
    PREFIXES
    + """
SELECT DISTINCT ?e ?provider ?procedure WHERE {
  GRAPH ?g { ?provider a pko:Division ; pko:operates|pko:offersProcedure ?e
             BIND(EXISTS { ?e a pko:Procedure } AS ?procedure) }
}"""
)
PARENTS = (
    PREFIXES
    + """
SELECT ?e ?parent WHERE {
  GRAPH ?g { { ?e schema:parentOrganization ?parent } UNION { ?parent schema:subOrganization ?e } }
}"""
)
NAMES = (
    PREFIXES
    + """
SELECT ?e ?p ?text WHERE { GRAPH ?g { ?e ?p ?text VALUES ?p { rdfs:label skos:altLabel } } }"""
)
CODES = (
    PREFIXES
    + """
SELECT ?e ?c (SAMPLE(?label) AS ?display) WHERE {
  ?e skos:exactMatch|skos:closeMatch ?c FILTER(isIRI(?c))
  OPTIONAL { ?c rdfs:label ?label FILTER(lang(?label) = "en" || lang(?label) = "") }
} GROUP BY ?e ?c ORDER BY ?e ?c"""
)

LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
FILE_NAME = "pedkg-division.fhir.json"  # what ``export --fhir -o DIR`` writes in DIR
DEPARTMENT = {"system": ORGANIZATION_TYPE, "code": "dept", "display": "Hospital Department"}
#: pedkg's IRI prefix of each FHIR code system, for reading a mapping target as a coding
NAMESPACES = {system: EXTERNAL[prefix] for system, prefix in CODE_SYSTEMS.items() if prefix in EXTERNAL}


@dataclass
class _Entity:
    iri: str
    labels: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    alternates: list[tuple[str, str]] = field(default_factory=list)  # (text, language)
    codings: list[dict[str, str]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.iri.removeprefix(BASE)


def bundle(store: Store, graph: str = "division") -> dict[str, Any]:
    """The Bundle of ``pkg:graph``'s division, its departments, teams and programs, as FHIR JSON."""
    where: Substitutions = {ox.Variable("g"): ox.NamedNode(graph_iri(graph))}
    organizations = [row["e"].value for row in result_rows(store.query(ORGANIZATIONS, substitutions=where))]
    services = result_rows(store.query(SERVICES, substitutions=where))
    entities = {iri: _Entity(iri) for iri in [*organizations, *(row["e"].value for row in services)]}
    _read_names(store, where, entities)
    _read_codes(store, entities)
    parents = {
        row["e"].value: row["parent"].value
        for row in result_rows(store.query(PARENTS, substitutions=where))
        if row["parent"].value in entities
    }
    resources = [_organization(entities[iri], parents.get(iri), entities) for iri in sorted(organizations)]
    for row in sorted(services, key=lambda r: r["e"].value):
        procedure = row["procedure"].value == "true"
        resources.append(_service(entities[row["e"].value], entities[row["provider"].value], procedure))
    return {
        "resourceType": "Bundle",
        "id": f"pedkg-{graph}",
        "type": "collection",
        "entry": [{"fullUrl": BASE + r["id"], "resource": r} for r in resources],
    }


def write(store: Store, output: str | None) -> str:
    """Write the Bundle to a file, into a folder (``FILE_NAME``) or, for None, to standard output;
    say what was written where."""
    made = bundle(store)
    text = json.dumps(made, ensure_ascii=False, indent=2) + "\n"
    kinds = Counter(entry["resource"]["resourceType"] for entry in made["entry"])
    counted = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    if output is None:
        sys.stdout.write(text)
        return f"wrote a FHIR R4 Bundle ({counted}) to standard output"
    target = Path(output)
    if target.is_dir() or output.endswith("/"):
        target.mkdir(parents=True, exist_ok=True)
        target = target / FILE_NAME
    target.write_text(text, encoding="utf-8")
    return f"wrote a FHIR R4 Bundle ({counted}) to {target}"


def _read_names(store: Store, where: Substitutions, entities: dict[str, _Entity]) -> None:
    for row in result_rows(store.query(NAMES, substitutions=where)):
        entity, text = entities.get(row["e"].value), row["text"]
        if entity is None or not isinstance(text, ox.Literal):
            continue
        lang = text.language or ""
        if row["p"].value == LABEL:
            entity.labels[lang].append(text.value)
        else:
            entity.alternates.append((text.value, lang))
    for entity in entities.values():
        for texts in entity.labels.values():
            texts.sort()
        entity.alternates.sort(key=lambda pair: (pair[1] != "en", pair[1], pair[0]))


def _read_codes(store: Store, entities: dict[str, _Entity]) -> None:
    for row in result_rows(store.query(CODES)):
        entity = entities.get(row["e"].value)
        concept = row["c"].value
        system = next((s for s, ns in NAMESPACES.items() if concept.startswith(ns)), None)
        if entity is None or system is None:
            continue
        coding = {"system": system, "code": concept.removeprefix(NAMESPACES[system])}
        if row.get("display") is not None:
            coding["display"] = row["display"].value
        entity.codings.append(coding)


def _named(entity: _Entity) -> dict[str, Any]:
    """``name`` in English with the other languages' labels as translations."""
    english = entity.labels.get("en") or next(iter(entity.labels.values()), [entity.id])
    data: dict[str, Any] = {"name": english[0]}
    translations = [
        {
            "url": TRANSLATION,
            "extension": [{"url": "lang", "valueCode": lang}, {"url": "content", "valueString": text}],
        }
        for lang, texts in sorted(entity.labels.items())
        if lang not in ("en", "")
        for text in texts[:1]
    ]
    if translations:
        data["_name"] = {"extension": translations}
    return data


def _common(kind: str, entity: _Entity) -> dict[str, Any]:
    return {
        "resourceType": kind,
        "id": entity.id,
        "language": "en",
        "identifier": [{"system": BASE, "value": entity.id}],
        "active": True,
    }


def _concepts(entity: _Entity) -> list[dict[str, Any]]:
    return [{"coding": [coding], "text": coding.get("display", coding["code"])} for coding in entity.codings]


def _organization(entity: _Entity, parent: str | None, entities: dict[str, _Entity]) -> dict[str, Any]:
    resource = _common("Organization", entity)
    resource["type"] = [{"coding": [DEPARTMENT], "text": DEPARTMENT["display"]}, *_concepts(entity)]
    resource.update(_named(entity))
    if entity.alternates:
        resource["alias"] = [text for text, _ in entity.alternates]
    if parent is not None:
        resource["partOf"] = {"reference": parent, "display": _named(entities[parent])["name"]}
    return resource


def _service(entity: _Entity, provider: _Entity, procedure: bool) -> dict[str, Any]:
    resource = _common("HealthcareService", entity)
    resource["providedBy"] = {"reference": provider.iri, "display": _named(provider)["name"]}
    if entity.codings:
        resource["type" if procedure else "specialty"] = _concepts(entity)
    resource.update(_named(entity))
    return resource
