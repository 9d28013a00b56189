"""The web layer's one message catalogue: both languages for every key, and no key missing.

Templates and views ask for words by key (``t('key')`` in templates, ``t("key")`` or
``chrome.translate(lang, "key")`` in Python); some keys are built from a prefix and a
value of the code's own tables (``t('onto_' + tm.kind)``, ``f"void_dump_{fmt.suffix}"``).
These tests read the templates and sources for literal keys and prefixes, and expand the
tables, so a key the catalogue lacks fails here rather than as a KeyError on some page.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

from flask import Flask

import pedkg
from pedkg.store import search_index as search_fields
from pedkg.views import diagram
from pedkg.views import search as search_index
from pedkg.web import chrome, dataset, entities, home, mappings, ontology
from pedkg.web.messages import WORDS

PACKAGE = Path(pedkg.__file__).parent
TEMPLATES = PACKAGE / "web" / "templates"
#: where Python asks for words: the web views and the pictures they draw
SOURCES = [*sorted((PACKAGE / "web").glob("*.py")), *sorted((PACKAGE / "views").glob("*.py"))]

#: ``t('key')`` / ``t("key", n=...)`` in a template, and ``t('prefix' + x)`` / ``t('prefix' ~ x)``
TEMPLATE_KEY = re.compile(r"""\bt\(\s*(['"])([^'"]+)\1\s*[,)]""")
TEMPLATE_PREFIX = re.compile(r"""\bt\(\s*(['"])([^'"]+)\1\s*[+~]""")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def asked_in_python() -> tuple[set[str], set[str]]:
    """Literal keys and f-string prefixes given to ``t(...)`` or ``translate(lang, ...)``."""
    keys: set[str] = set()
    prefixes: set[str] = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            position = {"t": 0, "translate": 1}.get(name)
            if position is None or len(node.args) <= position:
                continue
            arg = node.args[position]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                keys.add(arg.value)
            elif isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
                prefixes.add(str(arg.values[0].value))
    return keys, prefixes


def test_every_key_has_an_english_and_a_korean_text():
    for key, words in WORDS.items():
        assert set(words) == {"en", "ko"}, key
        assert words["en"].strip() and words["ko"].strip(), key
        assert placeholders(words["en"]) == placeholders(words["ko"]), key


def test_templates_use_only_keys_the_catalogue_has():
    used: set[str] = set()
    prefixes: set[str] = set()
    for template in sorted(TEMPLATES.glob("*.html")):
        text = template.read_text(encoding="utf-8")
        used |= {m.group(2) for m in TEMPLATE_KEY.finditer(text)}
        prefixes |= {m.group(2) for m in TEMPLATE_PREFIX.finditer(text)}
    assert len(used) > 100  # the scan finds the templates' words
    assert sorted(used - WORDS.keys()) == []
    # a new built key needs its table in test_keys_built_from_the_code_s_tables_are_in_the_catalogue
    assert prefixes == {"onto_", "search_", "search_field_", "search_lang_", "mappings_"}
    assert sorted(p for p in prefixes if not any(k.startswith(p) for k in WORDS)) == []


def test_views_use_only_keys_the_catalogue_has():
    keys, prefixes = asked_in_python()
    assert {"void_intro", "diagram_title", "diagram_division"} <= keys  # the scan finds them
    assert sorted(keys - WORDS.keys()) == []
    assert prefixes == {"void_dump_"}  # expanded in the next test


def test_keys_built_from_the_code_s_tables_are_in_the_catalogue():
    built = {
        *(key for _, key in home.COUNTED),
        *(relation for _, relation in diagram.KINDS.values()),
        *(f"diagram_{kind}" for kind in diagram.KINDS),
        "diagram_treats",
        *(f"onto_{kind}" for kind in ontology.KINDS.values()),
        *(f"search_{match}" for match in search_index.MATCHES),
        *(f"search_field_{field}" for field in search_fields.FIELD_RANK),
        *(f"search_lang_{lang}" for lang in chrome.LANGUAGES),
        *(f"mappings_{name}" for name in mappings.FILTERS),
        *(f"void_dump_{fmt.suffix}" for fmt in dataset.DUMPS.values()),
    }
    assert sorted(built - WORDS.keys()) == []


def test_the_fallback_mark_names_every_language_in_both_languages():
    app = Flask(__name__)
    for lang in ("en", "ko"):
        with app.test_request_context(f"/?lang={lang}"):
            names = {tag: entities.language_name(tag) for tag in ("en", "ko", "fr")}
        assert len(set(names.values())) == 3, names
