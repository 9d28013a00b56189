"""The words the false-friend rules know by name: negations, opposites, qualifiers, synonyms.

``false_friends`` refuses a pair of names by what their words mean, and this module is that
meaning: the words that negate, the words and word beginnings that name opposite kinds, the
words that say what kind of number follows, the stop words, the words too general to show
agreement, and the words two names of one thing may write for each other. They are kept
apart from the code that reads a name (``name_reading``) and the rules that compare two
(``false_friends``), so that a new false friend or a missed synonym is a change to a table.
Each synonym pair names the Disease Ontology class that writes one word for the other in a
label and its exact synonym.
"""

from __future__ import annotations

#: words that negate the word after them ("non Hodgkin", "without maturation")
NEGATION_WORDS = frozenset({"non", "not", "no", "without"})
#: word beginnings that negate a word (noninvasive, atypical): a- only before a consonant,
#: an- only before a vowel (``VOWELS``)
NEGATION_PREFIXES = ("non", "anti", "dis", "un", "in", "im", "il", "ir", "an", "a")
VOWELS = frozenset("aeiou")

#: whole words that name opposite (mutually exclusive) kinds of one thing
OPPOSITE_WORDS = (
    ("benign", "malignant"),
    ("acute", "chronic"),
    ("acute", "subacute"),
    ("subacute", "chronic"),
    ("primary", "secondary"),
    ("primary", "metastatic"),
    ("localized", "metastatic"),
    ("localized", "disseminated"),
    ("congenital", "acquired"),
    ("inherited", "acquired"),
    ("hereditary", "acquired"),
    ("hereditary", "sporadic"),
    ("familial", "sporadic"),
    ("juvenile", "adult"),
    ("childhood", "adult"),
    ("pediatric", "adult"),
    ("infantile", "adult"),
    ("neonatal", "adult"),
    ("mature", "immature"),
    ("high", "low"),
    ("left", "right"),
    ("upper", "lower"),
    ("anterior", "posterior"),
    ("superior", "inferior"),
    ("medial", "lateral"),
    ("proximal", "distal"),
    ("internal", "external"),
    ("central", "peripheral"),
    ("dorsal", "ventral"),
    ("dominant", "recessive"),
    ("male", "female"),
    ("early", "late"),
    ("major", "minor"),
    ("mild", "moderate"),
    ("mild", "severe"),
    ("moderate", "severe"),
    ("small", "large"),
    ("positive", "negative"),
    ("indolent", "aggressive"),
    ("mutant", "wildtype"),
    ("mutated", "wildtype"),
    ("gain", "loss"),
    ("in situ", "invasive"),
    ("well", "poorly"),
)
#: word beginnings that make opposite (or different-count) words of one stem: para/par is
#: "par-osteal"; hyp is "hyp-oxia"; a stem must keep three letters
OPPOSITE_PREFIXES = (
    (("hyper",), ("hypo", "hyp", "normo")),
    (("hypo", "hyp"), ("normo", "epi")),
    (("intra",), ("extra", "inter")),
    (("infra", "sub"), ("supra",)),
    (("micro",), ("macro",)),
    (("poly", "multi"), ("oligo", "mono", "uni")),
    (("mono", "uni"), ("bi", "di", "tri", "tetra")),
    (("bi", "di"), ("tri", "tetra", "poly", "multi")),
    (("para", "par"), ("peri",)),
    (("endo",), ("exo", "ecto", "epi")),
    (("pre", "ante"), ("post",)),
    (("brady",), ("tachy",)),
    (("homo",), ("hetero",)),
)
#: single letters that name opposite kinds (B- and T-cell lineages)
OPPOSITE_LETTERS = (("b", "t"),)
#: words that only say what kind of number or letter follows ("type 2", "grade II", "group A")
QUALIFIERS = frozenset({"type", "subtype", "grade", "stage", "class", "group", "phase"})
#: Korean counters after a number (1형: type 1, 2등급: grade 2, 3기: stage 3)
KOREAN_QUALIFIERS = {"형": "type", "등급": "grade", "기": "stage"}
KOREAN_ORDINAL = "제"  # 제1형: "number 1" type
#: grading systems named before "grade": the same grade whichever is written
GRADING_SYSTEMS = frozenset({"who", "cns"})
#: "type" with no number or letter after it says nothing: adamantinomatous (type) craniopharyngioma
STOP_WORDS = frozenset(
    {"of", "the", "an", "and", "in", "on", "at", "to", "for", "by", "from", "with"}
    | {"nos", "unspecified", "type"}
)
#: stop words a name may end with ("lymphoma, NOS"); any other one there is no stop word
TRAILING_STOP_WORDS = frozenset({"nos", "unspecified", "type"})
#: an organ and its adjective, which the Disease Ontology writes for one another in a label
#: and its exact synonym (one such class of each; DO subsets of 2026-08-19). "cervical"
#: (cervix or neck) and "cardiac" (heart or the stomach's cardia) are left out: ambiguous
ORGAN_ADJECTIVES = (
    ("kidney", "renal", "DOID:1074"),
    ("stomach", "gastric", "DOID:10087"),
    ("ovary", "ovarian", "DOID:11432"),
    ("skin", "cutaneous", "DOID:10188"),
    ("colon", "colonic", "DOID:10655"),
    ("lung", "pulmonary", "DOID:0080777"),
    ("esophagus", "esophageal", "DOID:10187"),
    ("testis", "testicular", "DOID:12253"),
    ("anus", "anal", "DOID:14110"),
    ("intestine", "intestinal", "DOID:13282"),
    ("larynx", "laryngeal", "DOID:2600"),
    ("rectum", "rectal", "DOID:0050915"),
    ("trachea", "tracheal", "DOID:12001"),
    ("breast", "mammary", "DOID:1612"),
    ("prostate", "prostatic", "DOID:10283"),
    ("appendix", "appendiceal", "DOID:11240"),
    ("vulva", "vulvar", "DOID:1294"),
    ("vulva", "vulval", "DOID:1245"),
    ("cerebellum", "cerebellar", "DOID:4205"),
    ("cerebrum", "cerebral", "DOID:368"),
    ("liver", "hepatic", "DOID:10190"),
    ("pleura", "pleural", "DOID:10195"),
    ("urethra", "urethral", "DOID:12577"),
    ("ureter", "ureteral", "DOID:11887"),
    ("endometrium", "endometrial", "DOID:2870"),
    ("synovium", "synovial", "DOID:315"),
    ("meninges", "meningeal", "DOID:4957"),
    ("leptomeninges", "leptomeningeal", "DOID:6086"),
    ("duodenum", "duodenal", "DOID:10021"),
    ("retina", "retinal", "DOID:12161"),
    ("thymus", "thymic", "DOID:7599"),
    ("epididymis", "epididymal", "DOID:512"),
    ("vagina", "vaginal", "DOID:137"),
    ("pancreas", "pancreatic", "DOID:1798"),
    ("bone", "osseous", "DOID:3722"),
    ("spleen", "splenic", "DOID:2529"),
)
#: other words the Disease Ontology gives as exact synonyms of one another, with a class
WORD_SYNONYMS = (
    ("tumor", "neoplasm", "DOID:3218"),  # jejunal neoplasm / Jejunal tumor
    ("pediatric", "childhood", "DOID:0070323"),  # childhood / pediatric acute myeloid leukemia
    ("disease", "disorder", "DOID:10935"),  # dissociative disorder / dissociative disease
    ("myeloid", "myelogenous", "DOID:8552"),  # chronic myeloid / myelogenous leukaemia
)
#: words too general to show that two names agree ("Down syndrome" / "Turner syndrome")
GENERIC_WORDS = frozenset(
    {
        "tumor",
        "neoplasia",
        "cancer",
        "malignancy",
        "malignant",
        "disease",
        "disorder",
        "syndrome",
        "condition",
        "lesion",
        "cell",
        "type",
        "subtype",
        "form",
        "variant",
        "group",
        "class",
        "grade",
        "stage",
    }
)
GREEK_LETTERS = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "epsilon",
    "κ": "kappa",
    "λ": "lambda",
}
GREEK_NAMES = frozenset(GREEK_LETTERS.values())
