"""The reconciliation service's manifests: what a client reads first, one per dialect.

The manifests of the two dialects differ (0.2 declares its suggest services as objects,
1.0 as booleans), so each root has its own; both name the service, its default types and
its batch size, in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...namespaces import BASE, ONTOLOGY, expand
from .documents import MAX_BATCH
from .reconciler import Reconciler

PREVIEW_SIZE = (400, 200)  # pixels of the iframe a client shows a preview in
SERVICE_NAMES = {
    "en": "pedkg: pediatric hematology-oncology knowledge graph",
    "ko": "pedkg: 소아혈액종양 지식 그래프",
}
#: the types offered first in OpenRefine's type choice
DEFAULT_TYPES = ("pko:Disease", "pko:SurgicalDepartment", "pko:DiagnosticSupportTeam", "pko:SupportProgram")

#: the one setting of data extension: codes of exact mappings only, or of every mapping
EXACT_SETTING = {
    "en": (
        "exact mappings only",
        "only codes mapped with skos:exactMatch, not broader, narrower or close ones",
    ),
    "ko": ("정확히 일치하는 코드만", "skos:exactMatch로 연결된 코드만 (상위, 하위, 근접 일치 제외)"),
}


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
