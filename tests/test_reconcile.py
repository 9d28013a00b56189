"""The reconciliation API (/reconcile): the spec's query batches, its JSON shapes, OpenRefine's way in.

The JSON schemas below are written from the Reconciliation Service API 0.2 report and the
1.0 draft (W3C Entity Reconciliation Community Group, reconciliation-api/specs): the
fields and types each document must have, not copies of the spec's files.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from typing import Any

import jsonschema
import pytest
from flask import Flask, render_template
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from pedkg.views.reconcile import documents as protocol
from pedkg.views.reconcile import facts, queries, reconciler
from pedkg.views.reconcile.properties import PROPERTIES
from pedkg.views.search import SearchIndex

from conftest import ALL_BACKENDS, Server

BACKENDS = ALL_BACKENDS  # the reconciliation contract holds on the embedded store and on oxigraph serve

# --- the spec's shapes ----------------------------------------------------------------------

TYPE = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "name": {"type": "string", "minLength": 1},
        "broader": {"type": "array", "items": {"$ref": "#/$defs/type"}},
    },
}
TYPE_REF = {"oneOf": [{"$ref": "#/$defs/type"}, {"type": "string"}]}
SERVICE_PATH = {
    "type": "object",
    "properties": {"service_url": {"type": "string"}, "service_path": {"type": "string"}},
}
MANIFEST_02 = {
    "$defs": {"type": TYPE},
    "type": "object",
    "required": ["versions", "name", "identifierSpace", "schemaSpace"],
    "properties": {
        "versions": {"type": "array", "items": {"type": "string"}, "contains": {"const": "0.2"}},
        "name": {"type": "string"},
        "identifierSpace": {"type": "string"},
        "schemaSpace": {"type": "string"},
        "view": {
            "type": "object",
            "required": ["url"],
            "properties": {"url": {"type": "string", "pattern": r"\{\{id\}\}"}},
        },
        "defaultTypes": {"type": "array", "items": {"$ref": "#/$defs/type"}, "uniqueItems": True},
        "preview": {
            "type": "object",
            "required": ["url", "width", "height"],
            "properties": {
                "url": {"type": "string", "pattern": r"\{\{id\}\}"},
                "width": {"type": "integer"},
                "height": {"type": "integer"},
            },
        },
        "suggest": {
            "type": "object",
            "properties": {k: SERVICE_PATH for k in ("entity", "type", "property")},
        },
        "batchSize": {"type": "integer", "minimum": 1},
        "extend": {
            "type": "object",
            "properties": {
                "propose_properties": SERVICE_PATH,
                "property_settings": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["type", "label", "name"],
                        "properties": {
                            "type": {"enum": ["number", "text", "checkbox", "select"]},
                            "label": {"type": "string"},
                            "name": {"type": "string"},
                            "help_text": {"type": "string"},
                        },
                    },
                },
            },
        },
    },
}
PROPERTY_VALUE = {
    "oneOf": [
        {"type": "string"},
        {"type": "number"},
        {"type": "boolean"},
        {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
    ]
}
QUERY_BATCH_02 = {
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "additionalProperties": False,
        "anyOf": [
            {"required": ["query"]},
            {"required": ["properties"], "properties": {"properties": {"minItems": 1}}},
        ],
        "properties": {
            "query": {"type": "string"},
            "type": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
            "limit": {"type": "number"},
            "type_strict": {"enum": ["any", "should", "all"]},
            "properties": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["pid", "v"],
                    "properties": {
                        "pid": {"type": "string"},
                        "v": {"oneOf": [PROPERTY_VALUE, {"type": "array", "items": PROPERTY_VALUE}]},
                    },
                },
            },
        },
    },
}
FEATURE_02 = {
    "type": "object",
    "required": ["id", "value"],
    "properties": {"id": {"type": "string"}, "value": {"type": ["boolean", "number"]}},
}
CANDIDATE_02 = {
    "type": "object",
    "required": ["id", "name", "score"],
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "name": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "score": {"type": "number"},
        "match": {"type": "boolean"},
        "features": {"type": "array", "items": FEATURE_02},
        "type": {"type": "array", "items": TYPE_REF},
    },
}
RESULT_BATCH_02 = {
    "$defs": {"type": TYPE},
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "required": ["result"],
        "properties": {"result": {"type": "array", "items": CANDIDATE_02}},
    },
}
SUGGEST_ENTITIES = {
    "$defs": {"type": TYPE},
    "type": "object",
    "required": ["result"],
    "properties": {
        "result": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "description": {"type": "string"},
                    "notable": {"type": "array", "items": TYPE_REF},
                },
            },
        }
    },
}
SUGGEST_TYPES = {
    "$defs": {"type": TYPE},
    "type": "object",
    "required": ["result"],
    "properties": {"result": {"type": "array", "items": {"$ref": "#/$defs/type"}}},
}
SUGGEST_PROPERTIES = {
    "type": "object",
    "required": ["result"],
    "properties": {
        "result": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
            },
        }
    },
}
MANIFEST_1 = {
    "$defs": {"type": TYPE},
    "type": "object",
    "required": ["versions", "name", "view"],
    "properties": {
        "versions": {"type": "array", "contains": {"const": "1.0-draft"}},
        "name": {"type": "string"},
        "lang": {"type": "string"},
        "view": {
            "type": "object",
            "required": ["url"],
            "properties": {"url": {"type": "string", "pattern": r"\{.*id.*\}"}},
        },
        "preview": {
            "type": "object",
            "required": ["width", "height"],
            "properties": {"width": {"type": "integer"}, "height": {"type": "integer"}},
        },
        "suggest": {
            "type": "object",
            "required": ["entity", "property", "type"],
            "properties": {k: {"type": "boolean"} for k in ("entity", "property", "type")},
        },
        "defaultTypes": {"type": "array", "items": {"$ref": "#/$defs/type"}},
        "standardizedScore": {"type": "boolean"},
    },
}
QUERY_BATCH_1 = {
    "type": "object",
    "required": ["queries"],
    "properties": {
        "queries": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["conditions"],
                "additionalProperties": False,
                "properties": {
                    "type": {"type": "string"},
                    "limit": {"type": "number"},
                    "lang": {"type": "string"},
                    "dir": {"type": "string"},
                    "conditions": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["matchType", "propertyValue"],
                            "properties": {
                                "matchType": {"enum": ["name", "id", "property"]},
                                "propertyId": {"type": "string"},
                                "propertyValue": {
                                    "oneOf": [PROPERTY_VALUE, {"type": "array", "items": PROPERTY_VALUE}]
                                },
                                "required": {"type": "boolean"},
                                "matchQuantifier": {"enum": ["any", "all", "none"]},
                                "matchQualifier": {"type": "string"},
                            },
                        },
                    },
                },
            },
        }
    },
}
RESULT_BATCH_1 = {
    "$defs": {"type": TYPE},
    "type": "object",
    "required": ["results"],
    "properties": {
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["candidates"],
                "properties": {
                    "candidates": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["id", "name"],
                            "properties": {
                                "id": {"type": "string"},
                                "name": {"type": "string"},
                                "lang": {"type": "string"},
                                "score": {"type": "number", "minimum": 0, "maximum": 100},
                                "match": {"type": "boolean"},
                                "type": {"type": "array", "items": TYPE_REF},
                                "features": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["id", "name", "value"],
                                        "properties": {"value": {"type": ["boolean", "number"]}},
                                    },
                                },
                            },
                        },
                    }
                },
            },
        }
    },
}


CELL = {
    "oneOf": [
        {"type": "object", "additionalProperties": False},
        {
            "type": "object",
            "required": ["id", "name"],
            "additionalProperties": False,
            "properties": {"id": {}, "name": {}},
        },
        {
            "type": "object",
            "required": ["str"],
            "additionalProperties": False,
            "properties": {"str": {"type": "string"}},
        },
        {
            "type": "object",
            "required": ["float"],
            "additionalProperties": False,
            "properties": {"float": {"type": "number"}},
        },
        {
            "type": "object",
            "required": ["int"],
            "additionalProperties": False,
            "properties": {"int": {"type": "integer"}},
        },
    ]
}
EXTEND_RESPONSE = {
    "type": "object",
    "required": ["meta", "rows"],
    "properties": {
        "meta": {
            "type": "array",
            "items": {"type": "object", "required": ["id", "name"], "properties": {"id": {"type": "string"}}},
        },
        "rows": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": CELL},
            },
        },
    },
}
PROPERTY_PROPOSAL = {
    "type": "object",
    "required": ["properties"],
    "properties": {
        "type": {"type": "string"},
        "limit": {"type": "number"},
        "properties": SUGGEST_PROPERTIES["properties"]["result"],
    },
}


def valid(schema: dict[str, Any], document: object) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(document)


# --- the spec's example batches, as our tests send them -------------------------------------

#: the 0.2 minimal example, as written in the spec
SPEC_MINIMAL = {"q1": {"query": "Hans-Eberhard Urbaniak"}, "q2": {"query": "Ernst Schwanhold"}}
#: the 0.2 full example, as written: a type and properties of another service
SPEC_FULL = {
    "q0": {
        "query": "Christel Hanewinckel",
        "type": "DifferentiatedPerson",
        "limit": 5,
        "properties": [
            {"pid": "professionOrOccupation", "v": "Politik*"},
            {"pid": "affiliation", "v": "http://d-nb.info/gnd/2022139-3"},
        ],
        "type_strict": "should",
    }
}
#: the full and multi-value examples' structure, in pedkg's vocabulary
OUR_FULL = {
    "q0": {
        "query": "Wilms tumour",
        "type": "pko:Disease",
        "limit": 5,
        "properties": [{"pid": "icd10", "v": "C64"}, {"pid": "mondo", "v": "MONDO:0006058"}],
        "type_strict": "should",
    },
    "q1": {
        "query": "neuroblastoma",
        "type": ["pko:Disease"],
        "limit": 5,
        "properties": [{"pid": "ncit", "v": ["C3270", {"id": "NCIT:C3270", "name": "Neuroblastoma"}]}],
        "type_strict": "any",
    },
    "q2": {"properties": [{"pid": "wikidata", "v": "Q938205"}]},  # the no-query-string example
}


def post_batch(client: FlaskClient, batch: object, **extra: str) -> TestResponse:
    return client.post("/reconcile", data={"queries": json.dumps(batch, ensure_ascii=False), **extra})


def results(client: FlaskClient, batch: dict[str, Any], **extra: str) -> dict[str, list[dict[str, Any]]]:
    valid(QUERY_BATCH_02, batch)
    response = post_batch(client, batch, **extra)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    valid(RESULT_BATCH_02, body)
    assert set(body) == set(batch)
    return {key: value["result"] for key, value in body.items()}


def one(client: FlaskClient, query: dict[str, Any], **extra: str) -> list[dict[str, Any]]:
    return results(client, {"q": query}, **extra)["q"]


# --- manifests --------------------------------------------------------------------------------


def test_the_manifest_is_a_0_2_manifest(client: FlaskClient) -> None:
    response = client.get("/reconcile")
    assert response.status_code == 200
    assert response.content_type == "application/json; charset=utf-8"
    manifest = response.get_json()
    valid(MANIFEST_02, manifest)
    assert manifest["identifierSpace"] == "https://w3id.org/pedkg/"
    assert manifest["schemaSpace"] == "https://w3id.org/pedkg/ontology/"
    assert manifest["view"]["url"] == "http://localhost/id/{{id}}"
    assert manifest["batchSize"] == protocol.MAX_BATCH
    assert [t["id"] for t in manifest["defaultTypes"]][:2] == ["pko:Disease", "pko:SurgicalDepartment"]
    assert manifest["suggest"]["entity"] == {
        "service_url": "http://localhost/reconcile",
        "service_path": "/suggest/entity",
    }


def test_the_manifest_names_things_in_the_readers_language(client: FlaskClient) -> None:
    manifest = client.get("/reconcile", headers={"Accept-Language": "ko-KR,ko;q=0.9"}).get_json()
    assert manifest["name"].startswith("pedkg: 소아혈액종양")
    assert manifest["defaultTypes"][0] == {"id": "pko:Disease", "name": "질환"}
    assert "lang=" not in manifest["preview"]["url"]  # previews follow the browser's language
    assert client.get("/reconcile?lang=ko").get_json()["preview"]["url"].endswith("&lang=ko")


def test_the_1_0_draft_manifest(client: FlaskClient) -> None:
    manifest = client.get("/reconcile/1.0-draft").get_json()
    valid(MANIFEST_1, manifest)
    assert manifest["view"]["url"] == "http://localhost/id/{id}"
    assert manifest["lang"] == "en"
    for route in (
        "preview?id=neuroblastoma",
        "suggest/entity?prefix=neuro",
        "suggest/type?prefix=",
        "suggest/property?prefix=hp",
    ):
        response = client.get("/reconcile/1.0-draft/" + route)
        assert response.status_code == 200, route


# --- the spec's batches -----------------------------------------------------------------------


def test_the_spec_minimal_batch_by_post_and_get(client: FlaskClient) -> None:
    assert results(client, SPEC_MINIMAL) == {"q1": [], "q2": []}
    response = client.get("/reconcile", query_string={"queries": json.dumps(SPEC_MINIMAL)})
    assert response.status_code == 200
    valid(RESULT_BATCH_02, response.get_json())


def test_the_spec_full_batch_names_a_type_we_do_not_have(client: FlaskClient) -> None:
    valid(QUERY_BATCH_02, SPEC_FULL)
    response = post_batch(client, SPEC_FULL)
    assert response.status_code == 400 and response.mimetype == "text/plain"
    assert "queries['q0'].properties[0].pid: unknown property 'professionOrOccupation'" in response.get_data(
        as_text=True
    )
    without_properties = {"q0": {k: v for k, v in SPEC_FULL["q0"].items() if k != "properties"}}
    response = post_batch(client, without_properties)
    assert response.status_code == 400 and response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert "queries['q0'].type: unknown type 'DifferentiatedPerson'; one of: pko:Disease" in text


def test_the_full_batch_in_our_vocabulary(client: FlaskClient) -> None:
    answers = results(client, OUR_FULL)
    wilms, neuro, by_wikidata = answers["q0"], answers["q1"], answers["q2"]
    assert wilms[0]["id"] == "wilms-tumor" and wilms[0]["match"] is True
    assert {f["id"] for f in wilms[0]["features"]} == {"name", "icd10", "mondo"}
    assert neuro[0]["id"] == "neuroblastoma" and neuro[0]["score"] == 100
    assert [c["id"] for c in by_wikidata] == ["neuroblastoma"] and by_wikidata[0]["match"] is True
    for candidate in wilms + neuro:
        assert {"id": "pko:Disease", "name": "disease"} in candidate["type"]


# --- names, languages, codes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Neuroblastoma", "neuroblastoma"),
        ("신경모세포종", "신경모세포종"),
        ("NEUROBLASTOMA ", "neuroblastoma"),
    ],
)
def test_both_languages_reconcile_to_neuroblastoma(client: FlaskClient, text: str, name: str) -> None:
    best = one(client, {"query": text})[0]
    assert (best["id"], best["name"], best["match"], best["score"]) == ("neuroblastoma", name, True, 100)
    assert best["type"] == [{"id": "pko:Disease", "name": "disease" if name.isascii() else "질환"}]


def test_an_explicit_language_wins_over_the_querys(client: FlaskClient) -> None:
    assert one(client, {"query": "Neuroblastoma"}, lang="ko")[0]["name"] == "신경모세포종"
    assert one(client, {"query": "신경모세포종"}, lang="en-GB")[0]["name"] == "neuroblastoma"


def test_a_synonym_is_an_exact_match(client: FlaskClient) -> None:
    best = one(client, {"query": "nephroblastoma"})[0]
    assert (best["id"], best["match"], best["score"]) == ("wilms-tumor", True, reconciler.EXACT_NAME)


def test_a_partial_name_is_a_candidate_not_a_match(client: FlaskClient) -> None:
    found = one(client, {"query": "neuroblast"})
    assert found[0]["id"] == "neuroblastoma"
    assert found[0]["match"] is False and 0 < found[0]["score"] < 95


@pytest.mark.parametrize("value", ["C64", "c64", "icd10:C64", "https://icd.who.int/browse10/2019/en#/C64"])
def test_icd10_c64_finds_wilms_tumour_as_a_candidate(client: FlaskClient, value: str) -> None:
    found = one(client, {"properties": [{"pid": "icd10", "v": value}]})
    assert [c["id"] for c in found] == ["wilms-tumor"]
    # the curated mapping says C64 is broader than Wilms tumour: a candidate, never an automatic match
    assert found[0]["match"] is False and found[0]["score"] == 70


def test_a_name_and_an_agreeing_code_match(client: FlaskClient) -> None:
    found = one(client, {"query": "윌름스 종양", "properties": [{"pid": "icd10", "v": "C64"}]})
    assert (found[0]["id"], found[0]["name"], found[0]["match"]) == ("wilms-tumor", "윌름스종양", True)


def test_an_exact_mapping_alone_is_a_match(client: FlaskClient) -> None:
    for pid, value in [
        ("mondo", "MONDO:0005072"),
        ("icdo", "9500/3"),
        ("orpha", "635"),
        ("umls", "C0027819"),
    ]:
        found = one(client, {"properties": [{"pid": pid, "v": value}]})
        assert [(c["id"], c["match"]) for c in found] == [("neuroblastoma", True)], pid


def test_a_code_that_matches_nothing_gives_no_candidate(client: FlaskClient) -> None:
    assert one(client, {"properties": [{"pid": "icd10", "v": "Z99.9"}]}) == []


def test_an_identifier_as_the_query_is_the_entity(client: FlaskClient) -> None:
    for text in ("neuroblastoma", "pedkg:neuroblastoma", "https://w3id.org/pedkg/neuroblastoma"):
        best = one(client, {"query": text})[0]
        assert (best["id"], best["match"], best["score"]) == ("neuroblastoma", True, 100), text


# --- types and limits --------------------------------------------------------------------------


def test_a_type_restricts_the_candidates(client: FlaskClient) -> None:
    departments = one(client, {"query": "surgery", "type": "pko:SurgicalDepartment"})
    assert departments[0]["id"] == "surgery" and len(departments) >= 3
    assert all(c["type"][0]["id"] == "pko:SurgicalDepartment" for c in departments)
    assert one(client, {"query": "surgery", "type": "pko:Disease"}) == []


def test_a_superclass_or_local_name_selects_the_subclasses(client: FlaskClient) -> None:
    by_schema = one(client, {"query": "surgery", "type": "schema:MedicalOrganization"})
    by_name = one(client, {"query": "surgery", "type": "SurgicalDepartment"})
    by_iri = one(client, {"query": "surgery", "type": ["https://w3id.org/pedkg/ontology/SurgicalDepartment"]})
    assert by_schema and [c["id"] for c in by_name] == [c["id"] for c in by_iri]
    assert {c["id"] for c in by_name} <= {c["id"] for c in by_schema}


def test_type_strict_all_needs_every_type(client: FlaskClient) -> None:
    both = ["pko:Disease", "pko:SurgicalDepartment"]
    assert one(client, {"query": "tumor", "type": both, "type_strict": "all"}) == []
    assert one(client, {"query": "tumor", "type": both, "type_strict": "any"})


def test_limit(client: FlaskClient) -> None:
    assert len(one(client, {"query": "tumor"})) > 2
    assert len(one(client, {"query": "tumor", "limit": 2})) == 2
    assert len(one(client, {"query": "a", "limit": 1000})) <= queries.MAX_LIMIT


def test_results_are_sorted_by_score(client: FlaskClient) -> None:
    found = one(client, {"query": "sarcoma"})
    assert [c["score"] for c in found] == sorted((c["score"] for c in found), reverse=True)
    assert sum(c["match"] for c in found) <= 1


# --- the 1.0 draft -------------------------------------------------------------------------------


def test_the_1_0_draft_match(client: FlaskClient) -> None:
    batch = {
        "queries": [
            {"conditions": [{"matchType": "name", "propertyValue": "Hans-Eberhard Urbaniak"}]},
            {
                "type": "pko:Disease",
                "limit": 5,
                "lang": "ko",
                "conditions": [
                    {"matchType": "name", "propertyValue": "Wilms tumor"},
                    {
                        "matchType": "property",
                        "propertyId": "icd10",
                        "propertyValue": ["C64", {"id": "icd10:C64"}],
                        "required": True,
                        "matchQuantifier": "any",
                    },
                ],
            },
            {"conditions": [{"matchType": "id", "propertyValue": "neuroblastoma"}]},
        ]
    }
    valid(QUERY_BATCH_1, batch)
    response = client.post("/reconcile/1.0-draft/match", json=batch)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    valid(RESULT_BATCH_1, body)
    nobody, wilms, neuro = (r["candidates"] for r in body["results"])
    assert nobody == []
    assert [(c["id"], c["name"], c["lang"], c["match"]) for c in wilms] == [
        ("wilms-tumor", "윌름스종양", "ko", True)
    ]
    assert neuro[0]["id"] == "neuroblastoma" and neuro[0]["match"] is True


def test_the_1_0_draft_wants_json(client: FlaskClient) -> None:
    response = client.post("/reconcile/1.0-draft/match", data={"queries": "[]"})
    assert response.status_code == 415 and response.mimetype == "text/plain"


# --- suggest and preview --------------------------------------------------------------------------


def test_suggest_entities(client: FlaskClient) -> None:
    response = client.get("/reconcile/suggest/entity", query_string={"prefix": "신경"})
    body = response.get_json()
    valid(SUGGEST_ENTITIES, body)
    assert body["result"][0] == {
        "id": "neuroblastoma",
        "name": "신경모세포종",
        # the definition in the name's own language: Korean, from data/division.ttl
        "description": "교감신경계의 미성숙한 신경세포에서 생기는 암으로, 흔히 부신에서 발생하며 주로 어린 소아에게 나타난다.",
        "notable": [{"id": "pko:Disease", "name": "질환"}],
    }
    by_id = client.get("/reconcile/suggest/entity?prefix=wilms-tumor").get_json()["result"]
    assert by_id[0]["id"] == "wilms-tumor"


def test_suggest_pages_with_cursor_offset_and_limit(client: FlaskClient) -> None:
    every = client.get("/reconcile/suggest/entity?prefix=t&limit=50").get_json()["result"]
    page = client.get("/reconcile/suggest/entity?prefix=t&cursor=2&limit=3").get_json()["result"]
    same = client.get("/reconcile/1.0-draft/suggest/entity?prefix=t&offset=2&limit=3").get_json()["result"]
    assert len(every) > 5 and page == same == every[2:5]


def test_suggest_entities_of_a_type(client: FlaskClient) -> None:
    found = client.get("/reconcile/suggest/entity?prefix=s&type=pko:SupportProgram").get_json()["result"]
    assert found and all(item["notable"][0]["id"] == "pko:SupportProgram" for item in found)


def test_suggest_types_and_properties(client: FlaskClient) -> None:
    types = client.get("/reconcile/suggest/type?prefix=dise").get_json()
    valid(SUGGEST_TYPES, types)
    assert types["result"][0]["id"] == "pko:Disease"
    assert {"id": "schema:MedicalCondition", "name": "MedicalCondition"} in types["result"][0]["broader"]
    korean = client.get("/reconcile/suggest/type?prefix=진료").get_json()["result"]
    assert "pko:SurgicalDepartment" in [t["id"] for t in korean]
    properties = client.get("/reconcile/suggest/property?prefix=icd").get_json()
    valid(SUGGEST_PROPERTIES, properties)
    assert [p["id"] for p in properties["result"]] == ["icd10", "icd10cm", "icdo"]
    every = client.get("/reconcile/suggest/property?prefix=&limit=50").get_json()["result"]
    assert [p["id"] for p in every] == list(PROPERTIES)


def test_preview(client: FlaskClient) -> None:
    response = client.get("/reconcile/preview?id=wilms-tumor", headers={"Accept-Language": "ko"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<h1 lang="ko">윌름스종양</h1>' in html and "<script" not in html
    assert "WHO ICD-10 <code>C64</code> (상위 일치)" in html
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors" not in response.headers["Content-Security-Policy"]  # clients embed it
    english = client.get("/reconcile/preview?id=wilms-tumor&lang=en").get_data(as_text=True)
    assert '<h1 lang="en">Wilms tumor</h1>' in english and "(broader match)" in english


def test_preview_of_nothing(client: FlaskClient) -> None:
    missing = client.get("/reconcile/preview?id=%3Cscript%3Ealert(1)%3C/script%3E")
    assert missing.status_code == 404 and missing.mimetype == "text/plain"
    assert client.get("/reconcile/preview").status_code == 400


# --- CORS and JSONP ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/reconcile",
        "/reconcile?queries=%7B%7D",
        "/reconcile?queries=nonsense",
        "/reconcile/suggest/type?prefix=d",
    ],
)
def test_every_answer_allows_any_origin(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Origin": "http://127.0.0.1:3333"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", ["/reconcile", "/reconcile/1.0-draft/match", "/reconcile/suggest/entity"])
def test_preflight(client: FlaskClient, path: str) -> None:
    response = client.options(
        path,
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]


def test_jsonp(client: FlaskClient) -> None:
    response = client.get("/reconcile/suggest/entity?prefix=%EC%8B%A0%EA%B2%BD&callback=jQuery1_2.done")
    assert response.content_type == "application/javascript; charset=utf-8"
    text = response.get_data(as_text=True)
    assert text.startswith("/**/jQuery1_2.done({") and text.endswith("});")
    assert (
        json.loads(text.removeprefix("/**/jQuery1_2.done(").removesuffix(");"))["result"][0]["name"]
        == "신경모세포종"
    )
    manifest = client.get("/reconcile?callback=cb").get_data(as_text=True)
    assert manifest.startswith('/**/cb({"versions"')


@pytest.mark.parametrize(
    "callback", ["alert(1)//", "<script>", "a b", "x;y", "", "1abc", "a" * 65, "a.b.c.d.e"]
)
def test_jsonp_refuses_anything_but_a_name(client: FlaskClient, callback: str) -> None:
    response = client.get("/reconcile", query_string={"callback": callback})
    assert response.status_code == 400 and response.mimetype == "text/plain"
    assert "callback must be a JavaScript name" in response.get_data(as_text=True)


def test_no_jsonp_on_the_1_0_draft(client: FlaskClient) -> None:
    response = client.get("/reconcile/1.0-draft/suggest/type?prefix=d&callback=cb")
    assert response.mimetype == "application/json"


# --- bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("queries", "message"),
    [
        ("{nope", "queries is not valid JSON"),
        ("[1, 2]", "queries: must be a JSON object, not an array"),
        ('{"q": 3}', "queries['q']: must be a JSON object, not a number"),
        ('{"q": {"query": 5}}', "queries['q'].query: must be a string, not a number"),
        ('{"q": {"query": ""}}', "needs a non-empty query or at least one property"),
        ('{"q": {"limit": 1}}', "needs a non-empty query or at least one property"),
        ('{"q": {"properties": []}}', "needs a non-empty query or at least one property"),
        ('{"q": {"query": "x", "limit": 0}}', "limit: must be a positive whole number, not 0"),
        ('{"q": {"query": "x", "limit": 2.5}}', "limit: must be a positive whole number, not 2.5"),
        ('{"q": {"query": "x", "limit": "3"}}', "limit: must be a positive whole number, not a string"),
        ('{"q": {"query": "x", "limit": true}}', "limit: must be a positive whole number, not a boolean"),
        ('{"q": {"query": "x", "type": 7}}', "type: must be a string, not a number"),
        ('{"q": {"query": "x", "type": "pko:Nothing"}}', "unknown type 'pko:Nothing'"),
        ('{"q": {"query": "x", "type_strict": "maybe"}}', "type_strict: must be any, should or all"),
        ('{"q": {"query": "x", "props": []}}', "unknown field 'props'"),
        ('{"q": {"properties": [{"pid": "icd10"}]}}', "properties[0]: needs pid and v"),
        ('{"q": {"properties": [{"pid": "gnd", "v": "1"}]}}', "unknown property 'gnd'; one of: icd10"),
        ('{"q": {"properties": [{"pid": "icd10", "v": []}]}}', "v: must name at least one value"),
        ('{"q": {"properties": [{"pid": "icd10", "v": null}]}}', "v: must be a string, not null"),
        ('{"q": {"properties": "icd10"}}', "properties: must be an array, not a string"),
        ('{"q": {"query": "' + "x" * 501 + '"}}', "query: is longer than 500 characters"),
        ("[" * 100_000 + "]" * 100_000, "queries is not valid JSON"),
    ],
)
def test_bad_batches_are_400_with_a_reason(client: FlaskClient, queries: str, message: str) -> None:
    response = client.post("/reconcile", data={"queries": queries})
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.mimetype == "text/plain"
    assert message in response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{", "queries is not valid JSON"),
        ("[]", "the body: must be a JSON object, not an array"),
        ('{"queries": {}}', "queries must be an array, not an object"),
        ('{"queries": [{"conditions": []}]}', "must be an array of at least one condition"),
        (
            '{"queries": [{"conditions": [{"matchType": "fuzzy", "propertyValue": "x"}]}]}',
            "must be name, id or property",
        ),
        ('{"queries": [{"conditions": [{"matchType": "name"}]}]}', "needs propertyValue"),
        (
            '{"queries": [{"type": ["a"], "conditions": [{"matchType": "name", "propertyValue": "x"}]}]}',
            "one type",
        ),
        (
            '{"queries": [{"lang": 5, "conditions": [{"matchType": "name", "propertyValue": "x"}]}]}',
            "lang must be",
        ),
    ],
)
def test_bad_1_0_batches_are_400(client: FlaskClient, body: str, message: str) -> None:
    response = client.post("/reconcile/1.0-draft/match", data=body, content_type="application/json")
    assert response.status_code == 400 and response.mimetype == "text/plain"
    assert message in response.get_data(as_text=True)


def test_a_batch_over_the_batch_size_is_413(client: FlaskClient) -> None:
    batch = {f"q{n}": {"query": "x"} for n in range(protocol.MAX_BATCH + 1)}
    response = post_batch(client, batch)
    assert response.status_code == 413 and response.mimetype == "text/plain"
    assert f"at most {protocol.MAX_BATCH}" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/reconcile?extend=%7B%7D",
        "/reconcile?lang=",
        "/reconcile/suggest/entity?prefix=x&cursor=-1",
        "/reconcile/suggest/entity?prefix=x&limit=0",
        "/reconcile/suggest/entity?prefix=x&type=pko:Nothing",
    ],
)
def test_bad_parameters_are_400(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 400 and response.mimetype == "text/plain", response.get_data(as_text=True)


def test_an_unknown_suggest_service_is_404(client: FlaskClient) -> None:
    assert client.get("/reconcile/suggest/places?prefix=x").status_code == 404


# --- the real server, the way OpenRefine talks to it ------------------------------------------------


def test_openrefine_over_real_http(server: Server) -> None:
    with urllib.request.urlopen(server.url + "/reconcile", timeout=10) as response:
        manifest = json.load(response)
    valid(MANIFEST_02, manifest)
    assert manifest["view"]["url"] == server.url + "/id/{{id}}"
    batch = {
        "q0": {"query": "Neuroblastoma", "type": "pko:Disease", "type_strict": "should", "limit": 3},
        "q1": {"query": "신경모세포종", "type": "pko:Disease", "type_strict": "should", "limit": 3},
        "q2": {"query": "Wilms tumor", "properties": [{"pid": "icd10", "v": "C64"}], "limit": 3},
    }
    request = urllib.request.Request(
        server.url + "/reconcile",
        data=urllib.parse.urlencode({"queries": json.dumps(batch)}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8", "Accept": "*/*"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        body = json.load(response)
    valid(RESULT_BATCH_02, body)
    best = {
        key: (r["result"][0]["id"], r["result"][0]["name"], r["result"][0]["match"])
        for key, r in body.items()
    }
    assert best == {
        "q0": ("neuroblastoma", "neuroblastoma", True),
        "q1": ("neuroblastoma", "신경모세포종", True),
        "q2": ("wilms-tumor", "Wilms tumor", True),
    }
    view = manifest["view"]["url"].replace(
        "{{id}}", urllib.parse.quote(body["q2"]["result"][0]["id"], safe="")
    )
    with urllib.request.urlopen(
        urllib.request.Request(view, headers={"Accept": "text/html"}), timeout=10
    ) as page:
        assert page.status == 200 and "Wilms" in page.read().decode()


def test_a_post_without_queries_is_400(client: FlaskClient) -> None:
    response = client.post("/reconcile", json={"queries": [{"conditions": []}]})
    assert response.status_code == 400 and "/reconcile/1.0-draft/match" in response.get_data(as_text=True)


def test_two_entities_with_the_same_name_are_candidates_but_no_match() -> None:
    """Unambiguous means unambiguous: the library over an index where two entities share a name."""

    def row(subject: str, kind: str, text: str, lang: str | None = None) -> dict[str, dict[str, str]]:
        literal = {"type": "literal", "value": text, **({"xml:lang": lang} if lang else {})}
        return {"s": {"value": "https://w3id.org/pedkg/" + subject}, "kind": {"value": kind}, "text": literal}

    label, altlabel = (
        "http://www.w3.org/2000/01/rdf-schema#label",
        "http://www.w3.org/2004/02/skos/core#altLabel",
    )
    index = SearchIndex.from_rows(
        "test",
        [
            row("ward-a", label, "cancer ward", "en"),
            row("ward-b", label, "oncology ward", "en"),
            row("ward-b", altlabel, "cancer ward", "en"),
        ],
    )
    found = reconciler.Reconciler(index, facts.Facts()).answer(
        queries.Query((queries.Condition("name", ("Cancer Ward",)),)), None, "en"
    )
    assert [(c.id, c.score, c.match) for c in found] == [
        ("ward-a", 100.0, False),
        ("ward-b", reconciler.EXACT_NAME, False),
    ]


def test_1_0_match_quantifiers(client: FlaskClient) -> None:
    def candidates(*conditions: dict[str, Any]) -> list[tuple[str, bool]]:
        batch = {"queries": [{"conditions": list(conditions)}]}
        valid(QUERY_BATCH_1, batch)
        body = client.post("/reconcile/1.0-draft/match", json=batch).get_json()
        return [(c["id"], c["match"]) for c in body["results"][0]["candidates"]]

    name = {"matchType": "name", "propertyValue": "Wilms tumor"}
    codes = {"matchType": "property", "propertyId": "mondo", "propertyValue": ["0006058", "0019004"]}
    assert candidates(name, {**codes, "matchQuantifier": "all"}) == [("wilms-tumor", True)]
    other = {**codes, "propertyValue": ["0006058", "0005072"]}  # Wilms tumour's and neuroblastoma's
    assert candidates({**other, "matchQuantifier": "all"}) == []
    assert [c for c, _ in candidates({**other, "matchQuantifier": "any"})] == ["neuroblastoma", "wilms-tumor"]
    refused = {**codes, "matchQuantifier": "none", "required": True}
    assert candidates(name, refused) == []
    assert candidates(name, {**refused, "required": False}) == [("wilms-tumor", False)]


def test_the_preview_template_escapes_what_the_graph_says(app: Flask) -> None:
    """Labels and definitions come from graphs anyone may import: they are text, never markup."""
    evil = '<script>alert("x")</script>'
    with app.test_request_context("/reconcile/preview?id=x"):
        html = render_template(
            "reconcile_preview.html",
            lang="en",
            t=lambda key, **values: key,
            name=evil,
            name_lang="en",
            types=[evil],
            definition=(evil, "en"),
            codes=[facts.Code("icd10", evil, "exactMatch")],
            vocabulary={},
            relation=lambda code: evil,
            href='/id/x" onclick="alert(1)',
        )
    assert "<script" not in html and "&lt;script&gt;" in html
    assert 'onclick="' not in html


# --- data extension ------------------------------------------------------------------------------


def extend(client: FlaskClient, query: dict[str, Any], **extra: str) -> dict[str, Any]:
    response = client.post("/reconcile", data={"extend": json.dumps(query), **extra})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    valid(EXTEND_RESPONSE, body)
    return body


def test_data_extension_fetches_codes_and_names(client: FlaskClient) -> None:
    query = {
        "ids": ["wilms-tumor", "surgery", "no-such-entity"],
        "properties": [
            {"id": "icd10"},
            {"id": "mondo", "settings": {"exact": True}},
            {"id": "name_ko"},
            {"id": "type"},
        ],
    }
    body = extend(client, query)
    assert [m["id"] for m in body["meta"]] == ["icd10", "mondo", "name_ko", "type"]
    assert body["rows"]["wilms-tumor"] == {
        "icd10": [{"str": "C64"}],
        "mondo": [{"str": "0006058"}],  # 0019004 (kidney Wilms tumor) is a narrowMatch, left out
        "name_ko": [{"str": "윌름스종양"}],
        "type": [{"str": "pko:Disease"}],
    }
    assert body["rows"]["surgery"]["icd10"] == [] and body["rows"]["surgery"]["name_ko"] == [{"str": "외과"}]
    assert body["rows"]["no-such-entity"] == {"icd10": [], "mondo": [], "name_ko": [], "type": []}
    every_mondo = extend(client, {"ids": ["wilms-tumor"], "properties": [{"id": "mondo"}]})
    assert every_mondo["rows"]["wilms-tumor"]["mondo"] == [{"str": "0006058"}, {"str": "0019004"}]


def test_property_proposals_follow_the_type(client: FlaskClient) -> None:
    diseases = client.get("/reconcile/properties?type=pko:Disease").get_json()
    valid(PROPERTY_PROPOSAL, diseases)
    assert diseases["type"] == "pko:Disease" and "icd10" in [p["id"] for p in diseases["properties"]]
    departments = client.get("/reconcile/properties?type=pko:SurgicalDepartment&limit=2").get_json()
    valid(PROPERTY_PROPOSAL, departments)
    assert departments["properties"] == [
        {"id": "snomedct", "name": "SNOMED CT code"},
        {"id": "mesh", "name": "MeSH code"},
    ]
    assert departments["limit"] == 2
    teams = client.get("/reconcile/properties?type=pko:CareTeam").get_json()
    assert {"id": "nucc", "name": "NUCC Health Care Provider Taxonomy code"} in teams["properties"]
    assert client.get("/reconcile/properties?type=pko:Nothing").status_code == 400


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("{", "extend is not valid JSON"),
        ('{"ids": "wilms-tumor", "properties": [{"id": "icd10"}]}', "extend.ids must be an array"),
        ('{"ids": ["wilms-tumor"], "properties": []}', "extend.properties must be an array of at least one"),
        ('{"ids": ["wilms-tumor"], "properties": [{"id": ["icd10"]}]}', "unknown property"),
        (
            '{"ids": ["wilms-tumor"], "properties": [{"id": "gnd"}]}',
            "extend.properties[0].id: unknown property 'gnd'",
        ),
        (
            '{"ids": ["x"], "properties": [{"id": "icd10", "settings": {"exact": "perhaps"}}]}',
            "must be true or false",
        ),
    ],
)
def test_bad_extension_queries_are_400(client: FlaskClient, query: str, message: str) -> None:
    response = client.post("/reconcile", data={"extend": query})
    assert response.status_code == 400 and response.mimetype == "text/plain"
    assert message in response.get_data(as_text=True)


def test_an_icd10cm_code_finds_the_disease_it_is_mapped_to(client: FlaskClient) -> None:
    """US data is coded in ICD-10-CM: D72.819 is leukopenia there, and WHO ICD-10 has no such code."""
    batch = {"q0": {"query": "", "properties": [{"pid": "icd10cm", "v": "D72.819"}]}}
    body = client.post("/reconcile", data={"queries": json.dumps(batch)}).get_json()
    assert [c["id"] for c in body["q0"]["result"]] == ["leukopenia"]
    who = {"q0": {"query": "", "properties": [{"pid": "icd10", "v": "D72.819"}]}}
    assert client.post("/reconcile", data={"queries": json.dumps(who)}).get_json()["q0"]["result"] == []
