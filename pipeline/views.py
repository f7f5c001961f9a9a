"""Stable SQL views over the fact tables, for users who live in SQL."""

from __future__ import annotations

import duckdb

VIEWS = {
    "v_documents": """
        SELECT d.doc_id, d.path, d.format, d.status, d.department, d.region, d.year,
               max(CASE WHEN a.key = 'initial_budget' THEN a.value END) AS initial_budget,
               max(CASE WHEN a.key = 'full_year_budget' THEN a.value END) AS full_year_budget,
               max(CASE WHEN a.key = 'executed' THEN a.value END) AS executed,
               max(CASE WHEN a.key = 'execution_rate_pct' THEN a.value END) AS execution_rate_pct,
               max(CASE WHEN a.key = 'basic_expenditure' THEN a.value END) AS basic_expenditure,
               max(CASE WHEN a.key = 'project_expenditure' THEN a.value END) AS project_expenditure,
               max(t.value) AS total_score
        FROM documents d
        LEFT JOIN amounts a ON a.doc_id = d.doc_id AND a.is_primary
        LEFT JOIN total_scores t ON t.doc_id = d.doc_id
        GROUP BY ALL
    """,
}


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    for name, sql in VIEWS.items():
        con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")
