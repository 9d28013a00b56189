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

Spelling variants are no difference (``name_reading`` reads them alike), nor are word order
and compounds written apart (pleuropulmonary / pleuro-pulmonary). ``refusal`` also lets a
word stand for its synonym where the Disease Ontology itself writes one for the other in a
label and its exact synonym: an organ and its adjective (kidney/renal, rectum/rectal:
``clinical_words.ORGAN_ADJECTIVES``) and a few more (neoplasm/tumor, childhood/pediatric:
``clinical_words.WORD_SYNONYMS``). Any other different word refuses, which turns away some
true synonyms ("Hodgkin disease" / "Hodgkin lymphoma"): a missed proposal costs a reviewer
less than a wrong one, and such synonyms still match exactly through the names ontologies give.

Korean names are compared by the same rules where they apply without a dictionary: spacing
never counts (유잉육종 / 유잉 육종), numbers and their counters do (제1형 is type 1, 3기 stage
3, 2등급 grade 2), and any other differing word refuses. Names in different scripts are
compared by their numbers and letters only: their words cannot be told apart by spelling.

``disagree`` is the milder test for rows linked by a shared code, whose names need not be
alike: only the clear rules (negation, opposites, numbers and letters) and names that share
no content word count. ``spelling_variants`` says whether two names are the same but for
spelling.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from .clinical_words import (
    GENERIC_WORDS,
    NEGATION_PREFIXES,
    NEGATION_WORDS,
    OPPOSITE_LETTERS,
    OPPOSITE_PREFIXES,
    OPPOSITE_WORDS,
    ORGAN_ADJECTIVES,
    VOWELS,
    WORD_SYNONYMS,
)
from .name_reading import Bag, Marker, Reading, canonical, counted, read, script

__all__ = ["NO_SHARED_WORD", "contradiction", "disagree", "refusal", "spelling_variants"]

#: the one reason of ``disagree`` that is no contradiction: names that may still be synonyms
NO_SHARED_WORD = "no word in common"


def _opposite_table() -> dict[str, frozenset[str]]:
    """Each opposite word (as spelt here) and the words opposite it."""
    table: dict[str, set[str]] = {}
    for one, other in OPPOSITE_WORDS:
        one, other = canonical(one), canonical(other)
        table.setdefault(one, set()).add(other)
        table.setdefault(other, set()).add(one)
    return {word: frozenset(others) for word, others in table.items()}


_OPPOSITE_OF = _opposite_table()
#: a word two names of one thing may differ by -> the word it is taken for (refusal, disagree)
SYNONYMS = {canonical(other): canonical(word) for word, other, _ in ORGAN_ADJECTIVES + WORD_SYNONYMS}
_OPPOSITE_LETTERS = frozenset(frozenset(pair) for pair in OPPOSITE_LETTERS)


def refusal(one: str, other: str) -> str | None:
    """Why two names must not be proposed as the same thing by name, or None (see the module)."""
    return _judged(one, other, words=True)


def contradiction(one: str, other: str) -> str | None:
    """Why two names contradict each other: a negation, an opposite, or a number or letter that
    differs; None otherwise. The clear rules alone, for names that need not share their words
    (the labels of a pair that a synonym links: "Division of ..." and its short name)."""
    return _judged(one, other, words=False)


def _judged(one: str, other: str, words: bool) -> str | None:
    """The first rule two names break: the clear ones, then (``words``) any word that differs."""
    a, b = read(one), read(other)
    if a.folded == b.folded:
        return None
    if _other_scripts(a, b):
        return _markers_differ(a, b)
    only_a, only_b = _difference(a, b, synonyms=True)
    return (
        _negation(a, b, only_a, only_b)
        or _opposites(a, b, only_a, only_b)
        or _markers_differ(a, b)
        or (_words_differ(a, b, only_a, only_b) if words else None)
    )


def disagree(one: str, other: str) -> str | None:
    """Why the two labels of a pair linked by a shared code clearly disagree, or None.

    Clear disagreement is a negation, an opposite, a number or letter that differs, or no
    content word in common (generic words such as "malignant", "neoplasm", "syndrome" and
    stop words aside): "lymphoma" / "Malignant Lymphoma" agree, "lymphoma" / "astrocytoma" not.
    """
    reason = contradiction(one, other)
    if reason:
        return reason
    a, b = read(one), read(other)
    if a.folded == b.folded or _other_scripts(a, b):
        return None
    content_a, content_b = _content(a), _content(b)
    if not content_a or not content_b or _share_a_word(content_a, content_b):
        return None
    return _reason(NO_SHARED_WORD, one, other)


def spelling_variants(one: str, other: str) -> bool:
    """Whether two names differ only by spelling, plural, word order, punctuation, hyphens,
    spaces, case, width or stop words, so that a fuzzy proposal between them is safe."""
    a, b = read(one), read(other)
    if a.folded == b.folded:
        return True
    if _markers_differ(a, b):
        return False
    only_a, only_b = _difference(a, b, synonyms=False)
    return not only_a and not only_b


# --- comparing two readings -----------------------------------------------------------


def _other_scripts(a: Reading, b: Reading) -> bool:
    """Whether the names are written in different scripts (Korean and English): words incomparable."""
    return bool(a.scripts and b.scripts and not a.scripts & b.scripts)


def _minus(one: Mapping[str, int], other: Mapping[str, int]) -> Bag:
    return {w: n - other.get(w, 0) for w, n in one.items() if n > other.get(w, 0)}


def _difference(a: Reading, b: Reading, synonyms: bool) -> tuple[Bag, Bag]:
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


def _negation(a: Reading, b: Reading, only_a: Bag, only_b: Bag) -> str | None:
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


def _opposites(a: Reading, b: Reading, only_a: Bag, only_b: Bag) -> str | None:
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


def _markers_differ(a: Reading, b: Reading) -> str | None:
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


def _words_differ(a: Reading, b: Reading, only_a: Bag, only_b: Bag) -> str | None:
    if not only_a and not only_b:
        return None
    rule = "words differ" if only_a and only_b else "words only in one name"
    return _reason(rule, _shown(a, _ordered(a, only_a)), _shown(b, _ordered(b, only_b)))


def _content(reading: Reading) -> set[str]:
    """The words that say what a name is about; all its words if it has only generic ones."""
    words = {SYNONYMS.get(w, w) for w in reading.words}
    return (words - GENERIC_WORDS) or words


def _share_a_word(one: set[str], other: set[str]) -> bool:
    """Whether two sets of words share one; a Korean word inside a longer one counts
    (백혈병 in 급성백혈병), since Korean writes compounds with or without spaces."""
    if one & other:
        return True
    korean = [w for w in one if script(w) == "hangul"], [w for w in other if script(w) == "hangul"]
    return any(x in y or y in x for x in korean[0] for y in korean[1] if min(len(x), len(y)) >= 2)


# --- reasons ---------------------------------------------------------------------------


def _counts(markers: tuple[Marker, ...]) -> Bag:
    return counted(m.value for m in markers)


def _ordered(reading: Reading, words: Bag) -> list[str]:
    """Words of a difference in the order the name has them."""
    mapped = [SYNONYMS.get(w, w) for w in reading.words]
    seen = dict.fromkeys(w for w in mapped if w in words)
    return list(seen) + [w for w in words if w not in seen]


def _shown(reading: Reading, words: Iterable[str]) -> str:
    back = {SYNONYMS.get(w, w): w for w in reading.words}
    return " ".join(reading.shown.get(back.get(w, w), w) for w in words)


def _markers_shown(markers: tuple[Marker, ...], values: Bag) -> str:
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
