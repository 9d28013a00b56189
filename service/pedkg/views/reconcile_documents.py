"""The reconciliation API's JSON documents: query batches in, candidates and manifests out.

Two dialects of the same service (https://reconciliation-api.github.io/specs/):

- 0.2, what OpenRefine speaks: a batch ``{"q0": {"query", "type", "limit", "properties",
  "type_strict"}, ...}`` answered as ``{"q0": {"result": [candidate, ...]}, ...}``;
- the 1.0 draft: ``{"queries": [{"conditions": [...], "type", "limit", "lang"}]}`` answered
  as ``{"results": [{"candidates": [...]}]}``, in the same order.

Both are read into ``reconcile.Query`` with every field checked: a bad one raises
``QueryError`` naming it (``queries['q0'].limit: must be a positive whole number``), which
the web answers with 400; a batch larger than ``MAX_BATCH`` raises ``QueryRefused(413)``, as
the spec suggests. The manifests of the two dialects differ (0.2 declares its suggest
services as objects, 1.0 as booleans), so each root has its own.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from ..errors import QueryError, QueryRefused
from ..namespaces import BASE, ONTOLOGY, expand
from . import reconcile
from .reconcile import DEFAULT_LIMIT, MAX_LIMIT, PROPERTIES, Candidate, Condition, Query, Reconciler, language

MAX_BATCH = 100  # queries in one batch (the manifest's batchSize; more is 413)
MAX_TEXT = 500  # characters of a query or a property value
MAX_CONDITIONS = 20
MAX_VALUES = 50
PREVIEW_SIZE = (400, 200)  # pixels of the iframe a client shows a preview in

SERVICE_NAMES = {
    "en": "pedkg: pediatric hematology-oncology knowledge graph",
    "ko": "pedkg: 소아혈액종양 지식 그래프",
}
#: the types offered first in OpenRefine's type choice
DEFAULT_TYPES = ("pko:Disease", "pko:SurgicalDepartment", "pko:DiagnosticSupportTeam", "pko:SupportProgram")


def _fail(where: str, reason: str) -> QueryError:
    return QueryError(f"{where}: {reason}")


def _object(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(where, f"must be a JSON object, not {_json_kind(value)}")
    return value


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


def _text(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise _fail(where, f"must be a string, not {_json_kind(value)}")
    if len(value) > MAX_TEXT:
        raise _fail(where, f"is longer than {MAX_TEXT} characters")
    return value.strip()


def _limit(value: object, where: str) -> int:
    if value is None:
        return DEFAULT_LIMIT
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(where, f"must be a positive whole number, not {_json_kind(value)}")
    if value != int(value) or value < 1:
        raise _fail(where, f"must be a positive whole number, not {value}")
    return min(int(value), MAX_LIMIT)


def _values(value: object, where: str) -> tuple[str, ...]:
    """Property values as strings: text, numbers, booleans, or ``{"id": ...}`` of a reconciled value."""
    items = value if isinstance(value, list) else [value]
    if not items:
        raise _fail(where, "must name at least one value")
    if len(items) > MAX_VALUES:
        raise _fail(where, f"has more than {MAX_VALUES} values")
    out = []
    for i, item in enumerate(items):
        here = f"{where}[{i}]" if isinstance(value, list) else where
        if isinstance(item, dict):
            item = item.get("id")
            here += ".id"
        if isinstance(item, bool):
            out.append(str(item).lower())
        elif isinstance(item, int | float) and math.isfinite(item):
            out.append(str(int(item)) if item == int(item) else str(item))
        else:
            out.append(_text(item, here))
    return tuple(out)


def _property(pid: object, where: str) -> str:
    if not isinstance(pid, str):
        raise _fail(where, f"must be a string, not {_json_kind(pid)}")
    if pid.casefold() not in PROPERTIES:
        raise _fail(where, f"unknown property {pid[:60]!r}; one of: {', '.join(PROPERTIES)}")
    return pid.casefold()


def _batch_object(text: str, name: str = "queries") -> object:
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise QueryError(f"{name} is not valid JSON: {exc}") from None


def _check_size(count: int) -> None:
    if count > MAX_BATCH:
        raise QueryRefused(413, f"the batch has {count} queries; at most {MAX_BATCH} are answered at once")


def parse_batch(text: str) -> list[tuple[str, Query]]:
    """A 0.2 query batch (the JSON of the ``queries`` parameter), keyed as the client keyed it."""
    batch = _object(_batch_object(text), "queries")
    _check_size(len(batch))
    parsed = []
    for key, raw in batch.items():
        where = f"queries[{key[:40]!r}]"
        query = _object(raw, where)
        unknown = sorted(set(query) - {"query", "type", "limit", "properties", "type_strict"})
        if unknown:
            raise _fail(where, f"unknown field {unknown[0][:40]!r}")
        conditions = []
        if query.get("query") is not None:
            name = _text(query["query"], where + ".query")
            if name:
                conditions.append(Condition("name", (name,)))
        properties = query.get("properties", [])
        if not isinstance(properties, list):
            raise _fail(where + ".properties", f"must be an array, not {_json_kind(properties)}")
        if len(properties) > MAX_CONDITIONS:
            raise _fail(where + ".properties", f"has more than {MAX_CONDITIONS} properties")
        for i, prop in enumerate(properties):
            here = f"{where}.properties[{i}]"
            prop = _object(prop, here)
            if "pid" not in prop or "v" not in prop:
                raise _fail(here, "needs pid and v")
            pid = _property(prop["pid"], here + ".pid")
            conditions.append(Condition("property", _values(prop["v"], here + ".v"), pid=pid))
        if not conditions:
            raise _fail(where, "needs a non-empty query or at least one property")
        strict = query.get("type_strict", "any")
        if strict not in ("any", "should", "all"):
            raise _fail(where + ".type_strict", "must be any, should or all")
        parsed.append(
            (
                key,
                Query(
                    tuple(conditions),
                    _types(query.get("type"), where + ".type"),
                    strict == "all",
                    _limit(query.get("limit"), where + ".limit"),
                ),
            )
        )
    return parsed


def parse_batch_v1(text: str) -> list[Query]:
    """A 1.0-draft query batch (a JSON body ``{"queries": [...]}``), in order."""
    batch = _object(_batch_object(text), "the body")
    queries = batch.get("queries")
    if not isinstance(queries, list):
        raise QueryError(f"queries must be an array, not {_json_kind(queries)}")
    _check_size(len(queries))
    parsed = []
    for n, raw in enumerate(queries):
        where = f"queries[{n}]"
        query = _object(raw, where)
        unknown = sorted(set(query) - {"conditions", "type", "limit", "lang", "dir"})
        if unknown:
            raise _fail(where, f"unknown field {unknown[0][:40]!r}")
        raw_conditions = query.get("conditions")
        if not isinstance(raw_conditions, list) or not raw_conditions:
            raise _fail(where + ".conditions", "must be an array of at least one condition")
        if len(raw_conditions) > MAX_CONDITIONS:
            raise _fail(where + ".conditions", f"has more than {MAX_CONDITIONS} conditions")
        conditions = [_condition(c, f"{where}.conditions[{i}]") for i, c in enumerate(raw_conditions)]
        if query.get("type") is not None and not isinstance(query["type"], str):
            raise _fail(where + ".type", "must be one type identifier (a string)")
        parsed.append(
            Query(
                tuple(conditions),
                _types(query.get("type"), where + ".type"),
                limit=_limit(query.get("limit"), where + ".limit"),
                lang=language(query.get("lang"), where + ".lang"),
            )
        )
    return parsed


def _condition(raw: object, where: str) -> Condition:
    condition = _object(raw, where)
    kind = condition.get("matchType")
    if kind not in ("name", "id", "property"):
        raise _fail(where + ".matchType", "must be name, id or property")
    if "propertyValue" not in condition:
        raise _fail(where, "needs propertyValue")
    required = condition.get("required", False)
    if not isinstance(required, bool):
        raise _fail(where + ".required", "must be true or false")
    quantifier = condition.get("matchQuantifier", "any")
    if quantifier not in ("any", "all", "none"):
        raise _fail(where + ".matchQuantifier", "must be any, all or none")
    pid = _property(condition.get("propertyId"), where + ".propertyId") if kind == "property" else ""
    values = _values(condition["propertyValue"], where + ".propertyValue")
    return Condition(kind, values, pid, required, quantifier)


def _types(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    if len(items) > MAX_CONDITIONS:
        raise _fail(where, f"names more than {MAX_CONDITIONS} types")
    return tuple(t for t in (_text(item, where) for item in items) if t)


# --- serialisation ------------------------------------------------------------------------


def candidate_v02(c: Candidate) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": c.id,
        "name": c.name,
        "type": [{"id": t, "name": n} for t, n in c.types],
        "score": c.score,
        "match": c.match,
        "features": [{"id": f.id, "value": f.value} for f in c.features],
    }
    if c.description:
        out["description"] = c.description
    return out


def candidate_v1(c: Candidate) -> dict[str, Any]:
    out = candidate_v02(c)
    out["features"] = [{"id": f.id, "name": f.name, "value": f.value} for f in c.features]
    if c.lang:
        out["lang"] = c.lang
    return out


MAX_EXTEND_IDS = 1000  # entities in one data extension query
#: the one setting of data extension: codes of exact mappings only, or of every mapping
EXACT_SETTING = {
    "en": (
        "exact mappings only",
        "only codes mapped with skos:exactMatch, not broader, narrower or close ones",
    ),
    "ko": ("정확히 일치하는 코드만", "skos:exactMatch로 연결된 코드만 (상위, 하위, 근접 일치 제외)"),
}


def parse_extend(text: str) -> tuple[list[str], list[tuple[str, bool]]]:
    """A data extension query: the ids, and each property with its ``exact`` setting."""
    query = _object(_batch_object(text, "extend"), "extend")
    ids, properties = query.get("ids"), query.get("properties")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise QueryError("extend.ids must be an array of entity identifiers (strings)")
    if len(ids) > MAX_EXTEND_IDS:
        raise QueryRefused(413, f"extend names {len(ids)} entities; at most {MAX_EXTEND_IDS} at once")
    if not isinstance(properties, list) or not properties:
        raise QueryError('extend.properties must be an array of at least one {"id": ...}')
    known = {p["id"] for p in reconcile.extend_properties("en")}
    wanted = []
    for n, prop in enumerate(properties):
        prop = _object(prop, f"extend.properties[{n}]")
        pid, settings = prop.get("id"), prop.get("settings", {})
        if not isinstance(pid, str) or pid not in known:
            raise _fail(
                f"extend.properties[{n}].id",
                f"unknown property {str(pid)[:60]!r}; one of: {', '.join(sorted(known))}",
            )
        settings = _object(settings, f"extend.properties[{n}].settings")
        exact = settings.get("exact", False)
        if exact not in (True, False, "true", "false", "on", ""):
            raise _fail(f"extend.properties[{n}].settings.exact", "must be true or false")
        wanted.append((str(pid), exact in (True, "true", "on")))
    return ids, wanted


def extend_response(
    reconciler: Reconciler, ids: list[str], properties: list[tuple[str, bool]], lang: str
) -> dict[str, Any]:
    """The values of each property for each id (an unknown id gets no values)."""
    names = {p["id"]: p["name"] for p in reconcile.extend_properties(lang)}
    rows: dict[str, dict[str, list[dict[str, str]]]] = {}
    for wanted in ids:
        entity = reconciler.entity_by_id(wanted)
        rows[wanted] = {
            pid: [{"str": v} for v in (reconciler.values(entity.iri, pid, lang, exact) if entity else [])]
            for pid, exact in properties
        }
    return {"meta": [{"id": pid, "name": names[pid]} for pid, _ in properties], "rows": rows}


def proposals(reconciler: Reconciler, type_name: str | None, limit: int | None, lang: str) -> dict[str, Any]:
    """The data extension property proposal for a type (every property without one)."""
    iri = reconciler.resolve_type(type_name) if type_name else None
    found = reconciler.proposed_properties(iri, lang)
    out: dict[str, Any] = {"type": type_name or "", "properties": found[:limit] if limit else found}
    if limit:
        out["limit"] = limit
    return out


@dataclass(frozen=True)
class Urls:
    """Where the service lives, as the web layer knows it (absolute URLs)."""

    root: str  # the endpoint, e.g. http://host/reconcile
    view: str  # an entity page with {id} where the id goes, e.g. http://host/id/{id}
    documentation: str
    preview: str  # the 0.2 preview, {{id}} where the id goes (with lang= when the client chose it)


def manifest(urls: Urls, reconciler: Reconciler, lang: str, version: str = "0.2") -> dict[str, Any]:
    """The service manifest of the 0.2 endpoint or (``version="1.0-draft"``) the 1.0 one.

    Names are in ``lang``; when the client chose it explicitly (``?lang=``), the preview URL
    (``urls.preview``, made by the web layer) keeps that choice, otherwise previews follow
    the browser's ``Accept-Language``.
    """
    types = [reconciler.type_object(expand(t), lang) for t in DEFAULT_TYPES]
    common: dict[str, Any] = {
        "name": SERVICE_NAMES[lang],
        "documentation": urls.documentation,
        "serviceVersion": "pedkg 0.1.0",
        "defaultTypes": types,
        "batchSize": MAX_BATCH,
    }
    if version == "0.2":
        return {
            "versions": ["0.1", "0.2"],
            **common,
            "identifierSpace": BASE,
            "schemaSpace": ONTOLOGY,
            "view": {"url": urls.view.replace("{id}", "{{id}}")},
            "preview": {
                "url": urls.preview,
                "width": PREVIEW_SIZE[0],
                "height": PREVIEW_SIZE[1],
            },
            "suggest": {
                kind: {"service_url": urls.root, "service_path": f"/suggest/{kind}"}
                for kind in ("entity", "type", "property")
            },
            "extend": {
                "propose_properties": {"service_url": urls.root, "service_path": "/properties"},
                "property_settings": [
                    {
                        "name": "exact",
                        "label": EXACT_SETTING[lang][0],
                        "type": "checkbox",
                        "default": False,
                        "help_text": EXACT_SETTING[lang][1],
                    }
                ],
            },
        }
    return {
        "versions": ["1.0-draft"],
        **common,
        "lang": lang,
        "view": {"url": urls.view},
        "preview": {"width": PREVIEW_SIZE[0], "height": PREVIEW_SIZE[1]},
        "suggest": {"entity": True, "property": True, "type": True},
        "standardizedScore": True,
    }
