"""OBO flat files (``.obo``) read with fastobo, written as OBO in OWL (``obo_owl``).

fastobo (Rust, on PyPI) parses the file; it was chosen over pronto because it is what
pronto itself parses OBO with, and without pronto's object model on top it reads
``hp.obo`` (10 MB, 19,487 frames) in 0.8 s against pronto's 1.9 s; its syntax errors carry
the line, which an import reports as ``file:line: reason``.

Typedefs are read first: an unprefixed relation (``relationship: part_of X``) is the
IRI of the one prefixed ``xref`` of its Typedef (``xref: BFO:0000050``), as OBO's OWL
translation does, else ``obo:ONTOLOGY#part_of``. What fastobo or this module cannot turn
into OWL is counted in the notes, never dropped unsaid: ``[Instance]`` stanzas (fastobo
0.14 exposes none of their clauses) and the few Typedef characteristics not written.
"""

from __future__ import annotations

import gzip
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from ..errors import InputError
from . import obo_owl
from .converted import Converted
from .obo_owl import OBO, OBO_IN_OWL, OWL, RDFS, IdSpaces, Term

MEDIA_TYPE = "text/obo"  # not registered with IANA; the name OWL tools and Cytoscape give it
#: Typedef clauses written as OWL, beyond those a Term has
PROPERTY_AXIOMS = {"domain": RDFS + "domain", "range": RDFS + "range", "inverse_of": OWL + "inverseOf"}
CHARACTERISTICS = {
    "is_transitive": OWL + "TransitiveProperty",
    "is_symmetric": OWL + "SymmetricProperty",
    "is_asymmetric": OWL + "AsymmetricProperty",
    "is_reflexive": OWL + "ReflexiveProperty",
    "is_functional": OWL + "FunctionalProperty",
    "is_inverse_functional": OWL + "InverseFunctionalProperty",
}
IGNORED = frozenset({"is_anonymous", "builtin"})  # parser hints, nothing to state


def read(path: Path) -> Converted:
    """The triples of an OBO file; raises ``InputError`` (at the failing line) as they are read."""
    document = _parse(path)
    spaces = IdSpaces(path.name.removesuffix(".gz").removesuffix(".obo"))
    version, header = "", list[tuple[str, ox.NamedNode | ox.Literal]]()
    for clause in document.header:
        tag = clause.raw_tag()
        if tag == "ontology":
            spaces.ontology = str(clause.ontology)
        elif tag == "idspace":
            spaces.declared[str(clause.prefix)] = str(clause.url)
        elif tag == "data-version":
            version = str(clause.version)
    shorthands = _shorthands(document, spaces)
    for clause in document.header:
        tag = clause.raw_tag()
        if tag == "remark":
            header.append((RDFS + "comment", ox.Literal(str(clause.remark))))
        elif tag == "property_value":
            header.append(_property_value(clause.property_value, spaces, shorthands))
    notes: list[str] = []
    triples = _triples(path, document, spaces, shorthands, version, header, notes)
    return Converted(triples, dict(spaces.declared), notes)


def _parse(path: Path) -> Any:
    import fastobo  # a compiled parser: loaded only when an OBO file is imported

    try:
        with _open(path) as file:
            return fastobo.load(file)
    except FileNotFoundError:
        raise InputError(path, 0, "no such file") from None
    except SyntaxError as exc:
        raise InputError(path, exc.lineno or 0, f"OBO syntax error: {exc.msg}") from None
    except (OSError, EOFError) as exc:  # fastobo: "stream did not contain valid UTF-8"; a broken gzip
        raise InputError(path, _bad_utf8_line(path), f"cannot read: {exc}") from None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # fastobo panics (pyo3's PanicException is no Exception) on some input
        raise InputError(path, 0, f"the OBO parser (fastobo) failed on this file: {exc}") from None


def _triples(
    path: Path,
    document: Any,
    spaces: IdSpaces,
    shorthands: dict[str, str],
    version: str,
    header: list[tuple[str, ox.NamedNode | ox.Literal]],
    notes: list[str],
) -> Iterator[ox.Triple]:
    yield from obo_owl.ontology_triples(f"{OBO}{spaces.ontology}.owl", version, header)
    left_out: Counter[str] = Counter()
    for frame in document:
        kind = type(frame).__name__
        if kind not in ("TermFrame", "TypedefFrame"):
            left_out["[Instance] stanzas (fastobo exposes none of their clauses)"] += 1
            continue
        try:
            term, extra = _term(frame, kind == "TypedefFrame", spaces, shorthands, left_out)
            yield from obo_owl.triples(term)
            yield from extra
        except ValueError as exc:  # a reference that makes no IRI
            raise InputError(path, _line_of(path, str(frame.id)), f"{frame.id}: {exc}") from None
    notes += [f"left out {count} {what}" for what, count in sorted(left_out.items())]


def _term(
    frame: Any, typedef: bool, spaces: IdSpaces, shorthands: dict[str, str], left_out: Counter[str]
) -> tuple[Term, list[ox.Triple]]:
    """A stanza as a ``Term``, and the Typedef axioms a Term has no field for."""

    def iri(ident: Any) -> str:
        return _iri(ident, spaces)

    def relation(ident: Any) -> str:
        return shorthands.get(str(ident)) or iri(ident)

    identifier = str(frame.id)
    node = relation(frame.id) if typedef else iri(frame.id)
    term = Term(node, obo_owl.OBJECT_PROPERTY if typedef else obo_owl.CLASS, identifier)
    extra: list[ox.Triple] = []
    if typedef and identifier in shorthands:
        term.annotations.append((OBO_IN_OWL + "shorthand", ox.Literal(identifier)))
    for clause in frame:
        tag = clause.raw_tag()
        if tag == "name":
            term.label = str(clause.name)
        elif tag == "def":
            term.definition = str(clause.definition)
        elif tag == "comment":
            term.comments.append(str(clause.comment))
        elif tag == "synonym":
            term.synonyms.append((str(clause.synonym.scope), str(clause.synonym.desc)))
        elif tag == "xref":
            term.xrefs.append(str(clause.xref.id))
        elif tag == "is_a":
            term.parents.append(relation(clause.typedef) if typedef else iri(clause.term))
        elif tag == "relationship":
            term.relations.append((relation(clause.typedef), iri(clause.term)))
        elif tag == "intersection_of":
            prop = None if clause.typedef is None else relation(clause.typedef)
            term.intersection.append((prop, iri(clause.term)))
        elif tag == "union_of":
            term.union.append(iri(clause.term))
        elif tag == "equivalent_to":
            term.equivalents.append(relation(clause.typedef) if typedef else iri(clause.term))
        elif tag == "disjoint_from":
            term.disjoints.append(relation(clause.typedef) if typedef else iri(clause.term))
        elif tag == "is_obsolete":
            term.deprecated = bool(clause.obsolete)
        elif tag == "replaced_by":
            term.replaced_by.append(relation(clause.typedef) if typedef else iri(clause.term))
        elif tag == "consider":
            consider = clause.typedef if typedef else clause.term
            term.annotations.append((OBO_IN_OWL + "consider", ox.Literal(str(consider))))
        elif tag == "alt_id":
            term.alt_ids.append(str(clause.alt_id))
        elif tag == "namespace":
            term.namespace = str(clause.namespace)
        elif tag == "subset":
            term.subsets.append(spaces.iri(None, str(clause.subset)))
        elif tag == "property_value":
            term.annotations.append(_property_value(clause.property_value, spaces, shorthands))
        elif tag == "created_by":
            term.annotations.append((OBO_IN_OWL + "created_by", ox.Literal(str(clause.creator))))
        elif tag == "creation_date":
            term.annotations.append((OBO_IN_OWL + "creation_date", ox.Literal(clause.raw_value())))
        elif typedef and tag in PROPERTY_AXIOMS:
            target = getattr(clause, {"inverse_of": "typedef"}.get(tag, tag))
            value = relation(target) if tag == "inverse_of" else iri(target)
            axiom = ox.NamedNode(PROPERTY_AXIOMS[tag])
            extra.append(ox.Triple(ox.NamedNode(node), axiom, ox.NamedNode(value)))
        elif typedef and tag in CHARACTERISTICS:
            if clause.raw_value() == "true":
                kind = ox.NamedNode(CHARACTERISTICS[tag])
                extra.append(ox.Triple(ox.NamedNode(node), obo_owl.TYPE, kind))
        elif tag not in IGNORED:
            left_out[f"{tag} clauses (not written as OWL)"] += 1
    return term, extra


def _shorthands(document: Any, spaces: IdSpaces) -> dict[str, str]:
    """An unprefixed Typedef id -> the IRI of its one prefixed xref (``part_of`` -> BFO_0000050)."""
    found: dict[str, str] = {}
    for frame in document:
        if type(frame).__name__ != "TypedefFrame" or ":" in str(frame.id):
            continue
        xrefs = [str(c.xref.id) for c in frame if c.raw_tag() == "xref"]
        prefixed = [x for x in xrefs if ":" in x and "://" not in x]
        if len(prefixed) == 1:
            found[str(frame.id)] = spaces.curie_iri(prefixed[0])
    return found


def _iri(ident: Any, spaces: IdSpaces) -> str:
    kind = type(ident).__name__
    if kind == "PrefixedIdent":
        return spaces.iri(str(ident.prefix), str(ident.local))
    if kind == "Url":
        return str(ident)
    return spaces.iri(None, str(ident))


def _property_value(
    value: Any, spaces: IdSpaces, shorthands: dict[str, str]
) -> tuple[str, ox.NamedNode | ox.Literal]:
    """(predicate IRI, value) of a ``property_value``: a resource or a typed literal."""
    predicate = shorthands.get(str(value.relation)) or _iri(value.relation, spaces)
    if type(value).__name__ == "ResourcePropertyValue":
        return predicate, ox.NamedNode(_iri(value.value, spaces))
    return predicate, obo_owl.literal(str(value.value), _iri(value.datatype, spaces))


def _line_of(path: Path, identifier: str) -> int:
    """The line of the stanza ``id: identifier`` (0 when it is not found)."""
    with _open(path) as file:
        for number, line in enumerate(file, start=1):
            if line.startswith(b"id:") and line[3:].decode("utf-8", "replace").strip() == identifier:
                return number
    return 0


def _bad_utf8_line(path: Path) -> int:
    """The first line that is not UTF-8 (0 when every line is)."""
    number = 0
    try:
        with _open(path) as file:
            for number, line in enumerate(file, start=1):  # noqa: B007 (the line that fails)
                line.decode("utf-8")
    except UnicodeDecodeError:
        return number
    except (OSError, EOFError):
        return 0
    return 0


def _open(path: Path) -> IO[bytes] | gzip.GzipFile:
    return gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")
