"""``/mappings`` and ``/mappings.sssom.tsv``: curated and accepted mappings, in both languages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from other_hospital import (
    EXAMPLE,
    OH,
    accept_proposals,
    copy_store,
    load_graph,
    sssom_py_problems,
    table_rows,
)
from pedkg.config import Settings
from pedkg.ingest.build import BuildReport
from pedkg.store.embedded import GraphStore
from pedkg.web import create_app

COUNT = """SELECT (COUNT(*) AS ?n) WHERE {
  ?axiom <http://www.w3.org/2002/07/owl#annotatedSource> ?s ; <https://w3id.org/sssom/mapping_justification> ?j
}"""


@pytest.fixture(scope="module")
def accepted_store(built: tuple[Settings, BuildReport], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built store with the example hospital and its reviewed links (one rejected) accepted."""
    folder = tmp_path_factory.mktemp("mappings-page")
    link = copy_store(built[0].store, folder)
    load_graph(link, "other-hospital", EXAMPLE)
    accept_proposals(link, folder, rejected="oh:germ-cell-tumours")
    return link


@pytest.fixture(scope="module")
def app(accepted_store: Path) -> Iterator[Flask]:
    application = create_app(Settings.from_env({}, store=accepted_store))
    yield application
    application.extensions["pedkg"].pool.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_the_page_lists_curated_and_accepted_mappings(client):
    response = client.get("/mappings?lang=en")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert response.headers["Content-Language"] == "en"
    assert '</mappings.sssom.tsv>; rel="alternate"' in response.headers["Link"]
    assert "<h1>Mappings</h1>" in page
    assert 'href="/id/neuroblastoma"' in page and "MONDO:0005072" in page and "MONDO Disease Ontology" in page
    assert f'href="{OH}neuroblastoma"' in page and "oh:neuroblastoma" in page
    assert '<td lang="en">pkg:other-hospital</td>' in page  # the vocabulary: the graph that declared oh:
    assert "semapv:LexicalMatching" in page and "semapv:ManualMappingCuration" in page
    assert "0.90" in page and "pkg:links-other-hospital" in page and "pkg:mappings-diseases" in page
    assert "rejected (NOT)" in page
    assert 'aria-current="page"' in page.split('href="/mappings?lang=en"', 1)[1][:30]


def test_the_page_in_korean(client):
    response = client.get("/mappings", headers={"Accept-Language": "ko"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert response.headers["Content-Language"] == "ko"
    assert "<h1>매핑</h1>" in page and "근거" in page and "신뢰도" in page
    assert '<a href="/id/neuroblastoma" lang="ko">신경모세포종</a>' in page


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("source=links-other-hospital", "oh:hepatoblastoma", "MONDO:0005072"),
        ("vocabulary=MONDO", "MONDO:0005072", "oh:hepatoblastoma"),
        ("justification=semapv:MappingChaining", "oh:osteogenic-sarcoma", "oh:leukaemia"),
    ],
)
def test_filters(client, query, present, absent):
    page = client.get(f"/mappings?lang=en&{query}").get_data(as_text=True)
    assert present in page and absent not in page


def test_an_accepted_mapping_shows_on_the_entity_page(client):
    page = client.get("/id/neuroblastoma", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert f"{OH}neuroblastoma" in page and '<td lang="en">example.org/other-hospital</td>' in page
    rejected = client.get("/id/germ-cell-tumor", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "MONDO:0005040" in rejected and f"{OH}germ-cell-tumours" not in rejected


@pytest.mark.filterwarnings("ignore::FutureWarning", "ignore::DeprecationWarning")
def test_the_export_holds_every_mapping_and_passes_sssom_py_s_validators(
    client, accepted_store: Path, tmp_path: Path, caplog
):
    response = client.get("/mappings.sssom.tsv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/tab-separated-values; charset=utf-8"
    export = tmp_path / "all.sssom.tsv"
    export.write_bytes(response.data)
    rows = table_rows(export)
    result = GraphStore.open_read_only(accepted_store).query(COUNT)
    assert len(rows) == int(next(iter(result))["n"].value)
    by_object = {r["object_id"]: r for r in rows}
    assert by_object["oh:germ-cell-tumours"]["predicate_modifier"] == "Not"
    assert by_object["oh:neuroblastoma"]["mapping_source"] == "pkg:links-other-hospital"
    assert by_object["oh:neuroblastoma"]["reviewer_label"] == "A. Reviewer"
    assert by_object["MONDO:0005072"]["mapping_source"] == "pkg:mappings-diseases"
    assert by_object["MONDO:0005072"]["subject_label"] == "neuroblastoma"
    assert sssom_py_problems(export, caplog) == []
