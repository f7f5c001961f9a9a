"""The response cache in DuckDB's `llm_cache` table, keyed by (chunk hash, prompt name and version,
model, response schema), so a re-run sends no tokens."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import duckdb

from extract.llm.schemas import Prompt


def cache_key(chunk_hash: str, prompt: Prompt, model: str) -> str:
    schema = json.dumps(prompt.schema.model_json_schema(), sort_keys=True)
    parts = [chunk_hash, prompt.name, prompt.version, model, hashlib.sha256(schema.encode()).hexdigest()]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


class Cache:
    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def get(self, key: str) -> dict[str, Any] | None:
        row = self.con.execute("SELECT response FROM llm_cache WHERE cache_key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else None

    def put(
        self, key: str, prompt: Prompt, model: str, response: dict[str, Any], tokens_in: int, tokens_out: int
    ) -> None:
        self.con.execute(
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
