"""The ASCII shortcut of ``fold`` gives what the full Unicode folding gives."""

from __future__ import annotations

import random

from pedkg.folding import _fold_unicode, fold, initials


def test_every_ascii_character_folds_alike() -> None:
    for code in range(128):
        assert fold(chr(code)) == _fold_unicode(chr(code))


def test_ascii_texts_fold_alike_and_have_no_initials() -> None:
    chars = [chr(c) for c in range(128)]
    rng = random.Random(13)
    for _ in range(2000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 16)))
        assert fold(text) == _fold_unicode(text)
        assert initials(text) == ""
    assert fold("Wilms' Tumor-2 (ICD:C64)") == "wilmstumor2(icd:c64)"
