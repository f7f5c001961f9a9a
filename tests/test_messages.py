"""The message catalogue: every finding and rule worded in Chinese (the default) and in English,
placeholders filled with real values from the seed reports, and the commands that print them."""

from __future__ import annotations

import csv
import io
import re
import string
from functools import cache
from pathlib import Path

import pytest
from synthetic import make_db
from typer.testing import CliRunner

from extract import extract_facts
from pipeline.cli import app
from pipeline.i18n import CATALOGUES, language, t
from pipeline.models import Facts
from pipeline.readers import read_document
from validate import validate
from validate.findings import money, printed
from validate.registry import RULES

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "data" / "samples").glob("*.txt"))
RULE_IDS = {r.id for r in RULES}
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

# Placeholders by what they hold; any other placeholder holds a label (an indicator, a row, a project).
MONEY = {
    *("abs_change", "amount", "actual", "basic", "budget", "cell", "cell_sum", "change", "difference", "executed"),
    *("expenditure", "form_sum", "gap", "income", "last", "now", "over", "part", "project", "spent", "sum"),
    *("target", "this", "total", "value", "wan", "whole", "other_value", "scaled", "literal_target"),
    *("literal_actual", "stated", "score", "weight", "lost", "form", "narrative", "yuan", "others", "parts"),
}
PERCENT = {"rate", "computed", "first_rate", "share", "confidence", "times", "factor"}
COUNTS = {"count", "listed", "completed", "not_completed", "done", "rest", "n", "documents", "error", "warning"}
COUNTS |= {"info", "indicators", "projects", "findings"}
PAGES = {"page", "table_page", "other_page", "parts_page", "first", "year"}


@cache
def seed_facts() -> tuple[Facts, ...]:
    return tuple(extract_facts(read_document(p)) for p in SEEDS)


def _seed_values() -> dict[str, object]:
    """One real value per kind from the seeds: an amount as printed, a rate, a count, a page, a label."""
    facts = seed_facts()
    amounts = [a for f in facts for a in f.amounts if a.unit == "万元"]
    rates = [a for f in facts for a in f.amounts if a.unit == "%"]
    labels = [i.level3 for f in facts for i in f.indicators if i.level3 and not LATIN_WORD.search(i.level3)]
    return {
        "money": money(amounts[0].number),
        "percent": f"{printed(rates[0].number)}%",
        "count": len(facts[0].indicators),
        "page": 1,
        "label": labels[0],
        "year": facts[0].year,
    }


def _fill(template: str, values: dict[str, object]) -> dict[str, object]:
    """A real seed value for each placeholder of `template`, chosen by what the placeholder holds."""
    names = {field for _, field, _, _ in string.Formatter().parse(template) if field}
    kind = {**dict.fromkeys(MONEY, "money"), **dict.fromkeys(PERCENT, "percent"), **dict.fromkeys(COUNTS, "count")}
    kind |= dict.fromkeys(PAGES, "page") | {"year": "year"}
    return {name: values[kind.get(name, "label")] for name in names}


FINDING_KEYS = sorted(k for k in CATALOGUES["zh"] if k.startswith(("finding.", "cli.", "review.")))


@pytest.mark.parametrize("key", FINDING_KEYS)
def test_every_message_renders_in_both_languages_with_seed_values(key: str) -> None:
    values = _seed_values()
    for lang in ("zh", "en"):
        text = t(key, lang, **_fill(CATALOGUES[lang][key], values))
        assert "{" not in text and "}" not in text, (lang, text)
    chinese = t(key, "zh", **_fill(CATALOGUES["zh"][key], values))
    assert LATIN_WORD.findall(chinese) == [], chinese


def test_both_catalogues_have_the_same_keys_and_placeholders() -> None:
    zh, en = CATALOGUES["zh"], CATALOGUES["en"]
    assert set(zh) == set(en)
    for key in zh:
        names = [{f for _, f, _, _ in string.Formatter().parse(c[key]) if f} for c in (zh, en)]
        assert names[0] == names[1], key


def test_every_rule_is_described_in_both_languages_and_severities_read_as_a_reviewer_writes() -> None:
    for r in RULES:
        assert r.description("en") and r.description("zh") != r.description("en")
        assert LATIN_WORD.findall(r.description("zh")) == [], r.id
    assert [t(f"severity.{s}", "zh") for s in ("error", "warning", "info")] == ["错误", "警告", "提示"]


def test_seed_findings_read_as_chinese_sentences_with_numbers_as_printed() -> None:
    findings = [f for facts in seed_facts() for f in validate(facts)]
    assert findings
    for f in findings:
        assert f.message and f.message_en and f.message != f.message_en
        assert LATIN_WORD.findall(f.message) == [], f.message
        assert "{" not in f.message + f.message_en
    assert (
        "基本支出2698.55万元＋项目支出3038.58万元＝5737.13万元，与全年执行数5737.12万元相差0.01万元（属四舍五入误差）"
        in {f.message for f in findings}
    )


def test_language_comes_from_the_option_else_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JIXIAO_LANG", raising=False)
    assert language(None) == "zh" and language("en") == "en" and language("zh-CN") == "zh"
    monkeypatch.setenv("JIXIAO_LANG", "en")
    assert language(None) == "en"
    with pytest.raises(ValueError):
        language("fr")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("messages") / "m.duckdb"
    make_db(ROOT / "data" / "samples", path)[0].close()
    return path


def test_findings_command_is_chinese_by_default_and_english_on_request(db: Path, monkeypatch) -> None:
    monkeypatch.delenv("JIXIAO_LANG", raising=False)
    zh = CliRunner().invoke(app, ["findings", "--db", str(db), "--format", "csv"])
    assert zh.exit_code == 0, zh.output
    assert zh.stdout.splitlines()[0] == "文档,严重程度,规则,问题说明"
    assert "错误,executed_vs_full_year_budget,全年执行数120.5万元超出全年预算数100万元 <b>" in zh.stdout
    en = CliRunner().invoke(app, ["findings", "--db", str(db), "--format", "csv", "--lang", "en"])
    assert en.stdout.splitlines()[0] == "document,severity,rule,message"
    assert "error,executed_vs_full_year_budget,executed 120.5 exceeds the full-year budget 100 <b>" in en.stdout
    monkeypatch.setenv("JIXIAO_LANG", "en")
    assert CliRunner().invoke(app, ["findings", "--db", str(db), "--format", "csv"]).stdout == en.stdout


def test_findings_table_ends_with_a_summary_line(db: Path, monkeypatch) -> None:
    monkeypatch.delenv("JIXIAO_LANG", raising=False)
    result = CliRunner().invoke(app, ["findings", "--db", str(db)])
    assert "共3条问题，涉及1份文档：错误1条，警告1条，提示1条" in result.output


def test_rules_command_is_chinese_by_default_and_english_on_request(monkeypatch) -> None:
    monkeypatch.delenv("JIXIAO_LANG", raising=False)
    zh = CliRunner().invoke(app, ["rules", "--format", "csv"])
    assert zh.stdout.splitlines()[0] == "规则,严重程度,检查内容"
    rows = {r["规则"]: r for r in csv.DictReader(io.StringIO(zh.stdout))}
    assert rows["basic_plus_project_vs_executed"]["严重程度"] == "错误"
    assert rows["basic_plus_project_vs_executed"]["检查内容"].startswith("基本支出＋项目支出应等于全年执行数")
    en = CliRunner().invoke(app, ["rules", "--format", "csv", "--lang", "en"])
    assert en.stdout.splitlines()[0] == "rule,severity,checks"
    rows = {r["rule"]: r for r in csv.DictReader(io.StringIO(en.stdout))}
    assert rows["basic_plus_project_vs_executed"]["severity"] == "error"
    assert rows["basic_plus_project_vs_executed"]["checks"].startswith("基本支出 + 项目支出 must equal 全年执行数")
    assert CliRunner().invoke(app, ["rules", "--lang", "fr"]).exit_code == 2
