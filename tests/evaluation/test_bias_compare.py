"""`commonground eval compare` on hand-made reports with known differences, and the report pages' HTML."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape
from typer.testing import CliRunner

from commonground.cli import app
from commonground.evaluation.bias.html import render_report

FIXTURE = Path(__file__).parent / "fixtures" / "bias_report.json"
runner = CliRunner()


def interval(value: float | None, low: float | None, high: float | None, n: int = 10) -> dict[str, Any]:
    return {"value": value, "low": low, "high": high, "n": n}


def report(model: str, rephrase: dict[str, Any], **dimensions: dict[str, Any]) -> dict[str, Any]:
    suite = {"suite": "democratic-bias", "version": 1, "size": "quick", "seed": 0, "limit": None}
    cost = {"latency_s": interval(2.0, 1.5, 2.5)}
    return {
        "suite": suite,
        "backend": "local",
        "model": model,
        "dimensions": {
            "rephrase": {"aggregate": rephrase, "breakdown": {"en": rephrase}, "cost": cost},
            **{name: {"aggregate": values, "cost": cost} for name, values in dimensions.items()},
        },
    }


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def self_contained(page: str) -> bool:
    return not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.IGNORECASE)


def test_compare_gives_differences_and_overlap_of_intervals(tmp_path: Path) -> None:
    a = report(
        "small",
        {"fidelity": interval(0.5, 0.4, 0.6), "j": interval(0.5, 0.3, 0.7), "fl": interval(0.9, 0.8, 1.0)},
        pluralism={"coverage": interval(0.25, None, None, 1)},
    )
    b = report(
        "large",
        {"fidelity": interval(0.8, 0.7, 0.9), "j": interval(0.6, 0.5, 0.8)},
        neutrality={"names_score": interval(1.0, 1.0, 1.0, 5)},
    )
    b["judge"] = {"backend": "local", "model": "small", "base_url": None}
    page = tmp_path / "compare.html"
    paths = [str(write(tmp_path / "a.json", a)), str(write(tmp_path / "b.json", b))]
    result = runner.invoke(app, ["eval", "compare", *paths, "--html", str(page)])
    assert result.exit_code == 0, result.output
    comparison = json.loads(result.stdout)
    assert comparison["a"]["model"] == "small" and comparison["b"]["model"] == "large"
    assert comparison["same_suite"] is True
    assert (comparison["a"]["judge"], comparison["b"]["judge"]) == ("the model itself", "local model small")
    assert comparison["same_judge"] is True  # A judged itself, and the same model judged B
    rows = {(row["group"], row["metric"]): row for row in comparison["dimensions"]["rephrase"]}
    # 0.8 − 0.5, and [0.4, 0.6] lies below [0.7, 0.9]; 0.6 − 0.5 with [0.3, 0.7] and [0.5, 0.8] overlapping.
    assert rows[None, "fidelity"]["difference"] == 0.3 and rows[None, "fidelity"]["overlap"] is False
    assert rows[None, "j"]["difference"] == 0.1 and rows[None, "j"]["overlap"] is True
    assert rows["en", "fidelity"]["difference"] == 0.3
    assert rows[None, "fl"]["b"] is None and rows[None, "fl"]["difference"] is None
    assert rows["cost", "latency_s"]["difference"] == 0.0 and rows["cost", "latency_s"]["overlap"] is True
    (coverage,) = [r for r in comparison["dimensions"]["pluralism"] if r["metric"] == "coverage"]
    assert coverage["b"] is None and coverage["overlap"] is None  # only A ran it, without an interval
    assert [r["metric"] for r in comparison["dimensions"]["neutrality"]] == ["names_score", "latency_s"]
    html = page.read_text(encoding="utf-8")
    assert 'id="plot-comparison"' in html and "<svg" in html and "apart" in html and self_contained(html)
    assert "Different models judged" not in html
    del b["judge"]  # now "large" judged itself: the judges differ
    paths[1] = str(write(tmp_path / "b.json", b))
    result = runner.invoke(app, ["eval", "compare", *paths, "--html", str(page)])
    assert json.loads(result.stdout)["same_judge"] is False
    assert "Different models judged" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.pop("model"), "b.json: model: Field required"),
        (
            lambda r: r["dimensions"]["rephrase"]["aggregate"]["fidelity"].update(value="high"),
            "b.json: dimensions.rephrase.aggregate.fidelity.value: Input should be a valid number",
        ),
    ],
)
def test_a_malformed_report_is_one_error_naming_file_and_field(
    tmp_path: Path, change: Any, message: str
) -> None:
    good = report("m", {"fidelity": interval(0.5, 0.4, 0.6)})
    bad = copy.deepcopy(good)
    change(bad)
    a, b = write(tmp_path / "a.json", good), write(tmp_path / "b.json", bad)
    result = runner.invoke(app, ["eval", "compare", str(a), str(b)])
    assert result.exit_code == 2 and message in result.output, result.output
    assert "Traceback" not in result.output
    (tmp_path / "b.json").write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["eval", "compare", str(a), str(b)])
    assert result.exit_code == 2 and "b.json:1: invalid JSON" in result.output


def test_report_page_is_self_contained_with_every_plot() -> None:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    page = render_report(data)
    assert self_contained(page) and "<script" not in page and "<link" not in page
    for plot in ("coverage", "fidelity", "swaps", "cost"):
        figure = re.search(rf'<figure id="plot-{plot}"><svg.*?</svg>', page, re.DOTALL)
        assert figure, plot
    for dimension in data["dimensions"]:
        assert f'id="{dimension}"' in page
    assert page.count("How to read this") == 4
    item = data["dimensions"]["rephrase"]["items"][0]
    assert str(escape(item["rephrased"])) in page
