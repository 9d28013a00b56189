"""The HTML of one value on an entity page, written in Python rather than as Jinja macros.

An entity page shows every value of every group, each one a link with its label, a link to
the IRI itself, its CURIE and its graphs. As macros (``node`` calling ``link_or_text`` with a
``caller``, ``text``, ``at_source``, ``graphs``) that was some 160 macro calls a page, the
largest part of rendering it (issue 13's entity-page profile). These functions write the
same markup, byte for byte, as those macros did: ``link_or_text`` and ``at_source`` are the
twins of ``templates/_links.html``'s, whose rules they follow (a link only where the page
helpers give one, ``web/urls.py``). ``entity.html`` gets one ``EntityHtml`` per page.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from ..labels import Text
from ..views.entity import Node, curie
from .chrome import translate
from .urls import iri_href, source_href


def language_name(lang: str, tag: str) -> str:
    """What the fallback mark calls a literal's language ``tag``, in the reader's language ``lang``."""
    key = {"en": "entity_fallback", "ko": "entity_fallback_ko"}.get(tag, "entity_fallback_none")
    return translate(lang, key)


class EntityHtml:
    """The fragments of one page, in the reader's language ``lang`` (its words: web/chrome.py)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._at_source_words = escape(translate(lang, "entity_at_source"))

    def t(self, key: str, **values: object) -> str:
        return translate(self.lang, key, **values)

    def language_name(self, tag: str) -> str:
        return language_name(self.lang, tag)

    def text(self, value: Text) -> Markup:
        """A label or literal in its language, marked when it is not in the reader's."""
        html = f'<span lang="{escape(value.lang)}">{escape(value.value)}</span>'
        if value.fallback:
            language = self.language_name(value.lang)
            title = self.t("entity_fallback_title", language=language)
            html += f' <small class="fallback" title="{escape(title)}">({escape(language)})</small>'
        return Markup(html)

    def node(self, n: Node) -> Markup:
        """A value: an IRI as a link (or text) with its label, the link to it and its CURIE; a literal
        with its type."""
        if not n.iri:
            html = self.text(n.label)
            if n.datatype:
                html += Markup(f' <span class="datatype">{escape(curie(n.datatype))}</span>')
            return html
        html = link_or_text(iri_href(n.iri, n.known), self.text(n.label), title=n.iri)
        html += self.at_source(source_href(n.iri, n.known), n.iri)
        shown = n.curie
        if n.label.value != shown:
            html += Markup(f' <code class="curie">{escape(shown)}</code>')
        return html

    def graphs(self, n: Node) -> Markup:
        """The named graphs a value's statement is in."""
        if not n.graphs:
            return Markup("")
        words = escape(self.t("entity_from_graph"))
        names = escape(", ".join(n.graph_names))
        return Markup(f' <small class="graph"><span class="visually-hidden">{words} </span>{names}</small>')

    def at_source(self, href: str | None, title: str | None = None) -> Markup:
        """``_links.html``'s ``at_source``: the small link to the IRI itself beside its page's link."""
        if not href:
            return Markup("")
        titled = f' title="{escape(title)}"' if title else ""
        return Markup(
            f' <a href="{escape(href)}" class="at-source"{titled}><span aria-hidden="true">↗</span>'
            f'<span class="visually-hidden">{self._at_source_words}</span></a>'
        )


def link_or_text(
    href: str | None,
    content: Markup,
    title: str | None = None,
    kind: str | None = None,
    lang: str | None = None,
) -> Markup:
    """``_links.html``'s ``link_or_text``: ``content`` as a link to ``href``, else as text."""
    rest = (f' title="{escape(title)}"' if title else "") + (f' lang="{escape(lang)}"' if lang else "")
    kind_class = f' class="{escape(kind)}"' if kind else ""
    if href:
        return Markup(f'<a{kind_class} href="{escape(href)}"{rest}>{content}</a>')
    return Markup(f"<span{kind_class}{rest}>{content}</span>")
