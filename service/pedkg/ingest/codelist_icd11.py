"""ICD-11 codes and titles, checked against the excerpt of WHO's MMS 2024-01 release pinned in
``data/sources/icd11-mms-2024-01.tsv``.

pedkg names an ICD-11 entity by its WHO foundation id (Bioregistry prefix ``icd11``, IRI
``http://id.who.int/icd/entity/<id>``): the id stays when a release renumbers its MMS code,
and every non-residual MMS category or block has one. What hospitals code with is the MMS
code (``2B51``) or, for a block, its block id; both come from the same excerpt, so a mapping's
title and code can be checked without a network call or WHO's API key. Residual categories
(``.Y`` other specified, ``.Z`` unspecified) have no foundation id and are not mapped.

The excerpt keeps only the entities pedkg maps: ICD-11 is published under CC BY-ND 3.0 IGO,
and an unaltered excerpt with its attribution is what that licence plainly allows.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..config import PROJECT_ROOT

#: the pinned excerpt: the first six columns of WHO's SimpleTabulation-ICD-11-MMS-en.txt, unaltered
EXCERPT = PROJECT_ROOT / "data" / "sources" / "icd11-mms-2024-01.tsv"
RELEASE = "ICD-11 MMS 2024-01"
FOUNDATION = "http://id.who.int/icd/entity/"


@dataclass(frozen=True)
class MmsEntry:
    """One MMS category or block: its foundation id, MMS code (or block id) and title."""

    foundation_id: str
    code: str
    title: str
    kind: str


@cache
def mms_entries(path: Path = EXCERPT) -> dict[str, MmsEntry]:
    """Foundation id -> MMS entry of every row of the excerpt.

    WHO writes a title with one ``- `` per level of depth in front of it; the title is what
    follows them.
    """
    entries: dict[str, MmsEntry] = {}
    with path.open(encoding="utf-8", newline="") as lines:
        for row in csv.DictReader(lines, delimiter="\t"):
            foundation_id = row["Foundation URI"].removeprefix(FOUNDATION)
            title = row["Title"]
            while title.startswith("- "):
                title = title[2:]
            entries[foundation_id] = MmsEntry(
                foundation_id, row["Code"] or row["BlockId"], title, row["ClassKind"]
            )
    return entries


def icd11_problem(foundation_id: str, label: str) -> str | None:
    """Why ``icd11:<foundation_id>`` titled ``label`` is refused (None: the excerpt has it)."""
    entry = mms_entries().get(foundation_id)
    if entry is None:
        return f"icd11:{foundation_id} is not in the pinned {RELEASE} excerpt ({EXCERPT.name})"
    if entry.title != label:
        return f"icd11:{foundation_id} ({entry.code}) is titled {entry.title!r} in {RELEASE}, not {label!r}"
    return None
