"""Small pydantic response models, one per prompt, and the versioned prompt files that use them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, create_model

import prompts
from extract.amounts import MAIN_KEYS

PROMPT_DIR = Path(prompts.__file__).parent

# the main amount fields the form parser fills, plus "other" for anything else
AmountKey = Literal[(*MAIN_KEYS, "other")]  # type: ignore[valid-type]


class AmountMention(BaseModel):
    quote: str = Field(description="verbatim phrase with the label and the number")
    key: AmountKey
    # asked so that a small model quotes and keys the right words (without it a 1.5B model lists the
    # schema's keys as items); the stored label is read from the source (`grounding.label_at`)
    label: str = Field(description="the words naming the amount")
    value: float = Field(description="the number as printed")


class AmountMentions(BaseModel):
    items: list[AmountMention]


class ProjectEval(BaseModel):
    quote: str = Field(description="verbatim text from the project name to its 执行数")
    name: str
    budget: float | None = Field(default=None, description="全年预算数, 万元")
    executed: float | None = Field(default=None, description="执行数, 万元")
    score: float | None = Field(default=None, description="自评得分")


class ProjectEvals(BaseModel):
    items: list[ProjectEval]


SCHEMAS: dict[str, type[BaseModel]] = {"AmountMentions": AmountMentions, "ProjectEvals": ProjectEvals}


@dataclass(frozen=True)
class Prompt:
    """A prompt file: a `---` header (name, version, schema) and the system text."""

    name: str
    version: str
    schema: type[BaseModel]
    system: str

    @property
    def schema_name(self) -> str:
        return self.schema.__name__

    def at_most(self, items: int) -> Prompt:
        """This prompt with the answer's list limited to `items` entries in the response schema: a
        model under a grammar (the local one) stops there instead of listing headings until its
        token cap. Stated in the schema only, not validated, so a remote model that lists more
        is not asked again."""
        return replace(self, schema=_limited(self.schema, items))


@cache
def _limited(schema: type[BaseModel], items: int) -> type[BaseModel]:
    item = schema.model_fields["items"].annotation
    limit = Field(json_schema_extra={"maxItems": items})
    return create_model(schema.__name__, __doc__=schema.__doc__, items=(item, limit))


def load_prompt(name: str, prompt_dir: Path = PROMPT_DIR) -> Prompt:
    text = (prompt_dir / f"{name}.md").read_text(encoding="utf-8")
    _, header, body = text.split("---\n", 2)
    meta = dict(line.split(":", 1) for line in header.strip().splitlines())
    meta = {k.strip(): v.strip() for k, v in meta.items()}
    return Prompt(name=meta["name"], version=meta["version"], schema=SCHEMAS[meta["schema"]], system=body.strip())
