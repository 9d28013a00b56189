"""The one rule that picks a representation (formats.choose) and the one data response (web/responses).

Every view that answers in more than one form asks ``choose``: a path suffix naming an
offer, then ``format=`` naming one, then ``format=html`` for the page, then ``Accept``
(the page for a browser where it is offered on request, the page first where it is the
URL's first representation), else a 406 naming the offers.
"""

from __future__ import annotations

import pytest
from flask import Flask

from pedkg.errors import QueryRefused
from pedkg.sparql import formats
from pedkg.sparql.formats import PAGE
from pedkg.web.responses import EXPOSED, ROW_LIMIT, TRUNCATED, data_response

RESULTS = formats.offers(False)
GRAPHS = formats.offers(True)
ENTITY = [formats.GRAPH_FORMATS[name][0] for name in ("turtle", "jsonld", "ntriples", "rdfxml")]
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def name(chosen: formats.Format | formats.Page) -> str:
    return "page" if chosen is PAGE else chosen.name


@pytest.mark.parametrize(
    ("accept", "format_param", "suffix", "offered", "page", "expected"),
    [
        # a suffix naming an offer wins over format= and Accept
        (BROWSER, "json", "ttl", GRAPHS, "asked", "turtle"),
        (BROWSER, "html", "csv", RESULTS, "first", "csv"),
        # format= names an offer by name, alias or media type; its aliases depend on the kind of offer
        (BROWSER, "csv", None, RESULTS, "asked", "csv"),
        ("text/csv", "json", None, RESULTS, "asked", "json"),
        (None, "json", None, GRAPHS, None, "jsonld"),
        (None, "xml", None, GRAPHS, None, "rdfxml"),
        (None, "srx", None, RESULTS, None, "xml"),
        (None, "Text/Turtle", None, GRAPHS, None, "turtle"),
        (None, "json-ld", None, GRAPHS, None, "jsonld"),
        # format= naming something not offered is ignored
        (None, "nquads", None, ENTITY, "asked", "turtle"),
        (BROWSER, "bogus", None, ENTITY, "asked", "page"),
        ("text/turtle", "bogus", None, GRAPHS, "asked", "turtle"),
        # format=html asks for the page wherever one is offered, and only there
        ("text/turtle", "html", None, GRAPHS, "asked", "page"),
        ("text/csv", "HTML", None, RESULTS, "first", "page"),
        (None, "html", None, GRAPHS, None, "turtle"),
        # page="asked": only text/html named outright, at least as high as every offer
        (BROWSER, None, None, ENTITY, "asked", "page"),
        ("text/html;q=0.5, application/ld+json", None, None, ENTITY, "asked", "jsonld"),
        ("text/html, text/turtle", None, None, GRAPHS, "asked", "page"),
        ("*/*", None, None, GRAPHS, "asked", "turtle"),
        ("text/*", None, None, RESULTS, "asked", "csv"),
        (None, None, None, ENTITY, "asked", "turtle"),
        # page="first": the page is the first offer, so wildcards and no Accept give it too
        (None, None, None, RESULTS, "first", "page"),
        ("*/*", None, None, RESULTS, "first", "page"),
        ("text/*", None, None, RESULTS, "first", "page"),
        ("text/csv", None, None, RESULTS, "first", "csv"),
        ("text/html;q=0.5, text/csv", None, None, RESULTS, "first", "csv"),
        # no page offered: Accept alone, q-values and the most specific range deciding
        ("application/sparql-results+json;q=0.5, text/csv;q=0.9", None, None, RESULTS, None, "csv"),
        (
            "text/*;q=0.9, text/csv;q=0.1, application/sparql-results+xml;q=0.5",
            None,
            None,
            RESULTS,
            None,
            "tsv",
        ),
        ("application/json", None, None, RESULTS, None, "json"),
        (BROWSER, None, None, GRAPHS, None, "rdfxml"),  # application/xml;q=0.9 names RDF/XML exactly
    ],
)
def test_one_rule_chooses(
    accept: str | None,
    format_param: str | None,
    suffix: str | None,
    offered: list[formats.Format],
    page: formats.PageOffer,
    expected: str,
) -> None:
    chosen = formats.choose(accept, format_param, suffix, offered, page)
    assert name(chosen) == expected


@pytest.mark.parametrize(
    ("accept", "offered", "page", "says"),
    [
        ("image/png", RESULTS, None, "application/sparql-results+json, application/sparql-results+xml"),
        ("image/png", ENTITY, "asked", "text/turtle, application/ld+json"),
        ("application/sparql-results+json;q=0", RESULTS, "asked", "text/csv"),
        ("image/png", RESULTS, "first", "text/html, application/sparql-results+json"),
    ],
)
def test_nothing_acceptable_is_a_406_naming_the_offers(
    accept: str, offered: list[formats.Format], page: formats.PageOffer, says: str
) -> None:
    with pytest.raises(QueryRefused) as refused:
        formats.choose(accept, None, None, offered, page)
    assert refused.value.status == 406 and says in refused.value.reason


@pytest.mark.parametrize(
    ("accept", "format_param", "expected"),
    [
        (BROWSER, None, True),
        ("image/png", None, False),  # never a 406: an error is text/plain then
        (None, None, False),
        (BROWSER, "csv", False),
        ("text/csv", "html", True),
    ],
)
def test_an_error_is_a_page_only_for_a_reader_asking_for_one(
    accept: str | None, format_param: str | None, expected: bool
) -> None:
    assert formats.asks_for_page(accept, format_param, RESULTS) is expected


@pytest.mark.parametrize(
    ("path", "offered", "expected"),
    [
        ("neuroblastoma.ttl", ENTITY, ("neuroblastoma", "ttl")),
        ("neuroblastoma.json", ENTITY, ("neuroblastoma", "json")),
        ("neuroblastoma.nq", ENTITY, ("neuroblastoma.nq", None)),  # not offered: part of the name
        ("ontology/0.1.0", ENTITY, ("ontology/0.1.0", None)),
        ("code-lookup.csv", RESULTS, ("code-lookup", "csv")),
        ("code-lookup.bogus", RESULTS, ("code-lookup.bogus", None)),
        ("code-lookup", RESULTS, ("code-lookup", None)),
    ],
)
def test_a_suffix_is_split_only_when_it_names_an_offer(
    path: str, offered: list[formats.Format], expected: tuple[str, str | None]
) -> None:
    assert formats.split_suffix(path, offered) == expected


def test_a_data_response_carries_the_data_headers() -> None:
    with Flask(__name__).test_request_context():
        csv = formats.RESULT_FORMATS["csv"][0]
        cut = data_response(b"a\n", csv, truncated_at=1000, filename="query.csv")
        assert cut.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert cut.headers["Access-Control-Allow-Origin"] == "*"
        assert cut.headers["Access-Control-Expose-Headers"] == EXPOSED
        assert TRUNCATED in EXPOSED and ROW_LIMIT in EXPOSED
        assert cut.headers["Vary"] == "Accept"
        assert cut.headers[TRUNCATED] == "true" and cut.headers[ROW_LIMIT] == "1000"
        assert cut.headers["Content-Disposition"] == 'attachment; filename="query.csv"'
        whole = data_response("{}", "application/json", vary=False, filename="x.json", inline=True)
        assert "Vary" not in whole.headers and TRUNCATED not in whole.headers
        assert whole.headers["Content-Disposition"] == 'inline; filename="x.json"'
