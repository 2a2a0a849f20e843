"""The review's SVG charts are well-formed, accessible and escape what users typed."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from review import charts

SVG = "{http://www.w3.org/2000/svg}"
OUTCOMES = dict.fromkeys(
    ["submitted", "triaged", "accepted", "in_progress", "delivered", "declined", "deferred",
     "duplicate", "withdrawn"],
    0,
)  # fmt: skip


def parse(svg) -> ET.Element:
    root = ET.fromstring(str(svg))
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}desc").get("id") == desc_id
    return root


def test_outcome_bars_draw_one_segment_per_outcome_present_and_escape_names():
    domains = [
        {"name": "<Payments & co>", "outcomes": {**OUTCOMES, "delivered": 2, "accepted": 1}},
        {"name": "Search", "outcomes": {**OUTCOMES, "declined": 3}},
    ]
    root = parse(charts.outcome_bars(domains))
    marks = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert [r.find(f"{SVG}title").text for r in marks] == [
        "<Payments & co>: delivered 2",
        "<Payments & co>: accepted or in progress 1",
        "Search: declined 3",
    ]
    # Bars are scaled to the biggest total: 3 and 3 → the same length.
    widths = [float(r.get("width")) for r in marks]
    assert abs(widths[0] + widths[1] - widths[2]) < 0.2


def test_early_late_bar_splits_by_share():
    root = parse(charts.early_late_bar(3, 1))
    early, late = (
        r
        for r in root.iter(f"{SVG}rect")
        if r.get("class") in ("s-early", "s-late") and r.find(f"{SVG}title") is not None
    )
    assert float(early.get("width")) == 3 * float(late.get("width"))
    assert "3 filed early and 1 filed late" in root.find(f"{SVG}desc").text


def test_an_empty_cycle_draws_empty_charts_that_say_so():
    assert "No requests filed" in str(charts.early_late_bar(0, 0))
    empty = {"requesting": [], "producing": [], "counts": [], "max": 0}
    assert parse(charts.heat_map(empty)).find(f"{SVG}desc").text == "No requests."
    parse(charts.outcome_bars([]))


def test_histogram_has_a_bar_per_bucket_with_its_count():
    buckets = [
        {"key": "after_start", "label": "after start (< 0)", "count": 2},
        {"key": "0_30", "label": "0–30 days", "count": 4},
    ]
    root = parse(charts.histogram(buckets))
    bars = [r for r in root.iter(f"{SVG}rect")]
    assert [b.find(f"{SVG}title").text for b in bars] == ["after start (< 0): 2", "0–30 days: 4"]
    assert float(bars[1].get("height")) == 2 * float(bars[0].get("height"))


def test_heat_map_shades_cells_by_count():
    deps = {
        "requesting": [{"slug": "a", "name": "A"}],
        "producing": [{"slug": "b", "name": "B"}, {"slug": "c", "name": "C"}],
        "counts": [[4, 1]],
        "max": 4,
    }
    cells = [r for r in parse(charts.heat_map(deps)).iter(f"{SVG}rect")]
    assert [c.find(f"{SVG}title").text for c in cells] == ["A asks B: 4", "A asks C: 1"]
    assert float(cells[0].get("fill-opacity")) > float(cells[1].get("fill-opacity"))


def test_charts_speak_the_readers_language_and_group_its_digits():
    """Labels, tooltips and figures in French: translated words, 1 234 (a no-break
    space), while a stored review keeps the English bucket label the API shows."""
    from django.utils import translation

    buckets = [
        {"key": "0_30", "label": "0–30 days", "count": 1234},
        {"key": "over_90", "label": "over 90 days", "count": 5},
    ]
    deps = {
        "requesting": [{"slug": "a", "name": "A"}],
        "producing": [{"slug": "b", "name": "B"}],
        "counts": [[4321]],
        "max": 4321,
    }
    domains = [{"name": "Search", "outcomes": {**OUTCOMES, "declined": 2000}}]
    with translation.override("fr"):
        bars = list(parse(charts.histogram(buckets)).iter(f"{SVG}rect"))
        cells = list(parse(charts.heat_map(deps)).iter(f"{SVG}rect"))
        outcome = parse(charts.outcome_bars(domains))
        early_late = parse(charts.early_late_bar(1500, 1))
    assert [b.find(f"{SVG}title").text for b in bars] == [
        "0 à 30 jours: 1\xa0234",
        "plus de 90 jours: 5",
    ]
    assert cells[0].find(f"{SVG}title").text == "A demande à B : 4\xa0321"
    assert "Search: 2\xa0000 refusée" in outcome.find(f"{SVG}desc").text
    assert "En avance 1\xa0500 (100%)" in "".join(early_late.itertext())
    assert buckets[0]["label"] == "0–30 days"
    with translation.override("en"):
        assert "1,500 filed early" in parse(charts.early_late_bar(1500, 1)).find(f"{SVG}desc").text
