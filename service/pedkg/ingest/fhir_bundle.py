"""A FHIR R4 Bundle (JSON) of a hospital's directory, read into schema.org and pedkg terms for ``importer``.

Hospitals publish their structure as FHIR ``Organization`` and ``HealthcareService``
resources, not as RDF. FHIR's own RDF form would keep every element (``fhir:Organization.name``
...) but say nothing ``pedkg link`` reads, so a Bundle is read through one documented mapping
onto the terms pedkg's graphs already use:

=========================================  ===================================================
FHIR                                       RDF
=========================================  ===================================================
``entry.fullUrl`` (an absolute URI)        the resource's IRI
``Organization``                           ``schema:MedicalOrganization``; a ``type`` coded
                                           ``organization-type#dept`` also ``pko:Department``
``HealthcareService``                      ``schema:Service`` (as pedkg's support programs)
``name``                                   ``schema:name``, in the resource's ``language``
``name`` translation extensions            ``schema:name`` in the extension's ``lang``
``alias``                                  ``schema:alternateName``, without a language (FHIR
                                           does not say an alias's), translations with theirs
``partOf``                                 ``schema:parentOrganization``
``providedBy``                             ``schema:provider``
``identifier``                             ``schema:identifier`` a ``schema:PropertyValue``
                                           (``propertyID`` the system, ``value`` the value)
``Organization.type``, ``HealthcareService.type`` and ``.specialty`` codings of SNOMED CT
(``http://snomed.info/sct``) or the NUCC provider taxonomy (``http://nucc.org/provider-taxonomy``):
``schema:code`` the concept's IRI, as pedkg's mapping files write it (``snomedct:``, ``nucc.taxonomy:``)
=========================================  ===================================================

A coding is "coded as", which is what ``schema:code`` says; ``pedkg link`` counts it as an
exact tie, so a FHIR department coded with SNOMED CT 394594003 meets pedkg's
ophthalmology, whose curated row closely matches that code. Codings of other systems
(``organization-type``'s ``prov`` and ``dept`` aside, read as classes) and
``HealthcareService.category`` (a broad grouping, shared by unrelated services) are left
out and counted: a code many entities share is no evidence that two of them are the same.
References (``Type/id``, ``urn:uuid:...`` or absolute) are resolved within the Bundle; one
that names no entry is an error. Other resources, ``PractitionerRole`` included, are counted
in the notes and left out.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any, NoReturn

import pyoxigraph as ox

from ..errors import InputError
from ..namespaces import EXTERNAL, ONTOLOGY, STANDARD
from .converted import Converted, read_text

MEDIA_TYPE = "application/fhir+json"
#: FHIR code system URI -> pedkg's prefix of the vocabulary (its IRIs: ``namespaces.EXTERNAL``)
CODE_SYSTEMS = {"http://snomed.info/sct": "snomedct", "http://nucc.org/provider-taxonomy": "nucc.taxonomy"}
ORGANIZATION_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
READ = ("Organization", "HealthcareService")
SCHEMA, RDF = EXTERNAL["schema"], STANDARD["rdf"]
_BUNDLE = re.compile(rb'"resourceType"\s*:\s*"Bundle"')
_ABSOLUTE = re.compile(r"^(https?://|urn:uuid:|urn:oid:)\S+$")


def read(path: Path) -> Converted:
    """The triples of a FHIR Bundle; raises ``InputError`` at the line of the first problem."""
    text = read_text(path)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, exc.lineno, f"not JSON: {exc.msg}") from None
    if not isinstance(document, dict) or document.get("resourceType") != "Bundle":
        raise InputError(path, 1, 'not a FHIR Bundle: no top-level "resourceType": "Bundle"')
    notes: list[str] = []
    reader = _Bundle(path, text)
    triples = reader.triples(document, notes)
    return Converted(iter(triples), reader.prefixes, notes)


def is_fhir_bundle(head: bytes) -> bool:
    """Whether the start of a JSON file is a FHIR Bundle (``"resourceType": "Bundle"`` in an object)."""
    return head.lstrip().startswith(b"{") and _BUNDLE.search(head) is not None


def concept_iri(system: str, code: str) -> str | None:
    """The IRI pedkg writes a FHIR coding's concept with, or None for a system it does not map."""
    prefix = CODE_SYSTEMS.get(system)
    namespace = EXTERNAL.get(prefix) if prefix else None
    return namespace + code if namespace and code.strip() == code and code else None


class _Bundle:
    """One Bundle's entries, their IRIs (for references) and the triples written for them."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.text = path, text
        self.out: list[ox.Triple] = []
        self.iris: dict[str, str] = {}  # fullUrl, and Type/id, -> the entry's IRI
        self.prefixes: dict[str, str] = {}  # a RESTful fullUrl's Type/ folder, prefixed "type"

    def triples(self, bundle: dict[str, Any], notes: list[str]) -> list[ox.Triple]:
        entries = bundle.get("entry") or []
        if not isinstance(entries, list):
            self._fail('"entry"', "Bundle.entry is not a list")
        read: list[tuple[str, dict[str, Any]]] = []
        skipped: Counter[str] = Counter()
        for number, entry in enumerate(entries, 1):
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if not isinstance(resource, dict):
                skipped["entries without a resource"] += 1
                continue
            kind = str(resource.get("resourceType", ""))
            if kind not in READ:
                skipped[kind or "resources without a resourceType"] += 1
                continue
            iri = self._entry_iri(number, entry, resource, kind)
            read.append((iri, resource))
        self.left_out: Counter[str] = Counter()
        for iri, resource in read:
            self._resource(iri, resource)
        counts = Counter(str(r.get("resourceType")) for _, r in read)
        notes.append(
            "read a FHIR Bundle: "
            + ", ".join(f"{counts[k]} {k}" for k in READ)
            + " as schema.org (Organization: schema:MedicalOrganization, HealthcareService: schema:Service)"
        )
        if skipped:
            notes.append("left out: " + ", ".join(f"{n} {k}" for k, n in sorted(skipped.items())))
        if self.left_out:
            notes.append(
                "codings left out: " + ", ".join(f"{n} of {k}" for k, n in sorted(self.left_out.items()))
            )
        return self.out

    def _entry_iri(self, number: int, entry: dict[str, Any], resource: dict[str, Any], kind: str) -> str:
        full = entry.get("fullUrl")
        if not isinstance(full, str) or not _ABSOLUTE.match(full):
            self._fail(str(resource.get("id") or '"entry"'), f"entry {number}: fullUrl is no absolute URI")
        self.iris[full] = full
        if isinstance(resource.get("id"), str):
            self.iris[f"{kind}/{resource['id']}"] = full
            if full.endswith(f"/{kind}/{resource['id']}"):
                self.prefixes.setdefault(kind.lower(), full.removesuffix(resource["id"]))
        return full

    def _resource(self, iri: str, resource: dict[str, Any]) -> None:
        subject = ox.NamedNode(iri)
        kind = resource["resourceType"]
        lang = resource.get("language") if isinstance(resource.get("language"), str) else None
        self._add(
            subject,
            RDF + "type",
            ox.NamedNode(SCHEMA + ("MedicalOrganization" if kind == "Organization" else "Service")),
        )
        self._names(subject, SCHEMA + "name", [resource.get("name")], [resource.get("_name")], lang)
        aliases = resource.get("alias") or []
        self._names(subject, SCHEMA + "alternateName", aliases, resource.get("_alias") or [], None)
        for identifier in resource.get("identifier") or []:
            if isinstance(identifier, dict) and isinstance(identifier.get("value"), str):
                node = ox.BlankNode()
                self._add(subject, SCHEMA + "identifier", node)
                self._add(node, RDF + "type", ox.NamedNode(SCHEMA + "PropertyValue"))
                self._add(node, SCHEMA + "value", ox.Literal(identifier["value"]))
                if isinstance(identifier.get("system"), str):
                    self._add(node, SCHEMA + "propertyID", ox.Literal(identifier["system"]))
        links = {"partOf": "parentOrganization", "providedBy": "provider"}
        for key, term in links.items():
            reference = resource.get(key)
            if isinstance(reference, dict) and "reference" in reference:
                self._add(subject, SCHEMA + term, ox.NamedNode(self._resolve(iri, reference["reference"])))
        coded = ["type"] + (["specialty"] if kind == "HealthcareService" else [])
        for key in coded:
            for concept in resource.get(key) or []:
                self._codings(subject, concept)
        for concept in resource.get("category") or []:
            codings = concept.get("coding") if isinstance(concept, dict) else None
            self.left_out["HealthcareService.category"] += len(codings or [])

    def _codings(self, subject: ox.NamedNode, concept: object) -> None:
        codings = concept.get("coding") if isinstance(concept, dict) else None
        for coding in codings or []:
            system, code = coding.get("system"), coding.get("code")
            if not isinstance(system, str) or not isinstance(code, str):
                self.left_out["codings without a system and a code"] += 1
            elif system == ORGANIZATION_TYPE and code == "dept":
                self._add(subject, RDF + "type", ox.NamedNode(ONTOLOGY + "Department"))
            elif system == ORGANIZATION_TYPE:
                continue  # prov and the rest: a healthcare provider is what it is already
            elif (iri := concept_iri(system, code)) is not None:
                self._add(subject, SCHEMA + "code", ox.NamedNode(iri))
            else:
                self.left_out[system] += 1

    def _names(
        self, subject: ox.NamedNode, predicate: str, values: list[Any], extras: list[Any], lang: str | None
    ) -> None:
        for value, extra in zip(values, [*extras, *[None] * (len(values) - len(extras))], strict=False):
            for extension in (extra or {}).get("extension") or [] if isinstance(extra, dict) else []:
                if extension.get("url") == TRANSLATION:
                    parts = {e.get("url"): e for e in extension.get("extension") or [] if isinstance(e, dict)}
                    code = parts.get("lang", {}).get("valueCode")
                    content = parts.get("content", {}).get("valueString")
                    if isinstance(code, str) and isinstance(content, str) and content.strip():
                        self._add(subject, predicate, ox.Literal(content, language=code))
            if isinstance(value, str) and value.strip():
                self._add(subject, predicate, ox.Literal(value, language=lang) if lang else ox.Literal(value))

    def _resolve(self, here: str, reference: object) -> str:
        if isinstance(reference, str):
            found = self.iris.get(reference)  # a fullUrl, or Type/id of an entry
            if found:
                return found
        self._fail(str(reference), f"{here}: reference {reference!r} names no entry of the Bundle")

    def _add(
        self,
        subject: ox.NamedNode | ox.BlankNode,
        predicate: str,
        value: ox.NamedNode | ox.BlankNode | ox.Literal,
    ) -> None:
        self.out.append(ox.Triple(subject, ox.NamedNode(predicate), value))

    def _fail(self, where: str, reason: str) -> NoReturn:
        """Raise the file's problem at the line that first mentions ``where``."""
        found = self.text.find(where)
        line = self.text.count("\n", 0, found) + 1 if found >= 0 else 1
        raise InputError(self.path, line, f"FHIR Bundle: {reason}")
