"""Codes as one key per concept, whichever IRI or CURIE names it, through the Bioregistry.

Ontologies name one concept many ways: NCIt's C3270 is
``http://purl.obolibrary.org/obo/NCIT_C3270`` in OBO, ``...EVS/Thesaurus.owl#C3270`` in
NCI's own OWL, ``"NCI:C3270"`` or ``"NCIT:C3270"`` in an ``oboInOwl:hasDbXref``, and
Orphanet's codes are ``ORDO:``, ``Orphanet:`` and ``ORPHA:``. The Bioregistry's extended
prefix map knows the prefix synonyms and the alternative URI prefixes of each resource,
so every name of a concept becomes the same ``Code`` (its canonical prefix and local
identifier), compared as the CURIE ``prefix:identifier``. pedkg's own prefixes (the
Bioregistry's, in pedkg's casing) write it for people; an unknown CURIE-shaped text
(``FOO:123``) keeps its own prefix, lowercased, so two graphs that cite it still meet.

The registry costs about 1.4 s to load, so it is loaded on first use, once per process,
and only ``pedkg link`` uses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from ..namespaces import EXTERNAL, PREFIX_NAME

if TYPE_CHECKING:
    import curies

#: pedkg's prefixes by their Bioregistry name (the same, but for case)
_PEDKG_PREFIX = {prefix.casefold(): prefix for prefix in EXTERNAL}
#: an OBO PURL's local name: the ontology's prefix, "_", then its identifier
_OBO_LOCAL = re.compile(r"([A-Za-z][A-Za-z0-9.]*)_([^_\s].*)")
#: a namespace by the IRI's own shape: up to the last / or #, and an OBO-style PREFIX_ after it
_NAMESPACE = re.compile(r"^(.*[/#])(?:([A-Za-z][A-Za-z0-9]*_)(?=[A-Za-z]?\d))?[^/#]*$")
_CURIE = re.compile(r"([A-Za-z][A-Za-z0-9_.-]*):(\S+)")


@dataclass(frozen=True)
class Code:
    """A concept's canonical Bioregistry prefix and its local identifier."""

    prefix: str
    identifier: str

    @property
    def key(self) -> str:
        """What two codes are compared by: identifiers of medical vocabularies ignore case."""
        return f"{self.prefix}:{self.identifier.casefold()}"

    @property
    def curie(self) -> str:
        """The CURIE to show: pedkg's prefix where it has one, else the Bioregistry's."""
        return f"{_PEDKG_PREFIX.get(self.prefix, self.prefix)}:{self.identifier}"

    def iri(self) -> str | None:
        """The concept's IRI: pedkg's URI prefix where it has one, else the Bioregistry's."""
        pedkg = _PEDKG_PREFIX.get(self.prefix)
        if pedkg is not None:
            return EXTERNAL[pedkg] + self.identifier
        expanded = registry().expand(f"{self.prefix}:{self.identifier}")
        return str(expanded) if expanded else None


@cache
def registry() -> curies.Converter:
    """The Bioregistry's extended prefix map as a converter (loaded once, on first use)."""
    import bioregistry  # here, not at the top: loading the registry takes over a second

    return bioregistry.get_converter()


@lru_cache(maxsize=1 << 18)
def of_iri(iri: str) -> Code | None:
    """The code an IRI names, when the Bioregistry knows its URI prefix."""
    reference = registry().parse_uri(iri)
    if reference is None or not reference.identifier:
        return None
    prefix, identifier = reference.prefix, reference.identifier
    if prefix == "obo":  # an OBO PURL of a resource registered under another URI prefix
        local = _OBO_LOCAL.fullmatch(identifier)
        return _standard(local.group(1), local.group(2)) if local else None
    if prefix in ("idot", "identifiers.org") and ":" in identifier:  # identifiers.org/PREFIX:ID
        return of_text(identifier)
    return Code(prefix, identifier)


@lru_cache(maxsize=1 << 18)
def of_text(text: str) -> Code | None:
    """The code a text names: an IRI, a CURIE of a known prefix, or a CURIE-shaped text."""
    text = text.strip()
    if text.startswith(("http://", "https://")):
        return of_iri(text)
    match = _CURIE.fullmatch(text)
    if match is None:
        return None
    prefix, identifier = match.groups()
    return _standard(prefix, identifier) or (
        Code(prefix.casefold(), identifier) if PREFIX_NAME.fullmatch(prefix) else None
    )


def _standard(prefix: str, identifier: str) -> Code | None:
    try:
        standard = registry().standardize_curie(f"{prefix}:{identifier}")
    except ValueError:
        return None
    if standard is None:
        return None
    canonical, _, local = standard.partition(":")
    return Code(canonical, local.strip()) if local.strip() else None


@lru_cache(maxsize=1 << 18)
def namespace(iri: str) -> str:
    """The ontology an IRI belongs to: its Bioregistry prefix, else its namespace by shape."""
    code = of_iri(iri)
    if code is not None:
        return code.prefix
    match = _NAMESPACE.match(iri)
    return (match.group(1) + (match.group(2) or "")) if match else iri
