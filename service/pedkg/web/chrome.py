"""The chrome of pedkg's HTML pages: the reader's language, its messages, links and cells.

Every template sees the same few helpers (registered by the catalogue blueprint as an
app-wide context processor):

- ``lang``: ``en`` or ``ko``, from ``?lang=`` if given, else ``Accept-Language``;
- ``t(key, **values)``: the page's words in that language, from the one catalogue (``messages``);
- ``curie(iri)``: how a result cell shows an IRI (its links, and every other URL: web/urls.py);
- ``highlight(sparql)``: a query's text marked up for colouring, every token escaped.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request
from markupsafe import Markup, escape

from ..store import sparql_lexer
from ..views.entity import curie
from .messages import WORDS

LANGUAGES = ("en", "ko")

#: what the download links call each format
FORMAT_LABELS = {
    "json": "JSON",
    "xml": "XML",
    "csv": "CSV",
    "tsv": "TSV",
    "turtle": "Turtle",
    "ntriples": "N-Triples",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF/XML",
    "nquads": "N-Quads",
    "trig": "TriG",
}


_KEYWORDS = frozenset(
    {
        *("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "PREFIX", "BASE", "OPTIONAL", "FILTER"),
        *("UNION", "MINUS", "GRAPH", "SERVICE", "BIND", "VALUES", "GROUP", "BY", "ORDER", "HAVING"),
        *("LIMIT", "OFFSET", "DISTINCT", "REDUCED", "AS", "FROM", "NAMED", "NOT", "EXISTS", "IN"),
        *("ASC", "DESC", "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT", "SEPARATOR"),
        *("STR", "LANG", "STRSTARTS", "REGEX"),
    }
)


def reader_language() -> str:
    """``?lang=en|ko`` if given, else the best of ``Accept-Language``, else English."""
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES, default="en") or "en"


def translate(lang: str, key: str, **values: object) -> str:
    """The catalogue's text for ``key`` in ``lang`` (else English), its ``{names}`` filled in."""
    words = WORDS[key]
    text = words.get(lang) or words["en"]
    return text.format(**values) if values else text


def highlight(text: str) -> Markup:
    """A SPARQL text as escaped HTML, its tokens in spans by kind (comment, string, IRI, ...)."""
    parts: list[str] = []
    for match in sparql_lexer.tokens(text):
        kind, value = match.lastgroup, match.group()
        if kind == "word" and (value.upper() in _KEYWORDS or value == "a"):
            kind = "keyword"
        if kind in ("comment", "string", "iri", "var", "pname", "keyword"):
            parts.append(f'<span class="sq-{kind}">{escape(value)}</span>')
        else:
            parts.append(str(escape(value)))
    return Markup("".join(parts))


def context() -> dict[str, Any]:
    """What every template of pedkg's pages sees."""
    lang = reader_language()
    return {
        "lang": lang,
        "languages": LANGUAGES,
        "t": lambda key, **values: translate(lang, key, **values),
        "curie": curie,
        "highlight": highlight,
        "format_labels": FORMAT_LABELS,
    }


def finish(response: Response) -> Response:
    """HTML pages vary by language and say which (their security headers: web/headers.py)."""
    if response.mimetype == "text/html":
        response.vary.add("Accept-Language")
        response.headers.setdefault("Content-Language", reader_language())
    return response
