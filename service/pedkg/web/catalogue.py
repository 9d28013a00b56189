"""The web view of ``pedkg.sparql.catalogue``: ``/queries`` and ``/queries/<name>``, run on the server.

A query's page shows its description, its SPARQL text and its parameters as a form,
runs it with the values in the URL (defaults otherwise) and shows the result as a table.
The same URL gives the result as data: ``?format=csv`` (any result format of
``formats``) or a suffix, ``/queries/code-lookup.csv?code=C64``; ``download=1`` makes it
an attachment. Parameters are bound with pyoxigraph's substitutions; only the link
"open in the editor", whose editor cannot bind, writes the values into the query text,
as a ``VALUES`` clause at the start of the WHERE group (see ``editor_text``).

This blueprint also registers the page chrome (``chrome``) for every template.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for

from ..errors import NotFound, QueryError, QueryRefused, QueryTimeout
from ..sparql import formats
from ..sparql import text as sparql_text
from ..sparql.catalogue import NamedQuery
from ..sparql.pool import QueryAnswer, QueryJob
from ..store import sparql_lexer
from . import chrome, world

blueprint = Blueprint("catalogue", __name__)
blueprint.app_context_processor(chrome.context)
blueprint.after_app_request(chrome.finish)


@blueprint.app_context_processor
def _editor_text() -> dict[str, Any]:
    return {"editor_text": editor_text}


HTML = formats.Format("html", "text/html", "html")
TRUNCATED = "Pedkg-Result-Truncated"
ROW_LIMIT = "Pedkg-Row-Limit"
#: query-string keys that are the page's own, never a query parameter
RESERVED = frozenset({"format", "download", "lang"})


@blueprint.get("/queries")
def index() -> Response:
    named = list(world().catalogue.values())
    html = render_template("catalogue.html", queries=named)
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Link"] = (
        f'<{url_for("catalogue.index_json")}>; rel="alternate"; type="application/json"'
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
            "page": url_for("catalogue.query", name=q.name, _external=True),
            "results": url_for("catalogue.query", name=q.name, format="json", _external=True),
            "sparql": q.text,
        }
        for q in world().catalogue.values()
    ]
    body = json.dumps({"queries": entries}, ensure_ascii=False, indent=2)
    return Response(body, content_type="application/json; charset=utf-8", headers={"Vary": "Accept"})


@blueprint.get("/queries/<name>")
def query(name: str) -> Response:
    named, suffix = _find(name)
    if named is None:
        if _wants_html():
            html = render_template("not_found.html", name=name)
            return Response(html, status=404, content_type="text/html; charset=utf-8")
        raise NotFound(f"no named query {name!r}; /queries lists them")
    returns_graph = _returns_graph(named)
    values = {p.name: request.args.get(p.name, p.default) for p in named.params}
    fmt = _choose(returns_graph, suffix)
    if fmt is HTML:
        return _page(named, values, returns_graph)
    response = _data(named, values, returns_graph, fmt)
    response.vary.add("Accept")
    return response


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
    stem, dot, suffix = name.rpartition(".")
    if dot and stem in catalogue:
        named = catalogue[stem]
        if formats.by_name(suffix, _returns_graph(named)) is not None:
            return named, suffix
    return None, None


def _returns_graph(named: NamedQuery) -> bool:
    settings = world().settings
    return sparql_text.read(named.text, settings.max_nesting, settings.allowed_services).returns_graph


def _choose(returns_graph: bool, suffix: str | None) -> formats.Format:
    """A suffix or ``format=`` names the data format; otherwise ``Accept`` picks (HTML first)."""
    asked = suffix or request.args.get("format")
    if asked:
        fmt = formats.by_name(asked, returns_graph)
        if fmt is not None:
            return fmt
        if asked.lower() == "html":
            return HTML
    return formats.negotiate(request.headers.get("Accept"), None, [HTML, *formats.offers(returns_graph)])


def _wants_html() -> bool:
    """A browser's request: its error is a page; anyone else gets text/plain."""
    return formats.prefers_page(request.headers.get("Accept"), formats.offers(False))


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


def _data(named: NamedQuery, values: dict[str, str], returns_graph: bool, fmt: formats.Format) -> Response:
    """The bound query's result in a data format; errors go to the application's handlers."""
    answer = _run(named, values, fmt.name, returns_graph)
    response = Response(answer.body, content_type=fmt.content_type)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = f"{TRUNCATED}, {ROW_LIMIT}, Content-Type"
    if answer.truncated:
        response.headers[TRUNCATED] = "true"
        response.headers[ROW_LIMIT] = str(world().settings.row_limit)
    if request.args.get("download"):
        response.headers["Content-Disposition"] = f'attachment; filename="{named.name}.{fmt.suffix}"'
    return response


def _url(named: NamedQuery, values: dict[str, str], **extra: Any) -> str:
    """A URL of this query with its parameter values and, first, the page's own keys."""
    params: dict[str, Any] = {**extra, **values}
    return url_for("catalogue.query", name=named.name, **params)


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
    downloads = [(fmt.name, _url(named, values, format=fmt.name, download=1)) for fmt in offered]
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
        f'<{_url(named, values, format=fmt.name)}>; rel="alternate"; type="{fmt.media_type}"'
        for fmt in offered
    )
    return response
