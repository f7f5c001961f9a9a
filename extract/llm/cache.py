"""The response cache in DuckDB's `llm_cache` table, keyed by (chunk hash, prompt name and version,
model, response schema, answer cap), so a re-run sends no tokens.

Besides valid answers it keeps the model's deterministic failures (an answer that stayed invalid
after the re-asks, or ran into the token cap, at temperature 0): asking again would fail again.
Transport errors are never cached."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from extract.llm.client import Answer
from extract.llm.schemas import Prompt


def cache_key(chunk_hash: str, prompt: Prompt, model: str, max_tokens: int) -> str:
    """The key of one question; the answer cap is part of it, as an answer cut off at one cap is not
    the answer under another."""
    schema = json.dumps(prompt.schema.model_json_schema(), sort_keys=True)
    digest = hashlib.sha256(schema.encode()).hexdigest()
    parts = [chunk_hash, prompt.name, prompt.version, model, digest, str(max_tokens)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


class Cache:
    """Opens the database only for each read or write, so other jixiao processes are not locked out
    while the model is thinking."""

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = db_path

    def get_many(self, keys: list[str]) -> dict[str, Answer]:
        """The stored answers (with 0 tokens: nothing is sent) for the keys that have one."""
        if not keys:
            return {}
        with _connect(self.db_path) as con:
            marks = ", ".join("?" * len(keys))
            rows = con.execute(
                f"SELECT cache_key, response, outcome, error FROM llm_cache WHERE cache_key IN ({marks})", keys
            ).fetchall()
        return {
            key: Answer(json.loads(response) if response else None, 0, 0, 0.0, outcome, error)
            for key, response, outcome, error in rows
        }

    def put(self, key: str, prompt: Prompt, model: str, answer: Answer) -> None:
        with _connect(self.db_path) as con:
            con.execute(
                "INSERT OR REPLACE INTO llm_cache (cache_key, model, prompt_version, schema_name, response,"
                " tokens_in, tokens_out, created_at, outcome, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    key,
                    model,
                    f"{prompt.name}@{prompt.version}",
                    prompt.schema_name,
                    json.dumps(answer.response, ensure_ascii=False) if answer.response is not None else None,
                    answer.tokens_in,
                    answer.tokens_out,
                    datetime.now(UTC).replace(tzinfo=None),
                    answer.outcome,
                    answer.error,
                ],
            )


def _connect(db_path: str | Path):
    from pipeline import store
    from pipeline.limits import connect_waiting

    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    con = connect_waiting(db_path)
    store.ensure_schema(con)
    return con
