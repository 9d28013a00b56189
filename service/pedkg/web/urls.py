"""Every URL a view or template writes, from Flask's ``url_for``: nothing is concatenated.

- ``link(endpoint, **values)``: a view's URL, keeping the reader's explicit ``?lang=``
  choice (``lang=None`` for a link to data or a form's action, which have no language;
  ``_external``, ``_anchor`` as ``url_for`` reads them);
- ``iri_href(iri, in_store)``: where a link to an IRI from the data goes: pedkg's IRIs to
  their page at ``/id/``, any other IRI the store has statements about or with
  (``in_store``: a subject or an object there) to its page at ``/resource?iri=``, other
  http(s) IRIs to themselves, anything else nowhere (``namespaces.href`` decides which
  IRIs may be links to elsewhere at all);
- ``source_href(iri, in_store)``: the second link beside a ``/resource`` one, to the IRI
  itself where it is http(s), so the vocabulary's own page stays one click away;
- ``switch_language(lang)``: this page in another language;
- ``url_template(endpoint, variable, placeholder, **values)``: a URL with a placeholder
  (``{id}``) where a value of ``variable`` goes, for clients that fill it in.

Templates see ``link``, ``iri_href``, ``source_href`` and ``switch_language`` (``context``,
registered app-wide by the catalogue blueprint with the page chrome).
"""

from __future__ import annotations

from typing import Any

from flask import request, url_for

from .. import namespaces
from ..namespaces import BASE
from .chrome import LANGUAGES

_MARK = "pedkg-url-template-field"


#: URLs built, by what decides them: the endpoint, its values, the request's root and, for an
#: absolute URL, its scheme and host. The rules do not change while a server runs, and a page
#: builds some fifty URLs (the navigation, its documents, a link per value), most of them again
#: on the next page, at several microseconds each through Flask and werkzeug (issue 13).
_BUILT: dict[tuple[Any, ...], str] = {}
#: at most this many are kept (then they are forgotten all at once)
BUILT_MOST = 16384


def link(endpoint: str, **values: Any) -> str:
    """The URL of a view, keeping the reader's explicit ``?lang=`` choice unless ``lang`` is given."""
    args = request.args
    if "lang" not in values and "lang" in args:  # (``get`` of a missing key costs werkzeug an exception)
        asked = args["lang"]
        if asked in LANGUAGES:
            values["lang"] = asked
    values = {k: v for k, v in values.items() if v is not None}
    environ = request.environ
    where = (
        (
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_HOST"),
            environ.get("SERVER_NAME"),
            environ.get("SERVER_PORT"),
        )
        if values.get("_external")
        else None
    )
    key = (endpoint, environ.get("SCRIPT_NAME", ""), where, *values.items())
    try:
        return _BUILT[key]
    except KeyError:
        pass
    except TypeError:  # a value that cannot be a key (a list of values): built every time
        return url_for(endpoint, **values)
    url = _BUILT[key] = url_for(endpoint, **values)
    if len(_BUILT) > BUILT_MOST:
        _BUILT.clear()
    return url


def iri_href(iri: str | None, in_store: bool = False) -> str | None:
    """A link for an IRI from the data: its page here (``/id/`` for pedkg's, ``/resource`` for
    another one ``in_store``), else itself when http(s), else None (shown as text)."""
    if not iri:
        return None
    name = iri.removeprefix(BASE)
    if iri.startswith(BASE) and name:
        return link("entities.resource", name=name)
    if in_store:
        return link("resource.page", iri=iri)
    return namespaces.href(iri)


def source_href(iri: str | None, in_store: bool = False) -> str | None:
    """The link to an IRI itself beside its ``/resource`` page (``iri_href`` gave that page); None
    where ``iri_href`` already links to it, or where it is pedkg's or no http(s) IRI."""
    if not iri or not in_store or iri.startswith(BASE):
        return None
    return namespaces.href(iri)


def switch_language(lang: str) -> str:
    """This page, with the same parameters, in another language."""
    values: dict[str, Any] = {**(request.view_args or {}), **request.args.to_dict(flat=True)}
    values["lang"] = lang
    return url_for(request.endpoint or "catalogue.index", **values)


def url_template(endpoint: str, variable: str, placeholder: str, **values: Any) -> str:
    """``endpoint``'s URL with ``placeholder`` (``{id}``) where the value of ``variable`` goes."""
    return link(endpoint, **{variable: _MARK}, **values).replace(_MARK, placeholder)


def context() -> dict[str, Any]:
    """The URL helpers every template sees."""
    return {
        "link": link,
        "iri_href": iri_href,
        "source_href": source_href,
        "switch_language": switch_language,
    }
