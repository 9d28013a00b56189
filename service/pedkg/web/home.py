"""``/``: what the division is, what the graph holds, and a picture of how it connects.

The division's name and definition come from the graph by the one label rule of
``pedkg.labels`` (the reader's language, else the other, with a mark that says so); the
counts from ``statistics`` (the same numbers ``/void`` publishes), each linking to the page
that lists what it counts; the picture's model from ``views.diagram``, drawn by
``views.diagram_svg`` in two layouts (wide and phone) and served alone as ``/diagram.svg`` too.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, render_template, request

from ..labels import Labels
from ..namespaces import ONTOLOGY
from ..sparql.rows import select
from ..views import diagram, diagram_svg
from . import chrome, statistics, world
from .urls import iri_href, link

blueprint = Blueprint("home", __name__)

DIVISION = """
PREFIX pko: <https://w3id.org/pedkg/ontology/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?division ?kind ?text WHERE {
  ?division a pko:Division ; ?kind ?text
  VALUES ?kind { rdfs:label skos:prefLabel skos:definition } FILTER(isLiteral(?text))
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


def picture(lang: str) -> diagram.Model | None:
    return diagram.from_rows(select(world().pool, diagram.QUERY, statistics.ROW_LIMIT), lang)


def _division(lang: str) -> dict[str, Any]:
    """The division's IRI, and its label and definition by the one rule (``pedkg.labels``)."""
    found: dict[str, Any] = {"label": None, "definition": None}
    names = Labels()
    for row in select(world().pool, DIVISION, 100):
        found["iri"] = row["division"].value
        names.add(found["iri"], row["kind"].value, row["text"])
    if "iri" in found:
        found["label"] = names.label(found["iri"], lang)
        found["definition"] = names.definition(found["iri"], lang)
    return found


@blueprint.get("/")
def index() -> Response:
    lang = chrome.reader_language()
    stats = statistics.compute()
    model = picture(lang)
    t = lambda key, **values: chrome.translate(lang, key, **values)  # noqa: E731
    counts = [(stats.count(ONTOLOGY + name), key, iri_href(ONTOLOGY + name)) for name, key in COUNTED]
    svgs = {}
    if model is not None:
        svgs = {layout: diagram_svg.render(model, lang, t, layout, iri_href) for layout in ("wide", "narrow")}
    html = render_template(
        "home.html",
        active="home",
        division=_division(lang),
        stats=stats,
        counts=counts,
        model=model,
        svgs=svgs,
    )
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Link"] = f'<{link("dataset.void", lang=None)}>; rel="describedby"; type="text/turtle"'
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
    body = '<?xml version="1.0" encoding="utf-8"?>\n' + diagram_svg.render(model, lang, t, layout, iri_href)
    response = Response(body, content_type="image/svg+xml; charset=utf-8")
    response.vary.add("Accept-Language")
    return response
