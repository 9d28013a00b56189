"""ICD-10-CM, the US clinical modification, checked against the code list ``simple-icd-10-cm`` ships.

US hospitals code their diagnoses in ICD-10-CM, not in WHO ICD-10: the two share most
three-character categories but differ in subcategories and titles ("Anemia, unspecified"
against WHO's "Anaemia, unspecified"), so a row naming one is never checked against the other.
"""

from __future__ import annotations

#: the release the package reads by default; rows name it in object_source_version.
RELEASE = "ICD-10-CM April 1, 2026"


def icd10cm_title(code: str) -> str | None:
    """The ICD-10-CM title of a code, chapter or block, or None if it does not exist."""
    import simple_icd_10_cm as icd10cm  # parses a 10 MB XML file on import: only when a code is checked

    return icd10cm.get_description(code) if icd10cm.is_valid_item(code) else None


def icd10cm_problem(code: str, label: str) -> str | None:
    """Why the row naming ``icd10cm:code`` with ``label`` is wrong, or None when it is right."""
    title = icd10cm_title(code)
    if title is None:
        return f"icd10cm:{code} is not an ICD-10-CM code (simple-icd-10-cm, {RELEASE})"
    if title != label:
        return f"icd10cm:{code} is titled {title!r} in ICD-10-CM, not {label!r}"
    return None
