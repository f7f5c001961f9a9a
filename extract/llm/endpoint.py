"""Where calls go: the configured OpenAI-compatible endpoint, or the embedded local model, whose
server is started on first need (never on a fully cached run) and stopped when the process exits."""

from __future__ import annotations

import atexit
import sys
from contextlib import ExitStack
from dataclasses import dataclass

from pipeline.local_model import MODELS, ensure_model, serve
from pipeline.settings import LlmSettings


@dataclass(frozen=True)
class Endpoint:
    base_url: str
    model: str


_local: dict[str, Endpoint] = {}
_servers = ExitStack()
atexit.register(_servers.close)


def model_name(settings: LlmSettings) -> str:
    """The model name used in cache keys, known without starting anything."""
    return settings.model or MODELS[settings.local_model].name


def endpoint(settings: LlmSettings) -> Endpoint:
    if not settings.is_local:
        return Endpoint(base_url=settings.base_url or "", model=model_name(settings))
    if settings.local_model not in _local:
        spec = MODELS[settings.local_model]
        path = ensure_model(spec, settings.model_dir, progress=_progress)
        _progress(f"starting the local model server ({spec.name})")
        base_url = _servers.enter_context(serve(path, alias=spec.name, chat_format=spec.chat_format))
        _local[settings.local_model] = Endpoint(base_url=base_url, model=spec.name)
    return _local[settings.local_model]


def _progress(message: str) -> None:
    print(f"[llm] {message}", file=sys.stderr, flush=True)
