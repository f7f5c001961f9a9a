"""Stable SQL views over the fact tables, for users who live in SQL.

The views are the public query surface (the tables underneath may change between versions):

* `v_documents`     one row per document: file, department, year, main amounts, total score, findings
* `v_indicators`    indicator rows with target/actual parsed into number, unit and direction, and `met`;
                    `project_id` / `project` name the project form a row belongs to (null: the document's own)
* `v_projects`      project self-evaluations (one per form: funds row, 分值/得分, 总分) with the execution
                    rate recomputed; a narrative item restating a form's project names it in `restates`
* `v_department_years` one row per (document, basis): a department's key figures in a year — 年初预算,
                    全年预算, 执行数, 基本支出, 项目支出 — from the main amounts (`自评表` when read from a
                    form, `正文` from the text) and from the 决算 / 预算 tables (`决算`: 收支总表 本年支出合计
                    and the 支出表's 合计 row; `预算`: the 收支总表's planned 本年支出合计 as 年初预算)
* `v_facts`         every extracted fact in one shape (type, label, value, provenance), the 部门预算/决算
                    disclosure's table cells and 情况说明 figures included
* `v_findings`      one row per finding, with its document and the source text of its facts
* `v_finding_facts` one row per (finding, fact): the fact, where it was read and the text around it

`jx_num`, `jx_unit` and `jx_direction` (with the helper `jx_clean`) are macros that parse an indicator string such as
`≥95%` or `不超过3天` into 95 / `%` / `at_least`; they can be used in ad-hoc queries too.
"""

from __future__ import annotations

import duckdb

_NUMBER = r"([0-9]+(\.[0-9]+)?)"

MACROS = {
    # thousands separators and years (2024年, 2024年度) are not the quantity
    "jx_clean": "regexp_replace(replace(s, ',', ''), '(19|20)[0-9]{2}年度?', '', 'g')",
    "jx_num": f"TRY_CAST(regexp_extract(jx_clean(s), '{_NUMBER}', 1) AS DOUBLE)",
    "jx_unit": (
        "nullif(regexp_replace(regexp_extract(jx_clean(s), "
        f"'{_NUMBER}\\s*([%％‰]|[^0-9\\s.,，;；、（）()≥≤<>=~～—－-]{{1,4}})', 3), '(以|左右|内|及|的).*$', ''), '')"
    ),
    "jx_direction": """CASE
        WHEN s IS NULL OR jx_num(s) IS NULL THEN NULL
        WHEN regexp_matches(s, '≤|＜|<\\s*[0-9]|不高于|不超过|不超出|不大于|低于|以内|以下|控制在') THEN 'at_most'
        ELSE 'at_least' END""",
}

_PROV_COLS = "method, page, table_idx, row_idx, col_idx, char_start, char_end, raw"

# A department's key figures in a year (v_department_years), as amount keys.
_YEAR_KEYS = ("initial_budget", "full_year_budget", "executed", "basic_expenditure", "project_expenditure")
_SELF_EVALUATION_KEYS = ",\n".join(f"max(value) FILTER (WHERE key = '{key}') AS {key}" for key in _YEAR_KEYS)
# The 收支总表's 本年支出合计: what a 决算 spent, what a 预算 plans (its 年初预算).
_SUMMARY_EXPENDITURE = "table_kind = 'summary' AND row_key = 'expenditure_total'"


def _pick(condition: str) -> str:
    """The first disclosure cell (by table, then column) that meets `condition`."""
    return f"arg_min(value, table_seq * 1000 + coalesce(col_idx, 0)) FILTER (WHERE {condition})"


VIEWS = {
    "v_documents": """
        WITH main AS (
            SELECT doc_id,
                   max(CASE WHEN key = 'initial_budget' THEN value END) AS initial_budget,
                   max(CASE WHEN key = 'full_year_budget' THEN value END) AS full_year_budget,
                   max(CASE WHEN key = 'executed' THEN value END) AS executed,
                   max(CASE WHEN key = 'execution_rate_pct' THEN value END) AS execution_rate_pct,
                   max(CASE WHEN key = 'basic_expenditure' THEN value END) AS basic_expenditure,
                   max(CASE WHEN key = 'project_expenditure' THEN value END) AS project_expenditure,
                   max(CASE WHEN key = 'income_general_public' THEN value END) AS income_general_public,
                   max(CASE WHEN key = 'income_gov_fund' THEN value END) AS income_gov_fund,
                   max(CASE WHEN key = 'income_other' THEN value END) AS income_other
            FROM amounts WHERE is_primary GROUP BY doc_id
        ),
        total AS (SELECT doc_id, max(value) AS total_score FROM total_scores GROUP BY doc_id),
        found AS (
            SELECT doc_id, count(*) AS n_findings, count(*) FILTER (WHERE severity = 'error') AS n_errors
            FROM findings GROUP BY doc_id
        )
        SELECT d.doc_id, regexp_extract(d.path, '[^/\\\\]+$') AS file, d.path, d.format, d.status, d.error,
               d.department, d.region, d.year,
               m.initial_budget, m.full_year_budget, m.executed, m.execution_rate_pct,
               m.basic_expenditure, m.project_expenditure,
               m.income_general_public, m.income_gov_fund, m.income_other,
               t.total_score,
               coalesce(f.n_findings, 0) AS n_findings, coalesce(f.n_errors, 0) AS n_errors
        FROM documents d
        LEFT JOIN main m USING (doc_id)
        LEFT JOIN total t USING (doc_id)
        LEFT JOIN found f USING (doc_id)
    """,
    "v_indicators": f"""
        SELECT d.doc_id, d.file, d.format, d.department, d.year,
               i.fact_id, i.table_seq, i.table_kind, i.row_seq, i.level1, i.level2, i.level3,
               i.target, jx_num(i.target) AS target_value, jx_unit(i.target) AS target_unit,
               jx_direction(i.target) AS direction,
               i.actual, jx_num(i.actual) AS actual_value, jx_unit(i.actual) AS actual_unit,
               CASE jx_direction(i.target)
                   WHEN 'at_least' THEN jx_num(i.actual) >= jx_num(i.target)
                   WHEN 'at_most' THEN jx_num(i.actual) <= jx_num(i.target)
               END AS met,
               i.weight, i.score, i.score IS NOT NULL AND i.score >= i.weight AS full_marks,
               i.deviation_reason, i.project_id, p.name AS project, i.{_PROV_COLS.replace(", ", ", i.")}
        FROM indicators i JOIN v_documents d USING (doc_id)
        LEFT JOIN projects p ON p.doc_id = i.doc_id AND p.fact_id = i.project_id
    """,
    "v_projects": f"""
        SELECT d.doc_id, d.file, d.format, d.department, d.year, p.fact_id, p.name, p.title, p.source,
               p.initial_budget, p.budget, p.executed,
               p.rate_pct, round(100 * p.executed / nullif(p.budget, 0), 2) AS computed_rate_pct,
               p.funds_weight, p.funds_score, p.total_weight, p.score, p.restates,
               p.{_PROV_COLS.replace(", ", ", p.")}
        FROM projects p JOIN v_documents d USING (doc_id)
    """,
    "v_department_years": f"""
        WITH self_evaluation AS (
            SELECT doc_id, CASE WHEN bool_or(source = 'form') THEN '自评表' ELSE '正文' END AS basis,
                   {_SELF_EVALUATION_KEYS}
            FROM amounts WHERE is_primary GROUP BY doc_id
        ),
        disclosed AS (
            SELECT doc_id, phase AS basis,
                   {_pick("phase = '预算' AND " + _SUMMARY_EXPENDITURE + " AND column_key IN ('total', 'budget', '')")}
                       AS initial_budget,
                   NULL AS full_year_budget,
                   {_pick("phase = '决算' AND " + _SUMMARY_EXPENDITURE + " AND column_key IN ('total', 'final', '')")}
                       AS executed,
                   {_pick("table_kind = 'expenditure' AND row_key = 'total' AND column_key = 'basic'")}
                       AS basic_expenditure,
                   {_pick("table_kind = 'expenditure' AND row_key = 'total' AND column_key = 'project'")}
                       AS project_expenditure
            FROM disclosure_cells GROUP BY doc_id, phase
        ),
        figures AS (SELECT * FROM self_evaluation UNION ALL SELECT * FROM disclosed)
        SELECT d.department, d.region, d.year, d.doc_id, d.file, d.format, x.basis,
               x.initial_budget, x.full_year_budget, x.executed, x.basic_expenditure, x.project_expenditure
        FROM figures x JOIN v_documents d USING (doc_id)
        WHERE coalesce(x.initial_budget, x.full_year_budget, x.executed, x.basic_expenditure, x.project_expenditure)
              IS NOT NULL
    """,
    "v_facts": f"""
        SELECT doc_id, fact_id, 'amount' AS fact_type, key AS label, value, unit AS detail, {_PROV_COLS}
            FROM amounts
        UNION ALL
        SELECT doc_id, fact_id, 'indicator', coalesce(level3, level2, level1), score,
               concat_ws(' → ', target, actual), {_PROV_COLS} FROM indicators
        UNION ALL
        SELECT doc_id, fact_id, 'section', concat_ws(' / ', level1, level2), score,
               CAST(weight AS VARCHAR), {_PROV_COLS} FROM sections
        UNION ALL
        SELECT doc_id, fact_id, 'project', name, executed, CAST(budget AS VARCHAR), {_PROV_COLS} FROM projects
        UNION ALL
        SELECT doc_id, fact_id, 'line_item', concat_ws(' / ', parent, name), value, NULL, {_PROV_COLS}
            FROM line_items
        UNION ALL
        SELECT doc_id, fact_id, 'total_score', '总分', value, CAST(weight AS VARCHAR), {_PROV_COLS}
            FROM total_scores
        UNION ALL
        SELECT doc_id, fact_id, 'mention', label, value, unit, {_PROV_COLS} FROM mentions
        UNION ALL
        SELECT doc_id, fact_id, 'disclosure_cell', concat_ws(' / ', title, coalesce(nullif(code, ''), row_label), "column"),
               value, concat_ws(' ', phase, table_kind), {_PROV_COLS} FROM disclosure_cells
        UNION ALL
        SELECT doc_id, fact_id, 'disclosure_figure', label, value, concat_ws(' ', kind, nullif(base, '')), {_PROV_COLS}
            FROM disclosure_figures
    """,
    "v_finding_facts": """
        WITH links AS (
            SELECT doc_id, finding_idx, severity, rule, unnest(fact_ids) AS fact_id,
                   generate_subscripts(fact_ids, 1) AS fact_pos
            FROM findings
        )
        SELECT l.doc_id, l.finding_idx, l.severity, l.rule, l.fact_pos, l.fact_id, x.fact_type, x.label,
               x.value, x.method, x.page, x.table_idx, x.row_idx, x.col_idx, x.char_start, x.char_end, x.raw,
               substr(t.text, greatest(x.char_start - 20, 0) + 1,
                      x.char_end + 20 - greatest(x.char_start - 20, 0)) AS context
        FROM links l
        LEFT JOIN v_facts x ON x.doc_id = l.doc_id AND x.fact_id = l.fact_id
        LEFT JOIN doc_text t ON t.doc_id = l.doc_id
    """,
    "v_findings": """
        SELECT d.doc_id, d.file, d.format, d.department, d.year, f.finding_idx, f.severity, f.rule, f.message,
               f.message_en, f.reported, f.computed, f.difference, f."values", f.fact_ids,
               (SELECT string_agg(ff.raw, ' | ' ORDER BY ff.fact_pos) FROM v_finding_facts ff
                WHERE ff.doc_id = f.doc_id AND ff.finding_idx = f.finding_idx) AS sources
        FROM findings f JOIN v_documents d USING (doc_id)
    """,
}


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or replace) the parsing macros and every view, in dependency order."""
    for name, body in MACROS.items():
        con.execute(f"CREATE OR REPLACE MACRO {name}(s) AS {body}")
    for name, sql in VIEWS.items():
        con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")
