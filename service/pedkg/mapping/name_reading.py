"""Reading a name once into what the false-friend rules compare: its words, numbers and letters.

A name is read into its content words, each in one canonical spelling (and as written, for
the reasons), and its numbers and letters with the kind each belongs to ("grade", "type",
"stage"), so that ``false_friends`` compares readings and never spellings. Spelling variants
read alike: British/American (ae/e, oe/e, our/or, ise/ize, yse/yze, re/er, sulph/sulf),
plural/singular, -ical/-ic (classical/classic), possessives (Hodgkin's), punctuation, case,
width, accents, Greek letters (β is beta), a trailing + or - (CD30+ is CD30 positive) and
stop words ("of", "the", "NOS", "type" with no number after it). Numbers are arabic or roman
("grade II" is "grade 2"; XX is a karyotype, and a lone X a chromosome unless "type X");
"WHO"/"CNS WHO" before "grade" is the grading system, not part of the thing. A Korean word
splits where digits and scripts meet (B세포), and a counter around a number is its kind
(제1형 is type 1, 3기 stage 3, 2등급 grade 2).

Every name is read once (``functools.lru_cache``): a link run compares the same names in up
to ~10^5 pairs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from ..folding import fold
from .clinical_words import (
    GRADING_SYSTEMS,
    GREEK_LETTERS,
    GREEK_NAMES,
    KOREAN_ORDINAL,
    KOREAN_QUALIFIERS,
    QUALIFIERS,
    STOP_WORDS,
    TRAILING_STOP_WORDS,
)

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
def canonical(word: str) -> str:
    """A lower-case Latin word as every spelling variant of it is written here."""
    if not word.isascii() or not word.isalpha():
        return word
    for pattern, replacement, shortest in _ENDINGS:
        if len(word) >= shortest:
            word = pattern.sub(replacement, word, count=1)
    for pattern, replacement in _INSIDE:
        word = pattern.sub(replacement, word)
    return word


@dataclass(frozen=True)
class Marker:
    """A number or letter of a name: its value ("2", "b"), its kind ("grade", "type" or ""), as written."""

    value: str
    kind: str
    shown: str


@dataclass(frozen=True)
class Reading:
    """A name as the rules see it."""

    folded: str
    words: tuple[str, ...]  # canonical content words, in order
    bag: Mapping[str, int]  # the same, counted
    shown: Mapping[str, str]  # canonical word -> as written
    numbers: tuple[Marker, ...]
    letters: tuple[Marker, ...]
    scripts: frozenset[str]


#: words (or marker values) and how often a name has each
Bag = dict[str, int]


def counted(items: Iterable[str]) -> Bag:
    """How often each item occurs."""
    bag: Bag = {}
    for item in items:
        bag[item] = bag.get(item, 0) + 1
    return bag


@lru_cache(maxsize=1 << 17)
def read(name: str) -> Reading:
    """The name as the rules see it (see the module); read once, as a link run compares it often."""
    text = unicodedata.normalize("NFKC", name)
    if not text.isascii():
        text = _strip_accents(text).translate(_GREEK)
    text = _POSSESSIVE.sub("", text).translate(_DROP_APOSTROPHES)
    text = _MINUS.sub(" negative ", _PLUS.sub(" positive ", text))
    tokens = _tokens(text)
    all_capitals = text.upper() == text
    words: list[str] = []
    shown: dict[str, str] = {}
    numbers: list[Marker] = []
    letters: list[Marker] = []
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
            numbers.append(Marker(value, own_kind or qualifier, written))
            kind = qualifier  # "type 2A": the A is of the type too
        elif category == "letter":
            article = value == "a" and alone and (written == "a" or all_capitals)
            if not (article and following is not None and not qualifier):
                letters.append(Marker(value, qualifier, written))
                kind = qualifier
        elif value in ROMAN and alone and (written.isupper() or written.islower()):
            if value != "x" or qualifier:  # a lone X is a chromosome (X-linked) unless "type X"
                numbers.append(Marker(str(ROMAN[value]), qualifier, written))
                kind = qualifier
            else:
                letters.append(Marker(value, "", written))
        elif (split := _roman_with_letter(written, qualifier, all_capitals)) is not None:
            numbers.append(Marker(str(ROMAN[split[1].lower()]), qualifier, split[1]))  # stage IIB
            letters.append(Marker(split[2].lower(), qualifier, split[2]))
        elif value in GREEK_NAMES:
            letters.append(Marker(value, qualifier, written))
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
            word = canonical(value)
            words.append(word)
            shown.setdefault(word, written)
    return Reading(
        fold(name),
        tuple(words),
        counted(words),
        shown,
        tuple(numbers),
        tuple(letters),
        frozenset(script(w) for w in words),
    )


#: (category, lower-case value, as written, whether it is a whole word, the kind of a number)
_Token = tuple[str, str, str, bool, str]


def _tokens(text: str) -> list[_Token]:
    """The pieces of a name: numbers, single letters and words.

    A word splits where digits and scripts meet (CD30, 제1형, B세포). A Korean ordinal or
    counter around a number (제1형, 3기) is no piece of its own but the kind of the number.
    A lone I, V or X stays a word here: ``read`` decides whether it is a roman numeral.
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


def script(word: str) -> str:
    if word.isascii():
        return "latin"
    char = word[0]
    if "\uac00" <= char <= "\ud7a3" or "\u1100" <= char <= "\u11ff" or "\u3130" <= char <= "\u318f":
        return "hangul"
    if "\u00c0" <= char <= "\u024f":
        return "latin"
    return unicodedata.name(char, "other").split(" ")[0].lower()
