"""One structured call to an OpenAI-compatible endpoint: instructor (Mode.TOOLS) over the `openai`
client, transport retries with exponential backoff (tenacity) on 429, 5xx, timeouts (of a remote
endpoint; the local model would take as long again) and dropped connections, and instructor
re-asks when the answer violates the response schema. An answer cut off at the token cap is not
re-asked (at temperature 0 it would be cut off again)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import instructor
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from extract.llm.schemas import Prompt
from pipeline.settings import LlmSettings

logging.getLogger("instructor").addHandler(logging.NullHandler())  # failures are recorded in llm_calls instead


@dataclass
class Answer:
    """What came back: the validated response (or None), usage, latency and the outcome."""

    response: dict[str, Any] | None
    tokens_in: int
    tokens_out: int
    latency_ms: float
    outcome: str  # ok | invalid (schema-violating after the re-asks) | truncated (hit max_tokens) | error
    error: str | None = None
    raw_output: str | None = None  # the model's last text when it could not be validated

    @property
    def is_model_failure(self) -> bool:
        """The model answered, but not usefully: the same input gives the same failure at temperature 0."""
        return self.outcome in {"invalid", "truncated"}


def is_transient(exc: BaseException, timeouts: bool = True) -> bool:
    """Rate limits, server errors, timeouts and connection errors, also when instructor wrapped them.

    With `timeouts` False a timeout is not transient: the local model on this machine would take
    as long again over the same passage (and it is still busy with the first request).
    """
    while exc is not None:
        if isinstance(exc, openai.APITimeoutError):
            return timeouts
        if isinstance(exc, openai.RateLimitError | openai.APIConnectionError):
            return True
        if isinstance(exc, openai.APIStatusError) and exc.status_code >= 500:
            return True
        exc = exc.__cause__
    return False


class LlmClient:
    def __init__(self, settings: LlmSettings, base_url: str, model: str, backoff_s: float = 1.0) -> None:
        self.settings = settings
        self.model = model
        self.backoff_s = backoff_s
        raw = openai.OpenAI(base_url=base_url, api_key=settings.api_key, timeout=settings.timeout_s, max_retries=0)
        raw.chat.completions.create = _marking_cutoffs(raw.chat.completions.create)  # type: ignore[method-assign]
        self.client = instructor.from_openai(raw, mode=instructor.Mode.TOOLS)

    def ask(self, prompt: Prompt, passage: str, max_tokens: int | None = None) -> Answer:
        started = time.monotonic()
        cap = max_tokens or self.settings.max_tokens
        try:
            response, completion = self._with_retries(prompt, passage, cap)
        except IncompleteOutputException as exc:
            usage, error = getattr(exc.last_completion, "usage", None), f"the answer reached the {cap}-token cap"
            return _failure(started, usage, "truncated", error, exc.last_completion)
        except InstructorRetryException as exc:
            outcome = "error" if isinstance(exc.__cause__, openai.OpenAIError) else "invalid"
            completion = getattr(exc, "last_completion", None)
            return _failure(started, getattr(exc, "total_usage", None), outcome, str(exc)[:2000], completion)
        except openai.OpenAIError as exc:
            return _failure(started, None, "error", f"{type(exc).__name__}: {exc}"[:2000])
        usage = completion.usage
        return Answer(
            response=response.model_dump(mode="json"),
            tokens_in=usage.prompt_tokens if usage else 0,
            tokens_out=usage.completion_tokens if usage else 0,
            latency_ms=(time.monotonic() - started) * 1000,
            outcome="ok",
        )

    def _with_retries(self, prompt: Prompt, passage: str, max_tokens: int) -> tuple[Any, Any]:
        retrying = Retrying(
            retry=retry_if_exception(partial(is_transient, timeouts=not self.settings.is_local)),
            stop=stop_after_attempt(self.settings.max_retries + 1),
            wait=wait_exponential(multiplier=self.backoff_s, max=30 * self.backoff_s),
            reraise=True,
        )
        return retrying(self._once, prompt, passage, max_tokens)

    def _once(self, prompt: Prompt, passage: str, max_tokens: int) -> tuple[Any, Any]:
        extra = {"repeat_penalty": 1.0} if self.settings.is_local else None
        return self.client.chat.completions.create_with_completion(
            model=self.model,
            response_model=prompt.schema,
            messages=[{"role": "system", "content": prompt.system}, {"role": "user", "content": passage}],
            max_retries=self.settings.max_reasks,
            max_tokens=max_tokens,
            temperature=self.settings.temperature,
            extra_body=extra,
        )


def _failure(started: float, usage: Any, outcome: str, error: str, completion: Any = None) -> Answer:
    """No usable answer: the tokens spent, the time, why, and the model's text when there was one."""
    return Answer(
        response=None,
        tokens_in=getattr(usage, "prompt_tokens", 0) or 0,
        tokens_out=getattr(usage, "completion_tokens", 0) or 0,
        latency_ms=(time.monotonic() - started) * 1000,
        outcome=outcome,
        error=error,
        raw_output=_completion_text(completion),
    )


def _marking_cutoffs(create: Callable[..., Any]) -> Callable[..., Any]:
    """llama-cpp-python's server reports a tool call cut off at max_tokens as finish_reason
    'tool_calls'; mark it 'length', as OpenAI does, so instructor raises IncompleteOutputException
    instead of re-asking (a re-ask would be cut off again, at twice the cost)."""

    def create_and_mark(*args: Any, **kwargs: Any) -> Any:
        completion = create(*args, **kwargs)
        usage, cap = getattr(completion, "usage", None), kwargs.get("max_tokens")
        if cap and usage is not None and (usage.completion_tokens or 0) >= cap:
            for choice in completion.choices:
                choice.finish_reason = "length"
        return completion

    return create_and_mark


def _completion_text(completion: Any) -> str | None:
    """The tool-call arguments (or content) of a raw completion, for the rejection record."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return None
    if message.tool_calls:
        return message.tool_calls[0].function.arguments
    return message.content
