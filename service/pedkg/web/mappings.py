"""``/mappings``: every mapping in the store with its justification; ``/mappings.sssom.tsv``, its export.

Both read ``pedkg.mapping.stored`` through the query pool. The page lists curated, accepted and
imported mappings alike, a thousand at a time (``?page=``: a slice of ``stored.index``, sorted,
counted and filtered here; only the slice's slots and names are read), each with its subject,
predicate, object (label, CURIE, vocabulary; each end links to its page here, at /id/ or
/resource), justification, confidence and the graph it comes from; it filters by vocabulary,
justification and source graph with a plain GET form. The SSSOM TSV is its machine twin, named
in a ``Link`` header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Blueprint, Response, render_template, request

from .. import namespaces
from ..errors import NotFound, QueryRefused
from ..mapping import stored as stored_mappings
from ..namespaces import BASE, GRAPH, compress
from . import chrome, responses, world
from .urls import iri_href, link, source_href

blueprint = Blueprint("mappings", __name__)

TSV_TYPE = "text/tab-separated-values; charset=utf-8"
FILTERS = ("vocabulary", "justification", "source")
#: mappings one page shows; an imported set (MONDO's) has 100,000, which its export holds whole
PAGE_ROWS = 1000
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


@dataclass(frozen=True)
class End:
    """One end of a mapping as the page shows it."""

    iri: str
    curie: str
    label: str
    lang: str | None
    href: str | None  # pedkg's page at /id/, else its page at /resource; None: shown as text
    source: str | None = None  # the IRI itself beside its /resource page, when http(s)


@dataclass(frozen=True)
class Row:
    subject: End
    predicate: str
    rejected: bool
    object: End
    vocabulary: str
    vocabulary_name: str
    justification: str
    confidence: float | None
    source: str
    curated: bool
    kind: str  # curated, accepted or imported (``stored.StoredMapping.kind``)


def _end(
    every: stored_mappings.AllMappings, iri: str, names: stored_mappings.Names, lang: str, written: str
) -> End:
    """Both ends of a mapping are in the store (the axiom's source and target), so each has a page:
    pedkg's at /id/ (as ``namespaces.href`` writes it), any other at /resource. An end the store
    names nowhere (an imported set's) goes by the label its mapping row gives, ``written``."""
    label, label_lang = names.label(lang)
    if not label and written:
        label, label_lang = written, None
    curie = every.curie(iri)
    if iri.startswith(BASE):
        return End(iri, curie, label or curie, label_lang, namespaces.href(iri))
    return End(
        iri, curie, label or curie, label_lang, iri_href(iri, in_store=True), source_href(iri, in_store=True)
    )


def rows(every: stored_mappings.AllMappings, lang: str) -> list[Row]:
    table = []
    for stored in every.mappings:
        m = stored.mapping
        vocabulary, name = every.vocabulary(m.object_id)
        table.append(
            Row(
                subject=_end(every, m.subject_id, stored.subject, lang, m.subject_label),
                predicate=compress(m.predicate_id),
                rejected=m.predicate_modifier == "Not",
                object=_end(every, m.object_id, stored.object, lang, m.object_label),
                vocabulary=vocabulary,
                vocabulary_name=name,
                justification=compress(m.mapping_justification),
                confidence=m.confidence,
                source=stored.graph_name,
                curated=stored.curated,
                kind=stored.kind,
            )
        )
    return table


def _keeps(row: Row, chosen: dict[str, str]) -> bool:
    wanted = {"vocabulary": row.vocabulary, "justification": row.justification, "source": row.source}
    return all(not chosen[k] or chosen[k] == wanted[k] for k in FILTERS)


@dataclass(frozen=True)
class Window:
    """Which of the matching mappings a page shows: ``first`` to ``last`` (1-based) of ``matched``."""

    page: int
    first: int
    last: int
    matched: int

    @property
    def cut(self) -> bool:
        return self.first > 1 or self.last < self.matched


def _matching(
    index: stored_mappings.Index, names: stored_mappings.AllMappings, chosen: dict[str, str]
) -> tuple[list[stored_mappings.Key], dict[str, list[tuple[str, str]]]]:
    """The keys the filters keep, and the filters' options (every value some mapping has)."""
    vocabularies = {ns: names.vocabulary(example) for ns, example in index.examples().items()}
    justifications = {compress(key.justification): key.justification for key in index.keys}
    sources = {key.graph.removeprefix(GRAPH) for key in index.keys}
    options = {
        "vocabulary": sorted(set(vocabularies.values())),
        "justification": sorted((curie, curie) for curie in justifications),
        "source": sorted((name, "pkg:" + name) for name in sources),
    }
    graph = GRAPH + chosen["source"] if chosen["source"] else ""
    justification = justifications.get(chosen["justification"], "-") if chosen["justification"] else ""
    wanted = chosen["vocabulary"]
    of_wanted = frozenset(ns for ns, (prefix, _) in vocabularies.items() if prefix == wanted)
    namespaces = of_wanted if wanted else None
    return index.matching(graph, justification, namespaces), options


@blueprint.get("/mappings")
def page() -> Response:
    lang = chrome.reader_language()
    pool = world().pool
    chosen = {k: request.args.get(k, "") for k in FILTERS}
    number = request.args.get("page", "1")
    if not PAGE_NUMBER.fullmatch(number):
        raise QueryRefused(400, f"page {number[:20]!r} is not a page number (1, 2, ...)")
    index = stored_mappings.index(pool)
    names = stored_mappings.declared(pool)
    matched, options = _matching(index, names, chosen)
    start = (int(number) - 1) * PAGE_ROWS
    window = matched[start : start + PAGE_ROWS]
    if not window and number != "1":
        raise NotFound(f"page {number} of the mappings is past the last ({-(-len(matched) // PAGE_ROWS)})")
    every = stored_mappings.load(pool, window) if window else names
    shown = [row for row in rows(every, lang) if _keeps(row, chosen)]
    html = render_template(
        "mappings.html",
        rows=shown,
        total=len(index.keys),
        matched=len(matched),
        window=Window(int(number), start + 1, start + len(window), len(matched)),
        page_rows=PAGE_ROWS,
        options=options,
        chosen=chosen,
        filters=FILTERS,
    )
    response = Response(html, mimetype="text/html")
    export = link("mappings.export", lang=None)
    response.headers["Link"] = f'<{export}>; rel="alternate"; type="text/tab-separated-values"'
    return response


@blueprint.get("/mappings.sssom.tsv")
def export() -> Response:
    body = stored_mappings.load(world().pool).to_tsv()
    return responses.data_response(
        body, TSV_TYPE, vary=False, filename="pedkg-mappings.sssom.tsv", inline=True
    )
