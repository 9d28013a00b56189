"""The parts of ``pedkg link`` under the command: codes as CURIEs, similar names, refusals."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest
from rapidfuzz.distance import Indel

from pedkg.folding import fold
from pedkg.mapping import codes, evidence, false_friends, refusals, similarity
from pedkg.mapping.candidates import OBO_IN_OWL, Entity, Name

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@pytest.mark.parametrize(
    ("written", "curie", "iri"),
    [
        # the Disease Ontology's xref strings (DO_cancer_slim.obo, see link_shapes)
        ("NCI:C3270", "NCIT:C3270", "http://purl.obolibrary.org/obo/NCIT_C3270"),
        ("UMLS_CUI:C0027819", "umls:C0027819", "https://uts.nlm.nih.gov/uts/umls/concept/C0027819"),
        ("MESH:D009447", "mesh:D009447", "http://id.nlm.nih.gov/mesh/D009447"),
        ("ORDO:635", "ORPHA:635", "http://www.orpha.net/ORDO/Orphanet_635"),
        ("SNOMEDCT_US_2025_09_01:432328008", "snomedct:432328008", "http://snomed.info/id/432328008"),
        ("ICDO:9500/3", "icdo:9500/3", None),
        ("MIM:605027", "omim:605027", None),
        # the same concepts under other URI prefixes
        ("http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl#C3270", "NCIT:C3270", None),
        ("http://linkedlifedata.com/resource/umls/id/C0027819", "umls:C0027819", None),
        ("Orphanet:635", "ORPHA:635", None),
    ],
)
def test_codes_are_one_curie_whatever_prefix_or_uri_names_them(written, curie, iri):
    code = codes.of_text(written)
    assert code is not None and code.curie == curie
    assert code.key == codes.of_text(curie).key
    if iri:
        assert code.iri() == iri
        assert codes.of_iri(iri) == code


def test_texts_that_are_no_codes_and_unknown_prefixes():
    assert codes.of_text("Neuroblastoma") is None
    assert codes.of_text("url: http://example.org") is None  # a space: not a CURIE
    unknown = codes.of_text("ZZUNKNOWN:42")
    assert unknown is not None and unknown.key == "zzunknown:42" and unknown.iri() is None


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        (
            "http://purl.obolibrary.org/obo/NCIT_C3270",
            "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl#C3269",
            True,
        ),
        ("http://purl.obolibrary.org/obo/DOID_769", "http://purl.obolibrary.org/obo/MONDO_0005072", False),
        ("https://example.org/a/neuroblastoma", "https://example.org/a/schwannoma", True),
        ("https://example.org/a/neuroblastoma", "https://example.org/b/neuroblastoma", False),
        ("http://example.org/onto#FOO_1", "http://example.org/onto#FOO_2", True),
    ],
)
def test_the_namespace_of_an_iri(one, other, same):
    assert (codes.namespace(one) == codes.namespace(other)) is same


def entity(iri: str, *names: tuple[str, str]) -> Entity:
    """An entity with (text, field) names; "label" is rdfs:label, the rest oboInOwl synonyms."""
    predicates = {"label": RDFS_LABEL, "synonym": OBO_IN_OWL + "hasExactSynonym",
                  "related": OBO_IN_OWL + "hasRelatedSynonym", "broad": OBO_IN_OWL + "hasBroadSynonym",
                  "narrow": OBO_IN_OWL + "hasNarrowSynonym"}  # fmt: skip
    found = Entity(iri)
    for text, kind in names:
        found.names.append(Name(text, "en", kind, predicates[kind], fold(text)))
    return found


def test_two_classes_of_one_ontology_are_refused_one_concept_under_two_iris_is_not():
    ncit = entity("http://purl.obolibrary.org/obo/NCIT_C3270", ("Neuroblastoma", "label"))
    nci_owl = entity("http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl#C3270", ("Neuroblastoma", "label"))
    schwannoma = entity("http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl#C3269", ("Schwannoma", "label"))
    assert refusals.one_ontology(ncit, nci_owl, {}, {}) is None
    assert refusals.one_ontology(ncit, schwannoma, {}, {}) == refusals.SAME_NAMESPACE
    local = entity("https://example.org/hospital/nb", ("neuroblastoma", "label"))
    assert refusals.one_ontology(ncit, local, {}, {}) is None
    assert refusals.one_ontology(ncit, local, {local.iri: local}, {}) == refusals.SAME_GRAPH
    assert refusals.one_ontology(ncit, local, {}, {ncit.iri: ncit}) == refusals.SAME_GRAPH


def name_evidence(subjects: dict[str, Entity], objects: dict[str, Entity]) -> list[evidence.Evidence]:
    return [e for _, _, e in evidence.by_names(subjects, objects)]


def test_broad_and_narrow_synonyms_are_never_evidence_related_ones_are_weak():
    # DOID:0050925 and its broad synonym; DOID:2154 and its related one (link_shapes)
    carcinoid = entity(
        "http://purl.obolibrary.org/obo/DOID_0050925",
        ("small intestine carcinoid neuroendocrine tumor", "label"),
        ("intestinal carcinoid tumour", "broad"),
    )
    wider = entity("https://example.org/h/carcinoid", ("intestinal carcinoid tumour", "label"))
    found = name_evidence({carcinoid.iri: carcinoid}, {wider.iri: wider})
    kept, reasons = refusals.sift(carcinoid, wider, found)
    assert found and not kept and refusals.rule(reasons[0]) == refusals.UNRELIABLE_SYNONYM
    wilms = entity(
        "http://purl.obolibrary.org/obo/DOID_2154", ("nephroblastoma", "label"), ("Wilms' tumor", "related")
    )
    tumour = entity("https://example.org/h/wilms", ("Wilms' Tumor", "label"))
    found = name_evidence({wilms.iri: wilms}, {tumour.iri: tumour})
    kept, _ = refusals.sift(wilms, tumour, found)
    assert [e.confidence for e in kept] == [evidence.RELATED_SCORE]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("astrocytoma, IDH-mutant, grade 2", "astrocytoma, IDH-mutant, grade 3"),  # DOID:0081256 / 0081257
        ("non-Hodgkin lymphoma", "Hodgkin Lymphoma"),  # DOID:0060060 / OncoTree HL
    ],
)
def test_similar_names_the_word_rules_tell_apart_are_refused(one, other):
    subject = entity("https://example.org/a/1", (one, "label"))
    obj = entity("https://example.org/b/1", (other, "label"))
    found = name_evidence({subject.iri: subject}, {obj.iri: obj})
    assert [e.kind for e in found] == ["similar"]
    kept, reasons = refusals.sift(subject, obj, found)
    assert not kept and reasons == [false_friends_reason(one, other)]


def false_friends_reason(one: str, other: str) -> str:
    reason = false_friends.refusal(one, other)
    assert reason is not None
    return reason


def test_a_shared_synonym_is_no_evidence_when_the_labels_are_false_friends():
    one = entity(
        "https://example.org/a/g2",
        ("astrocytoma, IDH-mutant, grade 2", "label"),
        ("IDH astrocytoma", "synonym"),
    )
    other = entity(
        "https://example.org/b/g3",
        ("astrocytoma, IDH-mutant, grade 3", "label"),
        ("IDH astrocytoma", "synonym"),
    )
    found = [e for e in name_evidence({one.iri: one}, {other.iri: other}) if e.kind == "label"]
    assert found and refusals.sift(one, other, found)[0] == []


def test_similar_names_pass_only_as_spelling_variants():
    tumor = entity("https://example.org/a/gct", ("germ cell tumor", "label"))
    tumours = entity("https://example.org/b/gct", ("Germ cell tumours", "label"))
    found = name_evidence({tumor.iri: tumor}, {tumours.iri: tumours})
    kept, _ = refusals.sift(tumor, tumours, found)
    assert [e.kind for e in kept] == ["similar"] and 0.5 < kept[0].confidence < 0.9
    parosteal = entity("https://example.org/a/paos", ("parosteal osteosarcoma", "label"))
    periosteal = entity("https://example.org/b/peos", ("Periosteal Osteosarcoma", "label"))
    found = name_evidence({parosteal.iri: parosteal}, {periosteal.iri: periosteal})
    kept, reasons = refusals.sift(parosteal, periosteal, found)
    assert found and not kept  # by a word rule, or else as no spelling variant
    assert reasons[0].startswith(refusals.NOT_A_VARIANT) or reasons[0] == false_friends.refusal(
        "parosteal osteosarcoma", "Periosteal Osteosarcoma"
    )


def brute_force(left: list[str], right: list[str]) -> set[tuple[int, int]]:
    found = set()
    for i, one in enumerate(left):
        for j, other in enumerate(right):
            if min(len(one), len(other)) < similarity.MIN_LENGTH or one == other:
                continue
            if Indel.distance(one, other) <= similarity.allowed(len(one), len(other)):
                found.add((i, j))
    return found


def mutated(text: str, rnd: random.Random, alphabet: str) -> str:
    letters = list(text)
    for _ in range(rnd.randint(0, 6)):
        at = rnd.randrange(len(letters))
        roll = rnd.random()
        if roll < 0.33:
            letters.insert(at, rnd.choice(alphabet))
        elif roll < 0.66 and len(letters) > 1:
            del letters[at]
        else:
            letters[at] = rnd.choice(alphabet)
    return "".join(letters)


@pytest.mark.parametrize(("alphabet", "seed"), [("ab", 1), ("ab", 2), ("abc", 3), ("abcdefgh", 4)])
def test_the_blocking_finds_exactly_the_pairs_comparing_all_would(alphabet, seed):
    """Short alphabets make many near pairs: the hardest case for a filter that must miss none."""
    rnd = random.Random(seed)
    base = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(5, 40))) for _ in range(150)]
    left = [mutated(b, rnd, alphabet) for b in base]
    right = [mutated(b, rnd, alphabet) for b in base] + base[:40]
    found = {(i, j) for i, j, _ in similarity.similar_pairs(left, right)}
    assert found == brute_force(left, right)
    assert found  # the data has near pairs to find
    flipped = {(i, j) for j, i, _ in similarity.similar_pairs(right, left)}
    assert flipped == found


def test_similarity_is_the_normalized_indel_similarity():
    pairs = list(similarity.similar_pairs(["germcelltumor"], ["germcelltumours", "germcell"]))
    assert [(i, j) for i, j, _ in pairs] == [(0, 0)]
    assert pairs[0][2] == pytest.approx(1 - 2 / 28)


def test_commands_other_than_link_never_load_the_bioregistry():
    code = "import sys, pedkg.cli, pedkg.mapping.proposals; print('bioregistry' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
