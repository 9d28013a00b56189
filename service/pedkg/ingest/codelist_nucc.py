"""The NUCC Health Care Provider Taxonomy, from its pinned copy (``data/sources/nucc-taxonomy.tsv``).

US Core FHIR directories code a practitioner's or service's specialty with this code set.
A code names three levels (grouping, classification, specialization); a mapping row's label
is the name of the code's most specific level, which is the discipline: its Specialization,
else its Classification (``2080P0207X`` "Pediatric Hematology-Oncology", ``208800000X``
"Urology"). The NUCC's Display Name ("Urology Physician") names the provider, and is given
by ``display_name`` for FHIR codings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from . import codelist_pinned

FILE_NAME = "nucc-taxonomy.tsv"


@dataclass(frozen=True)
class TaxonomyCode:
    code: str
    grouping: str
    classification: str
    specialization: str
    display_name: str

    @property
    def name(self) -> str:
        """The most specific level's name: what a discipline mapping is labelled with."""
        return self.specialization or self.classification


def codes(sources: Path | None = None) -> dict[str, TaxonomyCode]:
    """Every code of the pinned code set; ``InputError`` (file:line) when the file is malformed."""
    path = (sources or codelist_pinned.DEFAULT_SOURCES) / FILE_NAME
    found: dict[str, TaxonomyCode] = {}
    for row in codelist_pinned.read_rows(path):
        try:
            code = TaxonomyCode(
                row["code"],
                row["grouping"],
                row["classification"],
                row["specialization"],
                row["display_name"],
            )
        except KeyError as missing:
            raise InputError(path, 0, f"pinned code list has no column {missing}") from None
        found[code.code] = code
    return found


def display_name(code: str, sources: Path | None = None) -> str | None:
    """The NUCC's Display Name of a code (a FHIR coding's display), None if it has no such code."""
    found = codes(sources).get(code)
    return found.display_name if found else None


def check(local_id: str, label: str, sources: Path | None = None) -> str | None:
    """Why the pinned NUCC code set refuses a code and label (None: it has them)."""
    try:
        found = codes(sources).get(local_id)
    except InputError as exc:
        return f"cannot read the pinned code list: {exc}"
    if found is None:
        return f"nucc.taxonomy:{local_id} is not in the NUCC provider taxonomy 25.1 ({FILE_NAME})"
    if found.name != label:
        named = f"nucc.taxonomy:{local_id} is named {found.name!r}"
        return f"{named} in the NUCC provider taxonomy, not {label!r}"
    return None
