"""Result formats: names, media types, the choice of a representation, serialisation.

Results of SELECT/ASK and graphs of CONSTRUCT/DESCRIBE have separate offer lists; the
first entry of each is the default. Every view that answers in more than one form asks
``choose`` (suffix, ``format=``, the HTML page, ``Accept``, in that order); nothing else
in pedkg parses ``Accept`` or reads ``format=`` or a suffix to pick a representation.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Final, Literal, overload

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


class Page(Enum):
    """The HTML page, where a URL offers one: asked for by ``format=html`` or by ``Accept``."""

    PAGE = "page"


PAGE: Final = Page.PAGE
#: how a URL offers its page: ``"asked"``, only to a reader that names ``text/html`` outright
#: (a browser), or ``"first"``, as its first representation (no ``Accept`` and wildcards too)
PageOffer = Literal["asked", "first"] | None
HTML = Format("html", "text/html", "html")


@overload
def choose(
    accept: str | None, format_param: str | None, suffix: str | None, offered: list[Format], page: None = None
) -> Format: ...
@overload
def choose(
    accept: str | None,
    format_param: str | None,
    suffix: str | None,
    offered: list[Format],
    page: Literal["asked", "first"],
) -> Format | Page: ...
def choose(
    accept: str | None,
    format_param: str | None,
    suffix: str | None,
    offered: list[Format],
    page: PageOffer = None,
) -> Format | Page:
    """The representation of a request: one of ``offered``, or ``PAGE``.

    One rule for every URL: a path suffix naming an offer wins (``/id/x.ttl``), then
    ``format=`` naming one (a name, an alias or a media type, as ``_by_name`` reads it),
    then ``format=html`` for the page; a suffix or ``format=`` naming nothing offered is
    ignored. Then ``Accept``: with ``page="asked"`` the page when ``text/html`` is named
    outright and ranked at least as high as every offer (``_prefers_page``), with
    ``page="first"`` the page is the first offer like any other (wildcards match it).
    Otherwise the best offer by ``_negotiate``, or a 406 naming what is offered.

    Remembered per distinct request (``CHOICES`` of them): clients send the same few
    ``Accept`` headers again and again. A 406 is not remembered.
    """
    asked = (accept, format_param, suffix, tuple(offered), page)
    if sum(len(text or "") for text in (accept, format_param, suffix)) > CHOICE_CHARS:
        return _choose.__wrapped__(*asked)  # a long header is worked out, not kept
    return _choose(*asked)


#: how many distinct (Accept, format=, suffix, offers, page) choices are remembered, and the
#: longest request text one may hold
CHOICES = 1024
CHOICE_CHARS = 1000


@lru_cache(maxsize=CHOICES)
def _choose(
    accept: str | None,
    format_param: str | None,
    suffix: str | None,
    offered_tuple: tuple[Format, ...],
    page: PageOffer,
) -> Format | Page:
    offered = list(offered_tuple)
    for asked in (suffix, format_param):
        named = _by_name(asked, offered) if asked else None
        if named is not None:
            return named
    if page and format_param and format_param.strip().lower() == HTML.name:
        return PAGE
    if page == "asked" and _prefers_page(accept, offered):
        return PAGE
    if page == "first":
        best = _negotiate(accept, [HTML, *offered])
        return PAGE if best is HTML else best
    return _negotiate(accept, offered)


def asks_for_page(accept: str | None, format_param: str | None, offered: list[Format]) -> bool:
    """Whether a request would get a page where one is offered on request (``page="asked"``).

    For answers that are no representation, such as a 404 or a query that cannot run: a
    page for a browser, ``text/plain`` for everyone else; never a 406.
    """
    if format_param and _by_name(format_param, offered) is not None:
        return False
    if format_param and format_param.strip().lower() == HTML.name:
        return True
    return _prefers_page(accept, offered)


def split_suffix(name: str, offered: list[Format]) -> tuple[str, str | None]:
    """A path's name without the format suffix it ends in, and that suffix; ``(name, None)``
    when its last ``.part`` names none of ``offered`` (``code-lookup.csv`` -> ``code-lookup``)."""
    stem, dot, suffix = name.rpartition(".")
    if dot and _by_name(suffix, offered) is not None:
        return stem, suffix
    return name, None


def _by_name(name: str, offered: list[Format]) -> Format | None:
    """The offer a ``format=`` value or a suffix names (a name, an alias or a media type), if any.

    Offers are result formats or graph formats, never both, and each kind has its aliases
    (``json`` is SPARQL JSON among results, JSON-LD among graphs).
    """
    key = name.strip().lower()
    aliases = GRAPH_ALIASES if offered and offered[0].name in GRAPH_FORMATS else RESULT_ALIASES
    key = aliases.get(key, key)
    for fmt in offered:
        if key == fmt.name:
            return fmt
    for fmt in offered:
        if key == fmt.media_type or key in fmt.aliases:
            return fmt
    return None


def _negotiate(accept: str | None, choices: list[Format]) -> Format:
    """The best of ``choices`` for an ``Accept`` header.

    Each choice is scored by the quality ``Accept`` gives its own media type, taken from
    the most specific matching range (RFC 9110 12.5.1); an alias (``application/json``
    for SPARQL JSON) counts only when the client names it exactly. Ties go to the
    earlier choice; no ``Accept`` (or ``*/*``) means the first. Nothing acceptable
    raises a 406 that names every offered media type.
    """
    if not accept or not accept.strip():
        return choices[0]
    ranges = _accept_ranges(accept)
    scored = [(max([_quality(fmt.media_type, ranges), *_exact(fmt.aliases, ranges)]), fmt) for fmt in choices]
    best_quality = max(quality for quality, _ in scored)
    if best_quality <= 0:
        offered = ", ".join(fmt.media_type for fmt in choices)
        raise QueryRefused(406, f"none of the accepted types is offered; offered: {offered}")
    return next(fmt for quality, fmt in scored if quality == best_quality)


def _prefers_page(accept: str | None, choices: list[Format]) -> bool:
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
