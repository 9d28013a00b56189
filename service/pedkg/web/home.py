"""``/``: what the division is, what the graph holds, and a picture of how it connects.

The definition comes from the graph (``skos:definition`` in the reader's language, else
English with a mark that says so); the counts from ``statistics`` (the same numbers
``/void`` publishes), each linking to the page that lists what it counts; the picture
from ``pedkg.diagram``, drawn here in two layouts (wide and phone) and served alone as
``/diagram.svg`` too.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for
from werkzeug.routing import BuildError

from .. import namespaces
from ..namespaces import ONTOLOGY
from ..sparql.pool import QueryJob
from ..views import diagram
from . import chrome, statistics, world

blueprint = Blueprint("home", __name__)

DIVISION = """
PREFIX pko: <https://w3id.org/pedkg/ontology/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?division ?label ?definition WHERE {
  ?division a pko:Division .
  { ?division rdfs:label ?label } UNION { ?division skos:definition ?definition }
}
"""

#: the counted classes, in the order the page shows them: (class local name, message key)
COUNTED = (
    ("Disease", "home_diseases"),
    ("DiseaseGroup", "home_groups"),
    ("SurgicalDepartment", "home_surgical"),
    ("DiagnosticSupportTeam", "home_diagnostic"),
    ("CareTeam", "home_care"),
    ("SupportProgram", "home_programs"),
)


def page_link(endpoint: str, fallback: str, **values: Any) -> str:
    """A link to another family's page, or its documented path while that page is not built."""
    try:
        return chrome.link(endpoint, **values)
    except BuildError:
        return fallback + chrome.lang_suffix()


def picture(lang: str) -> diagram.Model | None:
    return diagram.from_rows(statistics.select(diagram.QUERY), lang)


def _division(lang: str) -> dict[str, Any]:
    """The division's IRI, label and definition in ``lang`` (else English), with their languages."""
    found: dict[str, Any] = {}
    labels: dict[str, str] = {}
    definitions: dict[str, str] = {}
    answer = world().pool.run(QueryJob(DIVISION, "json", False, 100))
    for row in json.loads(answer.body)["results"]["bindings"]:
        found["iri"] = row["division"]["value"]
        for name, bucket in (("label", labels), ("definition", definitions)):
            if name in row:
                bucket[row[name].get("xml:lang", "en")] = row[name]["value"]
    for name, bucket in (("label", labels), ("definition", definitions)):
        chosen = lang if lang in bucket else "en" if "en" in bucket else next(iter(bucket), None)
        found[name] = (bucket[chosen], chosen) if chosen else None
    return found


@blueprint.get("/")
def index() -> Response:
    lang = chrome.reader_language()
    stats = statistics.compute()
    model = picture(lang)
    t = lambda key, **values: chrome.translate(lang, key, **values)  # noqa: E731
    suffix = chrome.lang_suffix()
    counts = [
        (stats.count(ONTOLOGY + name), key, namespaces.href(ONTOLOGY + name, suffix)) for name, key in COUNTED
    ]
    svgs = {}
    if model is not None:
        svgs = {layout: diagram.render(model, lang, t, layout, suffix) for layout in ("wide", "narrow")}
    html = render_template(
        "home.html",
        active="home",
        division=_division(lang),
        stats=stats,
        counts=counts,
        model=model,
        svgs=svgs,
        suffix=suffix,
        href=lambda iri: namespaces.href(iri, suffix),
        search_link=page_link("search.page", "/search"),
        ontology_link=page_link("ontology.index", "/ontology"),
        void_link=page_link("dataset.void", "/void"),
    )
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Link"] = f'<{url_for("dataset.void")}>; rel="describedby"; type="text/turtle"'
    return response


@blueprint.get("/diagram.svg")
def svg() -> Response:
    """The picture alone, for embedding elsewhere (``?layout=narrow`` for the phone layout)."""
    lang = chrome.reader_language()
    model = picture(lang)
    if model is None:
        return Response("no division in the graph\n", status=404, mimetype="text/plain")
    layout = "narrow" if request.args.get("layout") == "narrow" else "wide"
    t = lambda key, **values: chrome.translate(lang, key, **values)  # noqa: E731
    body = '<?xml version="1.0" encoding="utf-8"?>\n' + diagram.render(
        model, lang, t, layout, chrome.lang_suffix()
    )
    response = Response(body, content_type="image/svg+xml; charset=utf-8")
    response.vary.add("Accept-Language")
    return response
