"""What a reconciliation query may match on and what data extension may fetch, named for people.

The code properties (``icd10``, ``mondo`` ...) match an entity through its SKOS mappings
to that vocabulary; data extension adds the entity's names, definition and type. Both
the manifest, the suggest service and the query reader list them from here.
"""

from __future__ import annotations

from ...namespaces import VOCABULARY_NAMES

#: property id -> the prefix (namespaces.EXTERNAL) of the codes it matches
PROPERTIES: dict[str, str] = {
    "icd10": "icd10",
    "icd10cm": "icd10cm",
    "icdo": "icdo",
    "mondo": "MONDO",
    "ncit": "NCIT",
    "snomedct": "snomedct",
    "mesh": "mesh",
    "orpha": "ORPHA",
    "hp": "HP",
    "doid": "DOID",
    "umls": "umls",
    "wikidata": "wikidata",
    "nucc": "nucc.taxonomy",
}
PROPERTY_NAMES = {"en": "{} code", "ko": "{} 코드"}
#: data extension's other properties: (English, Korean) names
EXTEND_NAMES = {
    "name_en": ("English name", "영어 이름"),
    "name_ko": ("Korean name", "한국어 이름"),
    "definition": ("definition", "정의"),
    "type": ("type", "유형"),
}
PROPERTY_HELP = {
    "en": "the code as the vocabulary writes it, or as {}:CODE, or as its IRI",
    "ko": "어휘가 쓰는 그대로의 코드, {}:코드 형식, 또는 IRI",
}


def extend_properties(lang: str) -> list[dict[str, str]]:
    """The properties data extension can fetch: the codes, and names, definition and type."""
    return [
        *({"id": p["id"], "name": p["name"]} for p in property_list(lang)),
        *({"id": pid, "name": names[lang == "ko"]} for pid, names in EXTEND_NAMES.items()),
    ]


def property_list(lang: str) -> list[dict[str, str]]:
    """The properties a query may use, named in ``lang``."""
    return [
        {
            "id": pid,
            "name": PROPERTY_NAMES[lang].format(VOCABULARY_NAMES[prefix]),
            "description": PROPERTY_HELP[lang].format(prefix),
        }
        for pid, prefix in PROPERTIES.items()
    ]
