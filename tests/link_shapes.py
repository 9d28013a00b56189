"""Small graphs in the shapes of real ontologies, with their real names, codes and parents.

- ``DO``: classes of the Disease Ontology's cancer slim as its OWL release writes them
  (``rdfs:label``, ``oboInOwl:has*Synonym``, ``oboInOwl:hasDbXref`` strings,
  ``rdfs:subClassOf``). From DiseaseOntology/HumanDiseaseOntology
  ``src/ontology/subsets/DO_cancer_slim.obo``, release 2026-07-31, at commit
  9fbefd6651b79526165453395d06c8fd4bfe4247 (a few xrefs per class, not all).
- ``ONCOTREE``: tumour types of MSK's OncoTree as a SKOS conversion writes them
  (``skos:prefLabel``, ``skos:notation``, ``skos:broader``), its ``externalReferences``
  as ``skos:exactMatch`` to NCIt's own Thesaurus.owl IRIs and UMLS's linkedlifedata IRIs
  (alternative URI prefixes the Bioregistry knows), concept IRIs under the Bioregistry's
  URI prefix for OncoTree. From cBioPortal/oncotree ``trees/oncotree_2025_10_03.json`` at
  commit b362db70f6472fb6349329d1ef6d8f3dcef7d083.
- ``MONDO``: two MONDO classes with their DO cross-references; MONDO marks both
  ``{source="MONDO:equivalentTo"}`` (monarch-initiative/mondo
  ``src/ontology/mappings/mondo_exactmatch_doid.sssom.tsv`` at commit
  005a4a2b0925a4efb9268af9ff5a9a8d77f9e8ad). Lymphoma's is written here without the
  annotation, to show what a plain xref gives. Both ontologies made "pestis minor" obsolete
  (the same file: MONDO:0000238 and DOID:0050068, each labelled "obsolete pestis minor"):
  ``OBSOLETE_DO`` and MONDO's class carry ``owl:deprecated true``, as their OWL releases do.
"""

from __future__ import annotations

OBO = "http://purl.obolibrary.org/obo/"
ONCOTREE_NS = "http://oncotree.mskcc.org/api/tumorTypes/search/code/"
NCIT_OWL = "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl#"
UMLS_LLD = "http://linkedlifedata.com/resource/umls/id/"

PREFIXES = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix oboInOwl: <http://www.geneontology.org/formats/oboInOwl#> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
"""

# (DOID, label, [(synonym, EXACT|RELATED|BROAD|NARROW)], [xref], parent DOID)
DO_CLASSES = [
    (
        "162",
        "cancer",
        [("malignant neoplasm", "EXACT"), ("malignant tumor", "EXACT")],
        ["NCI:C9305", "UMLS_CUI:C0006826", "ICDO:8000/3"],
        None,
    ),
    (
        "769",
        "neuroblastoma",
        [],
        [
            "NCI:C3270",
            "UMLS_CUI:C0027819",
            "ICDO:9500/3",
            "MESH:D009447",
            "ORDO:635",
            "SNOMEDCT_US_2025_09_01:432328008",
        ],
        "162",
    ),
    ("2001", "neuroma", [], ["NCI:C3275", "UMLS_CUI:C0027858"], None),
    (
        "3192",
        "neurilemmoma",
        [("Psammomatous schwannoma", "EXACT"), ("schwannoma", "EXACT")],
        ["NCI:C3269", "UMLS_CUI:C0027809", "ICDO:9560/3"],
        "2001",
    ),
    ("2531", "hematologic cancer", [("blood cancer", "EXACT")], ["NCI:C27134"], "162"),
    (
        "0060058",
        "lymphoma",
        [("lymphoid cancer", "EXACT")],
        ["NCI:C3208", "NCI:C7065", "UMLS_CUI:C0024299", "ICD10CM:C85.9"],
        "2531",
    ),
    (
        "0060060",
        "non-Hodgkin lymphoma",
        [],
        ["NCI:C3211", "UMLS_CUI:C0024305", "ICD10CM:C85.9", "MIM:605027", "ORDO:547"],
        "0060058",
    ),
    (
        "8567",
        "Hodgkin's lymphoma",
        [("Hodgkin lymphoma", "EXACT"), ("Hodgkin disease", "EXACT")],
        ["NCI:C9357", "UMLS_CUI:C0019829", "ICD10CM:C81"],
        "0060058",
    ),
    (
        "3347",
        "osteosarcoma",
        [("Osteogenic sarcoma", "EXACT")],
        ["NCI:C9145", "UMLS_CUI:C0029463", "ORDO:668"],
        "162",
    ),
    ("3376", "bone osteosarcoma", [("Osteosarcoma of bone", "EXACT")], ["NCI:C53707"], "3347"),
    (
        "3373",
        "parosteal osteosarcoma",
        [("juxtacortical osteosarcoma", "EXACT"), ("Parosteal Osteogenic sarcoma", "EXACT")],
        ["NCI:C8969", "UMLS_CUI:C0206642"],
        "3376",
    ),
    ("1319", "brain cancer", [("brain neoplasm", "EXACT")], ["NCI:C3568"], "162"),
    (
        "0050902",
        "medulloblastoma",
        [("brain medulloblastoma", "EXACT"), ("CNS PNET", "EXACT")],
        ["NCI:C3222", "NCI:C3716", "UMLS_CUI:C0025149", "UMLS_CUI:C0206663"],
        "1319",
    ),
    (
        "2154",
        "nephroblastoma",
        [("adult nephroblastoma", "EXACT"), ("Wilms' tumor", "RELATED")],
        ["NCI:C3267", "UMLS_CUI:C0027708"],
        "162",
    ),
    (
        "0050925",
        "small intestine carcinoid neuroendocrine tumor",
        [("intestinal carcinoid tumour", "BROAD")],
        ["MIM:114900"],
        "162",
    ),
    (
        "9119",
        "acute myeloid leukemia",
        [("acute myeloid leukaemia", "EXACT")],
        ["NCI:C3171", "UMLS_CUI:C0023467"],
        "2531",
    ),
    ("0081256", "astrocytoma, IDH-mutant, grade 2", [], ["NCI:C129271"], None),
]

# (code, name, parent code, NCI, UMLS): OncoTree 2025_10_03
ONCOTREE_TYPES = [
    ("PNS", "Peripheral Nervous System", None, "C12465", "C0206417"),
    ("NBL", "Neuroblastoma", "PNS", "C3270", "C0027819"),
    ("NST", "Nerve Sheath Tumor", "PNS", "C4972", "C0206727"),
    ("SCHW", "Schwannoma", "NST", "C3269", "C0027809"),
    ("LNM", "Lymphoid Neoplasm", None, None, None),
    ("NHL", "Non-Hodgkin Lymphoma", "LNM", "C3211", "C0024305"),
    ("HL", "Hodgkin Lymphoma", "LNM", "C9357", "C0019829"),
    ("BONE", "Bone", None, "C12366", "C0262950"),
    ("OS", "Osteosarcoma", "BONE", "C9145", "C0029463"),
    ("PAOS", "Parosteal Osteosarcoma", "OS", "C8969", "C0206642"),
    ("PEOS", "Periosteal Osteosarcoma", "OS", "C8970", "C1377843"),
    ("EMBT", "Embryonal Tumor", None, "C3264", "C0027654"),
    ("MBL", "Medulloblastoma", "EMBT", "C3222", "C0025149"),
    ("PNET", "Primitive Neuroectodermal Tumor", "EMBT", "C3716", "C0206663"),
    ("MBT", "Miscellaneous Brain Tumor", None, "C6974", "C1334936"),
    ("MT", "Malignant Tumor", "MBT", "C9305", "C0006826"),
    ("KIDNEY", "Kidney", None, "C12415", "C0022646"),
    ("WT", "Wilms' Tumor", "KIDNEY", None, "CL343552"),
    ("MNM", "Myeloid Neoplasm", None, None, None),
    ("AML", "Acute Myeloid Leukemia", "MNM", "C3171", "C0023467"),
    ("AMLNOS", "AML, NOS", "AML", "C27753", "C0023467"),
]  # fmt: skip


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def do_turtle(
    classes: list[tuple[str, str, list[tuple[str, str]], list[str], str | None]] = DO_CLASSES,
) -> str:
    kinds = {"EXACT": "hasExactSynonym", "RELATED": "hasRelatedSynonym", "BROAD": "hasBroadSynonym",
             "NARROW": "hasNarrowSynonym"}  # fmt: skip
    lines = [PREFIXES]
    for doid, label, synonyms, xrefs, parent in classes:
        lines.append(f"obo:DOID_{doid} a owl:Class ; rdfs:label {_literal(label)}")
        lines += [f"  ; oboInOwl:{kinds[kind]} {_literal(text)}" for text, kind in synonyms]
        lines += [f"  ; oboInOwl:hasDbXref {_literal(x)}" for x in xrefs]
        if parent:
            lines.append(f"  ; rdfs:subClassOf obo:DOID_{parent}")
        lines.append("  .")
    return "\n".join(lines) + "\n"


def oncotree_turtle() -> str:
    lines = [PREFIXES, f"@prefix onc: <{ONCOTREE_NS}> ."]
    for code, name, parent, nci, umls in ONCOTREE_TYPES:
        lines.append(
            f"onc:{code} a skos:Concept ; skos:prefLabel {_literal(name)}@en ; skos:notation {_literal(code)}"
        )
        if parent:
            lines.append(f"  ; skos:broader onc:{parent}")
        if nci:
            lines.append(f"  ; skos:exactMatch <{NCIT_OWL}{nci}>")
        if umls:
            lines.append(f"  ; skos:exactMatch <{UMLS_LLD}{umls}>")
        lines.append("  .")
    return "\n".join(lines) + "\n"


def mondo_turtle() -> str:
    return (
        PREFIXES
        + """
obo:MONDO_0005072 a owl:Class ; rdfs:label "neuroblastoma" ; oboInOwl:hasDbXref "DOID:769" .
[] a owl:Axiom ; owl:annotatedSource obo:MONDO_0005072 ; owl:annotatedProperty oboInOwl:hasDbXref ;
   owl:annotatedTarget "DOID:769" ; oboInOwl:source "MONDO:equivalentTo" .
obo:MONDO_0005062 a owl:Class ; rdfs:label "lymphoma" ; oboInOwl:hasDbXref "DOID:0060058" .
obo:MONDO_0000238 a owl:Class ; rdfs:label "obsolete pestis minor" ; owl:deprecated true ;
   oboInOwl:hasDbXref "DOID:0050068" .
"""
    )


OBSOLETE_DO = """obo:DOID_0050068 a owl:Class ; rdfs:label "obsolete pestis minor" ; owl:deprecated true .
"""
