"""The response cache in DuckDB's `llm_cache` table, keyed by (chunk hash, prompt name and version,
model, response schema), so a re-run sends no tokens."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from extract.llm.schemas import Prompt


def cache_key(chunk_hash: str, prompt: Prompt, model: str) -> str:
    schema = json.dumps(prompt.schema.model_json_schema(), sort_keys=True)
    parts = [chunk_hash, prompt.name, prompt.version, model, hashlib.sha256(schema.encode()).hexdigest()]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


class Cache:
    """Opens the database only for each read or write, so other jixiao processes are not locked out
    while the model is thinking."""

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = db_path

    def get_many(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        if not keys:
            return {}
        with _connect(self.db_path) as con:
            marks = ", ".join("?" * len(keys))
            rows = con.execute(f"SELECT cache_key, response FROM llm_cache WHERE cache_key IN ({marks})", keys)
            return {key: json.loads(response) for key, response in rows.fetchall()}

    def put(
        self, key: str, prompt: Prompt, model: str, response: dict[str, Any], tokens_in: int, tokens_out: int
    ) -> None:
        with _connect(self.db_path) as con:
            con.execute(
                "INSERT OR REPLACE INTO llm_cache VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    key,
                    model,
                    f"{prompt.name}@{prompt.version}",
                    prompt.schema_name,
                    json.dumps(response, ensure_ascii=False),
                    tokens_in,
                    tokens_out,
                    datetime.now(UTC).replace(tzinfo=None),
                ],
            )


def _connect(db_path: str | Path):
    from pipeline import store
    from pipeline.limits import connect_waiting

    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    con = connect_waiting(db_path)
    store.ensure_schema(con)
    return con
