"""The web view of ``pedkg.sparql.catalogue``: ``/queries`` and ``/queries/<name>``, run on the server.

A query's page shows its description, its SPARQL text and its parameters as a form,
runs it with the values in the URL (defaults otherwise) and shows the result as a table.
The same URL gives the result as data: ``?format=csv`` (any result format of
``formats``) or a suffix, ``/queries/code-lookup.csv?code=C64``; ``download=1`` makes it
an attachment. The page comes first (``formats.choose``, ``page="first"``): it is what
the URL gives without ``Accept``. Parameters are bound with pyoxigraph's substitutions;
only the link "open in the editor", whose editor cannot bind, writes the values into the
query text, as a ``VALUES`` clause at the start of the WHERE group (see ``editor_text``).

This blueprint also registers the page chrome (``chrome``) and the URL helpers (``urls``)
for every template.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, render_template, request

from ..errors import NotFound, QueryError, QueryRefused, QueryTimeout
from ..sparql import formats
from ..sparql import text as sparql_text
from ..sparql.catalogue import NamedQuery
from ..sparql.pool import QueryAnswer, QueryJob
from ..store import sparql_lexer
from . import chrome, responses, urls, world
from .urls import link

blueprint = Blueprint("catalogue", __name__)
blueprint.app_context_processor(chrome.context)
blueprint.app_context_processor(urls.context)
blueprint.after_app_request(chrome.finish)


@blueprint.app_context_processor
def _editor_text() -> dict[str, Any]:
    return {"editor_text": editor_text}


#: query-string keys that are the page's own, never a query parameter
RESERVED = frozenset({"format", "download", "lang"})


@blueprint.get("/queries")
def index() -> Response:
    named = list(world().catalogue.values())
    html = render_template("catalogue.html", queries=named)
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Link"] = (
        f'<{link("catalogue.index_json", lang=None)}>; rel="alternate"; type="application/json"'
    )
    return response


@blueprint.get("/queries.json")
def index_json() -> Response:
    """The catalogue as data: the machine twin of ``/queries``."""
    entries = [
        {
            "name": q.name,
            "title": {"en": q.title, "ko": q.title_in("ko")},
            "description": {"en": q.description, "ko": q.description_in("ko")},
            "parameters": [
                {"name": p.name, "kind": p.kind, "default": p.default, "description": p.description}
                for p in q.params
            ],
            "page": link("catalogue.query", name=q.name, _external=True, lang=None),
            "results": link("catalogue.query", name=q.name, format="json", _external=True, lang=None),
            "sparql": q.text,
        }
        for q in world().catalogue.values()
    ]
    body = json.dumps({"queries": entries}, ensure_ascii=False, indent=2)
    return responses.data_response(body, "application/json; charset=utf-8")


@blueprint.get("/queries/<name>")
def query(name: str) -> Response:
    accept, asked = request.headers.get("Accept"), request.args.get("format")
    named, suffix = _find(name)
    if named is None:
        if formats.asks_for_page(accept, asked, formats.offers(False)):
            html = render_template("not_found.html", name=name)
            return Response(html, status=404, content_type="text/html; charset=utf-8")
        raise NotFound(f"no named query {name!r}; /queries lists them")
    returns_graph = _returns_graph(named)
    values = {p.name: request.args.get(p.name, p.default) for p in named.params}
    fmt = formats.choose(accept, asked, suffix, formats.offers(returns_graph), page="first")
    if fmt is formats.PAGE:
        response = _page(named, values, returns_graph)
        response.vary.add("Accept")
        return response
    return _data(named, values, returns_graph, fmt, vary=suffix is None)


def editor_text(named: NamedQuery, values: dict[str, str] | None = None) -> str:
    """The query's text with its parameter values written in, for the SPARQL editor.

    The editor sends plain SPARQL and cannot bind variables, so the values (defaults
    filling the rest) become a ``VALUES`` clause opening the WHERE group: every pattern
    and filter of that group sees them bound, as substitution binds them. Each value is
    written in its pyoxigraph term syntax (N-Triples form), which escapes quotes and
    line breaks, so no value can change the query around it. An empty value stays unbound.
    """
    terms = named.bindings({k: v for k, v in (values or {}).items() if k not in RESERVED})
    if not terms:
        return named.text
    variables = [f"?{variable.value}" for variable in terms]
    row = [str(term) for term in terms.values()]
    if len(terms) == 1:
        clause = f"VALUES {variables[0]} {{ {row[0]} }}"
    else:
        clause = f"VALUES ({' '.join(variables)}) {{ ({' '.join(row)}) }}"
    at = _where_group(named.text)
    if at is None:  # no group found: a trailing VALUES clause, joined with the whole pattern
        return named.text.rstrip() + "\n" + clause + "\n"
    return named.text[:at] + "\n  " + clause + named.text[at:]


def _where_group(text: str) -> int | None:
    """Offset just after the ``{`` that opens a query's WHERE group, if the lexer finds it."""
    form = ""
    depth = 0
    seen_where = False
    for match in sparql_lexer.tokens(text):
        kind, value = match.lastgroup, match.group()
        if kind == "word" and depth == 0:
            word = value.upper()
            if not form and word in sparql_lexer.QUERY_FORMS:
                form = word
            seen_where = seen_where or word == "WHERE"
        elif kind == "open":
            if value == "{" and depth == 0 and form and (seen_where or form != "CONSTRUCT"):
                return match.end()
            depth += 1
        elif kind == "close":
            depth = max(depth - 1, 0)
    return None


def _find(name: str) -> tuple[NamedQuery | None, str | None]:
    """The named query a path names, and the format suffix it carries (``code-lookup.csv``)."""
    catalogue = world().catalogue
    if name in catalogue:
        return catalogue[name], None
    named = catalogue.get(name.rpartition(".")[0])
    if named is not None:
        _, suffix = formats.split_suffix(name, formats.offers(_returns_graph(named)))
        if suffix is not None:
            return named, suffix
    return None, None


def _returns_graph(named: NamedQuery) -> bool:
    settings = world().settings
    return sparql_text.read(named.text, settings.max_nesting, settings.allowed_services).returns_graph


def _run(named: NamedQuery, values: dict[str, str], format_name: str, returns_graph: bool) -> QueryAnswer:
    settings = world().settings
    job = QueryJob(
        named.text,
        format_name,
        returns_graph,
        settings.row_limit,
        substitutions=named.bindings(values),
    )
    return world().pool.run(job)


def _data(
    named: NamedQuery, values: dict[str, str], returns_graph: bool, fmt: formats.Format, vary: bool
) -> Response:
    """The bound query's result in a data format; errors go to the application's handlers."""
    answer = _run(named, values, fmt.name, returns_graph)
    row_limit = world().settings.row_limit
    return responses.data_response(
        answer.body,
        fmt,
        vary=vary,
        truncated_at=row_limit if answer.truncated else None,
        filename=f"{named.name}.{fmt.suffix}" if request.args.get("download") else None,
    )


def _result_url(named: NamedQuery, values: dict[str, str], fmt: formats.Format, **extra: Any) -> str:
    """This query's result in ``fmt`` with its parameter values (the page's own keys first)."""
    return link("catalogue.query", name=named.name, **{"format": fmt.name, **extra, "lang": None, **values})


def _page(named: NamedQuery, values: dict[str, str], returns_graph: bool) -> Response:
    """The query's page: its description, text, parameter form and result table."""
    context: dict[str, Any] = {}
    status = 200
    try:
        answer = _run(named, values, "turtle" if returns_graph else "json", returns_graph)
    except QueryError as exc:
        context["error"], status = str(exc), 400
    except QueryRefused as exc:
        context["error"], status = exc.reason, exc.status
    except QueryTimeout as exc:
        context["error"], status = str(exc), 503
    else:
        context["truncated"] = answer.truncated
        if returns_graph:
            context["graph_text"] = answer.body.decode()
        else:
            data = json.loads(answer.body)
            if "boolean" in data:
                context["boolean"] = data["boolean"]
            else:
                context["table"] = data
    try:
        context["editor_query"] = editor_text(named, values)
    except QueryError:
        context["editor_query"] = named.text
    offered = formats.offers(returns_graph)
    downloads = [(fmt.name, _result_url(named, values, fmt, download=1)) for fmt in offered]
    html = render_template(
        "query.html",
        named=named,
        values=values,
        downloads=downloads,
        row_limit=world().settings.row_limit,
        **context,
    )
    response = Response(html, status=status, content_type="text/html; charset=utf-8")
    response.headers["Link"] = ", ".join(
        f'<{_result_url(named, values, fmt)}>; rel="alternate"; type="{fmt.media_type}"' for fmt in offered
    )
    return response
