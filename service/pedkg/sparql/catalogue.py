"""The catalogue of named queries: ``queries/*.rq`` files with a comment header.

Header lines start with ``#+``::

    #+ title: Code lookup
    #+ title.ko: 코드 조회
    #+ description: Which entities carry a given code, in any vocabulary.
    #+ param: code | literal | C64 | the code to look up, without its prefix

A parameter is a variable of the query (``?code``); values are bound with
pyoxigraph's ``substitutions``, never pasted into the query text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import NotFound, QueryError
from ..namespaces import converter
from ..store.interface import QueryResult, Substitutions

if TYPE_CHECKING:
    from ..store.interface import Store

PARAM_KINDS = ("literal", "iri", "integer")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    default: str
    description: str

    def term(self, value: str) -> ox.NamedNode | ox.Literal:
        """The RDF term for a value given on the command line or in a URL."""
        if self.kind == "iri":
            iri = converter().expand(value) if ":" in value and "://" not in value else value
            if not iri or "://" not in iri:
                raise QueryError(f"parameter {self.name}: {value!r} is neither an IRI nor a known CURIE")
            return ox.NamedNode(iri)
        if self.kind == "integer":
            if not value.lstrip("-").isdigit():
                raise QueryError(f"parameter {self.name}: {value!r} is not an integer")
            return ox.Literal(value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
        return ox.Literal(value)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    title: str
    description: str
    text: str
    params: list[Param] = field(default_factory=list)
    title_ko: str = ""
    description_ko: str = ""

    def title_in(self, lang: str) -> str:
        return self.title_ko if lang == "ko" and self.title_ko else self.title

    def description_in(self, lang: str) -> str:
        return self.description_ko if lang == "ko" and self.description_ko else self.description

    def bindings(self, values: dict[str, str]) -> Substitutions:
        """Substitutions for the given values, defaults filling the rest."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise QueryError(f"{self.name} takes no parameter {', '.join(unknown)}")
        return {
            ox.Variable(p.name): p.term(values.get(p.name, p.default))
            for p in self.params
            if values.get(p.name, p.default) != ""
        }

    def run(self, store: Store, values: dict[str, str] | None = None) -> QueryResult:
        return store.query(self.text, substitutions=self.bindings(values or {}))


def parse_file(path: Path) -> NamedQuery:
    """A named query from its file; header errors name the file and line."""
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    params: list[Param] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#+"):
            continue
        key, sep, value = line[2:].partition(":")
        key, value = key.strip(), value.strip()
        if not sep:
            raise QueryError(f"{path}:{number}: header line without a colon")
        if key == "param":
            parts = [part.strip() for part in value.split("|")]
            if len(parts) != 4 or parts[1] not in PARAM_KINDS:
                kinds = "/".join(PARAM_KINDS)
                raise QueryError(
                    f"{path}:{number}: a parameter reads 'name | {kinds} | default | description'"
                )
            params.append(Param(*parts))
        else:
            header[key] = value
    for key in ("title", "description"):
        if key not in header:
            raise QueryError(f"{path}:1: the header lacks '#+ {key}:'")
    return NamedQuery(
        path.stem,
        path,
        header["title"],
        header["description"],
        text,
        params,
        header.get("title.ko", ""),
        header.get("description.ko", ""),
    )


def catalogue(folder: Path) -> dict[str, NamedQuery]:
    """Every named query in a folder, by name."""
    return {q.name: q for q in map(parse_file, sorted(folder.glob("*.rq")))}


def resolve(name_or_path: str, folder: Path) -> NamedQuery:
    """A catalogue name, or a path to an .rq file."""
    path = Path(name_or_path)
    if path.suffix == ".rq" and path.exists():
        return parse_file(path)
    found = catalogue(folder).get(name_or_path)
    if found is None:
        raise NotFound(f"no named query {name_or_path!r}; `pedkg query --list` shows them")
    return found


def from_text(text: str, name: str = "query") -> NamedQuery:
    """An ad hoc query (from standard input), with no parameters."""
    return NamedQuery(name, Path("-"), name, "", text)
