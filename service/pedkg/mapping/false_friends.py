"""False friends: names that look alike but name different things, never proposed as the same.

Similar names are evidence only when they differ the way two spellings of one name differ.
"non-Hodgkin lymphoma" ~ "Hodgkin lymphoma", "B-" ~ "T-lymphoblastic leukemia",
"hyperdiploidy" ~ "hypodiploidy", "astrocytoma grade 2" ~ "grade 3", "thrombocytopenia" ~
"thrombocytopenia 1" are a few letters apart and mean different (often opposite) things, so
``refusal`` names the rule that keeps such a pair out of ``pedkg link``'s proposals:

- **negation**: a negating word on one side only (non, not, no, without; "with or without"
  is no negation) or a word that is the other's with a negating prefix (non-, un-,
  in-/im-/il-/ir-, dis-, anti-; a- only before a consonant and an- only before a vowel
  that does not start an a-word: atypical, anaerobic, but not ana-plastic);
- **opposites**: B/T, benign/malignant, acute/chronic, in situ/invasive, positive/negative
  (CD30+ / CD30-), ... as whole words, and words that differ only by opposite prefixes:
  hyper/hypo, intra/extra, infra/supra, para/peri (parosteal/periosteal), micro/macro,
  poly/oligo, epi/hypo (epigastric/hypogastric name places), mono/di/tri, ...;
- **numbers, grades, stages, types**: the numbers (arabic or roman: "grade II" is "grade 2")
  and single letters ("type A", "hemophilia B", the "B" of "B-cell") of the two names
  differ, come in another order, or one name has one the other lacks: an inherited form
  ("thrombocytopenia 1") is not the disease, syndrome 1 is not syndrome 2. "WHO"/"CNS WHO"
  before "grade" is the grading system, not part of the thing;
- **words**: the names still differ by a word that is not a spelling variant (rectal/renal),
  or one name has a word the other lacks (it is likely narrower: "acute", "skin").

Spelling variants are no difference: British/American (ae/e, oe/e, our/or, ise/ize,
yse/yze, re/er, sulph/sulf), plural/singular, -ical/-ic (classical/classic), possessives
(Hodgkin's), word order, punctuation, hyphens and spaces (compounds written apart), case,
width, accents, and stop words ("of", "the", "NOS", "type" with no number after it).
``refusal`` also lets a word stand for its synonym where the Disease Ontology itself writes
one for the other in a label and its exact synonym: an organ and its adjective (kidney/
renal, rectum/rectal: ``ORGAN_ADJECTIVES``) and a few more (neoplasm/tumor, childhood/
pediatric: ``WORD_SYNONYMS``). Any other different word refuses, which turns away some true
synonyms ("Hodgkin disease" / "Hodgkin lymphoma"): a missed proposal costs a reviewer less
than a wrong one, and such synonyms still match exactly through the names ontologies give.

Korean names are compared by the same rules where they apply without a dictionary: spacing
never counts (유잉육종 / 유잉 육종), numbers and their counters do (제1형 is type 1, 3기 stage
3, 2등급 grade 2), and any other differing word refuses. Names in different scripts are
compared by their numbers and letters only: their words cannot be told apart by spelling.

``disagree`` is the milder test for rows linked by a shared code, whose names need not be
alike: only the clear rules (negation, opposites, numbers and letters) and names that share
no content word count. ``spelling_variants`` says whether two names are the same but for
spelling. Every name is read once (``functools.lru_cache``): a link run compares the same
names in up to ~10^5 pairs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from ..folding import fold

__all__ = ["NO_SHARED_WORD", "contradiction", "disagree", "refusal", "spelling_variants"]

#: the one reason of ``disagree`` that is no contradiction: names that may still be synonyms
NO_SHARED_WORD = "no word in common"

NEGATION_WORDS = frozenset({"non", "not", "no", "without"})
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

_APOSTROPHES = "'’‘ʼ`´′"
_POSSESSIVE = re.compile(f"(?<=\\w)[{_APOSTROPHES}]s\\b")
_DROP_APOSTROPHES = str.maketrans("", "", _APOSTROPHES)
_GREEK = str.maketrans({k: f" {v} " for k, v in GREEK_LETTERS.items()})
_PLUS = re.compile(r"(?<=[^\W_])\+")  # CD30+, MYC+
# MYC- (a dash before a word joins; "B- and T-cell" is B-cell and T-cell)
_MINUS = re.compile(r"(?<=[A-Z0-9])-(?=[\s,;:)]|$)(?!\s+(?:and|or)\b)")
_WORD = re.compile(r"[^\W_]+")
_HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
_LATIN = "a-z\u00df-\u024f"
_PIECE = re.compile(f"\\d+|[{_LATIN}]+|[{_HANGUL}]+|[^\\W\\d_{_LATIN}{_HANGUL}]+", re.IGNORECASE)
_ROMAN_WITH_LETTER = re.compile(r"([ivx]+)([a-z])", re.IGNORECASE)  # after "type": IIi, IIIB


def _roman_numerals() -> dict[str, int]:
    """I to XXXIX, but XX and XXX, which name sex chromosomes (46,XX), not twenty and thirty."""
    numerals = {}
    for number in range(1, 40):
        tens, units = divmod(number, 10)
        text = "x" * tens + ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"][units]
        numerals[text] = number
    del numerals["xx"], numerals["xxx"]
    return numerals


ROMAN = _roman_numerals()

# British/American and plural spellings, each (pattern, replacement, shortest word it applies to)
_ENDINGS = (
    (re.compile(r"mata$"), "ma", 6),  # lymphomata
    (re.compile(r"ies$"), "y", 5),  # ovaries
    (re.compile(r"sis$"), "se", 5),  # metastasis, as metastases
    (re.compile(r"ae$"), "a", 5),  # vertebrae
    (re.compile(r"(?<![siu])s$"), "", 5),  # tumors; not -ss, -is, -us
    (re.compile(r"ical$"), "ic", 7),  # classical
    (re.compile(r"our$"), "or", 5),  # tumour
    (re.compile(r"is(e|ed|ing|ation)$"), r"iz\1", 6),  # localised
    (re.compile(r"ys(e|ed|ing)$"), r"yz\1", 6),  # analyse
    (re.compile(r"([tb])re$"), r"\1er", 5),  # centre, fibre
    (re.compile(r"ogue$"), "og", 6),  # analogue
)
_INSIDE = ((re.compile(r"ae"), "e"), (re.compile(r"oe"), "e"), (re.compile(r"sulph"), "sulf"))  # haem, oedema


@lru_cache(maxsize=1 << 16)
def _canonical(word: str) -> str:
    """A lower-case Latin word as every spelling variant of it is written here."""
    if not word.isascii() or not word.isalpha():
        return word
    for pattern, replacement, shortest in _ENDINGS:
        if len(word) >= shortest:
            word = pattern.sub(replacement, word, count=1)
    for pattern, replacement in _INSIDE:
        word = pattern.sub(replacement, word)
    return word


def _canonical_word(word: str) -> str:
    return word if " " in word else _canonical(word)


def _opposite_table() -> dict[str, frozenset[str]]:
    """Each opposite word (as spelt here) and the words opposite it."""
    table: dict[str, set[str]] = {}
    for one, other in OPPOSITE_WORDS:
        one, other = _canonical_word(one), _canonical_word(other)
        table.setdefault(one, set()).add(other)
        table.setdefault(other, set()).add(one)
    return {word: frozenset(others) for word, others in table.items()}


_OPPOSITE_OF = _opposite_table()
#: a word two names of one thing may differ by -> the word it is taken for (refusal, disagree)
SYNONYMS = {_canonical(other): _canonical(word) for word, other, _ in ORGAN_ADJECTIVES + WORD_SYNONYMS}
_OPPOSITE_LETTERS = frozenset(frozenset(pair) for pair in OPPOSITE_LETTERS)


@dataclass(frozen=True)
class _Marker:
    """A number or letter of a name: its value ("2", "b"), its kind ("grade", "type" or ""), as written."""

    value: str
    kind: str
    shown: str


@dataclass(frozen=True)
class _Reading:
    """A name as the rules see it."""

    folded: str
    words: tuple[str, ...]  # canonical content words, in order
    bag: Mapping[str, int]  # the same, counted
    shown: Mapping[str, str]  # canonical word -> as written
    numbers: tuple[_Marker, ...]
    letters: tuple[_Marker, ...]
    scripts: frozenset[str]


def refusal(one: str, other: str) -> str | None:
    """Why two names must not be proposed as the same thing by name, or None (see the module)."""
    a, b = _read(one), _read(other)
    if a.folded == b.folded:
        return None
    if _other_scripts(a, b):
        return _markers_differ(a, b)
    only_a, only_b = _difference(a, b, synonyms=True)
    return (
        _negation(a, b, only_a, only_b)
        or _opposites(a, b, only_a, only_b)
        or _markers_differ(a, b)
        or _words_differ(a, b, only_a, only_b)
    )


def contradiction(one: str, other: str) -> str | None:
    """Why two names contradict each other: a negation, an opposite, or a number or letter that
    differs; None otherwise. The clear rules alone, for names that need not share their words
    (the labels of a pair that a synonym links: "Division of ..." and its short name)."""
    a, b = _read(one), _read(other)
    if a.folded == b.folded:
        return None
    if _other_scripts(a, b):
        return _markers_differ(a, b)
    only_a, only_b = _difference(a, b, synonyms=True)
    return _negation(a, b, only_a, only_b) or _opposites(a, b, only_a, only_b) or _markers_differ(a, b)


def disagree(one: str, other: str) -> str | None:
    """Why the two labels of a pair linked by a shared code clearly disagree, or None.

    Clear disagreement is a negation, an opposite, a number or letter that differs, or no
    content word in common (generic words such as "malignant", "neoplasm", "syndrome" and
    stop words aside): "lymphoma" / "Malignant Lymphoma" agree, "lymphoma" / "astrocytoma" not.
    """
    reason = contradiction(one, other)
    if reason:
        return reason
    a, b = _read(one), _read(other)
    if a.folded == b.folded or _other_scripts(a, b):
        return None
    content_a, content_b = _content(a), _content(b)
    if not content_a or not content_b or _share_a_word(content_a, content_b):
        return None
    return _reason(NO_SHARED_WORD, one, other)


def spelling_variants(one: str, other: str) -> bool:
    """Whether two names differ only by spelling, plural, word order, punctuation, hyphens,
    spaces, case, width or stop words, so that a fuzzy proposal between them is safe."""
    a, b = _read(one), _read(other)
    if a.folded == b.folded:
        return True
    if _markers_differ(a, b):
        return False
    only_a, only_b = _difference(a, b, synonyms=False)
    return not only_a and not only_b


# --- reading a name -------------------------------------------------------------------


@lru_cache(maxsize=1 << 17)
def _read(name: str) -> _Reading:
    text = unicodedata.normalize("NFKC", name)
    if not text.isascii():
        text = _strip_accents(text).translate(_GREEK)
    text = _POSSESSIVE.sub("", text).translate(_DROP_APOSTROPHES)
    text = _MINUS.sub(" negative ", _PLUS.sub(" positive ", text))
    tokens = _tokens(text)
    all_capitals = text.upper() == text
    words: list[str] = []
    shown: dict[str, str] = {}
    numbers: list[_Marker] = []
    letters: list[_Marker] = []
    kind = ""  # the qualifier the markers just read belong to
    skip = 0
    for i, token in enumerate(tokens):
        if skip:
            skip -= 1
            continue
        category, value, written, alone, own_kind = token
        qualifier, kind = kind, ""
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if category == "number":
            numbers.append(_Marker(value, own_kind or qualifier, written))
            kind = qualifier  # "type 2A": the A is of the type too
        elif category == "letter":
            article = value == "a" and alone and (written == "a" or all_capitals)
            if not (article and following is not None and not qualifier):
                letters.append(_Marker(value, qualifier, written))
                kind = qualifier
        elif value in ROMAN and alone and (written.isupper() or written.islower()):
            if value != "x" or qualifier:  # a lone X is a chromosome (X-linked) unless "type X"
                numbers.append(_Marker(str(ROMAN[value]), qualifier, written))
                kind = qualifier
            else:
                letters.append(_Marker(value, "", written))
        elif (split := _roman_with_letter(written, qualifier, all_capitals)) is not None:
            numbers.append(_Marker(str(ROMAN[split[1].lower()]), qualifier, split[1]))  # stage IIB
            letters.append(_Marker(split[2].lower(), qualifier, split[2]))
        elif value in GREEK_NAMES:
            letters.append(_Marker(value, qualifier, written))
        elif value in QUALIFIERS and following is not None and _is_marker(following):
            kind = value
        elif value in GRADING_SYSTEMS and _before_grade(tokens, i):
            continue
        elif value == "in" and following is not None and following[1] == "situ":
            words.append("in situ")
            shown.setdefault("in situ", f"{written} {following[2]}")
            skip = 1
        elif value == "not" and [t[1] for t in tokens[i + 1 : i + 3]] == ["otherwise", "specified"]:
            skip = 2  # "not otherwise specified" is NOS
        elif value == "with" and [t[1] for t in tokens[i + 1 : i + 3]] == ["or", "without"]:
            skip = 2  # "with or without deafness": deafness may be there, no negation
        elif value not in STOP_WORDS or (following is None and value not in TRAILING_STOP_WORDS):
            # a name ends in no "in": "congenital disorder of glycosylation In" is type In
            word = _canonical(value)
            words.append(word)
            shown.setdefault(word, written)
    return _Reading(
        fold(name),
        tuple(words),
        _bag(words),
        shown,
        tuple(numbers),
        tuple(letters),
        frozenset(_script(w) for w in words),
    )


#: (category, lower-case value, as written, whether it is a whole word, the kind of a number)
_Token = tuple[str, str, str, bool, str]


def _tokens(text: str) -> list[_Token]:
    """The pieces of a name: numbers, single letters and words.

    A word splits where digits and scripts meet (CD30, 제1형, B세포). A Korean ordinal or
    counter around a number (제1형, 3기) is no piece of its own but the kind of the number.
    A lone I, V or X stays a word here: ``_read`` decides whether it is a roman numeral.
    """
    tokens: list[_Token] = []
    for word in _WORD.findall(text):
        pieces = _PIECE.findall(word)
        alone = len(pieces) == 1
        for k, piece in enumerate(pieces):
            if piece.isdecimal():
                tokens.append(("number", str(int(piece)), piece, alone, ""))
            elif piece == KOREAN_ORDINAL and k + 1 < len(pieces) and pieces[k + 1].isdecimal():
                continue
            elif piece in KOREAN_QUALIFIERS and k > 0 and pieces[k - 1].isdecimal():
                tokens[-1] = (*tokens[-1][:4], KOREAN_QUALIFIERS[piece])
            elif _is_letter(piece) and not (alone and piece.lower() in ROMAN):
                tokens.append(("letter", piece.lower(), piece, alone, ""))
            else:
                tokens.append(("word", piece.lower(), piece, alone, ""))
    return tokens


def _is_letter(piece: str) -> bool:
    return len(piece) == 1 and piece.isascii() and piece.isalpha()


def _is_marker(token: _Token) -> bool:
    category, value, written, alone, _ = token
    if category in ("number", "letter") or value in GREEK_NAMES:
        return True
    return (value in ROMAN and alone) or _roman_with_letter(written, "type", False) is not None


def _roman_with_letter(written: str, qualifier: str, all_capitals: bool) -> re.Match[str] | None:
    """A roman numeral with a letter (stage IIB, type IIi, mucopolysaccharidosis IVA), or None.

    After "type", "stage" and the like any such word is one; elsewhere only in a name not
    all in capitals, with the numeral in capitals and either two numerals or a capital
    letter after it, so that "In" (In Situ) and "Is" stay words, and never a lone X:
    XX and XY are karyotypes.
    """
    split = _ROMAN_WITH_LETTER.fullmatch(written)
    if split is None or split[1].lower() not in ROMAN:
        return None
    if qualifier:
        return split
    numeral, letter = split[1], split[2]
    if all_capitals or not numeral.isupper() or numeral == "X":
        return None
    return split if len(numeral) > 1 or letter.isupper() else None


def _before_grade(tokens: list[_Token], i: int) -> bool:
    """Whether a grading system's name (WHO, CNS) stands before "grade"."""
    for _, value, *_ in tokens[i + 1 :]:
        if value == "grade":
            return True
        if value not in GRADING_SYSTEMS:
            return False
    return False


def _strip_accents(text: str) -> str:
    """Sjögren as Sjogren; Hangul decomposes and composes back unchanged."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", kept)


def _script(word: str) -> str:
    if word.isascii():
        return "latin"
    char = word[0]
    if "\uac00" <= char <= "\ud7a3" or "\u1100" <= char <= "\u11ff" or "\u3130" <= char <= "\u318f":
        return "hangul"
    if "\u00c0" <= char <= "\u024f":
        return "latin"
    return unicodedata.name(char, "other").split(" ")[0].lower()


# --- comparing two readings -----------------------------------------------------------


def _other_scripts(a: _Reading, b: _Reading) -> bool:
    """Whether the names are written in different scripts (Korean and English): words incomparable."""
    return bool(a.scripts and b.scripts and not a.scripts & b.scripts)


#: words (or marker values) and how often a name has each
Bag = dict[str, int]


def _bag(items: Iterable[str]) -> Bag:
    bag: Bag = {}
    for item in items:
        bag[item] = bag.get(item, 0) + 1
    return bag


def _minus(one: Mapping[str, int], other: Mapping[str, int]) -> Bag:
    return {w: n - other.get(w, 0) for w, n in one.items() if n > other.get(w, 0)}


def _difference(a: _Reading, b: _Reading, synonyms: bool) -> tuple[Bag, Bag]:
    """The words of each name the other lacks: compounds written apart count as one word,
    then (``synonyms``) a word and its synonym cancel."""
    only_a, only_b = _minus(a.bag, b.bag), _minus(b.bag, a.bag)
    if only_a and only_b:
        _join_compounds(only_a, only_b, b.words)
        _join_compounds(only_b, only_a, a.words)
    if synonyms and only_a and only_b:
        mapped_a: Bag = {}
        mapped_b: Bag = {}
        for word, n in only_a.items():
            mapped_a[SYNONYMS.get(word, word)] = mapped_a.get(SYNONYMS.get(word, word), 0) + n
        for word, n in only_b.items():
            mapped_b[SYNONYMS.get(word, word)] = mapped_b.get(SYNONYMS.get(word, word), 0) + n
        only_a, only_b = _minus(mapped_a, mapped_b), _minus(mapped_b, mapped_a)
    return only_a, only_b


def _join_compounds(whole: Bag, parts: Bag, order: tuple[str, ...]) -> None:
    """Take out a word of one name written as two to four consecutive words of the other
    (pleuropulmonary / pleuro-pulmonary, 윌름스종양 / 윌름스 종양)."""
    if not any(word.startswith(part) and word != part for word in whole for part in parts):
        return
    runs = {
        "".join(order[start:end]): order[start:end]
        for start in range(len(order))
        for end in range(start + 2, min(start + 4, len(order)) + 1)
    }
    for word in list(whole):
        run = runs.get(word)
        if run is not None and all(parts.get(w, 0) > 0 for w in run):
            whole[word] -= 1
            for w in run:
                parts[w] -= 1
    for bag in (whole, parts):
        for word in [w for w, n in bag.items() if n <= 0]:
            del bag[word]


def _negation(a: _Reading, b: _Reading, only_a: Bag, only_b: Bag) -> str | None:
    for word in only_a:
        if word in NEGATION_WORDS:
            return _reason("negation", _shown(a, [word]), "")
    for word in only_b:
        if word in NEGATION_WORDS:
            return _reason("negation", "", _shown(b, [word]))
    for words, others, flip in ((only_a, only_b, False), (only_b, only_a, True)):
        for word in words:
            for stem in _negated_stems(word):
                if stem in others:
                    x, y = (stem, word) if flip else (word, stem)
                    return _reason("negation", _shown(a, [x]), _shown(b, [y]))
    return None


@lru_cache(maxsize=1 << 16)
def _negated_stems(word: str) -> tuple[str, ...]:
    """The words ``word`` negates with a prefix: noninvasive -> invasive, atypical -> typical."""
    stems = []
    for prefix in NEGATION_PREFIXES:
        stem = word[len(prefix) :]
        if not word.startswith(prefix) or len(stem) < 4:
            continue
        if prefix == "a" and stem[0] in VOWELS:
            continue  # a- goes before a consonant
        if prefix == "an" and (stem[0] not in VOWELS or (stem[0] == "a" and stem[1] not in VOWELS)):
            continue  # an- before a vowel; an+aplastic is ana-plastic
        stems.append(stem)
    return tuple(stems)


def _opposites(a: _Reading, b: _Reading, only_a: Bag, only_b: Bag) -> str | None:
    for x in only_a:
        for y in _OPPOSITE_OF.get(x, ()):
            if y in only_b:
                return _reason("opposites", _shown(a, [x]), _shown(b, [y]))
    halves = {half: x for x in only_a for half in _prefixed_halves(x)}
    for y in only_b:
        for group, side, stem in _prefixed_halves(y):
            match = halves.get((group, 1 - side, stem))
            if match is not None:
                return _reason("opposites", _shown(a, [match]), _shown(b, [y]))
    if a.letters == b.letters:
        return None
    letters_a, letters_b = _counts(a.letters), _counts(b.letters)
    extra_a, extra_b = _minus(letters_a, letters_b), _minus(letters_b, letters_a)
    if len(extra_a) == len(extra_b) == 1 and frozenset((*extra_a, *extra_b)) in _OPPOSITE_LETTERS:
        return _reason("opposites", _markers_shown(a.letters, extra_a), _markers_shown(b.letters, extra_b))
    return None


@lru_cache(maxsize=1 << 16)
def _prefixed_halves(word: str) -> tuple[tuple[int, int, str], ...]:
    """(group, side, stem) for each opposite prefix ``word`` begins with (a stem keeps 3 letters)."""
    halves = []
    for group, sides in enumerate(OPPOSITE_PREFIXES):
        for side, prefixes in enumerate(sides):
            for prefix in prefixes:
                if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                    halves.append((group, side, word[len(prefix) :]))
    return tuple(halves)


def _markers_differ(a: _Reading, b: _Reading) -> str | None:
    """A number or a letter on one side that the other lacks or writes otherwise."""
    if a.numbers == b.numbers and a.letters == b.letters:
        return None
    for markers_a, markers_b, noun in ((a.numbers, b.numbers, "numbers"), (a.letters, b.letters, "letters")):
        if markers_a == markers_b:
            continue
        count_a, count_b = _counts(markers_a), _counts(markers_b)
        extra_a, extra_b = _minus(count_a, count_b), _minus(count_b, count_a)
        if extra_a or extra_b:
            kinds = {m.kind for m in markers_a if m.value in extra_a} | {
                m.kind for m in markers_b if m.value in extra_b
            }
            rule = f"{kinds.pop()} differs" if len(kinds) == 1 and "" not in kinds else f"{noun} differ"
            return _reason(rule, _markers_shown(markers_a, extra_a), _markers_shown(markers_b, extra_b))
        if [m.value for m in markers_a] != [m.value for m in markers_b]:  # complex I type 4 / IV type 1
            shown_a, shown_b = " ".join(m.shown for m in markers_a), " ".join(m.shown for m in markers_b)
            return _reason(f"{noun} differ", shown_a, shown_b)
        kinds_a = {(m.value, m.kind) for m in markers_a if m.kind}
        kinds_b = {(m.value, m.kind) for m in markers_b if m.kind}
        for value, kind in kinds_a:
            other = {k for v, k in kinds_b if v == value and k != kind}
            if other:
                return _reason(f"{noun} differ", f"{kind} {value}", f"{other.pop()} {value}")
    return None


def _words_differ(a: _Reading, b: _Reading, only_a: Bag, only_b: Bag) -> str | None:
    if not only_a and not only_b:
        return None
    rule = "words differ" if only_a and only_b else "words only in one name"
    return _reason(rule, _shown(a, _ordered(a, only_a)), _shown(b, _ordered(b, only_b)))


def _content(reading: _Reading) -> set[str]:
    """The words that say what a name is about; all its words if it has only generic ones."""
    words = {SYNONYMS.get(w, w) for w in reading.words}
    return (words - GENERIC_WORDS) or words


def _share_a_word(one: set[str], other: set[str]) -> bool:
    """Whether two sets of words share one; a Korean word inside a longer one counts
    (백혈병 in 급성백혈병), since Korean writes compounds with or without spaces."""
    if one & other:
        return True
    korean = [w for w in one if _script(w) == "hangul"], [w for w in other if _script(w) == "hangul"]
    return any(x in y or y in x for x in korean[0] for y in korean[1] if min(len(x), len(y)) >= 2)


# --- reasons ---------------------------------------------------------------------------


def _counts(markers: tuple[_Marker, ...]) -> Bag:
    return _bag(m.value for m in markers)


def _ordered(reading: _Reading, words: Bag) -> list[str]:
    """Words of a difference in the order the name has them."""
    mapped = [SYNONYMS.get(w, w) for w in reading.words]
    seen = dict.fromkeys(w for w in mapped if w in words)
    return list(seen) + [w for w in words if w not in seen]


def _shown(reading: _Reading, words: Iterable[str]) -> str:
    back = {SYNONYMS.get(w, w): w for w in reading.words}
    return " ".join(reading.shown.get(back.get(w, w), w) for w in words)


def _markers_shown(markers: tuple[_Marker, ...], values: Bag) -> str:
    wanted = dict(values)
    out = []
    for marker in markers:
        if wanted.get(marker.value, 0) > 0:
            wanted[marker.value] -= 1
            out.append(marker.shown)
    return " ".join(out)


def _quote(text: str) -> str:
    return f"'{text}'"


def _reason(rule: str, one: str, other: str) -> str:
    return f"{rule}: {_quote(one)} / {_quote(other)}"
