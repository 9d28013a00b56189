"""The whole dataset out and back in: ``pedkg dump``, ``pedkg restore`` and the ``/dumps/`` files.

A dump is canonical, so the same data always gives the same bytes: blank nodes are
labelled from the data alone, whatever ids the parsers gave them (W3C RDF Dataset
Canonicalization, RDFC-1.0, ``_:c14n0``..., where that is cheap; colour refinement,
``_:r0``..., where RDFC-1.0 would take exponential time: ``_relabelled``), and the N-Quads
lines are sorted by code point (the order RDFC-1.0 prescribes). Only the quads that hold a
blank node take part: a blank node's label comes from the quads that mention it. Every
named graph and the default graph are in it; pedkg's cache stamp on a SPARQL server
(``pkg:version``) is not data and is left out, as ``RemoteStore.dump`` always has. A graph
without triples cannot be written in N-Quads and does not survive a round trip.

A restore replaces the whole store. On the embedded store the file is bulk-loaded into a
new, empty version, swapped in only when every line has parsed, so a broken file leaves
the store exactly as it was. On a SPARQL server the file is parsed whole first (a broken
file sends nothing), then each graph is replaced by one Graph Store request: each graph
is atomic, the restore as a whole is not, and a blank node shared by two graphs becomes two.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox

from ..config import Settings
from ..errors import InputError, PedkgError, StoreError
from ..namespaces import PREFIXES
from .backend import open_reader, writing

FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
SUFFIXES = {"nq": "nquads", "trig": "trig"}


@dataclass(frozen=True)
class DumpReport:
    quads: int
    graphs: int  # named graphs
    size: int  # bytes written


def canonical(nquads: bytes) -> bytes:
    """N-Quads in canonical form: blank nodes labelled from the data alone, lines sorted, each once."""
    lines = nquads.splitlines(keepends=True)  # N-Quads escapes a literal's line breaks
    blank = [line for line in lines if b"_:" in line]  # a blank node, or "_:" in a literal (left alone)
    plain = [line for line in lines if b"_:" not in line and line.strip()] if blank else lines
    if blank:
        quads = list(ox.parse(b"".join(blank), ox.RdfFormat.N_QUADS))
        plain += (ox.serialize(_relabelled(quads), format=ox.RdfFormat.N_QUADS) or b"").splitlines(
            keepends=True
        )
    return b"".join(sorted(set(plain)))


def _relabelled(quads: list[ox.Quad]) -> Iterable[ox.Quad]:
    """The quads with canonical blank node labels: RDFC-1.0's (``_:c14n0``...) where it is cheap, else
    colour refinement's (``_:r0``...).

    RDFC-1.0 is quick when each blank node differs from every other in the quads that mention it,
    and exponential when many look alike: a list of a few hundred equal items (a JSON-LD array of
    zeros) takes minutes. Colour refinement (1-dimensional Weisfeiler-Leman) tells those apart in
    polynomial time: each blank node's colour is a hash of the quads that mention it, the other blank
    nodes in them by their colours, repeated until no colour splits. Where refinement leaves nodes
    alike (symmetric data: twin blank nodes; a cycle of blank nodes), RDFC-1.0 decides after all.
    """
    colours, rounds = _refine(quads)
    if rounds > 1 and len(set(colours.values())) == len(colours):
        order = {node: f"r{rank}" for rank, node in enumerate(sorted(colours, key=colours.__getitem__))}
        return [_renamed(quad, order) for quad in quads]
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def _refine(quads: list[ox.Quad]) -> tuple[dict[ox.BlankNode, str], int]:
    """Each blank node's colour after refinement, and the rounds it took (1: the quads that mention
    a node told them all apart, which is RDFC-1.0's first-degree hash; or none could be)."""
    around: dict[ox.BlankNode, list[tuple[str, tuple[ox.BlankNode, ...]]]] = {}
    for quad in quads:
        terms = (quad.subject, quad.predicate, quad.object, quad.graph_name)
        blanks = {t for t in terms if isinstance(t, ox.BlankNode)}
        for node in blanks:  # the quad as this node sees it: itself "@", the other blank nodes "~"
            seen = " ".join(
                "@" if t == node else "~" if isinstance(t, ox.BlankNode) else str(t) for t in terms
            )
            around.setdefault(node, []).append(
                (seen, tuple(t for t in terms if isinstance(t, ox.BlankNode) and t != node))
            )
    colours = dict.fromkeys(around, "")
    distinct, rounds = 1, 0
    while True:
        rounds += 1
        colours = {
            node: hashlib.blake2b(
                repr(
                    (colours[node], sorted((seen, [colours[o] for o in others]) for seen, others in mentions))
                ).encode(),
                digest_size=16,
            ).hexdigest()
            for node, mentions in around.items()
        }
        now = len(set(colours.values()))
        if now in (distinct, len(colours)):
            return colours, rounds
        distinct = now


def _renamed(quad: ox.Quad, names: dict[ox.BlankNode, str]) -> ox.Quad:
    def term(old: object) -> object:
        return ox.BlankNode(names[old]) if isinstance(old, ox.BlankNode) else old

    return ox.Quad(term(quad.subject), quad.predicate, term(quad.object), term(quad.graph_name))  # type: ignore[arg-type]


def serialise(canonical_nquads: bytes, format_name: str = "nquads") -> bytes:
    """A canonical dump in ``format_name``: N-Quads as it is, or TriG one graph after another."""
    if format_name == "nquads":
        return canonical_nquads
    quads = sorted(
        ox.parse(canonical_nquads, ox.RdfFormat.N_QUADS),
        key=lambda q: (str(q.graph_name) if isinstance(q.graph_name, ox.NamedNode) else "", str(q)),
    )
    return ox.serialize(quads, format=FORMATS[format_name], prefixes=PREFIXES) or b""


def dump(
    settings: Settings, output: Path | None, format_name: str = "nquads", compress: bool = False
) -> DumpReport:
    """Write the store's canonical dump to ``output`` (None: standard output); a file appears whole."""
    reader = open_reader(settings)
    nquads = canonical(reader.dump())
    data = serialise(nquads, format_name)
    if compress:  # no name and no time in the header, so the bytes repeat too
        data = gzip.compress(data, mtime=0)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        partial = output.with_name(f".{output.name}.{os.getpid()}")
        try:
            partial.write_bytes(data)
            os.replace(partial, output)
        except OSError as exc:
            raise StoreError(f"{output}: cannot write the dump: {exc.strerror or exc}") from exc
        finally:
            partial.unlink(missing_ok=True)
    return DumpReport(nquads.count(b"\n"), len(reader.named_graphs()), len(data))


def detect_format(path: Path, name: str | None) -> str:
    """``--format``, else the file name's suffix (``.nq``, ``.trig``, either with ``.gz``)."""
    if name:
        return name
    found = SUFFIXES.get(path.name.lower().removesuffix(".gz").rsplit(".", 1)[-1])
    if found is None:
        raise PedkgError(f"{path}: cannot tell the format from the name (.nq or .trig); give --format")
    return found


@dataclass(frozen=True)
class RestoreReport:
    quads: int
    graphs: int  # named graphs


def restore(settings: Settings, path: Path, format_name: str | None = None) -> RestoreReport:
    """Replace the whole store with a dump; a file that does not parse changes nothing."""
    rdf_format = FORMATS[detect_format(path, format_name)]
    if not path.is_file():
        raise InputError(path, 0, "no such file")
    if settings.remote:
        return _restore_remote(settings, path, rdf_format)
    with writing(settings, fresh=True) as store, _opened(path) as stream:
        store.add_quads_from_file(stream, rdf_format)
        report = RestoreReport(len(store), len(store.named_graphs()))
        if not report.quads:
            raise InputError(path, 0, "no quads found; restoring it would empty the store")
    return report


def _restore_remote(settings: Settings, path: Path, rdf_format: ox.RdfFormat) -> RestoreReport:
    graphs: dict[str | None, list[ox.Triple]] = {}
    with _opened(path) as stream:
        for quad in ox.parse(stream, rdf_format, rename_blank_nodes=True):
            name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None
            graphs.setdefault(name, []).append(quad.triple)
    if not graphs:
        raise InputError(path, 0, "no quads found; restoring it would empty the store")
    report = RestoreReport(sum(len(t) for t in graphs.values()), len(graphs) - (None in graphs))
    with writing(settings) as store:
        for stale in set(store.named_graphs()) - set(graphs):
            store.drop_graph(stale)
        default = graphs.pop(None, None)
        if default is None:
            store.drop_graph(None)
        else:
            store.replace_graph(None, default)
        for graph, triples in sorted(graphs.items(), key=lambda item: str(item[0])):
            store.replace_graph(graph, triples)
    return report


@contextmanager
def _opened(path: Path) -> Iterator[IO[bytes]]:
    """The dump's bytes (gunzipped if need be); what fails to parse or read in the block is the
    file's ``FILE:LINE: reason``."""
    with path.open("rb") as raw:
        try:
            yield cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb")) if path.suffix == ".gz" else raw
        except SyntaxError as exc:
            raise InputError(path, exc.lineno or 0, f"not a dump: {exc.msg}") from exc
        except (OSError, EOFError) as exc:
            raise InputError(path, 0, f"cannot read: {exc}") from exc
