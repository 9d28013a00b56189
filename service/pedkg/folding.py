"""Name folding: the one form names are compared in, by search and by ``pedkg link``.

A leaf module, so that views (search) and mapping (proposals) fold names alike without
either importing the other. ``fold`` does:

- Unicode NFKC, then ``casefold`` (Latin case, ligatures, full-width forms);
- NFKD, so a Hangul syllable becomes its jamo and a compatibility jamo typed alone
  (ㅁ) becomes the same leading consonant: "신경ㅁ" and "신경모" are prefixes of 신경모세포종;
- a final consonant is written as the leading consonant it is typed as, and a compound
  vowel as its two vowels, because an input method shows "신경못" on the way to
  "신경모세": both stay prefixes;
- spaces, dashes, apostrophes and combining marks are dropped: "Wilms' tumor",
  "wilms tumor", "윌름스 종양" and "윌름스종양" fold alike.

A query of leading consonants only ("ㅅㄱㅁ") is matched against the initials of the
labels' syllables (초성 search, ``initials``). Python's ``unicodedata`` does all of it; the
Hangul packages on PyPI (jamo, hgtk, hangulpy) wrap the same Unicode arithmetic.
"""

from __future__ import annotations

import unicodedata

_DROPPED = frozenset("'`´‘’‚‛′ʹʻʼʽ\u02bc")
_CHOSEONG = range(0x1100, 0x1113)
_VOWEL_PAIRS = {"ᅪ": "ᅩᅡ", "ᅫ": "ᅩᅢ", "ᅬ": "ᅩᅵ", "ᅯ": "ᅮᅥ", "ᅰ": "ᅮᅦ", "ᅱ": "ᅮᅵ", "ᅴ": "ᅳᅵ"}


def _jamo_table() -> dict[str, str]:
    """Final consonants (and compound vowels) as the letters typed for them."""
    table = dict(_VOWEL_PAIRS)
    for code in range(0x11A8, 0x11C3):
        name = unicodedata.name(chr(code)).removeprefix("HANGUL JONGSEONG ")
        try:
            table[chr(code)] = "".join(unicodedata.lookup("HANGUL CHOSEONG " + p) for p in name.split("-"))
        except KeyError:  # pragma: no cover - every modern final has its initials
            continue
    return table


_JAMO = _jamo_table()


def fold(text: str) -> str:
    """The form both keys and queries are compared in (see the module docstring)."""
    if text.isascii():  # the same result, without the per-character loop
        return text.lower().translate(_ASCII_DROPPED)
    return _fold_unicode(text)


def _fold_unicode(text: str) -> str:
    """``fold`` of any text. On ASCII the normal forms change nothing and casefold is lower."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    out: list[str] = []
    for char in decomposed:
        if char in _DROPPED or char.isspace() or unicodedata.category(char) in ("Mn", "Pd"):
            continue
        out.append(_JAMO.get(char, char))
    return "".join(out)


def initials(text: str) -> str:
    """The leading consonants of a text's Hangul syllables (초성), for 초성 queries."""
    if text.isascii():
        return ""
    letters = []
    for char in unicodedata.normalize("NFKC", text):
        if "가" <= char <= "힣":
            letters.append(unicodedata.normalize("NFD", char)[0])
    return "".join(letters)


#: the ASCII characters folding drops (spaces, controls that are spaces, dash, apostrophes)
_ASCII_DROPPED = str.maketrans("", "", "".join(c for c in map(chr, range(128)) if not _fold_unicode(c)))


def is_initials_query(folded: str) -> bool:
    """Whether a folded query is leading consonants only (two or more): a 초성 query."""
    return len(folded) >= 2 and all(ord(c) in _CHOSEONG for c in folded)
