"""Server-side SVG charts for the review page: pure functions from figures to markup.

They work without JavaScript and print cleanly. Each chart is an ``<svg role="img">`` with a
``<title>`` and ``<desc>`` (named by ``aria-labelledby``) and a ``<title>`` on every mark for
tooltips; the page puts a data table beside each chart for screen readers and for print. Colours
come from CSS classes (``review.css``), so no inline styles are needed under the CSP.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.formats import number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_lazy

# Mutually exclusive outcome groups for the stacked bars: (key, label, statuses).
OUTCOME_SERIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("delivered", gettext_lazy("Delivered"), ("delivered",)),
    ("in_work", gettext_lazy("Accepted or in progress"), ("accepted", "in_progress")),
    ("awaiting", gettext_lazy("Awaiting decision"), ("submitted", "triaged")),
    ("deferred", gettext_lazy("Deferred"), ("deferred",)),
    ("declined", gettext_lazy("Declined"), ("declined",)),
    ("duplicate", gettext_lazy("Duplicate"), ("duplicate",)),
    ("withdrawn", gettext_lazy("Withdrawn"), ("withdrawn",)),
)

FONT = 12
LABEL_W = 150


def _svg(chart_id: str, width: int, height: int, title: str, desc: str, body: str) -> SafeString:
    return format_html(
        '<svg class="chart" id="{id}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" role="img" aria-label="{title}" '
        'aria-labelledby="{id}-title {id}-desc" preserveAspectRatio="xMinYMin meet">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        id=chart_id,
        w=width,
        h=height,
        title=title,
        desc=desc,
        body=mark_safe(body),  # noqa: S308 - built below from escaped parts only
    )


def _text(x: float, y: float, text: Any, cls: str = "", anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" class="{cls}" text-anchor="{anchor}" '
        f'font-size="{FONT}">{escape(text)}</text>'
    )


def _n(value: Any) -> str:
    """A figure written the reader's way (1,234 in English, 1 234 in French)."""
    return number_format(value, force_grouping=True)


def _short(label: str, limit: int = 20) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _legend(series: Sequence[tuple[str, str]], y: float, width: int) -> str:
    parts, x = [], 0.0
    for key, label in series:
        if x + 24 + len(label) * 7 > width:
            x, y = 0.0, y + 18
        parts.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" class="s-{key}"/>')
        parts.append(_text(x + 16, y, label))
        x += 24 + len(label) * 7
    return "".join(parts)


def outcome_bars(
    domains: Sequence[dict[str, Any]], *, chart_id: str = "chart-outcomes", width: int = 640
) -> SafeString:
    """Outcomes per producing domain as horizontal stacked bars (one bar per domain)."""
    rows = [
        (
            d["name"],
            [
                (key, sum(d["outcomes"][s] for s in statuses))
                for key, _l, statuses in OUTCOME_SERIES
            ],
        )
        for d in domains
    ]
    bar_h, gap, top = 20, 8, 8
    plot_w = width - LABEL_W - 40
    biggest = max((sum(n for _k, n in values) for _name, values in rows), default=0) or 1
    parts = []
    y = top
    for name, values in rows:
        parts.append(_text(LABEL_W - 8, y + bar_h - 6, _short(name), anchor="end"))
        x = float(LABEL_W)
        for key, n in values:
            if not n:
                continue
            w = plot_w * n / biggest
            label = dict((k, lab) for k, lab, _s in OUTCOME_SERIES)[key]
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" class="s-{key}">'
                f"<title>{escape(name)}: {escape(str(label).lower())} {_n(n)}</title></rect>"
            )
            x += w
        parts.append(_text(x + 4, y + bar_h - 6, _n(sum(n for _k, n in values)), cls="total"))
        y += bar_h + gap
    legend_y = y + 14
    parts.append(_legend([(k, lab) for k, lab, _s in OUTCOME_SERIES], legend_y, width))
    height = int(legend_y + 26)
    labels = {key: str(label).lower() for key, label, _s in OUTCOME_SERIES}
    desc = "; ".join(
        f"{name}: " + (", ".join(f"{_n(n)} {labels[k]}" for k, n in values if n) or gettext("none"))
        for name, values in rows
    )
    return _svg(
        chart_id,
        width,
        height,
        gettext("Outcomes per producing domain"),
        desc or gettext("No requests."),
        "".join(parts),
    )


def early_late_bar(
    early: int, late: int, *, chart_id: str = "chart-early-late", width: int = 640
) -> SafeString:
    """Early vs late filing as one bar split in two, with counts and shares."""
    total = early + late
    plot_w = width - 20
    parts = []
    x = 10.0
    early_label, late_label = gettext("Early"), gettext("Late")
    for key, label, n in (("early", early_label, early), ("late", late_label, late)):
        if not n:
            continue
        w = plot_w * n / total
        share = round(100 * n / total)
        parts.append(
            f'<rect x="{x:.1f}" y="8" width="{w:.1f}" height="28" class="s-{key}">'
            f"<title>{label}: {_n(n)} ({share}%)</title></rect>"
        )
        if w > 70:
            parts.append(_text(x + 6, 27, f"{label} {_n(n)} ({share}%)", cls="on-bar"))
        x += w
    if not total:
        parts.append(_text(10, 27, gettext("No requests filed for this cycle.")))
    parts.append(_legend([("early", early_label), ("late", late_label)], 58, width))
    desc = gettext("%(early)s filed early and %(late)s filed late out of %(total)s.") % {
        "early": _n(early),
        "late": _n(late),
        "total": _n(total),
    }
    return _svg(chart_id, width, 70, gettext("Requests filed early vs late"), desc, "".join(parts))


def histogram(
    buckets: Sequence[dict[str, Any]],
    *,
    chart_id: str = "chart-lead-time",
    width: int = 640,
    height: int = 200,
) -> SafeString:
    """Lead-time distribution: one vertical bar per bucket, its count above it."""
    top, bottom = 20, 30
    plot_h = height - top - bottom
    slot = (width - 20) / max(len(buckets), 1)
    biggest = max((b["count"] for b in buckets), default=0) or 1
    parts = [
        f'<line x1="10" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" class="axis"/>'
    ]
    # Stored reviews keep the English label (the API's); it is translated when drawn.
    labels = [gettext(b["label"]) for b in buckets]
    for i, bucket in enumerate(buckets):
        h = plot_h * bucket["count"] / biggest
        x = 10 + i * slot + slot * 0.15
        y = top + plot_h - h
        cls = "s-late" if bucket["key"] == "after_start" else "s-lead"
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" class="{cls}">'
            f"<title>{escape(labels[i])}: {_n(bucket['count'])}</title></rect>"
        )
        parts.append(_text(x + slot * 0.35, y - 4, _n(bucket["count"]), anchor="middle"))
        parts.append(_text(x + slot * 0.35, top + plot_h + 18, labels[i], anchor="middle"))
    desc = "; ".join(f"{label}: {_n(b['count'])}" for label, b in zip(labels, buckets, strict=True))
    return _svg(
        chart_id,
        width,
        height,
        gettext("Lead time between filing and the cycle start"),
        desc,
        "".join(parts),
    )


# The heat map shows at most this many requesting and producing domains (the busiest), the rest
# folded into one "other domains" row and column: a mesh of 200 domains would otherwise draw
# 40,000 cells (megabytes of SVG). The full matrix is the table behind the chart, on demand.
HEAT_MAX = 16


def _top(totals: list[int], limit: int) -> list[int]:
    """Indexes of the ``limit`` largest totals, in their original order."""
    return sorted(sorted(range(len(totals)), key=lambda i: (-totals[i], i))[:limit])


def fold_dependencies(dependencies: dict[str, Any], limit: int = HEAT_MAX) -> dict[str, Any]:
    """The dependency matrix with its busiest ``limit - 1`` rows and columns kept and the others
    summed into an "other domains" row and column (unchanged when it fits)."""
    rows, cols, counts = (
        dependencies["requesting"],
        dependencies["producing"],
        dependencies["counts"],
    )
    if len(rows) <= limit and len(cols) <= limit:
        return dependencies
    keep_r = _top([sum(r) for r in counts], limit - 1) if len(rows) > limit else range(len(rows))
    keep_c = (
        _top([sum(c) for c in zip(*counts, strict=True)], limit - 1)
        if len(cols) > limit
        else range(len(cols))
    )
    rest_r = [i for i in range(len(rows)) if i not in set(keep_r)]
    rest_c = [j for j in range(len(cols)) if j not in set(keep_c)]

    def other(n: int) -> dict[str, Any]:
        return {"name": gettext("%(n)s other domains") % {"n": _n(n)}, "slug": None}

    new_rows = [rows[i] for i in keep_r] + ([other(len(rest_r))] if rest_r else [])
    new_cols = [cols[j] for j in keep_c] + ([other(len(rest_c))] if rest_c else [])
    row_groups = [[i] for i in keep_r] + ([rest_r] if rest_r else [])
    col_groups = [[j] for j in keep_c] + ([rest_c] if rest_c else [])
    new_counts = [
        [sum(counts[i][j] for i in rg for j in cg) for cg in col_groups] for rg in row_groups
    ]
    return {
        **dependencies,
        "requesting": new_rows,
        "producing": new_cols,
        "counts": new_counts,
        "max": max((n for r in new_counts for n in r), default=0),
    }


def heat_map(
    dependencies: dict[str, Any], *, chart_id: str = "chart-dependencies", cell: int = 76
) -> SafeString:
    """Requesting domain (rows) × producing domain (columns): darker cells, more requests (the
    busiest `HEAT_MAX` of each, the others folded into one row and column)."""
    dependencies = fold_dependencies(dependencies)
    rows, cols, counts = (
        dependencies["requesting"],
        dependencies["producing"],
        dependencies["counts"],
    )
    biggest = dependencies["max"] or 1
    head = 34
    width = LABEL_W + cell * max(len(cols), 1) + 10
    height = head + cell * max(len(rows), 1) + 10
    parts = []
    for j, col in enumerate(cols):
        parts.append(
            _text(
                LABEL_W + j * cell + cell / 2, head - 10, _short(col["name"], 10), anchor="middle"
            )
        )
    asks = gettext("%(requesting)s asks %(producing)s: %(n)s")
    for i, row in enumerate(rows):
        y = head + i * cell
        parts.append(_text(LABEL_W - 8, y + cell / 2 + 4, _short(row["name"]), anchor="end"))
        for j, col in enumerate(cols):
            n = counts[i][j]
            x = LABEL_W + j * cell
            # Opacity from 0.08 (none) to 1 (the busiest pair): presentation attributes, not CSS.
            opacity = 0.08 + 0.92 * n / biggest if n else 0.04
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" class="heat" '
                f'fill-opacity="{opacity:.2f}"><title>'
                f"{escape(asks % {'requesting': row['name'], 'producing': col['name'], 'n': _n(n)})}"
                "</title></rect>"
            )
            cls = "on-dark" if n and n / biggest > 0.5 else ""
            parts.append(_text(x + cell / 2 - 1, y + cell / 2 + 4, _n(n), cls=cls, anchor="middle"))
    desc = "; ".join(
        asks % {"requesting": row["name"], "producing": col["name"], "n": _n(counts[i][j])}
        for i, row in enumerate(rows)
        for j, col in enumerate(cols)
        if counts[i][j]
    )
    title = gettext("Who depends on whom: requesting domain (rows) × producing domain (columns)")
    return _svg(chart_id, width, height, title, desc or gettext("No requests."), "".join(parts))


def review_charts(review: dict[str, Any]) -> dict[str, SafeString]:
    """Every chart of the review page, from a review (live or frozen)."""
    overall = review["overall"]
    return {
        "outcomes": outcome_bars(review["domains"]),
        "early_late": early_late_bar(overall["early"], overall["late"]),
        "lead_time": histogram(review["lead_time_buckets"]),
        "dependencies": heat_map(review["dependencies"]),
    }


def outcome_table(domains: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stacked bars' data, for the table beside the chart."""
    return [
        {
            "name": d["name"],
            "slug": d["slug"],
            "values": [
                sum(d["outcomes"][s] for s in statuses) for _k, _l, statuses in OUTCOME_SERIES
            ],
        }
        for d in domains
    ]
