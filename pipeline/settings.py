"""LLM configuration (pydantic-settings): any OpenAI-compatible endpoint, or the bundled local model.

Values come from arguments, then `JIXIAO_LLM_*` environment variables (e.g. JIXIAO_LLM_BASE_URL,
JIXIAO_LLM_MODEL, JIXIAO_LLM_API_KEY). The key may also come from OPENAI_API_KEY. With no
`base_url` the pipeline starts the embedded llama.cpp server on 127.0.0.1 with a local GGUF.
"""

from __future__ import annotations

import threading
from pathlib import Path

from pydantic import AliasChoices, Field, PrivateAttr
from pydantic_settings import BaseSettings, SettingsConfigDict

_RUN_LOCK = threading.Lock()  # guards every settings object's run budget (a lock cannot be pickled to a worker)


def default_cache_dir() -> Path:
    return Path.home() / ".cache" / "jixiao"


class LlmSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JIXIAO_LLM_", extra="ignore")

    base_url: str | None = None  # None → the local llama.cpp server
    model: str | None = None  # None → the local model's name
    api_key: str = Field(
        default="sk-no-key-required", validation_alias=AliasChoices("JIXIAO_LLM_API_KEY", "OPENAI_API_KEY")
    )
    local_model: str = "qwen2.5-coder-1.5b"  # key of pipeline.local_model.MODELS
    model_dir: Path = Field(default_factory=lambda: default_cache_dir() / "models")
    cache_db: Path = Field(default_factory=lambda: default_cache_dir() / "llm_cache.duckdb")  # when no pipeline DB
    timeout_s: float = 600.0  # per request; a local CPU model on a busy machine is slow
    max_retries: int = 3  # transport retries (429, 5xx, timeouts), with exponential backoff
    max_reasks: int = 1  # instructor re-asks on a schema-violating answer
    concurrency: int | None = None  # requests in flight; None → 4 for a remote endpoint, 1 for the local model
    max_tokens: int = 2048  # per answer: a passage with twenty amounts needs ~1,500
    token_budget: int = 60_000  # per document, prompt + answer
    run_token_budget: int | None = None  # per run (every document this settings object serves); None → none
    chunk_chars: int = 1500
    temperature: float = 0.0

    _run_spent: int = PrivateAttr(default=0)

    @property
    def is_local(self) -> bool:
        return self.base_url is None

    @property
    def workers(self) -> int:
        """Requests in flight at once: as configured, else 4 remote and 1 for the local model."""
        return max(1, self.concurrency or (1 if self.is_local else 4))

    def reserve_run_tokens(self, tokens: int) -> bool:
        """Take `tokens` from the run's budget; False (nothing taken) when they do not fit."""
        with _RUN_LOCK:
            if self.run_token_budget is not None and self._run_spent + tokens > self.run_token_budget:
                return False
            self._run_spent += tokens
            return True

    def settle_run_tokens(self, reserved: int, used: int) -> None:
        """Replace a reservation by the tokens a call really used."""
        with _RUN_LOCK:
            self._run_spent += used - reserved
