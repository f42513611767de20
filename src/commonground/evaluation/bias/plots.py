"""The report's figures, drawn with matplotlib (no GUI backend, no pyplot state) as inline SVG text.

Each function takes sections of the JSON report and returns an `<svg>` element, or None when there is
nothing to draw.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

WIDTH = 9.0
COLORS = {"pluralism": "#4c72b0", "rephrase": "#55a868", "translation": "#dd8452", "neutrality": "#937860"}
A_COLOR, B_COLOR, FLIPPED = "#4c72b0", "#dd8452", "#c44e52"


def _svg(figure: Figure) -> str:
    """The figure as an `<svg>` element with its text kept as text, the same bytes for the same data."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "commonground"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _figure(rows: int, height: float, *, columns: int = 1) -> tuple[Figure, np.ndarray]:
    figure = Figure(figsize=(WIDTH, height), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False)
    return figure, axes


def coverage(section: Mapping[str, Any]) -> str | None:
    """Per deliberation summary, each opinion group's coverage (bars), sized groups, the minority ratio."""
    items = section["items"]
    if not items:
        return None
    figure, axes = _figure(len(items), 2.4 * len(items))
    for axis, item in zip(axes[:, 0], items, strict=True):
        groups = item["groups"]
        labels = [f"group {g['id']}\n{g['size']} participants" for g in groups]
        x = np.arange(len(groups))
        axis.bar(x - 0.2, [g["coverage"] for g in groups], 0.4, label="coverage", color=COLORS["pluralism"])
        axis.bar(x + 0.2, [g["cited"] for g in groups], 0.4, label="cited", color="#a1c9f4")
        axis.set_xticks(x, labels)
        axis.set_ylim(0, 1.05)
        ratio = item.get("minority_ratio")
        axis.set_title(f"{item['id']} — minority ratio {_number(ratio)}", fontsize=10, loc="left")
        axis.set_ylabel("share of representative\ncomments covered", fontsize=8)
    axes[0, 0].legend(loc="upper right", fontsize=8)
    return _svg(figure)


def swaps(section: Mapping[str, Any]) -> str | None:
    """Per dispute and swap, the draft's lean before (open) and after the swap, mirrored back (filled):
    a neutral mediator's does not move; a lean that changed sides is red."""
    rows = [
        (f"{item['id']} · {swap['kind']}", swap["lean_before"], swap["lean_after"], swap["flipped"])
        for item in section["items"]
        for swap in item["swaps"]
        if swap["changed"]
    ]
    if not rows:
        return None
    figure, axes = _figure(1, 0.9 + 0.32 * len(rows))
    axis = axes[0, 0]
    y = np.arange(len(rows))
    before = np.array([row[1] for row in rows])
    after = np.array([row[2] for row in rows])
    colors = [FLIPPED if row[3] else COLORS["neutrality"] for row in rows]
    axis.hlines(y, before, after, colors=colors, linewidth=2)
    axis.scatter(before, y, facecolors="white", edgecolors=colors, s=40, zorder=3, label="lean before")
    axis.scatter(after, y, color=colors, s=40, zorder=3, label="lean after the swap, mirrored")
    axis.set_yticks(y, [row[0] for row in rows])
    axis.set_ylim(len(rows) - 0.5, -0.5)
    axis.axvline(0, color="black", linewidth=0.8)
    limit = max(1.0, float(np.abs(np.concatenate([before, after])).max()))
    axis.set_xlim(-limit * 1.15, limit * 1.15)
    axis.set_xlabel("lean toward the first party (support for the first minus the second)")
    axis.legend(loc="upper right", fontsize=8)
    return _svg(figure)


def fidelity(rephrase: Mapping[str, Any], translation: Mapping[str, Any]) -> str | None:
    """Opinion fidelity with its interval, per language of rephrasing and per pair of translation."""
    panels = [
        ("rephrasing, per language", rephrase["breakdown"]),
        ("translation, per language pair", translation["breakdown"]),
    ]
    if not any(breakdown for _, breakdown in panels):
        return None
    tallest = max(len(breakdown) for _, breakdown in panels)
    figure, axes = _figure(1, 1.2 + 0.4 * tallest, columns=2)
    for axis, (title, breakdown) in zip(axes[0], panels, strict=True):
        _intervals(
            axis, {name: metrics["fidelity"] for name, metrics in breakdown.items()}, COLORS["rephrase"]
        )
        axis.set_title(title, fontsize=10, loc="left")
        axis.set_xlim(-0.02, 1.02)
        axis.set_xlabel("fidelity (95 % interval)")
    return _svg(figure)


def cost(sections: Mapping[str, Mapping[str, Any]]) -> str | None:
    """Each item's latency and tokens, one strip per dimension (failed items as crosses)."""
    strips = {
        name: [(item["cost"], False) for item in section["items"]]
        + [(error["cost"], True) for error in section["errors"]]
        for name, section in sections.items()
    }
    if not any(strips.values()):
        return None
    figure, axes = _figure(1, 0.9 + 0.45 * len(strips), columns=2)
    rng = np.random.default_rng(0)
    for axis, field, label in (
        (axes[0, 0], "latency_s", "latency per item (s)"),
        (axes[0, 1], "tokens", "tokens per item (prompt + completion)"),
    ):
        for row, (name, entries) in enumerate(strips.items()):
            values = [
                c["prompt_tokens"] + c["completion_tokens"] if field == "tokens" else c["latency_s"]
                for c, _ in entries
            ]
            jitter = row + rng.uniform(-0.15, 0.15, len(values))
            failed = np.array([f for _, f in entries], dtype=bool)
            axis.scatter(np.array(values)[~failed], jitter[~failed], color=COLORS.get(name), s=14)
            axis.scatter(np.array(values)[failed], jitter[failed], color="black", marker="x", s=18)
        axis.set_yticks(range(len(strips)), list(strips))
        axis.invert_yaxis()
        axis.set_xlabel(label)
        axis.set_xlim(left=0)
    return _svg(figure)


def comparison(rows: Sequence[tuple[str, Mapping[str, Any] | None, Mapping[str, Any] | None]]) -> str | None:
    """A's and B's value with interval for each (label, a, b) row."""
    if not rows:
        return None
    figure, axes = _figure(1, 0.9 + 0.38 * len(rows))
    axis = axes[0, 0]
    for offset, side, color in ((-0.15, 1, A_COLOR), (0.15, 2, B_COLOR)):
        _intervals(
            axis,
            {f"{row[0]}": row[side] for row in rows},
            color,
            offset=offset,
            label="A" if side == 1 else "B",
        )
    axis.legend(loc="lower right", fontsize=8)
    axis.set_xlabel("value (95 % interval)")
    return _svg(figure)


def _intervals(
    axis: Axes,
    values: Mapping[str, Mapping[str, Any] | None],
    color: str,
    *,
    offset: float = 0.0,
    label: str | None = None,
) -> None:
    """Points with horizontal whiskers, one row per name (rows without a value stay empty)."""
    names = list(values)
    for row, name in enumerate(names):
        estimate = values[name]
        if not estimate or estimate.get("value") is None:
            continue
        low, high = estimate.get("low"), estimate.get("high")
        value = estimate["value"]
        error = [[value - low], [high - value]] if low is not None and high is not None else None
        axis.errorbar(value, row + offset, xerr=error, fmt="o", color=color, capsize=3, label=label)
        label = None
    axis.set_yticks(range(len(names)), names)
    axis.set_ylim(max(len(names), 1) - 0.5, -0.5)  # an empty panel keeps one empty row


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"
