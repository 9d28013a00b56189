"""Result formats: names, media types, negotiation and serialisation by pyoxigraph.

Results of SELECT/ASK and graphs of CONSTRUCT/DESCRIBE have separate offer lists; the
first entry of each is the default. Nothing else in pedkg parses ``Accept``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from ..errors import QueryError, QueryRefused
from ..store.interface import QueryResult


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    suffix: str
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        text = self.media_type.startswith("text/") or self.media_type.endswith(("+xml", "+json"))
        return f"{self.media_type}; charset=utf-8" if text else self.media_type


RESULT_FORMATS: dict[str, tuple[Format, ox.QueryResultsFormat]] = {
    "json": (
        Format("json", "application/sparql-results+json", "srj", ("application/json",)),
        ox.QueryResultsFormat.JSON,
    ),
    "xml": (
        Format("xml", "application/sparql-results+xml", "srx", ("application/xml", "text/xml")),
        ox.QueryResultsFormat.XML,
    ),
    "csv": (Format("csv", "text/csv", "csv"), ox.QueryResultsFormat.CSV),
    "tsv": (Format("tsv", "text/tab-separated-values", "tsv"), ox.QueryResultsFormat.TSV),
}

GRAPH_FORMATS: dict[str, tuple[Format, ox.RdfFormat]] = {
    "turtle": (
        Format("turtle", "text/turtle", "ttl", ("application/x-turtle", "text/n3", "text/rdf+n3")),
        ox.RdfFormat.TURTLE,
    ),
    "ntriples": (
        Format("ntriples", "application/n-triples", "nt", ("text/plain",)),
        ox.RdfFormat.N_TRIPLES,
    ),
    "jsonld": (
        Format("jsonld", "application/ld+json", "jsonld", ("application/json",)),
        ox.RdfFormat.JSON_LD,
    ),
    "rdfxml": (
        Format("rdfxml", "application/rdf+xml", "rdf", ("application/xml", "text/xml")),
        ox.RdfFormat.RDF_XML,
    ),
    "nquads": (Format("nquads", "application/n-quads", "nq"), ox.RdfFormat.N_QUADS),
    "trig": (Format("trig", "application/trig", "trig"), ox.RdfFormat.TRIG),
}

#: what clients put in ``format=`` (SPARQLWrapper sends json, xml, turtle, n3, rdf, csv, tsv ...)
RESULT_ALIASES = {
    "srj": "json",
    "srx": "xml",
    "sparql-results+json": "json",
    "sparql-results+xml": "xml",
}
GRAPH_ALIASES = {
    "ttl": "turtle", "n3": "turtle", "nt": "ntriples", "n-triples": "ntriples", "json-ld": "jsonld",
    "json": "jsonld", "xml": "rdfxml", "rdf": "rdfxml", "rdf+xml": "rdfxml", "nq": "nquads",
    "n-quads": "nquads",
}  # fmt: skip


def offers(returns_graph: bool) -> list[Format]:
    table = GRAPH_FORMATS if returns_graph else RESULT_FORMATS
    return [entry[0] for entry in table.values()]


def by_name(name: str, returns_graph: bool) -> Format | None:
    """The format a ``format=`` value names (a name, an alias or a media type), if any."""
    key = name.strip().lower()
    table: dict[str, tuple[Format, object]]
    table, aliases = (
        (GRAPH_FORMATS, GRAPH_ALIASES) if returns_graph else (RESULT_FORMATS, RESULT_ALIASES)  # type: ignore[assignment]
    )
    key = aliases.get(key, key)
    if key in table:
        return table[key][0]
    for fmt, _ in table.values():
        if key == fmt.media_type or key in fmt.aliases:
            return fmt
    return None


def negotiate(accept: str | None, format_param: str | None, choices: list[Format]) -> Format:
    """The best of ``choices`` for a request: a known ``format=`` wins, then ``Accept``.

    Each choice is scored by the quality ``Accept`` gives its own media type, taken from
    the most specific matching range (RFC 9110 12.5.1); an alias (``application/json``
    for SPARQL JSON) counts only when the client names it exactly. Ties go to the
    earlier choice; no ``Accept`` (or ``*/*``) means the first. Nothing acceptable
    raises a 406 that names every offered media type.
    """
    if format_param:
        for fmt in choices:
            if format_param.strip().lower() in (fmt.name, fmt.media_type, *fmt.aliases):
                return fmt
    if not accept or not accept.strip():
        return choices[0]
    ranges = _accept_ranges(accept)
    scored = [(max([_quality(fmt.media_type, ranges), *_exact(fmt.aliases, ranges)]), fmt) for fmt in choices]
    best_quality = max(quality for quality, _ in scored)
    if best_quality <= 0:
        offered = ", ".join(fmt.media_type for fmt in choices)
        raise QueryRefused(406, f"none of the accepted types is offered; offered: {offered}")
    return next(fmt for quality, fmt in scored if quality == best_quality)


def prefers_page(accept: str | None, choices: list[Format]) -> bool:
    """A browser asking for a page: ``text/html`` named outright, ranked above every choice.

    Only an explicit ``text/html`` counts; ``text/*`` or ``*/*`` from a SPARQL client
    never turns its answer into a page.
    """
    if not accept:
        return False
    ranges = _accept_ranges(accept)
    page = ranges.get("text/html", 0.0)
    best = max(max([_quality(f.media_type, ranges), *_exact(f.aliases, ranges)]) for f in choices)
    return page > 0 and page >= best


@lru_cache(maxsize=512)
def _accept_ranges(accept: str) -> dict[str, float]:
    """media range -> quality; parameters other than q (charset, profile) are ignored.

    Cached: clients send the same few Accept headers again and again, and a request may
    ask twice (page or data, then which data). Callers must not change the result.
    """
    ranges: dict[str, float] = {}
    for value, quality in parse_accept_header(accept, MIMEAccept):
        media_range = value.split(";")[0].strip().lower()
        ranges[media_range] = max(quality, ranges.get(media_range, 0.0))
    return ranges


def _quality(media_type: str, ranges: dict[str, float]) -> float:
    kind = media_type.split("/")[0]
    for candidate in (media_type, f"{kind}/*", "*/*"):  # the most specific range decides
        if candidate in ranges:
            return ranges[candidate]
    return 0.0


def _exact(aliases: tuple[str, ...], ranges: dict[str, float]) -> list[float]:
    return [ranges[alias] for alias in aliases if alias in ranges]


def serialize(result: QueryResult, name: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Serialise a query result in the named format (``json``, ``csv``, ``turtle``, ...)."""
    if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
        if name not in RESULT_FORMATS:
            raise QueryError(f"a SELECT or ASK result is written as {', '.join(RESULT_FORMATS)}, not {name}")
        return result.serialize(format=RESULT_FORMATS[name][1]) or b""
    if name not in GRAPH_FORMATS:
        raise QueryError(f"a graph result is written as {', '.join(GRAPH_FORMATS)}, not {name}")
    return ox.serialize(result, format=GRAPH_FORMATS[name][1], prefixes=prefixes) or b""
