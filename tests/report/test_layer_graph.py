"""The layer graph picture: boxes per layer, arrows per direction, violations in red."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from prodready.report.layer_graph import layer_svg

SVG = "{http://www.w3.org/2000/svg}"
PROJECT: dict[str, object] = {
    "layers": {
        "transport": ["app.handlers.a", "app.handlers.b"],
        "application": ["app.services.x"],
        "infrastructure": ["app.db.repo"],
    },
    "layer_edges": [
        {"from": "transport", "to": "application", "imports": 3, "violation": False},
        {"from": "infrastructure", "to": "transport", "imports": 1, "violation": True},
        {"from": "domain", "to": "transport", "imports": 9, "violation": True},  # no such box
    ],
}


def test_one_box_per_layer_and_one_arrow_per_direction() -> None:
    svg = layer_svg(PROJECT)
    assert svg is not None
    root = ElementTree.fromstring(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"transport", "application", "infrastructure"} <= set(texts)
    assert "2 module(s)" in texts
    lines = list(root.iter(f"{SVG}line"))
    assert len(lines) == 2
    assert [line.get("stroke") for line in lines] == ["#607d8b", "#c62828"]
    assert {"3", "1"} <= set(texts)  # the count of each direction


def test_no_picture_without_two_layers_or_with_odd_data() -> None:
    assert layer_svg({}) is None
    assert layer_svg({"layers": {"transport": ["a"]}}) is None
    assert layer_svg({"layers": "nonsense", "layer_edges": 3}) is None
    odd = {"layers": {"transport": ["a"], "domain": ["b"]}, "layer_edges": [1, {"from": 2}]}
    svg = layer_svg(odd)
    assert svg is not None and "<line" not in svg
