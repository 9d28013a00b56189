"""A form body's fields, read as strictly as every other request body (``pedkg.body_text``).

Werkzeug's own form parsing decodes a ``multipart/form-data`` field with ``errors="replace"``
and drops a urlencoded body that is not UTF-8 without a word, so a client's text in another
charset would arrive as U+FFFD or not at all. A route that takes a form (``/reconcile``) reads
it here instead: a body or a field labelled with another charset is a 415, bytes or
percent-escapes that are not UTF-8 are a 400 that says where, before anything runs.
"""

from __future__ import annotations

from werkzeug.datastructures import MultiDict
from werkzeug.http import parse_options_header
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder

from .. import body_text
from ..errors import QueryRefused

URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


def is_form(content_type: str) -> bool:
    """Whether a body of this type carries form fields (the two types werkzeug reads as a form)."""
    return body_text.media_type(content_type) in (URLENCODED, MULTIPART)


def fields(body: bytes, content_type: str, max_parts: int | None) -> MultiDict[str, str]:
    """The fields of a form body, in order; a body that is not a form has none."""
    kind = body_text.media_type(content_type)
    if kind == URLENCODED:
        parsed = body_text.form_fields(body, content_type)
        return MultiDict([(name, value) for name, values in parsed.items() for value in values])
    if kind == MULTIPART:
        return _multipart(body, content_type, max_parts)
    return MultiDict()


def _multipart(body: bytes, content_type: str, max_parts: int | None) -> MultiDict[str, str]:
    """Each field's value as UTF-8 (file parts are not fields, as in ``request.form``)."""
    body_text.check_charset(content_type)
    boundary = parse_options_header(content_type)[1].get("boundary", "")
    if not boundary or not boundary.isascii():
        raise QueryRefused(400, "a multipart/form-data body needs an ASCII boundary parameter")
    decoder = MultipartDecoder(boundary.encode("ascii"), max_parts=max_parts)
    decoder.receive_data(body)
    decoder.receive_data(None)
    found: MultiDict[str, str] = MultiDict()
    part: Field | File | None = None
    chunks: list[bytes] = []
    try:
        while not isinstance(event := decoder.next_event(), Epilogue):
            if isinstance(event, Field | File):
                part, chunks = event, []
            elif isinstance(event, Data):
                chunks.append(event.data)
                if not event.more_data and isinstance(part, Field):
                    found.add(part.name or "", _field_text(part, b"".join(chunks)))
    except UnicodeDecodeError as exc:  # a part's headers
        raise QueryRefused(400, f"a multipart part's headers are not UTF-8 ({exc.reason})") from exc
    except ValueError as exc:
        raise QueryRefused(400, f"the multipart/form-data body cannot be read: {exc}") from exc
    return found


def _field_text(part: Field, value: bytes) -> str:
    body_text.check_charset(part.headers.get("Content-Type", ""))
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError as exc:
        reason = f"{exc.reason} at byte {exc.start} of its value"
        raise QueryRefused(400, f"the form field {(part.name or '')[:40]!r} is not UTF-8 ({reason})") from exc
