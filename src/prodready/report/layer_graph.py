"""The layer graph as SVG: one box per layer (with its module count), one arrow per direction
of imports between layers (with their count), arrows against the layers' direction in red.

Reads only the plain project data of the report (`layers`, `layer_edges`); anything missing
or malformed gives no picture, never an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from prodready.domain.result import ReviewResult
from prodready.report.options import RenderOptions

# transport on top, application and infrastructure side by side, the domain at the bottom:
# no arrow between two boxes crosses a third
_PLACES: Mapping[str, tuple[int, int]] = {
    "transport": (210, 20),
    "application": (40, 150),
    "infrastructure": (380, 150),
    "domain": (210, 280),
}
_BOX_WIDTH, _BOX_HEIGHT = 180, 56
_WIDTH, _HEIGHT = 600, 380
_RED, _GREY = "#c62828", "#607d8b"
_LABEL_AT = 0.3  # labels sit nearer the importing box: crossing arrows keep theirs apart


@dataclass(frozen=True, slots=True)
class _Edge:
    source: str
    target: str
    imports: int
    violation: bool


def _edges(data: object) -> list[_Edge]:
    found: list[_Edge] = []
    for item in data if isinstance(data, Sequence) and not isinstance(data, str) else ():
        if not isinstance(item, Mapping):
            continue
        source, target, count = item.get("from"), item.get("to"), item.get("imports")
        if source in _PLACES and target in _PLACES and isinstance(count, int):
            found.append(_Edge(str(source), str(target), count, item.get("violation") is True))
    return found


def _center(layer: str) -> tuple[float, float]:
    x, y = _PLACES[layer]
    return x + _BOX_WIDTH / 2, y + _BOX_HEIGHT / 2


def _box(layer: str, modules: int) -> str:
    x, y = _PLACES[layer]
    return (
        f'<rect x="{x}" y="{y}" width="{_BOX_WIDTH}" height="{_BOX_HEIGHT}" rx="8" '
        'fill="#eceff1" stroke="#37474f"/>'
        f'<text x="{x + _BOX_WIDTH / 2}" y="{y + 24}" text-anchor="middle" '
        f'font-weight="bold">{escape(layer)}</text>'
        f'<text x="{x + _BOX_WIDTH / 2}" y="{y + 44}" text-anchor="middle" '
        f'font-size="12">{modules} module(s)</text>'
    )


def _border(inside: tuple[float, float], outside: tuple[float, float]) -> tuple[float, float]:
    """Where the line from a box's center `inside` towards `outside` leaves the box."""
    dx, dy = outside[0] - inside[0], outside[1] - inside[1]
    scale = min(
        (_BOX_WIDTH / 2) / abs(dx) if dx else float("inf"),
        (_BOX_HEIGHT / 2) / abs(dy) if dy else float("inf"),
    )
    return inside[0] + dx * scale, inside[1] + dy * scale


def _arrow(edge: _Edge, offset: float) -> str:
    (cx1, cy1), (cx2, cy2) = _center(edge.source), _center(edge.target)
    # two opposite edges between the same boxes are drawn side by side
    start, end = (cx1 + offset, cy1 + offset), (cx2 + offset, cy2 + offset)
    (x1, y1), (x2, y2) = _border(start, end), _border(end, start)
    color = _RED if edge.violation else _GREY
    marker = "against" if edge.violation else "along"
    label = str(edge.imports)
    return (
        f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="{color}" '
        f'stroke-width="2" marker-end="url(#{marker})"/>'
        f'<text x="{x1 + (x2 - x1) * _LABEL_AT + 6:.0f}" y="{y1 + (y2 - y1) * _LABEL_AT:.0f}" '
        f'font-size="12" font-weight="bold" fill="{color}">{escape(label)}</text>'
    )


def _offset(edge: _Edge, pairs: set[tuple[str, str]]) -> float:
    if (edge.target, edge.source) not in pairs:
        return 0.0
    return 8.0 if edge.source < edge.target else -8.0


def _marker(name: str, color: str) -> str:
    return (
        f'<marker id="{name}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>'
    )


def layer_svg(project: Mapping[str, object]) -> str | None:
    """The SVG picture of the layers, or None when fewer than two layers were told apart."""
    layers = project.get("layers")
    if not isinstance(layers, Mapping):
        return None
    counts = {
        str(name): len(modules)
        for name, modules in layers.items()
        if name in _PLACES and isinstance(modules, Sequence) and not isinstance(modules, str)
    }
    if len(counts) < 2:
        return None
    edges = [e for e in _edges(project.get("layer_edges")) if e.source in counts]
    edges = [e for e in edges if e.target in counts]
    pairs = {(e.source, e.target) for e in edges}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{_HEIGHT}" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}" font-family="sans-serif" role="img" '
        'aria-label="Layers of the project and the imports between them">',
        f"<defs>{_marker('along', _GREY)}{_marker('against', _RED)}</defs>",
        *(_arrow(e, _offset(e, pairs)) for e in edges),
        *(_box(layer, modules) for layer, modules in counts.items()),
        f'<text x="10" y="{_HEIGHT - 8}" font-size="11" fill="{_GREY}">arrows: imports between '
        "layers, with their count; </text>"
        f'<text x="300" y="{_HEIGHT - 8}" font-size="11" fill="{_RED}">red: against the '
        "direction of the layers (ARC001)</text>",
        "</svg>",
    ]
    return "".join(parts)


_NO_LAYERS = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="40" font-family="sans-serif">'
    '<text x="10" y="25">Fewer than two layers were told apart: nothing to draw.</text></svg>'
)


def render_layer_svg(result: ReviewResult, options: RenderOptions) -> str:
    """`-o layers.svg`: the picture alone (a one-line picture when there is nothing to draw)."""
    del options  # a picture has no colour or verbosity settings
    return (layer_svg(result.project) or _NO_LAYERS) + "\n"
