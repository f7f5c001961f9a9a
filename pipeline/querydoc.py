"""Keep the example queries of docs/queries.md honest.

Every ```sql block in the document is followed by the table it outputs on the bundled samples.
`refresh` re-runs the queries and rewrites those tables; the test suite checks that refreshing
changes nothing. After a pipeline change, regenerate with:

    .venv/bin/python -m pipeline.querydoc docs/queries.md
"""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path
from typing import Any

import duckdb

SQL_BLOCK = re.compile(r"(```sql\n(?P<sql>.*?)\n```\n)(?P<out>\n(?:\|[^\n]*\n)*\n?)", re.DOTALL)


def build_sample_db(samples_dir: str | Path, db_path: str | Path) -> duckdb.DuckDBPyConnection:
    """The sample database: the files directly in `samples_dir` (not the slow OCR scans in its
    subfolders) through the deterministic pipeline (no LLM)."""
    from pipeline import store
    from pipeline.readers import SUPPORTED_SUFFIXES
    from pipeline.run import RunOptions, process

    con = store.connect(db_path)
    files = sorted(p for p in Path(samples_dir).iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
    for path in files:
        result = process(path, RunOptions(use_llm=False))
        store.save_document(con, result.doc, result.facts, result.findings)
    return con


def render_table(columns: list[str], rows: list[tuple]) -> str:
    """A Markdown table; NULL shows as an empty cell, tabs and line breaks as spaces."""
    lines = [_row(columns), "|" + "---|" * len(columns)]
    lines += [_row([_cell(v) for v in row]) for row in rows]
    return "\n".join(lines) + "\n"


def refresh(markdown: str, con: duckdb.DuckDBPyConnection) -> str:
    """`markdown` with the table under each SQL block replaced by the query's current output."""

    def run(match: re.Match[str]) -> str:
        cursor = con.execute(match["sql"])
        table = render_table([d[0] for d in cursor.description], cursor.fetchall())
        return f"{match[1]}\n{table}\n"

    return SQL_BLOCK.sub(run, markdown)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return re.sub(r"[\t\n\r]", " ", str(value)).replace("|", "\\|")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("doc", type=Path, nargs="?", default=Path("docs/queries.md"))
    parser.add_argument("--samples", type=Path, default=Path("data/samples"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        con = build_sample_db(args.samples, Path(tmp) / "samples.duckdb")
        args.doc.write_text(refresh(args.doc.read_text(encoding="utf-8"), con), encoding="utf-8")
        con.close()


if __name__ == "__main__":
    main()
