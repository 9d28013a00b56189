"""Other graphs in: ``pedkg import FILE --graph NAME``, and ``pedkg graphs`` listing what came from where.

An import copies the current store (a checkpoint), streams the file into ``pkg:NAME`` with
the bulk loader, describes it in the register ``pkg:imports`` (``store.register``) and swaps
the copy in. Any failure discards
the copy, so a file that does not parse leaves the store exactly as it was.

Every quad of an N-Quads or TriG file goes into ``pkg:NAME`` whatever graph the file names:
one import is one graph with one description. Nothing is ever fetched: RDF/XML entity
declarations are checked before parsing (``doctype``), and a JSON-LD remote ``@context`` is
refused (pyoxigraph has no document loader).

``detect`` tells the format. Files that are not RDF are read into triples first
(``mapping_set``: SSSOM TSV, ``obo_flat``: OBO, ``obo_graphs``: OBO Graphs JSON,
``fhir_bundle``: a FHIR R4 Bundle), spooled as
N-Triples and loaded the same way; their description names the file itself, its SHA-256 and
its own media type, and the report carries the reader's notes.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox

from ..config import Settings
from ..errors import InputError, NotFound, PedkgError
from ..namespaces import GRAPH, STANDARD, graph_iri
from ..sparql.formats import GRAPH_FORMATS
from ..sparql.rows import plain, result_rows
from ..store import register
from ..store.backend import writing
from ..store.interface import Store, Substitutions
from ..store.register import IMPORTS, IMPORTS_IRI
from . import detect, doctype, fhir_bundle, mapping_set, obo_flat, obo_graphs, sources
from .converted import Converted
from .detect import FORMAT_NAMES
from .detect import SUFFIXES as SUFFIXES  # named here too, for callers that knew it here
from .vocabularies import VOCABULARIES

NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
#: graph names the build writes or may write (``sources``: ``curated-*``, ``mappings-*``)
BUILD_NAMES = frozenset({"provenance", IMPORTS})
BUILD_PREFIXES = ("curated-", "mappings-")
LINK_PREFIX = "links-"  # pedkg link --accept
#: the readers of the formats pedkg converts, and the media type each file is described with
READERS: dict[str, tuple[Callable[[Path, str], Converted], str]] = {
    "sssom": (mapping_set.read, mapping_set.MEDIA_TYPE),
    "obo": (lambda path, name: obo_flat.read(path), obo_flat.MEDIA_TYPE),
    "obographs": (lambda path, name: obo_graphs.read(path), obo_graphs.MEDIA_TYPE),
    "fhir": (lambda path, name: fhir_bundle.read(path), fhir_bundle.MEDIA_TYPE),
}
DCT, PROV, SPDX = STANDARD["dcterms"], STANDARD["prov"], STANDARD["spdx"]

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ImportReport:
    graph: str
    triples: int
    seconds: float
    bytes_read: int
    prefixes: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # a converted file's: how it was read


@dataclass(frozen=True)
class GraphInfo:
    """A named graph of the store; ``source`` and the rest only for imported graphs."""

    name: str
    triples: int
    source: str = ""
    created: str = ""
    media_type: str = ""
    sha256: str = ""

    @property
    def imported(self) -> bool:
        return bool(self.created)


def check_name(name: str, settings: Settings) -> None:
    """Refuse a graph name that is malformed or that the build uses."""
    if not NAME.match(name):
        raise PedkgError(f"graph name {name!r}: use lowercase letters, digits and '-' (at most 64)")
    built = {s.graph_name for s in sources.discover(settings)} | BUILD_NAMES
    if name in built or name.startswith(BUILD_PREFIXES):
        raise PedkgError(f"graph name {name!r} belongs to `pedkg build`; pick another")
    if name.startswith(LINK_PREFIX):
        raise PedkgError(f"graph name {name!r} belongs to `pedkg link --accept`; pick another")


def detect_format(path: Path, name: str | None) -> str:
    """The format name for ``--format`` (or an alias), else from the file's name (``detect``)."""
    return detect.detect(path, name)


def import_file(
    settings: Settings,
    path: Path,
    name: str,
    format_name: str | None = None,
    replace: bool = False,
    base_iri: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import one file into ``pkg:NAME`` as a new store version; all or nothing."""
    check_name(name, settings)
    if not path.is_file():
        raise InputError(path, 0, "no such file")
    fmt = detect_format(path, format_name)
    if fmt in READERS:
        if base_iri:
            raise PedkgError(f"--base is for RDF; a file in {FORMAT_NAMES[fmt]} has no relative IRIs")
        return _import_converted(settings, path, name, fmt, replace, progress)
    if fmt == "rdfxml":
        doctype.check(path)
    started = time.monotonic()
    with path.open("rb") as raw:
        reader = _Reader(raw, progress)
        plain = cast(IO[bytes], reader)
        stream = cast(IO[bytes], gzip.GzipFile(mode="rb", fileobj=plain)) if path.suffix == ".gz" else plain

        def origin() -> register.Origin:
            return register.Origin(path.name, reader.finish(), GRAPH_FORMATS[fmt][0].media_type)

        triples, prefixes = _load(settings, path, name, fmt, stream, replace, base_iri, origin)
    return ImportReport(name, triples, time.monotonic() - started, reader.count, prefixes)


def _import_converted(
    settings: Settings, path: Path, name: str, fmt: str, replace: bool, progress: Progress | None
) -> ImportReport:
    """A file that is not RDF: read into triples (checked whole before the store is touched),
    spooled as N-Triples, loaded like an RDF file and described as the file it came from."""
    read, media_type = READERS[fmt]
    started = time.monotonic()
    converted = read(path, name)
    size = path.stat().st_size
    with tempfile.TemporaryFile() as spool:
        ox.serialize(converted.triples, spool, ox.RdfFormat.N_TRIPLES)
        spool.seek(0)
        if progress is not None:  # the file is read whole; what is left is loading it
            progress(size)
        origin = register.Origin(path.name, _sha256(path), media_type)
        triples, _ = _load(
            settings, path, name, "ntriples", spool, replace, None, lambda: origin, converted.prefixes
        )
    seconds = time.monotonic() - started
    return ImportReport(name, triples, seconds, size, converted.prefixes, converted.notes)


def import_vocabulary(settings: Settings, vocabulary: str, name: str, replace: bool = False) -> ImportReport:
    """Import a vocabulary pedkg makes from package data (``vocabularies``), described as
    derived from the package's file (its name, version and SHA-256)."""
    made = VOCABULARIES[vocabulary]
    check_name(name, settings)
    origin = register.Origin(
        made.source_title(), made.source_sha256(), GRAPH_FORMATS["ntriples"][0].media_type
    )
    started = time.monotonic()
    with tempfile.TemporaryFile() as spool:
        made.write(spool)
        spool.seek(0)
        source = made.source()
        triples, prefixes = _load(settings, source, name, "ntriples", spool, replace, None, lambda: origin)
    return ImportReport(name, triples, time.monotonic() - started, 0, prefixes)


def _load(
    settings: Settings,
    path: Path,
    name: str,
    fmt: str,
    stream: IO[bytes],
    replace: bool,
    base_iri: str | None,
    origin: Callable[[], register.Origin],
    declared: dict[str, str] | None = None,
) -> tuple[int, dict[str, str]]:
    """Load ``stream`` into ``pkg:NAME`` and describe it; ``declared``: the prefixes to record
    when the stream is not the file itself (a converted file's, where the spool has none)."""
    graph = graph_iri(name)
    with writing(settings, without=(graph,) if replace else ()) as store:
        if not replace and (store.has_graph(graph) or _described(store, graph)):
            raise PedkgError(f"graph pkg:{name} exists; give --replace to replace it")
        try:  # on a server the old graph stays until the file has parsed
            prefixes = store.replace_graph_from_file(stream, GRAPH_FORMATS[fmt][1], graph, base_iri)
        except SyntaxError as exc:
            raise _located(path, fmt, exc, base_iri) from exc
        except (OSError, EOFError) as exc:  # unreadable file, broken gzip
            raise InputError(path, 0, f"cannot read: {exc}") from exc
        triples = count_triples(store, graph)
        if not triples:
            raise InputError(path, 0, _nothing_read(path, fmt))
        prefixes = prefixes if declared is None else declared
        register.forget(store, graph)
        store.add_to_graph(IMPORTS_IRI, register.describe(graph, triples, origin(), prefixes))
    return triples, prefixes


def _nothing_read(path: Path, fmt: str) -> str:
    if fmt == "jsonld" and path.name.lower().removesuffix(".gz").endswith(".json"):
        return (
            "no triples found: this JSON is neither JSON-LD with triples nor OBO Graphs "
            f'(an object whose first key is "graphs"); pedkg reads {detect.readable()}'
        )
    return f"no triples found (read as {FORMAT_NAMES[fmt]})"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def drop(settings: Settings, name: str) -> None:
    """Remove an imported graph and its description; built graphs cannot be dropped."""
    graph = graph_iri(name)
    with writing(settings, without=(graph,)) as store:
        if not _described(store, graph):
            raise NotFound(f"pkg:{name} is not an imported graph (see `pedkg graphs`)")
        _drop(store, graph)


def graphs(store: Store) -> list[GraphInfo]:
    """Every named graph with its triple count, and the description of the imported ones."""
    counts = _select(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    described = {
        row["g"]: row
        for row in _select(
            store,
            f"""PREFIX dcterms: <{DCT}> PREFIX prov: <{PROV}> PREFIX spdx: <{SPDX}>
            SELECT ?g ?title ?created ?format ?sha256 WHERE {{ GRAPH <{IMPORTS_IRI}> {{
              ?g dcterms:created ?created ; dcterms:format ?format ;
                 prov:wasDerivedFrom [ dcterms:title ?title ;
                                       spdx:checksum/spdx:checksumValue ?sha256 ] }} }}""",
        )
    }
    found = []
    for row in sorted(counts, key=lambda r: r["g"]):
        info = described.get(row["g"], {})
        found.append(
            GraphInfo(
                row["g"].removeprefix(GRAPH),
                int(row["n"]),
                info.get("title", ""),
                info.get("created", ""),
                info.get("format", ""),
                info.get("sha256", ""),
            )
        )
    return found


def imported_graphs(store: Store) -> list[str]:
    """IRIs of the graphs ``pkg:imports`` describes."""
    rows = _select(store, f"SELECT DISTINCT ?g WHERE {{ GRAPH <{IMPORTS_IRI}> {{ ?g a <{PROV}Entity> }} }}")
    return [row["g"] for row in rows]


def count_triples(store: Store, graph: str) -> int:
    rows = _select(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", graph)
    return int(rows[0]["n"]) if rows else 0


class _Reader:
    """A binary file read by the parser: counts bytes for the progress bar and hashes them."""

    def __init__(self, raw: IO[bytes], progress: Progress | None) -> None:
        self._raw = raw
        self._progress = progress
        self._hash = hashlib.sha256()
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self._hash.update(data)
        self.count += len(data)
        if self._progress is not None:
            self._progress(self.count)
        return data

    def finish(self) -> str:
        """The SHA-256 of the whole file (reading what the parser left)."""
        while self.read(1 << 20):
            pass
        return self._hash.hexdigest()


class _Lines:
    """A file handed to a parser one line per read, so the lines read when it fails locate the error."""

    def __init__(self, raw: IO[bytes] | gzip.GzipFile) -> None:
        self._raw = raw
        self.line = 0

    def read(self, size: int = -1) -> bytes:
        data = self._raw.readline()
        self.line += bool(data)
        return data


#: why a JSON-LD document naming a remote ``@context`` is refused (pyoxigraph fetches none)
REMOTE_CONTEXT = "a remote JSON-LD @context is never fetched; put the context into the document"


def fetches_context(exc: SyntaxError) -> bool:
    """Whether the parser failed because the document wants a remote ``@context`` loaded."""
    return "LoadDocumentCallback" in str(exc.msg)


def _located(path: Path, fmt: str, exc: SyntaxError, base_iri: str | None) -> InputError:
    """An ``InputError`` at the parser's line; where it gives none, found by parsing again line by line."""
    reason = f"{FORMAT_NAMES[fmt]} syntax error: {exc.msg}"
    if fetches_context(exc):
        reason = REMOTE_CONTEXT
        return InputError(path, _remote_context_line(path) or _failing_line(path, fmt, base_iri), reason)
    return InputError(path, exc.lineno or _failing_line(path, fmt, base_iri), reason)


def _failing_line(path: Path, fmt: str, base_iri: str | None) -> int:
    with gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb") as file:
        lines = _Lines(file)
        try:
            for _ in ox.parse(lines, GRAPH_FORMATS[fmt][1], base_iri=base_iri):  # type: ignore[arg-type]
                pass
        except SyntaxError as exc:
            return exc.lineno or lines.line
    return 0


def _remote_context_line(path: Path) -> int:
    remote = re.compile(r"\"@(context\"\s*:\s*(\[[^\]]*)?\"|import\")")
    with gzip.open(path, "rt") if path.suffix == ".gz" else path.open() as file:
        for number, line in enumerate(file, start=1):
            if remote.search(line):
                return number
    return 0


def _described(store: Store, graph: str) -> bool:
    imports = graph_iri(IMPORTS)
    return store.has_graph(imports) and graph in imported_graphs(store)


def _drop(store: Store, graph: str) -> None:
    """Remove a graph and its description."""
    store.drop_graph(graph)
    register.forget(store, graph)


def _select(store: Store, sparql: str, graph: str | None = None) -> list[dict[str, str]]:
    """Rows of plain values; ``?g`` is bound to ``graph`` when given."""
    bound: Substitutions = {ox.Variable("g"): ox.NamedNode(graph)} if graph else {}
    result = store.query(sparql, substitutions=bound, union_default=False)  # every query names its graphs
    return plain(result_rows(result))
