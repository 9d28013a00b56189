"""One rule for the text of a request body, on every route that reads one.

SPARQL texts, forms, JSON and RDF graphs travel as UTF-8: the SPARQL Protocol calls it the
only valid charset, and Turtle, N-Triples and JSON-LD are UTF-8 by definition. So a body
labelled with another charset is refused (415: the label says what the bytes are, and pedkg
will not read them as something else), and a body whose bytes are not UTF-8 is refused (400,
with where the bytes went wrong). Either way the request is refused before anything runs, so
a refusal never changes the store and is never a 500.
"""

from __future__ import annotations

import codecs
from urllib.parse import parse_qs

from werkzeug.http import parse_options_header

from .errors import QueryRefused


def media_type(content_type: str) -> str:
    """The media type of a ``Content-Type`` value, lower case, without parameters."""
    return content_type.split(";")[0].strip().lower()


def check_charset(content_type: str) -> None:
    """Refuse (415) a ``charset`` parameter that does not name UTF-8."""
    label = parse_options_header(content_type)[1].get("charset")
    if label is None:
        return
    try:
        utf8 = codecs.lookup(label.strip()).name == "utf-8"
    except LookupError:
        utf8 = False
    if not utf8:
        raise QueryRefused(
            415, f"the body is labelled charset={label[:40]}; pedkg reads request bodies as UTF-8 only"
        )


def decode(body: bytes, content_type: str) -> str:
    """The body's text: its label must be UTF-8 (or absent) and its bytes must be UTF-8."""
    check_charset(content_type)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QueryRefused(400, f"the request body is not UTF-8 ({exc.reason} at byte {exc.start})") from exc


def form_fields(body: bytes, content_type: str) -> dict[str, list[str]]:
    """An ``application/x-www-form-urlencoded`` body's fields; a value whose percent-escapes
    are not UTF-8 is refused like a body that is not."""
    text = decode(body, content_type)
    try:
        return parse_qs(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as exc:
        raise QueryRefused(400, f"a form value is not UTF-8 ({exc.reason})") from exc
