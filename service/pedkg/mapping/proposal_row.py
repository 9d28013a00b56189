"""The SSSOM row of a proposal, with what a reviewer needs to judge it.

The strongest kind of evidence (a shared code, then equal names, then similar names)
names the predicate and the justification; the rest is summed up in ``comment``. The row
says what the object sits under (``comment``: "object parent: ...", by the label rule), so
a "Malignant lymphoma" filed under brain tumours shows as such; where the object is, the
target graph, is the set's ``object_source``, which SSSOM propagates to every row (a copy
on each row as well makes sssom-py warn). Warnings come first in ``comment``:

- "names disagree": the pair shares a code but its names disagree (``refusals.disagreement``).
  The row is kept. Names that contradict each other (a negation, an opposite, a number or
  letter: "B-" / "T-lymphoblastic") make it a ``skos:closeMatch`` of at most
  ``DISAGREEMENT_SCORE``, because one of the two codes is likely wrong; names that merely
  share no word (osteosarcoma / osteogenic sarcoma, neurilemmoma / schwannoma) are often
  true synonyms, so the code's predicate and score stand and the warning asks for a look;
- "N targets proposed for this subject": one subject matches several objects, so at most
  one of them is likely the same thing. ``mapping_cardinality`` says the same for both
  ends (``1:n``, ``n:1``, ``n:n``).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter
from collections.abc import Iterable

from .. import __version__
from . import false_friends, similarity, sssom_tsv
from .candidates import Entity
from .evidence import SKOS, Evidence

DISAGREEMENT_SCORE = 0.6
_RANK = {"code": 0, "label": 1, "similar": 2}


def row(
    subject: Entity, obj: Entity, evidences: list[Evidence], author: str, disagreement: str | None
) -> sssom_tsv.Mapping:
    """One proposal from every piece of evidence for a pair: the strongest kind decides."""
    evidences = sorted(set(evidences), key=lambda e: (_RANK[e.kind], -e.confidence, e.match))
    best = evidences[0]
    chosen = [e for e in evidences if e.kind == best.kind]
    others = [e for e in evidences if e.kind != best.kind]
    predicate, confidence = best.predicate, best.confidence
    notes = []
    if disagreement is not None:
        notes.append(f"warning: names disagree: {disagreement}")
        if not disagreement.startswith(false_friends.NO_SHARED_WORD):
            predicate, confidence = SKOS + "closeMatch", min(confidence, DISAGREEMENT_SCORE)
    if obj.parents:
        notes.append("object parent: " + " | ".join(sorted(set(obj.parents))))
    if others:
        notes.append("also: " + ", ".join(_describe(e) for e in others))
    return sssom_tsv.Mapping(
        subject_id=subject.iri,
        predicate_id=predicate,
        object_id=obj.iri,
        mapping_justification=best.justification,
        subject_label=subject.label(),
        object_label=obj.label(),
        confidence=confidence,
        author_id=(author,),
        mapping_tool="pedkg link",
        mapping_tool_version=__version__,
        mapping_date=datetime.datetime.now(datetime.UTC).date().isoformat(),
        subject_match_field=_unique(e.subject_field for e in chosen),
        object_match_field=_unique(e.object_field for e in chosen),
        match_string=_unique(e.match for e in chosen),
        similarity_score=best.similarity,
        similarity_measure=similarity.MEASURE if best.similarity is not None else "",
        comment="; ".join(notes),
    )


def with_cardinality(mappings: list[sssom_tsv.Mapping]) -> list[sssom_tsv.Mapping]:
    """The rows with ``mapping_cardinality``, and a warning on each row of a subject with several."""
    per_subject = Counter(m.subject_id for m in mappings)
    per_object = Counter(m.object_id for m in mappings)
    done = []
    for m in mappings:
        many, shared = per_subject[m.subject_id], per_object[m.object_id]
        cardinality = f"{'n' if shared > 1 else '1'}:{'n' if many > 1 else '1'}"
        comment = m.comment
        if many > 1:
            warning = f"warning: {many} targets proposed for this subject"
            comment = f"{warning}; {comment}" if comment else warning
        done.append(dataclasses.replace(m, mapping_cardinality=cardinality, comment=comment))
    return done


def _describe(evidence: Evidence) -> str:
    what = {"code": "shared code", "label": "equal names", "similar": "similar names"}[evidence.kind]
    return f"{what} {evidence.match!r} ({evidence.confidence:.2f})"


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({v for v in values if v}))
