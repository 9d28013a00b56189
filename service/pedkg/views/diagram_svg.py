"""The picture of how the division connects, drawn on the server as SVG from a ``diagram.Model``.

Two layouts from one model: ``wide`` (three columns, for screens) and ``narrow`` (one
column, for phones). Text widths are estimated (Hangul as one em, Latin by letter
class) to wrap labels; the estimate errs wide so that text stays inside its pill.
No fonts are fetched: the SVG names ``Noto Sans CJK KR`` and falls back to sans-serif.
Drawing is its own module because it is geometry and markup, nothing of the graph.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from .. import namespaces
from .diagram import Cluster, Model, Node

COLOURS: dict[str, tuple[str, str, str]] = {
    "group0": ("#fdecf3", "#b0306a", "#8c1f52"),
    "group1": ("#fdeceb", "#c0392b", "#8e1c16"),
    "group2": ("#f9ecfd", "#9c3fb0", "#6f2382"),
    "procedure": ("#fff4d6", "#b07a00", "#6e4b00"),
    "surgical": ("#e7f0fb", "#2f6db5", "#1f4f8a"),
    "diagnostic": ("#f1ebfa", "#7446b0", "#55308a"),
    "care": ("#e6f4ea", "#2e7d32", "#1e5b22"),
    "program": ("#fdf0e4", "#c06a1b", "#87450c"),
}
FONT = '"Noto Sans CJK KR", "Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic", system-ui, sans-serif'
Translate = Callable[..., str]
#: where a node links to: an href for its IRI, or None (then it is drawn without a link)
Href = Callable[[str], str | None]


def text_width(text: str, size: float) -> float:
    """An upper estimate of the drawn width of ``text`` at ``size`` px."""
    width = 0.0
    for char in text:
        if "\uac00" <= char <= "\ud7a3" or "\u3040" <= char <= "\u9fff":
            width += 1.0
        elif char == " ":
            width += 0.3
        elif char in "mwMW":
            width += 0.85
        elif char.isupper():
            width += 0.66
        elif char in "iljtf.,'’:;|!()-":
            width += 0.3
        else:
            width += 0.54
    return width * size


def wrap(text: str, size: float, width: float, most: int = 3) -> list[str]:
    """Words into at most ``most`` lines that fit ``width``; a word never breaks."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(lines[-1] + " " + word, size) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > most:
        lines = [*lines[: most - 1], " ".join(lines[most - 1 :])]
    return lines or [text]


@dataclass
class Geometry:
    """One layout's measures: canvas width, pill font and columns."""

    width: int
    font: float
    columns: int = 2
    pad: int = 12
    gap: int = 8
    title_height: int = 40
    line: float = 0.0

    def __post_init__(self) -> None:
        self.line = round(self.font * 1.3, 1)


class Canvas:
    """SVG elements as text, in drawing order."""

    def __init__(self, href: Href = namespaces.href) -> None:
        self.parts: list[str] = []
        self.href = href  # where a node links to (the web's own pages keep the reader's ?lang=)
        self._closing: list[str] = []  # the end tags of the links opened and not yet closed

    def link(self, node: Node, kind: str) -> None:
        """Open a node's link (its page, keeping ?lang=); a node that may not be linked gets a group."""
        target = self.href(node.iri)
        if target is None:
            self.add(f"<g class={quoteattr(kind)}>")
            self._closing.append("</g>")
            return
        self.add(f"<a href={quoteattr(target)} class={quoteattr(kind)}>")
        self._closing.append("</a>")

    def end_link(self) -> None:
        self.add(self._closing.pop())

    def add(self, element: str) -> None:
        self.parts.append(element)

    def text(self, x: float, y: float, lines: list[str], lang: str, size: float, **attrs: str) -> None:
        extra = "".join(f" {name.replace('_', '-')}={quoteattr(value)}" for name, value in attrs.items())
        first = y - (len(lines) - 1) * size * 0.65
        spans = "".join(
            f'<tspan x="{x:g}" y="{first + i * size * 1.3:.1f}">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        self.add(f'<text lang="{lang}" font-size="{size:g}"{extra}>{spans}</text>')


def _pill(
    canvas: Canvas, node: Node, lang: str, box: tuple[float, float, float, float], key: str, size: float
) -> None:
    x, y, w, h = box
    fill, stroke, _ = COLOURS[key]
    label = node.label(lang)
    text, text_lang = label.value, label.lang
    lines = wrap(text, size, w - 16)
    canvas.link(node, "node")
    canvas.add(f"<title>{escape(text)}</title>")
    canvas.add(
        f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="{min(h / 2, 17):g}" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
    )
    canvas.text(
        x + w / 2, y + h / 2 + size * 0.35, lines, text_lang, size, text_anchor="middle", fill="#1d2630"
    )
    canvas.end_link()


def _cluster_size(cluster: Cluster, g: Geometry, width: float, lang: str) -> tuple[float, float, int]:
    """(height of the box, height of one pill, columns) for a box ``width`` wide."""
    columns = min(g.columns, len(cluster.nodes)) or 1
    pill_w = (width - 2 * g.pad - (columns - 1) * g.gap) / columns
    most_lines = max((len(wrap(n.label(lang).value, g.font, pill_w - 16)) for n in cluster.nodes), default=1)
    pill_h = round(g.font * 1.3 * most_lines + 16)
    rows = -(-len(cluster.nodes) // columns)
    return g.title_height + rows * pill_h + (rows - 1) * g.gap + g.pad, pill_h, columns


def _draw_cluster(
    canvas: Canvas, cluster: Cluster, lang: str, t: Translate, g: Geometry, x: float, y: float, width: float
) -> float:
    """Draw a box at (x, y); returns its height."""
    height, pill_h, columns = _cluster_size(cluster, g, width, lang)
    _, stroke, ink = COLOURS[cluster.key]
    canvas.add(
        f'<rect x="{x:g}" y="{y:g}" width="{width:g}" height="{height:g}" rx="12" fill="#ffffff" '
        f'stroke="{stroke}" stroke-opacity="0.45" stroke-width="1.5"/>'
    )
    canvas.add(f'<rect x="{x:g}" y="{y:g}" width="6" height="{height:g}" rx="3" fill="{stroke}"/>')
    if cluster.plural:
        title, title_lang = t(cluster.plural), lang
    else:
        named = cluster.title.label(lang)
        title, title_lang = named.value, named.lang
    count = f" ({len(cluster.nodes)})" if len(cluster.nodes) > 1 else ""
    canvas.link(cluster.title, "cluster-title")
    canvas.text(x + g.pad + 4, y + 26, [title + count], title_lang, g.font + 1, fill=ink, font_weight="700")
    canvas.end_link()
    pill_w = (width - 2 * g.pad - (columns - 1) * g.gap) / columns
    for index, node in enumerate(cluster.nodes):
        row, column = divmod(index, columns)
        box = (
            x + g.pad + column * (pill_w + g.gap),
            y + g.title_height + row * (pill_h + g.gap),
            pill_w,
            pill_h,
        )
        _pill(canvas, node, lang, box, cluster.key, g.font)
    return height


def _division(
    canvas: Canvas, node: Node, lang: str, t: Translate, box: tuple[float, float, float, float]
) -> None:
    x, y, w, h = box
    label = node.label(lang)
    text, text_lang = label.value, label.lang
    lines = wrap(text, 20, w - 28, most=2)
    canvas.link(node, "node division")
    canvas.add(f"<title>{escape(text)}</title>")
    canvas.add(
        f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="18" '
        'fill="#0b6e79" stroke="#08525a" stroke-width="2"/>'
    )
    canvas.text(
        x + w / 2,
        y + h / 2 + 2,
        lines,
        text_lang,
        20,
        text_anchor="middle",
        fill="#ffffff",
        font_weight="700",
    )
    canvas.text(
        x + w / 2, y + h - 12, [t("diagram_division")], lang, 12, text_anchor="middle", fill="#d5eef0"
    )
    canvas.end_link()


def _curve(
    canvas: Canvas, start: tuple[float, float], end: tuple[float, float], key: str, label: str, lang: str
) -> None:
    (x1, y1), (x2, y2) = start, end
    stroke = COLOURS[key][1]
    if abs(x2 - x1) > abs(y2 - y1):
        mx = (x1 + x2) / 2
        path = f"M{x1:g},{y1:g} C{mx:g},{y1:g} {mx:g},{y2:g} {x2:g},{y2:g}"
    else:
        my = (y1 + y2) / 2
        path = f"M{x1:g},{y1:g} C{x1:g},{my:g} {x2:g},{my:g} {x2:g},{y2:g}"
    canvas.add(f'<path d="{path}" fill="none" stroke="{stroke}" stroke-width="2.5" stroke-linecap="round"/>')
    canvas.add(f'<circle cx="{x2:g}" cy="{y2:g}" r="4" fill="{stroke}"/>')
    canvas.text(
        (x1 + x2) / 2, (y1 + y2) / 2 - 4, [label], lang, 12, text_anchor="middle", fill=COLOURS[key][2],
        font_style="italic", stroke="#f4f7f9", stroke_width="4", paint_order="stroke",
    )  # fmt: skip


def _frame(
    canvas: Canvas, width: float, height: float, ident: str, lang: str, t: Translate, model: Model
) -> str:
    title = t("diagram_title", division=model.division.label(lang).value)
    desc = t("diagram_desc")
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
        'class="division-diagram" '
        f'role="group" aria-labelledby="{ident}-title" aria-describedby="{ident}-desc" lang="{lang}" '
        f"font-family={quoteattr(FONT)}>"
        f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(desc)}</desc>'
    )
    return head + "".join(canvas.parts) + "</svg>"


def render(model: Model, lang: str, t: Translate, layout: str = "wide", href: Href = namespaces.href) -> str:
    """The picture as an SVG document (also valid inline in HTML); ``href`` gives each node's link."""
    canvas = Canvas(href)
    return _narrow(canvas, model, lang, t) if layout == "narrow" else _wide(canvas, model, lang, t)


def _wide(canvas: Canvas, model: Model, lang: str, t: Translate) -> str:
    g = Geometry(1200, 14)
    margin, col_w, centre_w = 16, 380, 270
    left = [c for c in model.clusters if c.key.startswith("group")]
    middle = [c for c in model.clusters if c.key in ("procedure", "care")]
    right = [c for c in model.clusters if c.key in ("surgical", "diagnostic", "program")]
    heights = {
        id(c): _cluster_size(c, g, col_w if c not in middle else centre_w, lang)[0] for c in model.clusters
    }
    gap = 22

    def column_height(column: list[Cluster]) -> float:
        return sum(heights[id(c)] for c in column) + gap * max(len(column) - 1, 0)

    division_h = 104
    centre_h = column_height(middle) + division_h + 2 * 56
    height = max(column_height(left), column_height(right), centre_h) + 2 * margin
    cx = g.width / 2
    division_box = (cx - centre_w / 2, height / 2 - division_h / 2, centre_w, division_h)
    links: list[tuple[Cluster, tuple[float, float], tuple[float, float]]] = []
    for column, x in ((left, margin), (right, g.width - margin - col_w)):
        y = (height - column_height(column)) / 2
        for cluster in column:
            _draw_cluster(canvas, cluster, lang, t, g, x, y, col_w)
            anchor_y = y + min(heights[id(cluster)] / 2, 60)
            side_x = division_box[0] if x < cx else division_box[0] + centre_w
            reach = division_h / 2 - 18  # curves leave from the division's side, spread a little
            spread = max(-reach, min(reach, (anchor_y - height / 2) * 0.25))
            start = (side_x, division_box[1] + division_h / 2 + spread)
            links.append((cluster, start, (x + col_w if x < cx else x, anchor_y)))
            y += heights[id(cluster)] + gap
    above = [c for c in middle if c.key == "procedure"]
    below = [c for c in middle if c.key != "procedure"]
    y = division_box[1] - 56
    for cluster in reversed(above):
        y -= heights[id(cluster)]
        _draw_cluster(canvas, cluster, lang, t, g, cx - centre_w / 2, y, centre_w)
        links.append((cluster, (cx, division_box[1]), (cx, y + heights[id(cluster)])))
        y -= gap
    y = division_box[1] + division_h + 56
    for cluster in below:
        _draw_cluster(canvas, cluster, lang, t, g, cx - centre_w / 2, y, centre_w)
        links.append((cluster, (cx, division_box[1] + division_h), (cx, y)))
        y += heights[id(cluster)] + gap
    for cluster, start, end in links:
        _curve(canvas, start, end, cluster.key, t(cluster.relation), lang)
    _division(canvas, model.division, lang, t, division_box)
    return _frame(canvas, g.width, height, "diagram-wide", lang, t, model)


def _narrow(canvas: Canvas, model: Model, lang: str, t: Translate) -> str:
    g = Geometry(400, 15, title_height=42)
    margin, spine, indent = 10, 22, 38
    width = g.width - indent - margin
    division_h = 96
    y: float = margin + division_h + 30
    branches: list[tuple[Cluster, float]] = []
    for cluster in model.clusters:
        height = _draw_cluster(canvas, cluster, lang, t, g, indent, y, width)
        branches.append((cluster, y + 22))
        _, _, ink = COLOURS[cluster.key]
        canvas.text(
            g.width - margin - 12, y + 25, [t(cluster.relation)], lang, 12, text_anchor="end", fill=ink,
            font_style="italic",
        )  # fmt: skip
        y += height + 18
    last = branches[-1][1] if branches else margin + division_h
    canvas.add(
        f'<path d="M{spine},{margin + division_h} L{spine},{last}" '
        'stroke="#8fa3b0" stroke-width="2.5" fill="none"/>'
    )
    for cluster, at in branches:
        stroke = COLOURS[cluster.key][1]
        canvas.add(f'<path d="M{spine},{at:g} L{indent},{at:g}" stroke="{stroke}" stroke-width="2.5"/>')
        canvas.add(f'<circle cx="{spine}" cy="{at:g}" r="4" fill="{stroke}"/>')
    _division(canvas, model.division, lang, t, (margin, margin, g.width - 2 * margin, division_h))
    return _frame(canvas, g.width, y - 18 + margin, "diagram-narrow", lang, t, model)
