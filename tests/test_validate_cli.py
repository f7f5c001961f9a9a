"""`jixiao rules` lists the catalogue; every rule has a test-visible id, severity and description."""

import csv
import io

from typer.testing import CliRunner

from pipeline.cli import app
from validate.registry import RULES


def test_rules_command_lists_the_catalogue():
    result = CliRunner().invoke(app, ["rules", "--format", "csv", "--lang", "en"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["rule"] for r in rows} == {r.id for r in RULES}
    assert {"same_quantity_differs", "scores_sum_vs_total", "rounding"} <= {r["rule"] for r in rows}


def test_every_rule_is_described_once():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert all(r.severity in {"error", "warning", "info"} and r.description("zh") for r in RULES)


def test_docs_list_every_rule():
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "validation.md").read_text(encoding="utf-8")
    assert [r.id for r in RULES if f"`{r.id}`" not in doc] == []
