"""A deterministic synthetic network of hospitals, shaped like pedkg's own graph.

``generate(triples, seed)`` gives the same quads for the same arguments, in one named
graph (``GRAPH``), so the benchmark can pad pedkg's small graph up to a target size:

- a fixed tree of disease groups (``skos:broader``, 4 levels, 85 groups);
- diseases, each with an English and a Korean label, an alt label, a definition, its
  leaf group (``skos:broader``) and three codes (``skos:exactMatch`` to a code IRI that
  has a ``skos:notation``, a label and a ``skos:inScheme``), one per synthetic vocabulary;
- hospitals in one of 17 regions, each with one division (``pko:Division``) that targets
  20 diseases (``pko:targetDisease``) and collaborates with 5 departments of its own
  (``pko:collaboratesWith``), each department with a ``schema:medicalSpecialty``, and one
  support program (``pko:SupportProgram``) the division operates (``pko:operates``);
- an external ontology in its own graph (``ONTOLOGY_GRAPH``): a deep class hierarchy
  (``owl:Class``, ``rdfs:subClassOf`` in a ternary tree, every seventh class with a second
  parent), each class with an English label, an exact synonym and a definition, and every
  disease ``skos:exactMatch`` one class. It holds about ``ONTOLOGY_SHARE`` of the triples.

Every entity has an ``@en`` and a ``@ko`` ``rdfs:label``. Sizes grow in steps of one
hospital and four diseases (``STEP_TRIPLES``) plus the ontology classes that go with them,
so any target is met to within a few triples. ``Shape`` tells the query mix which entities exist.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

BENCH = "https://w3id.org/pedkg/bench/"
GRAPH = "https://w3id.org/pedkg/graph/bench-synthetic"
ONTOLOGY_GRAPH = "https://w3id.org/pedkg/graph/bench-ontology"
ONTOLOGY = "http://purl.example.org/bench-onto/"
GENERATOR_VERSION = "2"  # bump when the output changes, so cached datasets are rebuilt

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
OBO_SYNONYM = "http://www.geneontology.org/formats/oboInOwl#hasExactSynonym"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "https://schema.org/"
PKO = "https://w3id.org/pedkg/ontology/"

GROUP_BRANCHING = 4
GROUP_DEPTH = 3  # levels below the root: 4 + 16 + 64 groups
TARGETS_PER_DIVISION = 20
DEPARTMENTS_PER_HOSPITAL = 5
DISEASES_PER_STEP = 4
MIN_STEPS = 5  # so a division can pick its 20 distinct diseases
CLASS_BRANCHING = 3  # a ternary tree: 1M triples give ~60k classes, 10 levels deep
SECOND_PARENT_EVERY = 7
ONTOLOGY_SHARE = 0.3

VOCABULARIES = (  # (key, English name, notation pattern): notations never collide across vocabularies
    ("icd", "Synthetic ICD", "BX{:05d}"),
    ("mondo", "Synthetic MONDO", "BM{:07d}"),
    ("ncit", "Synthetic NCIt", "BN{}"),
)
REGIONS = (
    ("Seoul", "서울"),
    ("Busan", "부산"),
    ("Daegu", "대구"),
    ("Incheon", "인천"),
    ("Gwangju", "광주"),
    ("Daejeon", "대전"),
    ("Ulsan", "울산"),
    ("Sejong", "세종"),
    ("Gyeonggi", "경기"),
    ("Gangwon", "강원"),
    ("Chungbuk", "충북"),
    ("Chungnam", "충남"),
    ("Jeonbuk", "전북"),
    ("Jeonnam", "전남"),
    ("Gyeongbuk", "경북"),
    ("Gyeongnam", "경남"),
    ("Jeju", "제주"),
)
SPECIALTIES = (
    "Oncologic",
    "Hematologic",
    "Pediatric",
    "Surgical",
    "Radiography",
    "Pathology",
    "LaboratoryScience",
    "Neurologic",
    "Urologic",
    "Optometric",
)
QUALIFIERS = (
    ("acute", "급성"),
    ("chronic", "만성"),
    ("juvenile", "소아"),
    ("congenital", "선천성"),
    ("familial", "가족성"),
    ("refractory", "불응성"),
    ("infantile", "영아"),
    ("benign", "양성"),
    ("malignant", "악성"),
    ("atypical", "비정형"),
)
SITES = (
    ("renal", "신장"),
    ("hepatic", "간"),
    ("retinal", "망막"),
    ("osseous", "골"),
    ("lymphoid", "림프"),
    ("myeloid", "골수"),
    ("neural", "신경"),
    ("muscular", "근육"),
    ("vascular", "혈관"),
    ("cutaneous", "피부"),
)
KINDS = (
    ("sarcoma", "육종"),
    ("blastoma", "모세포종"),
    ("lymphoma", "림프종"),
    ("leukemia", "백혈병"),
    ("anemia", "빈혈"),
    ("carcinoma", "암종"),
    ("histiocytosis", "조직구증"),
    ("neutropenia", "호중구감소증"),
    ("glioma", "신경교종"),
    ("tumor", "종양"),
)
DEPARTMENT_TYPES = (
    ("SurgicalDepartment", "Surgery", "외과"),
    ("DiagnosticSupportTeam", "Diagnostics", "진단팀"),
)


def _groups() -> list[tuple[str, str | None, int]]:
    """(IRI, parent IRI, level) of every disease group, root first."""
    out: list[tuple[str, str | None, int]] = [(BENCH + "group-0", None, 0)]
    frontier = [BENCH + "group-0"]
    for level in range(1, GROUP_DEPTH + 1):
        nxt = []
        for parent in frontier:
            for i in range(GROUP_BRANCHING):
                iri = f"{parent}-{i}"
                out.append((iri, parent, level))
                nxt.append(iri)
        frontier = nxt
    return out


GROUPS = _groups()
GROUP_TRIPLES = 4 * len(GROUPS) - 1  # type, two labels, broader (not the root)
VOCABULARY_TRIPLES = 2 * len(VOCABULARIES)  # type, label
FIXED_TRIPLES = GROUP_TRIPLES + VOCABULARY_TRIPLES
DISEASE_TRIPLES = 6 + 4 * len(VOCABULARIES)  # type, two labels, alt label, definition, group; 4 per code
PROGRAM_TRIPLES = 4  # type, two labels, the division's pko:operates
HOSPITAL_TRIPLES = (
    5 + (4 + TARGETS_PER_DIVISION + DEPARTMENTS_PER_HOSPITAL) + 4 * DEPARTMENTS_PER_HOSPITAL + PROGRAM_TRIPLES
)
CLASS_TRIPLES = 5  # type, label, synonym, definition, first parent (the root has none: -1)
STEP_TRIPLES = HOSPITAL_TRIPLES + DISEASES_PER_STEP * (DISEASE_TRIPLES + 1)  # +1: the class match


def ontology_triples(classes: int) -> int:
    """Triples of a hierarchy of ``classes`` classes (the root has one parent fewer)."""
    if not classes:
        return 0
    return CLASS_TRIPLES * classes - 1 + (classes - 1) // SECOND_PARENT_EVERY


@dataclass(frozen=True)
class Shape:
    """What ``generate`` makes for a target: the query mix picks its parameters from it."""

    hospitals: int
    diseases: int
    seed: int
    classes: int = 0

    @classmethod
    def for_target(cls, triples: int, seed: int) -> Shape:
        classes = max(MIN_STEPS * DISEASES_PER_STEP, int(triples * ONTOLOGY_SHARE) // CLASS_TRIPLES)
        rest = triples - ontology_triples(classes) - FIXED_TRIPLES
        steps = max(MIN_STEPS, rest // STEP_TRIPLES)
        return cls(hospitals=steps, diseases=steps * DISEASES_PER_STEP, seed=seed, classes=classes)

    @property
    def triples(self) -> int:
        return (
            FIXED_TRIPLES
            + self.hospitals * HOSPITAL_TRIPLES
            + self.diseases * (DISEASE_TRIPLES + (1 if self.classes else 0))
            + ontology_triples(self.classes)
        )

    @staticmethod
    def ontology_class(k: int) -> str:
        return f"{ONTOLOGY}C{k:07d}"

    @staticmethod
    def class_parents(k: int) -> list[int]:
        """The parents of class ``k``: none for the root, a second one for every seventh class."""
        if k == 0:
            return []
        parent = (k - 1) // CLASS_BRANCHING
        return [parent, parent - 1] if k % SECOND_PARENT_EVERY == 0 and parent >= 1 else [parent]

    def class_of(self, i: int) -> int:
        """The ontology class disease ``i`` matches: spread over the deeper half of the tree."""
        return self.classes - 1 - (i * 7919) % max(1, self.classes // 2)

    def deep_classes(self, count: int) -> list[int]:
        """``count`` classes among the deepest, for ancestor queries."""
        return [self.classes - 1 - (k * 104729) % max(1, self.classes // 3) for k in range(count)]

    def leaf_groups(self) -> list[str]:
        return [iri for iri, _, level in GROUPS if level == GROUP_DEPTH]

    def groups_at(self, level: int) -> list[str]:
        return [iri for iri, _, lvl in GROUPS if lvl == level]

    @staticmethod
    def disease(i: int) -> str:
        return f"{BENCH}disease-{i}"

    @staticmethod
    def hospital(h: int) -> str:
        return f"{BENCH}hospital-{h}"

    @staticmethod
    def division(h: int) -> str:
        return f"{BENCH}hospital-{h}/division"

    @staticmethod
    def code(vocabulary: int, i: int) -> tuple[str, str]:
        """(IRI, notation) of disease ``i``'s code in the ``vocabulary``-th vocabulary."""
        key, _, pattern = VOCABULARIES[vocabulary]
        notation = pattern.format(i)
        return f"{BENCH}vocab/{key}/{notation}", notation

    @staticmethod
    def region(h: int) -> tuple[str, str]:
        return REGIONS[h % len(REGIONS)]


def disease_labels(i: int) -> tuple[str, str]:
    q, s, k = QUALIFIERS[i % 10], SITES[(i // 10) % 10], KINDS[(i // 100) % 10]
    return f"{q[0]} {s[0]} {k[0]} type {i}", f"{q[1]} {s[1]} {k[1]} {i}형"


def generate(shape: Shape) -> Iterator[ox.Quad]:
    """Every quad of the synthetic graph for ``shape``, always in the same order."""
    rng = random.Random(shape.seed)
    g = ox.NamedNode(GRAPH)

    def iri(value: str) -> ox.NamedNode:
        return ox.NamedNode(value)

    def quad(s: str, p: str, o: ox.NamedNode | ox.Literal) -> ox.Quad:
        return ox.Quad(iri(s), iri(p), o, g)

    def labels(s: str, en: str, ko: str) -> Iterator[ox.Quad]:
        yield quad(s, RDFS + "label", ox.Literal(en, language="en"))
        yield quad(s, RDFS + "label", ox.Literal(ko, language="ko"))

    for key, name, _ in VOCABULARIES:
        scheme = f"{BENCH}vocab/{key}"
        yield quad(scheme, RDF_TYPE, iri(SKOS + "ConceptScheme"))
        yield quad(scheme, RDFS + "label", ox.Literal(name))

    for group, parent, level in GROUPS:
        suffix = group.removeprefix(BENCH + "group-")
        yield quad(group, RDF_TYPE, iri(PKO + "DiseaseGroup"))
        yield from labels(group, f"disease group {suffix} (level {level})", f"질환군 {suffix} ({level}단계)")
        if parent is not None:
            yield quad(group, SKOS + "broader", iri(parent))

    leaves = shape.leaf_groups()
    for i in range(shape.diseases):
        d = shape.disease(i)
        en, ko = disease_labels(i)
        yield quad(d, RDF_TYPE, iri(PKO + "Disease"))
        yield from labels(d, en, ko)
        yield quad(d, SKOS + "altLabel", ox.Literal(en.replace(" type ", " disease "), language="en"))
        yield quad(
            d, SKOS + "definition", ox.Literal(f"A synthetic disease, number {i}: {en}.", language="en")
        )
        yield quad(d, SKOS + "broader", iri(leaves[rng.randrange(len(leaves))]))
        for v, (key, name, _) in enumerate(VOCABULARIES):
            code, notation = shape.code(v, i)
            yield quad(d, SKOS + "exactMatch", iri(code))
            yield quad(code, SKOS + "notation", ox.Literal(notation))
            yield quad(code, RDFS + "label", ox.Literal(f"{name} {notation}: {en}"))
            yield quad(code, SKOS + "inScheme", iri(f"{BENCH}vocab/{key}"))
        if shape.classes:
            yield quad(d, SKOS + "exactMatch", iri(shape.ontology_class(shape.class_of(i))))

    for h in range(shape.hospitals):
        hospital, division = shape.hospital(h), shape.division(h)
        region_en, region_ko = shape.region(h)
        yield quad(hospital, RDF_TYPE, iri(SCHEMA + "Hospital"))
        yield from labels(hospital, f"{region_en} Children's Hospital {h}", f"{region_ko} 어린이병원 {h}")
        yield quad(hospital, SCHEMA + "addressRegion", ox.Literal(region_en))
        yield quad(hospital, SCHEMA + "subOrganization", iri(division))
        yield quad(division, RDF_TYPE, iri(PKO + "Division"))
        yield from labels(division, f"Hemato-Oncology, hospital {h}", f"소아혈액종양과 {h}")
        yield quad(division, SCHEMA + "parentOrganization", iri(hospital))
        for target in sorted(rng.sample(range(shape.diseases), TARGETS_PER_DIVISION)):
            yield quad(division, PKO + "targetDisease", iri(shape.disease(target)))
        for k in range(DEPARTMENTS_PER_HOSPITAL):
            department = f"{hospital}/department-{k}"
            kind, en, ko = DEPARTMENT_TYPES[k % len(DEPARTMENT_TYPES)]
            yield quad(division, PKO + "collaboratesWith", iri(department))
            yield quad(department, RDF_TYPE, iri(PKO + kind))
            yield from labels(department, f"{en} {k}, hospital {h}", f"{ko} {k} ({h})")
            specialty = SPECIALTIES[rng.randrange(len(SPECIALTIES))]
            yield quad(department, SCHEMA + "medicalSpecialty", iri(SCHEMA + specialty))
        program = f"{hospital}/program"
        yield quad(division, PKO + "operates", iri(program))
        yield quad(program, RDF_TYPE, iri(PKO + "SupportProgram"))
        yield from labels(program, f"Hospital school {h}", f"병원학교 {h}")

    onto = ox.NamedNode(ONTOLOGY_GRAPH)
    for k in range(shape.classes):
        c = ox.NamedNode(shape.ontology_class(k))
        words = f"{SITES[k % 10][0]} {KINDS[(k // 10) % 10][0]} {QUALIFIERS[(k // 100) % 10][0]}"
        yield ox.Quad(c, ox.NamedNode(RDF_TYPE), ox.NamedNode(OWL + "Class"), onto)
        yield ox.Quad(c, ox.NamedNode(RDFS + "label"), ox.Literal(f"{words} class {k}", language="en"), onto)
        yield ox.Quad(c, ox.NamedNode(OBO_SYNONYM), ox.Literal(f"{words} entity {k}"), onto)
        yield ox.Quad(
            c,
            ox.NamedNode(SKOS + "definition"),
            ox.Literal(f"Synthetic ontology class {k}.", language="en"),
            onto,
        )
        for parent in shape.class_parents(k):
            yield ox.Quad(
                c, ox.NamedNode(RDFS + "subClassOf"), ox.NamedNode(shape.ontology_class(parent)), onto
            )
